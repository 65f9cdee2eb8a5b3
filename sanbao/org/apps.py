from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "sanbao.org"
    label = "org"
    verbose_name = _("Areas, units and people")

    def ready(self) -> None:
        from sanbao.org import events  # noqa: F401
