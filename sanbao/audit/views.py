"""The audit administrator's pages: the trail with filters, one event, and CSV export.

Every request is itself audited: ``audit.viewed`` for pages (after the rows
are read, so a page never lists its own view), ``audit.exported`` before an
export is streamed. Anyone but the audit administrator gets 403, recorded as
a permission denial by ``sanbao.accounts.decorators.require``.
"""

import json
from itertools import chain

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from sanbao.accounts.decorators import require
from sanbao.audit.actions import record_trail_export, record_trail_view
from sanbao.audit.chain import hash_matches
from sanbao.audit.export import csv_lines
from sanbao.audit.forms import TrailFilterForm
from sanbao.audit.models import AuditEvent
from sanbao.audit.policy import can_read_trail
from sanbao.audit.queries import keyset_page
from sanbao.core.ui import render_page

PAGE_SIZE = 50


@require_GET
@require(can_read_trail)
def event_list(request):
    """Newest first, filtered, one keyset page at a time (the table is never counted)."""
    form = TrailFilterForm(request.GET)
    rows, next_cursor = [], None
    if form.is_valid():
        trail_filter = form.trail_filter()
        rows, next_cursor = keyset_page(
            trail_filter.events(), before_seq=form.cleaned_data["cursor"], size=PAGE_SIZE
        )
        record = {**trail_filter.as_record(), "cursor": form.cleaned_data["cursor"]}
    else:
        record = {"invalid": sorted(form.errors)}
    record_trail_view(actor=request.user, filters=record, rows=len(rows))
    context = {
        "form": form, "events": rows, "next_cursor": next_cursor,
        "is_first_page": not request.GET.get("cursor"),
    }
    return render_page(request, "audit/event_list.html", context, fragment="audit/htmx/event_table.html")


@require_GET
@require(can_read_trail)
def event_export(request):
    """The filtered rows as CSV (UTF-8 with BOM for Excel/WPS), recorded before the first byte."""
    form = TrailFilterForm(request.GET)
    if not form.is_valid():
        return redirect(f"{reverse('audit:event_list')}?{request.GET.urlencode()}")
    trail_filter = form.trail_filter()
    event = record_trail_export(actor=request.user, filters=trail_filter.as_record(), file_format="csv")
    rows = trail_filter.events().filter(seq__lt=event.seq).order_by("seq").iterator(chunk_size=2000)
    body = chain(["\ufeff"], csv_lines(rows))  # the BOM lets Excel/WPS read Chinese
    response = StreamingHttpResponse(body, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{stamp}.csv"'
    return response


def _pretty(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@require_GET
@require(can_read_trail)
def event_detail(request, seq: int):
    """One event with its before/after values and whether its own hash still matches."""
    event = get_object_or_404(AuditEvent.objects.select_related("actor", "unit"), seq=seq)
    record_trail_view(actor=request.user, target=event)
    context = {
        "event": event, "before_json": _pretty(event.before), "after_json": _pretty(event.after),
        "hash_ok": hash_matches(event),
    }
    return render_page(request, "audit/event_detail.html", context)
