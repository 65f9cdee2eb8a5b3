"""The matter list and the work queues: one view each for the full page and its htmx table fragment.

Rows come from ``Matter.objects.visible_to(user)`` through the shared
``MatterFilterSet`` (the API uses the same filters), with the related rows
the chosen columns need selected in the same query, and keyset pages (no
COUNT over the whole table).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sanbao.core.ui import render_page
from sanbao.matters import policy
from sanbao.matters.filtersets import MatterFilterSet
from sanbao.matters.models import Matter
from sanbao.matters.tables import MatterTable
from sanbao.matters.views import keyset
from sanbao.matters.views.queues import counts_for, queue_named, queues_for
from sanbao.org.choices import AreaLevel
from sanbao.org.models import Area

# The filters the list page shows (the filter set has more, for the API and links from other pages).
UI_FILTERS = ("q", "kind", "status", "risk_level", "category", "unit", "received_after", "received_before")
SORT_LABELS = {
    "-received_at": _("Received, newest first"),
    "received_at": _("Received, oldest first"),
    "-updated_at": _("Last change, newest first"),
    "updated_at": _("Last change, oldest first"),
    "-code": _("Code, descending"),
    "code": _("Code, ascending"),
}


def _area_choices(user) -> list[tuple[str, str]]:
    """Townships and villages of the user's jurisdiction for the area filter (one query)."""
    areas = Area.objects.current().visible_to(user).filter(level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE])
    return [(area.code, ("" if area.level == AreaLevel.TOWNSHIP else "　") + area.name) for area in areas]


def _columns(request) -> list[str]:
    return [key for key in request.GET.get("columns", "").split(",") if key]


def _page(request, queryset) -> dict:
    columns = _columns(request)
    queryset = queryset.select_related(*MatterTable.related_for(columns))
    page = keyset.paginate(
        queryset, request.GET.get("sort"), after=request.GET.get("after"), before=request.GET.get("before")
    )
    return {"table": MatterTable(page.rows, columns), "page": page}


@login_required
def matter_list(request):
    filterset = MatterFilterSet(
        request.GET, queryset=Matter.objects.visible_to(request.user), request=request
    )
    queryset = filterset.qs if filterset.is_valid() else Matter.objects.none()
    context = {
        "filterset": filterset,
        "perms_register": policy.may_register(request.user),
        "filter_fields": [filterset.form[name] for name in UI_FILTERS],
        "area_choices": _area_choices(request.user),
        "area": request.GET.get("area", ""),
        "sort_choices": [(sort, SORT_LABELS[sort]) for sort in keyset.SORTS],
        **_page(request, queryset),
    }
    return render_page(
        request, "matters/matter_list.html", context, fragment="matters/htmx/matter_table.html"
    )


@login_required
def queue_list(request, name: str):
    queue = queue_named(request.user, name)
    if queue is None:
        raise Http404
    context = {
        "queue": queue,
        "queues": counts_for(request.user),
        **_page(request, queue.matters(request.user)),
    }
    return render_page(request, "matters/queue.html", context, fragment="matters/htmx/matter_table.html")


@login_required
def queue_index(request):
    """The user's queues with their counts (the first stop of a handler's day)."""
    return render(
        request,
        "matters/queues.html",
        {"queues": counts_for(request.user), "has_queues": bool(queues_for(request.user))},
    )
