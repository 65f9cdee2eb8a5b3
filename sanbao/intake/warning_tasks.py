"""The periodic early-warning recomputation (django-tasks) and how it is scheduled.

It runs every ``SANBAO_WARNING_EVERY_MINUTES`` (default 60): after each run
it queues the next (``sanbao.core.tasks.Periodic``). ``migrate`` starts the
chain, ``sanbao warnings schedule`` restarts it, and ``sanbao warnings
recompute`` runs once in the foreground (e.g. from cron).
"""

from django.conf import settings
from django_tasks import task

from sanbao import config
from sanbao.core.tasks import Periodic, every


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


RECOMPUTATION = Periodic(
    "sanbao.intake.warning_tasks.recompute_warnings_task", every(every_minutes), "sanbao warnings schedule"
)
schedule_next = RECOMPUTATION.schedule_next
ensure_scheduled = RECOMPUTATION.ensure_scheduled
schedule_after_migrate = RECOMPUTATION.after_migrate()
