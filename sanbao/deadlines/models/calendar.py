import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.deadlines.choices import DayKind


class SpecialDay(models.Model):
    """A public holiday or a 调休 make-up workday of the official calendar.

    Any other day is a working day from Monday to Friday and a rest day at the
    weekend. Seeded from ``chinesecalendar`` (2004–2026) by migration 0002 and
    edited only through ``sanbao.deadlines.actions`` (which also renew
    ``CalendarState.token`` so every process drops its cached calendar).
    A year counts as "having data" when it has at least one holiday.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("type"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=60, blank=True)
    source = models.CharField(_("source"), max_length=32, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("special day")
        verbose_name_plural = _("special days")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values), name="special_day_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarState(models.Model):
    """Singleton: a token renewed by every calendar edit.

    Each process caches the calendar with the token it was built from and
    rebuilds it when the token in the database differs, so an edit in the web
    process reaches the task worker too, and a rolled-back edit is forgotten.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.UUIDField(default=uuid.uuid4)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="calendar_state_singleton")]

    def __str__(self) -> str:
        return str(self.token)
