"""Account policy enforced on every request of a signed-in session.

In order: the idle timeout (sign out after the policy's minutes without a
request), the second factor (a role the policy names must pass TOTP before
anything else), then the password (a one-time or expired password must be
changed). Pages needed to satisfy a step (sign-in, sign-out, the OTP pages,
the password page, the language switch) stay reachable; everything else
redirects there, and API or htmx requests get 403 / a client redirect.

Token-authenticated API requests carry no session; the token endpoint
applies the same second-factor and password checks before issuing a token.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.policy import password_change_required, totp_required
from sanbao.accounts.signals import LAST_ACTIVITY_KEY, LOGOUT_REASON_ATTRIBUTE

# URL names that remain reachable while a step is outstanding.
ALWAYS_ALLOWED = {"accounts:login", "accounts:logout", "set_language", "healthz", "javascript-catalog"}
OTP_STEP = {"accounts:otp_verify", "accounts:otp_enrol"}
PASSWORD_STEP = {"accounts:password_change"}


def _url_name(request) -> str:
    match = request.resolver_match
    return match.view_name if match else ""


def _wants_json(request) -> bool:
    return request.path.startswith("/api/")


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _send_to(request, url_name: str, code: str, message: str):
    if _wants_json(request):
        return JsonResponse({"code": code, "detail": message}, status=403)
    target = f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}"
    if _is_htmx(request):
        return HttpResponseClientRedirect(target)
    return redirect(target)


class AccountPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        policy = SecurityPolicy.current()
        if self._idle_too_long(request, policy):
            self._sign_out_idle(request, policy)
            return None
        request.session[LAST_ACTIVITY_KEY] = timezone.now().timestamp()
        name = _url_name(request)
        if name in ALWAYS_ALLOWED:
            return None
        if totp_required(user, policy) and not user.is_verified():
            if name in OTP_STEP:
                return None
            enrolled = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            step = "accounts:otp_verify" if enrolled else "accounts:otp_enrol"
            return _send_to(request, step, "otp_required", _("Enter the code from your authenticator first."))
        if password_change_required(user, policy) and name not in PASSWORD_STEP:
            message = _("Change your password first.")
            return _send_to(request, "accounts:password_change", "password_change_required", message)
        return None

    @staticmethod
    def _idle_too_long(request, policy: SecurityPolicy) -> bool:
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is None:
            return False
        return timezone.now().timestamp() - float(last) > policy.idle_timeout_minutes * 60

    @staticmethod
    def _sign_out_idle(request, policy: SecurityPolicy) -> None:
        """End the session; the view then sees an anonymous user (login redirect, or 403 for the API)."""
        setattr(request, LOGOUT_REASON_ATTRIBUTE, "idle_timeout")
        logout(request)
        request.user = AnonymousUser()
        messages.info(
            request,
            _("You were signed out after %(minutes)d minutes without activity.")
            % {"minutes": policy.idle_timeout_minutes},
        )
