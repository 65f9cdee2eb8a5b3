from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.org.choices import ADMIN_ROLES, Role
from sanbao.org.jurisdiction import JurisdictionQuerySet


class UserQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "unit__area__code"

    def with_role(self, role: str):
        return self.filter(role_grants__role=role)


class SanbaoUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person with an account. Belongs to one unit and acts within its area subtree.

    Roles are granted through ``RoleGrant`` rows, only via
    ``sanbao.org.actions.set_roles`` which enforces 三员分立.
    """

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    phone = models.CharField(_("office phone"), max_length=20, blank=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    objects = SanbaoUserManager()

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_administrator(self) -> bool:
        return bool(self.roles & ADMIN_ROLES)

    @cached_property
    def jurisdiction_prefix(self) -> str | None:
        """Leading digits of the area codes this user may act on; None means nothing."""
        if self.unit_id is None:
            return None
        return self.unit.area.prefix

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in sorted(self.roles)]


class RoleGrant(models.Model):
    """One role held by one user. Written only by ``org.actions.set_roles``."""

    user = models.ForeignKey("org.User", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    granted_by = models.ForeignKey(
        "org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("granted by")
    )

    class Meta:
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="role_grant_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
