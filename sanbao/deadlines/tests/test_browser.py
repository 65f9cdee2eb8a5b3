"""In a real browser: the missing-holidays warning on every staff page, cleared by importing the year."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from sanbao.core.testing import sign_in_as

pytestmark = pytest.mark.browser

CSV_2027 = "date,type,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-20,workday,春节\n"


@pytest.fixture
def late_november(monkeypatch):
    monkeypatch.setattr("sanbao.deadlines.calendar.timezone.localdate", lambda *args: date(2026, 11, 25))


def test_the_warning_shows_until_the_administrator_imports_next_years_holidays(page, late_november, tmp_path):
    sign_in_as(page, "qingshan.clerk")
    warning = page.locator("#calendar-warning")
    expect(warning).to_contain_text("2027")
    expect(warning).to_contain_text("请联系系统管理员导入")
    page.goto("/deadlines/rules/")
    expect(page.locator("#calendar-warning")).to_contain_text("2027")

    from sanbao.accounts.testing import pass_second_factor_in_browser

    sign_in_as(page, "sysadmin")
    pass_second_factor_in_browser(page, "sysadmin")
    expect(page.locator("#calendar-warning a")).to_have_attribute("href", "/deadlines/calendar/")
    page.goto("/deadlines/calendar/")
    expect(page.locator("h1")).to_contain_text("工作日历")
    csv = tmp_path / "2027.csv"
    csv.write_text(CSV_2027, encoding="utf-8")
    form = page.locator("form[action='/deadlines/calendar/import/']")
    form.locator("input[name=year]").fill("2027")
    form.locator("input[name=file]").set_input_files(str(csv))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"year=2027"))
    expect(page.locator("#messages")).to_contain_text("已为 2027 年导入 3 个特殊日期")
    expect(page.locator("#special-days")).to_contain_text("2027-02-20")
    expect(page.locator("#calendar-warning")).to_have_count(0)
