"""Oversight verbs: supervision notice (督办), leader instruction (批示), leader takes charge (包案)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed
from sanbao.matters import clocks, events, policy
from sanbao.matters.actions.common import audit_denials, check_text, lock_matter, record
from sanbao.matters.choices import InstructionKind, Verb
from sanbao.matters.models import LeaderInstruction, Matter, Supervision


@audit_denials
def supervise_matter(matter: Matter, *, actor, notice: str, due_date: date) -> Supervision:
    """督办: committee staff, directors or leaders of the matter's area issue a supervision notice
    with a new deadline. Audited as ``matters.supervised``; the deadlines seam applies the date.
    """
    notice = check_text(notice, "notice", 2000)
    if not isinstance(due_date, date) or due_date <= timezone.localdate():
        raise ValidationFailed(
            _("The new deadline must be a date after today."), code="not_future", field="due_date"
        )
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.SUPERVISE)
        supervision = Supervision.objects.create(
            matter=locked, issued_by=actor, unit_id=actor.unit_id, notice=notice, due_date=due_date
        )
        record(
            locked,
            Verb.SUPERVISE,
            actor=actor,
            audit_code=events.SUPERVISED,
            data={"supervision_id": supervision.pk, "due_date": due_date.isoformat(), "notice": notice},
        )
        clocks.on_supervised(locked, supervision, actor)
    return supervision


@audit_denials
def instruct_on_matter(matter: Matter, *, actor, text: str) -> LeaderInstruction:
    """批示: a leader of the matter's area writes an instruction on it. Audited as ``matters.instructed``."""
    text = check_text(text, "text", 2000)
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.INSTRUCT)
        instruction = LeaderInstruction.objects.create(
            matter=locked, leader=actor, kind=InstructionKind.INSTRUCTION, text=text
        )
        record(
            locked,
            Verb.INSTRUCT,
            actor=actor,
            audit_code=events.INSTRUCTED,
            data={"instruction_id": instruction.pk, "text": text},
        )
    return instruction


@audit_denials
def take_charge(matter: Matter, *, actor, text: str = "") -> LeaderInstruction:
    """包案: a leader of the matter's area takes personal charge of it (one leader at a time).

    The leader in charge may then see the parties unmasked. Audited as ``matters.taken_charge``.
    """
    text = (text or "").strip()[:2000]
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.TAKE_CHARGE)
        if locked.leader_in_charge_id is not None:
            raise ValidationFailed(
                _("%(leader)s already has charge of this matter.") % {"leader": locked.leader_in_charge},
                code="already_in_charge",
                field="leader",
            )
        instruction = LeaderInstruction.objects.create(
            matter=locked, leader=actor, kind=InstructionKind.TAKE_CHARGE, text=text
        )
        locked.leader_in_charge = actor
        record(
            locked,
            Verb.TAKE_CHARGE,
            actor=actor,
            audit_code=events.TAKEN_CHARGE,
            fields=["leader_in_charge"],
            changes={"leader_in_charge": [None, actor.pk]},
            data={"instruction_id": instruction.pk, "text": text},
        )
    return instruction
