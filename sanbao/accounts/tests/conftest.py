import pytest
from django.test import Client
from django.urls import reverse

from sanbao.core.testing import DEMO_PASSWORD


def sign_in(client: Client, username: str, password: str = DEMO_PASSWORD):
    """Post the login form as a browser would; returns the response (not followed)."""
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def passes_account_checks(client: Client) -> bool:
    """True when the session is signed in and past every account step (TOTP, password change).

    Uses a session API read from the org app, so the check does not depend on
    any page template; the middleware guards API and pages alike.
    """
    return client.get("/api/v1/units/").status_code == 200


def signed_in_as(client: Client):
    """The id of the user the client's session belongs to, or None."""
    return client.session.get("_auth_user_id")


@pytest.fixture
def township_admin(db):
    """A system administrator whose jurisdiction is Qingshan township only, and a security one likewise."""
    from sanbao.org.actions import create_user
    from sanbao.org.models import Unit

    unit = Unit.objects.get(name="青山镇综治中心")

    def make(role: str, username: str):
        return create_user(
            actor=None, username=username, password="Township@2026x", unit=unit, roles={role},
        )

    return make
