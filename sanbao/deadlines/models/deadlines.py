from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.deadlines.choices import (
    OPEN_STATUSES,
    Colour,
    CountUnit,
    DeadlineStatus,
    EscalationLevel,
    PauseReason,
)


class DeadlineQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Deadlines of the matters ``user`` may see (the matters app decides which)."""
        from sanbao.matters.models import Matter

        return self.filter(matter__in=Matter.objects.visible_to(user).values("pk"))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Deadline(models.Model):
    """The clock of one step of one matter, with its stored due date.

    Invariants: ``due_date`` is computed once from ``start_date``, ``amount``
    and ``count_unit`` (copied from the rule version ``rule`` when the clock
    started) plus ``paused_days`` and ``extension_days``, by the one
    calculator; it changes only through the verbs (resume, extension), never
    because a rule is edited later. ``colour`` and ``status`` are stored and
    indexed so queues and the sweep are plain range queries; the sweep moves
    them (green → yellow from ``yellow_on``, running → overdue after
    ``due_date``). ``needs_notice`` marks rows whose warnings and escalation
    the sweep has yet to send; ``escalation_level`` only rises (until an
    extension gives a new due date), so each level is reached once.
    """

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="deadlines"
    )
    rule = models.ForeignKey(
        "deadlines.TimeLimitRule", verbose_name=_("rule version"), on_delete=models.PROTECT, related_name="+"
    )
    step = models.CharField(_("step"), max_length=24, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handler"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    area_code = models.CharField(_("area code"), max_length=15, blank=True)
    supervises = models.ForeignKey(
        "self", verbose_name=_("supervises"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="supervisions",
    )
    started_at = models.DateTimeField(_("started at"))
    start_date = models.DateField(_("start date"))
    amount = models.PositiveSmallIntegerField(_("amount"))
    count_unit = models.CharField(_("unit"), max_length=16, choices=CountUnit.choices)
    paused_days = models.PositiveIntegerField(_("paused days"), default=0)
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    pause_reason = models.CharField(_("pause reason"), max_length=32, choices=PauseReason.choices, blank=True)
    extension_days = models.PositiveIntegerField(_("extension days"), default=0)
    due_date = models.DateField(_("due date"))
    yellow_on = models.DateField(_("warning from"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeadlineStatus.choices, default=DeadlineStatus.RUNNING
    )
    colour = models.CharField(_("colour"), max_length=8, choices=Colour.choices, default=Colour.GREEN)
    escalates = models.BooleanField(_("escalates"), default=True)
    escalation_level = models.PositiveSmallIntegerField(
        _("escalation level"), choices=EscalationLevel.choices, default=EscalationLevel.NONE
    )
    needs_notice = models.BooleanField(_("notice pending"), default=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    objects = DeadlineQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            # The red sweep and the 已超期 queue: status = … AND due_date < today.
            models.Index(fields=["status", "due_date"], name="deadline_status_due_idx"),
            # The yellow sweep and the 即将超期 queue: status = running AND colour = … AND yellow_on <= today.
            models.Index(fields=["status", "colour", "yellow_on"], name="deadline_status_colour_idx"),
            # Escalation climbing: status = overdue AND escalation_level < k AND due_date <= cutoff.
            models.Index(fields=["status", "escalation_level", "due_date"], name="deadline_escalation_idx"),
            models.Index(fields=["matter", "status"], name="deadline_matter_idx"),
            models.Index(fields=["needs_notice"], condition=Q(needs_notice=True), name="deadline_notice_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")), name="deadline_due_after_start"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeadlineStatus.PAUSED) | Q(paused_on__isnull=False),
                name="deadline_paused_has_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.step} → {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class SupervisionNotice(models.Model):
    """A 督办 record the sweep issues when an escalating step goes overdue.

    Issued by the system (no person signs it), once per overdue episode of
    ``deadline``; ``response`` is the supervision's own clock
    (rule ``supervision.report``) for the supervised unit to report.
    Notices a person issues by hand are the matters app's ``Supervision``.
    """

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE,
        related_name="system_supervisions",
    )
    deadline = models.ForeignKey(
        Deadline, verbose_name=_("overdue step"), on_delete=models.CASCADE, related_name="supervision_notices"
    )
    response = models.OneToOneField(
        Deadline, verbose_name=_("report deadline"), on_delete=models.CASCADE, related_name="notice"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("supervised unit"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("supervision notice (system)")
        verbose_name_plural = _("supervision notices (system)")

    def __str__(self) -> str:
        return f"督办 {self.matter_id} → {self.response.due_date}"
