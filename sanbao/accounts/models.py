from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.org.choices import ADMIN_ROLES

SINGLETON_ID = 1
MAX_PASSWORD_AGE_DAYS = 3650


def default_totp_roles() -> list[str]:
    """The three administrator roles (三员) must use a second factor unless policy says more."""
    return sorted(role.value for role in ADMIN_ROLES)


class SecurityPolicy(models.Model):
    """The one row of account policy the security administrator (安全管理员) edits.

    Invariants: exactly one row (id 1), created on first read with the
    defaults below; written only by ``sanbao.accounts.actions.update_security_policy``.
    ``password_max_age_days`` 0 means passwords never expire.
    ``idle_timeout_minutes`` never exceeds the deployment's session ceiling
    (``SESSION_COOKIE_AGE``, set by ``SANBAO_IDLE_MINUTES``).
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_ID, editable=False)
    password_max_age_days = models.PositiveIntegerField(
        _("password maximum age (days)"), default=90,
        validators=[MaxValueValidator(MAX_PASSWORD_AGE_DAYS)],
        help_text=_("After this many days the password must be changed. 0 means never."),
    )
    idle_timeout_minutes = models.PositiveIntegerField(
        _("idle timeout (minutes)"), default=30, validators=[MinValueValidator(1)],
        help_text=_("A session without any request for this long is signed out."),
    )
    totp_roles = models.JSONField(
        _("roles that must use an authenticator"), default=default_totp_roles, blank=True,
        help_text=_("Users holding any of these roles must enter a one-time code after the password."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=SINGLETON_ID), name="security_policy_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("Security policy"))

    @classmethod
    def current(cls) -> "SecurityPolicy":
        """The policy row, created with the defaults the first time it is read."""
        policy, _created = cls.objects.get_or_create(id=SINGLETON_ID)
        return policy

    def as_dict(self) -> dict:
        """The editable values, for audit before/after."""
        return {
            "password_max_age_days": self.password_max_age_days,
            "idle_timeout_minutes": self.idle_timeout_minutes,
            "totp_roles": sorted(self.totp_roles),
        }
