"""Who may do what to a matter, who may be assigned it, and who may see its parties unmasked.

Verbs call the ``check_*`` functions (which raise ``PermissionDenied`` or
``ValidationFailed``); views and the API call ``available_verbs`` to offer
only the operations the user may take now. Loading a matter for a user goes
through ``access_matter`` (404 for missing and out of scope, the latter
audited).
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.matters.choices import (
    AREA_SCOPE_ROLES,
    UNIT_SCOPE_ROLES,
    AssignmentRole,
    AssignmentStatus,
    Verb,
)
from sanbao.matters.models import Assignment, Matter
from sanbao.matters.workflows import AREA, LEAD_UNIT, REVIEWING_UNIT, Transition
from sanbao.org.choices import Role, UnitType
from sanbao.org.jurisdiction import access_object, code_within
from sanbao.org.models import Unit

# Operations that do not move the matter: who may perform them (roles) and on which relation.
ACTIVITY_ROLES = {
    Verb.NOTE: AREA_SCOPE_ROLES | UNIT_SCOPE_ROLES,
    Verb.EXTENSION_REQUEST: frozenset({Role.HANDLER, Role.MEDIATOR}),
    Verb.EXTENSION_DECIDE: frozenset({Role.DIRECTOR}),
    Verb.SUPERVISE: frozenset({Role.COMMITTEE, Role.DIRECTOR, Role.LEADER}),
    Verb.INSTRUCT: frozenset({Role.LEADER}),
    Verb.TAKE_CHARGE: frozenset({Role.LEADER}),
}
EDIT_ROLES = frozenset({Role.CLERK, Role.DIRECTOR})
# Oversight units are not handling units: they supervise instead of being assigned.
NOT_ASSIGNABLE_TYPES = (UnitType.COMMITTEE,)


def access_matter(user, code: str, queryset=None) -> Matter:
    """The one entry point for loading a matter for ``user`` by its code.

    Missing and out-of-scope both raise ``Http404``; out of scope is audited.
    """
    return access_object(user, queryset if queryset is not None else Matter.objects.all(), code=code)


def in_area_scope(user, matter: Matter) -> bool:
    """An area role whose jurisdiction covers the matter's area."""
    prefix = user.jurisdiction_prefix
    return bool(user.roles & AREA_SCOPE_ROLES) and bool(prefix) and matter.area_code.startswith(prefix)


def active_assignments(matter: Matter) -> list[Assignment]:
    """The matter's active assignments; uses ``prefetch_related("assignments")`` when the caller did it."""
    prefetched = getattr(matter, "_prefetched_objects_cache", {}).get("assignments")
    if prefetched is not None:
        return [assignment for assignment in prefetched if assignment.is_active]
    return list(matter.assignments.active())


def lead_assignment(matter: Matter) -> Assignment | None:
    return next((a for a in active_assignments(matter) if a.role == AssignmentRole.LEAD), None)


def unit_assignment(matter: Matter, user) -> Assignment | None:
    """The active assignment of ``user``'s unit on the matter, if any."""
    if user.unit_id is None:
        return None
    return next((a for a in active_assignments(matter) if a.unit_id == user.unit_id), None)


def holds_lead(user, matter: Matter, status: str | None = None) -> bool:
    lead = lead_assignment(matter)
    return lead is not None and lead.unit_id == user.unit_id and (status is None or lead.status == status)


def _relation_holds(user, matter: Matter, transition: Transition) -> bool:
    if transition.performed_by == LEAD_UNIT:
        wanted = AssignmentStatus.PENDING if transition.verb in (Verb.SIGN, Verb.SEND_BACK) else None
        return holds_lead(user, matter, wanted)
    if transition.performed_by == REVIEWING_UNIT:
        review = matter.review_requests.order_by("-registered_at", "-id").first()
        return review is not None and review.reviewing_unit_id == user.unit_id
    return transition.performed_by == AREA and in_area_scope(user, matter)


def may_transition(user, matter: Matter, transition: Transition) -> bool:
    return bool(user.roles & transition.roles) and _relation_holds(user, matter, transition)


def check_transition(user, matter: Matter, transition: Transition) -> None:
    """Raise ``PermissionDenied`` unless ``user`` may take ``transition`` on ``matter`` now."""
    if not user.roles & transition.roles:
        roles = "、".join(str(Role(role).label) for role in sorted(transition.roles))
        raise PermissionDenied(
            _("Only %(roles)s may do “%(verb)s”.") % {"roles": roles, "verb": transition.display},
            code="role_required",
        )
    if not _relation_holds(user, matter, transition):
        raise PermissionDenied(_relation_message(transition), code="not_responsible")


