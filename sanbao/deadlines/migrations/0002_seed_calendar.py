"""Seed the work calendar with 2004–2026 from the pinned ``chinesecalendar`` package."""

from django.db import migrations


def seed(apps, schema_editor):
    from sanbao.deadlines.seed import new_rows

    special_day = apps.get_model("deadlines", "SpecialDay")
    calendar_state = apps.get_model("deadlines", "CalendarState")
    existing = {first.year for first in special_day.objects.dates("date", "year")}
    rows, _years = new_rows(special_day, existing)
    special_day.objects.bulk_create(rows)
    calendar_state.objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "SpecialDay").objects.filter(source="chinesecalendar").delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
