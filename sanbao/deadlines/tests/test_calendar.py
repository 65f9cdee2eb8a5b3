from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.audit.models import AuditEvent
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.deadlines import actions
from sanbao.deadlines.calculator import due_date
from sanbao.deadlines.calendar import SESSION_KEY, SESSION_MAX_AGE, health, missing_years, work_calendar
from sanbao.deadlines.models import SpecialDay
from sanbao.org.models import User

pytestmark = pytest.mark.django_db

CSV_2027 = """date,type,name
2027-01-01,holiday,元旦
2027-02-06,休,春节
2027-02-07,holiday,春节
2027-02-08,holiday,春节
2027-02-20,班,春节
"""


@pytest.fixture
def admin():
    return User.objects.get(username="sysadmin")


def test_migrate_seeds_2004_to_2026_from_chinesecalendar():
    years = {first.year for first in SpecialDay.objects.dates("date", "year")}
    assert min(years) == 2004 and max(years) == 2026
    national_day = SpecialDay.objects.get(date=date(2026, 10, 1))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert national_day.source == "chinesecalendar"
    assert SpecialDay.objects.get(date=date(2026, 10, 10)).kind == "workday"


def test_2027_has_no_data_so_the_warning_is_on_from_november():
    assert missing_years(date(2026, 11, 25)) == [2027]
    assert missing_years(date(2026, 10, 31)) == []
    assert missing_years(date(2027, 3, 1)) == [2027]


def test_a_missing_year_counts_weekends_only():
    # 2027-01-01 (a Friday, New Year's Day in reality) is a working day without data.
    assert due_date(work_calendar(), date(2026, 12, 31), 1, "working") == date(2027, 1, 1)


def test_importing_a_year_replaces_its_days_audits_it_and_clears_the_warning(admin):
    assert actions.import_calendar_year(actor=admin, year=2027, text=CSV_2027) == 5
    assert missing_years(date(2026, 11, 25)) == []
    # The cached calendar saw the edit: 2027-01-01 is now a rest day.
    assert due_date(work_calendar(), date(2026, 12, 31), 1, "working") == date(2027, 1, 4)
    assert work_calendar().is_working_day(date(2027, 2, 20))
    event = AuditEvent.objects.filter(event_code="deadlines.calendar_imported").latest("seq")
    assert event.after == {"year": 2027, "days": 5} and event.actor == admin
    assert actions.import_calendar_year(actor=admin, year=2027, text="2027-10-01,holiday,国庆节\n") == 1
    assert SpecialDay.objects.filter(date__year=2027).count() == 1


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(admin):
    bad = CSV_2027 + "2027-13-01,holiday,x\n2026-05-01,holiday,劳动节\n"
    bad += "2027-03-03,workday,周三\n2027-01-01,holiday,重复\n"
    with pytest.raises(ValidationFailed) as error:
        actions.import_calendar_year(actor=admin, year=2027, text=bad)
    message = str(error.value.message)
    assert all(f"第 {line} 行" in message for line in (7, 8, 9, 10))
    assert error.value.field == "file"
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_add_and_remove_a_day_are_audited_and_refresh_the_cache(admin):
    assert work_calendar().is_working_day(date(2026, 12, 24))
    actions.add_special_day(actor=admin, day=date(2026, 12, 24), kind="holiday", name="测试假日")
    assert not work_calendar().is_working_day(date(2026, 12, 24))
    with pytest.raises(ValidationFailed):
        actions.add_special_day(actor=admin, day=date(2026, 12, 24), kind="holiday")
    with pytest.raises(ValidationFailed):
        actions.add_special_day(actor=admin, day=date(2026, 12, 23), kind="workday")
    actions.remove_special_day(actor=admin, day=date(2026, 12, 24))
    assert work_calendar().is_working_day(date(2026, 12, 24))
    codes = AuditEvent.objects.filter(event_code__startswith="deadlines.calendar_day").order_by("seq")
    assert list(codes.values_list("event_code", flat=True))[-2:] == [
        "deadlines.calendar_day_added", "deadlines.calendar_day_removed"
    ]
    with pytest.raises(ValidationFailed):
        actions.remove_special_day(actor=admin, day=date(2026, 12, 24))


def test_only_the_system_administrator_edits_the_calendar():
    clerk = User.objects.get(username="qingshan.clerk")
    with pytest.raises(PermissionDenied):
        actions.add_special_day(actor=clerk, day=date(2026, 12, 24), kind="holiday")
    with pytest.raises(PermissionDenied):
        actions.import_calendar_year(actor=User.objects.get(username="secadmin"), year=2027, text=CSV_2027)
    assert not SpecialDay.objects.filter(date__year=2027).exists()


def test_seed_calendar_adds_nothing_when_every_package_year_is_there():
    assert actions.seed_calendar(actor=None) == []


