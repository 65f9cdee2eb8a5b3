"""Verbs of the accounts app: account lifecycle, passwords, second factor, security policy.

Creating accounts and setting roles stay in ``sanbao.org.actions`` (where
三员分立 is enforced); the verbs here check who is acting (see
``sanbao.accounts.policy``) before calling them.
"""

import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from sanbao.accounts import events, lockout
from sanbao.accounts.models import MAX_PASSWORD_AGE_DAYS, SINGLETON_ID, SecurityPolicy
from sanbao.accounts.policy import is_security_admin, is_system_admin
from sanbao.audit.actions import record_event
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.org import actions as org_actions
from sanbao.org import events as org_events
from sanbao.org.choices import ADMIN_ROLES, Role
from sanbao.org.models import Unit, User

# Letters and digits that cannot be misread when a password is read out or copied by hand.
_UNAMBIGUOUS = {
    "lower": "abcdefghijkmnpqrstuvwxyz",
    "upper": "ABCDEFGHJKLMNPQRSTUVWXYZ",
    "digit": "23456789",
    "symbol": "@#%+=?",
}
ONE_TIME_PASSWORD_LENGTH = 14


def _area_code(user) -> str:
    return user.unit.area.code if user.unit_id else ""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def _require_in_scope(actor, user) -> None:
    """The target account must lie in the actor's jurisdiction, and not be the actor's own."""
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise PermissionDenied(_("This account is outside your jurisdiction."), code="out_of_jurisdiction")
    if actor.pk == user.pk:
        raise PermissionDenied(_("Administrators cannot do this to their own account."), code="own_account")


def _lock(user) -> User:
    return User.objects.select_for_update(of=("self",)).select_related("unit__area").get(pk=user.pk)


