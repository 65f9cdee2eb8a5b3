"""Audit codes of the accounts app (sign-in codes live in sanbao.audit.events)."""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register

PASSWORD_CHANGED = "accounts.password_changed"  # noqa: S105  (event codes, not passwords)
PASSWORD_CHANGE_FAILED = "accounts.password_change_failed"  # noqa: S105
PASSWORD_RESET = "accounts.password_reset"  # noqa: S105
TOTP_ENROLLED = "accounts.totp_enrolled"
TOTP_FAILED = "accounts.totp_failed"
TOTP_RESET = "accounts.totp_reset"
POLICY_CHANGED = "accounts.policy_changed"
USER_DEACTIVATED = "accounts.user_deactivated"
USER_REACTIVATED = "accounts.user_reactivated"
USER_UNLOCKED = "accounts.user_unlocked"

register(
    {
        PASSWORD_CHANGED: _("Password changed"),
        PASSWORD_CHANGE_FAILED: _("Password change refused"),
        PASSWORD_RESET: _("One-time password issued"),
        TOTP_ENROLLED: _("Authenticator enrolled"),
        TOTP_FAILED: _("Authenticator code rejected"),
        TOTP_RESET: _("Authenticator removed"),
        POLICY_CHANGED: _("Security policy changed"),
        USER_DEACTIVATED: _("User deactivated"),
        USER_REACTIVATED: _("User reactivated"),
        USER_UNLOCKED: _("Locked account unlocked"),
    }
)
