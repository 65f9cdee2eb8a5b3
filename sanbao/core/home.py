"""The home page (工作台) is a column of cards that apps register.

Each card names the roles that see it, a template and a callable that builds
the template's context from the request. The callable returns ``None`` to hide
the card (e.g. nothing to show for this user). An app registers cards in its
own ``home.py`` module (discovered automatically)::

    from sanbao.core.home import register_card

    register_card("matters.my_work", roles={Role.CLERK}, template="matters/cards/my_work.html",
                  context=my_work_context, order=20)

Cards show only what is real: an app registers a card when it has the data.
Order convention: work cards (queues, registration, assignments) below 50, so
they come first; overviews 50–79; the "my role" and jurisdiction context cards
from 80.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import resolve_href
from sanbao.org.choices import Role

ContextBuilder = Callable[..., dict | None]


@dataclass(frozen=True)
class HomeCard:
    """One card of the home page. ``roles`` empty means every signed-in user; ``wide`` spans the row."""

    key: str
    template: str
    context: ContextBuilder
    roles: frozenset[str] = frozenset()
    order: int = 100
    wide: bool = False


@dataclass(frozen=True)
class RenderedCard:
    key: str
    template: str
    context: dict
    wide: bool


_cards: dict[str, HomeCard] = {}
_discovered = False


def register_card(
    key: str, *, template: str, context: ContextBuilder, roles: Iterable[str] = (), order: int = 100,
    wide: bool = False,
) -> HomeCard:
    """Add a card, or replace the card registered under ``key``."""
    card = HomeCard(key, template, context, frozenset(roles), order, wide)
    _cards[key] = card
    return card


def cards_for(request) -> list[RenderedCard]:
    """The cards ``request.user`` sees, in order, with their context built."""
    global _discovered
    if not _discovered:
        autodiscover_modules("home")
        _discovered = True
    user = request.user
    rendered = []
    for card in sorted(_cards.values(), key=lambda card: (card.order, card.key)):
        if card.roles and not user.has_role(*card.roles):
            continue
        context = card.context(request)
        if context is not None:
            rendered.append(RenderedCard(card.key, card.template, context, card.wide))
    return rendered


# What each role does here: shown on the "my role" card so a new user knows
# what the workbench is for.
ROLE_DUTIES = {
    Role.CLERK: _("Register visits, calls, letters and online submissions as matters, check whether a matter "
                  "is already known, and record the parties."),
    Role.DIRECTOR: _("Review new matters, assign them to lead and co-operating units, approve feedback and "
                     "watch deadlines for the centre."),
    Role.HANDLER: _("Sign for matters assigned to your unit, handle them, record progress and submit "
                    "feedback before the deadline."),
    Role.MEDIATOR: _("Mediate disputes, record mediation sessions and agreements."),
    Role.COMMITTEE: _("Oversee the county: follow key matters, supervise overdue ones and review assessment "
                      "results."),
    Role.LEADER: _("See the county overview, give instructions on key matters and take charge of cases."),
    Role.SYSTEM_ADMIN: _("Maintain areas, units and user accounts, and watch that the system is healthy."),
    Role.SECURITY_ADMIN: _("Set the security policy: password rules, second factor, lockouts and role "
                           "grants."),
    Role.AUDIT_ADMIN: _("Read, filter and export the audit trail and verify that it has not been altered."),
}

# Pages an administrator works in, as (label, URL name or path); links whose
# page does not exist yet are left out.
ADMIN_TASKS = {
    Role.SYSTEM_ADMIN: [
        (_("User accounts"), "accounts:user_list"),
        (_("Areas"), "org:area_list"),
        (_("Units"), "org:unit_list"),
        (_("System health"), "healthz"),
        (_("API documentation"), "api-docs"),
    ],
    Role.SECURITY_ADMIN: [
        (_("Security policy"), "accounts:security_policy"),
        (_("User accounts"), "accounts:user_list"),
    ],
    Role.AUDIT_ADMIN: [(_("Audit trail"), "/audit/")],
}


def role_card_context(request) -> dict:
    user = request.user
    roles = sorted(user.roles)
    return {
        "roles": [{"label": Role(role).label, "duties": ROLE_DUTIES.get(role, "")} for role in roles],
        "unit": user.unit,
        "area": user.unit.area if user.unit_id else None,
    }


def admin_tasks_context(request) -> dict | None:
    links = []
    for role in sorted(request.user.roles):
        for label, url in ADMIN_TASKS.get(role, []):
            href = resolve_href(url)
            if href is not None:
                links.append({"label": label, "href": href})
    return {"links": links} if links else None


register_card("core.role", template="core/cards/role.html", context=role_card_context, order=80)
register_card(
    "core.admin_tasks", template="core/cards/admin_tasks.html", context=admin_tasks_context,
    roles={Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN}, order=20,
)
