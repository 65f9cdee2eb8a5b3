"""``{% load deadline_tags %}``: the clocks panel of a matter page, a link to a matter, and the
missing-holidays banner of every staff page.

The matters page includes ``{% deadline_panel matter %}`` to show the matter's
clocks with their due dates and, for the people allowed, pause/resume buttons.
``core/base.html`` includes ``deadlines/calendar_warning.html`` (``{% calendar_warning %}``).
"""

from django import template

from sanbao.deadlines.calendar import missing_years_for_session
from sanbao.deadlines.forms import PauseForm
from sanbao.deadlines.models import Deadline
from sanbao.deadlines.policy import can_manage_calendar, can_pause
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


@register.inclusion_tag("deadlines/includes/calendar_warning.html", takes_context=True)
def calendar_warning(context):
    """The missing-holidays banner, in the page's own response so that nothing moves after the page
    appears (``missing_years_for_session``: no query on most pages).

    Only on pages of a signed-in user past the account steps (second factor, password change).
    """
    from sanbao.accounts.middleware import ALWAYS_ALLOWED, OTP_STEP, PASSWORD_STEP

    request = context.get("request")
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    on_account_step = match is not None and match.view_name in ALWAYS_ALLOWED | OTP_STEP | PASSWORD_STEP
    if not getattr(user, "is_authenticated", False) or on_account_step:
        return {"missing_years": []}
    return {"missing_years": missing_years_for_session(request.session), "may_import": can_manage_calendar(user)}
