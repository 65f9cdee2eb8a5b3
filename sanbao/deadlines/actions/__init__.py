"""Verbs of the deadlines app: the only code that changes calendars, rules, deadlines and notifications."""

from sanbao.deadlines.actions.calendar import (
    add_special_day,
    import_calendar_year,
    remove_special_day,
    seed_calendar,
)
from sanbao.deadlines.actions.deadlines import extend_deadline, pause_deadline, resume_deadline
from sanbao.deadlines.actions.notifications import mark_read
from sanbao.deadlines.actions.rules import edit_rule, load_default_rules

__all__ = [
    "add_special_day",
    "edit_rule",
    "extend_deadline",
    "import_calendar_year",
    "load_default_rules",
    "mark_read",
    "pause_deadline",
    "remove_special_day",
    "resume_deadline",
    "seed_calendar",
]
