"""Idle logout: the middleware signs a session out after the policy's minutes without a request."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.accounts import actions
from sanbao.accounts.signals import LAST_ACTIVITY_KEY
from sanbao.accounts.tests.conftest import passes_account_checks, sign_in, signed_in_as
from sanbao.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
HOME = "/"


def idle_for(client, minutes: float) -> None:
    """Pretend the session's last request was ``minutes`` ago."""
    session = client.session
    session[LAST_ACTIVITY_KEY] = (timezone.now() - timedelta(minutes=minutes)).timestamp()
    session.save()


def test_session_idle_longer_than_the_policy_is_signed_out(client, demo_users):
    sign_in(client, "qingshan.clerk")
    idle_for(client, 31)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert signed_in_as(client) is None
    logout = AuditEvent.objects.filter(event_code="auth.logout").order_by("-seq").first()
    assert logout.actor == demo_users["qingshan.clerk"]
    assert logout.after == {"reason": "idle_timeout"}


def test_session_active_within_the_limit_stays_and_the_clock_restarts(client):
    sign_in(client, "qingshan.clerk")
    idle_for(client, 29)
    assert passes_account_checks(client)
    last = client.session[LAST_ACTIVITY_KEY]
    assert timezone.now().timestamp() - last < 5


def test_the_security_admin_can_shorten_the_idle_timeout(client, demo_users):
    actions.update_security_policy(
        actor=demo_users["secadmin"], password_max_age_days=90, idle_timeout_minutes=10,
        totp_roles=["system_admin", "security_admin", "audit_admin"],
    )
    sign_in(client, "qingshan.clerk")
    idle_for(client, 11)
    assert client.get(HOME).status_code == 302
    assert signed_in_as(client) is None


def test_idle_api_session_is_refused(client):
    sign_in(client, "qingshan.clerk")
    assert client.get("/api/v1/units/").status_code == 200
    idle_for(client, 31)
    assert client.get("/api/v1/units/").status_code in {401, 403}
    assert signed_in_as(client) is None


def test_the_login_page_tells_why_the_session_ended(client):
    sign_in(client, "qingshan.clerk")
    idle_for(client, 31)
    page = client.get(HOME, follow=True)
    assert "30" in page.content.decode()
    assert any("30" in str(message) for message in page.context["messages"])
