"""The matters API: thin views over the verbs.

Matters are addressed by code and loaded through ``policy.access_matter``
(404 for missing and out of scope). Every operation is
``POST /matters/{code}/actions/{verb}/`` with its own request serializer in
the OpenAPI schema; the table ``ACTIONS`` maps each path to its verb.
Responses carry ``ETag: "<version>"``; ``If-Match`` (or ``expected_version``
in the body) makes a stale write fail with 409 instead of overwriting.
The list is cursor-paged in its ``ordering``; with words in ``q`` and no
``ordering`` it is the ranked search (best match first), paged by ``offset``.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from sanbao.audit.actions import record_personal_data_view
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.intake.search import MAX_OFFSET, add_snippets, ranked_matters
from sanbao.matters import actions, policy
from sanbao.matters.api import serializers as s
from sanbao.matters.filtersets import MatterFilterSet
from sanbao.matters.models import Assignment, Category, Matter, MatterEvent
from sanbao.matters.workflows import WORKFLOWS, workflow_graph
from sanbao.org.models import Area


def _expected_version(request, data: dict) -> int | None:
    """``expected_version`` from the body, else from ``If-Match: "<version>"``."""
    if data.get("expected_version"):
        return data["expected_version"]
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise ValidationFailed(_("If-Match must be the ETag of the matter."), code="bad_if_match", field="If-Match")
    return int(value)


def _area(code: str) -> Area:
    area = Area.objects.current().filter(code=(code or "").strip()).first()
    if area is None:
        raise ValidationFailed(_("Choose an existing area."), code="invalid_choice", field="area")
    return area


@dataclass(frozen=True)
class ApiAction:
    """One ``actions/<path>/`` endpoint: its input serializer and the verb call it makes."""

    path: str
    serializer: type[serializers.Serializer]
    summary: str

    def perform(self, matter: Matter, user, data: dict, version: int | None) -> Any:
        return PERFORMERS[self.path](matter, user, data, version)


PERFORMERS = {
    "accept": lambda m, u, d, v: actions.accept_matter(m, actor=u, comment=d["comment"], expected_version=v),
    "refuse": lambda m, u, d, v: actions.refuse_matter(m, actor=u, reason=d["reason"], expected_version=v),
    "assign": lambda m, u, d, v: actions.assign_matter(
        m,
        actor=u,
        lead_unit=d["lead_unit"],
        co_units=d["co_units"],
        instructions=d["instructions"],
        expected_version=v,
    ),
    "sign": lambda m, u, d, v: actions.sign_assignment(m, actor=u, expected_version=v),
    "send-back": lambda m, u, d, v: actions.send_back_assignment(m, actor=u, reason=d["reason"], expected_version=v),
    "reassign": lambda m, u, d, v: actions.reassign_matter(
        m,
        actor=u,
        lead_unit=d["lead_unit"],
        co_units=d["co_units"],
        instructions=d["instructions"],
        reason=d["reason"],
        expected_version=v,
    ),
    "transfer": lambda m, u, d, v: actions.transfer_matter(
        m, actor=u, area=_area(d["area"]), reason=d["reason"], expected_version=v
    ),
    "consult": lambda m, u, d, v: actions.consult_on_matter(
        m, actor=u, summary=d["summary"], participants=d["participants"], expected_version=v
    ),
    "note": lambda m, u, d, v: actions.add_note(m, actor=u, text=d["text"]),
    "extension-request": lambda m, u, d, v: actions.request_extension(m, actor=u, days=d["days"], reason=d["reason"]),
    "extension-decide": lambda m, u, d, v: actions.decide_extension(
        m, actor=u, approve=d["approve"], comment=d["comment"]
    ),
    "feedback": lambda m, u, d, v: actions.submit_feedback(
        m,
        actor=u,
        result=d["result"],
        opinion=d["opinion"],
        is_resolved=d["is_resolved"],
        attachments=d["attachments"],
        expected_version=v,
    ),
    "review": lambda m, u, d, v: actions.review_feedback(
        m, actor=u, decision=d["decision"], comment=d["comment"], expected_version=v
    ),
    "follow-up": lambda m, u, d, v: actions.record_follow_up(
        m,
        actor=u,
        method=d["method"],
        satisfaction=d["satisfaction"],
        comment=d["comment"],
        expected_version=v,
    ),
    "close": lambda m, u, d, v: actions.close_matter(m, actor=u, reason=d["reason"], expected_version=v),
    "reopen": lambda m, u, d, v: actions.reopen_matter(m, actor=u, reason=d["reason"], expected_version=v),
    "review-request": lambda m, u, d, v: actions.request_review(
        m,
        actor=u,
        reason=d["reason"],
        reviewing_unit=d["reviewing_unit"],
        requested_on=d.get("requested_on"),
        expected_version=v,
    ),
    "legal-channel": lambda m, u, d, v: actions.move_to_legal_channel(
        m, actor=u, route=d["route"], body=d["body"], comment=d["comment"], expected_version=v
    ),
    "supervise": lambda m, u, d, v: actions.supervise_matter(m, actor=u, notice=d["notice"], due_date=d["due_date"]),
    "instruct": lambda m, u, d, v: actions.instruct_on_matter(m, actor=u, text=d["text"]),
    "take-charge": lambda m, u, d, v: actions.take_charge(m, actor=u, text=d["text"]),
}

ACTIONS = [
    ApiAction("accept", s.CommentSerializer, "受理 Accept (petition) / start first mediation (dispute)"),
    ApiAction("refuse", s.ReasonSerializer, "不予受理 Refuse, with the reason told to the person"),
    ApiAction("assign", s.AssignSerializer, "交办 Assign to a lead unit and co-units"),
    ApiAction("sign", s.ActionSerializer, "签收 Sign for the assignment of your unit"),
    ApiAction("send-back", s.ReasonSerializer, "退单 Send a mis-assignment back"),
    ApiAction("reassign", s.ReassignSerializer, "改派 Reassign to another lead unit"),
    ApiAction("transfer", s.TransferSerializer, "转办 Transfer to the centre of another area"),
    ApiAction("consult", s.ConsultSerializer, "会商 Record the joint consultation (incident)"),
    ApiAction("note", s.NoteSerializer, "进展记录 Add a progress note"),
    ApiAction("extension-request", s.ExtensionRequestSerializer, "延期申请 Ask for more days"),
    ApiAction("extension-decide", s.ExtensionDecideSerializer, "延期审批 Approve or deny the pending extension"),
    ApiAction("feedback", s.FeedbackSerializer, "反馈/答复 Submit the result (JSON, or multipart with files)"),
    ApiAction("review", s.ReviewSerializer, "审核 Approve the feedback or return it for rework"),
    ApiAction("follow-up", s.FollowUpSerializer, "回访 Record the follow-up visit (不满意 reopens)"),
    ApiAction("close", s.ReasonSerializer, "结案 Close without (another) follow-up visit"),
    ApiAction("reopen", s.ReasonSerializer, "重办 Reopen a closed matter"),
    ApiAction("review-request", s.ReviewRequestSerializer, "复查/复核 Register the petitioner's request"),
    ApiAction("legal-channel", s.LegalChannelSerializer, "导入法定程序 Move to a legal procedure"),
    ApiAction("supervise", s.SuperviseSerializer, "督办 Issue a supervision notice with a new deadline"),
    ApiAction("instruct", s.TextSerializer, "批示 Leader instruction"),
    ApiAction("take-charge", s.OptionalTextSerializer, "包案 Leader takes charge"),
]
ACTION_PATHS = {spec.path for spec in ACTIONS}
# Verb keys as ``policy.available_verbs`` returns them → the API paths that perform them.
VERB_PATHS = {
    "request_review": "review-request",
    "extension_request": "extension-request",
    "extension_decide": "extension-decide",
    "send_back": "send-back",
    "follow_up": "follow-up",
    "legal_channel": "legal-channel",
    "take_charge": "take-charge",
}


def api_paths(verbs: list[str]) -> list[str]:
    return [VERB_PATHS.get(verb, verb) for verb in verbs if VERB_PATHS.get(verb, verb) in ACTION_PATHS]


class RankedPageSerializer(serializers.Serializer):
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


def _ranked_links(request, offset: int, size: int, has_more: bool) -> tuple[str | None, str | None]:
    """``next`` and ``previous`` of a ranked page: the same URL at another offset (never past MAX_OFFSET)."""
    url = remove_query_param(request.build_absolute_uri(), "cursor")
    following = offset + size
    next_url = replace_query_param(url, "offset", following) if has_more and following <= MAX_OFFSET else None
    if offset == 0:
        return next_url, None
    previous = max(offset - size, 0)
    previous_url = replace_query_param(url, "offset", previous) if previous else remove_query_param(url, "offset")
    return next_url, previous_url


LIST_RELATED = ("category", "area", "lead_unit", "owner_unit")


def detail_queryset():
    active = Assignment.objects.select_related("unit").order_by("id")
    return Matter.objects.select_related(
        "category__scheme", "area", "lead_unit", "owner_unit", "current_handler", "leader_in_charge"
    ).prefetch_related("tags", "parties", "attachments", Prefetch("assignments", queryset=active))


class MatterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Matters in the user's scope: list, register, read, correct, and act on them."""

    lookup_field = "code"
    lookup_value_regex = "[A-Z]{2}-[0-9]{9}-[0-9]{4}-[0-9]{6,}"
    filter_backends = [DjangoFilterBackend, OrderingFilter]
    filterset_class = MatterFilterSet
    ordering_fields = ["id", "received_at", "updated_at"]
    ordering = ["-id"]

    def get_queryset(self):
        if self.action == "list":
            base = Matter.objects.select_related(*LIST_RELATED).with_party_names()  # masked titles
        else:
            base = detail_queryset()
        return base.visible_to(self.request.user)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=False,
                description="Words (best match first unless `ordering` is given; each result gets a `snippet`) "
                "or the start of a code (JF-360921101-…).",
            ),
            OpenApiParameter(
                "offset",
                int,
                required=False,
                description=f"Ranked results only (words in q, no ordering): 0–{MAX_OFFSET}; follow `next`.",
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        """Matters in your scope, newest first (``ordering``); with words in ``q`` and no ``ordering``, best match
        first, as ``/api/v1/search/`` ranks them."""
        # The filter backends by hand: the filter set also tells whether ``q`` is words to rank by.
        filterset = DjangoFilterBackend().get_filterset(request, self.get_queryset(), self)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        if filterset.relevance_available and not request.query_params.get(OrderingFilter.ordering_param):
            return self.ranked_list(request, filterset)
        page = self.paginate_queryset(OrderingFilter().filter_queryset(request, filterset.qs, self))
        if filterset.keyword:
            add_snippets(page, filterset.keyword)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def ranked_list(self, request, filterset: MatterFilterSet) -> Response:
        """Best matches first, paged by offset: ranks have no stable key for cursors (same page shape)."""
        params = RankedPageSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        offset, size = params.validated_data["offset"], self.paginator.get_page_size(request)
        rows, has_more = ranked_matters(
            request.user,
            filterset.keyword,
            limit=size,
            offset=offset,
            queryset=filterset.without_keyword(),
            load=Matter.objects.select_related(*LIST_RELATED),
        )
        next_url, previous_url = _ranked_links(request, offset, size, has_more)
        results = self.get_serializer(rows, many=True).data
        return Response({"next": next_url, "previous": previous_url, "results": results})

    def get_serializer_class(self):
        return s.MatterListSerializer if self.action == "list" else s.MatterDetailSerializer

    def get_object(self):
        return policy.access_matter(self.request.user, self.kwargs["code"], detail_queryset())

    def detail_response(
        self, matter: Matter, status_code: int = status.HTTP_200_OK, *, after_action: bool = False
    ) -> Response:
        """The matter as the user now sees it.

        After an action that took the matter out of the user's scope (退单 by
        the lead unit, 转办 to another area) the result is still shown once,
        masked as always, with no further actions.
        """
        user = self.request.user
        if after_action and not Matter.objects.visible_to(user).filter(pk=matter.pk).exists():
            matter = detail_queryset().get(pk=matter.pk)
        else:
            matter = policy.access_matter(user, matter.code, detail_queryset())
        matter.actions = api_paths(policy.available_verbs(self.request.user, matter))
        matter.can_reveal = policy.can_reveal(self.request.user, matter)
        data = s.MatterDetailSerializer(matter, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers={"ETag": f'"{matter.version}"'})

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.get_object())

    @extend_schema(request=s.MatterCreateSerializer, responses={201: s.MatterDetailSerializer})
    def create(self, request):
        """登记 Register a matter with its parties (attachments: POST …/attachments/ afterwards)."""
        data = self.validated(s.MatterCreateSerializer, request)
        matter = actions.register_matter(actor=request.user, **{**data, "area": _area(data["area"])})
        return self.detail_response(matter, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.MatterUpdateSerializer,
        responses={200: s.MatterDetailSerializer},
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
    )
    def partial_update(self, request, code=None):
        """Correct registration details (clerk or director of the matter's area, while open)."""
        matter = self.get_object()
        data = self.validated(s.MatterUpdateSerializer, request, partial=True)
        tags = data.pop("tags", None)
        matter = actions.update_matter(
            matter,
            actor=request.user,
            changes=data,
            tags=tags,
            expected_version=_expected_version(request, {}),
        )
        return self.detail_response(matter)

    def validated(self, serializer_class, request, partial: bool = False) -> dict:
        serializer = serializer_class(data=request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(responses={200: s.TimelineEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request, code=None):
        """Every event on the matter in order: actor, unit, time, operation, step change, details, note."""
        matter = policy.access_matter(request.user, code)
        events = (
            MatterEvent.objects.filter(matter=matter)
            .select_related("actor", "actor_unit", "note", "matter")
            .order_by("time", "id")
        )
        context = {"mask_names": policy.masked_names(request.user, matter)}
        return Response(s.TimelineEventSerializer(events, many=True, context=context).data)

    @extend_schema(request=s.AttachmentUploadSerializer, responses={201: s.AttachmentSerializer(many=True)})
    @action(detail=True, methods=["post"], url_path="attachments", filter_backends=[])
    def upload(self, request, code=None):
        """Attach files (multipart ``files``); type and size are checked."""
        matter = policy.access_matter(request.user, code)
        data = self.validated(s.AttachmentUploadSerializer, request)
        saved = actions.add_attachments(matter, actor=request.user, files=data["files"], purpose=data["purpose"])
        return Response(s.AttachmentSerializer(saved, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)", filter_backends=[])
    def download(self, request, code=None, attachment_id=None):
        """Download one attachment: those who handle the matter; each download is audited."""
        matter = policy.access_matter(request.user, code)
        attachment = matter.attachments.filter(pk=attachment_id).first()
        if attachment is None:
            return Response({"code": "not_found", "detail": _("No such attachment.")}, status=404)
        if not policy.can_reveal(request.user, matter):
            raise PermissionDenied(_("Only those handling this matter may open its files."), code="not_handling")
        record_personal_data_view(actor=request.user, target=attachment, fields=["file"], area_code=matter.area_code)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)

    @extend_schema(request=None, responses={200: s.RevealedPartySerializer})
    @action(detail=True, methods=["post"], url_path=r"parties/(?P<party_id>\d+)/reveal", filter_backends=[])
    def reveal(self, request, code=None, party_id=None):
        """Show one party unmasked: only users handling the matter; every reveal is audited."""
        matter = policy.access_matter(request.user, code)
        party = matter.parties.filter(pk=party_id).select_related("matter").first()
        if party is None:
            return Response({"code": "not_found", "detail": _("No such party.")}, status=404)
        return Response(actions.reveal_party(party, actor=request.user))

    def run_action(self, request, code, spec: ApiAction) -> Response:
        matter = policy.access_matter(request.user, code)
        data = self.validated(spec.serializer, request)
        spec.perform(matter, request.user, data, _expected_version(request, data))
        return self.detail_response(matter, after_action=True)


def _make_action(spec: ApiAction):
    def handler(self, request, code=None):
        return self.run_action(request, code, spec)

    handler.__name__ = "action_" + spec.path.replace("-", "_")
    handler.__doc__ = spec.summary
    handler = extend_schema(
        request=spec.serializer,
        responses={200: s.MatterDetailSerializer},
        summary=spec.summary,
        parameters=[OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=False)],
    )(handler)
    return action(
        detail=True,
        methods=["post"],
        url_path=f"actions/{spec.path}",
        url_name=f"action-{spec.path}",
        filter_backends=[],
        pagination_class=None,
    )(handler)


for _spec in ACTIONS:
    setattr(MatterViewSet, "action_" + _spec.path.replace("-", "_"), _make_action(_spec))


class PartyLookupView(APIView):
    """Has this person or organisation come before? Matters in your scope with this ID number or phone."""

    @extend_schema(
        parameters=[
            OpenApiParameter("id_number", str, required=False),
            OpenApiParameter("phone", str, required=False),
        ],
        responses={200: s.PartyLookupSerializer(many=True)},
    )
    def get(self, request):
        parties = actions.lookup_parties(
            request.user,
            id_number=request.query_params.get("id_number", ""),
            phone=request.query_params.get("phone", ""),
        )
        return Response(s.PartyLookupSerializer(parties, many=True).data)


class CategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """The current category dictionary of each kind (``?kind=dispute``)."""

    serializer_class = s.CategorySerializer
    pagination_class = None
    filterset_fields = ["parent"]
    queryset = Category.objects.none()

    def get_queryset(self):
        return Category.objects.current(self.request.query_params.get("kind") or None).select_related("scheme")

    @extend_schema(parameters=[OpenApiParameter("kind", str, required=False)])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class WorkflowView(APIView):
    """The workflow of one kind as nodes and edges (what the help-page diagram draws)."""

    @extend_schema(responses={200: dict})
    def get(self, request, kind: str):
        if kind not in WORKFLOWS:
            return Response({"code": "not_found", "detail": _("No such kind.")}, status=404)
        return Response(workflow_graph(kind))
