"""The periodic sweep: one task queued at a time, re-queued after each run, never chained on the immediate backend."""

from io import StringIO

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from sanbao.deadlines import tasks

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def waiting():
    return DBTaskResult.objects.filter(status="READY", task_path=tasks.sweep_task.module_path)


def test_one_sweep_is_queued_however_often_it_is_scheduled(settings):
    settings.TASKS = DATABASE_QUEUE
    assert tasks.ensure_scheduled() is True
    assert tasks.ensure_scheduled() is False
    assert tasks.schedule_next() is False
    assert waiting().count() == 1
    out = StringIO()
    call_command("deadlines", "schedule", stdout=out)
    assert "already queued" in out.getvalue() and waiting().count() == 1


def test_the_sweep_task_queues_the_next_run_minutes_later(settings):
    settings.TASKS = DATABASE_QUEUE
    settings.DEADLINE_SWEEP_MINUTES = 7
    result = tasks.sweep_task.call()
    assert result.startswith("sweep ")
    queued = waiting().get()
    assert 6 * 60 < (queued.run_after - queued.enqueued_at).total_seconds() <= 7 * 60


def test_the_immediate_backend_of_the_tests_is_never_chained():
    assert tasks.ensure_scheduled() is False
    assert tasks.schedule_next() is False
    assert not waiting().exists()


def test_delivery_task_sends_pending_notifications(outbox):
    from sanbao.deadlines.models import Notification
    from sanbao.org.models import User

    Notification.objects.create(recipient=User.objects.get(username="qingshan.handler"), code="deadline.due_soon",
                                params={"matter": "JF-1", "step": "办理", "due": "2026-12-01"})
    assert tasks.deliver_task.call() >= 1
    assert any("JF-1" in message.text for message in outbox)
