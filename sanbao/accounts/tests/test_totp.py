"""TOTP second factor (django-otp) for the roles the security policy names."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sanbao.accounts import actions
from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.testing import enrolled_device, totp_code
from sanbao.accounts.tests.conftest import passes_account_checks, sign_in
from sanbao.audit.models import AuditEvent
from sanbao.core.testing import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"
HOME = "/"


def require_totp_for(*roles):
    policy = SecurityPolicy.current()
    policy.totp_roles = sorted(roles)
    policy.save()


def test_default_policy_names_the_three_administrator_roles():
    assert sorted(SecurityPolicy.current().totp_roles) == ["audit_admin", "security_admin", "system_admin"]


def test_administrator_without_a_device_is_sent_to_enrol_and_can_enrol(client, demo_users):
    sign_in(client, "secadmin")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_enrol"))
    page = client.get(response.url)
    content = page.content.decode()
    assert "<svg" in content and 'id="otp-secret"' in content
    device = TOTPDevice.objects.get(user=demo_users["secadmin"], confirmed=False)
    assert client.get(reverse("accounts:otp_enrol")).context["secret"] == page.context["secret"]
    response = client.post(response.url, {"token": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert passes_account_checks(client)
    enrolled = AuditEvent.objects.filter(event_code="accounts.totp_enrolled", actor=demo_users["secadmin"])
    assert enrolled.exists()


def test_enrolment_with_a_wrong_code_is_refused_and_audited(client, demo_users):
    sign_in(client, "secadmin")
    client.get(reverse("accounts:otp_enrol"))
    response = client.post(reverse("accounts:otp_enrol"), {"token": "000000"})
    assert response.status_code == 200
    assert not TOTPDevice.objects.filter(user=demo_users["secadmin"], confirmed=True).exists()
    failure = AuditEvent.objects.filter(event_code="accounts.totp_failed").order_by("-seq").first()
    assert failure.actor == demo_users["secadmin"] and not failure.success
    assert client.get(HOME).status_code == 302


def test_every_page_redirects_to_verification_until_the_code_is_given(client, demo_users):
    device = enrolled_device(demo_users["sysadmin"])
    sign_in(client, "sysadmin")
    for path in (HOME, reverse("accounts:user_list"), reverse("accounts:password_change")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("accounts:otp_verify"))
    response = client.post(reverse("accounts:otp_verify"), {"token": "123456", "next": "/accounts/users/"})
    assert response.status_code == 200
    # django-otp throttles the device after a wrong code: even the right one waits.
    response = client.post(reverse("accounts:otp_verify"), {"token": totp_code(device)})
    assert response.status_code == 200 and response.context["form"].errors["token"]
    device.refresh_from_db()
    device.throttle_reset()  # as if the (doubling) wait had passed
    response = client.post(
        reverse("accounts:otp_verify"), {"token": totp_code(device), "next": "/accounts/users/"}
    )
    assert response.status_code == 302 and response.url == "/accounts/users/"
    assert client.get(reverse("accounts:user_list")).status_code == 200


def test_wrong_code_is_audited(client, demo_users):
    enrolled_device(demo_users["sysadmin"])
    sign_in(client, "sysadmin")
    before = AuditEvent.objects.filter(event_code="accounts.totp_failed").count()
    client.post(reverse("accounts:otp_verify"), {"token": "999999"})
    assert AuditEvent.objects.filter(event_code="accounts.totp_failed").count() == before + 1


def test_api_session_requests_get_403_before_verification(client, demo_users):
    enrolled_device(demo_users["sysadmin"])
    sign_in(client, "sysadmin")
    response = client.get("/api/v1/users/")
    assert response.status_code == 403
    assert response.json()["code"] == "otp_required"


def test_htmx_requests_get_a_client_redirect(client, demo_users):
    enrolled_device(demo_users["sysadmin"])
    sign_in(client, "sysadmin")
    response = client.get(HOME, headers={"HX-Request": "true"})
    assert response.headers["HX-Redirect"].startswith(reverse("accounts:otp_verify"))


def test_logout_stays_reachable_before_verification(client, demo_users):
    enrolled_device(demo_users["sysadmin"])
    sign_in(client, "sysadmin")
    client.post(reverse("accounts:logout"))
    assert client.session.get("_auth_user_id") is None


def test_business_role_needs_no_code_by_default(client):
    sign_in(client, "qingshan.clerk")
    assert passes_account_checks(client)


def test_policy_can_require_totp_for_a_business_role(client):
    require_totp_for("system_admin", "security_admin", "audit_admin", "clerk")
    sign_in(client, "qingshan.clerk")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp_enrol"))
    other = Client()
    sign_in(other, "qingshan.handler")
    assert passes_account_checks(other)


def test_policy_can_drop_totp_for_a_role(client):
    require_totp_for("security_admin", "audit_admin")
    sign_in(client, "sysadmin")
    assert passes_account_checks(client)


def test_token_endpoint_demands_the_code_from_roles_that_need_it(demo_users):
    api = APIClient()
    credentials = {"username": "sysadmin", "password": DEMO_PASSWORD}
    assert api.post(TOKEN_URL, credentials).json()["code"] == "otp_not_enrolled"
    device = enrolled_device(demo_users["sysadmin"])
    response = api.post(TOKEN_URL, credentials)
    assert response.status_code == 403 and response.json()["code"] == "otp_required"
    response = api.post(TOKEN_URL, {**credentials, "otp_token": "000000"})
    assert response.status_code == 403 and response.json()["code"] == "otp_invalid"
    assert not Token.objects.filter(user__username="sysadmin").exists()
    response = api.post(TOKEN_URL, {**credentials, "otp_token": totp_code(device)})
    assert response.status_code == 403 and response.json()["code"] == "otp_throttled"
    device.refresh_from_db()
    device.throttle_reset()
    response = api.post(TOKEN_URL, {**credentials, "otp_token": totp_code(device)})
    assert response.status_code == 200 and response.json()["token"]


def test_token_endpoint_for_business_roles_needs_only_the_password():
    response = APIClient().post(TOKEN_URL, {"username": "qingshan.clerk", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    login = AuditEvent.objects.filter(event_code="auth.login").order_by("-seq").first()
    assert login.actor_username == "qingshan.clerk" and login.after == {"via": "api_token"}


def test_security_admin_removes_a_lost_authenticator(client_as, demo_users):
    handler = demo_users["sysadmin"]
    enrolled_device(handler)
    response = client_as("secadmin").post(reverse("accounts:user_reset_authenticator", args=[handler.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=handler).exists()
    event = AuditEvent.objects.filter(event_code="accounts.totp_reset").order_by("-seq").first()
    assert event.actor == demo_users["secadmin"] and event.object_id == str(handler.pk)


def test_only_the_security_admin_removes_authenticators(client_as, demo_users):
    handler = demo_users["auditadmin"]
    enrolled_device(handler)
    response = client_as("sysadmin").post(reverse("accounts:user_reset_authenticator", args=[handler.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=handler).exists()


def test_confirm_totp_verb_refuses_a_second_enrolment(demo_users):
    user = demo_users["auditadmin"]
    device = enrolled_device(user)
    with pytest.raises(actions.ValidationFailed):
        actions.confirm_totp(user, totp_code(device), actor=user)


def test_next_parameter_never_leaves_the_site(client, demo_users):
    device = enrolled_device(demo_users["sysadmin"])
    sign_in(client, "sysadmin")
    response = client.post(
        reverse("accounts:otp_verify"), {"token": totp_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == "/"
