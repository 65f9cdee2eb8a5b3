from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from sanbao.org.api.serializers import (
    AreaSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
    UnitSerializer,
    UserSerializer,
)
from sanbao.org.models import Area, Unit, User


class ObtainTokenView(APIView):
    """Exchange username and password for an API token (same lockout policy as the login page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequestSerializer, responses={200: TokenResponseSerializer})
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            return Response(
                {"code": "invalid_credentials", "detail": "Wrong username or password, or the account is locked."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only viewset whose queryset is always the user's jurisdiction."""

    base_queryset = None

    def get_queryset(self):
        return self.base_queryset.visible_to(self.request.user)


class AreaViewSet(ScopedReadOnlyViewSet):
    base_queryset = Area.objects.select_related("parent").order_by("code")
    serializer_class = AreaSerializer
    lookup_field = "code"
    filterset_fields = ["level", "parent"]


class UnitViewSet(ScopedReadOnlyViewSet):
    base_queryset = Unit.objects.select_related("area").order_by("id")
    serializer_class = UnitSerializer
    filterset_fields = ["unit_type", "area", "is_judicial"]


class UserViewSet(ScopedReadOnlyViewSet):
    base_queryset = User.objects.prefetch_related("role_grants").order_by("id")
    serializer_class = UserSerializer
    filterset_fields = ["unit"]
