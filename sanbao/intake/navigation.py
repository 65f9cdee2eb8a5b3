"""The early-warning list in the navigation bar."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import NavEntry, register
from sanbao.intake.policy import WARNING_VIEW_ROLES

register(
    NavEntry(
        "intake.warnings",
        _("Early warnings"),
        "intake:warning_list",
        order=35,
        icon="broadcast",
        roles=WARNING_VIEW_ROLES,
    )
)
