from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanbao.accounts.api.views import UserAdministrationMixin, locked_out_response, refuse_token, token_issued
from sanbao.org.api.serializers import (
    AreaSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UnitSerializer,
    UserSerializer,
)
from sanbao.org.jurisdiction import access_object
from sanbao.org.models import Area, Unit, User


class ObtainTokenView(APIView):
    """Exchange username and password for an API token (same lockout policy as the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = dict(serializer.validated_data)
        otp_token = credentials.pop("otp_token", "")
        user = authenticate(request, **credentials)
        if user is None:
            return locked_out_response(request, credentials["username"]) or Response(
                {"code": "invalid_credentials", "detail": "Wrong username or password."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        refusal = refuse_token(request, user, otp_token)
        if refusal is not None:
            return refusal
        token, _ = Token.objects.get_or_create(user=user)
        token_issued(request, user)
        return Response({"token": token.key})


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only viewset whose queryset is always the user's jurisdiction.

    Single objects load through ``access_object``, the one scoped entry point:
    missing and out-of-jurisdiction are both 404, and the latter is audited.
    """

    base_queryset = None
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return self.base_queryset.visible_to(self.request.user)

    def get_object(self):
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        obj = access_object(self.request.user, self.base_queryset, **{self.lookup_field: lookup})
        self.check_object_permissions(self.request, obj)
        return obj


class AreaViewSet(ScopedReadOnlyViewSet):
    """Current areas only: a retired code keeps its row (valid_to set) but is not served here."""

    base_queryset = Area.objects.current().select_related("parent").order_by("code")
    serializer_class = AreaSerializer
    lookup_field = "code"
    lookup_value_regex = r"\d{12}|\d{15}"
    filterset_fields = ["level", "parent"]


class UnitViewSet(ScopedReadOnlyViewSet):
    base_queryset = Unit.objects.select_related("area").order_by("id")
    serializer_class = UnitSerializer
    filterset_fields = ["unit_type", "area", "is_judicial"]


class UserViewSet(UserAdministrationMixin, ScopedReadOnlyViewSet):
    base_queryset = User.objects.prefetch_related("role_grants").order_by("id")
    serializer_class = UserSerializer
    filterset_fields = ["unit"]
