"""Verbs of the deadlines app: the only code that changes calendars, rules, deadlines and notifications."""

from sanbao.deadlines.actions.calendar import (
    add_special_day,
    import_calendar_year,
    remove_special_day,
    seed_calendar,
)
from sanbao.deadlines.actions.rules import edit_rule

__all__ = ["add_special_day", "edit_rule", "import_calendar_year", "remove_special_day", "seed_calendar"]
