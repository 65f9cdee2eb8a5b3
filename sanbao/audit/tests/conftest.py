"""Fixtures for audit tests: a trail emptied inside the test transaction, and the CLI as a process sees it."""

import pytest

from sanbao.audit.models import AuditChainHead, AuditEvent
from sanbao.audit.tests.helpers import run_command


@pytest.fixture
def empty_trail(db):
    """Start from an empty chain (rolled back with the test, so the demo trail comes back)."""
    AuditEvent.objects.all()._raw_delete(AuditEvent.objects.db)
    AuditChainHead.objects.all().delete()


@pytest.fixture
def run_cli(capsys):
    """``run_cli("audit", "verify")`` → (exit code, stdout, stderr), through the same path as the shell."""
    return lambda *argv: run_command(capsys, *argv)
