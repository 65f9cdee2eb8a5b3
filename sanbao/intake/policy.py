"""Who may decide about duplicates and act on early warnings."""

from django.utils.translation import gettext as _

from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.matters.models import Matter
from sanbao.matters.policy import in_area_scope
from sanbao.org.choices import Role
from sanbao.org.jurisdiction import code_within
from sanbao.org.models import Unit, User

DECIDE_ROLES = frozenset({Role.CLERK, Role.DIRECTOR})
WARNING_VIEW_ROLES = frozenset({Role.DIRECTOR, Role.COMMITTEE, Role.LEADER, Role.CLERK})
WARNING_MANAGE_ROLES = frozenset({Role.DIRECTOR, Role.COMMITTEE})
_HANDLING_ROLES = (Role.HANDLER, Role.MEDIATOR)


def may_decide(user, submission: Matter, original: Matter) -> bool:
    """Clerks and directors (they register matters) whose area covers both matters."""
    if not getattr(user, "is_authenticated", False) or not (user.roles & DECIDE_ROLES):
        return False
    return in_area_scope(user, submission) and in_area_scope(user, original)


def check_decide(user, submission: Matter, original: Matter) -> None:
    if not may_decide(user, submission, original):
        raise PermissionDenied(
            _("Only clerks and centre directors whose area covers both matters may decide about duplicates."),
            code="not_allowed",
        )


def _covers(user, area_code: str) -> bool:
    prefix = user.jurisdiction_prefix
    return bool(prefix) and area_code.startswith(prefix)


def may_view_warnings(user) -> bool:
    return getattr(user, "is_authenticated", False) and bool(user.roles & WARNING_VIEW_ROLES)


def may_manage_warning(user, warning) -> bool:
    return bool(user.roles & WARNING_MANAGE_ROLES) and _covers(user, warning.area_code)


def check_manage_warning(user, warning) -> None:
    if not may_manage_warning(user, warning):
        raise PermissionDenied(
            _("Only directors and committee staff of the area may assign early warnings."), code="not_allowed"
        )


def may_close_warning(user, warning) -> bool:
    assigned_director = (
        warning.assigned_unit_id is not None
        and user.unit_id == warning.assigned_unit_id
        and user.has_role(Role.DIRECTOR)
    )
    return may_manage_warning(user, warning) or assigned_director


def check_close_warning(user, warning) -> None:
    if not may_close_warning(user, warning):
        raise PermissionDenied(_("You may not close this early warning."), code="not_allowed")


def assignable_warning_units(user):
    """Active units of the user's own area subtree, the committee excepted (it supervises, it is not assigned)."""
    from sanbao.org.choices import UnitType

    return (
        Unit.objects.filter(is_active=True)
        .filter(code_within("area__code", user.jurisdiction_prefix))
        .exclude(unit_type=UnitType.COMMITTEE)
        .select_related("area")
        .order_by("area__code", "name")
    )


def check_warning_unit(user, unit: Unit) -> None:
    if not assignable_warning_units(user).filter(pk=unit.pk).exists():
        raise ValidationFailed(_("This unit cannot be given this warning."), code="invalid_unit", field="unit")


def repeat_recipients(matter: Matter) -> list[int]:
    """Who hears of a repeat submission: the current handler, else the lead unit's handlers, else the directors."""
    if matter.current_handler_id:
        return [matter.current_handler_id]
    users = User.objects.filter(is_active=True)
    if matter.lead_unit_id:
        handlers = [user.pk for user in users.filter(unit_id=matter.lead_unit_id) if user.has_role(*_HANDLING_ROLES)]
        if handlers:
            return handlers
    return [user.pk for user in users.filter(unit_id=matter.owner_unit_id) if user.has_role(Role.DIRECTOR)]
