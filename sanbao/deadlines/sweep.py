"""The sweep: colours, escalation, 督办 and notices, idempotent however often it runs.

Phase 1 is set-based: three or four ``UPDATE … WHERE`` statements over the
indexed columns turn running clocks red (``due_date < today``), green clocks
yellow (``yellow_on <= today``) and flag overdue clocks that have been overdue
long enough to climb the ladder. Each flags its rows ``needs_notice``.

Phase 2 handles only flagged rows, in locked batches, up to a bound per sweep
(the rest wait for the next sweep): it raises ``escalation_level`` to the
level the row has reached, notifies each new rung once, issues a 督办 notice
with its own clock when an escalating step first goes overdue, and clears the
flag, all in one transaction per batch. A level is reached once, so a step
escalates exactly once however often the sweep runs.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from time import perf_counter

from django.db import connection, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sanbao.audit.actions import record_event
from sanbao.deadlines import conf, events, notices
from sanbao.deadlines.calculator import WorkCalendar
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.choices import Colour, DeadlineStatus, EscalationLevel
from sanbao.deadlines.clocks import build_clock
from sanbao.deadlines.defaults import SUPERVISION_RULE
from sanbao.deadlines.escalation import Recipients
from sanbao.deadlines.models import Deadline, Notification, SupervisionNotice, TimeLimitRule

BATCH = 500
# What phase 2 reads of a flagged clock, its rule and its matter (not the narrative and the rest).
ROW_FIELDS = (
    "matter_id", "rule_id", "unit_id", "handler_id", "area_code", "due_date", "status", "colour", "escalates",
    "escalation_level", "rule__name", "matter__code", "matter__kind", "matter__state", "matter__status",
    "matter__area_code", "matter__lead_unit_id", "matter__owner_unit_id", "matter__current_handler_id",
)


@dataclass
class SweepReport:
    today: date
    turned_red: int = 0
    turned_yellow: int = 0
    climbing: int = 0
    handled: int = 0
    notifications: int = 0
    supervisions: int = 0
    pending: int = 0
    mark_seconds: float = 0.0
    seconds: float = 0.0

    def __str__(self) -> str:
        return (
            f"sweep {self.today.isoformat()}: {self.turned_red} overdue, {self.turned_yellow} due soon, "
            f"{self.climbing} climbing; {self.handled} handled, {self.notifications} notifications, "
            f"{self.supervisions} supervision notices, {self.pending} left for the next sweep; "
            f"{self.seconds:.3f} s ({self.mark_seconds:.3f} s finding the changes)"
        )


@dataclass(frozen=True)
class Cutoffs:
    """Clocks due on or before ``centre`` (``committee``) have been overdue long enough for that rung."""

    centre: date
    committee: date

    @classmethod
    def on(cls, today: date) -> "Cutoffs":
        calendar = work_calendar()
        centre_days, committee_days = conf.escalation_working_days()
        return cls(calendar.subtract_working_days(today, centre_days),
                   calendar.subtract_working_days(today, committee_days))

    def level(self, deadline: Deadline) -> int:
        """The rung a flagged clock has reached now."""
        if deadline.status == DeadlineStatus.OVERDUE:
            if not deadline.escalates:
                return EscalationLevel.UNIT_HEAD
            passed = (deadline.due_date <= self.centre) + (deadline.due_date <= self.committee)
            return EscalationLevel.UNIT_HEAD + passed
        if deadline.status == DeadlineStatus.RUNNING and deadline.colour == Colour.YELLOW:
            return EscalationLevel.HANDLER
        return deadline.escalation_level


def mark(today: date, cutoffs: Cutoffs) -> tuple[int, int, int]:
    """Phase 1: set-based colour changes and ladder flags. Returns (red, yellow, climbing) counts."""
    running = Deadline.objects.filter(status=DeadlineStatus.RUNNING)
    red = running.filter(due_date__lt=today).update(
        status=DeadlineStatus.OVERDUE, colour=Colour.RED, needs_notice=True
    )
    turning = running.filter(colour=Colour.GREEN, yellow_on__lte=today)
    yellow = turning.update(colour=Colour.YELLOW, needs_notice=True)
    overdue = Deadline.objects.filter(status=DeadlineStatus.OVERDUE, escalates=True, needs_notice=False)
    rungs = [(EscalationLevel.UNIT_HEAD, cutoffs.centre)]
    rungs.append((EscalationLevel.CENTRE_DIRECTOR, cutoffs.committee))
    climbing = sum(
        overdue.filter(escalation_level=level, due_date__lte=cutoff).update(needs_notice=True)
        for level, cutoff in rungs
    )
    return red, yellow, climbing


def matter_link(code: str) -> str:
    """The matter page's path (resolved once; the matters app may not serve pages yet)."""
    return _link_template().replace("CODE", code)


