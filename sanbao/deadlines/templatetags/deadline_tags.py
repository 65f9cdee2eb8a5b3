"""``{% load deadline_tags %}``: the clocks panel of a matter page and a link to a matter.

The matters page includes ``{% deadline_panel matter %}`` to show the matter's
clocks with their due dates and, for the people allowed, pause/resume buttons.
"""

from django import template

from sanbao.deadlines.forms import PauseForm
from sanbao.deadlines.models import Deadline
from sanbao.deadlines.policy import can_pause
from sanbao.deadlines.sweep import matter_link

register = template.Library()


@register.filter
def matter_url(code: str) -> str:
    return matter_link(code)


@register.inclusion_tag("deadlines/includes/matter_panel.html", takes_context=True)
def deadline_panel(context, matter):
    request = context.get("request")
    user = getattr(request, "user", None)
    clocks = Deadline.objects.filter(matter=matter).select_related("rule").order_by("-started_at", "-id")[:20]
    return {
        "matter": matter,
        "clocks": clocks,
        "can_pause": user is not None and can_pause(user, matter),
        "pause_form": PauseForm(),
        "next": request.get_full_path() if request else "",
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("deadlines/includes/calendar_warning_slot.html", takes_context=True)
def calendar_warning_slot(context):
    """The placeholder that loads the missing-holidays banner, on pages of a signed-in user past the
    account steps (second factor, password change): there the banner's own request would be sent to
    that step too and take the whole page with it.
    """
    from sanbao.accounts.middleware import ALWAYS_ALLOWED, OTP_STEP, PASSWORD_STEP

    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    on_account_step = match is not None and match.view_name in ALWAYS_ALLOWED | OTP_STEP | PASSWORD_STEP
    show = bool(getattr(user, "is_authenticated", False)) and not on_account_step
    return {"show": show, "rev": request.session.get("calendar_rev") if show else None}
