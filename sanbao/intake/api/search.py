"""``GET /api/v1/search/?q=``: ranked full-text search over the matters in the caller's jurisdiction."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from sanbao.intake.search import MAX_OFFSET, search

MAX_LIMIT = 100


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=200, trim_whitespace=True, label=_("Words to search for"))
    limit = serializers.IntegerField(min_value=1, max_value=MAX_LIMIT, default=20)
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0)


class SearchHitSerializer(serializers.Serializer):
    code = serializers.CharField(source="matter.code")
    title = serializers.CharField(
        source="matter.listed_title", help_text="ID and phone numbers and people's names masked."
    )
    kind = serializers.CharField(source="matter.kind")
    kind_label = serializers.CharField(source="matter.get_kind_display")
    state = serializers.CharField(source="matter.state")
    state_label = serializers.CharField(source="matter.state_label")
    status = serializers.CharField(source="matter.status")
    received_at = serializers.DateTimeField(source="matter.received_at")
    rank = serializers.FloatField(help_text="Smaller is a better match; compare only within one response.")
    snippet = serializers.CharField(help_text="HTML: escaped text with the matched words in <mark>.")


class SearchResultSerializer(serializers.Serializer):
    results = SearchHitSerializer(many=True)
    has_more = serializers.BooleanField()
    next_offset = serializers.IntegerField(allow_null=True)


class SearchView(APIView):
    """Matters in your jurisdiction whose title, narrative, place or feedback contain every word of ``q``."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Words (Chinese is segmented with jieba)."),
            OpenApiParameter("limit", int, required=False, description=f"1–{MAX_LIMIT}, default 20."),
            OpenApiParameter("offset", int, required=False, description=f"0–{MAX_OFFSET}."),
        ],
        responses={200: SearchResultSerializer},
    )
    def get(self, request):
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        limit, offset = params.validated_data["limit"], params.validated_data["offset"]
        hits, has_more = search(request.user, params.validated_data["q"], limit=limit, offset=offset)
        return Response(
            SearchResultSerializer(
                {"results": hits, "has_more": has_more, "next_offset": offset + limit if has_more else None}
            ).data
        )
