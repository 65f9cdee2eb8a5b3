from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "sanbao.deadlines"
    label = "deadlines"
