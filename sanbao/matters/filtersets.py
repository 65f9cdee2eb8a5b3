"""The one filter set of the matter list, shared by the UI list, the queues and the API.

Every filter narrows ``Matter.objects.visible_to(user)``; none of them widens
it. Date bounds are turned into aware datetimes at local midnight so the
``received_at`` index is used. The keyword filter is the intake app's
full-text search (jieba words of title, narrative, place and feedback) or a
code prefix. When ``q`` holds words, the list and the API can order the
matches by relevance instead (``relevance_available``, ``without_keyword``):
the ranked search then applies ``q`` and the user's scope itself.
"""

import re
from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sanbao.core.ui import StyledFilterSet
from sanbao.intake.search import matches
from sanbao.matters.choices import MatterKind, MatterState, MatterStatus, RiskLevel, SourceChannel
from sanbao.matters.models import Assignment, Category, Matter
from sanbao.org.jurisdiction import code_within
from sanbao.org.models import Area, Unit

ALL = _("All")
# A keyword that is (the start of) a matter code, e.g. JF-360921101-2026: a code filter, never ranked.
CODE_PREFIX = re.compile(r"[A-Z]{2}-[0-9-]*")
DATE = forms.DateInput(attrs={"type": "date"})


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class MatterFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(
        label=_("Keyword"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=MatterKind.choices, empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MatterStatus.choices, empty_label=ALL)
    state = django_filters.ChoiceFilter(label=_("Step"), choices=MatterState.choices, empty_label=ALL)
    risk_level = django_filters.ChoiceFilter(
        label=_("Risk level"), choices=RiskLevel.choices, empty_label=ALL
    )
    source_channel = django_filters.ChoiceFilter(
        label=_("Source channel"), choices=SourceChannel.choices, empty_label=ALL
    )
    area = django_filters.CharFilter(label=_("Area code"), method="within_area")
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.current().select_related("parent"),
        method="in_category",
        empty_label=ALL,
    )
    category_id = django_filters.NumberFilter(label=_("Category (exact)"), field_name="category_id")
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=Unit.objects.filter(is_active=True), method="held_by", empty_label=ALL
    )
    lead_unit_id = django_filters.NumberFilter(label=_("Lead unit"), field_name="lead_unit_id")
    owner_unit_id = django_filters.NumberFilter(label=_("Responsible centre"), field_name="owner_unit_id")
    received_after = django_filters.DateFilter(label=_("Received from"), method="received_from", widget=DATE)
    received_before = django_filters.DateFilter(
        label=_("Received until"), method="received_until", widget=DATE
    )
    tag = django_filters.CharFilter(label=_("Tag"), field_name="tags__name")

    class Meta:
        model = Matter
        fields = [
            "q",
            "kind",
            "status",
            "state",
            "risk_level",
            "source_channel",
            "area",
            "category",
            "category_id",
            "unit",
            "lead_unit_id",
            "owner_unit_id",
            "received_after",
            "received_before",
            "tag",
        ]

    @property
    def keyword(self) -> str:
        """The ``q`` asked for, stripped ('' when there is none or the filters are invalid)."""
        return (self.form.cleaned_data.get("q") or "").strip() if self.is_valid() else ""

    @property
    def relevance_available(self) -> bool:
        """Whether the matches can be ordered by relevance: ``q`` holds words, not a code prefix."""
        keyword = self.keyword
        return bool(keyword) and not CODE_PREFIX.fullmatch(keyword.upper())

    def without_keyword(self):
        """The queryset narrowed by every filter but ``q``, for the ranked search, which applies ``q`` itself."""
        queryset = self.queryset
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        by_code = Q(code__startswith=value.upper()) if value else Q(pk__in=[])
        matching = matches(value)
        return queryset.filter(by_code if matching is None else by_code | matching)

    def within_area(self, queryset, name, value):
        area = Area.objects.current().filter(code=value.strip()).first()
        if area is None:
            return queryset.none()
        return queryset.filter(code_within("area_code", area.prefix))

    def in_category(self, queryset, name, value):
        return queryset.filter(Q(category=value) | Q(category__parent=value))

    @extend_schema_field(OpenApiTypes.INT)  # the unit's id
    def held_by(self, queryset, name, value):
        return queryset.filter(Exists(Assignment.objects.held_by(value.pk).filter(matter=OuterRef("pk"))))

    def received_from(self, queryset, name, value):
        return queryset.filter(received_at__gte=_start_of(value))

    def received_until(self, queryset, name, value):
        return queryset.filter(received_at__lt=_start_of(value + timedelta(days=1)))
