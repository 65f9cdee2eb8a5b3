"""Helpers shared by audit tests."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from sanbao.audit.actions import record_event


def record_at(moment, code: str = "auth.login", **kwargs):
    """Record an event as if it happened at ``moment`` (for retention tests)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return record_event(code, **kwargs)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)
