from rest_framework import serializers

from sanbao.org.models import Area, Unit, User


class AreaSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Area
        fields = ["id", "code", "name", "level", "parent_code", "valid_from", "valid_to"]


class UnitSerializer(serializers.ModelSerializer):
    area_code = serializers.CharField(source="area.code", read_only=True)

    class Meta:
        model = Unit
        fields = ["id", "name", "unit_type", "is_judicial", "parent", "area", "area_code", "is_active"]


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "unit", "roles", "is_active"]

    def get_roles(self, user) -> list[str]:
        return sorted(grant.role for grant in user.role_grants.all())


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp_token = serializers.CharField(required=False, default="", allow_blank=True, max_length=8)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
