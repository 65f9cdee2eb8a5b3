"""Background tasks of the intake app (django-tasks)."""

from django_tasks import task


@task()
def train_triage_task(actor_id: int | None = None) -> dict:
    """Train and store the triage models from the site's matters; returns their summary."""
    from sanbao.intake.triage.actions import train_models
    from sanbao.org.models import User

    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return train_models(actor=actor).summary()
