"""Audit codes for authentication, permissions, personal data and the trail itself."""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register

LOGIN = "auth.login"
LOGIN_FAILED = "auth.login_failed"
LOGOUT = "auth.logout"
LOCKED_OUT = "auth.locked_out"
PERMISSION_DENIED = "auth.permission_denied"
PERSONAL_DATA_VIEWED = "privacy.personal_data_viewed"
AUDIT_VIEWED = "audit.viewed"
AUDIT_EXPORTED = "audit.exported"
AUDIT_PRUNED = "audit.pruned"

register(
    {
        LOGIN: _("Logged in"),
        LOGIN_FAILED: _("Login failed"),
        LOGOUT: _("Logged out"),
        LOCKED_OUT: _("Account locked after repeated failures"),
        PERMISSION_DENIED: _("Permission denied"),
        PERSONAL_DATA_VIEWED: _("Personal data viewed"),
        AUDIT_VIEWED: _("Audit trail viewed"),
        AUDIT_EXPORTED: _("Audit trail exported"),
        AUDIT_PRUNED: _("Old audit records pruned"),
    }
)
