"""Helpers for Django system checks on Sanbao's settings.

A setting read lazily (so ``override_settings`` works) would otherwise fail
only when a background task first uses it, at night, in a worker log. A
system check runs at ``migrate``, ``runserver`` and when the task worker
starts, and names the setting.
"""

from collections.abc import Callable

from django.core.checks import Error
from django.core.exceptions import ImproperlyConfigured


def integer_in_range(read: Callable[[], int], name: str, low: int, high: int | None, check_id: str) -> list[Error]:
    """An error naming ``name`` unless ``read()`` gives an integer from ``low`` to ``high`` (no upper bound if None)."""
    try:
        value = int(read())
    except (ImproperlyConfigured, TypeError, ValueError) as error:
        return [Error(f"{name} must be an integer.", hint=str(error), id=check_id)]
    if value < low or (high is not None and value > high):
        allowed = f"{low}–{high}" if high is not None else f"{low} or more"
        return [Error(f"{name} must be {allowed}, got {value}.", id=check_id)]
    return []
