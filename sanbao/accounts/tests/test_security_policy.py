"""The security policy: edited only by the security administrator, on its page or through the verb."""

import pytest
from django.urls import reverse

from sanbao.accounts import actions
from sanbao.accounts.models import SecurityPolicy
from sanbao.audit.models import AuditEvent
from sanbao.core.errors import PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db
URL = "/accounts/security/"
ADMINS = ["audit_admin", "security_admin", "system_admin"]


def test_defaults():
    policy = SecurityPolicy.current()
    assert (policy.password_max_age_days, policy.idle_timeout_minutes) == (90, 30)
    assert sorted(policy.totp_roles) == ADMINS


def test_url_is_the_one_the_navigation_declares():
    assert reverse("accounts:security_policy") == URL


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("username", ["sysadmin", "auditadmin", "county.director", "qingshan.clerk"])
def test_other_roles_are_refused_and_the_refusal_is_audited(client_as, demo_users, username):
    before = SecurityPolicy.current().as_dict()
    response = client_as(username).post(URL, {"password_max_age_days": 1, "idle_timeout_minutes": 1})
    assert response.status_code == 403
    assert SecurityPolicy.current().as_dict() == before
    denial = AuditEvent.objects.order_by("-seq").first()
    assert denial.event_code == "auth.permission_denied" and denial.actor == demo_users[username]


def test_security_admin_edits_the_policy_and_it_is_audited_with_before_and_after(client_as, demo_users):
    client = client_as("secadmin")
    assert client.get(URL).status_code == 200
    response = client.post(URL, {
        "password_max_age_days": 60, "idle_timeout_minutes": 15, "totp_roles": [*ADMINS, "director"],
    })
    assert response.status_code == 302
    policy = SecurityPolicy.current()
    assert (policy.password_max_age_days, policy.idle_timeout_minutes) == (60, 15)
    assert sorted(policy.totp_roles) == sorted([*ADMINS, "director"])
    event = AuditEvent.objects.filter(event_code="accounts.policy_changed").order_by("-seq").first()
    assert event.actor == demo_users["secadmin"]
    assert event.before == {"password_max_age_days": 90, "idle_timeout_minutes": 30, "totp_roles": ADMINS}
    assert event.after["idle_timeout_minutes"] == 15


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"password_max_age_days": 90, "idle_timeout_minutes": 0}, "idle_timeout_minutes"),
        ({"password_max_age_days": 90, "idle_timeout_minutes": 31}, "idle_timeout_minutes"),
        ({"password_max_age_days": -1, "idle_timeout_minutes": 30}, "password_max_age_days"),
        ({"password_max_age_days": 99999, "idle_timeout_minutes": 30}, "password_max_age_days"),
    ],
)
def test_out_of_range_values_are_refused_on_the_page_naming_the_field(client_as, values, field):
    before = SecurityPolicy.current().as_dict()
    response = client_as("secadmin").post(URL, values)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert SecurityPolicy.current().as_dict() == before


def test_verb_refuses_other_roles(demo_users):
    with pytest.raises(PermissionDenied):
        actions.update_security_policy(
            actor=demo_users["sysadmin"], password_max_age_days=1, idle_timeout_minutes=1, totp_roles=[],
        )


def test_verb_refuses_unknown_roles(demo_users):
    with pytest.raises(ValidationFailed) as error:
        actions.update_security_policy(
            actor=demo_users["secadmin"], password_max_age_days=90, idle_timeout_minutes=30,
            totp_roles=["janitor"],
        )
    assert error.value.field == "totp_roles"
    assert sorted(SecurityPolicy.current().totp_roles) == ADMINS
