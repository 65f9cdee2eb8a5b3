"""Template context every page needs: version, demo flag and the menus."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from sanbao import __version__
from sanbao.core import navigation


def sanbao(request):
    """Version, demo mode and the user's menus (computed only when a template uses them)."""
    user = getattr(request, "user", None)

    def menu(name):
        return SimpleLazyObject(lambda: navigation.menu_for(user, request.path, name))

    return {
        "SANBAO_VERSION": __version__,
        "SANBAO_DEMO_MODE": settings.DEMO_MODE,
        "sanbao_nav": menu(navigation.MAIN),
        "sanbao_user_menu": menu(navigation.USER_MENU),
    }
