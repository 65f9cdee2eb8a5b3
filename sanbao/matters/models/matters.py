from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.matters.choices import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AREA_SCOPE_ROLES,
    UNIT_SCOPE_ROLES,
    AssignmentRole,
    AssignmentStatus,
    LegalRoute,
    MatterKind,
    MatterState,
    MatterStatus,
    RiskLevel,
    Satisfaction,
    SourceChannel,
)
from sanbao.matters.models.parties import Party
from sanbao.matters.personal import redact
from sanbao.org.jurisdiction import JurisdictionQuerySet, code_within

NARRATIVE_MAX_LENGTH = 5000


def party_names(through: str = ""):
    """Prefetch of the parties' names and types: what a list needs to mask them in titles (one query).

    ``through`` reaches the matter from another model ("matter__" for deadlines or parties).
    """
    return Prefetch(f"{through}parties", queryset=Party.objects.only("id", "matter_id", "name", "party_type"))


class Tag(models.Model):
    """A free label on matters (a campaign, a project, a hotspot)."""

    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


class MatterCodeCounter(models.Model):
    """Last sequence number issued per code prefix (kind letters, township, year).

    Locked with SELECT … FOR UPDATE while a code is issued, so numbers are
    never issued twice; rows are never decremented, so codes are never reused.
    """

    prefix = models.CharField(_("prefix"), max_length=32, unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("matter code counter")
        verbose_name_plural = _("matter code counters")

    def __str__(self) -> str:
        return f"{self.prefix} #{self.last_number}"


class MatterQuerySet(JurisdictionQuerySet):
    """Matters scoped to a user.

    Clerks, directors, committee staff and leaders see matters whose area lies
    in their unit's subtree; handlers and mediators see matters their unit
    holds through an active assignment (county units hold township matters
    with no area relation, so this is not an area range).
    """

    jurisdiction_field = "area_code"

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False) or user.unit_id is None:
            return self.none()
        scope = Q(pk__in=[])
        if user.roles & AREA_SCOPE_ROLES:
            scope |= code_within("area_code", user.jurisdiction_prefix)
        if user.roles & UNIT_SCOPE_ROLES:
            scope |= Q(Exists(Assignment.objects.held_by(user.unit_id).filter(matter=OuterRef("pk"))))
        return self.filter(scope)

    def open(self):
        return self.filter(status=MatterStatus.OPEN)

    def with_party_names(self):
        """For lists that show titles (``Matter.listed_title``): the parties' names in one more query."""
        return self.prefetch_related(party_names())