def generate_one_time_password() -> str:
    """A random password that meets the policy: every character class, unambiguous characters."""
    alphabet = "".join(_UNAMBIGUOUS.values())
    while True:
        chars = [secrets.choice(group) for group in _UNAMBIGUOUS.values()]
        chars += [secrets.choice(alphabet) for _i in range(ONE_TIME_PASSWORD_LENGTH - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password)
        except ValidationError:
            continue
        return password


def _unit_in_scope(actor, unit: Unit | None) -> Unit:
    if unit is None or not Unit.objects.visible_to(actor).filter(pk=unit.pk).exists():
        raise ValidationFailed(
            _("Choose a unit within your jurisdiction."), code="unit_out_of_scope", field="unit"
        )
    return unit


def create_account(*, actor: User, username: str, unit: Unit, full_name: str = "", phone: str = "") -> tuple:
    """System administrator creates an account without roles; returns ``(user, one_time_password)``.

    The one-time password is shown once to the administrator and must be
    changed at first sign-in. Roles are granted afterwards by the security
    administrator (三员分立). Audited as ``org.user_created``.
    """
    _require(is_system_admin(actor))
    _unit_in_scope(actor, unit)
    username = (username or "").strip()
    if not username:
        raise ValidationFailed(_("Enter a username."), code="required", field="username")
    password = generate_one_time_password()
    user = org_actions.create_user(
        actor=actor, username=username, password=password, unit=unit, roles=(),
        full_name=full_name.strip(), phone=phone.strip(), must_change_password=True,
    )
    return user, password


def bootstrap_administrator(*, role: str, username: str, unit: Unit) -> tuple:
    """Create the first holder of an administrator role from the command line; ``(user, password)``.

    For a fresh production install, which has no demo password and no
    administrator to create accounts. Refused once an active account holds
    the role: after that, accounts are made on the user-management pages.
    The password is one-time. Audited as ``org.user_created`` with no actor
    (the operator at the server).
    """
    if role not in ADMIN_ROLES:
        raise ValidationFailed(
            _("Only administrator roles can be bootstrapped."), code="not_admin_role", field="role"
        )
    if User.objects.with_role(role).filter(is_active=True).exists():
        raise ValidationFailed(
            _("An active account already holds this role; use the user-management pages."),
            code="role_taken", field="role",
        )
    password = generate_one_time_password()
    user = org_actions.create_user(
        actor=None, username=username, password=password, unit=unit, roles={role}, must_change_password=True,
    )
    return user, password


def update_account(user: User, *, actor: User, full_name: str, phone: str, unit: Unit) -> User:
    """System administrator edits name, office phone and unit. Audited as ``org.user_updated``."""
    _require(is_system_admin(actor))
    _unit_in_scope(actor, unit)
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        before = {"full_name": locked.full_name, "phone": locked.phone, "unit": locked.unit_id}
        locked.full_name, locked.phone, locked.unit = full_name.strip(), phone.strip(), unit
        locked.save(update_fields=["full_name", "phone", "unit"])
        after = {"full_name": locked.full_name, "phone": locked.phone, "unit": locked.unit_id}
        record_event(
            org_events.USER_UPDATED, actor=actor, target=locked, before=before, after=after,
            area_code=_area_code(locked),
        )
    return locked


def deactivate_user(user: User, *, actor: User) -> User:
    """System administrator disables an account: no sign-in, API token revoked.

    Accounts are never deleted (the audit trail points at them).
    Audited as ``accounts.user_deactivated``.
    """
    _require(is_system_admin(actor))
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        if not locked.is_active:
            raise ValidationFailed(_("The account is already deactivated."), code="already_inactive")
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        Token.objects.filter(user=locked).delete()
        record_event(
            events.USER_DEACTIVATED, actor=actor, target=locked, before={"is_active": True},
            after={"is_active": False}, area_code=_area_code(locked),
        )
    return locked


def reactivate_user(user: User, *, actor: User) -> User:
    """System administrator re-enables a deactivated account. Audited as ``accounts.user_reactivated``."""
    _require(is_system_admin(actor))
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        if locked.is_active:
            raise ValidationFailed(_("The account is already active."), code="already_active")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        record_event(
            events.USER_REACTIVATED, actor=actor, target=locked, before={"is_active": False},
            after={"is_active": True}, area_code=_area_code(locked),
        )
    return locked


def reset_password(user: User, *, actor: User) -> str:
    """System administrator issues a new one-time password (returned, shown once).

    The user must change it at the next sign-in; the API token is revoked.
    The authenticator is kept, so an administrator who knows the one-time
    password still cannot pass a second-factor sign-in. Audited as
    ``accounts.password_reset``.
    """
    _require(is_system_admin(actor))
    password = generate_one_time_password()
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        locked.set_password(password)
        locked.password_changed_at = None
        locked.save(update_fields=["password", "password_changed_at"])
        Token.objects.filter(user=locked).delete()
        record_event(
            events.PASSWORD_RESET, actor=actor, target=locked, after={"must_change_password": True},
            area_code=_area_code(locked),
        )
    return password


def grant_roles(user: User, roles, *, actor: User) -> User:
    """Security administrator replaces ``user``'s roles through ``org.actions.set_roles`` (三员分立)."""
    _require(is_security_admin(actor))
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        if not locked.is_active:
            raise ValidationFailed(_("Reactivate the account before granting roles."), code="inactive")
        return org_actions.set_roles(locked, roles, actor=actor)


def unlock_user(user: User, *, actor: User) -> int:
    """Security administrator lifts a lockout early; returns the attempt rows cleared.

    Audited as ``accounts.user_unlocked`` with the time the lock would have ended.
    """
    _require(is_security_admin(actor))
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        until = lockout.locked_until(locked.username)
        if until is None:
            raise ValidationFailed(_("The account is not locked."), code="not_locked")
        cleared = lockout.clear_failures(locked.username)
        record_event(
            events.USER_UNLOCKED, actor=actor, target=locked, before={"locked_until": until.isoformat()},
            after={"locked_until": None}, area_code=_area_code(locked),
        )
    return cleared


def reset_totp(user: User, *, actor: User) -> int:
    """Security administrator removes a lost authenticator; the user enrols again at next sign-in.

    Audited as ``accounts.totp_reset``. Returns the number of devices removed.
    """
    _require(is_security_admin(actor))
    with transaction.atomic():
        locked = _lock(user)
        _require_in_scope(actor, locked)
        removed, _details = TOTPDevice.objects.filter(user=locked).delete()
        removed += StaticDevice.objects.filter(user=locked).delete()[0]
        if not removed:
            raise ValidationFailed(_("The account has no authenticator."), code="no_device")
        record_event(
            events.TOTP_RESET, actor=actor, target=locked, after={"devices_removed": removed},
            area_code=_area_code(locked),
        )
    return removed


def change_password(user: User, *, actor: User, old_password: str, new_password: str) -> User:
    """A user replaces their own password. Audited as ``accounts.password_changed``.

    A wrong current password is recorded (``accounts.password_change_failed``)
    and refused; the new password must meet policy and differ from the current one.
    """
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied()
    if not user.check_password(old_password):
        record_event(
            events.PASSWORD_CHANGE_FAILED, actor=actor, target=user, after={"reason": "wrong_password"},
            success=False, area_code=_area_code(user),
        )
        raise ValidationFailed(
            _("The current password is wrong."), code="wrong_password", field="old_password"
        )
    if new_password == old_password:
        raise ValidationFailed(
            _("The new password must differ from the current one."),
            code="password_reused", field="new_password",
        )
    try:
        validate_password(new_password, user)
    except ValidationError as error:
        message = " ".join(error.messages)
        raise ValidationFailed(message, code="weak_password", field="new_password") from error
    with transaction.atomic():
        locked = _lock(user)
        forced = locked.password_changed_at is None
        locked.set_password(new_password)
        locked.password_changed_at = timezone.now()
        locked.save(update_fields=["password", "password_changed_at"])
        record_event(
            events.PASSWORD_CHANGED, actor=actor, target=locked, after={"one_time_password_replaced": forced},
            area_code=_area_code(locked),
        )
    return locked


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (created once, so a reload keeps the secret).

    An unconfirmed device cannot be used to sign in; it becomes real (and
    audited) only in ``confirm_totp``.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=settings.OTP_TOTP_ISSUER, confirmed=False)