def _relation_message(transition: Transition) -> str:
    if transition.performed_by == LEAD_UNIT:
        return _("Only the lead unit holding this assignment may do “%(verb)s”.") % {
            "verb": transition.display
        }
    if transition.performed_by == REVIEWING_UNIT:
        return _("Only the organ named for this review may record its opinion.")
    return _("This matter lies outside your area.")


def may_act(user, matter: Matter, verb: str) -> bool:
    """Whether ``user`` may perform a non-moving operation (note, extension, supervision…) now."""
    if not user.roles & ACTIVITY_ROLES[verb]:
        return False
    if verb == Verb.NOTE:
        return in_area_scope(user, matter) or unit_assignment(matter, user) is not None
    if not matter.is_open:
        return False
    if verb == Verb.EXTENSION_REQUEST:
        return holds_lead(user, matter, AssignmentStatus.SIGNED)
    return in_area_scope(user, matter)


def check_act(user, matter: Matter, verb: str) -> None:
    if not may_act(user, matter, verb):
        if matter.is_open or verb == Verb.NOTE:
            message = _("You may not do “%(verb)s” on this matter.") % {"verb": Verb(verb).label}
        else:
            message = _("The matter is no longer open.")
        raise PermissionDenied(message, code="not_allowed")


def may_edit(user, matter: Matter) -> bool:
    """Registration details (title, narrative, category…) are corrected by the centre while open."""
    return matter.is_open and bool(user.roles & EDIT_ROLES) and in_area_scope(user, matter)


def may_sign_co(user, matter: Matter) -> bool:
    """A co-unit or reviewing organ signs its own pending assignment (the matter does not move)."""
    assignment = unit_assignment(matter, user)
    return (
        assignment is not None
        and assignment.role != AssignmentRole.LEAD
        and assignment.status == AssignmentStatus.PENDING
        and bool(user.roles & UNIT_SCOPE_ROLES)
    )


def available_verbs(user, matter: Matter) -> list[str]:
    """The operations ``user`` may take on ``matter`` now: what the matter page offers."""
    workflow = matter.workflow
    verbs = [
        transition.verb
        for transition in workflow.transitions
        if matter.state in transition.sources and may_transition(user, matter, transition)
    ]
    if may_sign_co(user, matter):
        # A co-unit signs for its share or sends it back; the matter itself does not move.
        verbs += [Verb.SIGN, Verb.SEND_BACK]
    verbs += [verb for verb in ACTIVITY_ROLES if may_act(user, matter, verb)]
    return list(dict.fromkeys(verbs))


def assignable_units(user, matter: Matter):
    """Units ``user`` may assign ``matter`` to.

    Units within the user's own area subtree, plus the units of the matter's
    township and county (county departments take township matters although
    they are above the township in the area tree). Oversight units are excluded.
    """
    code = matter.area_code
    above = {code[:9].ljust(12, "0"), code[:6].ljust(12, "0")}
    scope = code_within("area__code", user.jurisdiction_prefix) | Q(area__code__in=above)
    return Unit.objects.filter(scope, is_active=True).exclude(unit_type__in=NOT_ASSIGNABLE_TYPES)


def check_assignable(user, matter: Matter, unit: Unit, field: str = "lead_unit") -> Unit:
    if not assignable_units(user, matter).filter(pk=unit.pk).exists():
        raise ValidationFailed(
            _("%(unit)s cannot be assigned this matter from your centre.") % {"unit": unit.name},
            code="unit_not_assignable",
            field=field,
        )
    return unit


def can_reveal(user, matter: Matter) -> bool:
    """Whether ``user`` handles the matter and so may see its parties unmasked.

    The clerks and directors of the responsible centre; while the matter is
    open, the handlers of a unit holding an active assignment; and the leader
    who took charge of it. Overseers (committee staff, leaders not in charge,
    directors of higher centres) see masked data only.
    """
    if not getattr(user, "is_authenticated", False) or user.unit_id is None:
        return False
    if user.unit_id == matter.owner_unit_id and user.roles & EDIT_ROLES:
        return True
    if matter.leader_in_charge_id == user.pk:
        return True
    return (
        matter.is_open and unit_assignment(matter, user) is not None and bool(user.roles & UNIT_SCOPE_ROLES)
    )


def masked_names(user, matter: Matter) -> list[str] | None:
    """What to mask in the matter's free text for ``user``: None when they may reveal its parties (they read
    it as written), else the names of its people (``personal.redact`` also masks ID and phone numbers).

    Overseers read the case — what happened, what was done — without the people's names and numbers.
    """
    return None if can_reveal(user, matter) else matter.person_names()


def may_register(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.roles & EDIT_ROLES and user.unit_id)


def check_area_registrable(user, area) -> None:
    """A matter is registered in an area the user's centre covers."""
    prefix = user.jurisdiction_prefix
    if not prefix or not area.code.startswith(prefix):
        raise ValidationFailed(
            _("This area lies outside your jurisdiction."), code="out_of_area", field="area"
        )
