"""Role rules (三员分立) and who may manage whom."""

from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed
from sanbao.org.choices import ADMIN_ROLES, Role


def check_role_combination(roles) -> frozenset[str]:
    """Validate a set of roles: an administrator role stands alone.

    The three administrator roles cannot be combined with each other or with
    any business role (DOMAIN.md §7). Returns the roles as a frozenset.
    """
    roles = frozenset(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationFailed(_("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))}, field="roles")
    admin_roles = roles & ADMIN_ROLES
    if admin_roles and len(roles) > 1:
        names = ", ".join(str(Role(role).label) for role in sorted(roles))
        raise ValidationFailed(
            _("An administrator role cannot be combined with any other role (三员分立): %(roles)s")
            % {"roles": names},
            code="admin_role_combination",
            field="roles",
        )
    return roles


def can_manage_users(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN)


def can_grant_roles(user) -> bool:
    """Grants are the security administrator's (security policy and grants)."""
    return user.is_authenticated and user.has_role(Role.SECURITY_ADMIN)
