"""The navigation bar and user menu, declared in one place.

Every entry is a ``NavEntry`` in a registry keyed by ``key``; the context
processor ``sanbao.core.context_processors.sanbao`` renders the entries the
current user may see. An app adds entries in its own ``navigation.py`` module
(discovered automatically, like ``admin.py``)::

    from sanbao.core.navigation import NavEntry, register

    register(NavEntry("matters", _("Matters"), "matters:matter_list", order=20, icon="inbox"))

Registering an existing key replaces the entry, so the app that owns a URL can
refine what core declared. An entry whose URL does not resolve (its app is not
installed or has no such page yet) is simply not shown; templates never need
to guard against missing URLs.
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanbao.org.choices import Role

MAIN = "main"
USER_MENU = "user"


@dataclass(frozen=True)
class NavEntry:
    """One link in a menu.

    ``url`` is a URL name (``"org:unit_list"``) or an absolute path
    (``"/matters/"``). ``roles`` empty means every signed-in user. ``group``
    names the key of a dropdown entry (whose own ``url`` is empty); a dropdown
    without visible children is hidden.
    """

    key: str
    label: str
    url: str = ""
    roles: frozenset[str] = frozenset()
    group: str = ""
    menu: str = MAIN
    order: int = 100
    icon: str = ""

    def allows(self, user) -> bool:
        return not self.roles or user.has_role(*self.roles)


@dataclass(frozen=True)
class NavLink:
    """A resolved entry as the templates see it."""

    key: str
    label: str
    href: str
    icon: str
    active: bool
    children: tuple["NavLink", ...] = ()


_registry: dict[str, NavEntry] = {}
_discovered = False


def register(entry: NavEntry) -> NavEntry:
    """Add ``entry`` or replace the entry with the same key."""
    _registry[entry.key] = entry
    return entry


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("navigation")
        _discovered = True


def resolve_href(url: str) -> str | None:
    """The path of a URL name or absolute path, or None when no view answers it."""
    if not url:
        return None
    if url.startswith("/"):
        try:
            resolve(url)
        except Resolver404:
            return None
        return url
    try:
        return reverse(url)
    except NoReverseMatch:
        return None


def _is_active(href: str, path: str) -> bool:
    return path == href if href == "/" else path.startswith(href)


def _link(entry: NavEntry, path: str, children: tuple[NavLink, ...] = ()) -> NavLink | None:
    if children:
        active = any(child.active for child in children)
        return NavLink(entry.key, str(entry.label), "", entry.icon, active, children)
    href = resolve_href(entry.url)
    if href is None:
        return None
    return NavLink(entry.key, str(entry.label), href, entry.icon, _is_active(href, path))


def menu_for(user, path: str, menu: str = MAIN) -> list[NavLink]:
    """The links of ``menu`` that ``user`` may see, in order, with dropdowns filled."""
    _discover()
    if not getattr(user, "is_authenticated", False):
        return []
    entries = sorted(
        (entry for entry in _registry.values() if entry.menu == menu and entry.allows(user)),
        key=lambda entry: (entry.order, entry.key),
    )
    links = []
    for entry in entries:
        if entry.group:
            continue
        children = tuple(
            link for child in entries if child.group == entry.key and (link := _link(child, path)) is not None
        )
        if entry.url == "" and not children:
            continue
        link = _link(entry, path, children)
        if link is not None:
            links.append(link)
    return links


# Core's entries. Pages owned by other apps are declared by path so they
# appear as soon as that app serves them; the owning app may re-register the
# key with its URL name.
# "Home" alone is Django admin's 首页; the workbench is 工作台.
register(NavEntry("home", pgettext_lazy("workbench", "Home"), "core:home", order=10, icon="house"))
register(NavEntry("matters", _("Matters"), "/matters/", order=20, icon="inbox"))
register(NavEntry("org", _("Organisation"), order=60, icon="diagram-3"))
register(
    NavEntry("audit", _("Audit"), "/audit/", roles=frozenset({Role.AUDIT_ADMIN}), order=80, icon="journal")
)
register(
    NavEntry(
        "user_accounts", _("User accounts"), "accounts:user_list",
        roles=frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}), order=70, icon="person-gear",
    )
)
register(
    NavEntry(
        "security_policy", _("Security policy"), "accounts:security_policy",
        roles=frozenset({Role.SECURITY_ADMIN}), order=85, icon="shield-lock",
    )
)
register(
    NavEntry("password_change", _("Change password"), "accounts:password_change", menu=USER_MENU, icon="key")
)
