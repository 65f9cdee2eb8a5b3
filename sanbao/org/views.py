"""Read-only pages for areas, units and users, always within the user's jurisdiction.

Lists read through ``visible_to(user)``; single objects load through
``access_object`` so another township's unit or area is a 404 (and an audited
denial), exactly like a missing one.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from sanbao.core.ui import paginate, render_page
from sanbao.org import summary
from sanbao.org.choices import PREFIX_LENGTH, AreaLevel
from sanbao.org.filtersets import AreaFilterSet, UnitFilterSet, UserFilterSet
from sanbao.org.jurisdiction import access_object
from sanbao.org.models import Area, RoleGrant, Unit, User


def _users_with_roles(queryset):
    return queryset.select_related("unit__area").prefetch_related(
        Prefetch("role_grants", queryset=RoleGrant.objects.order_by("role"))
    )


def _ancestors(user, area: Area):
    """The areas above ``area`` inside the user's jurisdiction, top-down (for the breadcrumb)."""
    codes = [
        area.code[: PREFIX_LENGTH[level]].ljust(12, "0")
        for level in AreaLevel
        if PREFIX_LENGTH[level] < PREFIX_LENGTH[area.level]
    ]
    return Area.objects.current().visible_to(user).filter(code__in=codes).order_by("code")


def _area_page(request, area: Area):
    user = request.user
    page = paginate(request, summary.current_children(user, area))
    context = {
        "area": area,
        "ancestors": _ancestors(user, area),
        "counts": summary.counts_for(user, area),
        "page_obj": page,
        "rows": summary.counts_below(user, list(page.object_list), area),
        "units": Unit.objects.visible_to(user).filter(area=area, is_active=True).order_by("name"),
    }
    return render_page(request, "org/area_detail.html", context, fragment="org/htmx/area_children.html")


@login_required
def area_list(request):
    """Without a search: the top of the user's jurisdiction. With one: matching areas, paginated."""
    filterset = AreaFilterSet(request.GET, queryset=Area.objects.current().visible_to(request.user))
    searching = any(request.GET.get(name) for name in filterset.filters)
    if not searching and request.user.unit_id is not None:
        return _area_page(request, request.user.unit.area)
    queryset = filterset.qs.select_related("parent") if searching else Area.objects.none()
    context = {"filterset": filterset, "page_obj": paginate(request, queryset.order_by("code"))}
    return render_page(request, "org/area_list.html", context, fragment="org/htmx/area_table.html")


@login_required
def area_detail(request, code: str):
    area = access_object(request.user, Area.objects.current().select_related("parent"), code=code)
    return _area_page(request, area)


@login_required
def unit_list(request):
    queryset = Unit.objects.visible_to(request.user).select_related("area", "parent")
    queryset = queryset.order_by("area__code", "name")
    filterset = UnitFilterSet(request.GET, queryset=queryset, request=request)
    context = {"filterset": filterset, "page_obj": paginate(request, filterset.qs)}
    return render_page(request, "org/unit_list.html", context, fragment="org/htmx/unit_table.html")


@login_required
def unit_detail(request, pk: int):
    user = request.user
    unit = access_object(user, Unit.objects.select_related("area", "parent"), pk=pk)
    context = {
        "unit": unit,
        "children": Unit.objects.visible_to(user).filter(parent=unit).select_related("area").order_by("name"),
        "members": _users_with_roles(User.objects.visible_to(user).filter(unit=unit)).order_by("username"),
    }
    return render(request, "org/unit_detail.html", context)


@login_required
def user_list(request):
    queryset = _users_with_roles(User.objects.visible_to(request.user))
    queryset = queryset.order_by("unit__area__code", "username")
    filterset = UserFilterSet(request.GET, queryset=queryset, request=request)
    context = {"filterset": filterset, "page_obj": paginate(request, filterset.qs)}
    return render_page(request, "org/user_list.html", context, fragment="org/htmx/user_table.html")


@login_required
def user_detail(request, pk: int):
    person = access_object(request.user, _users_with_roles(User.objects.all()), pk=pk)
    return render(request, "org/user_detail.html", {"person": person})
