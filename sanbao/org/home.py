"""Home-page cards from the org app: the user's jurisdiction and, for county oversight, each township."""

from sanbao.core.home import register_card
from sanbao.org import summary
from sanbao.org.choices import PREFIX_LENGTH, AreaLevel, Role


def jurisdiction_context(request) -> dict | None:
    user = request.user
    if user.unit_id is None:
        return None
    return {"counts": summary.counts_for(user, user.unit.area)}


def overview_context(request) -> dict | None:
    """One row per area directly below the user's (townships for a county), for oversight roles."""
    user = request.user
    if user.unit_id is None:
        return None
    area = user.unit.area
    if PREFIX_LENGTH[area.level] > PREFIX_LENGTH[AreaLevel.COUNTY]:
        return None
    children = list(summary.current_children(user, area))
    if not children:
        return None
    return {"area": area, "rows": summary.counts_below(user, children, area)}


register_card(
    "org.jurisdiction", template="org/cards/jurisdiction.html", context=jurisdiction_context, order=85
)
register_card(
    "org.overview", template="org/cards/overview.html", context=overview_context,
    roles={Role.COMMITTEE, Role.LEADER}, order=60, wide=True,
)
