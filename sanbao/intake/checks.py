"""System checks of the intake app's schedule settings (see ``sanbao.core.checks``)."""

from django.core.checks import register

from sanbao.core.checks import integer_in_range
from sanbao.intake.tasks import training_hour
from sanbao.intake.warning_tasks import every_minutes


@register()
def check_schedules(app_configs, **kwargs):
    return integer_in_range(training_hour, "SANBAO_TRIAGE_HOUR", 0, 23, "intake.E001") + integer_in_range(
        every_minutes, "SANBAO_WARNING_EVERY_MINUTES", 1, None, "intake.E002"
    )
