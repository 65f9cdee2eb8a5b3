"""The matter list and the work queues: one view each for the full page and its htmx table fragment.

Rows come from ``Matter.objects.visible_to(user)`` through the shared
``MatterFilterSet`` (the API uses the same filters), with the related rows
the chosen columns need selected in the same query, and keyset pages (no
COUNT over the whole table). When the keyword holds words and no column
sort is chosen, the list is the intake app's ranked search instead (best
match first, within the same scope and filters), in numbered pages of the
bounded ranking window; a keyword always adds the highlighted snippet.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from sanbao.core.ui import render_page
from sanbao.intake.search import MAX_PAGE, add_snippets, page_number, ranked_matters
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
RELEVANCE = "relevance"


@dataclass
class RankedPage:
    """One page of matters in relevance order. Ranks have no stable key, so pages are numbered (1..MAX_PAGE)."""

    rows: list
    number: int
    has_more: bool
    sort: str = RELEVANCE

    @property
    def previous_page(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.number + 1 if self.has_more and self.number < MAX_PAGE else None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.previous_page or self.next_page)


def _area_choices(user) -> list[tuple[str, str]]:
    """Townships and villages of the user's jurisdiction for the area filter (one query)."""
    areas = Area.objects.current().visible_to(user).filter(level__in=[AreaLevel.TOWNSHIP, AreaLevel.VILLAGE])
    return [(area.code, ("" if area.level == AreaLevel.TOWNSHIP else "　") + area.name) for area in areas]


def _columns(request) -> list[str]:
    return [key for key in request.GET.get("columns", "").split(",") if key]


def _sort_choices(relevance: bool) -> list[tuple[str, str]]:
    """The sort menu. Its default has an empty value unless relevance is offered, so that a keyword typed
    into the filter (which sends the menu as it stands) gives relevance rather than an explicit sort."""
    if relevance:
        return [(RELEVANCE, _("Relevance")), *((sort, SORT_LABELS[sort]) for sort in keyset.SORTS)]
    others = [(sort, SORT_LABELS[sort]) for sort in keyset.SORTS if sort != keyset.DEFAULT_SORT]
    return [("", SORT_LABELS[keyset.DEFAULT_SORT]), *others]


def _page(request, queryset, keyword: str = "") -> dict:
    columns = _columns(request)
    queryset = queryset.select_related(*MatterTable.related_for(columns)).with_party_names()
    page = keyset.paginate(
        queryset, request.GET.get("sort"), after=request.GET.get("after"), before=request.GET.get("before")
    )
    if keyword:
        add_snippets(page.rows, keyword)
    return {"table": MatterTable(page.rows, columns), "page": page}


def _ranked_page(request, filterset: MatterFilterSet) -> dict:
    """Best matches first, through the search page's ranking (scope and the other filters in its SQL)."""
    columns = _columns(request)
    number = page_number(request.GET.get("page"))
    rows, has_more = ranked_matters(
        request.user,
        filterset.keyword,
        limit=keyset.PAGE_SIZE,
        offset=(number - 1) * keyset.PAGE_SIZE,
        queryset=filterset.without_keyword(),
        load=Matter.objects.select_related(*MatterTable.related_for(columns)),
    )
    return {"table": MatterTable(rows, columns), "page": RankedPage(rows, number, has_more)}


@login_required
def matter_list(request):
    filterset = MatterFilterSet(
        request.GET, queryset=Matter.objects.visible_to(request.user), request=request
    )
    relevance = filterset.relevance_available
    if relevance and request.GET.get("sort") not in keyset.SORTS:
        page = _ranked_page(request, filterset)
    else:
        queryset = filterset.qs if filterset.is_valid() else Matter.objects.none()
        page = _page(request, queryset, filterset.keyword)
    context = {
        "filterset": filterset,
        "perms_register": policy.may_register(request.user),
        "filter_fields": [filterset.form[name] for name in UI_FILTERS],
        "area_choices": _area_choices(request.user),
        "area": request.GET.get("area", ""),
        "sort_choices": _sort_choices(relevance),
        **page,
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
