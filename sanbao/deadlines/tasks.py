"""Background tasks of the deadlines app (django-tasks) and how the periodic sweep is scheduled.

The sweep runs every ``DEADLINE_SWEEP_MINUTES``: after each run it queues the
next (``sanbao.core.tasks.Periodic``). ``migrate`` starts the chain and
``sanbao deadlines schedule`` restarts it by hand.
"""

from django_tasks import task

from sanbao.core.tasks import Periodic, every
from sanbao.deadlines import conf


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


# The sweep re-queues itself every DEADLINE_SWEEP_MINUTES (sanbao.core.tasks.Periodic).
SWEEP = Periodic("sanbao.deadlines.tasks.sweep_task", every(conf.sweep_minutes), "sanbao deadlines schedule")
schedule_next = SWEEP.schedule_next
ensure_scheduled = SWEEP.ensure_scheduled
schedule_after_migrate = SWEEP.after_migrate()
