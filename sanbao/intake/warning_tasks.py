"""The periodic early-warning recomputation (django-tasks) and how it is scheduled.

As for the deadline sweep, django-tasks has no scheduler: the task queues
its next run ``SANBAO_WARNING_EVERY_MINUTES`` (default 60) later on the
database queue, unless a run is already waiting. ``migrate`` starts the
chain (``post_migrate``), ``sanbao warnings schedule`` restarts it, and
``sanbao warnings recompute`` runs once in the foreground (e.g. from cron).
Backends that cannot defer a task (the immediate backend of the test suite)
are never chained.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django_tasks import task

from sanbao import config

logger = logging.getLogger(__name__)


def every_minutes() -> int:
    return int(getattr(settings, "SANBAO_WARNING_EVERY_MINUTES", config.get_int("SANBAO_WARNING_EVERY_MINUTES", 60)))


@task()
def recompute_warnings_task() -> str:
    """Recompute the early warnings, then queue the next run."""
    from sanbao.intake.early_warning import recompute_warnings

    try:
        return str(recompute_warnings())
    finally:
        schedule_next()


def _can_chain() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(recompute_warnings_task.get_backend(), DatabaseBackend)


def _waiting() -> bool:
    from django_tasks_db.models import DBTaskResult

    try:
        return DBTaskResult.objects.filter(status="READY", task_path=recompute_warnings_task.module_path).exists()
    except DatabaseError:
        return False


def schedule_next() -> bool:
    """Queue the next run unless one is waiting; returns whether it queued."""
    if not _can_chain() or _waiting():
        return False
    recompute_warnings_task.using(run_after=timezone.now() + timedelta(minutes=every_minutes())).enqueue()
    return True


def ensure_scheduled() -> bool:
    """Queue a run now unless one is waiting."""
    if not _can_chain() or _waiting():
        return False
    recompute_warnings_task.enqueue()
    return True


def schedule_after_migrate(sender, **kwargs) -> None:
    """``post_migrate`` hook: start the chain on the database that was migrated."""
    try:
        ensure_scheduled()
    except DatabaseError:
        logger.warning("Could not queue the early-warning recomputation; run `sanbao warnings schedule` later.")
