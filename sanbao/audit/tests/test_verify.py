"""`sanbao audit verify`: intact chains pass; any altered, deleted or inserted row is named."""

import pytest
from django.db import connection
from django.test import override_settings

from sanbao.audit.actions import record_event
from sanbao.audit.chain import compute_hash
from sanbao.audit.models import AuditChainHead, AuditEvent
from sanbao.audit.verify import verify_chain
from sanbao.org.models import Unit, User


@pytest.fixture
def chain(empty_trail, demo_users):
    """Five events with every column filled in, by a real actor on a real target."""
    clerk = demo_users["qingshan.clerk"]
    return [
        record_event(
            "org.unit_updated", actor=clerk, target=clerk.unit, before={"name": f"old {n}"},
            after={"name": f"new {n}", "tags": ["甲", n]}, area_code=clerk.unit.area.code,
        )
        for n in range(5)
    ]


def assert_broken(run_cli, seq: int, reason_word: str):
    code, out, err = run_cli("audit", "verify")
    assert code == 1, (out, err)
    assert f"BROKEN at seq {seq}:" in err
    assert reason_word in err
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, seq)


@pytest.mark.django_db
def test_demo_trail_verifies_and_prints_rows_and_head_hash(run_cli):
    head = AuditChainHead.objects.get()
    code, out, err = run_cli("audit", "verify")
    assert code == 0, err
    assert f"{AuditEvent.objects.count()} rows checked" in out
    assert head.last_hash in out and head.last_hash.startswith("sha256:")


def test_empty_trail_verifies(empty_trail, run_cli):
    code, out, _ = run_cli("audit", "verify")
    assert code == 0
    assert "0 rows checked" in out


ALTERATIONS = {
    "time": lambda event: {"time": event.time.replace(year=event.time.year - 1)},
    "actor": lambda event: {"actor": User.objects.get(username="baisha.clerk")},
    "actor_username": lambda event: {"actor_username": "someone.else"},
    "unit": lambda event: {"unit": Unit.objects.exclude(pk=event.unit_id).first()},
    "event_code": lambda event: {"event_code": "auth.login"},
    "object_type": lambda event: {"object_type": "org.user"},
    "object_id": lambda event: {"object_id": "999"},
    "object_repr": lambda event: {"object_repr": "另一个单位"},
    "area_code": lambda event: {"area_code": "360921102000"},
    "before": lambda event: {"before": {"name": "forged"}},
    "after": lambda event: {"after": None},
    "request_id": lambda event: {"request_id": "f" * 32},
    "client_ip": lambda event: {"client_ip": "10.9.9.9"},
    "success": lambda event: {"success": False},
    "hash": lambda event: {"hash": "sha256:" + "0" * 64},
}


@pytest.mark.parametrize("column", sorted(ALTERATIONS))
def test_altering_any_column_of_a_middle_row_is_detected(chain, run_cli, column):
    target = chain[2]
    AuditEvent.objects.filter(seq=target.seq).update(**ALTERATIONS[column](target))
    # Changing a row's hash breaks the next row's link, so both are named after it.
    expected = target.seq
    assert_broken(run_cli, expected, "altered")


def test_altering_prev_hash_is_detected_as_a_broken_link(chain, run_cli):
    AuditEvent.objects.filter(seq=chain[3].seq).update(prev_hash=chain[1].hash)
    assert_broken(run_cli, chain[3].seq, "link")


def test_altering_seq_is_detected(chain, run_cli):
    AuditEvent.objects.filter(seq=chain[2].seq).update(seq=chain[2].seq + 1000)
    assert_broken(run_cli, chain[2].seq, "missing")


def test_raw_sql_update_is_detected(chain, run_cli):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["篡改", chain[1].seq])
    assert_broken(run_cli, chain[1].seq, "altered")


@pytest.mark.parametrize("position", [0, 2, 4], ids=["first", "middle", "last"])
def test_deleting_a_row_is_detected(chain, run_cli, position):
    victim = chain[position]
    AuditEvent.objects.filter(seq=victim.seq)._raw_delete(connection.alias)
    assert_broken(run_cli, victim.seq, "missing")


def test_a_row_inserted_after_the_head_is_detected(chain, run_cli):
    forged = AuditEvent(
        seq=chain[-1].seq + 1, time=chain[-1].time, event_code="auth.login", actor_username="ghost",
        prev_hash=chain[-1].hash,
    )
    forged.hash = compute_hash(forged)
    AuditEvent.objects.bulk_create([forged])
    assert_broken(run_cli, forged.seq, "inserted")


