"""Verbs of the work calendar: add or remove a special day, import a year, add years from the package.

Only the system administrator (or the system itself, ``actor=None``) may call
them. Each one locks ``CalendarState``, writes, renews its token (so every
process reloads the calendar) and records one audit event.
"""

import uuid
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import ValidationFailed
from sanbao.deadlines import events, seed
from sanbao.deadlines.calendar_import import parse_year
from sanbao.deadlines.choices import DayKind
from sanbao.deadlines.models import CalendarState, SpecialDay
from sanbao.deadlines.policy import check_can_manage_calendar


def _lock_calendar() -> CalendarState:
    CalendarState.objects.get_or_create(pk=1)
    return CalendarState.objects.select_for_update().get(pk=1)


def _renew(state: CalendarState) -> None:
    state.token = uuid.uuid4()
    state.save(update_fields=["token"])


def _check_day(day: date, kind: str, name: str) -> None:
    if kind not in DayKind.values:
        raise ValidationFailed(_("The type must be a public holiday or a make-up workday."), field="kind")
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        raise ValidationFailed(_("A make-up workday must be a Saturday or a Sunday."), field="date")
    if len(name) > 60:
        raise ValidationFailed(_("The name is too long (at most 60 characters)."), field="name")


def add_special_day(*, actor, day: date, kind: str, name: str = "") -> SpecialDay:
    """Add a public holiday or a make-up workday. Audited as ``deadlines.calendar_day_added``."""
    check_can_manage_calendar(actor)
    name = name.strip()
    _check_day(day, kind, name)
    with transaction.atomic():
        state = _lock_calendar()
        if SpecialDay.objects.filter(date=day).exists():
            raise ValidationFailed(
                _("%(date)s is already in the calendar; remove it first.") % {"date": day.isoformat()},
                code="duplicate", field="date",
            )
        special = SpecialDay.objects.create(date=day, kind=kind, name=name, source="manual")
        _renew(state)
        record_event(events.CALENDAR_DAY_ADDED, actor=actor, target=special,
                     after={"date": day, "kind": kind, "name": name})
    return special


def remove_special_day(*, actor, day: date) -> None:
    """Remove a special day (it becomes an ordinary weekday or weekend day). Audited."""
    check_can_manage_calendar(actor)
    with transaction.atomic():
        state = _lock_calendar()
        special = SpecialDay.objects.filter(date=day).first()
        if special is None:
            message = _("%(date)s is not a special day.") % {"date": day.isoformat()}
            raise ValidationFailed(message, code="not_found", field="date")
        before = {"date": special.date, "kind": special.kind, "name": special.name}
        record_event(events.CALENDAR_DAY_REMOVED, actor=actor, target=special, before=before)
        special.delete()
        _renew(state)


def import_calendar_year(*, actor, year: int, text: str) -> int:
    """Replace ``year``'s special days with the CSV ``text`` (``date,type,name``), all or nothing.

    Bad rows raise ``ValidationFailed`` naming every bad line; nothing is
    written then. Returns the number of days imported. Audited once.
    """
    check_can_manage_calendar(actor)
    if not 2000 <= year <= 2100:
        raise ValidationFailed(_("The year must be between 2000 and 2100."), field="year")
    rows, errors = parse_year(text, year)
    if errors:
        raise ValidationFailed("; ".join(str(error) for error in errors), code="import_failed", field="file")
    with transaction.atomic():
        state = _lock_calendar()
        in_year = SpecialDay.objects.filter(date__year=year)
        before = in_year.count()
        in_year.delete()
        SpecialDay.objects.bulk_create(
            SpecialDay(date=row.date, kind=row.kind, name=row.name, source="import") for row in rows
        )
        _renew(state)
        record_event(events.CALENDAR_IMPORTED, actor=actor,
                     before={"year": year, "days": before}, after={"year": year, "days": len(rows)})
    return len(rows)


def seed_calendar(*, actor) -> list[int]:
    """Add the years the installed ``chinesecalendar`` knows and the database lacks. Returns them."""
    check_can_manage_calendar(actor)
    with transaction.atomic():
        state = _lock_calendar()
        existing = {first.year for first in SpecialDay.objects.dates("date", "year")}
        rows, years = seed.new_rows(SpecialDay, existing)
        if not years:
            return []
        SpecialDay.objects.bulk_create(rows)
        _renew(state)
        record_event(events.CALENDAR_SEEDED, actor=actor, after={"years": years, "days": len(rows)})
    return years
