"""Pytest fixtures shared by every app (loaded from the root conftest.py).

The demo county is built once per test session inside the test database;
tests that run in a transaction see it and roll their own changes back.
Transactional tests (``transaction=True``) run last and must build what they
need themselves (``build_demo()``), because the database is flushed after them.
"""

import pytest
from rest_framework.test import APIClient

DEMO_PASSWORD = "Sanbao@2026"  # noqa: S105


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from sanbao.core.demo import build_demo

    with django_db_blocker.unblock():
        build_demo()


class DemoUsers:
    """``demo_users["qingshan.clerk"]`` → the demo user with that username."""

    def __getitem__(self, username: str):
        from sanbao.org.models import User

        return User.objects.select_related("unit__area").get(username=username)


@pytest.fixture
def demo_users(db) -> DemoUsers:
    return DemoUsers()


@pytest.fixture
def api_as(db):
    """``api_as("qingshan.clerk")`` → an APIClient authenticated as that demo user (None: anonymous)."""

    def make(username: str | None) -> APIClient:
        client = APIClient()
        if username is not None:
            client.force_authenticate(DemoUsers()[username])
        return client

    return make


@pytest.fixture
def client_as(db):
    """``client_as("qingshan.clerk")`` → a Django test client logged in as that demo user.

    Roles the security policy sends through TOTP get a session that has passed it.
    """
    from django.test import Client

    def make(username: str | None) -> Client:
        from sanbao.accounts.testing import verify_second_factor

        client = Client()
        if username is not None:
            user = DemoUsers()[username]
            client.force_login(user)
            verify_second_factor(client, user)
        return client

    return make


# --- Browser tests: Playwright driving Debian's chromium ------------------------
# Never download a browser: the suite uses the distribution's package.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the whole session."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django would
    # otherwise refuse the test's own ORM calls as "async-unsafe".
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db):
    """A fresh zh-CN browser page whose relative URLs go to the live server, with the demo county built.

    Uncaught JavaScript errors on the page fail the test.
    """
    from sanbao.core.demo import build_demo
    from sanbao.org.demo import is_built

    if not is_built():
        build_demo()
    viewport = {"width": 1280, "height": 900}
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


def login_in_browser(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real login form and wait for the page after it."""
    page.goto("/accounts/login/")
    form = page.locator("form:has(input[name=username])")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def sign_out_in_browser(page) -> None:
    """Sign out through the navbar's user menu (opening the collapsed navbar first on a narrow page)."""
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible():
        toggler.click()
    page.click("#user-menu")
    with page.expect_navigation():
        page.click("form[action='/accounts/logout/'] button[type=submit]")


def sign_in_as(page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Switch the browser to ``username``: sign out as a person would (if someone is signed in), sign in.

    Tests that switch users must not clear the browser's cookies instead. That is not signing out:
    the session stays valid on the server, and a response still on its way (an htmx fragment a page
    loads after itself) sets its cookie again (SESSION_SAVE_EVERY_REQUEST), signing the previous user
    back in. Signing out deletes the session on the server, and Django never saves a deleted session
    again. Afterwards the navbar must name ``username`` (the second-factor step shows it too).
    """
    from playwright.sync_api import expect

    if page.locator("#user-menu").count():
        sign_out_in_browser(page)
    login_in_browser(page, username, password)
    expect(page.locator("#user-menu + .dropdown-menu .dropdown-header")).to_contain_text(username)
