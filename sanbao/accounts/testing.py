"""Test helpers for signed-in sessions of roles that need a second factor."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.policy import totp_required


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code an authenticator app would show for ``device`` now (or a step later).

    A device never accepts the same time step twice, so a test that verifies
    twice asks for the next step (within the device's tolerance of one).
    """
    generator = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    generator.time = time.time() + steps_ahead * device.step
    return f"{generator.token():0{device.digits}d}"


def enrolled_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, created if there is none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def verify_second_factor(client, user) -> None:
    """Mark a test client's session as having passed TOTP, when the policy requires it for ``user``.

    Used by the ``client_as`` fixture so administrator pages can be tested
    without repeating the sign-in ceremony; the ceremony itself is tested in
    sanbao/accounts/tests/test_totp.py.
    """
    if not totp_required(user, SecurityPolicy.current()):
        return
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
    session.save()


def pass_second_factor_in_browser(page, username: str) -> None:
    """On the OTP verification page after a browser sign-in: bind a device if needed and enter its code."""
    from sanbao.org.models import User

    device = enrolled_device(User.objects.get(username=username))
    if "/accounts/otp/enrol/" in page.url:
        page.goto("/accounts/otp/verify/")
    page.locator("input[name=token]").fill(totp_code(device))
    with page.expect_navigation():
        page.locator("form:has(input[name=token]) button[type=submit]").click()
