"""Sign-in controls in a real browser: TOTP enrolment from the QR page, lockout page, account creation."""

import base64
import os
import re
import tempfile

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from sanbao.core.testing import login_in_browser

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("SANBAO_SCREENSHOT_DIR", tempfile.gettempdir())


def code_from_secret(secret_text: str) -> str:
    """What an authenticator app computes from the secret shown on the page."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def test_administrator_enrols_an_authenticator_from_the_page(page):
    login_in_browser(page, "secadmin")
    expect(page).to_have_url(re.compile(r"/accounts/otp/enrol/"))
    expect(page.locator("h1")).to_contain_text("绑定身份验证器")
    expect(page.locator("#otp-qr svg")).to_be_visible()
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-otp-enrol.png", full_page=True)

    page.locator("input[name=token]").fill("000000")
    with page.expect_navigation():
        page.locator("form:has(input[name=token]) button[type=submit]").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("动态口令错误")

    page.locator("input[name=token]").fill(code_from_secret(page.locator("#otp-secret").inner_text()))
    # django-otp makes the device wait a second after a wrong code.
    page.wait_for_timeout(1100)
    with page.expect_navigation():
        page.locator("form:has(input[name=token]) button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("nav.sanbao-navbar")).to_contain_text("安全策略")

    page.goto("/accounts/security/")
    expect(page.locator("h1")).to_contain_text("安全策略")
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-security-policy.png", full_page=True)


def test_five_wrong_passwords_show_the_locked_page(page):
    for _attempt in range(5):
        login_in_browser(page, "qingshan.handler", "Wrong-password-1")
    expect(page.locator("#lockout-message")).to_contain_text("锁定至")
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-locked.png", full_page=True)
    login_in_browser(page, "qingshan.handler")
    expect(page.locator("#lockout-message")).to_be_visible()


def test_system_administrator_creates_an_account_and_hands_over_a_one_time_password(page):
    from sanbao.accounts.testing import pass_second_factor_in_browser
    from sanbao.org.models import Unit, User

    login_in_browser(page, "sysadmin")
    expect(page).to_have_url(re.compile(r"/accounts/otp/enrol/"))
    pass_second_factor_in_browser(page, "sysadmin")

    page.goto("/accounts/users/?q=qingshan")
    expect(page.locator("table")).to_contain_text("qingshan.clerk")
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-user-list.png", full_page=True)
    page.locator("a", has_text="新建账号").click()
    page.locator("input[name=username]").fill("qingshan.clerk2")
    page.locator("input[name=full_name]").fill("周七")
    page.locator("select[name=unit]").select_option(str(Unit.objects.get(name="青山镇综治中心").pk))
    with page.expect_navigation():
        page.locator("button[type=submit]", has_text="创建账号").click()
    password = page.locator("#one-time-password").inner_text().strip()
    assert User.objects.get(username="qingshan.clerk2").check_password(password)
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-one-time-password.png", full_page=True)
    page.locator("a", has_text="完成").click()
    expect(page.locator("#account-roles")).to_contain_text("无")
    page.screenshot(path=f"{SCREENSHOTS}/sanbao-user-detail.png", full_page=True)
