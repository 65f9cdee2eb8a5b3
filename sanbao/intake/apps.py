from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sanbao.intake"
    label = "intake"
