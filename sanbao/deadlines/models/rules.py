from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.deadlines.choices import CountUnit, PauseReason
from sanbao.org.choices import Role


class TimeLimitRuleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)


class TimeLimitRule(models.Model):
    """One version of a statutory or local time limit for one step.

    Rules are data: ``key`` names the rule (``petition.handle``), ``version``
    counts its edits. Editing a rule (``actions.edit_rule``) writes a new row
    and makes it current; old versions stay, because each deadline keeps the
    version it was computed with, so a rule change never moves an existing
    deadline. At most one version of a key is current (database constraint).

    A clock starts when a matter transition carries ``clock=<key>`` (or, when
    the transition names none that fits, the matter arrives at the rule's
    ``step`` of its ``matter_kind``). A step clock (``stop_states`` empty)
    stops at the matter's next move; a spanning clock stops when the matter
    reaches one of ``stop_states`` or is no longer open. A clock pauses only
    for the reasons in ``pause_events``. At most one current rule governs a
    step of a kind (database constraint).
    """

    key = models.SlugField(_("rule key"), max_length=64)
    version = models.PositiveIntegerField(_("version"), default=1)
    is_current = models.BooleanField(_("current"), default=True)
    name = models.CharField(_("name"), max_length=100)
    matter_kind = models.CharField(_("matter kind"), max_length=32, blank=True)
    step = models.CharField(_("step governed"), max_length=64)
    start_event = models.CharField(_("start event"), max_length=64)
    stop_states = models.JSONField(_("stops at steps"), default=list, blank=True)
    amount = models.PositiveSmallIntegerField(
        _("amount"), validators=[MinValueValidator(1), MaxValueValidator(3650)]
    )
    unit = models.CharField(_("unit"), max_length=16, choices=CountUnit.choices)
    pause_events = models.JSONField(_("pause events"), default=list, blank=True)
    extension_cap = models.PositiveSmallIntegerField(_("extension cap (days)"), default=0)
    extension_approver_role = models.CharField(
        _("extension approved by"), max_length=32, choices=Role.choices, blank=True
    )
    warn_share = models.DecimalField(
        _("warn when this share of the time has passed"), max_digits=3, decimal_places=2,
        default=Decimal("0.80"), validators=[MinValueValidator(Decimal("0.05")), MaxValueValidator(Decimal("1"))],
    )
    warn_working_days = models.PositiveSmallIntegerField(
        _("warn when this many working days remain"), default=2
    )
    escalates = models.BooleanField(
        _("escalates"), default=True,
        help_text=_("Overdue steps are escalated and get a supervision notice (not for a party's window)."),
    )
    is_local_practice = models.BooleanField(
        _("local practice [U]"), default=False, help_text=_("Common practice, not fixed by a national text.")
    )
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)
    change_note = models.CharField(_("reason for the change"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    objects = TimeLimitRuleQuerySet.as_manager()

    class Meta:
        ordering = ["key", "-version"]
        verbose_name = _("time-limit rule")
        verbose_name_plural = _("time-limit rules")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="rule_key_version_unique"),
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(is_current=True), name="rule_one_current_version"
            ),
            models.UniqueConstraint(
                fields=["matter_kind", "step"], condition=models.Q(is_current=True) & ~models.Q(step=""),
                name="rule_one_current_per_step",
            ),
            models.CheckConstraint(condition=models.Q(unit__in=CountUnit.values), name="rule_unit_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    @property
    def step_label(self) -> str:
        """The governed step as the workflows name it (``—`` for a clock not tied to one step)."""
        from sanbao.matters.choices import MatterState

        return str(MatterState(self.step).label) if self.step in MatterState.values else self.step or "—"

    @property
    def kind_label(self) -> str:
        from sanbao.matters.choices import MatterKind

        return str(MatterKind(self.matter_kind).label) if self.matter_kind in MatterKind.values else "—"

    def allows_pause(self, reason: str) -> bool:
        return reason in self.pause_events

    def pause_labels(self) -> list[str]:
        known = [reason for reason in self.pause_events if reason in PauseReason.values]
        return [str(PauseReason(reason).label) for reason in known]
