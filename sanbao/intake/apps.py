from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sanbao.intake"
    label = "intake"

    def ready(self):
        from django.db.models.signals import post_migrate

        from sanbao.intake import events, events_triage  # noqa: F401
        from sanbao.intake.warning_tasks import schedule_after_migrate

        post_migrate.connect(schedule_after_migrate, sender=self, dispatch_uid="intake_schedule_warnings")
