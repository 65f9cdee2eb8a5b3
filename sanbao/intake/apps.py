from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sanbao.intake"
    label = "intake"

    def ready(self):
        from sanbao.intake import events_triage  # noqa: F401
