"""The intake's periodic tasks on the database queue: the hourly early warnings and the nightly triage training."""

import re
from datetime import timedelta
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sanbao.audit.models import AuditEvent
from sanbao.intake import tasks, warning_tasks
from sanbao.intake.events_triage import TRIAGE_RETRAIN_REQUESTED
from sanbao.intake.triage import actions

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
ADMIN = "/intake/triage/"


def waiting(task):
    return DBTaskResult.objects.filter(status="READY", task_path=task.module_path)


@pytest.fixture
def database_queue(settings, tmp_path):
    settings.TASKS = DATABASE_QUEUE
    settings.TRIAGE_MODEL_DIR = tmp_path / "models"


@pytest.fixture
def fake_training(monkeypatch):
    """Training itself is tested in test_triage.py; here only what the task queues afterwards matters."""
    runs = []

    def train_models(*, actor=None):
        runs.append(actor)
        return SimpleNamespace(summary=lambda: {"version": len(runs)})

    monkeypatch.setattr(actions, "train_models", train_models)
    return runs


def test_the_warning_recomputation_queues_its_next_run_once(database_queue, settings):
    settings.SANBAO_WARNING_EVERY_MINUTES = 30
    assert warning_tasks.ensure_scheduled() is True
    assert warning_tasks.ensure_scheduled() is False
    waiting(warning_tasks.recompute_warnings_task).delete()
    warning_tasks.recompute_warnings_task.call()
    queued = waiting(warning_tasks.recompute_warnings_task).get()
    assert 29 * 60 < (queued.run_after - queued.enqueued_at).total_seconds() <= 30 * 60
    out = StringIO()
    call_command("warnings", "schedule", stdout=out)
    assert "already queued" in out.getvalue()


def test_migrate_queues_the_coming_nights_training_once(database_queue):
    tasks.schedule_after_migrate(sender=None)
    tasks.schedule_after_migrate(sender=None)
    queued = waiting(tasks.train_triage_task).get()
    local = timezone.localtime(queued.run_after)
    assert (local.hour, local.minute) == (2, 0)
    assert 0 < (queued.run_after - timezone.now()).total_seconds() <= 24 * 3600
    status = tasks.NIGHTLY_TRAINING.status()
    assert status.next_run == queued.run_after and not status.busy


def test_each_training_queues_the_next_nights_and_only_one(database_queue, settings, fake_training):
    settings.SANBAO_TRIAGE_HOUR = 23
    assert tasks.train_triage_task.call() == {"version": 1}
    queued = waiting(tasks.train_triage_task).get()
    assert timezone.localtime(queued.run_after).hour == 23
    # A training asked for by hand does not add a second night's run.
    tasks.train_triage_task.call()
    assert waiting(tasks.train_triage_task).count() == 1 and len(fake_training) == 2


def test_a_failed_training_still_queues_the_next(database_queue, monkeypatch):
    def broken(*, actor=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "train_models", broken)
    with pytest.raises(RuntimeError):
        tasks.train_triage_task.call()
    assert waiting(tasks.train_triage_task).count() == 1


def test_the_schedule_command_says_when_the_next_training_is(database_queue):
    out = StringIO()
    call_command("triage", "schedule", stdout=out)
    call_command("triage", "schedule", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "queued" and lines[2].startswith("already queued")
    assert lines[1].startswith("Next training: ") and lines[1].endswith(" 02:00")
    assert waiting(tasks.train_triage_task).count() == 1


def test_the_page_follows_a_training_and_refuses_a_second_one(client_as, database_queue):
    director = client_as("county.director")
    page = director.get(ADMIN).content.decode()
    assert 'id="triage-training"' not in page and "hx-trigger" not in page
    assert director.post(ADMIN + "retrain/").status_code == 302
    queued = waiting(tasks.train_triage_task).get()
    assert AuditEvent.objects.filter(event_code=TRIAGE_RETRAIN_REQUESTED).count() == 1

    page = director.get(ADMIN).content.decode()
    assert 'id="triage-training"' in page and "等待后台任务" in page
    assert 'hx-trigger="every 10s"' in page and "disabled" in page
    # Pressing again while it waits queues nothing and records nothing, and says so.
    response = director.post(ADMIN + "retrain/", follow=True)
    assert "已有一次训练" in response.content.decode()
    # The page's reload carries the messages block too (hx-select-oob), now empty: the notice goes.
    reload = director.get(ADMIN).content.decode()
    assert 'hx-select-oob="#messages"' in reload and "已有一次训练" not in reload
    assert re.search(r'<div id="messages">\s*</div>', reload)
    assert waiting(tasks.train_triage_task).count() == 1
    assert AuditEvent.objects.filter(event_code=TRIAGE_RETRAIN_REQUESTED).count() == 1

    DBTaskResult.objects.filter(pk=queued.pk).update(status="RUNNING", started_at=timezone.now())
    page = director.get(ADMIN).content.decode()
    assert "正在训练" in page and 'hx-trigger="every 10s"' in page

    # A worker killed mid-training leaves its run RUNNING for ever: after an hour it no longer blocks.
    DBTaskResult.objects.filter(pk=queued.pk).update(started_at=timezone.now() - timedelta(hours=2))
    assert not tasks.NIGHTLY_TRAINING.status().busy
    assert 'id="triage-training"' not in director.get(ADMIN).content.decode()

    DBTaskResult.objects.filter(pk=queued.pk).update(status="SUCCESSFUL", finished_at=timezone.now())
    page = director.get(ADMIN).content.decode()
    assert 'id="triage-training"' not in page and "hx-trigger" not in page and "disabled" not in page


API = "/api/v1/intake/triage/models/"


def test_the_api_shows_the_models_and_queues_one_training(api_as, database_queue):
    assert api_as(None).get(API).status_code in (401, 403)
    assert api_as("qingshan.clerk").get(API).status_code == 403
    assert api_as("qingshan.handler").post(API + "retrain/").status_code == 403
    assert not waiting(tasks.train_triage_task).exists()

    director = api_as("county.director")
    body = director.get(API).json()
    assert body["trained"] is False and body["version"] is None
    assert body["training"] == {"running_since": None, "queued_since": None, "next_run": None, "busy": False}

    queued = director.post(API + "retrain/")
    assert queued.status_code == 202 and queued.json()["training"]["busy"] is True
    again = api_as("county.committee1").post(API + "retrain/")
    assert again.status_code == 200 and again.json()["training"]["queued_since"] is not None
    assert waiting(tasks.train_triage_task).count() == 1
    assert AuditEvent.objects.filter(event_code=TRIAGE_RETRAIN_REQUESTED).count() == 1
