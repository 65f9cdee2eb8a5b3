"""Verbs of the intake app: duplicate decisions and early warnings.

Each verb takes a keyword-only ``actor``, runs in one transaction, locks the
rows it changes, checks the policy, writes, and records exactly one audit
event. Nothing is ever deleted: a merge is undone by marking its link undone.
"""

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanbao.deadlines.models import Notification
from sanbao.intake import events, policy
from sanbao.intake.choices import DuplicateKind, WarningStatus
from sanbao.intake.dedupe import decide, fingerprint
from sanbao.intake.models import DuplicateLink, EarlyWarning
from sanbao.matters.models import Matter
from sanbao.org.models import Unit

_DECISION_EVENTS = {
    DuplicateKind.REPEAT: events.DUPLICATE_MERGED,
    DuplicateKind.RELATED: events.DUPLICATE_LINKED,
    DuplicateKind.DISMISSED: events.DUPLICATE_DISMISSED,
}


def _lock_pair(submission: Matter, original: Matter) -> tuple[Matter, Matter]:
    # Always lock in id order, so two clerks deciding the same pair cannot deadlock.
    locked = {
        matter.pk: matter
        for matter in Matter.objects.select_for_update().filter(pk__in=[submission.pk, original.pk]).order_by("pk")
    }
    return locked[submission.pk], locked[original.pk]


def _check_pair(actor, submission: Matter, original: Matter, kind: str) -> None:
    if submission.pk == original.pk:
        raise ValidationFailed(_("A matter cannot be a duplicate of itself."), code="same_matter", field="original")
    if kind not in DuplicateKind.values:
        raise ValidationFailed(_("Choose merge, related or dismiss."), code="invalid_decision", field="kind")
    policy.check_decide(actor, submission, original)
    if DuplicateLink.objects.active().filter(submission=submission, original=original).exists():
        raise Conflict(_("These two matters already have a decision; undo it first."), code="already_decided")
    if kind == DuplicateKind.REPEAT:
        if DuplicateLink.objects.repeats().filter(submission=submission).exists():
            raise Conflict(_("This submission is already merged into another matter."), code="already_merged")
        if DuplicateLink.objects.repeats().filter(submission=original).exists():
            raise ValidationFailed(
                _("The earlier matter is itself a merged repeat; merge into the matter it was merged into."),
                code="original_is_repeat",
                field="original",
            )


def _notify_repeat(original: Matter, submission: Matter) -> None:
    """Tell whoever handles the earlier matter that the same complaint came in again."""
    params = {"matter": original.code, "submission": submission.code, "count": original.repeat_count}
    link = reverse("matters:matter_detail", args=[original.code])
    Notification.objects.bulk_create(
        [
            Notification(recipient_id=user_id, code=events.NOTICE_REPEAT, params=params, link=link)
            for user_id in policy.repeat_recipients(original)
        ]
    )


@transaction.atomic
def decide_duplicate(*, actor, submission: Matter, original: Matter, kind: str, note: str = "") -> DuplicateLink:
    """Record a clerk's decision that ``submission`` is a repeat of, related to, or not a duplicate of ``original``.

    ``repeat`` (合并为重复件) keeps the submission whole, attaches it to the
    earlier matter, raises the earlier matter's ``repeat_count`` and notifies
    its handlers. Clerks and directors whose area covers both matters may
    decide (``policy.check_decide``). Audited as ``intake.duplicate_merged``,
    ``intake.duplicate_linked`` or ``intake.duplicate_dismissed``.
    """
    submission, original = _lock_pair(submission, original)
    _check_pair(actor, submission, original, kind)
    decision = decide(
        fingerprint(submission.pk, submission.title, submission.narrative),
        fingerprint(original.pk, original.title, original.narrative),
    )
    link = DuplicateLink.objects.create(
        submission=submission,
        original=original,
        kind=kind,
        similarity=decision.score,
        reasons=decision.reasons(),
        note=note.strip()[:500],
        decided_by=actor,
    )
    if kind == DuplicateKind.REPEAT:
        Matter.objects.filter(pk=original.pk).update(repeat_count=F("repeat_count") + 1, updated_at=timezone.now())
        original.refresh_from_db(fields=["repeat_count"])
        _notify_repeat(original, submission)
    record_event(
        _DECISION_EVENTS[kind],
        actor=actor,
        target=submission,
        area_code=submission.area_code,
        after={
            "submission": submission.code,
            "original": original.code,
            "kind": kind,
            "similarity": decision.score,
            "repeat_count": original.repeat_count,
        },
    )
    return link


