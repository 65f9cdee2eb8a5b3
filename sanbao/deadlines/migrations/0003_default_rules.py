"""Load the shipped time-limit rules (DOMAIN.md §2, §3, §6) as version 1."""

from django.db import migrations


def load(apps, schema_editor):
    from sanbao.deadlines.defaults import DEFAULT_RULES

    rule_model = apps.get_model("deadlines", "TimeLimitRule")
    existing = set(rule_model.objects.values_list("key", flat=True))
    rule_model.objects.bulk_create(
        rule_model(version=1, is_current=True, **rule) for rule in DEFAULT_RULES if rule["key"] not in existing
    )


def unload(apps, schema_editor):
    apps.get_model("deadlines", "TimeLimitRule").objects.filter(version=1, created_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_calendar")]

    operations = [migrations.RunPython(load, unload)]