@cache
def _link_template() -> str:
    try:
        return reverse("matters:matter_detail", kwargs={"code": "CODE"})
    except NoReverseMatch:
        return "/matters/CODE/"


@dataclass
class Batch:
    """What one batch of flagged clocks produces, written together by ``flush`` (bulk inserts and updates)."""

    recipients: Recipients
    cutoffs: Cutoffs
    today: date
    now: datetime
    calendar: WorkCalendar
    supervision_rule: TimeLimitRule | None
    delivered_at: datetime | None = None
    notifications: list = field(default_factory=list)
    responses: list = field(default_factory=list)
    escalations: list = field(default_factory=list)
    levels: dict = field(default_factory=dict)

    def notify(self, user_ids, code: str, deadline: Deadline, **params) -> None:
        matter = deadline.matter
        base = {"matter": matter.code, "step": deadline.rule.name, "due": deadline.due_date.isoformat()}
        link = matter_link(matter.code)
        for user_id in dict.fromkeys(user_ids):
            self.notifications.append(
                Notification(recipient_id=user_id, code=code, params={**base, **params}, link=link,
                             delivered_at=self.delivered_at)
            )

    def rung(self, level: int, deadline: Deadline) -> None:
        """Tell the people of one rung, once."""
        handler = self.recipients.handler(deadline)
        if level == EscalationLevel.HANDLER and deadline.status != DeadlineStatus.OVERDUE:
            self.notify(handler, notices.DUE_SOON, deadline)
        elif level == EscalationLevel.UNIT_HEAD and not (deadline.escalates and self.supervision_rule):
            self.notify(handler, notices.OVERDUE, deadline)
        elif level > EscalationLevel.UNIT_HEAD:
            self.notify(self.recipients.at(level, deadline), notices.ESCALATED, deadline, level=level)

    def supervise(self, deadline: Deadline) -> None:
        """Prepare the system 督办 notice for an overdue step, with its own report clock.

        The handler and the unit head get one message: overdue, supervised, report by the new date.
        """
        response = build_clock(deadline.matter, self.supervision_rule, at=self.now, supervises=deadline,
                               today=self.today, calendar=self.calendar)
        self.responses.append(response)
        people = [*self.recipients.handler(deadline), *self.recipients.unit_head(deadline)]
        self.notify(people, notices.SUPERVISION, deadline, report=response.due_date.isoformat())

    def handle(self, deadline: Deadline) -> None:
        before, target = deadline.escalation_level, self.cutoffs.level(deadline)
        for level in range(before + 1, target + 1):
            self.rung(level, deadline)
        first_overdue = target >= EscalationLevel.UNIT_HEAD > before
        if deadline.escalates and first_overdue and self.supervision_rule is not None:
            self.supervise(deadline)
        if deadline.escalates and target > before and target >= EscalationLevel.UNIT_HEAD:
            self.escalations.append({"deadline": deadline.pk, "matter": deadline.matter.code,
                                     "from": before, "to": target, "due_date": deadline.due_date.isoformat()})
        self.levels.setdefault(max(before, target), []).append(deadline.pk)

    def flush(self) -> tuple[int, int]:
        """Write the batch: report clocks and 督办 notices, levels, notifications, one audit event."""
        responses = Deadline.objects.bulk_create(self.responses)
        notices_ = SupervisionNotice.objects.bulk_create(
            SupervisionNotice(matter_id=response.matter_id, deadline_id=response.supervises_id,
                              response=response, unit_id=response.supervises.unit_id, issued_at=self.now)
            for response in responses
        )
        by_deadline = {notice.deadline_id: notice for notice in notices_}
        for entry in self.escalations:
            notice = by_deadline.get(entry["deadline"])
            if notice is not None:
                entry.update(supervision_notice=notice.pk, report_due=notice.response.due_date.isoformat())
        for level, ids in self.levels.items():
            Deadline.objects.filter(pk__in=ids).update(escalation_level=level, needs_notice=False)
        Notification.objects.bulk_create(self.notifications)
        if self.escalations:
            # One system event per batch lists every step it escalated (before/after level, 督办 issued).
            record_event(events.ESCALATED, after={"escalations": self.escalations})
        written = (len(self.notifications), len(notices_))
        self.notifications, self.responses, self.escalations, self.levels = [], [], [], {}
        return written


