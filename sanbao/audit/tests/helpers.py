"""Helpers shared by audit tests."""

from datetime import timedelta
from unittest import mock

from django.core.management import execute_from_command_line
from django.utils import timezone

from sanbao.audit.actions import record_event


def record_at(moment, code: str = "auth.login", **kwargs):
    """Record an event as if it happened at ``moment`` (for retention tests)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return record_event(code, **kwargs)


def days_ago(days: int):
    return timezone.now() - timedelta(days=days)


def run_command(capsys, *argv: str) -> tuple[int, str, str]:
    """Run ``sanbao <argv>`` as the shell would; returns (exit code, stdout, stderr).

    ``run_from_argv`` closes every connection when it ends, which would end
    the test's transaction; that one call is neutralised.
    """
    code = 0
    try:
        with mock.patch("django.core.management.base.connections.close_all"):
            execute_from_command_line(["sanbao", *argv])
    except SystemExit as exit_:
        code = exit_.code if isinstance(exit_.code, int) else 1
    captured = capsys.readouterr()
    return code, captured.out, captured.err
