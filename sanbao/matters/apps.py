from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    name = "sanbao.matters"
    label = "matters"
    verbose_name = _("Matters")

    def ready(self) -> None:
        from sanbao.matters import events  # noqa: F401
