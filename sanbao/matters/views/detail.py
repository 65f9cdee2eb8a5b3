"""The matter page, its operation forms, party reveal and attachment download.

Every request loads the matter through ``policy.access_matter`` (404 for
missing and out of scope, the latter audited). The page offers only the
operations ``policy.available_verbs`` allows this user now; posting any
other operation is refused with 403 and recorded as a denial.
"""

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.template import RequestContext, Template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanbao.audit.actions import record_permission_denied, record_personal_data_view
from sanbao.core.errors import DomainError, PermissionDenied, ValidationFailed
from sanbao.matters import actions, policy
from sanbao.matters.choices import ExtensionStatus, Verb
from sanbao.matters.forms import apply_domain_error
from sanbao.matters.models import Assignment, Feedback, MatterEvent
from sanbao.matters.views.operations import OPERATIONS, label_for
from sanbao.matters.views.timeline import timeline_rows

# The deadlines app's clocks panel (``{% deadline_panel matter %}``), shown when that app is installed.
DEADLINE_PANEL = Template("{% load deadline_tags %}{% deadline_panel matter %}")


def _load(request, code: str):
    queryset = policy.Matter.objects.select_related(
        "category__parent",
        "area",
        "owner_unit",
        "lead_unit",
        "current_handler",
        "leader_in_charge",
        "created_by",
    )
    return policy.access_matter(request.user, code, queryset)


def offered_verbs(user, matter) -> list[str]:
    """What the page offers: the policy's verbs that have a form, minus decisions with nothing pending."""
    verbs = [verb for verb in policy.available_verbs(user, matter) if verb in OPERATIONS]
    if (
        Verb.EXTENSION_DECIDE in verbs
        and not matter.extension_requests.filter(status=ExtensionStatus.PENDING).exists()
    ):
        verbs.remove(Verb.EXTENSION_DECIDE)
    return verbs


def _operation(request, matter, verb: str, form=None) -> dict:
    """One operation as the template shows it: a button and its form (``form`` when re-shown with errors)."""
    operation = OPERATIONS[verb]
    return {
        "verb": verb,
        "label": label_for(matter, verb),
        "style": operation.style,
        "icon": operation.icon,
        "form": form or operation.form(matter=matter, user=request.user, prefix=verb),
        "open": form is not None,
    }


def _operations(request, matter, bound=None) -> list[dict]:
    return [
        _operation(request, matter, verb, bound.form if bound is not None and bound.verb == verb else None)
        for verb in offered_verbs(request.user, matter)
    ]


def _deadline_panel(request, matter) -> str:
    if not apps.is_installed("sanbao.deadlines"):
        return ""
    return DEADLINE_PANEL.render(RequestContext(request, {"matter": matter}))


def _page_context(request, matter, bound=None) -> dict:
    return {
        "matter": matter,
        "step": matter.state_label(),
        "parties": list(matter.parties.all()),
        "can_reveal": policy.can_reveal(request.user, matter),
        "mask_names": policy.masked_names(request.user, matter),  # the |masked filter on free text
        "attachments": list(matter.attachments.select_related("uploaded_by")),
        "assignments": list(
            Assignment.objects.filter(matter=matter).select_related("unit", "signed_by", "assigned_by")
        ),
        "feedbacks": list(Feedback.objects.filter(matter=matter).select_related("unit", "submitted_by")),
        "follow_ups": list(matter.follow_ups.select_related("visited_by")),
        "notes": list(matter.notes.select_related("author", "unit")),
        "timeline": timeline_rows(
            matter,
            MatterEvent.objects.filter(matter=matter).select_related("actor", "actor_unit", "note"),
        ),
        "operations": _operations(request, matter, bound),
        "deadline_panel": _deadline_panel(request, matter),
        "tags": list(matter.tags.all()),
    }


@login_required
def matter_detail(request, code: str):
    matter = _load(request, code)
    return render(request, "matters/matter_detail.html", _page_context(request, matter))


class BoundOperation:
    """A posted operation form, re-shown with its errors."""

    def __init__(self, verb, form):
        self.verb, self.form = verb, form


def _back_to_matter(request, matter):
    """After a submit: the matter page again (htmx follows the HX-Redirect header)."""
    url = reverse("matters:matter_detail", args=[matter.code])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _refuse(request, matter, verb: str):
    """An operation this user may not take now: audited, 403, nothing changed."""
    record_permission_denied(
        actor=request.user, target=matter, reason=f"verb_not_offered:{verb}", area_code=matter.area_code
    )
    return HttpResponseForbidden(_("You may not do this on this matter now."))


def _invalid(request, matter, bound: BoundOperation):
    """Re-show the form with its errors next to the fields (htmx: the form alone; else the whole page)."""
    if request.htmx:
        context = {"matter": matter, "operation": _operation(request, matter, bound.verb, bound.form)}
        return render(request, "matters/htmx/operation_form.html", context)
    return render(request, "matters/matter_detail.html", _page_context(request, matter, bound), status=400)


@login_required
@require_POST
def matter_operation(request, code: str, verb: str):
    matter = _load(request, code)
    if verb not in OPERATIONS:
        return HttpResponse(status=404)
    if verb not in offered_verbs(request.user, matter):
        return _refuse(request, matter, verb)
    operation = OPERATIONS[verb]
    form = operation.form(request.POST, request.FILES, matter=matter, user=request.user, prefix=verb)
    bound = BoundOperation(verb, form)
    if not form.is_valid():
        return _invalid(request, matter, bound)
    try:
        operation.perform(matter, request.user, form.cleaned_data)
    except PermissionDenied as error:
        return HttpResponseForbidden(str(error.message))
    except ValidationFailed as error:
        apply_domain_error(form, error)
        return _invalid(request, matter, bound)
    except (
        DomainError
    ) as error:  # Conflict or InvalidTransition: the matter moved meanwhile; show it as it is now.
        messages.error(request, str(error.message))
        return _back_to_matter(request, matter)
    messages.success(request, _("%(operation)s: done.") % {"operation": label_for(matter, verb)})
    return _back_to_matter(request, matter)


@login_required
@require_POST
def party_reveal(request, code: str, pk: int):
    """Show one party unmasked (htmx swaps the row); audited by the verb; 403 for those not handling it."""
    matter = _load(request, code)
    party = get_object_or_404(matter.parties.all(), pk=pk)
    party.matter = matter
    try:
        values = actions.reveal_party(party, actor=request.user)
    except PermissionDenied as error:
        return HttpResponseForbidden(str(error.message))
    return render(
        request,
        "matters/htmx/party_row.html",
        {"party": party, "revealed": values, "matter": matter, "can_reveal": True},
    )


@login_required
def attachment_download(request, code: str, pk: int):
    """Files are served only through the matter's scope, never as public media URLs, and only to those
    handling it (a file is personal data, as the API's download): each download is audited, a refusal too."""
    matter = _load(request, code)
    attachment = get_object_or_404(matter.attachments.all(), pk=pk)
    if not policy.can_reveal(request.user, matter):
        area = matter.area_code
        record_permission_denied(actor=request.user, target=attachment, reason="not_handling", area_code=area)
        return HttpResponseForbidden(_("Only those handling this matter may open its files."))
    record_personal_data_view(actor=request.user, target=attachment, fields=["file"], area_code=matter.area_code)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
