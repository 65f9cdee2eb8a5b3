"""Sign-in pages: login, lockout, second factor, password change, security policy."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanbao.accounts import actions, lockout
from sanbao.accounts.decorators import require
from sanbao.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    SecurityPolicyForm,
    TokenForm,
    apply_domain_error,
)
from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.otp import qr_svg, readable_secret
from sanbao.accounts.policy import is_security_admin, must_change_password, password_expired, totp_required
from sanbao.core.errors import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def _locked_message(until) -> str:
    if until is None:
        return _("This account is locked after repeated failed sign-ins. Try again later.")
    local = timezone.localtime(until)
    return _("This account is locked after repeated failed sign-ins until %(time)s.") % {
        "time": date_format(local, "DATETIME_FORMAT")
    }


def lockout_payload(username: str) -> dict:
    """What a locked account is told, as data (the page and the API show the same)."""
    until = lockout.locked_until(username) if username else None
    return {
        "code": "account_locked", "detail": _locked_message(until),
        "locked_until": until.isoformat() if until else None,
    }


def lockout_response(request, original_response=None, credentials=None):
    """Called by django-axes when a locked account tries to sign in (AXES_LOCKOUT_CALLABLE).

    Says the account is locked and until when; API paths get the same as JSON.
    """
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    payload = lockout_payload(username)
    if request.path.startswith("/api/"):
        return JsonResponse(payload, status=403)
    context = {
        "username": username, "message": payload["detail"], "failure_limit": settings.AXES_FAILURE_LIMIT,
        "locked_until": lockout.locked_until(username) if username else None,
    }
    return render(request, "accounts/locked.html", context, status=403)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    hosts, https = {request.get_host()}, request.is_secure()
    if url_has_allowed_host_and_scheme(target, allowed_hosts=hosts, require_https=https):
        return target
    return settings.LOGIN_REDIRECT_URL


def _go_on(request):
    return redirect(_next_url(request))


@never_cache
@login_required
def otp_verify(request):
    """Second step of sign-in for roles the policy names: a code from the enrolled authenticator."""
    user = request.user
    if user.is_verified() or not totp_required(user, SecurityPolicy.current()):
        return _go_on(request)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return redirect("accounts:otp_enrol")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, details = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", _("Too many wrong codes. Wait a little and try again."))
        elif (verified := actions.verify_totp(user, form.cleaned_data["token"])) is not None:
            otp_login(request, verified)
            return _go_on(request)
        else:
            form.add_error("token", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request)})


@never_cache
@login_required
def otp_enrol(request):
    """Enrol an authenticator app: scan the QR code (or type the secret), then confirm with a code."""
    user = request.user
    if not totp_required(user, SecurityPolicy.current()):
        return _go_on(request)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = actions.pending_totp_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = actions.confirm_totp(user, form.cleaned_data["token"], actor=user)
        if confirmed is not None:
            otp_login(request, confirmed)
            messages.success(request, _("Authenticator enrolled."))
            return _go_on(request)
        form.add_error("token", _("The code is wrong or has expired."))
    context = {
        "form": form, "qr_svg": qr_svg(device.config_url), "secret": readable_secret(device),
        "issuer": settings.OTP_TOTP_ISSUER, "next": _next_url(request),
    }
    return render(request, "accounts/otp_enrol.html", context)


@never_cache
@sensitive_post_parameters("old_password", "new_password", "new_password_again")
@login_required
def password_change(request):
    """Change one's own password; forced when it was issued by an administrator or has expired."""
    user = request.user
    policy = SecurityPolicy.current()
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.change_password(
                user, actor=user, old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            user.refresh_from_db()
            update_session_auth_hash(request, user)
            messages.success(request, _("Your password has been changed."))
            return _go_on(request)
    context = {
        "form": form, "next": _next_url(request), "one_time": must_change_password(user),
        "expired": password_expired(user, policy), "max_age_days": policy.password_max_age_days,
    }
    return render(request, "accounts/password_change.html", context)


@never_cache
@require(is_security_admin)
def security_policy(request):
    """The security administrator's page for the account policy (安全策略)."""
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, initial=policy.as_dict())
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_security_policy(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The security policy has been saved."))
            return redirect("accounts:security_policy")
    context = {
        "form": form, "policy": policy, "idle_ceiling": actions.idle_timeout_ceiling(),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "accounts/security_policy.html", context)

