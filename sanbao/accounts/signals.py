"""Sign-in events into the audit trail, from Django's and axes' signals.

These are framework events (the login form and the token endpoint call
``authenticate``), so they are recorded here rather than in a verb. The
attempted username is kept on failures; the password never is.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from sanbao.audit import events
from sanbao.audit.actions import record_event

LAST_ACTIVITY_KEY = "sanbao.last_activity"
LOGOUT_REASON_ATTRIBUTE = "sanbao_logout_reason"


def _area_code(user) -> str:
    return user.unit.area.code if user.unit_id else ""


@receiver(user_logged_in, dispatch_uid="sanbao.accounts.login")
def on_login(sender, request, user, **kwargs):
    via = getattr(request, "sanbao_login_via", "password")
    if via == "password":
        request.session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()
    record_event(events.LOGIN, actor=user, target=user, after={"via": via}, area_code=_area_code(user))


@receiver(user_login_failed, dispatch_uid="sanbao.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    """Runs after axes' own receiver, so ``axes_locked_out`` already tells what happened.

    ``axes_failures_since_start`` is set only when this attempt was counted;
    an attempt refused because the account was already locked leaves it None.
    """
    username = str(credentials.get("username") or "")[:150]
    locked = bool(getattr(request, "axes_locked_out", False))
    counted = getattr(request, "axes_failures_since_start", None) is not None
    reason = "account_locked" if locked and not counted else "bad_credentials"
    record_event(
        events.LOGIN_FAILED, actor_username=username, after={"reason": reason}, success=False,
    )
    if locked and counted:
        record_event(
            events.LOCKED_OUT, actor_username=username,
            after={"failures": request.axes_failures_since_start}, success=False,
        )


@receiver(user_logged_out, dispatch_uid="sanbao.accounts.logout")
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, LOGOUT_REASON_ATTRIBUTE, "user")
    record_event(events.LOGOUT, actor=user, target=user, after={"reason": reason}, area_code=_area_code(user))
