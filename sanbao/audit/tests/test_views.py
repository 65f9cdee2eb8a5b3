"""The audit administrator's pages: who may see them, filters, keyset pages, export, detail."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanbao.audit.actions import record_event
from sanbao.audit.models import AuditEvent
from sanbao.audit.views import PAGE_SIZE

LIST = reverse("audit:event_list")
EXPORT = reverse("audit:event_export")


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


@pytest.fixture
def auditor(client_as):
    return client_as("auditadmin")


def detail_url(seq: int) -> str:
    return reverse("audit:event_detail", args=[seq])


@pytest.mark.parametrize("url", [LIST, EXPORT, detail_url(1)])
def test_anonymous_is_sent_to_login_and_sees_nothing(client_as, url):
    response = client_as(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("username", ["qingshan.clerk", "county.leader1", "sysadmin", "secadmin"])
@pytest.mark.parametrize("url", [LIST, EXPORT, detail_url(1)])
def test_everyone_but_the_audit_administrator_gets_403_and_the_denial_is_audited(client_as, username, url):
    client = client_as(username)
    before = last_event().seq
    response = client.get(url)
    assert response.status_code == 403
    new = list(AuditEvent.objects.filter(seq__gt=before))
    assert [(event.event_code, event.actor_username, event.success) for event in new] == [
        ("auth.permission_denied", username, False)
    ]
    assert new[0].after["reason"].startswith("view:audit:")
    assert not response.content.count(b"audit.viewed")


def test_audit_administrator_sees_the_newest_page_in_chinese_and_the_view_is_audited(auditor):
    record_event("auth.login_failed", actor_username="someone", success=False)
    auditor.get(LIST)  # an audit.viewed row to be listed by the next view
    viewed_before = last_event()
    response = auditor.get(LIST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "审计日志" in page
    assert "查看审计日志" in page and "登录失败" in page
    events = response.context["events"]
    assert len(events) == PAGE_SIZE
    assert events[0].seq == viewed_before.seq
    assert [event.seq for event in events] == sorted((event.seq for event in events), reverse=True)
    view = last_event()
    assert (view.event_code, view.actor_username) == ("audit.viewed", "auditadmin")
    assert view.seq == viewed_before.seq + 1
    assert view.after == {"filters": {"cursor": None}, "rows": PAGE_SIZE}


def test_keyset_pages_walk_back_without_counting_the_table(auditor):
    first = auditor.get(LIST)
    cursor = first.context["next_cursor"]
    assert cursor == first.context["events"][-1].seq
    with CaptureQueriesContext(connection) as queries:
        second = auditor.get(LIST, {"cursor": cursor})
    assert all("COUNT(" not in query["sql"].upper() for query in queries.captured_queries)
    seqs = [event.seq for event in second.context["events"]]
    assert seqs[0] == cursor - 1 and len(seqs) == PAGE_SIZE
    assert last_event().after["filters"] == {"cursor": cursor}


def test_last_page_has_no_next_cursor(auditor):
    response = auditor.get(LIST, {"cursor": 3})
    assert [event.seq for event in response.context["events"]] == [2, 1]
    assert response.context["next_cursor"] is None


def test_filters_by_event_actor_outcome_object_and_request(auditor, demo_users):
    clerk = demo_users["qingshan.clerk"]
    denial = record_event(
        "auth.permission_denied", actor=clerk, target=clerk.unit, success=False, after={"reason": "test"}
    )
    record_event("auth.login", actor=clerk, target=clerk)
    cases = [
        {"event_code": "auth.permission_denied", "actor": "qingshan.clerk"},
        {"actor": "qingshan.clerk", "outcome": "failure"},
        {"object_type": "org.unit", "object_id": str(clerk.unit_id), "outcome": "failure"},
        {"request_id": denial.request_id, "event_code": "auth.permission_denied"},
    ]
    for filters in cases:
        response = auditor.get(LIST, filters)
        assert [event.seq for event in response.context["events"]][:1] == [denial.seq], filters
        assert all(not event.success for event in response.context["events"]), filters
        recorded = {"actor_username" if key == "actor" else key: value for key, value in filters.items()}
        recorded.pop("outcome", None)
        assert last_event().after["filters"].items() >= recorded.items()


def test_time_range_filter_and_bad_range_message(auditor):
    event = record_event("auth.login", actor_username="timed")
    moment = event.time.astimezone().strftime("%Y-%m-%dT%H:%M")
    response = auditor.get(LIST, {"since": moment, "actor": "timed"})
    assert [row.seq for row in response.context["events"]] == [event.seq]
    response = auditor.get(LIST, {"since": moment, "until": moment})
    assert response.status_code == 200
    assert response.context["events"] == []
    assert "结束时间必须晚于开始时间" in response.content.decode()
    assert last_event().after == {"filters": {"invalid": ["until"]}, "rows": 0}


def test_htmx_request_gets_only_the_table(auditor):
    response = auditor.get(LIST, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b"<html" not in response.content and b"trail-export" in response.content


def test_csv_export_of_the_filtered_rows_is_audited_first(auditor, demo_users):
    clerk = demo_users["qingshan.clerk"]
    for index in range(3):
        record_event("org.unit_updated", actor=clerk, target=clerk.unit, after={"name": f"名称{index}"})
    response = auditor.get(EXPORT, {"event_code": "org.unit_updated", "actor": "qingshan.clerk"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [json.loads(row["after"])["name"] for row in rows] == ["名称0", "名称1", "名称2"]
    assert {row["actor_username"] for row in rows} == {"qingshan.clerk"}
    export = AuditEvent.objects.filter(event_code="audit.exported").order_by("-seq").first()
    assert export.actor_username == "auditadmin"
    assert export.after["filters"] == {"event_code": "org.unit_updated", "actor_username": "qingshan.clerk"}
    assert export.after["format"] == "csv"
    assert export.after["through_seq"] == export.seq - 1


def test_export_with_bad_filters_goes_back_to_the_list(auditor):
    before = last_event().seq
    response = auditor.get(EXPORT, {"since": "not a time"})
    assert response.status_code == 302
    assert response["Location"].startswith(LIST)
    assert not AuditEvent.objects.filter(seq__gt=before, event_code="audit.exported").exists()


def test_detail_shows_before_after_and_hash_status_and_is_audited(auditor, demo_users):
    clerk = demo_users["qingshan.clerk"]
    event = record_event(
        "org.unit_updated", actor=clerk, target=clerk.unit, before={"name": "旧名"}, after={"name": "新名"}
    )
    response = auditor.get(detail_url(event.seq))
    assert response.status_code == 200
    page = response.content.decode()
    assert "&quot;name&quot;: &quot;旧名&quot;" in page and "&quot;name&quot;: &quot;新名&quot;" in page
    assert response.context["hash_ok"] is True
    view = last_event()
    assert (view.event_code, view.object_type) == ("audit.viewed", "audit.auditevent")
    assert view.object_id == str(event.seq)


def test_detail_flags_an_altered_row(auditor):
    event = record_event("auth.login", actor_username="victim")
    AuditEvent.objects.filter(seq=event.seq).update(actor_username="forged")
    response = auditor.get(detail_url(event.seq))
    assert response.context["hash_ok"] is False


def test_detail_of_a_missing_row_is_404(auditor):
    assert auditor.get(detail_url(10**9)).status_code == 404


def test_navigation_shows_the_trail_to_the_audit_administrator_only(auditor, client_as):
    assert f'href="{LIST}"' in auditor.get(reverse("core:home")).content.decode()
    assert f'href="{LIST}"' not in client_as("sysadmin").get(reverse("core:home")).content.decode()
