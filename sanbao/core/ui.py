"""Helpers shared by server-rendered list pages: pagination and the htmx full-page/fragment split."""

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """The requested page of ``queryset``; a missing or bad ``page`` gives the nearest valid page."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def render_page(request, template: str, context: dict, *, fragment: str | None = None):
    """Render the full page, or only ``fragment`` when htmx asks for a part of the page.

    One view serves both (STYLE §27): the page template includes the fragment,
    and an htmx request (not a boosted navigation or a history restore) gets the
    fragment alone. ``Vary: HX-Request`` keeps caches from mixing the two.
    The templates get ``is_fragment`` (True when only the fragment is sent), for
    out-of-band swaps of controls outside it.
    """
    htmx = getattr(request, "htmx", None)
    partial = bool(fragment is not None and htmx and not htmx.boosted and not htmx.history_restore_request)
    response = render(request, fragment if partial else template, {**context, "is_fragment": partial})
    patch_vary_headers(response, ["HX-Request"])
    return response


def _control_class(widget) -> str:
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        # Django gives the class to the options' container and to each input (sanbao.css styles both).
        return "sanbao-choices"
    if hasattr(widget, "choices"):
        return "form-select form-select-sm"
    return "form-control form-control-sm"


def style_form(form) -> None:
    """Give a form's widgets Bootstrap's small control classes (idempotent)."""
    for field in form.fields.values():
        widget = field.widget
        base = _control_class(widget)
        if base not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {base}".strip()


class StyledFilterSet(django_filters.FilterSet):
    """A FilterSet whose form renders with Bootstrap classes (filter forms on list pages)."""

    @property
    def form(self):
        form = super().form
        style_form(form)
        return form
