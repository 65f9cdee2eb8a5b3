"""Account pages in the navigation bar."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import NavEntry, register
from sanbao.org.choices import Role

register(
    NavEntry(
        "accounts.users", _("User management"), "accounts:user_list",
        roles=frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}), order=84, icon="person-gear",
    )
)
register(
    NavEntry(
        "security_policy", _("Security policy"), "accounts:security_policy",
        roles=frozenset({Role.SECURITY_ADMIN}), order=85, icon="shield-lock",
    )
)
