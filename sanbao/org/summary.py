"""Read-only counts over a jurisdiction, for the home page and the area pages.

Counts are grouped in the database by a prefix of the area code, so an
overview costs a fixed handful of queries however many areas lie below.
"""

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import Substr

from sanbao.org.choices import PREFIX_LENGTH, AreaLevel
from sanbao.org.jurisdiction import code_within
from sanbao.org.models import Area, Unit, User


@dataclass
class AreaCounts:
    """Sub-areas by level, units and users below (and including) one area."""

    area: Area
    levels: dict[str, int] = field(default_factory=dict)
    units: int = 0
    users: int = 0

    @property
    def level_counts(self) -> list[tuple[str, int]]:
        """(level label, count) for each level below the area, top-down, zeros included."""
        below = [level for level in AreaLevel if PREFIX_LENGTH[level] > PREFIX_LENGTH[self.area.level]]
        return [(AreaLevel(level).label, self.levels.get(level, 0)) for level in below]


def _grouped(queryset, code_field: str, length: int, *values: str) -> list[dict]:
    return list(
        queryset.order_by()
        .annotate(group=Substr(code_field, 1, length))
        .values("group", *values)
        .annotate(count=Count("id"))
    )


def _current_areas(user, area: Area):
    return Area.objects.current().visible_to(user).filter(code_within("code", area.prefix))


def _active_units(user, area: Area):
    return Unit.objects.visible_to(user).filter(code_within("area__code", area.prefix), is_active=True)


def _active_users(user, area: Area):
    return User.objects.visible_to(user).filter(code_within("unit__area__code", area.prefix), is_active=True)


def counts_below(user, areas: list[Area], within: Area) -> list[AreaCounts]:
    """Counts for each of ``areas`` (siblings directly below ``within``), in the user's jurisdiction."""
    if not areas:
        return []
    length = PREFIX_LENGTH[areas[0].level]
    rows = {area.code[:length]: AreaCounts(area) for area in areas}
    for row in _grouped(_current_areas(user, within), "code", length, "level"):
        if row["group"] in rows and row["level"] != areas[0].level:
            rows[row["group"]].levels[row["level"]] = row["count"]
    for row in _grouped(_active_units(user, within), "area__code", length):
        if row["group"] in rows:
            rows[row["group"]].units = row["count"]
    for row in _grouped(_active_users(user, within), "unit__area__code", length):
        if row["group"] in rows:
            rows[row["group"]].users = row["count"]
    return list(rows.values())


def counts_for(user, area: Area) -> AreaCounts:
    """Counts for the subtree of ``area`` (which the caller has loaded through the user's scope)."""
    counts = AreaCounts(area)
    below = _current_areas(user, area).exclude(pk=area.pk).order_by().values("level")
    counts.levels = dict(below.annotate(count=Count("id")).values_list("level", "count"))
    counts.units = _active_units(user, area).count()
    counts.users = _active_users(user, area).count()
    return counts


def current_children(user, area: Area):
    """The current areas directly below ``area`` that the user may see."""
    return Area.objects.current().visible_to(user).filter(parent=area).order_by("code")
