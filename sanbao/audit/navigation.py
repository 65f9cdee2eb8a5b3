"""The audit trail's entry in the navigation bar (core declared it by path; this names the URL)."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import NavEntry, register
from sanbao.org.choices import Role

register(
    NavEntry("audit", _("Audit trail"), "audit:event_list", roles=frozenset({Role.AUDIT_ADMIN}), order=80,
             icon="journal-check")
)
