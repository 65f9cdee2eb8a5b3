"""API of the deadlines app: calendar days, rules, a matter's clocks (scoped like matters), notifications."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from sanbao.deadlines import actions
from sanbao.deadlines.api.serializers import (
    DeadlineSerializer,
    NotificationSerializer,
    PauseSerializer,
    RuleSerializer,
    SpecialDaySerializer,
)
from sanbao.deadlines.models import Deadline, Notification, SpecialDay, TimeLimitRule
from sanbao.org.jurisdiction import access_object


class CalendarView(generics.ListAPIView):
    """Public holidays and make-up workdays of one year (``?year=``, default this year)."""

    serializer_class = SpecialDaySerializer
    pagination_class = None

    def get_queryset(self):
        year = self.request.query_params.get("year") or str(timezone.localdate().year)
        if not year.isdigit():
            raise ValidationError({"year": ["Enter a year, e.g. 2026."]})
        return SpecialDay.objects.filter(date__year=int(year)).order_by("date")

    @extend_schema(parameters=[OpenApiParameter("year", OpenApiTypes.INT, description="e.g. 2026")])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RuleViewSet(viewsets.ReadOnlyModelViewSet):
    """Current time-limit rules."""

    serializer_class = RuleSerializer
    lookup_field = "key"
    lookup_value_regex = "[^/]+"  # rule keys contain dots (petition.conclude)
    queryset = TimeLimitRule.objects.current().order_by("id")


class DeadlineViewSet(viewsets.ReadOnlyModelViewSet):
    """Clocks of the matters the user may see; ``?matter=<code>`` narrows to one matter."""

    serializer_class = DeadlineSerializer
    filterset_fields = ["status", "colour"]

    def get_queryset(self):
        rows = Deadline.objects.visible_to(self.request.user).select_related("matter", "rule", "unit")
        code = self.request.query_params.get("matter")
        return rows.filter(matter__code=code) if code else rows

    def get_object(self):
        return access_object(self.request.user, Deadline.objects.select_related("matter", "rule", "unit"),
                             pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[OpenApiParameter("matter", OpenApiTypes.STR, description="matter code")],
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=PauseSerializer, responses={200: DeadlineSerializer})
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        serializer = PauseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deadline = actions.pause_deadline(self.get_object(), actor=request.user, **serializer.validated_data)
        return Response(DeadlineSerializer(deadline).data)

    @extend_schema(request=None, responses={200: DeadlineSerializer})
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        deadline = actions.resume_deadline(self.get_object(), actor=request.user)
        return Response(DeadlineSerializer(deadline).data)


class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The signed-in user's own notifications."""

    serializer_class = NotificationSerializer
    filterset_fields = ["is_read"]

    def get_queryset(self):
        return Notification.objects.for_user(self.request.user)