def confirm_totp(user: User, token: str, *, actor: User) -> TOTPDevice | None:
    """Finish enrolment when ``token`` matches the pending device; None (and audited) otherwise.

    Audited as ``accounts.totp_enrolled`` or ``accounts.totp_failed``.
    """
    if actor is None or actor.pk != user.pk:
        raise PermissionDenied()
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationFailed(_("An authenticator is already enrolled."), code="already_enrolled")
    device = pending_totp_device(user)
    if not device.verify_token(token):
        _record_totp_failure(user, "enrolment")
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_event(events.TOTP_ENROLLED, actor=actor, target=user, area_code=_area_code(user))
    return device


def verify_totp(user: User, token: str) -> TOTPDevice | None:
    """Check a sign-in code against the user's authenticator; failures are audited.

    django-otp throttles the device after failures (doubling delays), which
    is committed even though the code was wrong.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
    if device is not None and device.verify_token(token):
        return device
    _record_totp_failure(user, "verification")
    return None


def _record_totp_failure(user: User, stage: str) -> None:
    record_event(
        events.TOTP_FAILED, actor=user, target=user, after={"stage": stage}, success=False,
        area_code=_area_code(user),
    )


def idle_timeout_ceiling() -> int:
    """The deployment's maximum idle time in minutes (``SANBAO_IDLE_MINUTES``)."""
    return settings.SESSION_COOKIE_AGE // 60


def _clean_policy(password_max_age_days, idle_timeout_minutes, totp_roles) -> dict:
    try:
        max_age, idle = int(password_max_age_days), int(idle_timeout_minutes)
    except (TypeError, ValueError) as error:
        raise ValidationFailed(_("Enter whole numbers."), code="invalid_number") from error
    if not 0 <= max_age <= MAX_PASSWORD_AGE_DAYS:
        raise ValidationFailed(
            _("The password age must be between 0 and %(max)d days.") % {"max": MAX_PASSWORD_AGE_DAYS},
            code="out_of_range", field="password_max_age_days",
        )
    ceiling = idle_timeout_ceiling()
    if not 1 <= idle <= ceiling:
        raise ValidationFailed(
            _("The idle timeout must be between 1 and %(max)d minutes (the deployment ceiling).")
            % {"max": ceiling},
            code="out_of_range", field="idle_timeout_minutes",
        )
    roles = sorted(set(totp_roles))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationFailed(
            _("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))},
            code="unknown_role", field="totp_roles",
        )
    return {"password_max_age_days": max_age, "idle_timeout_minutes": idle, "totp_roles": roles}


def update_security_policy(
    *, actor: User, password_max_age_days: int, idle_timeout_minutes: int, totp_roles
) -> SecurityPolicy:
    """Security administrator changes the account policy.

    Audited with before/after as ``accounts.policy_changed``.
    """
    _require(is_security_admin(actor))
    values = _clean_policy(password_max_age_days, idle_timeout_minutes, totp_roles)
    with transaction.atomic():
        SecurityPolicy.current()  # the row exists before it is locked
        policy = SecurityPolicy.objects.select_for_update().get(pk=SINGLETON_ID)
        before = policy.as_dict()
        for field, value in values.items():
            setattr(policy, field, value)
        policy.updated_by = actor
        policy.save()
        record_event(events.POLICY_CHANGED, actor=actor, target=policy, before=before, after=policy.as_dict())
    return policy
