"""Assignment verbs: assign (交办), sign for (签收), send back (退单), reassign (改派), transfer (转办)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed
from sanbao.matters import events, policy
from sanbao.matters.actions.common import (
    audit_denials,
    begin_transition,
    check_text,
    finish_transition,
    instance_or_none,
    lock_matter,
    record,
)
from sanbao.matters.choices import AssignmentRole, AssignmentStatus, Verb
from sanbao.matters.models import Assignment, Matter
from sanbao.org.choices import UnitType
from sanbao.org.models import Area, Unit


def _units(actor, matter: Matter, lead_unit, co_units) -> tuple[Unit, list[Unit]]:
    lead = policy.check_assignable(actor, matter, _unit(lead_unit, "lead_unit"), "lead_unit")
    co = []
    for unit in co_units or []:
        unit = policy.check_assignable(actor, matter, _unit(unit, "co_units"), "co_units")
        if unit.pk != lead.pk and unit not in co:
            co.append(unit)
    return lead, co


def _unit(value, field: str) -> Unit:
    unit = instance_or_none(Unit, value)
    if unit is None:
        raise ValidationFailed(_("Choose a unit."), code="required", field=field)
    return unit


def _create_assignments(locked: Matter, lead: Unit, co: list[Unit], *, actor, instructions: str) -> None:
    now = timezone.now()
    rows = [Assignment(matter=locked, unit=lead, role=AssignmentRole.LEAD)]
    rows += [Assignment(matter=locked, unit=unit, role=AssignmentRole.CO) for unit in co]
    for row in rows:
        row.assigned_by, row.assigned_at, row.instructions = actor, now, instructions
    Assignment.objects.bulk_create(rows)
    locked.lead_unit, locked.current_handler = lead, None


def _end_assignments(
    locked: Matter, status: str, reason: str, roles=(AssignmentRole.LEAD, AssignmentRole.CO)
):
    """End the matter's active assignments (withdrawn on reassignment or transfer)."""
    return (
        locked.assignments.active()
        .filter(role__in=roles)
        .update(status=status, ended_at=timezone.now(), end_reason=reason)
    )


def _assignment_data(lead: Unit, co: list[Unit], instructions: str) -> dict:
    return {
        "lead_unit": lead.name,
        "lead_unit_id": lead.pk,
        "co_units": [unit.name for unit in co],
        "co_unit_ids": [unit.pk for unit in co],
        "instructions": instructions,
    }


@audit_denials
def assign_matter(
    matter: Matter,
    *,
    actor,
    lead_unit,
    co_units=(),
    instructions: str = "",
    expected_version: int | None = None,
) -> Matter:
    """交办: give the matter to a lead unit and co-units (director of the matter's area).

    Locks the matter: of two directors assigning at once, the second sees the
    matter already assigned (``Conflict`` when it passed the version it read,
    ``InvalidTransition`` otherwise). Audited as ``matters.assigned``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"lead_unit": lead_unit}
        transition = begin_transition(locked, Verb.ASSIGN, actor=actor, inputs=inputs)
        lead, co = _units(actor, locked, lead_unit, co_units)
        before = locked.lead_unit_id
        _create_assignments(locked, lead, co, actor=actor, instructions=instructions.strip())
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.ASSIGNED,
            fields=["lead_unit", "current_handler"],
            changes={"lead_unit": [before, lead.pk]},
            data=_assignment_data(lead, co, instructions.strip()),
        )
    return locked


@audit_denials
def reassign_matter(
    matter: Matter,
    *,
    actor,
    lead_unit,
    co_units=(),
    instructions: str = "",
    reason: str = "",
    expected_version: int | None = None,
) -> Matter:
    """改派: withdraw the current assignments and give the matter to another lead unit (director).

    Used after a 退单 or to correct a dispatch. Audited as ``matters.reassigned``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"lead_unit": lead_unit}
        transition = begin_transition(locked, Verb.REASSIGN, actor=actor, inputs=inputs)
        lead, co = _units(actor, locked, lead_unit, co_units)
        before = locked.lead_unit_id
        _end_assignments(locked, AssignmentStatus.WITHDRAWN, reason.strip())
        _create_assignments(locked, lead, co, actor=actor, instructions=instructions.strip())
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.REASSIGNED,
            fields=["lead_unit", "current_handler"],
            changes={"lead_unit": [before, lead.pk]},
            data={**_assignment_data(lead, co, instructions.strip()), "reason": reason.strip()},
        )
    return locked


