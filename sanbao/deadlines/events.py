"""Audit codes of the deadlines app."""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register

CALENDAR_DAY_ADDED = "deadlines.calendar_day_added"
CALENDAR_DAY_REMOVED = "deadlines.calendar_day_removed"
CALENDAR_IMPORTED = "deadlines.calendar_imported"
CALENDAR_SEEDED = "deadlines.calendar_seeded"
RULE_EDITED = "deadlines.rule_edited"
RULES_LOADED = "deadlines.rules_loaded"
PAUSED = "deadlines.paused"
RESUMED = "deadlines.resumed"
EXTENDED = "deadlines.extended"
ESCALATED = "deadlines.escalated"

register(
    {
        CALENDAR_DAY_ADDED: _("Calendar day added"),
        CALENDAR_DAY_REMOVED: _("Calendar day removed"),
        CALENDAR_IMPORTED: _("Calendar year imported"),
        CALENDAR_SEEDED: _("Calendar years added from the chinesecalendar package"),
        RULE_EDITED: _("Time-limit rule changed"),
        RULES_LOADED: _("Default time-limit rules loaded"),
        PAUSED: _("Deadline paused"),
        RESUMED: _("Deadline resumed"),
        EXTENDED: _("Deadline extended"),
        ESCALATED: _("Overdue steps escalated and supervision notices issued (system)"),
    }
)
