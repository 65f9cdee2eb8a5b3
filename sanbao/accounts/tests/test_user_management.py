"""User management pages and API: authorization matrix, 三员分立, one-time passwords, deactivation."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from sanbao.accounts import actions
from sanbao.accounts.testing import verify_second_factor
from sanbao.accounts.tests.conftest import sign_in
from sanbao.audit.models import AuditEvent
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.core.testing import DEMO_PASSWORD
from sanbao.org.actions import create_user, set_roles
from sanbao.org.models import RoleGrant, Unit, User

pytestmark = pytest.mark.django_db


def roles_of(username: str) -> list[str]:
    return sorted(RoleGrant.objects.filter(user__username=username).values_list("role", flat=True))


def qingshan_unit():
    return Unit.objects.get(name="青山镇综治中心")


# --- 三员分立 through the verbs --------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [{"system_admin", "security_admin"}, {"security_admin", "audit_admin"}, {"system_admin", "clerk"},
     {"audit_admin", "leader"}, {"system_admin", "security_admin", "audit_admin"}],
)
def test_set_roles_refuses_an_administrator_role_combined_with_another(demo_users, roles):
    before = roles_of("sysadmin")
    with pytest.raises(ValidationFailed) as error:
        set_roles(demo_users["sysadmin"], roles, actor=demo_users["secadmin"])
    assert error.value.code == "admin_role_combination"
    assert roles_of("sysadmin") == before


def test_create_user_refuses_two_administrator_roles_and_writes_nothing(demo_users):
    with pytest.raises(ValidationFailed):
        create_user(
            actor=demo_users["sysadmin"], username="two.hats", password="Two-Hats-2026", unit=qingshan_unit(),
            roles={"system_admin", "audit_admin"},
        )
    assert not User.objects.filter(username="two.hats").exists()


def test_grant_roles_verb_is_the_security_administrators(demo_users):
    with pytest.raises(PermissionDenied):
        actions.grant_roles(demo_users["qingshan.clerk"], {"handler"}, actor=demo_users["sysadmin"])
    assert roles_of("qingshan.clerk") == ["clerk"]


def test_security_admin_cannot_change_its_own_roles(demo_users):
    with pytest.raises(PermissionDenied):
        actions.grant_roles(demo_users["secadmin"], {"clerk"}, actor=demo_users["secadmin"])
    assert roles_of("secadmin") == ["security_admin"]


# --- pages: authorization matrix ------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, demo_users):
    clerk = demo_users["qingshan.clerk"]
    for url in (reverse("accounts:user_list"), reverse("accounts:user_detail", args=[clerk.pk]),
                reverse("accounts:user_create")):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("username", ["qingshan.clerk", "county.director", "auditadmin"])
def test_other_roles_cannot_open_user_management(client_as, username):
    assert client_as(username).get(reverse("accounts:user_list")).status_code == 403


@pytest.mark.parametrize("username", ["sysadmin", "secadmin"])
def test_administrators_see_the_accounts_of_their_jurisdiction(client_as, demo_users, username):
    client = client_as(username)
    response = client.get(reverse("accounts:user_list"), {"q": "baisha"})
    assert response.status_code == 200
    assert "baisha.clerk" in response.content.decode()
    clerk = demo_users["baisha.clerk"]
    assert client.get(reverse("accounts:user_detail", args=[clerk.pk])).status_code == 200


def test_township_administrator_sees_only_its_township_and_404_elsewhere(client, township_admin, demo_users):
    admin = township_admin("system_admin", "qingshan.sysadmin")
    client.force_login(admin)
    verify_second_factor(client, admin)
    listing = client.get(reverse("accounts:user_list")).content.decode()
    assert "qingshan.clerk" in listing and "baisha.clerk" not in listing
    other = demo_users["baisha.clerk"]
    assert client.get(reverse("accounts:user_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("accounts:user_edit", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:user_deactivate", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active
    denial = AuditEvent.objects.order_by("-seq").first()
    assert denial.event_code == "auth.permission_denied" and denial.object_id == str(other.pk)


def test_township_administrator_cannot_create_an_account_in_another_township(client, township_admin):
    admin = township_admin("system_admin", "qingshan.sysadmin")
    client.force_login(admin)
    verify_second_factor(client, admin)
    baisha = Unit.objects.get(name="白沙镇综治中心")
    response = client.post(reverse("accounts:user_create"), {"username": "sneaky", "unit": baisha.pk})
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not User.objects.filter(username="sneaky").exists()


# --- pages: what each administrator does -------------------------------------------


def test_system_admin_creates_an_account_with_a_one_time_password(client_as, demo_users):
    response = client_as("sysadmin").post(reverse("accounts:user_create"), {
        "username": "qingshan.clerk9", "full_name": "王五", "phone": "0791-1234567",
        "unit": qingshan_unit().pk,
    })
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert "no-store" in response.headers["Cache-Control"]
    user = User.objects.get(username="qingshan.clerk9")
    assert user.check_password(password) and user.password_changed_at is None
    assert user.roles == frozenset()
    event = AuditEvent.objects.filter(event_code="org.user_created").order_by("-seq").first()
    assert event.actor == demo_users["sysadmin"] and password not in str(event.after)


def test_create_form_reports_a_taken_username_on_the_field(client_as):
    response = client_as("sysadmin").post(
        reverse("accounts:user_create"), {"username": "qingshan.clerk", "unit": qingshan_unit().pk}
    )
    assert response.status_code == 200 and "username" in response.context["form"].errors


def test_security_admin_cannot_create_accounts(client_as):
    response = client_as("secadmin").post(
        reverse("accounts:user_create"), {"username": "x.y", "unit": qingshan_unit().pk}
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="x.y").exists()


def test_system_admin_edits_an_account(client_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    response = client_as("sysadmin").post(reverse("accounts:user_edit", args=[clerk.pk]), {
        "full_name": "李四", "phone": "0791-7654321", "unit": clerk.unit_id,
    })
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.full_name == "李四"
    event = AuditEvent.objects.filter(event_code="org.user_updated").order_by("-seq").first()
    assert event.after["full_name"] == "李四"


def test_deactivated_account_cannot_sign_in_and_loses_its_token(client, client_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    Token.objects.create(user=clerk)
    response = client_as("sysadmin").post(reverse("accounts:user_deactivate", args=[clerk.pk]))
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert not clerk.is_active and not Token.objects.filter(user=clerk).exists()
    assert AuditEvent.objects.filter(event_code="accounts.user_deactivated", object_id=str(clerk.pk)).exists()
    assert sign_in(client, "qingshan.clerk").status_code == 200
    assert client.session.get("_auth_user_id") is None
    client_as("sysadmin").post(reverse("accounts:user_reactivate", args=[clerk.pk]))
    assert sign_in(client, "qingshan.clerk").status_code == 302


def test_deactivation_ends_an_open_session(client_as, demo_users):
    clerk_client = client_as("qingshan.clerk")
    actions.deactivate_user(demo_users["qingshan.clerk"], actor=demo_users["sysadmin"])
    assert clerk_client.get("/").status_code == 302


def test_administrator_cannot_deactivate_itself(client_as, demo_users):
    admin = demo_users["sysadmin"]
    client_as("sysadmin").post(reverse("accounts:user_deactivate", args=[admin.pk]))
    admin.refresh_from_db()
    assert admin.is_active


def test_system_admin_issues_a_new_one_time_password(client, client_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    response = client_as("sysadmin").post(reverse("accounts:user_reset_password", args=[clerk.pk]))
    password = response.context["password"]
    clerk.refresh_from_db()
    assert clerk.password_changed_at is None and clerk.check_password(password)
    assert not clerk.check_password(DEMO_PASSWORD)
    sign_in(client, "qingshan.clerk", password)
    assert client.get("/").url.startswith(reverse("accounts:password_change"))


def test_security_admin_sets_roles_on_the_page(client_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    url = reverse("accounts:user_roles", args=[clerk.pk])
    response = client_as("secadmin").post(url, {"roles": ["clerk", "handler"]})
    assert response.status_code == 302
    assert roles_of("qingshan.clerk") == ["clerk", "handler"]
    event = AuditEvent.objects.filter(event_code="org.roles_set").order_by("-seq").first()
    assert event.before == {"roles": ["clerk"]} and event.after == {"roles": ["clerk", "handler"]}


def test_roles_page_refuses_an_administrator_with_two_admin_roles(client_as, demo_users):
    admin = demo_users["auditadmin"]
    response = client_as("secadmin").post(
        reverse("accounts:user_roles", args=[admin.pk]), {"roles": ["audit_admin", "system_admin"]}
    )
    assert response.status_code == 200
    assert "三员分立" in " ".join(response.context["form"].errors["roles"])
    assert roles_of("auditadmin") == ["audit_admin"]


def test_system_admin_cannot_set_roles(client_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    url = reverse("accounts:user_roles", args=[clerk.pk])
    response = client_as("sysadmin").post(url, {"roles": ["leader"]})
    assert response.status_code == 403
    assert roles_of("qingshan.clerk") == ["clerk"]


# --- API --------------------------------------------------------------------------

USERS = "/api/v1/users/"


def test_api_create_matrix(api_as):
    body = {"username": "qingshan.api1", "unit": qingshan_unit().pk, "full_name": "赵六"}
    assert api_as(None).post(USERS, body).status_code in {401, 403}
    assert api_as("qingshan.clerk").post(USERS, body).status_code == 403
    assert api_as("secadmin").post(USERS, body).status_code == 403
    assert not User.objects.filter(username="qingshan.api1").exists()
    response = api_as("sysadmin").post(USERS, body)
    assert response.status_code == 201
    data = response.json()
    assert data["username"] == "qingshan.api1" and data["roles"] == []
    assert User.objects.get(username="qingshan.api1").check_password(data["one_time_password"])


def test_api_create_bad_input_names_the_field(api_as):
    response = api_as("sysadmin").post(USERS, {"username": "", "unit": qingshan_unit().pk})
    assert response.status_code == 400 and "username" in response.json()
    response = api_as("sysadmin").post(USERS, {"username": "qingshan.clerk", "unit": qingshan_unit().pk})
    assert response.status_code == 400 and response.json()["field"] == "username"


def test_api_create_outside_jurisdiction_is_refused(township_admin):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(township_admin("system_admin", "qingshan.sysadmin"))
    response = api.post(USERS, {"username": "sneaky", "unit": Unit.objects.get(name="白沙镇综治中心").pk})
    assert response.status_code == 400 and response.json()["field"] == "unit"
    assert not User.objects.filter(username="sneaky").exists()


def test_api_set_roles_matrix(api_as, demo_users, township_admin):
    from rest_framework.test import APIClient

    clerk = demo_users["baisha.clerk"]
    url = f"{USERS}{clerk.pk}/roles/"
    assert api_as(None).post(url, {"roles": ["handler"]}).status_code in {401, 403}
    assert api_as("baisha.director").post(url, {"roles": ["handler"]}).status_code == 403
    assert api_as("sysadmin").post(url, {"roles": ["handler"]}).status_code == 403
    township = APIClient()
    township.force_authenticate(township_admin("security_admin", "qingshan.secadmin"))
    assert township.post(url, {"roles": ["handler"]}).status_code == 404
    assert roles_of("baisha.clerk") == ["clerk"]
    denial = AuditEvent.objects.order_by("-seq").first()
    assert denial.event_code == "auth.permission_denied" and denial.object_id == str(clerk.pk)
    response = api_as("secadmin").post(url, {"roles": ["clerk", "handler"]})
    assert response.status_code == 200 and response.json()["roles"] == ["clerk", "handler"]


def test_api_refuses_two_administrator_roles(api_as, demo_users):
    admin = demo_users["sysadmin"]
    body = {"roles": ["system_admin", "security_admin"]}
    response = api_as("secadmin").post(f"{USERS}{admin.pk}/roles/", body)
    assert response.status_code == 400
    assert response.json()["code"] == "admin_role_combination" and response.json()["field"] == "roles"
    assert roles_of("sysadmin") == ["system_admin"]


def test_api_refuses_unknown_roles(api_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    response = api_as("secadmin").post(f"{USERS}{clerk.pk}/roles/", {"roles": ["emperor"]})
    assert response.status_code == 400 and response.json()["field"] == "roles"


def test_api_deactivate_matrix(api_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    url = f"{USERS}{clerk.pk}/deactivate/"
    assert api_as("secadmin").post(url).status_code == 403
    assert api_as("qingshan.director").post(url).status_code == 403
    clerk.refresh_from_db()
    assert clerk.is_active
    response = api_as("sysadmin").post(url)
    assert response.status_code == 200 and response.json()["is_active"] is False


# --- CLI: the first administrators of a fresh install ---------------------------------

COMMITTEE = "青山县委政法委"


def bootstrap(role: str, username: str, unit: str = COMMITTEE):
    from django.core.management import call_command

    call_command("accounts", "bootstrap-admin", "--role", role, "--username", username, "--unit", unit)


def test_bootstrap_admin_refuses_a_role_that_is_already_held():
    from django.core.management import CommandError

    with pytest.raises(CommandError) as error:
        bootstrap("system_admin", "x")
    assert error.value.returncode == 1
    assert not User.objects.filter(username="x").exists()


def test_bootstrap_admin_creates_a_one_time_account_when_the_role_is_vacant(demo_users, capsys):
    actions.deactivate_user(demo_users["auditadmin"], actor=demo_users["sysadmin"])
    bootstrap("audit_admin", "audit2")
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    user = User.objects.get(username="audit2")
    assert user.roles == {"audit_admin"} and user.check_password(password)
    assert user.password_changed_at is None


def test_bootstrap_admin_refuses_business_roles_and_unknown_units():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        bootstrap("clerk", "y")
    with pytest.raises(CommandError) as error:
        bootstrap("audit_admin", "y", unit="9999999")
    assert error.value.returncode == 2
