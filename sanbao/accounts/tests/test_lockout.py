"""等保: 5 failed sign-ins lock the account for 30 minutes, on the page and the API alike."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from sanbao.accounts import lockout
from sanbao.accounts.tests.conftest import sign_in, signed_in_as
from sanbao.audit.models import AuditEvent
from sanbao.core.testing import DEMO_PASSWORD

pytestmark = pytest.mark.django_db
TOKEN_URL = "/api/v1/auth/token/"


def fail_five_times(client, username):
    for _attempt in range(5):
        response = sign_in(client, username, "Wrong-password-1")
    return response


def events_since(seq, code):
    return list(AuditEvent.objects.filter(seq__gt=seq, event_code=code).order_by("seq"))


def last_seq():
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_wrong_password_is_refused_and_audited_with_the_attempted_username(client):
    start = last_seq()
    response = sign_in(client, "qingshan.clerk", "Wrong-password-1")
    assert response.status_code == 200
    assert signed_in_as(client) is None
    [failure] = events_since(start, "auth.login_failed")
    assert failure.actor_username == "qingshan.clerk"
    assert failure.actor is None
    assert not failure.success
    assert failure.after == {"reason": "bad_credentials"}
    assert "Wrong-password-1" not in str(failure.after)


def test_correct_password_signs_in_and_is_audited(client, demo_users):
    start = last_seq()
    response = sign_in(client, "qingshan.clerk")
    assert response.status_code == 302
    assert signed_in_as(client) == str(demo_users["qingshan.clerk"].pk)
    [login] = events_since(start, "auth.login")
    assert login.actor == demo_users["qingshan.clerk"]


def test_locked_account_cannot_sign_in_even_with_the_right_password(client):
    start = last_seq()
    fifth = fail_five_times(client, "qingshan.clerk")
    assert fifth.status_code == 403
    response = sign_in(client, "qingshan.clerk", DEMO_PASSWORD)
    assert response.status_code == 403
    assert signed_in_as(client) is None
    content = response.content.decode()
    assert 'id="lockout-message"' in content
    until = lockout.locked_until("qingshan.clerk")
    assert until is not None
    assert until.astimezone().strftime("%H:%M") in content or until.strftime("%H:%M") in content
    assert len(events_since(start, "auth.locked_out")) == 1
    reasons = [event.after["reason"] for event in events_since(start, "auth.login_failed")]
    assert reasons == ["bad_credentials"] * 5 + ["account_locked"]


def test_lock_lasts_thirty_minutes_from_the_fifth_failure(client):
    from django.utils import timezone

    fail_five_times(client, "qingshan.clerk")
    until = lockout.locked_until("qingshan.clerk")
    minutes = (until - timezone.now()).total_seconds() / 60
    assert 29 < minutes <= 30
    sign_in(client, "qingshan.clerk", DEMO_PASSWORD)
    assert lockout.locked_until("qingshan.clerk") == until


def test_four_failures_do_not_lock(client):
    for _attempt in range(4):
        sign_in(client, "qingshan.clerk", "Wrong-password-1")
    assert sign_in(client, "qingshan.clerk").status_code == 302


def test_locked_account_gets_no_api_token():
    api = APIClient()
    for _attempt in range(5):
        api.post(TOKEN_URL, {"username": "qingshan.handler", "password": "Wrong-password-1"})
    response = api.post(TOKEN_URL, {"username": "qingshan.handler", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert response.json()["code"] == "account_locked"
    assert response.json()["locked_until"]
    assert not Token.objects.filter(user__username="qingshan.handler").exists()


def test_failures_on_the_api_lock_the_login_page_too(client):
    api = APIClient()
    for _attempt in range(5):
        api.post(TOKEN_URL, {"username": "qingshan.handler", "password": "Wrong-password-1"})
    assert sign_in(client, "qingshan.handler").status_code == 403
    assert signed_in_as(client) is None


def test_failures_on_the_page_lock_the_api_too(client):
    fail_five_times(client, "qingshan.handler")
    response = APIClient().post(TOKEN_URL, {"username": "qingshan.handler", "password": DEMO_PASSWORD})
    assert response.status_code == 403
    assert not Token.objects.filter(user__username="qingshan.handler").exists()


def test_unknown_usernames_lock_the_same_way_so_existence_is_not_revealed(client):
    fail_five_times(client, "nobody.here")
    response = sign_in(client, "nobody.here", "Whatever-1")
    assert response.status_code == 403


def test_security_admin_unlocks_from_the_user_page_and_it_is_audited(client, client_as, demo_users):
    fail_five_times(client, "qingshan.clerk")
    clerk = demo_users["qingshan.clerk"]
    start = last_seq()
    page = client_as("secadmin").get(reverse("accounts:user_detail", args=[clerk.pk]))
    assert "Unlock" in page.content.decode() or "解锁" in page.content.decode()
    response = client_as("secadmin").post(reverse("accounts:user_unlock", args=[clerk.pk]))
    assert response.status_code == 302
    assert lockout.locked_until("qingshan.clerk") is None
    [unlocked] = events_since(start, "accounts.user_unlocked")
    assert unlocked.actor == demo_users["secadmin"]
    assert unlocked.before["locked_until"]
    assert sign_in(client, "qingshan.clerk").status_code == 302


def test_system_admin_cannot_unlock(client, client_as, demo_users):
    fail_five_times(client, "qingshan.clerk")
    clerk = demo_users["qingshan.clerk"]
    response = client_as("sysadmin").post(reverse("accounts:user_unlock", args=[clerk.pk]))
    assert response.status_code == 403
    assert lockout.locked_until("qingshan.clerk") is not None


def test_unlock_from_the_command_line(client):
    fail_five_times(client, "qingshan.clerk")
    call_command("axes_reset_username", "qingshan.clerk")
    assert sign_in(client, "qingshan.clerk").status_code == 302


def test_sign_out_is_audited(client, demo_users):
    sign_in(client, "qingshan.clerk")
    start = last_seq()
    client.post(reverse("accounts:logout"))
    [logout] = events_since(start, "auth.logout")
    assert logout.actor == demo_users["qingshan.clerk"]
    assert logout.after == {"reason": "user"}


def test_login_page_is_chinese_first(client):
    content = client.get(reverse("accounts:login")).content.decode()
    assert "登录" in content and 'name="username"' in content


def test_lockout_page_in_english_when_chosen(client):
    fail_five_times(client, "qingshan.clerk")
    client.cookies["django_language"] = "en"
    response = sign_in(client, "qingshan.clerk")
    assert "Account locked" in response.content.decode()
    assert "locked after repeated failed sign-ins until" in response.content.decode()


def test_a_token_sign_in_resets_the_failure_count():
    api = APIClient()
    wrong = {"username": "qingshan.handler", "password": "Wrong-password-1"}
    for _attempt in range(4):
        api.post(TOKEN_URL, wrong)
    assert api.post(TOKEN_URL, {"username": "qingshan.handler", "password": DEMO_PASSWORD}).status_code == 200
    for _attempt in range(4):
        api.post(TOKEN_URL, wrong)
    assert lockout.locked_until("qingshan.handler") is None
