"""API of duplicate checking and early warnings (``/api/v1/intake/…``), thin over the same verbs as the pages.

| endpoint | |
|---|---|
| ``POST duplicates/candidates/`` | candidates for a draft (title, narrative, id_numbers, phones, organisations) |
| ``GET duplicates/matters/{code}/`` | candidates and decisions of a registered matter |
| ``POST duplicates/`` | decide: ``submission``, ``original`` (codes), ``kind`` (repeat/related/dismissed), ``note`` |
| ``POST duplicates/{id}/undo/`` | undo a decision (unmerge) |
| ``GET warnings/`` , ``GET warnings/{id}/`` | early warnings in the caller's area |
| ``POST warnings/{id}/assign/`` | ``unit``, ``note`` |
| ``POST warnings/{id}/close/`` | ``note``, ``dismiss`` |
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from sanbao.intake import actions, policy
from sanbao.intake.choices import DuplicateKind
from sanbao.intake.models import DuplicateLink, EarlyWarning
from sanbao.intake.signatures import Draft, candidates_for_draft, candidates_for_matter
from sanbao.matters.models import Matter
from sanbao.matters.policy import access_matter
from sanbao.org.jurisdiction import access_object
from sanbao.org.models import Unit

TEXT_LIMIT = 5000


class DraftSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, default="")
    narrative = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="")
    id_numbers = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, default=list)
    phones = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, default=list)
    organisations = serializers.ListField(child=serializers.CharField(max_length=100), max_length=20, default=list)


class CandidateSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    received_at = serializers.DateTimeField()
    likely_same = serializers.BooleanField(help_text="The intake decision says it is the same matter.")
    similarity = serializers.FloatField()
    same_person = serializers.BooleanField()
    same_organisation = serializers.BooleanField()
    other_person = serializers.BooleanField(
        help_text="Both name people by ID number or phone and none is shared: never likely the same matter."
    )
    differences = serializers.ListField(child=serializers.CharField(), help_text="Named things that differ.")


class LinkSerializer(serializers.ModelSerializer):
    submission = serializers.CharField(source="submission.code")
    original = serializers.CharField(source="original.code")
    decided_by = serializers.CharField(source="decided_by.username")
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = DuplicateLink
        fields = [
            "id",
            "submission",
            "original",
            "kind",
            "similarity",
            "reasons",
            "note",
            "decided_by",
            "decided_at",
            "undone_at",
            "active",
        ]


class DecideSerializer(serializers.Serializer):
    submission = serializers.CharField(max_length=40, help_text="Code of the later submission.")
    original = serializers.CharField(max_length=40, help_text="Code of the earlier matter.")
    kind = serializers.ChoiceField(choices=DuplicateKind.choices)
    note = serializers.CharField(max_length=500, allow_blank=True, default="")


class WarningSerializer(serializers.ModelSerializer):
    matters = serializers.SerializerMethodField(help_text="Codes of the member matters the caller may see.")
    assigned_unit = serializers.CharField(source="assigned_unit.name", allow_null=True, default=None)

    class Meta:
        model = EarlyWarning
        fields = [
            "id",
            "area_code",
            "site",
            "label",
            "level",
            "why",
            "people_count",
            "matter_count",
            "risk_words",
            "score",
            "first_at",
            "last_at",
            "status",
            "assigned_unit",
            "assigned_at",
            "created_at",
            "updated_at",
            "closed_at",
            "closed_note",
            "matters",
        ]

    def get_matters(self, warning) -> list[str]:
        user = self.context["request"].user
        return list(Matter.objects.visible_to(user).filter(early_warnings=warning).values_list("code", flat=True))


class AssignSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    note = serializers.CharField(max_length=1000, allow_blank=True, default="")


class CloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)
    dismiss = serializers.BooleanField(default=False)


def _require_checker(user) -> None:
    if not (user.roles & policy.DECIDE_ROLES):
        raise PermissionDenied(_("Only intake clerks and centre directors check for duplicates."))


class DraftCandidatesView(APIView):
    @extend_schema(request=DraftSerializer, responses=CandidateSerializer(many=True), tags=["intake"])
    def post(self, request):
        _require_checker(request.user)
        data = DraftSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = Draft(
            **{key: tuple(value) if isinstance(value, list) else value for key, value in data.validated_data.items()}
        )
        return Response([candidate.as_dict() for candidate in candidates_for_draft(request.user, draft)])


class MatterDuplicatesView(APIView):
    @extend_schema(responses={200: dict}, tags=["intake"])
    def get(self, request, code):
        matter = access_matter(request.user, code)
        links = DuplicateLink.objects.touching(matter).select_related("submission", "original", "decided_by")
        return Response(
            {
                "candidates": [candidate.as_dict() for candidate in candidates_for_matter(request.user, matter)],
                "decisions": LinkSerializer(links, many=True).data,
            }
        )


class DecideView(APIView):
    @extend_schema(request=DecideSerializer, responses={201: LinkSerializer}, tags=["intake"])
    def post(self, request):
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        submission = access_matter(request.user, data.validated_data["submission"])
        original = access_matter(request.user, data.validated_data["original"])
        link = actions.decide_duplicate(
            actor=request.user,
            submission=submission,
            original=original,
            kind=data.validated_data["kind"],
            note=data.validated_data["note"],
        )
        return Response(LinkSerializer(link).data, status=status.HTTP_201_CREATED)


class UndoView(APIView):
    @extend_schema(request=None, responses=LinkSerializer, tags=["intake"])
    def post(self, request, pk):
        link = DuplicateLink.objects.select_related("submission", "original").filter(pk=pk).first()
        if link is None:
            raise NotFound()
        # Both matters must be visible: 404 (audited) otherwise, as for any matter.
        access_matter(request.user, link.submission.code)
        access_matter(request.user, link.original.code)
        return Response(LinkSerializer(actions.undo_duplicate(actor=request.user, link=link)).data)


def _require_warning_viewer(user) -> None:
    if not policy.may_view_warnings(user):
        raise PermissionDenied(_("Early warnings are shown to clerks, directors, committee staff and leaders."))


class WarningListView(APIView):
    @extend_schema(responses=WarningSerializer(many=True), tags=["intake"])
    def get(self, request):
        _require_warning_viewer(request.user)
        warnings = EarlyWarning.objects.visible_to(request.user).open().select_related("assigned_unit")[:200]
        return Response(WarningSerializer(warnings, many=True, context={"request": request}).data)


class WarningDetailView(APIView):
    @extend_schema(responses=WarningSerializer, tags=["intake"])
    def get(self, request, pk):
        _require_warning_viewer(request.user)
        warning = access_object(request.user, EarlyWarning.objects.select_related("assigned_unit"), pk=pk)
        return Response(WarningSerializer(warning, context={"request": request}).data)


class WarningAssignView(APIView):
    @extend_schema(request=AssignSerializer, responses=WarningSerializer, tags=["intake"])
    def post(self, request, pk):
        _require_warning_viewer(request.user)
        warning = access_object(request.user, EarlyWarning.objects.all(), pk=pk)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        unit = Unit.objects.filter(pk=data.validated_data["unit"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit": [_("No such unit.")]})
        warning = actions.assign_warning(
            actor=request.user, warning=warning, unit=unit, note=data.validated_data["note"]
        )
        return Response(WarningSerializer(warning, context={"request": request}).data)


class WarningCloseView(APIView):
    @extend_schema(request=CloseSerializer, responses=WarningSerializer, tags=["intake"])
    def post(self, request, pk):
        _require_warning_viewer(request.user)
        warning = access_object(request.user, EarlyWarning.objects.all(), pk=pk)
        data = CloseSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        warning = actions.close_warning(actor=request.user, warning=warning, **data.validated_data)
        return Response(WarningSerializer(warning, context={"request": request}).data)


urlpatterns = [
    path("duplicates/candidates/", DraftCandidatesView.as_view(), name="intake-duplicate-candidates"),
    path("duplicates/matters/<str:code>/", MatterDuplicatesView.as_view(), name="intake-matter-duplicates"),
    path("duplicates/", DecideView.as_view(), name="intake-duplicate-decide"),
    path("duplicates/<int:pk>/undo/", UndoView.as_view(), name="intake-duplicate-undo"),
    path("warnings/", WarningListView.as_view(), name="intake-warning-list"),
    path("warnings/<int:pk>/", WarningDetailView.as_view(), name="intake-warning-detail"),
    path("warnings/<int:pk>/assign/", WarningAssignView.as_view(), name="intake-warning-assign"),
    path("warnings/<int:pk>/close/", WarningCloseView.as_view(), name="intake-warning-close"),
]
