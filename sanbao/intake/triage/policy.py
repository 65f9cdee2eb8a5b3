"""Who may ask for triage suggestions and who may see and retrain the models."""

from sanbao.org.choices import Role

SUGGEST_ROLES = (Role.CLERK, Role.DIRECTOR)
MANAGE_ROLES = (Role.DIRECTOR, Role.COMMITTEE, Role.SYSTEM_ADMIN)


def may_suggest(user) -> bool:
    """Intake clerks and centre directors of a unit (they register matters)."""
    return bool(getattr(user, "is_authenticated", False) and user.unit_id and user.has_role(*SUGGEST_ROLES))


def may_manage_triage(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_role(*MANAGE_ROLES))
