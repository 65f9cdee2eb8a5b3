"""The triage API.

- ``POST /api/v1/intake/triage/suggest/``: the likeliest category and lead unit for a matter being registered.
- ``GET /api/v1/intake/triage/models/``: the trained models, their held-out scores and the training state
  (what ``/intake/triage/`` shows); ``POST /api/v1/intake/triage/models/retrain/`` queues a training.
"""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from sanbao.core.errors import PermissionDenied as DomainPermissionDenied
from sanbao.intake.tasks import NIGHTLY_TRAINING
from sanbao.intake.triage import actions
from sanbao.intake.triage.policy import may_manage_triage, may_suggest
from sanbao.intake.triage.site import load_models
from sanbao.intake.triage.views import TEXT_LIMIT, suggestion_for


class SuggestRequestSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, allow_blank=True, default="", label=_("title"))
    narrative = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, default="", label=_("narrative"))
    kind = serializers.CharField(max_length=32, allow_blank=True, default="", label=_("kind"))
    area_code = serializers.CharField(max_length=15, allow_blank=True, default="", label=_("area code"))


class ChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    confidence = serializers.FloatField(help_text="Softmax of the classifier's scores, 0–1.")


class SuggestResponseSerializer(serializers.Serializer):
    available = serializers.BooleanField(help_text="False when no model is trained or the text says too little.")
    version = serializers.IntegerField(allow_null=True)
    category = ChoiceSerializer(allow_null=True)
    lead_unit = ChoiceSerializer(allow_null=True, help_text="Always one of the units the caller may assign.")


class TriageSuggestView(APIView):
    """Intake clerks and centre directors: suggestions from the site's trained models."""

    @extend_schema(request=SuggestRequestSerializer, responses=SuggestResponseSerializer, tags=["intake"])
    def post(self, request):
        if not may_suggest(request.user):
            raise PermissionDenied(_("Only intake clerks and centre directors get triage suggestions."))
        query = SuggestRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        suggestion = suggestion_for(request.user, query.validated_data)
        body = {"available": suggestion is not None, "version": None, "category": None, "lead_unit": None}
        return Response(SuggestResponseSerializer(body | (suggestion or {})).data)


class TrainingSerializer(serializers.Serializer):
    running_since = serializers.DateTimeField(allow_null=True)
    queued_since = serializers.DateTimeField(allow_null=True, help_text="A run due now, waiting for the worker.")
    next_run = serializers.DateTimeField(allow_null=True, help_text="The next automatic (nightly) training.")
    busy = serializers.BooleanField(help_text="True while a run is queued or running: retrain queues nothing.")


class ModelsSerializer(serializers.Serializer):
    trained = serializers.BooleanField()
    version = serializers.IntegerField(allow_null=True)
    trained_at = serializers.DateTimeField(allow_null=True)
    n = serializers.IntegerField(allow_null=True, help_text="Matters the models learnt from.")
    evaluation = serializers.DictField(help_text="Held-out scores per model (matters closed in the last 60 days).")
    training = TrainingSerializer()


def _models_body() -> dict:
    models = load_models()
    return {
        "trained": models is not None,
        "version": models.version if models else None,
        "trained_at": models.trained_at if models else None,
        "n": models.n if models else None,
        "evaluation": models.evaluation if models else {},
        "training": NIGHTLY_TRAINING.status(),
    }


class TriageModelsView(APIView):
    """Centre directors, committee staff and system administrators: the models and their training."""

    @extend_schema(responses=ModelsSerializer, tags=["intake"])
    def get(self, request):
        if not may_manage_triage(request.user):
            raise PermissionDenied(_("Only centre directors, committee staff and system administrators see this page."))
        return Response(ModelsSerializer(_models_body()).data)


class TriageRetrainView(APIView):
    """Queue a training now (audited); 202 when queued, 200 when one is already queued or running."""

    @extend_schema(request=None, responses={200: ModelsSerializer, 202: ModelsSerializer}, tags=["intake"])
    def post(self, request):
        try:
            queued = actions.request_retraining(actor=request.user)
        except DomainPermissionDenied as error:
            raise PermissionDenied(str(error.message)) from error
        return Response(ModelsSerializer(_models_body()).data, status=200 if queued is None else 202)


urlpatterns = [
    path("suggest/", TriageSuggestView.as_view(), name="intake-triage-suggest"),
    path("models/", TriageModelsView.as_view(), name="intake-triage-models"),
    path("models/retrain/", TriageRetrainView.as_view(), name="intake-triage-retrain"),
]
