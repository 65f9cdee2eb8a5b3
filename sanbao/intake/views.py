"""Pages and fragments of duplicate checking and early warning.

* ``duplicate_candidates``: the fragment the intake form POSTs to while the
  clerk types (``intake:duplicate_candidates``).
* ``matter_duplicates``: the panel of a registered matter (candidates and
  decisions), with the merge / related / dismiss / undo buttons.
* ``warning_list`` / ``warning_detail``: early warnings in the user's area,
  with assign and close.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sanbao.core.errors import DomainError
from sanbao.intake import actions, policy
from sanbao.intake.choices import DuplicateKind, WarningStatus
from sanbao.intake.models import DuplicateLink, EarlyWarning
from sanbao.intake.signatures import Draft, candidates_for_draft, candidates_for_matter
from sanbao.matters.policy import access_matter
from sanbao.org.jurisdiction import access_object
from sanbao.org.models import Unit

TEXT_LIMIT = 5000
_PARTY_FIELD = re.compile(r"^parties-(\d+)-(name|id_number|phone|party_type)$")


def draft_from(data) -> Draft:
    """The intake form's fields as a draft: title, narrative and the parties' numbers and organisations."""
    parties: dict[str, dict[str, str]] = {}
    for name, value in data.items():
        match = _PARTY_FIELD.match(name)
        if match:
            parties.setdefault(match.group(1), {})[match.group(2)] = str(value)[:200]
    organisations = tuple(
        party.get("name", "") for party in parties.values() if party.get("party_type") == "organisation"
    )
    return Draft(
        title=str(data.get("title", ""))[:200],
        narrative=str(data.get("narrative", ""))[:TEXT_LIMIT],
        id_numbers=tuple(party["id_number"] for party in parties.values() if party.get("id_number")),
        phones=tuple(party["phone"] for party in parties.values() if party.get("phone")),
        organisations=organisations,
    )


def may_check(user) -> bool:
    return bool(user.roles & policy.DECIDE_ROLES)


@login_required
@require_POST
def duplicate_candidates(request):
    """Possible duplicates of the matter being typed (htmx fragment), within the user's jurisdiction."""
    if not may_check(request.user):
        return HttpResponseForbidden(_("Only intake clerks and centre directors check for duplicates."))
    candidates = candidates_for_draft(request.user, draft_from(request.POST))
    response = render(request, "intake/htmx/duplicate_candidates.html", {"candidates": candidates})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def matter_duplicates(request, code):
    """The duplicates panel of one matter: candidates, decisions taken, and the buttons the user may use."""
    matter = access_matter(request.user, code)
    links = DuplicateLink.objects.touching(matter).select_related("submission", "original", "decided_by", "undone_by")
    context = {
        "matter": matter,
        "candidates": candidates_for_matter(request.user, matter),
        "links": links,
        "may_decide": may_check(request.user),
        "kinds": DuplicateKind,
    }
    return render(request, "intake/htmx/matter_duplicates.html", context)


@login_required
@require_POST
def decide(request, code):
    """Merge as a repeat submission, link as related, or dismiss a candidate (buttons of the panel)."""
    matter = access_matter(request.user, code)
    other = access_matter(request.user, request.POST.get("other", ""))
    kind = request.POST.get("kind", "")
    # "Merge" on the later matter's page merges it into the earlier one; on the earlier one, the other way round.
    submission, original = (matter, other) if matter.received_at >= other.received_at else (other, matter)
    try:
        actions.decide_duplicate(
            actor=request.user, submission=submission, original=original, kind=kind, note=request.POST.get("note", "")
        )
        messages.success(request, _("Decision recorded."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("matters:matter_detail", code=matter.code)


@login_required
@require_POST
def undo(request, code, link_id):
    """Undo a decision shown on the matter's panel (unmerge)."""
    matter = access_matter(request.user, code)
    link = get_object_or_404(DuplicateLink.objects.touching(matter), pk=link_id)
    try:
        actions.undo_duplicate(actor=request.user, link=link)
        messages.success(request, _("Decision undone."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("matters:matter_detail", code=matter.code)


def _warnings_for(user):
    return EarlyWarning.objects.visible_to(user)


@login_required
@require_GET
def warning_list(request):
    """Early warnings in the user's area: open ones first, most worrying first."""
    if not policy.may_view_warnings(request.user):
        return HttpResponseForbidden(_("Early warnings are shown to clerks, directors, committee staff and leaders."))
    show_closed = request.GET.get("closed") == "1"
    warnings = _warnings_for(request.user).select_related("assigned_unit")
    warnings = warnings if show_closed else warnings.open()
    return render(request, "intake/warning_list.html", {"warnings": warnings[:200], "show_closed": show_closed})


@login_required
@require_GET
def warning_detail(request, pk):
    """One early warning: why, level, members (matters the user may see), assignment and closing."""
    if not policy.may_view_warnings(request.user):
        return HttpResponseForbidden(_("Early warnings are shown to clerks, directors, committee staff and leaders."))
    warning = access_object(request.user, EarlyWarning.objects.select_related("assigned_unit", "assigned_by"), pk=pk)
    from sanbao.matters.models import Matter

    members = (
        Matter.objects.visible_to(request.user)
        .filter(early_warnings=warning)
        .order_by("-received_at")
        .with_party_names()
    )
    context = {
        "warning": warning,
        "members": members,
        "hidden_members": warning.matter_count - members.count(),
        "may_manage": policy.may_manage_warning(request.user, warning) and warning.is_open,
        "may_close": policy.may_close_warning(request.user, warning) and warning.is_open,
        "units": policy.assignable_warning_units(request.user)
        if policy.may_manage_warning(request.user, warning)
        else [],
        "statuses": WarningStatus,
    }
    return render(request, "intake/warning_detail.html", context)


@login_required
@require_POST
def warning_assign(request, pk):
    warning = access_object(request.user, EarlyWarning.objects.all(), pk=pk)
    unit = Unit.objects.filter(pk=request.POST.get("unit") or 0).first()
    try:
        if unit is None:
            raise DomainError(_("Choose a unit."), code="required", field="unit")
        actions.assign_warning(actor=request.user, warning=warning, unit=unit, note=request.POST.get("note", ""))
        messages.success(request, _("Warning assigned."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("intake:warning_detail", pk=warning.pk)


@login_required
@require_POST
def warning_close(request, pk):
    warning = access_object(request.user, EarlyWarning.objects.all(), pk=pk)
    try:
        actions.close_warning(
            actor=request.user,
            warning=warning,
            dismiss=request.POST.get("dismiss") == "1",
            note=request.POST.get("note", ""),
        )
        messages.success(request, _("Warning closed."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return redirect("intake:warning_detail", pk=warning.pk)
