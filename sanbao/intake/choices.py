"""Choices of the intake app. Machine keys are stored; labels are rendered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DuplicateKind(models.TextChoices):
    REPEAT = "repeat", _("Repeat submission (merged)")
    RELATED = "related", _("Related matter")
    DISMISSED = "dismissed", _("Not a duplicate")


class WarningLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class WarningStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    CLOSED = "closed", _("Closed")
    DISMISSED = "dismissed", _("Dismissed")
