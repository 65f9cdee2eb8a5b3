"""Filters for the organisation lists (UI; the API can share them).

Choice querysets are the user's jurisdiction, so a filter never offers, or
accepts, a unit the user may not see.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.core.ui import StyledFilterSet
from sanbao.org.choices import AreaLevel, Role, UnitType
from sanbao.org.models import Area, Unit, User

SEARCH = forms.TextInput(attrs={"type": "search"})
ALL = _("All")


def _scoped_units(request):
    if request is None:
        return Unit.objects.none()
    return Unit.objects.visible_to(request.user).order_by("area__code", "name")


class AreaFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="search", widget=SEARCH)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=AreaLevel.choices, empty_label=ALL)

    class Meta:
        model = Area
        fields = ["q", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__startswith=value))


class UnitFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Name"), field_name="name", lookup_expr="icontains", widget=SEARCH)
    unit_type = django_filters.ChoiceFilter(label=_("Type"), choices=UnitType.choices, empty_label=ALL)
    is_judicial = django_filters.BooleanFilter(label=_("Judicial organ"))

    class Meta:
        model = Unit
        fields = ["q", "unit_type", "is_judicial"]


class UserFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("Username or name"), method="search", widget=SEARCH)
    role = django_filters.ChoiceFilter(
        label=_("Role"), choices=Role.choices, field_name="role_grants__role", empty_label=ALL
    )
    unit = django_filters.ModelChoiceFilter(label=_("Unit"), queryset=_scoped_units, empty_label=ALL)

    class Meta:
        model = User
        fields = ["q", "role", "unit"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))
