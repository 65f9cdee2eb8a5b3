"""Pages: authorization matrix (anonymous → login, wrong role → 403, other township → 404) and behaviour."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.audit.models import AuditEvent
from sanbao.deadlines.models import Deadline, Notification, SpecialDay, TimeLimitRule
from sanbao.deadlines.sweep import run_sweep
from sanbao.matters.tests.factories import make_handling_matter

pytestmark = pytest.mark.django_db

ADMIN_PAGES = [
    ("get", "/deadlines/calendar/"),
    ("post", "/deadlines/calendar/add/"),
    ("post", "/deadlines/calendar/import/"),
    ("post", "/deadlines/calendar/2026-10-01/remove/"),
    ("post", "/deadlines/rules/dispute.handle/edit/"),
]
STAFF_PAGES = [
    "/deadlines/", "/deadlines/rules/", "/deadlines/rules/dispute.handle/", "/deadlines/notifications/"
]


@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES + [("get", url) for url in STAFF_PAGES])
def test_anonymous_users_are_sent_to_login(client_as, method, url):
    response = getattr(client_as(None), method)(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("method", "url"), ADMIN_PAGES)
@pytest.mark.parametrize("username", ["qingshan.clerk", "county.director", "secadmin", "auditadmin"])
def test_only_the_system_administrator_may_use_the_editors(client_as, method, url, username):
    days, rules = SpecialDay.objects.count(), TimeLimitRule.objects.count()
    data = {"date": "2026-12-24", "kind": "holiday", "amount": 9}
    response = getattr(client_as(username), method)(url, data)
    assert response.status_code == 403
    assert (SpecialDay.objects.count(), TimeLimitRule.objects.count()) == (days, rules)


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_open_for_staff(client_as, url):
    assert client_as("qingshan.handler").get(url).status_code == 200


def test_calendar_page_lists_the_year_and_flags_missing_years(client_as):
    page = client_as("sysadmin").get("/deadlines/calendar/?year=2026").content.decode()
    assert "2026-10-01" in page and "国庆节" in page and "2027" in page


def test_admin_adds_removes_and_imports_days_through_the_page(client_as):
    admin = client_as("sysadmin")
    data = {"date": "2026-12-24", "kind": "holiday", "name": "测试"}
    response = admin.post("/deadlines/calendar/add/", data)
    assert response.status_code == 302 and SpecialDay.objects.filter(date=date(2026, 12, 24)).exists()
    admin.post("/deadlines/calendar/2026-12-24/remove/")
    assert not SpecialDay.objects.filter(date=date(2026, 12, 24)).exists()
    upload = SimpleUploadedFile("2027.csv", "date,type,name\n2027-01-01,holiday,元旦\n".encode())
    response = admin.post("/deadlines/calendar/import/", {"year": 2027, "file": upload}, follow=True)
    assert SpecialDay.objects.filter(date__year=2027).count() == 1
    assert response.status_code == 200


def test_a_bad_import_shows_the_lines_and_writes_nothing(client_as):
    upload = SimpleUploadedFile("2027.csv", b"2027-01-01,holiday,x\n2027-02-30,holiday,y\n")
    data = {"year": 2027, "file": upload}
    response = client_as("sysadmin").post("/deadlines/calendar/import/", data, follow=True)
    assert "第 2 行" in response.content.decode()
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_the_import_page_reads_a_gbk_file_and_names_an_unreadable_one(client_as):
    admin = client_as("sysadmin")
    unreadable = SimpleUploadedFile("2027.csv", b"2027-01-01,holiday,\xff\xfe\n")
    response = admin.post("/deadlines/calendar/import/", {"year": 2027, "file": unreadable}, follow=True)
    assert "文件必须是 UTF-8 或 GBK（GB18030）编码的文本" in response.content.decode()
    assert not SpecialDay.objects.filter(date__year=2027).exists()
    gbk = SimpleUploadedFile("2027.csv", "date,type,name\n2027-01-01,holiday,元旦\n".encode("gbk"))
    admin.post("/deadlines/calendar/import/", {"year": 2027, "file": gbk})
    assert SpecialDay.objects.get(date__year=2027).name == "元旦"


def test_admin_edits_a_rule_through_the_page(client_as):
    rule = TimeLimitRule.objects.get(key="dispute.handle", is_current=True)
    data = {
        "name": rule.name, "amount": 7, "unit": "working", "pause_events": rule.pause_events,
        "extension_cap": 10, "extension_approver_role": "director", "warn_share": "0.80",
        "warn_working_days": 1,
        "escalates": "on", "basis": rule.basis, "change_note": "县里新规",
    }
    response = client_as("sysadmin").post("/deadlines/rules/dispute.handle/edit/", data)
    assert response.status_code == 302
    current = TimeLimitRule.objects.get(key="dispute.handle", is_current=True)
    assert (current.version, current.amount, current.change_note) == (2, 7, "县里新规")


def test_the_board_shows_only_the_users_matters(client_as):
    matter = make_handling_matter()
    clock = Deadline.objects.get(matter=matter, rule__key="dispute.handle")
    run_sweep(today=clock.due_date + timedelta(days=1))
    assert matter.code in client_as("qingshan.director").get("/deadlines/").content.decode()
    assert matter.code in client_as("qingshan.justice.handler").get("/deadlines/").content.decode()
    assert matter.code not in client_as("baisha.director").get("/deadlines/").content.decode()


def test_the_inbox_shows_and_marks_the_users_own_notifications(client_as, demo_users):
    matter = make_handling_matter()
    run_sweep(today=Deadline.objects.get(matter=matter, rule__key="dispute.handle").yellow_on)
    handler = client_as("qingshan.justice.handler")
    assert matter.code in handler.get("/deadlines/notifications/").content.decode()
    assert matter.code not in client_as("baisha.handler").get("/deadlines/notifications/").content.decode()
    handler.post("/deadlines/notifications/read/")
    unread = Notification.objects.filter(recipient=demo_users["qingshan.justice.handler"], is_read=False)
    assert not unread.exists()


def test_pause_and_resume_buttons(client_as):
    matter = make_handling_matter()
    clock = Deadline.objects.get(matter=matter, rule__key="dispute.handle")
    response = client_as("baisha.director").post(f"/deadlines/{clock.pk}/pause/", {"reason": "hearing"})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event_code="auth.permission_denied", object_id=str(clock.pk)).exists()
    client_as("qingshan.clerk").post(f"/deadlines/{clock.pk}/pause/", {"reason": "hearing"})
    clock.refresh_from_db()
    assert clock.status == "running"
    director = client_as("qingshan.director")
    director.post(f"/deadlines/{clock.pk}/pause/", {"reason": "hearing", "next": "/deadlines/"})
    clock.refresh_from_db()
    assert clock.status == "paused"
    response = director.post(f"/deadlines/{clock.pk}/resume/", {"next": "https://example.com/"})
    clock.refresh_from_db()
    assert clock.status == "running" and response["Location"] == "/deadlines/"


def test_the_matter_panel_tag_renders_clocks_and_buttons(rf, demo_users):
    from django.template import Context, Template

    matter = make_handling_matter()
    request = rf.get("/matters/x/")
    request.user = demo_users["qingshan.director"]
    html = Template("{% load deadline_tags %}{% deadline_panel matter %}").render(
        Context({"matter": matter, "request": request})
    )
    assert "deadline-panel" in html and "/pause/" in html
    request.user = demo_users["qingshan.clerk"]
    html = Template("{% load deadline_tags %}{% deadline_panel matter %}").render(
        Context({"matter": matter, "request": request})
    )
    assert "/pause/" not in html


def test_home_card_counts_the_users_deadlines(client_as):
    matter = make_handling_matter()
    clock = Deadline.objects.get(matter=matter, rule__key="dispute.handle")
    run_sweep(today=clock.due_date + timedelta(days=1))
    page = client_as("qingshan.director").get("/").content.decode()
    assert 'id="deadlines-card"' in page
