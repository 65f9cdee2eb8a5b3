from sanbao.deadlines.models.calendar import CalendarState, SpecialDay
from sanbao.deadlines.models.notifications import Notification
from sanbao.deadlines.models.rules import TimeLimitRule

__all__ = ["CalendarState", "Notification", "SpecialDay", "TimeLimitRule"]
