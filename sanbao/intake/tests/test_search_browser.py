"""The global search box and the search page in a real browser."""

import re

import pytest
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
