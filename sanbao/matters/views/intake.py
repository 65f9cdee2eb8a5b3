"""Fast intake (登记) for the clerk, with its htmx helpers: category and area pickers, party lookup."""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from sanbao.core.errors import DomainError, PermissionDenied, ValidationFailed
from sanbao.core.navigation import resolve_href
from sanbao.matters import actions, policy
from sanbao.matters.choices import MatterKind
from sanbao.matters.forms import IntakeForm, PartyFormSet, apply_domain_error, child_areas
from sanbao.matters.models import Category
from sanbao.org.choices import AreaLevel

PARTY_FIELD = re.compile(r"^parties\[(\d+)\]\.(\w+)$")
# The intake helper's duplicate-candidate endpoint (POST with the intake form's fields → HTML fragment).
DUPLICATES_URL_NAME = "intake:duplicate_candidates"


def _party_error(parties, error: DomainError) -> bool:
    """Put a verb's error about ``parties[i].field`` next to that field of row i; False if it is not one."""
    match = PARTY_FIELD.match(error.field or "")
    if not match:
        return False
    forms = [form for form in parties.forms if form.has_content()]
    index, name = int(match.group(1)), match.group(2)
    if index >= len(forms):
        return False
    forms[index].add_error(name if name in forms[index].fields else None, str(error.message))
    return True


def _register(request, form, parties):
    data = form.cleaned_data
    rows = [party.cleaned_data for party in parties.forms if party.has_content()]
    return actions.register_matter(
        actor=request.user,
        kind=data["kind"],
        title=data["title"],
        narrative=data["narrative"],
        category=data["category"],
        source_channel=data["source_channel"],
        area=data["area"],
        received_at=data["received_at"],
        place=data["place"],
        people_count=data["people_count"],
        risk_level=data["risk_level"],
        parties=rows,
        attachments=data["attachments"],
    )


def _context(form, parties) -> dict:
    return {"form": form, "parties": parties, "duplicates_url": resolve_href(DUPLICATES_URL_NAME) or ""}


@login_required
def matter_new(request):
    """GET: an empty intake form. POST: register, or show every error next to its field (nothing saved)."""
    if not policy.may_register(request.user):
        return HttpResponseForbidden(_("Only intake clerks and centre directors register matters."))
    if request.method != "POST":
        return render(
            request,
            "matters/matter_new.html",
            _context(IntakeForm(user=request.user), PartyFormSet(prefix="parties")),
        )
    form = IntakeForm(request.POST, request.FILES, user=request.user)
    parties = PartyFormSet(request.POST, prefix="parties")
    if form.is_valid() and parties.is_valid():
        try:
            matter = _register(request, form, parties)
        except PermissionDenied as error:
            return HttpResponseForbidden(str(error.message))
        except ValidationFailed as error:
            if not _party_error(parties, error):
                apply_domain_error(form, error)
        else:
            messages.success(request, _("Registered as %(code)s.") % {"code": matter.code})
            if "save_and_new" in request.POST:
                return redirect("matters:matter_new")
            return redirect(reverse("matters:matter_detail", args=[matter.code]))
    return render(request, "matters/matter_new.html", _context(form, parties), status=400)


@login_required
def category_options(request):
    """The category <option>s of one kind (the intake form reloads them when the kind changes)."""
    kind = request.GET.get("kind")
    categories = Category.objects.current(kind if kind in MatterKind.values else MatterKind.DISPUTE)
    options = [(category.pk, str(category)) for category in categories.select_related("parent")]
    return render(request, "matters/htmx/options.html", {"options": options, "blank": True})


@login_required
def area_options(request):
    """Villages of a township or grids of a village, within the user's jurisdiction."""
    level = AreaLevel.GRID if request.GET.get("level") == AreaLevel.GRID else AreaLevel.VILLAGE
    parent = request.GET.get("village" if level == AreaLevel.GRID else "township", "")
    areas = child_areas(request.user, parent, level)
    context = {
        "options": [(area.code, area.name) for area in areas],
        "blank": True,
        "clear_grid": level == AreaLevel.VILLAGE,
    }
    return render(request, "matters/htmx/options.html", context)


def _lookup_key(params) -> tuple[str, str]:
    """(kind, value) from the first filled party ID-number or phone field in the request."""
    for name, value in params.items():
        value = value.strip()
        if name.endswith("id_number") and len(value) >= 6:
            return "id_number", value
        if name.endswith("phone") and len(value) >= 7:
            return "phone", value
    return "", ""


@login_required
def party_lookup(request):
    """Earlier matters of the person with this ID number or phone, within the user's scope, masked."""
    key, value = _lookup_key(request.GET)
    context = {"key": key, "parties": [], "error": ""}
    if key:
        try:
            context["parties"] = actions.lookup_parties(request.user, **{key: value})
        except ValidationFailed as error:
            context["error"] = str(error.message)
    return render(request, "matters/htmx/party_lookup.html", context)
