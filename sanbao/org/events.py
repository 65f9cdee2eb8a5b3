"""Audit codes of the org app."""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register

USER_CREATED = "org.user_created"
USER_UPDATED = "org.user_updated"
ROLES_SET = "org.roles_set"
UNIT_CREATED = "org.unit_created"
UNIT_UPDATED = "org.unit_updated"
AREAS_IMPORTED = "org.areas_imported"

register(
    {
        USER_CREATED: _("User created"),
        USER_UPDATED: _("User updated"),
        ROLES_SET: _("Roles changed"),
        UNIT_CREATED: _("Unit created"),
        UNIT_UPDATED: _("Unit updated"),
        AREAS_IMPORTED: _("Areas imported"),
    }
)