class Matter(models.Model):
    """One thing the centre must get resolved: a dispute, petition, hazard, incident or enterprise request.

    Invariants: ``code`` is issued once by ``actions.intake.register_matter``
    and never changes or repeats (一案一码), even when the matter is
    transferred to another area. ``state`` is a step of the kind's workflow
    (``sanbao.matters.workflows``) and changes only through verbs, each of
    which bumps ``version`` (the API's ETag) and writes a ``MatterEvent``.
    ``area_code`` mirrors ``area.code`` for range filters by jurisdiction.
    ``lead_unit`` mirrors the unit of the active lead ``Assignment``.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=MatterKind.choices)
    title = models.CharField(_("title"), max_length=200)
    narrative = models.TextField(_("narrative"), max_length=NARRATIVE_MAX_LENGTH)
    category = models.ForeignKey(
        "matters.Category", verbose_name=_("category"), on_delete=models.PROTECT, related_name="matters"
    )
    risk_level = models.CharField(
        _("risk level"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.LOW
    )
    source_channel = models.CharField(_("source channel"), max_length=16, choices=SourceChannel.choices)
    received_at = models.DateTimeField(_("received at"))
    area = models.ForeignKey("org.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(_("area code"), max_length=15, editable=False)
    place = models.CharField(_("place"), max_length=200, blank=True)
    people_count = models.PositiveIntegerField(_("number of people"), default=1)
    owner_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible centre"),
        on_delete=models.PROTECT,
        related_name="owned_matters",
    )
    lead_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("lead unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_matters",
    )
    current_handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("current handler"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    leader_in_charge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader in charge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(_("step"), max_length=24, choices=MatterState.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=MatterStatus.choices, default=MatterStatus.OPEN
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="matters")
    repeat_count = models.PositiveIntegerField(_("repeat submissions"), default=0)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=24, choices=Satisfaction.choices, blank=True
    )
    legal_route = models.CharField(
        _("legal procedure"), max_length=32, choices=LegalRoute.choices, blank=True
    )
    legal_route_body = models.CharField(_("sent to"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        indexes = [
            models.Index(fields=["area_code", "id"], name="matter_area_idx"),
            models.Index(fields=["kind", "state"], name="matter_kind_state_idx"),
            models.Index(fields=["status", "area_code"], name="matter_status_area_idx"),
            models.Index(fields=["lead_unit", "state"], name="matter_lead_state_idx"),
            models.Index(fields=["received_at"], name="matter_received_idx"),
            models.Index(fields=["category", "id"], name="matter_category_idx"),
            models.Index(fields=["risk_level", "id"], name="matter_risk_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(people_count__gte=1), name="matter_people_count_positive"),
            models.CheckConstraint(
                condition=~Q(status=MatterStatus.CLOSED) | Q(closed_at__isnull=False),
                name="matter_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        # The code alone: this is what the audit trail stores as the object (object_repr), and it keeps no
        # free text, while titles may name people (lists show ``listed_title``).
        return self.code

    @property
    def workflow(self):
        from sanbao.matters.workflows import workflow_for

        return workflow_for(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status == MatterStatus.OPEN

    def state_label(self) -> str:
        return self.workflow.state_label(self.state)

    def person_names(self) -> list[str]:
        """Names of the matter's people (organisations' names are public); read from a prefetch if there is one."""
        return [party.name for party in self.parties.all() if party.is_person]

    @property
    def listed_title(self) -> str:
        """The title as lists, search results and candidates show it: ID and phone numbers and the names
        of the matter's people masked (``personal.redact``). The matter's own page shows it as written."""
        return redact(self.title, self.person_names())

    def allowed_verbs(self) -> list[str]:
        """Transition verbs the workflow offers from the current state (whoever the user is)."""
        return self.workflow.verbs_from(self.state)

    def clean(self) -> None:
        """Cross-field rules shared by the intake form, the API serializer and the register verb."""
        errors = {}
        if self.category_id and self.kind and self.category.scheme.kind != self.kind:
            errors["category"] = _("This category belongs to another kind of matter.")
        if self.received_at and self.received_at > timezone.now() + timedelta(minutes=5):
            errors["received_at"] = _("The received time cannot be in the future.")
        if self.area_id and self.area.valid_to is not None:
            errors["area"] = _("This area code has been retired; choose the current one.")
        if self.narrative and len(self.narrative) > NARRATIVE_MAX_LENGTH:
            errors["narrative"] = _("At most %(count)d characters.") % {"count": NARRATIVE_MAX_LENGTH}
        if self.people_count is not None and self.people_count < 1:
            errors["people_count"] = _("At least one person is involved.")
        if errors:
            raise ValidationError(errors)


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)

    def held_by(self, unit_id):
        return self.active().filter(unit_id=unit_id)


class Assignment(models.Model):
    """A unit's share of a matter: the lead unit (牵头) or a co-unit (协办).

    Created by ``assign``/``reassign``; a unit sees and acts on the matter
    while the assignment is pending, signed or completed. At most one active
    lead assignment exists per matter (a database constraint).
    """

    matter = models.ForeignKey(
        Matter, verbose_name=_("matter"), on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    instructions = models.TextField(_("instructions"), blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    end_reason = models.TextField(_("reason"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["matter", "id"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [models.Index(fields=["unit", "status"], name="assignment_unit_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["matter"],
                condition=Q(role=AssignmentRole.LEAD, status__in=ACTIVE_ASSIGNMENT_STATUSES),
                name="assignment_one_active_lead",
            ),
            models.UniqueConstraint(
                fields=["matter", "unit"],
                condition=Q(status__in=ACTIVE_ASSIGNMENT_STATUSES),
                name="assignment_one_active_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.matter_id} → {self.unit_id} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ASSIGNMENT_STATUSES
