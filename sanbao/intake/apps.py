from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sanbao.intake"
    label = "intake"

    def ready(self):
        from django.db.models.signals import post_migrate

        from sanbao.intake import checks, events, events_triage, tasks, warning_tasks  # noqa: F401 (events, checks register)

        post_migrate.connect(warning_tasks.schedule_after_migrate, sender=self, dispatch_uid="intake_schedule_warnings")
        post_migrate.connect(tasks.schedule_after_migrate, sender=self, dispatch_uid="intake_schedule_triage")
