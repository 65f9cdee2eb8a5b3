"""API: authorization matrix and behaviour of /api/v1/calendar/, deadlines, rules and notifications."""

from datetime import timedelta

import pytest

from sanbao.deadlines.models import Deadline
from sanbao.deadlines.sweep import run_sweep
from sanbao.matters.tests.factories import make_handling_matter

pytestmark = pytest.mark.django_db

READ_ENDPOINTS = [
    "/api/v1/calendar/", "/api/v1/deadlines/", "/api/v1/deadline-rules/", "/api/v1/notifications/"
]


@pytest.mark.parametrize("url", READ_ENDPOINTS)
def test_anonymous_requests_are_refused(api_as, url):
    assert api_as(None).get(url).status_code in (401, 403)


def test_calendar_lists_the_days_of_a_year(api_as):
    days = api_as("qingshan.clerk").get("/api/v1/calendar/?year=2026").json()
    assert {"date": "2026-10-10", "kind": "workday", "name": "国庆节"} in days
    assert api_as("qingshan.clerk").get("/api/v1/calendar/?year=2027").json() == []
    assert api_as("qingshan.clerk").get("/api/v1/calendar/?year=abc").status_code == 400


def test_rules_are_readable_by_staff(api_as):
    rule = api_as("qingshan.handler").get("/api/v1/deadline-rules/petition.conclude/").json()
    assert (rule["amount"], rule["unit"], rule["extension_cap"], rule["version"]) == (60, "calendar", 30, 1)


def test_deadlines_are_scoped_through_the_matters_visibility(api_as):
    matter = make_handling_matter()
    url = f"/api/v1/deadlines/?matter={matter.code}"
    rows = api_as("qingshan.director").get(url).json()["results"]
    assert {row["rule"] for row in rows} == {"dispute.triage", "dispute.sign", "dispute.handle"}
    handle = next(row for row in rows if row["rule"] == "dispute.handle")
    assert (handle["status"], handle["rule_version"]) == ("running", 1)
    assert handle["unit_name"] == "青山镇司法所"
    assert api_as("qingshan.justice.handler").get(url).json()["results"]
    assert api_as("baisha.director").get(url).json()["results"] == []
    assert api_as("police.handler1").get(url).json()["results"] == []
    assert api_as("baisha.director").get(f"/api/v1/deadlines/{handle['id']}/").status_code == 404
    assert api_as("qingshan.director").get(f"/api/v1/deadlines/{handle['id']}/").status_code == 200


def test_pause_and_resume_through_the_api(api_as):
    matter = make_handling_matter()
    clock = Deadline.objects.get(matter=matter, rule__key="dispute.handle")
    url = f"/api/v1/deadlines/{clock.pk}/"
    assert api_as(None).post(url + "pause/", {"reason": "hearing"}).status_code in (401, 403)
    assert api_as("baisha.director").post(url + "pause/", {"reason": "hearing"}).status_code == 404
    refused = api_as("qingshan.clerk").post(url + "pause/", {"reason": "hearing"})
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
    bad = api_as("qingshan.director").post(url + "pause/", {"reason": "lunch"})
    assert bad.status_code == 400 and "reason" in bad.json()
    clock.refresh_from_db()
    assert clock.status == "running"
    paused = api_as("qingshan.justice.handler").post(url + "pause/", {"reason": "appraisal"})
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    resumed = api_as("qingshan.director").post(url + "resume/")
    assert resumed.status_code == 200 and resumed.json()["status"] == "running"
    again = api_as("qingshan.director").post(url + "resume/")
    assert again.status_code == 400 and again.json()["code"] == "not_paused"


def test_notifications_are_the_users_own(api_as):
    matter = make_handling_matter()
    clock = Deadline.objects.get(matter=matter, rule__key="dispute.handle")
    run_sweep(today=clock.due_date + timedelta(days=1))
    own = api_as("qingshan.justice.handler").get("/api/v1/notifications/").json()["results"]
    assert own and all(matter.code in row["text"] for row in own)
    assert api_as("baisha.handler").get("/api/v1/notifications/").json()["results"] == []


def test_the_endpoints_are_in_the_openapi_schema(api_as):
    schema = api_as("sysadmin").get("/api/schema/?format=json").json()
    for path in ("/api/v1/calendar/", "/api/v1/deadlines/", "/api/v1/deadlines/{id}/pause/",
                 "/api/v1/deadline-rules/{key}/", "/api/v1/notifications/"):
        assert path in schema["paths"]
