"""Verbs on running clocks: pause and resume (hearing, appraisal, waiting for the petitioner) and extend.

Pausing and resuming are done by the director over the matter's area or the
lead unit's handler; an extension is applied when the matter's extension
request is approved (``sanbao.matters.clocks.on_extension_decided``) by a
holder of the role the rule names. Each verb locks the deadline, recomputes
it with the one calculator and records one audit event.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.deadlines import events
from sanbao.deadlines.calculator import paused_days
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.choices import DeadlineStatus, PauseReason
from sanbao.deadlines.clocks import recompute
from sanbao.deadlines.models import Deadline
from sanbao.deadlines.policy import can_approve_extension, can_pause


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update(of=("self",)).select_related("rule", "matter").get(pk=deadline.pk)


def _snapshot(deadline: Deadline) -> dict:
    return {"due_date": deadline.due_date, "status": deadline.status, "colour": deadline.colour}


def pause_deadline(deadline: Deadline, *, actor, reason: str, on: date | None = None) -> Deadline:
    """Stop the clock for a hearing, an appraisal or while waiting for the petitioner. Audited."""
    with transaction.atomic():
        locked = _lock(deadline)
        if not can_pause(actor, locked.matter):
            raise PermissionDenied(_("Only the centre director or the lead unit may pause this clock."))
        if reason not in PauseReason.values or not locked.rule.allows_pause(reason):
            raise ValidationFailed(_("This time limit cannot be paused for that reason."), field="reason")
        if locked.status != DeadlineStatus.RUNNING:
            message = _("Only a running clock can be paused (this one is “%(status)s”).")
            raise ValidationFailed(message % {"status": locked.get_status_display()}, code="not_running")
        before = _snapshot(locked)
        locked.status, locked.pause_reason = DeadlineStatus.PAUSED, reason
        locked.paused_on = on or timezone.localdate()
        locked.save(update_fields=["status", "paused_on", "pause_reason"])
        record_event(events.PAUSED, actor=actor, target=locked, area_code=locked.area_code, before=before,
                     after={"status": locked.status, "paused_on": locked.paused_on, "reason": reason})
    return locked


def resume_deadline(deadline: Deadline, *, actor, on: date | None = None) -> Deadline:
    """Restart a paused clock; the due date moves by exactly the paused days (in the rule's unit). Audited."""
    with transaction.atomic():
        locked = _lock(deadline)
        if not can_pause(actor, locked.matter):
            raise PermissionDenied(_("Only the centre director or the lead unit may resume this clock."))
        if locked.status != DeadlineStatus.PAUSED:
            raise ValidationFailed(_("This clock is not paused."), code="not_paused")
        resumed_on = on or timezone.localdate()
        if resumed_on < locked.paused_on:
            raise ValidationFailed(_("A clock cannot resume before it was paused."), field="on")
        before = {**_snapshot(locked), "paused_on": locked.paused_on, "reason": locked.pause_reason}
        added = paused_days(work_calendar(), locked.paused_on, resumed_on, locked.count_unit)
        locked.paused_days += added
        locked.paused_on, locked.pause_reason = None, ""
        fields = recompute(locked, timezone.localdate())
        locked.save(update_fields=[*fields, "paused_days", "paused_on", "pause_reason"])
        record_event(events.RESUMED, actor=actor, target=locked, area_code=locked.area_code, before=before,
                     after={**_snapshot(locked), "paused_days_added": added})
    return locked


def check_extension(deadline: Deadline, actor, days: int) -> None:
    """Raise unless ``actor`` may approve ``days`` more for ``deadline`` within its rule's cap."""
    rule = deadline.rule
    if not can_approve_extension(actor, rule):
        raise PermissionDenied(_("Your role may not approve an extension of this time limit."),
                               code="extension_approver")
    remaining = rule.extension_cap - deadline.extension_days
    if days < 1 or days > remaining:
        message = _("At most %(days)s more days can be granted for “%(rule)s”.")
        raise ValidationFailed(message % {"days": max(remaining, 0), "rule": rule.name}, code="extension_cap",
                               field="days")


def extend_locked(locked: Deadline, *, actor, days: int, reason: str = "") -> Deadline:
    """Extend a locked clock by ``days`` (in its unit) from its original end.

    Audited as ``deadlines.extended`` with the due date before and after.
    """
    check_extension(locked, actor, days)
    before = {**_snapshot(locked), "extension_days": locked.extension_days}
    locked.extension_days += days
    if locked.status != DeadlineStatus.PAUSED:
        locked.save(update_fields=[*recompute(locked, timezone.localdate()), "extension_days"])
    else:
        locked.save(update_fields=["extension_days"])
    if locked.status == DeadlineStatus.RUNNING:
        # A new due date starts a new ladder: warnings and escalation may happen again.
        locked.escalation_level = 0
        locked.save(update_fields=["escalation_level"])
    record_event(events.EXTENDED, actor=actor, target=locked, area_code=locked.area_code, before=before,
                 after={**_snapshot(locked), "extension_days": locked.extension_days, "days": days,
                        "reason": reason[:200]})
    return locked


def extend_deadline(deadline: Deadline, *, actor, days: int, reason: str = "") -> Deadline:
    """Grant ``days`` more to one clock (the holder of the rule's approver role)."""
    with transaction.atomic():
        return extend_locked(_lock(deadline), actor=actor, days=days, reason=reason)