def _lock_flagged(limit: int) -> list[int]:
    # No ORDER BY: the partial index on needs_notice then answers alone (ordering by id scans the table).
    flagged = Deadline.objects.filter(needs_notice=True).order_by()
    if connection.features.has_select_for_update_skip_locked:
        flagged = flagged.select_for_update(skip_locked=True, of=("self",))
    return list(flagged.values_list("id", flat=True)[:limit])


def handle_batch(batch: Batch, limit: int, report: "SweepReport") -> int:
    """Phase 2 for up to ``limit`` flagged clocks, in one transaction. Returns how many were handled."""
    with transaction.atomic():
        ids = _lock_flagged(limit)
        rows = Deadline.objects.filter(pk__in=ids).select_related("rule", "matter").order_by("id")
        rows = rows.only(*ROW_FIELDS)
        handled = 0
        for deadline in rows:
            batch.handle(deadline)
            handled += 1
        notifications, supervisions = batch.flush()
    report.handled += handled
    report.notifications += notifications
    report.supervisions += supervisions
    return handled


def _moment(today: date) -> datetime:
    """Now, or the start of ``today`` when sweeping as of another day (catching up, tests)."""
    now = timezone.now()
    if timezone.localdate(now) == today:
        return now
    return timezone.make_aware(datetime.combine(today, time(8, 0)))


def run_sweep(today: date | None = None, *, send: bool = True) -> SweepReport:
    """One sweep as of ``today`` (default: today in Asia/Shanghai).

    ``send=False`` (the demo's catch-up) keeps the notifications in the inbox
    only: they are stored as already delivered, nothing goes to SMS or e-mail.
    """
    started = perf_counter()
    today = today or timezone.localdate()
    report, cutoffs = SweepReport(today), Cutoffs.on(today)
    with transaction.atomic():
        report.turned_red, report.turned_yellow, report.climbing = mark(today, cutoffs)
    report.mark_seconds = perf_counter() - started
    budget = conf.sweep_max_notices()
    rule = TimeLimitRule.objects.current().filter(key=SUPERVISION_RULE).first()
    batch = Batch(Recipients(), cutoffs, today, _moment(today), work_calendar(), rule,
                  delivered_at=None if send else timezone.now())
    while budget > 0:
        handled = handle_batch(batch, min(BATCH, budget), report)
        budget -= handled
        if handled < BATCH:
            break
    report.pending = Deadline.objects.filter(needs_notice=True).count()
    report.seconds = perf_counter() - started
    if report.notifications and send:
        from sanbao.deadlines.tasks import enqueue_delivery

        transaction.on_commit(enqueue_delivery)
    return report