@audit_denials
def sign_assignment(matter: Matter, *, actor, expected_version: int | None = None) -> Matter:
    """签收: the actor's unit signs for its assignment.

    The lead unit's signature moves the matter to handling and makes the
    signer the current handler; a co-unit or reviewing organ signs for its
    own share without moving the matter. Audited as ``matters.signed``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        own = policy.unit_assignment(locked, actor)
        if own is not None and own.role != AssignmentRole.LEAD and policy.may_sign_co(actor, locked):
            _sign(own, actor)
            record(
                locked,
                Verb.SIGN,
                actor=actor,
                audit_code=events.SIGNED,
                data={"unit": own.unit.name, "unit_id": own.unit_id, "role": own.role},
            )
            return locked
        transition = begin_transition(locked, Verb.SIGN, actor=actor, inputs={})
        lead = policy.lead_assignment(locked)
        _sign(lead, actor)
        locked.current_handler = actor
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs={},
            audit_code=events.SIGNED,
            fields=["current_handler"],
            changes={"current_handler": [None, actor.pk]},
            data={"unit": lead.unit.name, "unit_id": lead.unit_id, "role": lead.role},
        )
    return locked


def _sign(assignment: Assignment, actor) -> None:
    assignment.status, assignment.signed_by, assignment.signed_at = (
        AssignmentStatus.SIGNED,
        actor,
        timezone.now(),
    )
    assignment.save(update_fields=["status", "signed_by", "signed_at"])


@audit_denials
def send_back_assignment(
    matter: Matter, *, actor, reason: str, expected_version: int | None = None
) -> Matter:
    """退单: the assigned unit returns a mis-assignment with its reason, for the director to reassign (改派).

    A lead unit's send-back moves the matter to "sent back"; a co-unit's
    only ends its own share. Audited as ``matters.sent_back``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        own = policy.unit_assignment(locked, actor)
        if own is not None and own.role != AssignmentRole.LEAD and policy.may_sign_co(actor, locked):
            reason = check_text(reason, "reason", 2000)
            _end(own, reason)
            record(
                locked,
                Verb.SEND_BACK,
                actor=actor,
                audit_code=events.SENT_BACK,
                data={"unit": own.unit.name, "unit_id": own.unit_id, "role": own.role, "reason": reason},
            )
            return locked
        inputs = {"reason": (reason or "").strip()}
        transition = begin_transition(locked, Verb.SEND_BACK, actor=actor, inputs=inputs)
        inputs["reason"] = check_text(reason, "reason", 2000)
        lead = policy.lead_assignment(locked)
        _end(lead, inputs["reason"])
        before = locked.lead_unit_id
        locked.lead_unit, locked.current_handler = None, None
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.SENT_BACK,
            fields=["lead_unit", "current_handler"],
            changes={"lead_unit": [before, None]},
            data={
                "unit": lead.unit.name,
                "unit_id": lead.unit_id,
                "role": lead.role,
                "reason": inputs["reason"],
            },
        )
    return locked


def _end(assignment: Assignment, reason: str) -> None:
    assignment.status, assignment.ended_at, assignment.end_reason = (
        AssignmentStatus.SENT_BACK,
        timezone.now(),
        reason,
    )
    assignment.save(update_fields=["status", "ended_at", "end_reason"])


def _receiving_centre(area: Area) -> Unit:
    """The governance centre of the township (or county) the area belongs to."""
    candidates = [area.code[:9].ljust(12, "0"), area.code[:6].ljust(12, "0")]
    for code in candidates:
        centre = Unit.objects.filter(area__code=code, unit_type=UnitType.CENTRE, is_active=True).first()
        if centre is not None:
            return centre
    raise ValidationFailed(_("No governance centre serves this area."), code="no_centre", field="area")


@audit_denials
def transfer_matter(
    matter: Matter, *, actor, area, reason: str, expected_version: int | None = None
) -> Matter:
    """转办: hand the matter to the centre of another area (director of the current area).

    The code stays (一案一码); the matter moves to the new area, its centre
    becomes responsible, current assignments are withdrawn and it starts
    again at intake there. Audited as ``matters.transferred``.
    """
    if not isinstance(area, Area):
        area = Area.objects.current().filter(code=area).first()
        if area is None:
            raise ValidationFailed(_("Choose an existing area."), code="invalid_choice", field="area")
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"area": area.code, "reason": (reason or "").strip()}
        transition = begin_transition(locked, Verb.TRANSFER, actor=actor, inputs=inputs)
        inputs["reason"] = check_text(reason, "reason", 2000)
        centre = _receiving_centre(area)
        if centre.pk == locked.owner_unit_id:
            raise ValidationFailed(
                _("The matter is already with this centre."), code="same_centre", field="area"
            )
        before = {
            "area": locked.area_code,
            "owner_unit": locked.owner_unit_id,
            "lead_unit": locked.lead_unit_id,
        }
        _end_assignments(
            locked,
            AssignmentStatus.WITHDRAWN,
            inputs["reason"],
            roles=(AssignmentRole.LEAD, AssignmentRole.CO, AssignmentRole.REVIEW),
        )
        locked.area, locked.area_code, locked.owner_unit = area, area.code, centre
        locked.lead_unit, locked.current_handler = None, None
        after = {"area": area.code, "owner_unit": centre.pk, "lead_unit": None}
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.TRANSFERRED,
            fields=["area", "area_code", "owner_unit", "lead_unit", "current_handler"],
            changes={name: [before[name], after[name]] for name in before},
            data={"to_centre": centre.name, "to_area": area.code, "reason": inputs["reason"]},
        )
    return locked