@transaction.atomic
def undo_duplicate(*, actor, link: DuplicateLink) -> DuplicateLink:
    """Undo a duplicate decision (unmerge): the link is kept, marked undone; a merge gives back its repeat count.

    Same permission as deciding. Audited as ``intake.duplicate_undone``.
    """
    link = DuplicateLink.objects.select_for_update().select_related("submission", "original").get(pk=link.pk)
    if not link.is_active:
        raise Conflict(_("This decision was already undone."), code="already_undone")
    submission, original = _lock_pair(link.submission, link.original)
    policy.check_decide(actor, submission, original)
    link.undone_by, link.undone_at = actor, timezone.now()
    link.save(update_fields=["undone_by", "undone_at"])
    if link.kind == DuplicateKind.REPEAT:
        Matter.objects.filter(pk=original.pk, repeat_count__gt=0).update(
            repeat_count=F("repeat_count") - 1, updated_at=timezone.now()
        )
        original.refresh_from_db(fields=["repeat_count"])
    record_event(
        events.DUPLICATE_UNDONE,
        actor=actor,
        target=submission,
        area_code=submission.area_code,
        before={"kind": link.kind, "original": original.code, "submission": submission.code},
        after={"repeat_count": original.repeat_count},
    )
    return link


@transaction.atomic
def assign_warning(*, actor, warning: EarlyWarning, unit: Unit, note: str = "") -> EarlyWarning:
    """Give an open early warning to a unit to look into (like 交办 for a matter).

    Directors and committee staff whose area covers the warning may assign it,
    to an active unit of their own area subtree. Audited as ``intake.warning_assigned``.
    """
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    policy.check_manage_warning(actor, warning)
    if not warning.is_open:
        raise Conflict(_("This warning is closed."), code="warning_closed")
    policy.check_warning_unit(actor, unit)
    before = {"status": warning.status, "assigned_unit": warning.assigned_unit_id}
    warning.status, warning.assigned_unit, warning.assigned_by = WarningStatus.ASSIGNED, unit, actor
    warning.assigned_at = warning.updated_at = timezone.now()
    if note:
        warning.closed_note = note.strip()
    warning.save(update_fields=["status", "assigned_unit", "assigned_by", "assigned_at", "updated_at", "closed_note"])
    record_event(
        events.WARNING_ASSIGNED,
        actor=actor,
        target=warning,
        area_code=warning.area_code,
        before=before,
        after={"status": warning.status, "assigned_unit": unit.pk},
    )
    return warning


@transaction.atomic
def close_warning(*, actor, warning: EarlyWarning, dismiss: bool = False, note: str) -> EarlyWarning:
    """Close an early warning (handled) or dismiss it (not a real cluster); a note is required.

    Directors and committee staff of the warning's area, or the assigned unit's
    director. Audited as ``intake.warning_closed``.
    """
    warning = EarlyWarning.objects.select_for_update().get(pk=warning.pk)
    policy.check_close_warning(actor, warning)
    if not warning.is_open:
        raise Conflict(_("This warning is closed."), code="warning_closed")
    if not note.strip():
        raise ValidationFailed(_("Say what was done or why it is not a real cluster."), code="required", field="note")
    before = {"status": warning.status}
    warning.status = WarningStatus.DISMISSED if dismiss else WarningStatus.CLOSED
    warning.closed_note, warning.closed_at = note.strip(), timezone.now()
    warning.updated_at = warning.closed_at
    warning.save(update_fields=["status", "closed_note", "closed_at", "updated_at"])
    record_event(
        events.WARNING_CLOSED,
        actor=actor,
        target=warning,
        area_code=warning.area_code,
        before=before,
        after={"status": warning.status},
    )
    return warning


def check_may_decide(actor, submission: Matter, original: Matter) -> None:
    """For views that offer the buttons: raise ``PermissionDenied`` when ``actor`` may not decide."""
    if not policy.may_decide(actor, submission, original):
        raise PermissionDenied(_("Only clerks and directors of the area may decide about duplicates."))