def test_a_row_inserted_before_the_start_is_detected(chain, run_cli):
    forged = AuditEvent(seq=0, time=chain[0].time, event_code="auth.login", prev_hash="genesis")
    forged.hash = compute_hash(forged)
    AuditEvent.objects.bulk_create([forged])
    assert_broken(run_cli, 0, "inserted")


def test_a_row_replaced_by_a_self_consistent_forgery_breaks_the_next_link(chain, run_cli):
    original = chain[2]
    AuditEvent.objects.filter(seq=original.seq)._raw_delete(connection.alias)
    forged = AuditEvent(
        seq=original.seq, time=original.time, event_code="auth.logout", prev_hash=original.prev_hash,
    )
    forged.hash = compute_hash(forged)
    AuditEvent.objects.bulk_create([forged])
    assert_broken(run_cli, chain[3].seq, "link")


def test_a_deleted_chain_head_is_detected(chain, run_cli):
    AuditChainHead.objects.all().delete()
    assert_broken(run_cli, chain[0].seq, "head")


def test_model_refuses_update_and_delete(chain):
    from sanbao.audit.models import AppendOnlyError

    event = AuditEvent.objects.get(seq=chain[0].seq)
    event.object_repr = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()


def test_unregistered_code_is_refused(empty_trail):
    with pytest.raises(ValueError, match="Unregistered"):
        record_event("nobody.invented_this")
    assert not AuditEvent.objects.exists()


@override_settings(SANBAO_AUDIT_HASH="sm3")
def test_sm3_rows_chain_onto_sha256_rows_and_verify(chain, run_cli):
    sm3_events = [record_event("auth.login", actor_username=f"user{n}") for n in range(3)]
    assert all(event.hash.startswith("sm3:") and len(event.hash) == 4 + 64 for event in sm3_events)
    assert sm3_events[0].prev_hash == chain[-1].hash and chain[-1].hash.startswith("sha256:")
    code, out, _ = run_cli("audit", "verify")
    assert code == 0
    assert f"hash {sm3_events[-1].hash}" in out
    AuditEvent.objects.filter(seq=sm3_events[1].seq).update(actor_username="intruder")
    assert_broken(run_cli, sm3_events[1].seq, "altered")


def test_client_ip_is_hashed_as_stored(empty_trail):
    from sanbao.core.context import new_context

    with new_context(client_ip="2001:0db8:0000:0000:0000:0000:0000:0001"):
        record_event("auth.login")
    with new_context(client_ip="not-an-address"):
        record_event("auth.login")
    assert list(AuditEvent.objects.values_list("client_ip", flat=True)) == ["2001:db8::1", None]
    assert verify_chain().ok


def rewrite_from(seq: int) -> None:
    """What an attacker with database access and the source code could do: recompute every later hash."""
    previous = AuditEvent.objects.get(seq=seq - 1).hash
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = previous
        if event.seq == seq:
            event.actor_username = "rewritten"
        event.hash = compute_hash(event)
        AuditEvent.objects.filter(seq=event.seq).update(
            prev_hash=event.prev_hash, actor_username=event.actor_username, hash=event.hash
        )
        previous = event.hash
    AuditChainHead.objects.update(last_hash=previous)


def test_a_recorded_head_reveals_a_rewritten_chain(chain, run_cli):
    code, out, _ = run_cli("audit", "verify")
    recorded = f"{chain[-1].seq}:{chain[-1].hash}"
    assert code == 0 and chain[-1].hash in out
    code, out, _ = run_cli("audit", "verify", "--expect", recorded)
    assert code == 0
    assert "still has the recorded hash" in out
    rewrite_from(chain[1].seq)
    assert run_cli("audit", "verify")[0] == 0  # self-consistent again: only the kept head can tell
    code, _, err = run_cli("audit", "verify", "--expect", recorded)
    assert code == 1
    assert "the chain was rewritten" in err


def test_a_recorded_head_beyond_the_end_is_reported(chain, run_cli):
    code, _, err = run_cli("audit", "verify", "--expect", f"{chain[-1].seq + 5}:sha256:{'0' * 64}")
    assert code == 1
    assert "rows at the end were removed" in err


def test_malformed_expect_is_a_usage_error(chain, run_cli):
    code, _, err = run_cli("audit", "verify", "--expect", "yesterday")
    assert code == 2
    assert "is not SEQ:HASH" in err


@pytest.mark.django_db
def test_codes_lists_every_registered_code_with_english_and_chinese_labels(run_cli):
    code, out, _ = run_cli("audit", "codes")
    assert code == 0
    lines = dict(line.split("\t", 1) for line in out.splitlines())
    assert lines["audit.exported"] == "Audit trail exported\t导出审计日志"
    assert "org.areas_imported" in lines and "auth.login_failed" in lines
