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
