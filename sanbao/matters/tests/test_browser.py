"""Browser tests of the matter pages (Playwright, Debian chromium).

A dispute from intake to closing, entirely through the pages: intake (clerk) → assign (director)
→ sign and feedback (handler of 青山镇司法所) → approve (director) → follow-up visit 满意 (clerk)
→ closed. And the matter page's operation buttons do not move once the page has appeared.
"""

from datetime import date

import pytest

from sanbao.core.testing import sign_in_as
from sanbao.matters.models import Matter
from sanbao.matters.tests.factories import JUSTICE_OFFICE, make_matter, resident_id

pytestmark = pytest.mark.browser
SHOTS = "/tmp/sanbao-matters-{}.png"  # noqa: S108 - screenshots for a person to look at, not read back


@pytest.fixture
def few_demo_matters(settings):
    """Browser tests rebuild the demo after each flush; its matters are not needed here."""
    settings.SANBAO_DEMO_MATTERS = 0


def open_operation(page, verb: str):
    """Click the operation's button on the matter page and return its form, open and focused.

    No waiting for the panels htmx loads after the page: they arrive below the buttons and move none
    of them (test_the_operation_buttons_stay_where_they_first_appear).
    """
    page.click(f"button[data-operation={verb}]")
    page.locator(f"#operation-{verb}.show").wait_for()  # opened, not half-way through a toggle
    form = page.locator(f"#operation-{verb}-form")
    assert form.evaluate("form => form.contains(document.activeElement)"), "the open form takes the keyboard"
    return form


def submit(page, form) -> None:
    """Submit an operation form (htmx) and wait for the matter page it redirects to.

    The POST is awaited first, so a form the browser refuses to send (a required field empty) or a
    server answer other than the redirect fails here, with the reason, not as a navigation timeout.
    """
    problem = form.evaluate("form => form.checkValidity() ? '' : form.querySelector(':invalid').name")
    assert not problem, f"the browser would not send the form: {problem} is invalid"
    with page.expect_navigation():
        with page.expect_response(lambda response: response.request.method == "POST") as posted:
            form.locator("button[type=submit]").click()
        response = posted.value
        assert response.headers.get("hx-redirect"), f"no redirect: {response.status} {response.text()[:500]}"


def register(page) -> str:
    page.goto("/matters/new/")
    page.select_option("#id_category", index=1)
    page.fill("#id_title", "东塘村两户排水沟纠纷")
    page.fill("#id_narrative", "两户村民因屋后排水沟改道发生争执，要求中心调处。")
    page.select_option("#id_village", "360921101001")
    page.fill("#id_parties-0-name", "王建国")
    page.fill("#id_parties-0-id_number", resident_id())
    page.fill("#id_parties-0-phone", "13812345678")
    page.screenshot(path=SHOTS.format("intake"), full_page=True)
    with page.expect_navigation():
        page.press("#id_narrative", "Control+Enter")
    return page.locator("#matter-code").inner_text()


def test_dispute_from_intake_to_closed_through_the_ui(few_demo_matters, page):
    sign_in_as(page, "qingshan.clerk")
    code = register(page)
    assert Matter.objects.get(code=code).state == "registered"
    assert "王建国" not in page.content()  # masked on the page even for the clerk until revealed
    url = f"/matters/{code}/"

    sign_in_as(page, "qingshan.director")
    page.goto(url)
    form = open_operation(page, "assign")
    form.locator("select[name=assign-lead_unit]").select_option(label=JUSTICE_OFFICE)
    form.locator("textarea[name=assign-instructions]").fill("请于五个工作日内调处并反馈。")
    submit(page, form)
    assert Matter.objects.get(code=code).state == "assigned"

    sign_in_as(page, "qingshan.justice.handler")
    page.goto(url)
    submit(page, open_operation(page, "sign"))
    form = open_operation(page, "feedback")
    form.locator("textarea[name=feedback-result]").fill("经司法所调解，双方同意恢复原排水沟走向，已现场履行。")
    submit(page, form)
    assert Matter.objects.get(code=code).state == "feedback"

    sign_in_as(page, "qingshan.director")
    page.goto(url)
    form = open_operation(page, "review")
    form.locator("input[name=review-decision][value=approve]").check()
    submit(page, form)
    assert Matter.objects.get(code=code).state == "follow_up"

    sign_in_as(page, "qingshan.clerk")
    page.goto(url)
    form = open_operation(page, "follow_up")
    form.locator("select[name=follow_up-method]").select_option("phone")
    form.locator("input[name=follow_up-satisfaction][value=satisfied]").check()
    submit(page, form)

    matter = Matter.objects.get(code=code)
    assert (matter.state, matter.status, matter.satisfaction) == ("closed", "closed", "satisfied")
    events = page.locator("#timeline .timeline-event")
    verbs = events.evaluate_all("rows => rows.map(row => row.dataset.verb)")
    assert verbs == ["register", "assign", "sign", "feedback", "review", "follow_up"]
    assert page.locator("button[data-operation=assign]").count() == 0
    page.screenshot(path=SHOTS.format("closed"), full_page=True)


# Where each operation button is: once when the document is parsed (before htmx asks for the panels
# a page loads after itself), and again when asked.
RECORD_FIRST_PAINT = """
window.buttonTops = () => Object.fromEntries(Array.from(document.querySelectorAll("[data-operation]"))
  .map(button => [button.dataset.operation, Math.round(button.getBoundingClientRect().top + window.scrollY)]));
document.addEventListener("DOMContentLoaded", () => { window.firstTops = window.buttonTops(); }, {capture: true});
"""


def test_the_operation_buttons_stay_where_they_first_appear(few_demo_matters, page, monkeypatch):
    """The calendar banner comes with the page and the duplicates panel loads below the buttons, so a
    click aimed at a button as the page appears is not taken by another one a moment later."""
    monkeypatch.setattr("sanbao.deadlines.calendar.timezone.localdate", lambda *args: date(2026, 11, 25))
    make_matter()
    matter = make_matter()  # the same person and text: the duplicates panel has a candidate to show
    page.add_init_script(RECORD_FIRST_PAINT)
    sign_in_as(page, "qingshan.director")
    for width in (1280, 400):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/matters/{matter.code}/")
        page.locator("#duplicate-candidates-of-matter").wait_for()
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SHOTS.format(f"matter-{width}"), full_page=True)
        assert page.locator("#calendar-warning").is_visible()
        first = page.evaluate("window.firstTops")
        assert {"accept", "assign", "note"} <= set(first)
        assert page.evaluate("window.buttonTops()") == first, f"the buttons moved at {width} px"
    # At 400 px the actions card is stacked under the main column; the link in the header reaches it.
    jump = page.locator("#jump-to-operations")
    top = "document.getElementById('operations-title').getBoundingClientRect().top"
    assert page.evaluate(top) > 900, "the actions card is below the first screen"
    jump.click()
    page.wait_for_function(f"{top} >= 0 && {top} < 450")  # in the upper half of the screen
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not jump.is_visible()  # beside the narrative on wide screens: no link needed
