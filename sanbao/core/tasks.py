"""Periodic background tasks on django-tasks, which has no scheduler of its own.

A periodic task re-queues itself: after each run it queues the next one
(``run_after``) unless a run is already waiting. ``migrate`` starts each
chain (a ``post_migrate`` hook, so ``make run`` and every deployment do),
and each app's ``schedule`` command restarts it by hand. Only the database
queue can defer a task and be asked what is waiting: on any other backend
(the immediate backend of the test suite) nothing is ever chained and
``status()`` reports nothing.

The deadline sweep, the early-warning recomputation and the nightly triage
training are the periodic tasks (see their apps' ``tasks`` modules).
"""

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TaskStatus:
    """What the database queue holds for one task: a run in progress, a run due now, the next deferred run."""

    running_since: datetime | None = None
    queued_since: datetime | None = None
    next_run: datetime | None = None

    @property
    def busy(self) -> bool:
        """A run is in progress or due now: another one asked for would only repeat it."""
        return bool(self.running_since or self.queued_since)


@dataclass(frozen=True)
class Periodic:
    """The task at ``task_path``, run again at ``next_run(now)`` after each run."""

    task_path: str
    next_run: Callable[[datetime], datetime]
    # Named in the warning when the chain cannot be started at migrate time.
    schedule_command: str
    # A run "in progress" for longer than this lost its worker (killed, machine restarted): the
    # queue would say RUNNING forever, so it no longer counts as busy.
    stale_after: timedelta = timedelta(hours=1)

    @property
    def task(self):
        return import_string(self.task_path)

    def _can_chain(self) -> bool:
        from django_tasks_db.backend import DatabaseBackend

        return isinstance(self.task.get_backend(), DatabaseBackend)

    def _results(self):
        from django_tasks_db.models import DBTaskResult

        return DBTaskResult.objects.filter(task_path=self.task.module_path)

    def _waiting(self) -> bool:
        try:
            return self._results().filter(status="READY").exists()
        except DatabaseError:
            return False

    def lock(self) -> None:
        """Inside a transaction: wait until no other transaction is deciding whether to queue this task.

        Check-then-queue is only safe under it (two workers finishing at once, two directors pressing
        retrain). PostgreSQL: a transaction-level advisory lock keyed by the task. SQLite needs
        nothing more: every transaction takes the database's write lock at BEGIN (IMMEDIATE, settings).
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(self.task_path.encode())])

    def schedule_next(self) -> bool:
        """Queue the next run at ``next_run(now)`` unless a run is waiting; returns whether it queued."""
        return self._queue_unless_waiting(later=True)

    def ensure_scheduled(self, *, now: bool = True) -> bool:
        """Queue a run (at once, or at ``next_run`` when ``now`` is False) unless one is waiting."""
        return self._queue_unless_waiting(later=not now)

    def _queue_unless_waiting(self, *, later: bool) -> bool:
        if not self._can_chain():
            return False
        with transaction.atomic():
            self.lock()
            if self._waiting():
                return False
            task = self.task.using(run_after=self.next_run(timezone.now())) if later else self.task
            task.enqueue()
        return True

    def status(self) -> TaskStatus:
        """The runs the database queue holds for this task (nothing on other backends)."""
        if not self._can_chain():
            return TaskStatus()
        results = self._results()
        alive = results.running().filter(started_at__gte=timezone.now() - self.stale_after)
        running = alive.order_by("started_at").values_list("started_at", flat=True).first()
        # ready(): due now (queued without a time, or its time has come); the rest wait for their time.
        due = results.ready().order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        later = results.filter(status="READY").exclude(pk__in=results.ready().values("pk"))
        next_run = later.order_by("run_after").values_list("run_after", flat=True).first()
        return TaskStatus(running_since=running, queued_since=due, next_run=next_run)

    def after_migrate(self, *, now: bool = True) -> Callable:
        """A ``post_migrate`` receiver that starts the chain (see ``ensure_scheduled``)."""

        def receiver(sender, **kwargs) -> None:
            try:
                self.ensure_scheduled(now=now)
            except DatabaseError:
                logger.warning("Could not queue %s; run `%s` later.", self.task_path, self.schedule_command)

        return receiver


def every(minutes: Callable[[], int]) -> Callable[[datetime], datetime]:
    """``next_run`` for a task repeated every ``minutes()`` minutes (read at each run: settings may change)."""
    return lambda moment: moment + timedelta(minutes=minutes())


def daily_at(hour: Callable[[], int]) -> Callable[[datetime], datetime]:
    """``next_run`` for a task run once a day at ``hour()`` o'clock, local time (the site's TIME_ZONE)."""

    def next_run(moment: datetime) -> datetime:
        local = timezone.localtime(moment)
        run = local.replace(hour=hour(), minute=0, second=0, microsecond=0)
        return run if run > local else run + timedelta(days=1)

    return next_run
