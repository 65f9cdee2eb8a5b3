"""`sanbao audit prune`: only rows older than the retention floor go, and the chain still verifies."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from sanbao.audit.actions import record_event
from sanbao.audit.models import AuditChainHead, AuditEvent
from sanbao.audit.tests.helpers import days_ago, record_at
from sanbao.audit.verify import verify_chain


@pytest.fixture
def aged_trail(empty_trail):
    """Three events 400 days old, two 200 days old, two from today."""
    for days in (400, 400, 400, 200, 200):
        record_at(days_ago(days), actor_username=f"{days}-days-ago")
    for _ in range(2):
        record_event("auth.login", actor_username="today")
    return AuditEvent.objects.order_by("seq")


def before_arg(days: int) -> str:
    return (timezone.localdate() - timedelta(days=days)).isoformat()


def test_prune_deletes_the_old_prefix_records_it_and_the_chain_verifies(aged_trail, run_cli):
    code, out, err = run_cli("audit", "prune", "--before", before_arg(300))
    assert code == 0, err
    assert "Pruned 3 rows" in out
    assert list(AuditEvent.objects.values_list("actor_username", flat=True))[:4] == [
        "200-days-ago", "200-days-ago", "today", "today",
    ]
    pruned = AuditEvent.objects.last()
    head = AuditChainHead.objects.get()
    assert pruned.event_code == "audit.pruned" and pruned.success
    assert pruned.actor_username.startswith("cli:")
    assert pruned.after == {
        "before": before_arg(300), "count": 3, "through_seq": 3, "anchor_hash": head.pruned_anchor_hash,
    }
    code, out, err = run_cli("audit", "verify")
    assert code == 0, err
    assert "5 rows checked" in out


def test_prune_refuses_anything_younger_than_180_days_and_audits_the_refusal(aged_trail, run_cli):
    before = list(AuditEvent.objects.values_list("seq", flat=True))
    code, _, err = run_cli("audit", "prune", "--before", before_arg(179))
    assert code == 1
    assert "younger than 180 days" in err
    assert list(AuditEvent.objects.values_list("seq", flat=True))[:-1] == before
    refusal = AuditEvent.objects.last()
    assert (refusal.event_code, refusal.success) == ("audit.pruned", False)
    assert refusal.after["refused"] == "retention"
    assert AuditChainHead.objects.get().pruned_through_seq == 0
    assert verify_chain().ok


def test_prune_on_the_retention_floor_is_allowed(aged_trail, run_cli):
    code, out, err = run_cli("audit", "prune", "--before", before_arg(180))
    assert code == 0, err
    assert "Pruned 5 rows" in out
    assert verify_chain().ok


@override_settings(AUDIT_MIN_RETENTION_DAYS=365)
def test_retention_floor_comes_from_settings(aged_trail, run_cli):
    code, _, err = run_cli("audit", "prune", "--before", before_arg(300))
    assert code == 1
    assert "younger than 365 days" in err


def test_pruning_twice_keeps_the_chain_verifiable(aged_trail, run_cli):
    assert run_cli("audit", "prune", "--before", before_arg(300))[0] == 0
    code, out, _ = run_cli("audit", "prune", "--before", before_arg(300))
    assert (code, "Pruned 0 rows" in out) == (0, True)
    assert run_cli("audit", "prune", "--before", before_arg(190))[0] == 0
    assert AuditChainHead.objects.get().pruned_through_seq == 5  # the 400- and 200-day-old rows
    assert verify_chain().ok


def test_deleting_the_first_row_after_a_prune_is_detected(aged_trail, run_cli):
    run_cli("audit", "prune", "--before", before_arg(300))
    AuditEvent.objects.filter(seq=4)._raw_delete(connection.alias)
    code, _, err = run_cli("audit", "verify")
    assert code == 1
    assert "BROKEN at seq 4: row is missing" in err


def test_moving_the_prune_anchor_to_hide_a_deletion_is_detected(aged_trail, run_cli):
    run_cli("audit", "prune", "--before", before_arg(300))
    fourth = AuditEvent.objects.get(seq=4)
    AuditEvent.objects.filter(seq=4)._raw_delete(connection.alias)
    AuditChainHead.objects.update(pruned_through_seq=4, pruned_anchor_hash=fourth.hash)
    code, _, err = run_cli("audit", "verify")
    assert code == 1
    assert "BROKEN at seq 4:" in err and "prune anchor" in err


def test_prune_rejects_a_malformed_date(aged_trail, run_cli):
    code, _, err = run_cli("audit", "prune", "--before", "2025-02-30")
    assert code == 2
    assert "is not a date" in err
    assert AuditEvent.objects.count() == 5 + 2
