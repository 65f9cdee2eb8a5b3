from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.matters.choices import (
    ExtensionStatus,
    FeedbackStage,
    FollowUpMethod,
    InstructionKind,
    MatterState,
    ReviewDecision,
    ReviewStage,
    Satisfaction,
    Verb,
)


class MatterEvent(models.Model):
    """One step on a matter's timeline, written by the verb that made it.

    This is the business timeline shown on the matter page (who, which unit,
    when, which verb, from/to step, changed fields, verb inputs). The audit
    trail (``sanbao.audit``) records the same verbs independently; a timeline
    row never stores unmasked personal data. ``note`` links a progress note.
    """

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="events"
    )
    time = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verb = models.CharField(_("operation"), max_length=24, choices=Verb.choices)
    from_state = models.CharField(_("from step"), max_length=24, choices=MatterState.choices, blank=True)
    to_state = models.CharField(_("to step"), max_length=24, choices=MatterState.choices, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    note = models.OneToOneField(
        "matters.MatterNote",
        verbose_name=_("note"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event",
    )

    class Meta:
        ordering = ["matter", "time", "id"]
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        indexes = [models.Index(fields=["matter", "time"], name="matter_event_time_idx")]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.verb}"

    @property
    def verb_label(self) -> str:
        """The verb as this kind's workflow names it from the step it started at."""
        return self.matter.workflow.verb_label(self.verb, self.from_state or None)

    @property
    def from_state_label(self) -> str:
        return self.matter.workflow.state_label(self.from_state) if self.from_state else ""

    @property
    def to_state_label(self) -> str:
        return self.matter.workflow.state_label(self.to_state) if self.to_state else ""


class MatterNote(models.Model):
    """A human progress note (进展记录) on a matter, kept apart from the audit trail."""

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("text"), max_length=4000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "created_at", "id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return self.text[:50]


class Feedback(models.Model):
    """What a unit reports back (反馈 / 答复 / 复查 or 复核 opinion), and the director's review of it.

    ``opinion`` holds the 处理意见书 result for petitions (支持/解释/不予支持)
    or the 复查/复核 outcome; ``decision`` is empty until reviewed.
    """

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="feedbacks"
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=FeedbackStage.choices, default=FeedbackStage.HANDLING
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    result = models.TextField(_("result"), max_length=4000)
    opinion = models.CharField(_("opinion"), max_length=24, blank=True)
    is_resolved = models.BooleanField(_("resolved"), default=True)
    decision = models.CharField(
        _("review decision"), max_length=8, choices=ReviewDecision.choices, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["matter", "submitted_at", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.stage}"


class FollowUp(models.Model):
    """A follow-up visit (回访) and the satisfaction it recorded; 不满意 reopens the matter."""

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    method = models.CharField(_("method"), max_length=16, choices=FollowUpMethod.choices)
    satisfaction = models.CharField(_("satisfaction"), max_length=24, choices=Satisfaction.choices)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.PROTECT, related_name="+"
    )
    visited_at = models.DateTimeField(_("visited at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "visited_at", "id"]
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.satisfaction}"


class ExtensionRequest(models.Model):
    """A handling unit's request for more time (延期申请), decided by the director.

    At most one request per matter is pending (a database constraint). The
    deadlines app reads approved requests to move the due date.
    """

    matter = models.ForeignKey(
        "matters.Matter",
        verbose_name=_("matter"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    days = models.PositiveIntegerField(_("days requested"))
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=16, choices=ExtensionStatus.choices, default=ExtensionStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        ordering = ["matter", "requested_at", "id"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["matter"],
                condition=Q(status=ExtensionStatus.PENDING),
                name="extension_one_pending_per_matter",
            ),
            models.CheckConstraint(condition=Q(days__gte=1), name="extension_days_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} +{self.days}"


class Supervision(models.Model):
    """A supervision notice (督办通知) with the new deadline it sets."""

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="supervisions"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("issuing unit"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    notice = models.TextField(_("notice"), max_length=2000)
    due_date = models.DateField(_("new deadline"))
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "issued_at", "id"]
        verbose_name = _("supervision notice")
        verbose_name_plural = _("supervision notices")

    def __str__(self) -> str:
        return f"{self.matter_id} → {self.due_date}"


class LeaderInstruction(models.Model):
    """A leader's written instruction (批示) or taking charge of a matter (包案)."""

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="instructions"
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("leader"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=InstructionKind.choices)
    text = models.TextField(_("text"), max_length=2000)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "created_at", "id"]
        verbose_name = _("leader instruction")
        verbose_name_plural = _("leader instructions")

    def __str__(self) -> str:
        return f"{self.matter_id} {self.kind}"


class ReviewRequest(models.Model):
    """A petitioner's request for 复查 (re-examination) or 复核 (second review) of a petition."""

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="review_requests"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=ReviewStage.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    reviewing_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("reviewing organ"), on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField(_("requested on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "registered_at", "id"]
        verbose_name = _("review request")
        verbose_name_plural = _("review requests")
        constraints = [
            models.UniqueConstraint(fields=["matter", "stage"], name="review_request_once_per_stage")
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} {self.stage}"
