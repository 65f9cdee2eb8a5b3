"""Fixtures for audit tests: a trail emptied inside the test transaction, and the CLI as a process sees it."""

from unittest import mock

import pytest
from django.core.management import execute_from_command_line

from sanbao.audit.models import AuditChainHead, AuditEvent


@pytest.fixture
def empty_trail(db):
    """Start from an empty chain (rolled back with the test, so the demo trail comes back)."""
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    AuditChainHead.objects.all().delete()


@pytest.fixture
def run_cli(capsys):
    """``run_cli("audit", "verify")`` → (exit code, stdout, stderr), through the same path as the shell.

    ``run_from_argv`` closes every connection when it ends, which would end
    the test's transaction; that one call is neutralised.
    """

    def run(*argv: str) -> tuple[int, str, str]:
        code = 0
        try:
            with mock.patch("django.core.management.base.connections.close_all"):
                execute_from_command_line(["sanbao", *argv])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
