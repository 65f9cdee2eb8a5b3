"""Organisation pages in the navigation bar (under the 组织 dropdown declared by core)."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import NavEntry, register

register(NavEntry("org.areas", _("Areas"), "org:area_list", group="org", order=61, icon="map"))
register(NavEntry("org.units", _("Units"), "org:unit_list", group="org", order=62, icon="building"))
register(NavEntry("org.users", _("Users"), "org:user_list", group="org", order=63, icon="people"))
