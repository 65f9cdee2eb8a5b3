"""Closing verbs: follow-up visit (回访), close, reopen (重办), 复查/复核 requests, 导入法定程序."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed
from sanbao.matters import events, policy
from sanbao.matters.actions.common import (
    audit_denials,
    begin_transition,
    check_choice,
    check_text,
    finish_transition,
    instance_or_none,
    lock_matter,
)
from sanbao.matters.choices import (
    AssignmentRole,
    AssignmentStatus,
    FollowUpMethod,
    LegalRoute,
    MatterState,
    ReviewStage,
    Satisfaction,
    Verb,
)
from sanbao.matters.models import Assignment, FollowUp, Matter, ReviewRequest
from sanbao.org.models import Unit

REVIEW_STAGES = {MatterState.ANSWERED: ReviewStage.REEXAMINATION, MatterState.REEXAMINED: ReviewStage.RECHECK}


def _resume_handling(locked: Matter) -> None:
    """Back to re-handling (重办): the units that completed their share take it up again."""
    if locked.state == MatterState.HANDLING:
        locked.assignments.filter(status=AssignmentStatus.COMPLETED).update(status=AssignmentStatus.SIGNED)


@audit_denials
def record_follow_up(
    matter: Matter,
    *,
    actor,
    method: str,
    satisfaction: str,
    comment: str = "",
    expected_version: int | None = None,
) -> FollowUp:
    """回访: record how the person rated the handling. 满意/基本满意 closes the matter;
    不满意 reopens it for re-handling (重办) by the same lead unit.

    Clerks and directors of the matter's area. Audited as ``matters.followed_up``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"method": method, "satisfaction": satisfaction, "comment": (comment or "").strip()[:2000]}
        transition = begin_transition(locked, Verb.FOLLOW_UP, actor=actor, inputs=inputs)
        check_choice(method, FollowUpMethod, "method")
        check_choice(satisfaction, Satisfaction, "satisfaction")
        visit = FollowUp.objects.create(
            matter=locked,
            method=method,
            satisfaction=satisfaction,
            comment=inputs["comment"],
            visited_by=actor,
        )
        before = locked.satisfaction
        locked.satisfaction = satisfaction
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.FOLLOWED_UP,
            fields=["satisfaction"],
            changes={"satisfaction": [before, satisfaction]},
            data={"follow_up_id": visit.pk, **inputs},
        )
        _resume_handling(locked)
    return visit


@audit_denials
def close_matter(matter: Matter, *, actor, reason: str, expected_version: int | None = None) -> Matter:
    """结案 / 办结 / 销号 without (another) follow-up visit, with the reason (director).

    E.g. the person cannot be reached, a hazard found already defused, a
    petition answered and no 复查 asked for. Audited as ``matters.closed``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"reason": (reason or "").strip()}
        transition = begin_transition(locked, Verb.CLOSE, actor=actor, inputs=inputs)
        inputs["reason"] = check_text(reason, "reason", 2000)
        locked.assignments.filter(status=AssignmentStatus.SIGNED).update(status=AssignmentStatus.COMPLETED)
        finish_transition(
            locked, transition, actor=actor, inputs=inputs, audit_code=events.CLOSED, data=inputs
        )
    return locked


@audit_denials
def reopen_matter(matter: Matter, *, actor, reason: str, expected_version: int | None = None) -> Matter:
    """重办: reopen a closed matter for re-handling by its lead unit (director).

    Audited as ``matters.reopened``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"reason": (reason or "").strip()}
        transition = begin_transition(locked, Verb.REOPEN, actor=actor, inputs=inputs)
        inputs["reason"] = check_text(reason, "reason", 2000)
        finish_transition(
            locked, transition, actor=actor, inputs=inputs, audit_code=events.REOPENED, data=inputs
        )
        _resume_handling(locked)
    return locked


@audit_denials
def request_review(
    matter: Matter,
    *,
    actor,
    reason: str,
    reviewing_unit,
    requested_on: date | None = None,
    expected_version: int | None = None,
) -> ReviewRequest:
    """Register a petitioner's request for 复查 (after the answer) or 复核 (after the 复查 opinion).

    The reviewing organ (the next-higher one) gets a reviewing assignment so
    its staff see the matter and record the opinion. Clerks and directors.
    Audited as ``matters.review_requested``.
    """
    unit = instance_or_none(Unit, reviewing_unit)
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"reason": (reason or "").strip(), "reviewing_unit": unit}
        transition = begin_transition(locked, Verb.REQUEST_REVIEW, actor=actor, inputs=inputs)
        inputs["reason"] = check_text(reason, "reason", 2000)
        policy.check_assignable(actor, locked, unit, "reviewing_unit")
        requested_on = _requested_on(requested_on)
        stage = REVIEW_STAGES[locked.state]
        request = ReviewRequest.objects.create(
            matter=locked,
            stage=stage,
            reason=inputs["reason"],
            reviewing_unit=unit,
            requested_on=requested_on,
            registered_by=actor,
        )
        _give_to_reviewing_organ(locked, unit, actor=actor)
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.REVIEW_REQUESTED,
            data={
                "review_request_id": request.pk,
                "stage": stage,
                "reviewing_unit": unit.name,
                "reviewing_unit_id": unit.pk,
                "requested_on": requested_on.isoformat(),
                "reason": inputs["reason"],
            },
        )
    return request


def _requested_on(value: date | None) -> date:
    value = value or timezone.localdate()
    if value > timezone.localdate():
        raise ValidationFailed(
            _("The request date cannot be in the future."), code="future", field="requested_on"
        )
    return value


def _give_to_reviewing_organ(locked: Matter, unit: Unit, *, actor) -> None:
    locked.assignments.active().filter(role=AssignmentRole.REVIEW).update(
        status=AssignmentStatus.COMPLETED, ended_at=timezone.now()
    )
    if not locked.assignments.held_by(unit.pk).exists():
        Assignment.objects.create(
            matter=locked,
            unit=unit,
            role=AssignmentRole.REVIEW,
            assigned_by=actor,
            status=AssignmentStatus.SIGNED,
            signed_at=timezone.now(),
        )


@audit_denials
def move_to_legal_channel(
    matter: Matter, *, actor, route: str, body: str, comment: str = "", expected_version: int | None = None
) -> Matter:
    """导入法定程序: the petition belongs in litigation, arbitration or administrative review;
    record where it was sent. It leaves the petition track. Audited as ``matters.legal_channel``.
    """
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        inputs = {"route": route, "body": (body or "").strip()}
        transition = begin_transition(locked, Verb.LEGAL_CHANNEL, actor=actor, inputs=inputs)
        check_choice(route, LegalRoute, "route")
        inputs["body"] = check_text(body, "body", 200)
        locked.legal_route, locked.legal_route_body = route, inputs["body"]
        locked.assignments.active().update(status=AssignmentStatus.COMPLETED, ended_at=timezone.now())
        finish_transition(
            locked,
            transition,
            actor=actor,
            inputs=inputs,
            audit_code=events.LEGAL_CHANNEL,
            fields=["legal_route", "legal_route_body"],
            changes={"legal_route": ["", route]},
            data={**inputs, "comment": (comment or "").strip()[:2000]},
        )
    return locked
