"""Handling verbs: progress note, joint consultation, extension request and decision, feedback, review."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed
from sanbao.matters import clocks, events, policy
from sanbao.matters.actions.common import (
    audit_denials,
    begin_transition,
    check_choice,
    check_text,
    finish_transition,
    lock_matter,
    record,
)
from sanbao.matters.actions.parties import store_attachments
from sanbao.matters.attachments import check_files
from sanbao.matters.choices import (
    AssignmentStatus,
    AttachmentPurpose,
    ExtensionStatus,
    FeedbackStage,
    MatterKind,
    MatterState,
    PetitionOpinion,
    ReviewDecision,
    ReviewOpinion,
    Verb,
)
from sanbao.matters.models import ExtensionRequest, Feedback, Matter, MatterNote

MAX_EXTENSION_DAYS = 90
# The step a feedback is given in decides what kind of opinion it carries.
FEEDBACK_STAGES = {
    MatterState.REEXAMINING: FeedbackStage.REEXAMINATION,
    MatterState.RECHECKING: FeedbackStage.RECHECK,
}


@audit_denials
def add_note(matter: Matter, *, actor, text: str) -> MatterNote:
    """进展记录: a human note on the matter, by anyone in its area or holding an assignment on it.

    The note is kept in its own table (not the audit trail); the timeline links it.
    Audited as ``matters.note_added`` (without the text).
    """
    text = check_text(text, "text", 4000)
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.NOTE)
        note = MatterNote.objects.create(matter=locked, author=actor, unit_id=actor.unit_id, text=text)
        record(
            locked, Verb.NOTE, actor=actor, audit_code=events.NOTE_ADDED, data={"note_id": note.pk}, note=note
        )
    return note


@audit_denials
def consult_on_matter(
    matter: Matter, *, actor, summary: str, participants: str = "", expected_version: int | None = None
) -> Matter:
    """会商: record the joint consultation on an incident (director); rectification is assigned next."""
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"summary": (summary or "").strip()}
        transition = begin_transition(locked, Verb.CONSULT, actor=actor, inputs=inputs)
        inputs["summary"] = check_text(summary, "summary", 4000)
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.CONSULTED,
            data={**inputs, "participants": (participants or "").strip()[:500]},
        )
    return locked


@audit_denials
def request_extension(matter: Matter, *, actor, days: int, reason: str) -> ExtensionRequest:
    """延期申请: the lead unit asks for ``days`` more (one pending request at a time).

    Audited as ``matters.extension_requested``; the director decides.
    """
    reason = check_text(reason, "reason", 2000)
    if not isinstance(days, int) or not 1 <= days <= MAX_EXTENSION_DAYS:
        raise ValidationFailed(
            _("Ask for between 1 and %(max)d days.") % {"max": MAX_EXTENSION_DAYS},
            code="out_of_range",
            field="days",
        )
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.EXTENSION_REQUEST)
        if locked.extension_requests.filter(status=ExtensionStatus.PENDING).exists():
            raise ValidationFailed(
                _("An extension request is already waiting for a decision."), code="pending", field="days"
            )
        extension = ExtensionRequest.objects.create(
            matter=locked, unit_id=actor.unit_id, requested_by=actor, days=days, reason=reason
        )
        record(
            locked,
            Verb.EXTENSION_REQUEST,
            actor=actor,
            audit_code=events.EXTENSION_REQUESTED,
            data={"extension_id": extension.pk, "days": days, "reason": reason},
        )
    return extension


@audit_denials
def decide_extension(matter: Matter, *, actor, approve: bool, comment: str = "") -> ExtensionRequest:
    """延期审批: the director approves or denies the pending extension request.

    Audited as ``matters.extension_decided``; the deadlines seam moves the due date.
    """
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.EXTENSION_DECIDE)
        extension = (
            locked.extension_requests.select_for_update().filter(status=ExtensionStatus.PENDING).first()
        )
        if extension is None:
            raise ValidationFailed(
                _("No extension request is waiting."), code="nothing_pending", field="approve"
            )
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.DENIED
        extension.decided_by, extension.decided_at = actor, timezone.now()
        extension.decision_comment = (comment or "").strip()[:2000]
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        record(
            locked,
            Verb.EXTENSION_DECIDE,
            actor=actor,
            audit_code=events.EXTENSION_DECIDED,
            data={
                "extension_id": extension.pk,
                "days": extension.days,
                "status": extension.status,
                "comment": extension.decision_comment,
            },
        )
        clocks.on_extension_decided(locked, extension, actor)
    return extension


def _opinion(locked: Matter, opinion: str) -> str:
    if locked.state in FEEDBACK_STAGES:
        return check_choice(opinion, ReviewOpinion, "opinion")
    if locked.kind == MatterKind.PETITION:
        return check_choice(opinion, PetitionOpinion, "opinion")
    return ""


@audit_denials
def submit_feedback(
    matter: Matter,
    *,
    actor,
    result: str,
    opinion: str = "",
    is_resolved: bool = True,
    attachments=(),
    expected_version: int | None = None,
) -> Feedback:
    """反馈 / 答复: the lead unit reports what it did (with files), for the director's review.

    For petitions ``opinion`` is the 处理意见书 result (支持/解释/不予支持);
    in 复查/复核 it is the reviewing organ's opinion, which needs no review.
    A dispute settled by first mediation at the centre is recorded here by
    the director. Audited as ``matters.feedback_submitted``.
    """
    checked = check_files(attachments)
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"result": (result or "").strip(), "opinion": opinion}
        transition = begin_transition(locked, Verb.FEEDBACK, actor=actor, inputs=inputs)
        inputs["result"] = check_text(result, "result", 4000)
        feedback = Feedback.objects.create(
            matter=locked,
            stage=FEEDBACK_STAGES.get(locked.state, FeedbackStage.HANDLING),
            unit_id=actor.unit_id,
            submitted_by=actor,
            result=inputs["result"],
            opinion=_opinion(locked, opinion),
            is_resolved=bool(is_resolved),
        )
        files = store_attachments(
            locked, checked, actor=actor, purpose=AttachmentPurpose.FEEDBACK, feedback=feedback
        )
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.FEEDBACK_SUBMITTED,
            data={
                "feedback_id": feedback.pk,
                "stage": feedback.stage,
                "opinion": feedback.opinion,
                "is_resolved": feedback.is_resolved,
                "attachments": len(files),
                "result": feedback.result,
            },
        )
    return feedback


@audit_denials
def review_feedback(
    matter: Matter, *, actor, decision: str, comment: str = "", expected_version: int | None = None
) -> Feedback:
    """审核: the director approves the feedback (the matter goes on to the follow-up visit, or is
    answered / struck off by kind) or returns it for rework (a comment is required).

    Audited as ``matters.reviewed``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"decision": decision, "comment": (comment or "").strip()}
        transition = begin_transition(locked, Verb.REVIEW, actor=actor, inputs=inputs)
        check_choice(decision, ReviewDecision, "decision")
        if decision == ReviewDecision.RETURN:
            inputs["comment"] = check_text(comment, "comment", 2000)
        feedback = (
            locked.feedbacks.filter(decision="", stage=FeedbackStage.HANDLING)
            .order_by("-submitted_at", "-id")
            .first()
        )
        if feedback is None:
            raise ValidationFailed(
                _("There is no feedback to review."), code="nothing_pending", field="decision"
            )
        feedback.decision, feedback.review_comment = decision, inputs["comment"][:2000]
        feedback.reviewed_by, feedback.reviewed_at = actor, timezone.now()
        feedback.save(update_fields=["decision", "review_comment", "reviewed_by", "reviewed_at"])
        if decision == ReviewDecision.APPROVE:
            locked.assignments.filter(status=AssignmentStatus.SIGNED).update(
                status=AssignmentStatus.COMPLETED
            )
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.REVIEWED,
            data={"feedback_id": feedback.pk, "decision": decision, "comment": inputs["comment"]},
        )
    return feedback
