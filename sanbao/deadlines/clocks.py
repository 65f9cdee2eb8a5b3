"""Starting and stopping step clocks as matters move.

Called from the matters app's seam (``sanbao.matters.clocks``) inside the
matter verb's transaction, after the matter was saved at its new step:

1. every open clock of the matter that this move ends stops (a step clock at
   any move; a spanning clock when the matter reaches one of its rule's
   ``stop_states`` or is no longer open);
2. the clock for the new step starts: the rule the transition names when it
   governs the new step, else the current rule for this kind and step.

Starting and stopping are consequences of the audited matter transition, so
they write no audit events of their own; the deadline row keeps its rule
version, start and completion times. Pauses, extensions and escalations are
decisions and are audited by their verbs.
"""

from datetime import date, datetime

from django.utils import timezone

from sanbao.deadlines.calculator import WorkCalendar, due_date, warning_date
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.choices import Colour, CountUnit, DeadlineStatus
from sanbao.deadlines.models import Deadline, TimeLimitRule
from sanbao.matters.choices import MatterState

# Steps where the lead unit holds the matter; at any other step the centre does.
LEAD_UNIT_STATES = frozenset({MatterState.ASSIGNED, MatterState.HANDLING})


def state_on(due: date, yellow_on: date, today: date) -> tuple[str, str]:
    """(status, colour) of a running clock as of ``today``."""
    if today > due:
        return DeadlineStatus.OVERDUE, Colour.RED
    if today >= yellow_on:
        return DeadlineStatus.RUNNING, Colour.YELLOW
    return DeadlineStatus.RUNNING, Colour.GREEN


def recompute(deadline: Deadline, today: date, calendar: WorkCalendar | None = None) -> list[str]:
    """Recompute due date, warning day, status and colour of a clock that is not paused.

    Returns the names of the fields it sets (for ``save(update_fields=…)``).
    """
    calendar = calendar or work_calendar()
    rule = deadline.rule
    due = due_date(calendar, deadline.start_date, deadline.amount, deadline.count_unit,
                   extension=deadline.extension_days, paused=deadline.paused_days)
    yellow_on = warning_date(calendar, deadline.start_date, due, share=float(rule.warn_share),
                             working_days_left=rule.warn_working_days)
    status, colour = state_on(due, yellow_on, today)
    if colour != Colour.GREEN and colour != deadline.colour:
        deadline.needs_notice = True
    deadline.due_date, deadline.yellow_on, deadline.status, deadline.colour = due, yellow_on, status, colour
    return ["due_date", "yellow_on", "status", "colour", "needs_notice"]


def _moment(matter) -> datetime:
    """When the move happened: the verb stamps ``updated_at`` just before calling the seam."""
    return matter.updated_at or timezone.now()


def build_clock(matter, rule: TimeLimitRule, *, at: datetime, due: date | None = None,
                supervises: Deadline | None = None, today: date | None = None,
                calendar: WorkCalendar | None = None) -> Deadline:
    """The unsaved running clock of ``rule`` for ``matter`` from ``at`` (``due`` fixes the end instead).

    Its colour is as of ``today`` (default: the real today; a clock started in
    the past may already be yellow or red, and is then flagged for the sweep).
    """
    start = timezone.localdate(at)
    amount, unit = rule.amount, rule.unit
    if due is not None:
        amount, unit = max((due - start).days, 0), CountUnit.CALENDAR
    lead = matter.state in LEAD_UNIT_STATES and matter.lead_unit_id is not None
    deadline = Deadline(
        matter=matter, rule=rule, step=matter.state, area_code=matter.area_code,
        unit_id=matter.lead_unit_id if lead else matter.owner_unit_id,
        handler_id=matter.current_handler_id if lead else None, supervises=supervises,
        started_at=at, start_date=start, amount=amount, count_unit=unit, escalates=rule.escalates,
    )
    recompute(deadline, today or timezone.localdate(), calendar)
    return deadline


def start_clock(matter, rule: TimeLimitRule, **options) -> Deadline:
    """Create and save the running clock of ``rule`` for ``matter`` (options as ``build_clock``)."""
    deadline = build_clock(matter, rule, **options)
    deadline.save(force_insert=True)
    return deadline


def stop_clock(deadline: Deadline, *, at: datetime) -> None:
    """Complete a clock: met when it stops on or before its due date, else late."""
    on_time = timezone.localdate(at) <= deadline.due_date
    deadline.status = DeadlineStatus.MET if on_time else DeadlineStatus.LATE
    deadline.completed_at, deadline.needs_notice = at, False
    deadline.save(update_fields=["status", "completed_at", "needs_notice"])


def _ends_with(deadline: Deadline, matter) -> bool:
    stop_states = deadline.rule.stop_states
    return not matter.is_open or not stop_states or matter.state in stop_states


def rule_for(matter, transition) -> TimeLimitRule | None:
    """The rule whose clock the matter's new step starts, or None."""
    if not matter.is_open:
        return None
    current = TimeLimitRule.objects.current()
    if transition.clock:
        named = current.filter(key=transition.clock).first()
        if named is not None and named.step in ("", matter.state):
            return named
    return current.filter(matter_kind=matter.kind, step=matter.state).first()


def after_transition(matter, transition, actor) -> None:
    """Stop the clocks this move ends and start the new step's clock (see the module docstring)."""
    at = _moment(matter)
    # Lock the clocks only: the rule rows are shared by every matter (PostgreSQL would lock joined rows too).
    running = list(matter.deadlines.open().select_related("rule").select_for_update(of=("self",)))
    for deadline in running:
        if _ends_with(deadline, matter):
            stop_clock(deadline, at=at)
    rule = rule_for(matter, transition)
    still_open = {deadline.rule.key for deadline in running if deadline.is_open}
    if rule is not None and rule.key not in still_open:
        start_clock(matter, rule, at=at)
