"""Models of the intake app: duplicate candidates and decisions, early-warning clusters.

The full-text index is plain SQL (``sanbao.intake.search``); the triage
models are files (``sanbao.intake.triage.site``). What is here:

* ``MinHashBand``: the locality-sensitive index of matter texts (one row per
  band of a matter's MinHash signature), for duplicate candidates in a few
  milliseconds at a million matters.
* ``DuplicateLink``: a clerk's decision about two matters — a repeat
  submission (重复件) merged into an earlier matter, a related matter, or a
  dismissed candidate. Never deleted: undoing a merge sets ``undone_at``.
* ``EarlyWarning``: a cluster of related matters from several people
  (同一小区、企业、村…) raised by the periodic recomputation, with its level,
  members and reasons, assignable to a unit like a matter.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.intake.choices import DuplicateKind, WarningLevel, WarningStatus
from sanbao.org.jurisdiction import JurisdictionQuerySet


class MinHashBand(models.Model):
    """One LSH band of one matter's text signature (``dedupe.band_keys``).

    Rewritten by ``index.index_matter`` whenever the title or narrative may
    have changed; matters sharing any band key are duplicate candidates.
    """

    pk = models.CompositePrimaryKey("key", "matter")
    key = models.BigIntegerField(_("band key"))
    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="+", db_index=True
    )

    class Meta:
        verbose_name = _("text signature band")
        verbose_name_plural = _("text signature bands")

    def __str__(self) -> str:
        return f"{self.matter_id}:{self.key}"


class DuplicateLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(undone_at__isnull=True)

    def repeats(self):
        return self.active().filter(kind=DuplicateKind.REPEAT)

    def touching(self, matter):
        return self.filter(Q(submission=matter) | Q(original=matter))


class DuplicateLink(models.Model):
    """A decision about two matters: ``submission`` is a repeat of, related to, or not a duplicate of ``original``.

    Invariants: a submission is merged (``repeat``) into at most one original
    at a time (a partial unique constraint), and never into itself. A merge
    adds one to ``original.repeat_count``; undoing it (``undone_at``) takes it
    back. Rows are never deleted, so every decision and its reversal stay on
    record beside the audit trail.
    """

    submission = models.ForeignKey(
        "matters.Matter", verbose_name=_("submission"), on_delete=models.PROTECT, related_name="duplicate_links"
    )
    original = models.ForeignKey(
        "matters.Matter", verbose_name=_("earlier matter"), on_delete=models.PROTECT, related_name="repeat_links"
    )
    kind = models.CharField(_("decision"), max_length=16, choices=DuplicateKind.choices)
    similarity = models.FloatField(_("similarity"), default=0)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)

    objects = DuplicateLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = _("duplicate decision")
        verbose_name_plural = _("duplicate decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=Q(kind=DuplicateKind.REPEAT, undone_at__isnull=True),
                name="duplicate_one_active_merge",
            ),
            models.UniqueConstraint(
                fields=["submission", "original"],
                condition=Q(undone_at__isnull=True),
                name="duplicate_one_active_decision_per_pair",
            ),
            models.CheckConstraint(condition=~Q(submission=models.F("original")), name="duplicate_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.submission_id} {self.kind} {self.original_id}"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None


class EarlyWarningQuerySet(JurisdictionQuerySet):
    """Warnings scoped by the area of the centre whose matters raised them."""

    jurisdiction_field = "area_code"

    def open(self):
        return self.filter(status__in=[WarningStatus.OPEN, WarningStatus.ASSIGNED])


class EarlyWarning(models.Model):
    """A cluster of related matters from several people: one site, one window (预警).

    Raised and refreshed by ``early_warning.recompute_warnings`` (a periodic task);
    ``signature`` (area + site key) identifies the same cluster across runs,
    so a refresh updates the members, level and reasons instead of raising a
    second warning. Closed warnings are never reopened by a refresh: a new
    wave at the same site raises a new warning.
    """

    signature = models.CharField(_("signature"), max_length=200)
    area_code = models.CharField(_("area code"), max_length=15)
    site = models.CharField(_("site"), max_length=200)
    label = models.CharField(_("label"), max_length=300)
    level = models.CharField(_("level"), max_length=8, choices=WarningLevel.choices)
    why = models.TextField(_("why"))
    people_count = models.PositiveIntegerField(_("people"), default=0)
    matter_count = models.PositiveIntegerField(_("matters"), default=0)
    risk_words = models.JSONField(_("risk words"), default=list, blank=True)
    score = models.FloatField(_("concern"), default=0)
    first_at = models.DateTimeField(_("first received"), null=True, blank=True)
    last_at = models.DateTimeField(_("last received"), null=True, blank=True)
    matters = models.ManyToManyField("matters.Matter", verbose_name=_("matters"), related_name="early_warnings")
    status = models.CharField(_("status"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.OPEN)
    assigned_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("assigned to"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    closed_note = models.TextField(_("closing note"), blank=True)
    created_at = models.DateTimeField(_("raised at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = EarlyWarningQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "-id"]
        verbose_name = _("early warning")
        verbose_name_plural = _("early warnings")
        indexes = [models.Index(fields=["status", "area_code"], name="warning_status_area_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["signature"],
                condition=Q(status__in=[WarningStatus.OPEN, WarningStatus.ASSIGNED]),
                name="warning_one_open_per_signature",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def is_open(self) -> bool:
        return self.status in (WarningStatus.OPEN, WarningStatus.ASSIGNED)
