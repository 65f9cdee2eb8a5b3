"""`sanbao audit export`: the rows in a time range, as CSV or JSONL, and the export itself is audited."""

import csv
import hashlib
import io
import json

import pytest

from sanbao.audit.actions import record_event
from sanbao.audit.models import AuditEvent
from sanbao.audit.tests.helpers import days_ago, record_at


@pytest.fixture
def dated_trail(empty_trail, demo_users):
    clerk = demo_users["qingshan.clerk"]
    record_at(days_ago(10), actor=clerk, target=clerk.unit, code="org.unit_updated", after={"name": "十天前"})
    record_at(days_ago(5), actor=clerk, target=clerk.unit, code="org.unit_updated", after={"name": "五天前"})
    record_event("org.unit_updated", actor=clerk, target=clerk.unit, after={"name": "=HYPERLINK(\"x\")"})
    return AuditEvent.objects.order_by("seq")


def iso_day(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).date().isoformat()


def offline_verify(records: list[dict]) -> bool:
    """The procedure docs/audit.md gives for checking a JSONL export without Sanbao."""
    for record, previous in zip(records, [None, *records[:-1]], strict=True):
        stored = record.pop("hash")
        algorithm, hexdigest = stored.split(":", 1)
        payload = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        if hashlib.new(algorithm, payload).hexdigest() != hexdigest:
            return False
        if previous is not None and record["prev_hash"] != previous["hash"]:
            return False
        record["hash"] = stored
    return True


def test_jsonl_export_to_stdout_is_complete_verifiable_and_audited(dated_trail, run_cli):
    code, out, err = run_cli("audit", "export", "--format", "jsonl")
    assert code == 0, err
    records = [json.loads(line) for line in out.splitlines()]
    assert [record["seq"] for record in records] == [1, 2, 3]
    assert records[0]["after"] == {"name": "十天前"}
    assert offline_verify(records)
    export_event = AuditEvent.objects.last()
    assert export_event.event_code == "audit.exported"
    assert export_event.actor_username.startswith("cli:")
    assert export_event.after == {"filters": {}, "format": "jsonl", "through_seq": 3}
    assert "Exported 3 rows" in err


def test_since_and_until_bound_the_rows(dated_trail, run_cli):
    first, second, third = dated_trail
    since, until = iso_day(second.time), iso_day(third.time)
    code, out, _ = run_cli("audit", "export", "--since", since, "--until", until, "--format", "jsonl")
    assert code == 0
    assert [json.loads(line)["seq"] for line in out.splitlines()] == [second.seq]
    assert AuditEvent.objects.last().after["filters"].keys() == {"since", "until"}


def test_csv_export_to_a_file_has_a_bom_labels_and_no_formulas(dated_trail, run_cli, tmp_path):
    target = tmp_path / "trail.csv"
    code, _, err = run_cli("audit", "export", "--format", "csv", "--output", str(target))
    assert code == 0, err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["seq"] for row in rows] == ["1", "2", "3"]
    assert rows[0]["event_code"] == "org.unit_updated"
    assert rows[0]["object_repr"] == "青山镇综治中心"
    assert rows[0]["time"].endswith("+08:00")
    assert json.loads(rows[2]["after"])["name"].startswith("=HYPERLINK")  # JSON text starts with "{"
    assert all(not value.startswith(("=", "+", "@")) for row in rows for value in row.values())


def test_formula_like_cells_are_neutralised(empty_trail, run_cli):
    record_event("auth.login_failed", actor_username="=1+1", success=False)
    code, out, _ = run_cli("audit", "export", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["actor_username"] == "'=1+1"


def test_bad_since_is_refused_without_an_export_event(dated_trail, run_cli):
    code, _, err = run_cli("audit", "export", "--since", "yesterday")
    assert code == 2
    assert "'yesterday' is not a date" in err
    assert AuditEvent.objects.count() == 3
