"""Deadline pages in the navigation bar: the board and rules for staff, the calendar for the administrator."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import USER_MENU, NavEntry, register
from sanbao.org.choices import BUSINESS_ROLES, Role

STAFF = frozenset(BUSINESS_ROLES)
ADMIN = frozenset({Role.SYSTEM_ADMIN})
GROUP = "deadlines"

register(NavEntry(GROUP, _("Deadlines"), order=25, icon="alarm", roles=STAFF | ADMIN))
register(NavEntry("deadlines.board", _("Due soon and overdue"), "deadlines:board", group=GROUP, order=26,
                  icon="hourglass-bottom", roles=STAFF))
register(NavEntry("deadlines.rules", _("Time-limit rules"), "deadlines:rule_list", group=GROUP, order=27,
                  icon="hourglass-split"))
register(NavEntry("deadlines.calendar", _("Work calendar"), "deadlines:calendar", group=GROUP, order=28,
                  icon="calendar3", roles=ADMIN))
register(NavEntry("deadlines.inbox", _("Notifications"), "deadlines:inbox", menu=USER_MENU, order=5,
                  icon="bell"))
