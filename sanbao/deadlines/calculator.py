"""The one due-date calculator (DOMAIN.md §1). Pure: it reads days only through a ``WorkCalendar``.

Rules of counting:

* The start day is never counted.
* ``calendar``: the period ends ``amount`` days after the start; a last day on a
  rest day (weekend or public holiday, unless it is a 调休 make-up workday)
  rolls to the next working day.
* ``working``: the period ends on the ``amount``-th working day after the start.
* Pauses: a pause from day *a* to day *b* takes the days in (a, b] out of the
  count (a pause and resume on the same day takes none), in the rule's unit;
  the end moves by exactly that many days.
* Extensions run from the end of the original period, in the rule's unit.

A year without holiday data counts weekends only; ``sanbao.deadlines.calendar``
flags such years loudly.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sanbao.deadlines.choices import CountUnit

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class YearDays:
    """The special days of one year. ``has_data`` is False when no holiday is known for the year."""

    holidays: frozenset[date] = frozenset()
    workdays: frozenset[date] = frozenset()

    @property
    def has_data(self) -> bool:
        return bool(self.holidays)


@dataclass
class WorkCalendar:
    """Answers "is this a working day?"; loads each year's special days once through ``loader``."""

    loader: Callable[[int], YearDays]
    _years: dict[int, YearDays] = field(default_factory=dict, repr=False)

    def year(self, year: int) -> YearDays:
        days = self._years.get(year)
        if days is None:
            days = self._years[year] = self.loader(year)
        return days

    def is_working_day(self, day: date) -> bool:
        days = self.year(day.year)
        if day in days.workdays:
            return True
        if day in days.holidays:
            return False
        return day.weekday() < 5

    def roll_forward(self, day: date) -> date:
        """``day`` itself when it is a working day, else the next working day."""
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: date, count: int) -> date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        day = start
        while count > 0:
            day += ONE_DAY
            if self.is_working_day(day):
                count -= 1
        return day

    def subtract_working_days(self, end: date, count: int) -> date:
        """The latest day with exactly ``count`` working days in (day, end] (``end`` a working day)."""
        day = end
        while count > 0:
            if self.is_working_day(day):
                count -= 1
            day -= ONE_DAY
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days lie in (start, end]; 0 when ``end`` is not after ``start``."""
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count


def paused_days(calendar: WorkCalendar, paused_on: date, resumed_on: date, unit: str) -> int:
    """Days a pause from ``paused_on`` to ``resumed_on`` takes out of the count, in ``unit``."""
    if resumed_on <= paused_on:
        return 0
    if unit == CountUnit.WORKING:
        return calendar.working_days_between(paused_on, resumed_on)
    return (resumed_on - paused_on).days


def end_of_period(calendar: WorkCalendar, start: date, amount: int, unit: str) -> date:
    """The last day of ``amount`` days in ``unit`` after ``start``, rolled to a working day."""
    if amount < 0:
        raise ValueError("amount must not be negative")
    if unit == CountUnit.WORKING:
        return calendar.add_working_days(start, amount)
    if unit == CountUnit.CALENDAR:
        return calendar.roll_forward(start + timedelta(days=amount))
    raise ValueError(f"unknown unit {unit!r}")


def due_date(
    calendar: WorkCalendar,
    start: date,
    amount: int,
    unit: str,
    *,
    extension: int = 0,
    paused: int = 0,
    pauses: Iterable[tuple[date, date]] = (),
) -> date:
    """The due date of a time limit: the last day on which the step is still on time.

    ``paused`` is a number of days (in ``unit``) already taken out of the count;
    ``pauses`` are (paused_on, resumed_on) spans whose days are added to it.
    ``extension`` days (in ``unit``) run from the end of the original period.
    """
    if extension < 0 or paused < 0:
        raise ValueError("extension and paused days must not be negative")
    paused += sum(paused_days(calendar, first, last, unit) for first, last in pauses)
    end = end_of_period(calendar, start, amount + paused, unit)
    if extension:
        end = end_of_period(calendar, end, extension, unit)
    return end


def warning_date(
    calendar: WorkCalendar, start: date, due: date, *, share: float, working_days_left: int
) -> date:
    """The first day the step turns yellow: ``share`` of the time gone, or ``working_days_left`` remain.

    Whichever comes first; never before the day after ``start`` nor after ``due``.
    """
    span = (due - start).days
    # The small epsilon keeps 60 × 0.8 = 48.000…01 from rounding up to 49.
    by_share = start + timedelta(days=max(1, math.ceil(span * share - 1e-9)))
    by_days = calendar.subtract_working_days(due, working_days_left) + ONE_DAY if working_days_left else due
    return max(min(by_share, by_days, due), min(start + ONE_DAY, due))
