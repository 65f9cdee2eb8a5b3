"""Pages of the triage suggestions: the intake-form fragment and the models' admin page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sanbao.core.errors import PermissionDenied
from sanbao.intake.tasks import NIGHTLY_TRAINING
from sanbao.intake.triage import actions
from sanbao.intake.triage.policy import may_manage_triage, may_suggest
from sanbao.intake.triage.site import HOLDOUT_DAYS, load_models
from sanbao.intake.triage.suggest import suggest_for_intake

TEXT_LIMIT = 5000


def area_in_scope(user, *codes: str) -> str:
    """The most precise area code given (grid, village, township) that lies in the user's jurisdiction."""
    prefix = user.jurisdiction_prefix or ""
    for code in codes:
        if code and code.isdigit() and prefix and code.startswith(prefix):
            return code
    return ""


def suggestion_for(user, data) -> dict | None:
    """Read the intake form's fields (title, narrative, kind, grid/village/township) and suggest."""
    area = area_in_scope(user, *(data.get(name, "") for name in ("grid", "village", "township", "area_code")))
    return suggest_for_intake(
        data.get("title", "")[:TEXT_LIMIT],
        data.get("narrative", "")[:TEXT_LIMIT],
        user=user,
        area_code=area,
        kind=data.get("kind", ""),
    )


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request):
    """The suggestion fragment the intake form loads with htmx while the clerk types."""
    if not may_suggest(request.user):
        return HttpResponseForbidden(_("Only intake clerks and centre directors get triage suggestions."))
    data = request.POST if request.method == "POST" else request.GET
    response = render(request, "intake/triage/suggest.html", {"suggestion": suggestion_for(request.user, data)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def admin_page(request):
    """The current models: version, training time, size, held-out scores, and the retrain button."""
    if not may_manage_triage(request.user):
        return HttpResponseForbidden(
            _("Only centre directors, committee staff and system administrators see this page.")
        )
    models = load_models()
    context = {
        "models": models,
        "holdout_days": HOLDOUT_DAYS,
        "evaluation": models.evaluation if models else {},
        "training": NIGHTLY_TRAINING.status(),
    }
    return render(request, "intake/triage/admin.html", context)


@login_required
@require_POST
def retrain(request):
    """Queue a training run (audited) and go back to the admin page."""
    try:
        queued = actions.request_retraining(actor=request.user)
    except PermissionDenied as error:
        return HttpResponseForbidden(str(error.message))
    if queued is None:
        messages.info(request, _("A training is already queued or running; the page shows its models when it is done."))
    else:
        messages.success(request, _("Retraining has been queued; the page shows the new models when it is done."))
    return redirect("intake-triage:admin")
