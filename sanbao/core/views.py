from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sanbao import __version__
from sanbao.core import health
from sanbao.core import home as home_cards
from sanbao.deadlines.calendar import health as calendar_health


@require_GET
@never_cache
def healthz(request):
    """Liveness and readiness for load balancers and `make run`; no authentication, no personal data."""
    database_ok, database = health.database_status()
    payload = {
        "status": "ok" if database_ok else "error",
        "database": database,
        "worker": health.worker_status() if database_ok else "unknown",
        "calendar": calendar_health() if database_ok else "unknown",
        "version": __version__,
    }
    return JsonResponse(payload, status=200 if database_ok else 503)


@login_required
def home(request):
    """The workbench (工作台): the cards registered for the user's roles."""
    return render(request, "core/home.html", {"cards": home_cards.cards_for(request)})
