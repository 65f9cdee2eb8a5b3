"""Choices of the deadlines app. Machine keys are stored; labels are rendered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    """A special day of the official calendar: a public holiday or a 调休 make-up workday."""

    HOLIDAY = "holiday", _("Public holiday")
    WORKDAY = "workday", _("Make-up workday")


class CountUnit(models.TextChoices):
    """How a time limit counts days; the start day is never counted (民法典 Art. 201)."""

    CALENDAR = "calendar", _("Calendar days (a last day on a rest day rolls to the next working day)")
    WORKING = "working", _("Working days")


class PauseReason(models.TextChoices):
    """Events whose time is not counted (e.g. 复核 hearing time, 信访工作条例)."""

    HEARING = "hearing", _("Hearing (听证)")
    APPRAISAL = "appraisal", _("Appraisal (鉴定)")
    AWAITING_PETITIONER = "awaiting_petitioner", _("Waiting for the petitioner")


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    OVERDUE = "overdue", _("Overdue")
    MET = "met", _("Met")
    LATE = "late", _("Completed late")


# A clock that still counts (the sweep looks only at these).
OPEN_STATUSES = (DeadlineStatus.RUNNING, DeadlineStatus.PAUSED, DeadlineStatus.OVERDUE)


class Colour(models.TextChoices):
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Due soon")
    RED = "red", _("Overdue")


class EscalationLevel(models.IntegerChoices):
    """The ladder: handler → unit head → centre director → county committee."""

    NONE = 0, _("Not escalated")
    HANDLER = 1, _("Handler warned")
    UNIT_HEAD = 2, _("Unit head")
    CENTRE_DIRECTOR = 3, _("Centre director")
    COUNTY_COMMITTEE = 4, _("County political-legal committee")
