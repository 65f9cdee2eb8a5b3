from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "sanbao.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from sanbao.audit import events  # noqa: F401  (registers the audit app's own codes)
