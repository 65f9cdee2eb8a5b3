"""The demo's bulk primitive for old, finished matters: the same rows as the verbs, written in bulk.

Replaying two years of a county through the verbs costs ~15 ms of CPU per
step (the verbs lock, check, write their rows, an audit event and the
deadlines app's clocks one at a time), which is eight minutes for 5,000
matters. Matters that were finished long ago do not need their checks run
again, so ``write_history`` writes them in bulk instead:

- the workflow data (``workflow_for(kind).transition``) decides every
  step's from/to state exactly as the verbs would, and any step the
  workflow refuses raises ``InvalidTransition`` (the plan is wrong);
- parties go through ``build_parties`` (the verbs' validation, encryption and
  lookup hashes); codes come from the same per-prefix counters;
- each step writes the rows its verb writes (matter fields, assignments,
  feedback, follow-up visits, notes, extension requests), one timeline row
  (``MatterEvent``) with the verb's ``changes``/``data``, and one audit event
  with the verb's code and before/after values, chained exactly as
  ``record_event`` chains them (so ``sanbao audit verify`` passes).

What it does not write: the deadlines app's clocks (``Deadline`` rows) of
these finished matters, which only matter while a step runs.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from sanbao.audit.chain import GENESIS, compute_hash, normalise_json
from sanbao.audit.models import AuditChainHead, AuditEvent
from sanbao.matters import events
from sanbao.matters.actions.common import TEXT_INPUTS
from sanbao.matters.actions.parties import build_parties
from sanbao.matters.choices import (
    KIND_CODE_LETTERS,
    AssignmentRole,
    AssignmentStatus,
    ExtensionStatus,
    FeedbackStage,
    MatterState,
    MatterStatus,
    Verb,
)
from sanbao.matters.models import (
    Assignment,
    ExtensionRequest,
    Feedback,
    FollowUp,
    Matter,
    MatterCodeCounter,
    MatterEvent,
    MatterNote,
    Party,
    Tag,
)
from sanbao.matters.workflows import workflow_for

AUDIT_CODES = {
    "register": events.REGISTERED,
    "accept": events.ACCEPTED,
    "refuse": events.REFUSED,
    "assign": events.ASSIGNED,
    "reassign": events.REASSIGNED,
    "sign": events.SIGNED,
    "send_back": events.SENT_BACK,
    "consult": events.CONSULTED,
    "note": events.NOTE_ADDED,
    "extension_request": events.EXTENSION_REQUESTED,
    "extension_decide": events.EXTENSION_DECIDED,
    "feedback": events.FEEDBACK_SUBMITTED,
    "review": events.REVIEWED,
    "follow_up": events.FOLLOWED_UP,
    "close": events.CLOSED,
    "legal_channel": events.LEGAL_CHANNEL,
}
# Verbs that do not move the matter (no workflow transition).
ACTIVITIES = {"note", "extension_request", "extension_decide"}
BATCH = 500


@dataclass
class PendingEvent:
    """A timeline row and its audit event, waiting for the primary keys of the rows it names."""

    matter: Matter
    time: datetime
    verb: str
    actor: object
    from_state: str
    to_state: str
    changes: dict
    data: dict
    note: MatterNote | None = None
    audit_before: dict | None = None
    audit_after: dict | None = None


@dataclass
class History:
    """Everything to write, collected before anything is written."""

    matters: list[Matter] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    tags: list[tuple[Matter, list[str]]] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    feedbacks: list[Feedback] = field(default_factory=list)
    follow_ups: list[FollowUp] = field(default_factory=list)
    notes: list[MatterNote] = field(default_factory=list)
    extensions: list[ExtensionRequest] = field(default_factory=list)
    events: list[PendingEvent] = field(default_factory=list)


def _pk(value):
    """Model instances inside event payloads become their primary keys once written."""
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, list):
        return [_pk(item) for item in value]
    return value


class MatterStory:
    """One planned matter taken through its steps in memory, collecting the rows each verb writes."""

    def __init__(self, replayer, plan, history: History, counters: dict[str, int]):
        self.replayer, self.plan, self.history = replayer, plan, history
        self.workflow = workflow_for(plan.kind)
        self.counters = counters
        self.lead: Assignment | None = None
        self.assignments: list[Assignment] = []
        self.feedback: Feedback | None = None
        self.extension: ExtensionRequest | None = None

    def write(self) -> None:
        register, *rest = self.plan.steps
        self._register(register)
        for step in rest:
            self._step(step)

    # Registration ---------------------------------------------------------------------------

    def _register(self, step) -> None:
        plan, replayer = self.plan, self.replayer
        actor = replayer.users[step.actor]
        area = replayer.areas[plan.area_code]
        category = replayer.category_for(plan)
        prefix = f"{KIND_CODE_LETTERS[plan.kind]}-{area.code[:9]}-{timezone.localtime(step.when).year}"
        self.counters[prefix] = self.counters.get(prefix, 0) + 1
        matter = Matter(
            code=f"{prefix}-{self.counters[prefix]:06d}",
            kind=plan.kind,
            title=plan.story.title,
            narrative=plan.story.narrative,
            category=category,
            risk_level=plan.risk_level,
            source_channel=plan.channel,
            received_at=step.inputs["received_at"],
            area=area,
            area_code=area.code,
            people_count=max(1, plan.story.people_count),
            owner_unit_id=actor.unit_id,
            state=self.workflow.initial,
            status=MatterStatus.OPEN,
            created_by=actor,
            created_at=step.when,
            updated_at=step.when,
            version=1,
        )
        self.matter = matter
        parties = build_parties(plan.parties)
        for party in parties:
            party.matter, party.created_at = matter, step.when
        self.history.matters.append(matter)
        self.history.parties += parties
        if plan.tags:
            self.history.tags.append((matter, plan.tags))
        summary = {
            "code": matter.code,
            "kind": matter.kind,
            "state": matter.state,
            "area": matter.area_code,
            "category": category.pk,
            "risk_level": matter.risk_level,
            "source_channel": matter.source_channel,
            "parties": len(parties),
            "attachments": 0,
        }
        self.history.events.append(
            PendingEvent(
                matter,
                step.when,
                Verb.REGISTER,
                actor,
                "",
                matter.state,
                {},
                summary,
                audit_before=None,
                audit_after=summary,
            )
        )

    # Steps ------------------------------------------------------------------------------------

    def _step(self, step) -> None:
        actor = self.replayer.users[step.actor]
        matter, before_state = self.matter, self.matter.state
        changes, data = getattr(self, f"_{step.verb}")(step, actor)
        note = data.pop("_note", None)
        if step.verb not in ACTIVITIES:
            transition = self.workflow.transition(step.verb, matter.state)
            target = transition.target_for(step.inputs, has_lead=matter.lead_unit_id is not None)
            self._after_move(step, target)
            matter.state, matter.status = target, self.workflow.status_of(target)
            matter.closed_at = (matter.closed_at or step.when) if matter.status == MatterStatus.CLOSED else None
            changes = {"state": [before_state, target], **changes}
        matter.version += 1
        matter.updated_at = step.when
        after = {
            **{name: values[1] for name, values in changes.items()},
            **{name: value for name, value in data.items() if name not in TEXT_INPUTS},
            "version": matter.version,
        }
        self.history.events.append(
            PendingEvent(
                matter,
                step.when,
                step.verb,
                actor,
                before_state,
                matter.state,
                changes,
                data,
                note,
                audit_before={name: values[0] for name, values in changes.items()},
                audit_after=after,
            )
        )

    def _after_move(self, step, target: str) -> None:
        """Assignment bookkeeping the verbs do when the matter moves."""
        approved = step.verb == "review" and step.inputs["decision"] == "approve"
        if approved or step.verb == "close":
            self._set_assignments(AssignmentStatus.SIGNED, AssignmentStatus.COMPLETED)
        if step.verb == "follow_up" and target == MatterState.HANDLING:
            self._set_assignments(AssignmentStatus.COMPLETED, AssignmentStatus.SIGNED)
        if step.verb == "legal_channel":
            for status in (AssignmentStatus.PENDING, AssignmentStatus.SIGNED):
                self._set_assignments(status, AssignmentStatus.COMPLETED, ended_at=step.when)

    def _set_assignments(self, old: str, new: str, ended_at=None) -> None:
        for assignment in self.assignments:
            if assignment.status == old:
                assignment.status = new
                assignment.ended_at = ended_at or assignment.ended_at

    def _new_lead(self, step, actor) -> tuple[dict, dict]:
        unit = self.replayer.unit(step.inputs["lead_unit"])
        instructions = step.inputs.get("instructions", "")
        lead = Assignment(
            matter=self.matter,
            unit=unit,
            role=AssignmentRole.LEAD,
            assigned_by=actor,
            assigned_at=step.when,
            instructions=instructions,
        )
        self.assignments.append(lead)
        self.history.assignments.append(lead)
        before = self.matter.lead_unit_id
        self.matter.lead_unit, self.matter.current_handler = unit, None
        self.lead = lead
        data = {
            "lead_unit": unit.name,
            "lead_unit_id": unit.pk,
            "co_units": [],
            "co_unit_ids": [],
            "instructions": instructions,
        }
        return {"lead_unit": [before, unit.pk]}, data

    def _assign(self, step, actor):
        return self._new_lead(step, actor)

    def _reassign(self, step, actor):
        changes, data = self._new_lead(step, actor)
        return changes, {**data, "reason": step.inputs.get("reason", "")}

    def _sign(self, step, actor):
        self.lead.status, self.lead.signed_by, self.lead.signed_at = AssignmentStatus.SIGNED, actor, step.when
        self.matter.current_handler = actor
        data = {"unit": self.lead.unit.name, "unit_id": self.lead.unit_id, "role": self.lead.role}
        return {"current_handler": [None, actor.pk]}, data

    def _send_back(self, step, actor):
        lead = self.lead
        lead.status, lead.ended_at, lead.end_reason = AssignmentStatus.SENT_BACK, step.when, step.inputs["reason"]
        before = self.matter.lead_unit_id
        self.matter.lead_unit, self.matter.current_handler = None, None
        data = {"unit": lead.unit.name, "unit_id": lead.unit_id, "role": lead.role, "reason": step.inputs["reason"]}
        return {"lead_unit": [before, None]}, data

    def _accept(self, step, actor):
        return {}, {}

    def _refuse(self, step, actor):
        return {}, {"reason": step.inputs["reason"]}

    def _close(self, step, actor):
        return {}, {"reason": step.inputs["reason"]}

    def _consult(self, step, actor):
        return {}, {"summary": step.inputs["summary"], "participants": step.inputs["participants"]}

    def _legal_channel(self, step, actor):
        self.matter.legal_route, self.matter.legal_route_body = step.inputs["route"], step.inputs["body"]
        data = {"route": step.inputs["route"], "body": step.inputs["body"], "comment": ""}
        return {"legal_route": ["", step.inputs["route"]]}, data

    def _note(self, step, actor):
        note = MatterNote(
            matter=self.matter, author=actor, unit_id=actor.unit_id, text=step.inputs["text"], created_at=step.when
        )
        self.history.notes.append(note)
        return {}, {"note_id": note, "_note": note}

    def _extension_request(self, step, actor):
        extension = ExtensionRequest(
            matter=self.matter,
            unit_id=actor.unit_id,
            requested_by=actor,
            requested_at=step.when,
            days=step.inputs["days"],
            reason=step.inputs["reason"],
        )
        self.extension = extension
        self.history.extensions.append(extension)
        return {}, {"extension_id": extension, "days": extension.days, "reason": extension.reason}

    def _extension_decide(self, step, actor):
        extension = self.extension
        extension.status = ExtensionStatus.APPROVED if step.inputs["approve"] else ExtensionStatus.DENIED
        extension.decided_by, extension.decided_at = actor, step.when
        extension.decision_comment = step.inputs["comment"]
        data = {
            "extension_id": extension,
            "days": extension.days,
            "status": extension.status,
            "comment": extension.decision_comment,
        }
        return {}, data

    def _feedback(self, step, actor):
        feedback = Feedback(
            matter=self.matter,
            stage=FeedbackStage.HANDLING,
            unit_id=actor.unit_id,
            submitted_by=actor,
            submitted_at=step.when,
            result=step.inputs["result"],
            opinion=step.inputs.get("opinion", ""),
            is_resolved=True,
        )
        self.feedback = feedback
        self.history.feedbacks.append(feedback)
        data = {
            "feedback_id": feedback,
            "stage": feedback.stage,
            "opinion": feedback.opinion,
            "is_resolved": True,
            "attachments": 0,
            "result": feedback.result,
        }
        return {}, data

    def _review(self, step, actor):
        feedback = self.feedback
        feedback.decision, feedback.review_comment = step.inputs["decision"], step.inputs.get("comment", "")
        feedback.reviewed_by, feedback.reviewed_at = actor, step.when
        data = {"feedback_id": feedback, "decision": feedback.decision, "comment": feedback.review_comment}
        return {}, data

    def _follow_up(self, step, actor):
        inputs = step.inputs
        visit = FollowUp(
            matter=self.matter,
            method=inputs["method"],
            satisfaction=inputs["satisfaction"],
            comment=inputs["comment"],
            visited_by=actor,
            visited_at=step.when,
        )
        self.history.follow_ups.append(visit)
        before = self.matter.satisfaction
        self.matter.satisfaction = inputs["satisfaction"]
        data = {
            "follow_up_id": visit,
            "method": inputs["method"],
            "satisfaction": inputs["satisfaction"],
            "comment": inputs["comment"],
        }
        return {"satisfaction": [before, inputs["satisfaction"]]}, data


def write_history(replayer, plans) -> int:
    """Write ``plans`` (finished long ago) in bulk; returns the number of steps written."""
    history = History()
    counters = dict(MatterCodeCounter.objects.values_list("prefix", "last_number"))
    for plan in sorted(plans, key=lambda plan: plan.steps[0].when):
        MatterStory(replayer, plan, history, counters).write()
    with transaction.atomic():
        _write_rows(history)
        _write_counters(counters)
        _write_events(history.events)
    return len(history.events)


def _write_rows(history: History) -> None:
    """Parents first; ``bulk_create`` fills each child's foreign key from its now-saved parent."""
    Matter.objects.bulk_create(history.matters, batch_size=BATCH)
    for model, rows in (
        (Party, history.parties),
        (Assignment, history.assignments),
        (Feedback, history.feedbacks),
        (FollowUp, history.follow_ups),
        (MatterNote, history.notes),
        (ExtensionRequest, history.extensions),
    ):
        model.objects.bulk_create(rows, batch_size=BATCH)
    names = sorted({name for _matter, tags in history.tags for name in tags})
    tags = {name: Tag.objects.get_or_create(name=name)[0] for name in names}
    through = Matter.tags.through
    through.objects.bulk_create(
        [through(matter_id=matter.pk, tag_id=tags[name].pk) for matter, names in history.tags for name in names],
        batch_size=BATCH,
    )


