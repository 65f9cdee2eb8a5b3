from django.conf import settings

from sanbao import __version__


def sanbao(request):
    return {"SANBAO_VERSION": __version__, "SANBAO_DEMO_MODE": settings.DEMO_MODE}
