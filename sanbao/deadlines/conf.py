"""Settings of the deadlines app, read lazily (so ``override_settings`` works) with environment defaults.

Each can be set in Django settings or, for operators, in the environment:

========================================  ===================================  ==============================
setting                                   environment                          default
========================================  ===================================  ==============================
``DEADLINE_SWEEP_MINUTES``                ``SANBAO_DEADLINE_SWEEP_MINUTES``    3
``DEADLINE_SWEEP_MAX_NOTICES``            ``SANBAO_DEADLINE_SWEEP_MAX``        5000 rows per sweep
``DEADLINE_ESCALATION_WORKING_DAYS``      ``SANBAO_DEADLINE_ESCALATION``       ``3,10`` (centre, committee)
``NOTIFICATION_BACKENDS``                 ``SANBAO_NOTIFICATION_BACKENDS``     the console backend
========================================  ===================================  ==============================
"""

from django.conf import settings

from sanbao import config

CONSOLE_BACKEND = "sanbao.deadlines.delivery.ConsoleBackend"


def _int(name: str, variable: str, default: int) -> int:
    value = getattr(settings, name, None)
    return int(value) if value is not None else config.get_int(variable, default)


def sweep_minutes() -> int:
    return _int("DEADLINE_SWEEP_MINUTES", "SANBAO_DEADLINE_SWEEP_MINUTES", 3)


def sweep_max_notices() -> int:
    return _int("DEADLINE_SWEEP_MAX_NOTICES", "SANBAO_DEADLINE_SWEEP_MAX", 5000)


def escalation_working_days() -> tuple[int, int]:
    """Working days overdue after which the centre director, then the county committee, are told."""
    value = getattr(settings, "DEADLINE_ESCALATION_WORKING_DAYS", None)
    if value is None:
        value = [int(item) for item in config.get_list("SANBAO_DEADLINE_ESCALATION", ["3", "10"])]
    centre, committee = value
    return int(centre), int(committee)


def notification_backends() -> list[str]:
    value = getattr(settings, "NOTIFICATION_BACKENDS", None)
    if value is not None:
        return list(value)
    return config.get_list("SANBAO_NOTIFICATION_BACKENDS", [CONSOLE_BACKEND])
