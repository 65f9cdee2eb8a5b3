"""Test helpers: a calendar built straight from the chinesecalendar package (no database)."""

from sanbao.deadlines.calculator import WorkCalendar, YearDays
from sanbao.deadlines.choices import DayKind
from sanbao.deadlines.seed import package_days

_DAYS = package_days()


def _year(year: int) -> YearDays:
    days = _DAYS.get(year, [])
    return YearDays(
        frozenset(day for day, kind, _ in days if kind == DayKind.HOLIDAY),
        frozenset(day for day, kind, _ in days if kind == DayKind.WORKDAY),
    )


def package_calendar() -> WorkCalendar:
    return WorkCalendar(loader=_year)
