"""Steps shared by every matter verb: lock, check, move, record.

A verb runs inside one ``transaction.atomic()``: ``lock_matter`` takes the
row lock (and checks the caller's expected version), ``begin_transition``
checks the workflow, the policy and the required inputs, the verb writes its
own rows, and ``finish_transition`` (or ``record`` for operations that do not
move the matter) bumps the version, writes the timeline row, the audit event
and tells the deadlines seam. Denied attempts are audited by ``audit_denials``
after the verb's transaction has rolled back.
"""

import functools

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event, record_permission_denied
from sanbao.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanbao.intake.search import index_matter
from sanbao.matters import clocks, policy
from sanbao.matters.choices import MatterStatus
from sanbao.matters.models import Matter, MatterEvent
from sanbao.matters.workflows import Transition

# Free text stays on the timeline and the records; the audit trail keeps who/what/when and machine values.
TEXT_INPUTS = frozenset({"reason", "result", "comment", "text", "summary", "notice", "instructions", "body"})


def audit_denials(verb):
    """Record a refused attempt (``PermissionDenied``) in the audit trail, after the verb rolled back."""

    @functools.wraps(verb)
    def wrapper(*args, actor, **kwargs):
        try:
            return verb(*args, actor=actor, **kwargs)
        except PermissionDenied as error:
            target = args[0] if args and isinstance(args[0], models.Model) else None
            matter = target if isinstance(target, Matter) else getattr(target, "matter", None)
            area_code = matter.area_code if matter is not None else ""
            record_permission_denied(actor=actor, target=target, reason=error.code, area_code=area_code)
            raise

    return wrapper


def lock_matter(matter: Matter, expected_version: int | None = None) -> Matter:
    """Re-read ``matter`` under a row lock; ``Conflict`` if it changed since the caller read that version."""
    locked = Matter.objects.select_for_update().get(pk=matter.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(
            _(
                "Someone else changed this matter first (it is now at step “%(state)s”). "
                "Reload it and decide again."
            )
            % {"state": locked.state_label()},
            current_version=locked.version,
            current_state=locked.state,
        )
    return locked


def require_inputs(transition: Transition, inputs: dict) -> None:
    missing = transition.missing_inputs(inputs)
    if missing:
        raise ValidationFailed(
            _("This field is required."),
            code="required",
            field=missing[0],
            errors={name: ["required"] for name in missing},
        )


def begin_transition(locked: Matter, verb: str, *, actor, inputs: dict) -> Transition:
    """Check that ``verb`` is possible now, that ``actor`` may do it and that its inputs are there."""
    transition = locked.workflow.transition(verb, locked.state)
    policy.check_transition(actor, locked, transition)
    require_inputs(transition, inputs)
    return transition


def finish_transition(
    locked: Matter,
    transition: Transition,
    *,
    actor,
    inputs: dict,
    audit_code: str,
    fields=(),
    changes=None,
    data=None,
) -> Matter:
    """Move the matter to the transition's target step and record it."""
    from_state = locked.state
    target = transition.target_for(inputs, has_lead=locked.lead_unit_id is not None)
    locked.state = target
    locked.status = locked.workflow.status_of(target)
    locked.closed_at = _closed_at(locked)
    changes = {"state": [from_state, target], **(changes or {})}
    record(
        locked,
        transition.verb,
        actor=actor,
        audit_code=audit_code,
        from_state=from_state,
        fields=[*fields, "state", "status", "closed_at"],
        changes=changes,
        data=data,
    )
    clocks.on_transition(locked, transition, actor)
    return locked


def _closed_at(matter: Matter):
    if matter.status != MatterStatus.CLOSED:
        return None
    return matter.closed_at or timezone.now()


def record(
    locked: Matter,
    verb: str,
    *,
    actor,
    audit_code: str,
    fields=(),
    changes=None,
    data=None,
    from_state=None,
    note=None,
) -> MatterEvent:
    """Save ``fields`` with a new version, and write the timeline row and the audit event."""
    now = timezone.now()
    locked.version += 1
    locked.updated_at = now
    locked.save(update_fields=sorted({*fields, "version", "updated_at"}))
    changes, data = changes or {}, data or {}
    event = MatterEvent.objects.create(
        matter=locked,
        time=now,
        actor=actor,
        actor_unit_id=getattr(actor, "unit_id", None),
        verb=verb,
        from_state=from_state if from_state is not None else locked.state,
        to_state=locked.state,
        changes=changes,
        data=data,
        note=note,
    )
    index_matter(locked)
    record_event(
        audit_code,
        actor=actor,
        target=locked,
        area_code=locked.area_code,
        before={name: values[0] for name, values in changes.items()},
        after={
            **{name: value for name, value in data.items() if name not in TEXT_INPUTS},
            **{name: values[1] for name, values in changes.items()},
            "version": locked.version,
        },
    )
    return event


def as_validation_failed(error: ValidationError) -> ValidationFailed:
    """A Django ``ValidationError`` (from ``Model.clean``) as the domain error, naming the first field."""
    messages = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    field = next(iter(messages))
    return ValidationFailed(
        " ".join(messages[field]),
        field=None if field == "__all__" else field,
        errors={name: list(values) for name, values in messages.items()},
    )


def check_choice(value, choices, field: str) -> str:
    """``value`` if it is one of ``choices`` (TextChoices), else ``ValidationFailed`` naming ``field``."""
    if value not in choices.values:
        raise ValidationFailed(
            _("“%(value)s” is not a valid choice.") % {"value": value}, code="invalid_choice", field=field
        )
    return value


def check_text(value: str, field: str, max_length: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            _("At most %(count)d characters.") % {"count": max_length}, code="too_long", field=field
        )
    return value


def instance_or_none(model, value):
    """``value`` if it is a ``model`` instance, else the row with that primary key (None if there is none)."""
    if isinstance(value, model):
        return value
    try:
        return model.objects.filter(pk=value).first()
    except (TypeError, ValueError):
        return None
