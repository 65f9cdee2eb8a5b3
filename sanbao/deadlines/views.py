"""Pages of the deadlines app: the work calendar and rules (system administrator), the deadline board,
the inbox, and the pause/resume buttons of a matter's clocks. Thin: they call the verbs.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sanbao.core.errors import DomainError
from sanbao.deadlines import actions, queues
from sanbao.deadlines.calendar import forget_missing_years, missing_years
from sanbao.deadlines.choices import DayKind
from sanbao.deadlines.forms import CalendarImportForm, PauseForm, RuleForm, SpecialDayForm
from sanbao.deadlines.models import Deadline, Notification, SpecialDay, TimeLimitRule
from sanbao.deadlines.policy import can_manage_calendar
from sanbao.matters.models.matters import party_names
from sanbao.org.jurisdiction import access_object

BOARD_ROWS = 100


def admin_only(view):
    """The calendar and rule editors are the system administrator's (403 for anyone else)."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_manage_calendar(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__doc__, wrapper.__name__ = view.__doc__, view.__name__
    return wrapper


def _form_errors(form) -> str:
    """The form's errors as one message, each prefixed by its field's label."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return "; ".join(parts)


def _year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    missing = missing_years()
    return missing[0] if missing else timezone.localdate().year


def _years_summary() -> list[dict]:
    rows = SpecialDay.objects.values("date__year").annotate(
        holidays=Count("id", filter=Q(kind=DayKind.HOLIDAY)),
        workdays=Count("id", filter=Q(kind=DayKind.WORKDAY)),
    )
    by_year = {row["date__year"]: row for row in rows}
    last = max([*by_year, timezone.localdate().year + 1])
    return [
        {"year": year, "holidays": by_year.get(year, {}).get("holidays", 0),
         "workdays": by_year.get(year, {}).get("workdays", 0)}
        for year in range(last, min([*by_year, last]) - 1, -1)
    ]


@admin_only
def calendar_admin(request):
    """The special days of one year, with add/remove and a CSV import; years without data are flagged."""
    year = _year(request)
    context = {
        "year": year,
        "days": SpecialDay.objects.filter(date__year=year).order_by("date"),
        "years": _years_summary(),
        "missing": missing_years(),
        "add_form": SpecialDayForm(initial={"kind": DayKind.HOLIDAY}),
        "import_form": CalendarImportForm(initial={"year": year}),
    }
    return render(request, "deadlines/calendar.html", context)


def _back_to_calendar(request, year: int):
    # The administrator's next page checks the missing years again instead of the session's copy.
    forget_missing_years(request.session)
    return redirect(f"{reverse('deadlines:calendar')}?year={year}")


@require_POST
@admin_only
def calendar_add(request):
    form = SpecialDayForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back_to_calendar(request, _year(request))
    data = form.cleaned_data
    try:
        actions.add_special_day(actor=request.user, day=data["date"], kind=data["kind"], name=data["name"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(date)s was added.") % {"date": data["date"].isoformat()})
    return _back_to_calendar(request, data["date"].year)


@require_POST
@admin_only
def calendar_remove(request, day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    try:
        actions.remove_special_day(actor=request.user, day=parsed)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(date)s was removed.") % {"date": parsed.isoformat()})
    return _back_to_calendar(request, parsed.year)


@require_POST
@admin_only
def calendar_import(request):
    form = CalendarImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return _back_to_calendar(request, _year(request))
    year = form.cleaned_data["year"]
    try:
        count = actions.import_calendar_year(actor=request.user, year=year, text=form.cleaned_data["file"])
    except DomainError as error:
        messages.error(request, _("Nothing was imported: %(problems)s") % {"problems": error.message})
    else:
        messages.success(request, _("%(count)s special days were imported for %(year)s.")
                         % {"count": count, "year": year})
    return _back_to_calendar(request, year)


@login_required
def rule_list(request):
    """Every current time-limit rule (all staff may read them; only the administrator edits)."""
    rules = TimeLimitRule.objects.current().order_by("matter_kind", "key")
    return render(request, "deadlines/rule_list.html",
                  {"rules": rules, "can_edit": can_manage_calendar(request.user)})


@login_required
def rule_detail(request, key: str):
    """One rule: its current values, its version history and (for the administrator) the edit form."""
    versions = list(TimeLimitRule.objects.filter(key=key).select_related("created_by").order_by("-version"))
    if not versions:
        raise Http404
    current = next((rule for rule in versions if rule.is_current), versions[0])
    form = None
    if can_manage_calendar(request.user):
        initial = {name: getattr(current, name) for name in RuleForm.base_fields if name != "change_note"}
        form = RuleForm(initial=initial)
    context = {"rule": current, "versions": versions, "form": form}
    return render(request, "deadlines/rule_detail.html", context)


@require_POST
@admin_only
def rule_edit(request, key: str):
    form = RuleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("deadlines:rule_detail", key=key)
    changes = dict(form.cleaned_data)
    note = changes.pop("change_note")
    try:
        rule = actions.edit_rule(actor=request.user, key=key, changes=changes, note=note)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(version)s of the rule is now in force; running deadlines keep "
                                    "the version they started with.") % {"version": rule.version})
    return redirect("deadlines:rule_detail", key=key)


@login_required
def board(request):
    """即将超期 and 已超期: the user's steps due soon and overdue, from the stored colours."""
    visible = (
        Deadline.objects.visible_to(request.user)
        .select_related("matter", "rule", "unit")
        .prefetch_related(party_names("matter__"))  # the titles are masked (Matter.listed_title)
    )
    context = {
        "due_soon": queues.due_soon_deadlines(visible)[:BOARD_ROWS],
        "overdue": queues.overdue_deadlines(visible)[:BOARD_ROWS],
        "limit": BOARD_ROWS,
    }
    return render(request, "deadlines/board.html", context)


@login_required
def inbox(request):
    """The signed-in user's notifications, newest first."""
    rows = Notification.objects.for_user(request.user)[:200]
    return render(request, "deadlines/inbox.html", {"notifications": rows})


@require_POST
@login_required
def inbox_read(request):
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()] or None
    actions.mark_read(actor=request.user, ids=ids)
    return redirect("deadlines:inbox")


def _back(request, deadline: Deadline):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("deadlines:board")


def _visible_deadline(request, pk: int) -> Deadline:
    """404 for a missing clock and for one of a matter the user may not see (the latter audited)."""
    return access_object(request.user, Deadline.objects.all(), pk=pk)


@require_POST
@login_required
def deadline_pause(request, pk: int):
    deadline = _visible_deadline(request, pk)
    form = PauseForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_form_errors(form))
        actions.pause_deadline(deadline, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The clock is paused."))
    return _back(request, deadline)


@require_POST
@login_required
def deadline_resume(request, pk: int):
    deadline = _visible_deadline(request, pk)
    try:
        resumed = actions.resume_deadline(deadline, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The clock runs again; it is now due on %(date)s.")
                         % {"date": resumed.due_date.isoformat()})
    return _back(request, deadline)
