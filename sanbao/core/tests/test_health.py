"""GET /healthz: 200 with the status of database and worker; 503 when the database is down."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from sanbao import __version__

REQUIRED = ("status", "database", "worker", "version")


def waiting_task(*, enqueued_minutes_ago: int, run_after=None) -> DBTaskResult:
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}}, task_path="sanbao.example.task", backend_name="default",
        run_after=run_after or get_date_max(), exception_class_path="", traceback="",
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=enqueued_minutes_ago)
    )
    return task


@pytest.mark.django_db
def test_healthy_answer_needs_no_login_and_is_not_cached(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    # Other probes (e.g. the work calendar) may add keys; these four are the contract.
    assert {key: body[key] for key in REQUIRED} == {
        "status": "ok", "database": "ok", "worker": "ok", "version": __version__,
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_database_down_is_503(client):
    with mock.patch("sanbao.core.health.database_status", return_value=(False, "error: OperationalError")):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert {key: body[key] for key in REQUIRED} == {
        "status": "error", "database": "error: OperationalError", "worker": "unknown", "version": __version__,
    }


@pytest.mark.django_db
def test_failing_cursor_is_reported_as_database_down(client):
    with mock.patch("sanbao.core.health.connection.cursor", side_effect=OperationalError("server closed")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: OperationalError"
    assert "server closed" not in response.content.decode()  # no driver detail leaks to an anonymous caller


@pytest.mark.django_db
def test_task_waiting_too_long_marks_the_worker_stalled_but_stays_200(client):
    waiting_task(enqueued_minutes_ago=30)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["worker"] == "stalled"


@pytest.mark.django_db
def test_task_scheduled_for_later_is_not_a_stalled_worker(client):
    waiting_task(enqueued_minutes_ago=60 * 24, run_after=timezone.now() + timedelta(hours=6))
    waiting_task(enqueued_minutes_ago=60, run_after=timezone.now() - timedelta(minutes=1))
    assert client.get("/healthz").json()["worker"] == "ok"


@pytest.mark.django_db
def test_only_get(client):
    assert client.post("/healthz").status_code == 405
