from rest_framework import serializers

from sanbao.org.api.serializers import UserSerializer
from sanbao.org.models import Unit


class UserCreateSerializer(serializers.Serializer):
    """A new account: no password (the system issues a one-time one) and no roles (granted separately)."""

    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=50, required=False, default="", allow_blank=True)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())


class UserCreatedSerializer(UserSerializer):
    one_time_password = serializers.CharField(read_only=True)

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "one_time_password"]


class RolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.CharField(max_length=32), allow_empty=True)