def _write_counters(counters: dict[str, int]) -> None:
    existing = {row.prefix: row for row in MatterCodeCounter.objects.select_for_update()}
    for prefix, number in counters.items():
        row = existing.get(prefix)
        if row is None:
            MatterCodeCounter.objects.create(prefix=prefix, last_number=number)
        elif row.last_number < number:
            row.last_number = number
            row.save(update_fields=["last_number"])


def _write_events(pending: list[PendingEvent]) -> None:
    """Timeline rows, then audit events chained onto the trail in time order (as ``record_event`` does)."""
    pending.sort(key=lambda item: item.time)
    timeline = []
    for item in pending:
        timeline.append(
            MatterEvent(
                matter_id=item.matter.pk,
                time=item.time,
                actor=item.actor,
                actor_unit_id=item.actor.unit_id,
                verb=item.verb,
                from_state=item.from_state,
                to_state=item.to_state,
                changes={key: _pk(value) for key, value in item.changes.items()},
                data={key: _pk(value) for key, value in item.data.items()},
                note=item.note,
            )
        )
    MatterEvent.objects.bulk_create(timeline, batch_size=BATCH)
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
    seq, last_hash, request_id = head.last_seq, head.last_hash or GENESIS, uuid.uuid4().hex
    rows = []
    for item in pending:
        seq += 1
        matter = item.matter
        row = AuditEvent(
            seq=seq,
            time=item.time,
            event_code=AUDIT_CODES[item.verb],
            actor=item.actor,
            actor_username=item.actor.username,
            unit_id=item.actor.unit_id,
            object_type="matters.matter",
            object_id=str(matter.pk),
            object_repr=str(matter)[:200],
            area_code=matter.area_code,
            before=normalise_json(_pk(item.audit_before)),
            after=normalise_json({key: _pk(value) for key, value in item.audit_after.items()}),
            request_id=request_id,
            client_ip=None,
            success=True,
            prev_hash=last_hash,
        )
        row.hash = compute_hash(row)
        last_hash = row.hash
        rows.append(row)
    AuditEvent.objects.bulk_create(rows, batch_size=BATCH)
    head.last_seq, head.last_hash = seq, last_hash
    head.save(update_fields=["last_seq", "last_hash"])
