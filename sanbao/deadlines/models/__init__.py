from sanbao.deadlines.models.calendar import CalendarState, SpecialDay
from sanbao.deadlines.models.deadlines import Deadline, SupervisionNotice
from sanbao.deadlines.models.notifications import Notification
from sanbao.deadlines.models.rules import TimeLimitRule

__all__ = ["CalendarState", "Deadline", "Notification", "SpecialDay", "SupervisionNotice", "TimeLimitRule"]
