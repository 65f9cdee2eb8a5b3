"""Home-page card of the early warnings, for directors, committee staff and leaders."""

from sanbao.core.home import register_card
from sanbao.intake.models import EarlyWarning
from sanbao.org.choices import Role

SHOWN = 5


def warnings_context(request) -> dict | None:
    if request.user.unit_id is None:
        return None
    open_warnings = EarlyWarning.objects.visible_to(request.user).open()
    return {"warnings": list(open_warnings[:SHOWN]), "open": open_warnings.count()}


register_card(
    "intake.warnings",
    template="intake/cards/warnings.html",
    context=warnings_context,
    roles={Role.DIRECTOR, Role.COMMITTEE, Role.LEADER},
    order=40,
)
