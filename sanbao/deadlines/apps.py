from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "sanbao.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from sanbao.deadlines import checks, events  # noqa: F401 (they register)
        from sanbao.deadlines.tasks import schedule_after_migrate

        # Starting the periodic sweep is infrastructure, not domain logic: every
        # `migrate` (run by `make run` and by deployments) makes sure one is queued.
        post_migrate.connect(schedule_after_migrate, sender=self, dispatch_uid="deadlines_schedule_sweep")
