"""The global search box, the search page and the matter list's keyword in a real browser."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanbao.core.testing import login_in_browser
from sanbao.matters.tests.factories import make_matter

pytestmark = pytest.mark.browser


def test_clerk_searches_from_the_navbar_and_refines_on_the_page(page):
    emu = make_matter(title="鸸鹋踩坏菜地", narrative="养殖场的鸸鹋跑出围栏，踩坏邻居菜地。")
    goat = make_matter(narrative="山羊啃食邻居的果树苗。")
    login_in_browser(page, "qingshan.clerk")

    box = page.locator("#global-search input[name=q]")
    box.fill("鸸鹋")
    with page.expect_navigation():
        box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    expect(page.locator("h1")).to_contain_text("检索事项")
    hits = page.locator("#search-hits li")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text(emu.code)
    expect(hits.first.locator("mark").first).to_have_text("鸸鹋")

    marker = page.evaluate("() => (window.fullLoads = (window.fullLoads || 0) + 1)")
    page.locator("#search-q").fill("山羊")
    expect(page.locator("#search-hits li").first).to_contain_text(goat.code)
    assert page.evaluate("() => window.fullLoads") == marker


def test_matter_list_keyword_ranks_with_snippets_and_updates_in_place(page):
    weak = make_matter(
        title="邻里纠纷", narrative="双方因鸸鹋跑出围栏发生争执。", received_at=timezone.now() - timedelta(days=2)
    )
    strong = make_matter(title="鸸鹋踩坏菜地", narrative="鸸鹋跑出围栏，鸸鹋踩坏菜地，又有鸸鹋伤人。")
    login_in_browser(page, "qingshan.clerk")
    page.goto("/matters/")
    marker = page.evaluate("() => (window.fullLoads = (window.fullLoads || 0) + 1)")
    sort, rows = page.locator("#id_sort"), page.locator("#matter-table tbody tr")

    page.locator("#id_q").fill("鸸鹋")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(strong.code)
    expect(rows.nth(1).locator(".search-snippet mark").first).to_have_text("鸸鹋")
    expect(sort).to_have_value("relevance")  # the menu outside the table follows the keyword
    expect(sort.locator("option:checked")).to_have_text("相关度")

    sort.focus()
    sort.select_option("received_at")
    expect(rows.first).to_contain_text(weak.code)
    expect(sort).to_be_focused()  # the menu was replaced; htmx gives focus back to the same id
    expect(page).to_have_url(re.compile(r"sort=received_at"))
    expect(rows.first.locator(".search-snippet mark").first).to_have_text("鸸鹋")

    page.locator("#id_q").fill("")
    expect(rows.first.locator(".search-snippet")).to_have_count(0)
    expect(sort.locator("option[value=relevance]")).to_have_count(0)
    expect(sort).to_have_value("received_at")
    assert page.evaluate("() => window.fullLoads") == marker
