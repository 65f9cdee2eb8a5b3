from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sanbao.deadlines.calculator import due_date, paused_days, warning_date
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.tests.helpers import package_calendar

# DOMAIN.md §1, worked examples (2026 calendar).
WORKED_EXAMPLES = [
    (date(2026, 9, 20), 15, "calendar", 0, date(2026, 10, 8)),
    (date(2026, 9, 24), 5, "working", 0, date(2026, 10, 9)),
    (date(2026, 10, 8), 5, "working", 0, date(2026, 10, 14)),
    (date(2026, 8, 10), 60, "calendar", 0, date(2026, 10, 9)),
    (date(2026, 8, 10), 60, "calendar", 30, date(2026, 11, 9)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "amount", "unit", "extension", "due"), WORKED_EXAMPLES)
def test_worked_examples_with_the_stored_calendar(start, amount, unit, extension, due):
    assert due_date(work_calendar(), start, amount, unit, extension=extension) == due


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "amount", "unit", "extension", "due"), WORKED_EXAMPLES)
def test_due_command_prints_the_worked_examples(start, amount, unit, extension, due):
    out = StringIO()
    call_command("deadlines", "due", "--start", start.isoformat(), "--amount", str(amount), "--unit", unit,
                 "--extension", str(extension), stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == due.isoformat()


@pytest.mark.django_db
def test_due_command_rejects_bad_input():
    with pytest.raises(CommandError, match="not a date"):
        call_command("deadlines", "due", "--start", "2026-13-01", "--amount", "5", "--unit", "working")
    with pytest.raises(CommandError, match="--amount"):
        call_command("deadlines", "due", "--start", "2026-10-01", "--amount", "0", "--unit", "working")


@pytest.mark.django_db
def test_due_command_warns_when_a_year_has_no_data_and_counts_weekends_only():
    out, err = StringIO(), StringIO()
    # 2027-01-01 is a Friday; New Year's Day is not known, so it counts as a working day.
    call_command("deadlines", "due", "--start", "2026-12-31", "--amount", "1", "--unit", "working",
                 stdout=out, stderr=err)
    assert out.getvalue().strip().splitlines()[-1] == "2027-01-01"
    assert "2027" in err.getvalue()


def test_make_up_days_are_working_days_and_holidays_are_not():
    calendar = package_calendar()
    assert calendar.is_working_day(date(2026, 9, 20))  # make-up Sunday
    assert calendar.is_working_day(date(2026, 10, 10))  # make-up Saturday
    assert not calendar.is_working_day(date(2026, 10, 5))  # National Day, a Monday
    assert not calendar.is_working_day(date(2026, 10, 11))  # ordinary Sunday


def test_pause_pushes_calendar_deadline_by_the_paused_days():
    calendar = package_calendar()
    # 60 days from 2026-08-10 → 10-09; a 10-day hearing (09-01 → 09-11) pushes the end to 10-19.
    hearing = (date(2026, 9, 1), date(2026, 9, 11))
    assert due_date(calendar, date(2026, 8, 10), 60, "calendar", pauses=[hearing]) == date(2026, 10, 19)
    assert paused_days(calendar, date(2026, 9, 1), date(2026, 9, 1), "calendar") == 0


def test_pause_in_working_days_skips_the_holiday():
    calendar = package_calendar()
    # Paused 09-30 → 10-09: working days in (09-30, 10-09] are 10-08 and 10-09 (10-01..07 is the holiday).
    assert paused_days(calendar, date(2026, 9, 30), date(2026, 10, 9), "working") == 2


def test_warning_date_takes_the_earlier_of_share_and_days_left():
    calendar = package_calendar()
    start, due = date(2026, 8, 10), date(2026, 10, 9)
    # 80% of 60 days is day 48 (09-27); 2 working days left is 10-08 → the share wins.
    assert warning_date(calendar, start, due, share=0.8, working_days_left=2) == date(2026, 9, 27)
    # 5 working days from 2026-10-08 → 10-14; 2 working days left is from 10-13.
    assert warning_date(calendar, date(2026, 10, 8), date(2026, 10, 14), share=0.9, working_days_left=2) \
        == date(2026, 10, 13)


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError, match="negative"):
        due_date(package_calendar(), date(2026, 1, 5), -1, "calendar")
    with pytest.raises(ValueError, match="unknown unit"):
        due_date(package_calendar(), date(2026, 1, 5), 1, "fortnights")
