"""Property tests of the calculator over the real calendar (2004–2026) and years without data."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sanbao.deadlines.calculator import due_date, paused_days
from sanbao.deadlines.tests.helpers import package_calendar

CALENDAR = package_calendar()
starts = st.dates(min_value=date(2004, 1, 1), max_value=date(2028, 12, 31))
amounts = st.integers(min_value=1, max_value=120)
units = st.sampled_from(["calendar", "working"])


@st.composite
def pauses(draw, start):
    spans, cursor = [], start
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        first = cursor + timedelta(days=draw(st.integers(min_value=0, max_value=30)))
        last = first + timedelta(days=draw(st.integers(min_value=0, max_value=40)))
        spans.append((first, last))
        cursor = last
    return spans


@settings(max_examples=400, deadline=None)
@given(start=starts, amount=amounts)
def test_a_calendar_rule_never_ends_on_a_rest_day(start, amount):
    due = due_date(CALENDAR, start, amount, "calendar")
    assert CALENDAR.is_working_day(due)
    # …and it is the first working day on or after the plain end of the period.
    plain_end = start + timedelta(days=amount)
    assert due >= plain_end
    skipped = (plain_end + timedelta(days=offset) for offset in range((due - plain_end).days))
    assert not any(CALENDAR.is_working_day(day) for day in skipped)


@settings(max_examples=400, deadline=None)
@given(start=starts, amount=amounts)
def test_a_working_day_rule_ends_exactly_n_working_days_after_the_start(start, amount):
    due = due_date(CALENDAR, start, amount, "working")
    assert CALENDAR.is_working_day(due)
    assert CALENDAR.working_days_between(start, due) == amount


@settings(max_examples=400, deadline=None)
@given(start=starts, amount=amounts, unit=units, extension=st.integers(min_value=0, max_value=60),
       more=st.integers(min_value=0, max_value=60))
def test_an_extension_never_moves_the_due_date_earlier(start, amount, unit, extension, more):
    without = due_date(CALENDAR, start, amount, unit)
    extended = due_date(CALENDAR, start, amount, unit, extension=extension)
    extended_more = due_date(CALENDAR, start, amount, unit, extension=extension + more)
    assert without <= extended <= extended_more
    if extension:
        assert extended > without


@settings(max_examples=400, deadline=None)
@given(data=st.data(), start=starts, amount=amounts, unit=units)
def test_pauses_push_the_deadline_by_exactly_the_paused_days(data, start, amount, unit):
    spans = data.draw(pauses(start))
    paused = sum(paused_days(CALENDAR, first, last, unit) for first, last in spans)
    without = due_date(CALENDAR, start, amount, unit)
    with_pauses = due_date(CALENDAR, start, amount, unit, pauses=spans)
    if unit == "working":
        assert CALENDAR.working_days_between(without, with_pauses) == paused
    else:
        # The plain end moves by exactly the paused calendar days, then rolls to a working day.
        assert with_pauses == CALENDAR.roll_forward(start + timedelta(days=amount + paused))
        assert paused == sum((last - first).days for first, last in spans)
    assert with_pauses >= without
