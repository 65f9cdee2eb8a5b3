"""Verbs of the audit trail. Every other app's verbs call ``record_event``."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sanbao.audit import events
from sanbao.audit.chain import GENESIS, compute_hash, normalise_json
from sanbao.audit.models import AuditChainHead, AuditEvent
from sanbao.core import context
from sanbao.core.errors import ValidationFailed


def _target_fields(target) -> dict:
    if target is None:
        return {}
    meta = target._meta
    return {
        "object_type": f"{meta.app_label}.{meta.model_name}",
        "object_id": str(target.pk),
        "object_repr": str(target)[:200],
    }


def _actor_fields(actor) -> dict:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_username": getattr(actor, "username", "") or ""}
    return {"actor": actor, "actor_username": actor.username, "unit_id": actor.unit_id}


def record_event(
    code: str,
    *,
    actor=None,
    target=None,
    before: dict | None = None,
    after: dict | None = None,
    success: bool = True,
    area_code: str = "",
    actor_username: str = "",
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction if there is one.

    ``actor`` None means the system (a scheduled task). The caller's verb
    passes before/after values keyed by field name; they are stored as JSON.
    """
    request = context.current()
    with transaction.atomic():
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            time=timezone.now(),
            event_code=code,
            area_code=area_code,
            before=normalise_json(before),
            after=normalise_json(after),
            request_id=request.request_id,
            client_ip=request.client_ip,
            success=success,
            prev_hash=head.last_hash or GENESIS,
            **_target_fields(target),
            **_actor_fields(actor),
        )
        if actor_username and not event.actor_username:
            event.actor_username = actor_username
        event.hash = compute_hash(event)
        event.save(force_insert=True)
        head.last_seq, head.last_hash = event.seq, event.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return event


def record_permission_denied(*, actor, target=None, reason: str, area_code: str = "") -> AuditEvent:
    return record_event(
        events.PERMISSION_DENIED, actor=actor, target=target, after={"reason": reason},
        success=False, area_code=area_code,
    )


def record_personal_data_view(*, actor, target, fields: list[str], area_code: str = "") -> AuditEvent:
    """Every reveal of unmasked personal data is an event (DOMAIN.md §7)."""
    return record_event(
        events.PERSONAL_DATA_VIEWED, actor=actor, target=target, after={"fields": sorted(fields)},
        area_code=area_code,
    )


def prune_before(*, actor, before_date) -> int:
    """Delete events older than ``before_date``; refuses anything younger than the retention floor.

    The hash of the last pruned row becomes the chain's anchor, so deleting
    the first remaining row is still detected.
    """
    floor = timezone.now() - timedelta(days=settings.AUDIT_MIN_RETENTION_DAYS)
    if before_date > floor:
        raise ValidationFailed(
            f"Records younger than {settings.AUDIT_MIN_RETENTION_DAYS} days cannot be pruned",
            code="retention", field="before",
        )
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().get(id=1)
        doomed = AuditEvent.objects.filter(time__lt=before_date).order_by("seq")
        last = doomed.last()
        if last is None:
            return 0
        # Only a leading run of the chain can go; events are in time order by construction.
        count = AuditEvent.objects.filter(seq__lte=last.seq).count()
        AuditEvent.objects.filter(seq__lte=last.seq)._raw_delete(AuditEvent.objects.db)
        head.pruned_through_seq, head.pruned_anchor_hash = last.seq, last.hash
        head.save(update_fields=["pruned_through_seq", "pruned_anchor_hash"])
        record_event(events.AUDIT_PRUNED, actor=actor, after={"through_seq": last.seq, "count": count})
    return count
