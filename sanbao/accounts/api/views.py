"""Account API: write actions on /api/v1/users/ and the checks the token endpoint applies.

The actions are a mixin of ``sanbao.org.api.views.UserViewSet`` so reads and
writes share one URL space and one jurisdiction-scoped queryset (an account
outside it is a 404). Each action calls a verb in ``sanbao.accounts.actions``.
"""

from django.contrib.auth import user_logged_in
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from sanbao.accounts import actions
from sanbao.accounts.api.serializers import RolesSerializer, UserCreatedSerializer, UserCreateSerializer
from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.policy import (
    account_queryset,
    is_security_admin,
    is_system_admin,
    password_change_required,
    totp_required,
)
from sanbao.accounts.views import lockout_payload
from sanbao.audit.actions import record_permission_denied
from sanbao.org.api.serializers import UserSerializer
from sanbao.org.jurisdiction import access_object


def _require(request, check, reason: str) -> None:
    if not check(request.user):
        record_permission_denied(actor=request.user, reason=f"api:{reason}")
        raise PermissionDenied()


def _load(request, pk):
    """The account, or 404 when missing or outside the jurisdiction (the latter audited)."""
    return access_object(request.user, account_queryset(), pk=pk)


class UserAdministrationMixin:
    """Create and deactivate (system administrator); set roles (security administrator)."""

    @extend_schema(request=UserCreateSerializer, responses={201: UserCreatedSerializer})
    def create(self, request):
        _require(request, is_system_admin, "user_create")
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user, password = actions.create_account(actor=request.user, **serializer.validated_data)
        data = dict(UserSerializer(user).data, one_time_password=password)
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RolesSerializer, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def roles(self, request, pk=None):
        _require(request, is_security_admin, "user_roles")
        user = _load(request, pk)
        serializer = RolesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        actions.grant_roles(user, serializer.validated_data["roles"], actor=request.user)
        return Response(UserSerializer(self.get_queryset().get(pk=user.pk)).data)

    @extend_schema(request=None, responses={200: UserSerializer})
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        _require(request, is_system_admin, "user_deactivate")
        user = actions.deactivate_user(_load(request, pk), actor=request.user)
        return Response(UserSerializer(user).data)


def refuse_token(request, user, otp_token: str) -> Response | None:
    """Why ``user`` (password already checked) may not get a token yet, or None.

    The same account controls as a browser session: a one-time or expired
    password must be changed on the web first, and a role that needs a
    second factor must send a current code as ``otp_token``.
    """
    policy = SecurityPolicy.current()
    if password_change_required(user, policy):
        return _refusal("password_change_required", "Change your password on the web first.")
    if not totp_required(user, policy):
        return None
    device = user.totpdevice_set.filter(confirmed=True).first()
    if device is None:
        return _refusal("otp_not_enrolled", "Sign in on the web once to enrol an authenticator.")
    if not otp_token:
        return _refusal("otp_required", "Your role requires the authenticator code in otp_token.")
    if not device.verify_is_allowed()[0]:
        return _refusal("otp_throttled", "Too many wrong codes. Wait a little and try again.")
    if actions.verify_totp(user, otp_token) is None:
        return _refusal("otp_invalid", "The authenticator code is wrong or has expired.")
    return None


def _refusal(code: str, detail: str) -> Response:
    return Response({"code": code, "detail": detail}, status=status.HTTP_403_FORBIDDEN)


def locked_out_response(request, username: str) -> Response | None:
    """The lockout answer when axes refused the attempt (it flags the DRF request it was given)."""
    if not getattr(request, "axes_locked_out", False):
        return None
    return Response(lockout_payload(username), status=status.HTTP_403_FORBIDDEN)


def token_issued(request, user) -> None:
    """A token counts as a sign-in: audited, last_login updated, failure counter reset by axes."""
    request.sanbao_login_via = "api_token"
    user_logged_in.send(sender=user.__class__, request=request, user=user)
