from rest_framework import serializers

from sanbao.deadlines.choices import PauseReason
from sanbao.deadlines.models import Deadline, Notification, SpecialDay, TimeLimitRule


class SpecialDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = SpecialDay
        fields = ["date", "kind", "name"]


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = TimeLimitRule
        fields = [
            "key", "version", "name", "matter_kind", "step", "start_event", "stop_states", "amount", "unit",
            "pause_events", "extension_cap", "extension_approver_role", "warn_share", "warn_working_days",
            "escalates", "is_local_practice", "basis", "created_at",
        ]


class DeadlineSerializer(serializers.ModelSerializer):
    matter = serializers.CharField(source="matter.code", read_only=True)
    rule = serializers.CharField(source="rule.key", read_only=True)
    rule_version = serializers.IntegerField(source="rule.version", read_only=True)
    unit_name = serializers.CharField(source="unit.name", default=None, read_only=True)

    class Meta:
        model = Deadline
        fields = [
            "id", "matter", "rule", "rule_version", "step", "unit", "unit_name", "start_date", "amount",
            "count_unit", "paused_days", "paused_on", "pause_reason", "extension_days", "due_date",
            "yellow_on", "status", "colour", "escalation_level", "completed_at",
        ]


class PauseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=PauseReason.choices)


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "code", "params", "text", "link", "is_read", "created_at"]
