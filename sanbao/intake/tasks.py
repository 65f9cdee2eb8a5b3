"""Background tasks of the intake app (django-tasks).

The triage models retrain themselves every night at ``SANBAO_TRIAGE_HOUR``
o'clock (default 2, site time), so the suggestions keep up with the matters
closed that day without anyone pressing "retrain": each training queues the
next night's (``sanbao.core.tasks.Periodic``). ``migrate`` starts the chain
for the coming night and ``sanbao triage schedule`` restarts it.
"""

from django.conf import settings
from django_tasks import task

from sanbao import config
from sanbao.core.tasks import Periodic, daily_at


def training_hour() -> int:
    """0–23; a value outside is refused by the system check ``intake.E001``."""
    return int(getattr(settings, "SANBAO_TRIAGE_HOUR", config.get_int("SANBAO_TRIAGE_HOUR", 2)))


@task()
def train_triage_task(actor_id: int | None = None) -> dict:
    """Train and store the triage models from the site's matters, then make sure the next night's is queued."""
    from sanbao.intake.triage.actions import train_models
    from sanbao.org.models import User

    try:
        actor = User.objects.filter(pk=actor_id).first() if actor_id else None
        return train_models(actor=actor).summary()
    finally:
        NIGHTLY_TRAINING.schedule_next()


NIGHTLY_TRAINING = Periodic("sanbao.intake.tasks.train_triage_task", daily_at(training_hour), "sanbao triage schedule")
# At migrate time the site has no new matters to learn from yet: the chain starts with the coming night's run.
schedule_after_migrate = NIGHTLY_TRAINING.after_migrate(now=False)
