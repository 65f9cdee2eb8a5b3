"""System checks of the deadlines app's settings (see ``sanbao.core.checks``)."""

from django.core.checks import register

from sanbao.core.checks import integer_in_range
from sanbao.deadlines import conf


@register()
def check_sweep(app_configs, **kwargs):
    return integer_in_range(conf.sweep_minutes, "DEADLINE_SWEEP_MINUTES", 1, None, "deadlines.E001") + integer_in_range(
        conf.sweep_max_notices, "DEADLINE_SWEEP_MAX_NOTICES", 1, None, "deadlines.E002"
    )
