"""The work calendar as stored in the database, cached per process and per year.

``work_calendar()`` returns a ``WorkCalendar`` whose years load lazily from
``SpecialDay``; it is rebuilt when ``CalendarState.token`` changes (every edit
renews it), which costs one indexed single-row query per call.

``missing_years_for_session(session)`` keeps the answer of ``missing_years()`` in
the user's session for a minute, for the banner every staff page shows.
"""

import threading
from datetime import date

from django.db import DatabaseError
from django.utils import timezone

from sanbao.deadlines.calculator import WorkCalendar, YearDays
from sanbao.deadlines.choices import DayKind

_lock = threading.Lock()
_cached: tuple[object, WorkCalendar] | None = None

SESSION_KEY = "sanbao.calendar_missing_years"
SESSION_MAX_AGE = 60  # seconds another user's calendar edit may take to reach this user's banner


def _load_year(year: int) -> YearDays:
    from sanbao.deadlines.models import SpecialDay

    rows = SpecialDay.objects.filter(date__gte=date(year, 1, 1), date__lte=date(year, 12, 31))
    holidays, workdays = set(), set()
    for day, kind in rows.values_list("date", "kind"):
        (holidays if kind == DayKind.HOLIDAY else workdays).add(day)
    return YearDays(frozenset(holidays), frozenset(workdays))


def _current_token():
    from sanbao.deadlines.models import CalendarState

    return CalendarState.objects.filter(pk=1).values_list("token", flat=True).first()


def work_calendar() -> WorkCalendar:
    """The calendar as the database holds it now."""
    global _cached
    token = _current_token()
    with _lock:
        if _cached is None or _cached[0] != token:
            _cached = (token, WorkCalendar(loader=_load_year))
        return _cached[1]


def years_to_check(today: date) -> list[int]:
    """The current year, and from November on the next year too (announced around then)."""
    return [today.year, today.year + 1] if today.month >= 11 else [today.year]


def missing_years(today: date | None = None) -> list[int]:
    """Years that must have holiday data now but have none (counting falls back to weekends)."""
    today = today or timezone.localdate()
    calendar = work_calendar()
    return [year for year in years_to_check(today) if not calendar.year(year).has_data]


def missing_years_for_session(session) -> list[int]:
    """``missing_years()`` as this session last saw it, checked again once it is a minute old.

    The banner is rendered in each page's first response, so nothing moves after the page
    appears; the session is read and saved on every request anyway (SESSION_SAVE_EVERY_REQUEST),
    so pages spend no query on it, only one check a minute per user.
    """
    now = timezone.now().timestamp()
    kept = session.get(SESSION_KEY)
    if kept and 0 <= now - kept["checked"] < SESSION_MAX_AGE:
        return kept["years"]
    years = missing_years()
    session[SESSION_KEY] = {"years": years, "checked": now}
    return years


def forget_missing_years(session) -> None:
    """After this user edited the calendar: their next page checks again."""
    session.pop(SESSION_KEY, None)


def health() -> str:
    """For /healthz: ``ok`` or ``missing:2027`` (years without holiday data), ``unknown`` before migrate."""
    try:
        missing = missing_years()
    except DatabaseError:
        return "unknown"
    return "missing:" + ",".join(str(year) for year in missing) if missing else "ok"
