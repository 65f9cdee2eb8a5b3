"""Account rules: password state, second factor, and who may administer accounts.

Who may manage whom follows 三员分立 (DOMAIN.md §7): the system administrator
(系统管理员) creates, edits and deactivates accounts; the security
administrator (安全管理员) grants roles, edits the security policy, unlocks
accounts and removes authenticators. Both act only within their jurisdiction
and never on their own account.
"""

from datetime import timedelta

from django.utils import timezone

from sanbao.accounts.models import SecurityPolicy
from sanbao.org.choices import Role
from sanbao.org.models import User


def must_change_password(user) -> bool:
    """True when the password was issued by an administrator (a one-time password).

    ``password_changed_at`` is empty exactly when the user has not yet chosen
    a password of their own: new accounts and administrator resets.
    """
    return user.password_changed_at is None


def password_expired(user, policy: SecurityPolicy) -> bool:
    if policy.password_max_age_days == 0 or user.password_changed_at is None:
        return False
    return timezone.now() - user.password_changed_at > timedelta(days=policy.password_max_age_days)


def password_change_required(user, policy: SecurityPolicy) -> bool:
    return must_change_password(user) or password_expired(user, policy)


def totp_required(user, policy: SecurityPolicy) -> bool:
    return bool(user.roles & set(policy.totp_roles))


def is_system_admin(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(Role.SYSTEM_ADMIN)


def is_security_admin(user) -> bool:
    return getattr(user, "is_authenticated", False) and user.has_role(Role.SECURITY_ADMIN)


def can_view_accounts(user) -> bool:
    """The user-management pages are for the system and security administrators."""
    return is_system_admin(user) or is_security_admin(user)


def account_queryset():
    """Accounts with what the user-management pages show; scope it with ``visible_to``/``access_object``."""
    return User.objects.select_related("unit__area").prefetch_related("role_grants")


def manageable_users(actor):
    """Accounts ``actor`` may see in user management: its jurisdiction."""
    return account_queryset().visible_to(actor)
