"""Password policy: Argon2, ≥8 characters of ≥3 classes, expiry, forced change of one-time passwords."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sanbao.accounts import actions
from sanbao.accounts.models import SecurityPolicy
from sanbao.accounts.tests.conftest import passes_account_checks, sign_in
from sanbao.accounts.validators import CharacterClassValidator
from sanbao.audit.models import AuditEvent
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.core.testing import DEMO_PASSWORD
from sanbao.org.models import User

HOME = "/"
NEW_PASSWORD = "Fresh-Start-2027"


def test_production_settings_hash_with_argon2():
    import sanbao.settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = make_password("Sanbao@2026", hasher="argon2")
    assert encoded.startswith("argon2$") and check_password("Sanbao@2026", encoded)


@pytest.mark.parametrize(
    ("password", "ok"),
    [("abcdefgh", False), ("abcd1234", False), ("Abcd1234", True), ("abcd-1234", True), ("ABCD!@#$", False)],
)
def test_character_classes(password, ok):
    validator = CharacterClassValidator(min_classes=3)
    if ok:
        validator.validate(password)
    else:
        with pytest.raises(ValidationError) as error:
            validator.validate(password)
        assert error.value.code == "password_too_simple"


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["Ab1!", "abcdefgh1", "password"])
def test_weak_new_password_is_refused_and_nothing_changes(demo_users, weak):
    clerk = demo_users["qingshan.clerk"]
    with pytest.raises(ValidationFailed) as error:
        actions.change_password(clerk, actor=clerk, old_password=DEMO_PASSWORD, new_password=weak)
    assert error.value.field == "new_password"
    clerk.refresh_from_db()
    assert clerk.check_password(DEMO_PASSWORD)


@pytest.mark.django_db
def test_wrong_current_password_is_refused_and_audited(demo_users):
    clerk = demo_users["qingshan.clerk"]
    with pytest.raises(ValidationFailed) as error:
        actions.change_password(clerk, actor=clerk, old_password="nope", new_password=NEW_PASSWORD)
    assert error.value.field == "old_password"
    event = AuditEvent.objects.filter(event_code="accounts.password_change_failed").order_by("-seq").first()
    assert event.actor == clerk and not event.success


@pytest.mark.django_db
def test_nobody_changes_another_users_password_through_the_verb(demo_users):
    with pytest.raises(PermissionDenied):
        actions.change_password(
            demo_users["qingshan.clerk"], actor=demo_users["sysadmin"],
            old_password=DEMO_PASSWORD, new_password=NEW_PASSWORD,
        )


@pytest.mark.django_db
def test_password_change_page_changes_the_password_and_keeps_the_session(client_as, demo_users):
    client = client_as("qingshan.clerk")
    response = client.post(reverse("accounts:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD,
    })
    assert response.status_code == 302
    clerk = demo_users["qingshan.clerk"]
    assert clerk.check_password(NEW_PASSWORD)
    assert timezone.now() - clerk.password_changed_at < timedelta(minutes=1)
    assert passes_account_checks(client)
    assert AuditEvent.objects.filter(event_code="accounts.password_changed", actor=clerk).exists()


@pytest.mark.django_db
def test_password_change_page_shows_the_mismatch(client_as, demo_users):
    response = client_as("qingshan.clerk").post(reverse("accounts:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD + "x",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["new_password_again"]
    assert demo_users["qingshan.clerk"].check_password(DEMO_PASSWORD)


def age_password(username: str, days: int) -> None:
    User.objects.filter(username=username).update(password_changed_at=timezone.now() - timedelta(days=days))


@pytest.mark.django_db
def test_expired_password_forces_the_change_page_before_anything_else(client):
    age_password("qingshan.clerk", 91)
    sign_in(client, "qingshan.clerk")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password_change"))
    page = client.get(response.url)
    assert page.status_code == 200 and page.context["expired"]
    api = client.get("/api/v1/units/")
    assert api.status_code == 403 and api.json()["code"] == "password_change_required"
    client.post(reverse("accounts:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD,
    })
    assert passes_account_checks(client)


@pytest.mark.django_db
def test_password_younger_than_the_limit_is_not_expired(client):
    age_password("qingshan.clerk", 89)
    sign_in(client, "qingshan.clerk")
    assert passes_account_checks(client)


@pytest.mark.django_db
def test_zero_days_means_passwords_never_expire(client):
    policy = SecurityPolicy.current()
    policy.password_max_age_days = 0
    policy.save()
    age_password("qingshan.clerk", 5000)
    sign_in(client, "qingshan.clerk")
    assert passes_account_checks(client)


@pytest.mark.django_db
def test_expired_password_gets_no_api_token():
    from rest_framework.test import APIClient

    age_password("qingshan.clerk", 91)
    credentials = {"username": "qingshan.clerk", "password": DEMO_PASSWORD}
    response = APIClient().post("/api/v1/auth/token/", credentials)
    assert response.status_code == 403 and response.json()["code"] == "password_change_required"


@pytest.mark.django_db
def test_one_time_password_must_be_changed_at_first_sign_in(client, demo_users):
    from sanbao.org.models import Unit

    unit = Unit.objects.get(name="青山镇综治中心")
    user, password = actions.create_account(
        actor=demo_users["sysadmin"], username="qingshan.newclerk", unit=unit, full_name="新员",
    )
    assert user.password_changed_at is None
    assert sign_in(client, "qingshan.newclerk", password).status_code == 302
    response = client.get(HOME)
    assert response.url.startswith(reverse("accounts:password_change"))
    assert client.get(response.url).context["one_time"]
    client.post(reverse("accounts:password_change"), {
        "old_password": password, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD,
    })
    assert passes_account_checks(client)
    event = AuditEvent.objects.filter(event_code="accounts.password_changed").order_by("-seq").first()
    assert event.after == {"one_time_password_replaced": True}


def test_one_time_passwords_meet_the_policy_and_differ():
    from django.contrib.auth.password_validation import validate_password

    passwords = {actions.generate_one_time_password() for _i in range(20)}
    assert len(passwords) == 20
    for password in passwords:
        validate_password(password)
        assert len(password) == actions.ONE_TIME_PASSWORD_LENGTH
