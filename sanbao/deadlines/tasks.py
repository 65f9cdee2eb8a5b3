"""Background tasks of the deadlines app (django-tasks) and how the periodic sweep is scheduled.

django-tasks has no scheduler, so the sweep task re-enqueues itself: after
each run it queues the next run ``DEADLINE_SWEEP_MINUTES`` later (``run_after``)
unless a sweep is already waiting. The chain is started by ``migrate`` (a
``post_migrate`` hook, so ``make run`` and every deployment start it) and can
be restarted by hand with ``sanbao deadlines schedule``. Backends that cannot
defer a task (the immediate backend of the test suite) are never chained.
"""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.utils import timezone
from django_tasks import task

from sanbao.deadlines import conf

logger = logging.getLogger(__name__)


@task()
def sweep_task() -> str:
    """Run one sweep, then queue the next one."""
    from sanbao.deadlines.sweep import run_sweep

    try:
        return str(run_sweep())
    finally:
        schedule_next()


@task()
def deliver_task() -> int:
    """Send pending notifications through the SMS/e-mail backends, in bounded batches."""
    from sanbao.deadlines.delivery import deliver_pending

    total = 0
    while (sent := deliver_pending()) > 0:
        total += sent
    return total


def enqueue_delivery() -> None:
    deliver_task.enqueue()


def _sweep_waiting() -> bool:
    """Whether a sweep task is already queued in the database queue."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY", task_path=sweep_task.module_path)
    try:
        return waiting.exists()
    except DatabaseError:
        return False


def _can_chain() -> bool:
    """Only the database queue both defers tasks and can be asked whether a sweep is waiting."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(sweep_task.get_backend(), DatabaseBackend)


def schedule_next() -> bool:
    """Queue the next sweep in ``DEADLINE_SWEEP_MINUTES`` unless one is waiting. Returns whether it queued."""
    if not _can_chain() or _sweep_waiting():
        return False
    run_after = timezone.now() + timedelta(minutes=conf.sweep_minutes())
    sweep_task.using(run_after=run_after).enqueue()
    return True


def ensure_scheduled() -> bool:
    """Queue a sweep now unless one is waiting (``sanbao deadlines schedule``, ``migrate``)."""
    if not _can_chain() or _sweep_waiting():
        return False
    sweep_task.enqueue()
    return True


def schedule_after_migrate(sender, **kwargs) -> None:
    """``post_migrate`` hook: start the sweep chain on the database that was migrated."""
    try:
        ensure_scheduled()
    except DatabaseError:
        logger.warning("Could not queue the deadline sweep; run `sanbao deadlines schedule` later.")
