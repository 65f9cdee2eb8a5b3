"""The UI shell in a real browser: a demo clerk signs in, sees Chinese, switches to English; htmx lists."""

import os
import re
import tempfile

import pytest
from playwright.sync_api import expect

from sanbao.core.testing import login_in_browser

pytestmark = pytest.mark.browser
# Screenshots for a human to look at after a run.
SCREENSHOTS = os.environ.get("SANBAO_SCREENSHOT_DIR", tempfile.gettempdir())


def test_clerk_signs_in_sees_chinese_home_and_switches_to_english(page):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    login_in_browser(page, "qingshan.clerk")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.locator("h1")).to_contain_text("工作台")
    expect(page.locator("[data-card='core.role']")).to_contain_text("登记员")
    expect(page.locator("[data-card='org.jurisdiction']")).to_contain_text("青山镇")
    expect(page.locator("nav.sanbao-navbar")).to_contain_text("组织")
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-home-zh.png", full_page=True)

    with page.expect_navigation():
        page.locator("#language-switch button[value=en]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Home")
    expect(page.locator("[data-card='org.jurisdiction']")).to_contain_text("My jurisdiction")
    expect(page.locator("h1")).not_to_contain_text("工作台")
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-home-en.png", full_page=True)


def test_user_search_updates_the_table_through_htmx(page):
    login_in_browser(page, "qingshan.clerk")
    page.goto("/org/users/")
    expect(page.locator("h1")).to_contain_text("人员")
    marker = page.evaluate("() => (window.fullLoads = (window.fullLoads || 0) + 1)")

    page.locator("main input#id_q").fill("handler")
    expect(page).to_have_url(re.compile(r"q=handler"))
    rows = page.locator("#user-table tbody tr")
    expect(rows.first).to_contain_text("handler")
    for text in rows.all_inner_texts():
        assert "handler" in text
    # Same document: htmx swapped the table instead of reloading the page.
    assert page.evaluate("() => window.fullLoads") == marker
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-users-zh.png", full_page=True)


def test_signing_out_is_a_post_that_ends_the_session(page):
    login_in_browser(page, "qingshan.clerk")
    page.locator("#user-menu").click()
    with page.expect_navigation():
        page.get_by_role("button", name="退出登录").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_leader_drills_down_from_county_overview_to_a_village(page):
    login_in_browser(page, "county.leader1")
    overview = page.locator("[data-card='org.overview']")
    expect(overview.locator("tbody tr")).to_have_count(12)
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-home-leader-zh.png", full_page=True)

    overview.get_by_role("link", name="白沙镇").click()
    expect(page.locator("h1")).to_contain_text("白沙镇")
    expect(page.locator("#area-children tbody tr")).to_have_count(13)
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-area-zh.png", full_page=True)

    page.locator("#area-children tbody tr a").first.click()
    expect(page.locator(".breadcrumb")).to_contain_text("白沙镇")
    expect(page.locator("#area-children tbody tr").first).to_contain_text("第1网格")


def test_expired_session_during_htmx_search_shows_the_login_page(page):
    login_in_browser(page, "qingshan.clerk")
    page.goto("/org/units/")
    page.context.clear_cookies()
    page.locator("main input#id_q").fill("青山")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("input[name=username]")).to_be_visible()
