"""Serializers of the matters API. Input serializers check types and choices only; the verbs
check everything else (the same rules the UI forms get), so both report the same errors.
Personal data leaves here masked; unmasked values only through the audited reveal endpoint.
"""

from rest_framework import serializers

from sanbao.matters.choices import (
    AttachmentPurpose,
    FollowUpMethod,
    IdType,
    LegalRoute,
    MatterKind,
    PartyRole,
    PartyType,
    ReviewDecision,
    RiskLevel,
    Satisfaction,
    SourceChannel,
)
from sanbao.matters.models import Assignment, Attachment, Category, Matter, MatterEvent, Party
from sanbao.matters.personal import redact


class NamedUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()


class CategorySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="scheme.kind", read_only=True)
    version = serializers.IntegerField(source="scheme.version", read_only=True)
    parent_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Category
        fields = ["id", "code", "name", "parent_id", "kind", "version"]


class PartySerializer(serializers.ModelSerializer):
    """A party as lists and pages show it: masked."""

    name = serializers.CharField(source="masked_name")
    id_number = serializers.CharField(source="masked_id_number")
    phone = serializers.CharField(source="masked_phone")
    address = serializers.CharField(source="masked_address")

    class Meta:
        model = Party
        fields = ["id", "party_type", "role", "name", "id_type", "id_number", "phone", "address"]


class RevealedPartySerializer(serializers.Serializer):
    name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class AssignmentSerializer(serializers.ModelSerializer):
    unit = NamedUnitSerializer()

    class Meta:
        model = Assignment
        fields = ["id", "unit", "role", "status", "assigned_at", "signed_at", "ended_at"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "purpose",
            "feedback",
            "uploaded_at",
        ]


class MatterListSerializer(serializers.ModelSerializer):
    # Lists mask what clerks write into titles; the matter itself (MatterDetailSerializer) shows it as written.
    title = serializers.CharField(source="listed_title", help_text="ID and phone numbers and people's names masked.")
    category = serializers.CharField(source="category.name")
    area = serializers.CharField(source="area_code")
    area_name = serializers.CharField(source="area.name")
    lead_unit = serializers.CharField(source="lead_unit.name", default=None)
    owner_unit = serializers.CharField(source="owner_unit.name")
    state_label = serializers.CharField()
    # Not required: left out unless the list was asked for with q (the matter then carries its snippet).
    snippet = serializers.CharField(
        source="search_snippet",
        required=False,
        help_text="Only with q: HTML, escaped text with the matched words in <mark> (as /api/v1/search/).",
    )

    class Meta:
        model = Matter
        fields = [
            "code",
            "kind",
            "title",
            "category",
            "risk_level",
            "source_channel",
            "received_at",
            "area",
            "area_name",
            "place",
            "people_count",
            "owner_unit",
            "lead_unit",
            "state",
            "state_label",
            "status",
            "repeat_count",
            "version",
            "updated_at",
            "closed_at",
            "snippet",
        ]


class FreeTextField(serializers.CharField):
    """A matter's free text as its page shows it: as written for those who may reveal its parties
    (``matter.can_reveal``, set by the view), else masked (``personal.redact``)."""

    def get_attribute(self, instance):
        text = super().get_attribute(instance)
        return text if getattr(instance, "can_reveal", False) else redact(text, instance.person_names())


class MatterDetailSerializer(MatterListSerializer):
    title = FreeTextField(help_text="As written for those who may reveal the parties (can_reveal), else masked.")
    narrative = FreeTextField(help_text="As written for those who may reveal the parties (can_reveal), else masked.")
    category = CategorySerializer()
    current_handler = PersonSerializer(allow_null=True)
    leader_in_charge = PersonSerializer(allow_null=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    parties = PartySerializer(many=True)
    assignments = AssignmentSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    actions = serializers.ListField(
        child=serializers.CharField(), help_text="API action paths the user may call now"
    )
    can_reveal = serializers.BooleanField(help_text="Whether the user may reveal the parties' personal data")

    class Meta(MatterListSerializer.Meta):
        fields = [
            *(name for name in MatterListSerializer.Meta.fields if name != "snippet"),
            "narrative",
            "current_handler",
            "leader_in_charge",
            "tags",
            "satisfaction",
            "legal_route",
            "legal_route_body",
            "created_at",
            "parties",
            "assignments",
            "attachments",
            "actions",
            "can_reveal",
        ]


class PartyInputSerializer(serializers.Serializer):
    party_type = serializers.ChoiceField(PartyType.choices, default=PartyType.PERSON)
    role = serializers.ChoiceField(PartyRole.choices, default=PartyRole.APPLICANT)
    name = serializers.CharField(max_length=100)
    id_type = serializers.ChoiceField(IdType.choices, required=False, allow_blank=True)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)


class MatterCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(MatterKind.choices)
    title = serializers.CharField(max_length=200)
    narrative = serializers.CharField(max_length=5000)
    category = serializers.IntegerField(help_text="id from /matter-categories/ of the same kind")
    risk_level = serializers.ChoiceField(RiskLevel.choices, default=RiskLevel.LOW)
    source_channel = serializers.ChoiceField(SourceChannel.choices)
    received_at = serializers.DateTimeField(required=False)
    area = serializers.CharField(max_length=15, help_text="division code (township, village or grid)")
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    people_count = serializers.IntegerField(min_value=1, default=1)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    parties = PartyInputSerializer(many=True, required=False, default=list)


class MatterUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    narrative = serializers.CharField(max_length=5000, required=False)
    category = serializers.IntegerField(required=False)
    risk_level = serializers.ChoiceField(RiskLevel.choices, required=False)
    source_channel = serializers.ChoiceField(SourceChannel.choices, required=False)
    received_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True)
    people_count = serializers.IntegerField(min_value=1, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)


class TimelineEventSerializer(serializers.ModelSerializer):
    """One timeline row. With ``mask_names`` in the context (``policy.masked_names`` is not None), the note
    and the changed values are masked as the matter's page masks them."""

    actor = PersonSerializer(allow_null=True)
    unit = serializers.CharField(source="actor_unit.name", default=None)
    verb_label = serializers.CharField()
    from_state_label = serializers.CharField()
    to_state_label = serializers.CharField()
    note = serializers.CharField(source="note.text", default=None)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        names = self.context.get("mask_names")
        if names is not None:
            data["note"] = redact(data["note"], names) if data["note"] else data["note"]
            data["changes"] = _masked_values(data["changes"], names)
        return data

    class Meta:
        model = MatterEvent
        fields = [
            "id",
            "time",
            "actor",
            "unit",
            "verb",
            "verb_label",
            "from_state",
            "from_state_label",
            "to_state",
            "to_state_label",
            "changes",
            "data",
            "note",
        ]


def _masked_values(value, names):
    """Every string inside a JSON value, masked (a timeline's changes: {field: [before, after]})."""
    if isinstance(value, str):
        return redact(value, names)
    if isinstance(value, list):
        return [_masked_values(item, names) for item in value]
    if isinstance(value, dict):
        return {key: _masked_values(item, names) for key, item in value.items()}
    return value


class PartyLookupSerializer(serializers.Serializer):
    """A matter where the looked-up person or organisation appears (masked)."""

    code = serializers.CharField(source="matter.code")
    title = serializers.CharField(
        source="matter.listed_title", help_text="ID and phone numbers and people's names masked."
    )
    kind = serializers.CharField(source="matter.kind")
    state = serializers.CharField(source="matter.state")
    status = serializers.CharField(source="matter.status")
    received_at = serializers.DateTimeField(source="matter.received_at")
    party = PartySerializer(source="*")


# --- Action inputs -------------------------------------------------------------------------------


class ActionSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text="the version you read (or send If-Match); a stale one gives 409",
    )


class CommentSerializer(ActionSerializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(ActionSerializer):
    reason = serializers.CharField(max_length=2000)


class AssignSerializer(ActionSerializer):
    lead_unit = serializers.IntegerField()
    co_units = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    instructions = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReassignSerializer(AssignSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TransferSerializer(ReasonSerializer):
    area = serializers.CharField(max_length=15, help_text="division code of the receiving area")


class ConsultSerializer(ActionSerializer):
    summary = serializers.CharField(max_length=4000)
    participants = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class NoteSerializer(ActionSerializer):
    text = serializers.CharField(max_length=4000)


class ExtensionRequestSerializer(ActionSerializer):
    days = serializers.IntegerField(min_value=1, max_value=90)
    reason = serializers.CharField(max_length=2000)


class ExtensionDecideSerializer(CommentSerializer):
    approve = serializers.BooleanField()


class FeedbackSerializer(ActionSerializer):
    result = serializers.CharField(max_length=4000)
    opinion = serializers.CharField(
        max_length=24,
        required=False,
        allow_blank=True,
        default="",
        help_text="petitions: support / explain / not_supported; 复查/复核: upheld / changed / revoked",
    )
    is_resolved = serializers.BooleanField(default=True)
    attachments = serializers.ListField(child=serializers.FileField(), required=False, default=list)


class ReviewSerializer(CommentSerializer):
    decision = serializers.ChoiceField(ReviewDecision.choices)


class FollowUpSerializer(CommentSerializer):
    method = serializers.ChoiceField(FollowUpMethod.choices)
    satisfaction = serializers.ChoiceField(Satisfaction.choices)


class ReviewRequestSerializer(ReasonSerializer):
    reviewing_unit = serializers.IntegerField(help_text="the next-higher organ that re-examines")
    requested_on = serializers.DateField(required=False)


class LegalChannelSerializer(CommentSerializer):
    route = serializers.ChoiceField(LegalRoute.choices)
    body = serializers.CharField(max_length=200, help_text="the court, arbitration body or organ it went to")


class SuperviseSerializer(ActionSerializer):
    notice = serializers.CharField(max_length=2000)
    due_date = serializers.DateField()


class TextSerializer(ActionSerializer):
    text = serializers.CharField(max_length=2000)


class OptionalTextSerializer(ActionSerializer):
    text = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AttachmentUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField())
    purpose = serializers.ChoiceField(AttachmentPurpose.choices, default=AttachmentPurpose.OTHER)
