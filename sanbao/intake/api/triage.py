"""``POST /api/v1/intake/triage/suggest/``: the likeliest category and lead unit for a matter being registered."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from sanbao.intake.triage.policy import may_suggest
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


urlpatterns = [path("suggest/", TriageSuggestView.as_view(), name="intake-triage-suggest")]
