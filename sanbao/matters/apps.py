from django.apps import AppConfig


class MattersConfig(AppConfig):
    name = "sanbao.matters"
    label = "matters"
