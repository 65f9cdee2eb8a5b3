"""Who may do what with calendars, rules and deadlines."""

from sanbao.core.errors import PermissionDenied
from sanbao.org.choices import Role


def can_manage_calendar(user) -> bool:
    """The work calendar and the time-limit rules are system configuration (系统管理员)."""
    return getattr(user, "is_authenticated", False) and user.has_role(Role.SYSTEM_ADMIN)


def check_can_manage_calendar(actor) -> None:
    """Raise unless ``actor`` may edit the calendar and rules; ``None`` is the system (migrations, tasks)."""
    if actor is not None and not can_manage_calendar(actor):
        raise PermissionDenied(code="calendar_admin_only")


def can_approve_extension(user, rule) -> bool:
    """The rule names the approving role (e.g. the head / centre director)."""
    role = rule.extension_approver_role or Role.DIRECTOR
    return getattr(user, "is_authenticated", False) and user.has_role(role)


def can_pause(user, matter) -> bool:
    """The director over the matter's area, or a handler of the unit holding its lead assignment."""
    from sanbao.matters.policy import holds_lead, in_area_scope

    if not getattr(user, "is_authenticated", False) or not matter.is_open:
        return False
    if user.has_role(Role.DIRECTOR) and in_area_scope(user, matter):
        return True
    return user.has_role(Role.HANDLER, Role.MEDIATOR) and holds_lead(user, matter)
