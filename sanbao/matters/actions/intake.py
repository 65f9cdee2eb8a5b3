"""Intake verbs: register a matter, correct its details, accept or refuse it."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.intake.search import index_matter
from sanbao.matters import clocks, events, policy
from sanbao.matters.actions.common import (
    as_validation_failed,
    audit_denials,
    begin_transition,
    check_choice,
    check_text,
    finish_transition,
    lock_matter,
    record,
)
from sanbao.matters.actions.parties import build_parties, store_attachments
from sanbao.matters.attachments import check_files
from sanbao.matters.choices import (
    KIND_CODE_LETTERS,
    AttachmentPurpose,
    MatterKind,
    MatterStatus,
    RiskLevel,
    SourceChannel,
    Verb,
)
from sanbao.matters.models import Category, Matter, MatterCodeCounter, MatterEvent, Tag
from sanbao.matters.workflows import workflow_for

# Set by the verbs themselves, never from input.
READ_ONLY_FIELDS = ("code", "owner_unit", "created_by", "area_code", "state", "status", "version")
# Registration details the centre may correct later (PATCH); kind, area and code are not among them.
EDITABLE_FIELDS = (
    "title",
    "narrative",
    "category",
    "risk_level",
    "source_channel",
    "received_at",
    "place",
    "people_count",
)


def issue_code(kind: str, area_code: str, year: int) -> str:
    """The next code for ``kind`` in the township of ``area_code`` and ``year``: JF-360921101-2026-000123.

    The counter row is locked for the rest of the caller's transaction, so
    two registrations never get the same number, and numbers are never reused.
    """
    prefix = f"{KIND_CODE_LETTERS[kind]}-{area_code[:9]}-{year}"
    counter, _ = MatterCodeCounter.objects.get_or_create(prefix=prefix)
    MatterCodeCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    number = (
        MatterCodeCounter.objects.select_for_update().values_list("last_number", flat=True).get(pk=counter.pk)
    )
    return f"{prefix}-{number:06d}"


def _category(value, kind: str) -> Category:
    # Re-read: a category object the caller holds may carry a stale scheme.
    try:
        category = Category.objects.select_related("scheme").filter(pk=getattr(value, "pk", value)).first()
    except (TypeError, ValueError):
        category = None
    if category is None or not category.is_active or not category.scheme.is_current:
        raise ValidationFailed(
            _("Choose a category from the current list."), code="invalid_choice", field="category"
        )
    if category.scheme.kind != kind:
        raise ValidationFailed(
            _("This category belongs to another kind of matter."), code="invalid_choice", field="category"
        )
    return category


def _tags(names) -> list[Tag]:
    names = sorted({name.strip()[:50] for name in names or [] if name and name.strip()})
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


def validate_matter(matter: Matter) -> None:
    """Field validators and ``Matter.clean`` (the rules forms and serializers share).

    Category and area were loaded and checked by the verb, and the database
    enforces the check constraints, so neither is queried again here: this
    runs on every registration, including the demo's thousands.
    """
    matter.clean_fields(exclude=[*READ_ONLY_FIELDS, "category", "area"])
    matter.clean()


def _new_matter(
    *,
    actor,
    kind,
    title,
    narrative,
    category,
    source_channel,
    received_at,
    area,
    place,
    people_count,
    risk_level,
) -> Matter:
    """Build and validate an unsaved matter: field validators plus ``Matter.clean`` (the shared rules)."""
    matter = Matter(
        kind=check_choice(kind, MatterKind, "kind"),
        title=(title or "").strip(),
        narrative=(narrative or "").strip(),
        category=_category(category, kind),
        source_channel=source_channel,
        received_at=received_at,
        area=area,
        area_code=area.code if area else "",
        place=(place or "").strip(),
        people_count=people_count,
        risk_level=risk_level or RiskLevel.LOW,
        owner_unit_id=actor.unit_id,
        created_by=actor,
        state=workflow_for(kind).initial,
        status=MatterStatus.OPEN,
    )
    try:
        validate_matter(matter)
    except ValidationError as error:
        raise as_validation_failed(error) from None
    return matter


@audit_denials
def register_matter(
    *,
    actor,
    kind: str,
    title: str,
    narrative: str,
    category,
    source_channel: str,
    area,
    received_at: datetime | None = None,
    place: str = "",
    people_count: int = 1,
    risk_level: str = RiskLevel.LOW,
    tags=(),
    parties=(),
    attachments=(),
) -> Matter:
    """Register a new matter (登记) with its parties and intake files; issue its code (一案一码).

    Clerks and directors register matters in their centre's area; the
    registering unit becomes the responsible centre. Everything is validated
    before anything is written. Audited as ``matters.registered``.
    """
    workflow = workflow_for(check_choice(kind, MatterKind, "kind"))
    if not actor.roles & workflow.register.roles or actor.unit_id is None:
        raise PermissionDenied(
            _("Only intake clerks and centre directors register matters."), code="role_required"
        )
    if area is None:
        raise ValidationFailed(_("This field is required."), code="required", field="area")
    policy.check_area_registrable(actor, area)
    check_choice(source_channel, SourceChannel, "source_channel")
    check_choice(risk_level or RiskLevel.LOW, RiskLevel, "risk_level")
    matter = _new_matter(
        actor=actor,
        kind=kind,
        title=title,
        narrative=narrative,
        category=category,
        source_channel=source_channel,
        received_at=received_at or timezone.now(),
        area=area,
        place=place,
        people_count=people_count,
        risk_level=risk_level,
    )
    party_rows = build_parties(parties)
    checked = check_files(attachments)
    with transaction.atomic():
        matter.code = issue_code(kind, area.code, timezone.localdate().year)
        matter.save()
        matter.tags.set(_tags(tags))
        for party in party_rows:
            party.matter = matter
        matter.parties.bulk_create(party_rows)
        store_attachments(matter, checked, actor=actor, purpose=AttachmentPurpose.INTAKE)
        _record_registration(matter, actor=actor, parties=len(party_rows), files=len(checked))
        clocks.on_transition(matter, workflow.register, actor)
    return matter


def _record_registration(matter: Matter, *, actor, parties: int, files: int) -> None:
    summary = {
        "code": matter.code,
        "kind": matter.kind,
        "state": matter.state,
        "area": matter.area_code,
        "category": matter.category_id,
        "risk_level": matter.risk_level,
        "source_channel": matter.source_channel,
        "parties": parties,
        "attachments": files,
    }
    MatterEvent.objects.create(
        matter=matter,
        time=matter.created_at,
        actor=actor,
        actor_unit_id=actor.unit_id,
        verb=Verb.REGISTER,
        to_state=matter.state,
        data=summary,
    )
    index_matter(matter)
    record_event(events.REGISTERED, actor=actor, target=matter, area_code=matter.area_code, after=summary)


@audit_denials
def update_matter(
    matter: Matter, *, actor, changes: dict, tags=None, expected_version: int | None = None
) -> Matter:
    """Correct registration details of an open matter (clerk or director of its area).

    Only ``EDITABLE_FIELDS`` and tags; the same validation as registration.
    Audited as ``matters.updated`` with old and new values of changed fields.
    """
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(_("This field cannot be changed here."), code="read_only", field=field)
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        if not policy.may_edit(actor, locked):
            raise PermissionDenied(_("You may not change this matter."), code="not_allowed")
        _check_free_text_readable(actor, locked, changes)
        diff = _apply_changes(locked, changes)
        tag_diff = _apply_tags(locked, tags)
        if not diff and not tag_diff:
            return locked
        record(
            locked,
            Verb.UPDATE,
            actor=actor,
            audit_code=events.UPDATED,
            fields=[f for f in diff if f != "tags"],
            changes={**diff, **tag_diff},
        )
    return locked


def _check_free_text_readable(actor, locked: Matter, changes: dict) -> None:
    """An overseer sees the title and narrative masked: a correction written over that copy would turn the
    names into stars for good, so only those who read the text as written may correct it."""
    masked = [name for name in ("title", "narrative") if name in changes]
    if masked and not policy.can_reveal(actor, locked):
        raise PermissionDenied(
            _("Only those handling the matter, who read its text as written, may correct the %(field)s.")
            % {"field": Matter._meta.get_field(masked[0]).verbose_name},
            code="not_allowed",
            field=masked[0],
        )


def _apply_changes(locked: Matter, changes: dict) -> dict:
    diff = {}
    for name, value in changes.items():
        if name == "category":
            value = _category(value, locked.kind)
        if name in ("risk_level", "source_channel"):
            check_choice(value, RiskLevel if name == "risk_level" else SourceChannel, name)
        before = getattr(locked, f"{name}_id" if name == "category" else name)
        setattr(locked, name, value)
        after = getattr(locked, f"{name}_id" if name == "category" else name)
        if before != after:
            diff[name] = [_json(before), _json(after)]
    try:
        validate_matter(locked)
    except ValidationError as error:
        raise as_validation_failed(error) from None
    return diff


def _apply_tags(locked: Matter, tags) -> dict:
    if tags is None:
        return {}
    before = sorted(locked.tags.values_list("name", flat=True))
    new_tags = _tags(tags)
    after = sorted(tag.name for tag in new_tags)
    if before == after:
        return {}
    locked.tags.set(new_tags)
    return {"tags": [before, after]}


def _json(value):
    return value.isoformat() if isinstance(value, datetime) else value


@audit_denials
def accept_matter(matter: Matter, *, actor, comment: str = "", expected_version: int | None = None) -> Matter:
    """受理: accept a petition (or start first mediation of a dispute). Audited as ``matters.accepted``."""
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"comment": comment}
        transition = begin_transition(locked, Verb.ACCEPT, actor=actor, inputs=inputs)
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.ACCEPTED,
            data={"comment": comment} if comment else {},
        )
    return locked


@audit_denials
def refuse_matter(matter: Matter, *, actor, reason: str, expected_version: int | None = None) -> Matter:
    """不予受理: refuse with the reason given to the person (告知). Audited as ``matters.refused``."""
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"reason": (reason or "").strip()}
        transition = begin_transition(locked, Verb.REFUSE, actor=actor, inputs=inputs)
        inputs["reason"] = check_text(reason, "reason", 2000)
        finish_transition(
            locked, transition, actor=actor, inputs=inputs, audit_code=events.REFUSED, data=inputs
        )
    return locked