def test_seed_calendar_restores_a_deleted_package_year(admin):
    SpecialDay.objects.filter(date__year=2010).delete()
    assert actions.seed_calendar(actor=admin) == [2010]
    assert SpecialDay.objects.filter(date__year=2010, kind="holiday").exists()


def test_import_calendar_command(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text(CSV_2027, encoding="utf-8")
    call_command("deadlines", "import-calendar", "--year", "2027", str(path))
    assert SpecialDay.objects.filter(date__year=2027).count() == 5
    path.write_text("2027-13-01,holiday,x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="第 1 行"):
        call_command("deadlines", "import-calendar", "--year", "2027", str(path))
    assert SpecialDay.objects.filter(date__year=2027).count() == 5


def test_import_calendar_command_reads_gbk_and_names_an_unreadable_file(tmp_path):
    path = tmp_path / "2027.csv"
    path.write_bytes(b"2027-01-01,holiday,\xff\xfe\n")
    with pytest.raises(CommandError, match="neither UTF-8 nor GB18030"):
        call_command("deadlines", "import-calendar", "--year", "2027", str(path))
    assert not SpecialDay.objects.filter(date__year=2027).exists()
    path.write_bytes(CSV_2027.encode("gbk"))  # as Excel saves it on Chinese Windows
    call_command("deadlines", "import-calendar", "--year", "2027", str(path))
    assert SpecialDay.objects.get(date="2027-01-01").name == "元旦"


@pytest.fixture
def late_november(monkeypatch):
    """Pin "today" to 2026-11-25: 2027's holidays are due to be announced and are not in the package."""
    monkeypatch.setattr("sanbao.deadlines.calendar.timezone.localdate", lambda *args: date(2026, 11, 25))


def test_healthz_reports_the_missing_year_until_it_is_imported(client, admin, late_november):
    assert client.get("/healthz").json()["calendar"] == "missing:2027"
    actions.import_calendar_year(actor=admin, year=2027, text=CSV_2027)
    assert client.get("/healthz").json()["calendar"] == "ok"
    assert health() == "ok"


def test_every_staff_page_shows_the_warning_in_its_own_response(client_as, late_november):
    """Rendered with the page, not loaded after it: nothing on the page moves when it arrives."""
    clerk = client_as("qingshan.clerk")
    for url in ("/", "/deadlines/rules/"):
        html = clerk.get(url).content.decode()
        assert 'id="calendar-warning"' in html and "2027" in html and "请联系系统管理员导入" in html
        assert 'href="/deadlines/calendar/"' not in html
    admin_home = client_as("sysadmin").get("/").content.decode()
    assert 'class="alert-link" href="/deadlines/calendar/"' in admin_home


def test_pages_spend_no_query_on_the_warning_within_a_minute(client_as, late_november):
    clerk = client_as("qingshan.clerk")
    clerk.get("/")
    with CaptureQueriesContext(connection) as captured:
        assert 'id="calendar-warning"' in clerk.get("/deadlines/rules/").content.decode()
    assert not [query for query in captured if "deadlines_calendarstate" in query["sql"]
                or "deadlines_specialday" in query["sql"]]


def test_another_users_import_reaches_the_banner_within_a_minute(client_as, admin, late_november):
    clerk = client_as("qingshan.clerk")
    assert 'id="calendar-warning"' in clerk.get("/").content.decode()
    actions.import_calendar_year(actor=admin, year=2027, text=CSV_2027)
    assert 'id="calendar-warning"' in clerk.get("/").content.decode()  # the session's copy, under a minute old
    session = clerk.session
    session[SESSION_KEY] = {**session[SESSION_KEY], "checked": session[SESSION_KEY]["checked"] - SESSION_MAX_AGE}
    session.save()
    assert "calendar-warning" not in clerk.get("/").content.decode()


def test_the_administrators_import_clears_their_banner_at_once(client_as, late_november):
    admin_client = client_as("sysadmin")
    assert 'id="calendar-warning"' in admin_client.get("/").content.decode()
    csv = SimpleUploadedFile("2027.csv", CSV_2027.encode(), content_type="text/csv")
    response = admin_client.post("/deadlines/calendar/import/", {"year": 2027, "file": csv}, follow=True)
    html = response.content.decode()
    assert "已为 2027 年导入 5 个特殊日期" in html and "calendar-warning" not in html


def test_no_warning_for_anonymous_visitors_or_when_the_year_is_there(client_as, admin, late_november):
    assert "calendar-warning" not in client_as(None).get("/accounts/login/").content.decode()
    actions.import_calendar_year(actor=admin, year=2027, text=CSV_2027)
    assert "calendar-warning" not in client_as("qingshan.clerk").get("/").content.decode()


def test_the_second_factor_page_does_not_show_the_warning(admin, late_november):
    from django.test import Client

    client = Client()
    client.force_login(admin)
    response = client.get("/", follow=True)
    assert "/accounts/otp/" in response.redirect_chain[-1][0]
    assert "calendar-warning" not in response.content.decode()
