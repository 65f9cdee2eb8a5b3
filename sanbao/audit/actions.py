"""Verbs of the audit trail. Every other app's verbs call ``record_event``."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit import events
from sanbao.audit.chain import GENESIS, compute_hash, normalise_ip, normalise_json
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

    ``actor`` None means the system (a scheduled task, or a command naming
    itself through ``actor_username``). The chain head is locked first, so
    concurrent writers take consecutive ``seq`` values one at a time. The
    caller's verb passes before/after values keyed by field name; they are
    stored as JSON.
    """
    request = context.current()
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        event = AuditEvent(
            seq=head.last_seq + 1,
            time=timezone.now(),
            event_code=code,
            area_code=area_code,
            before=normalise_json(before),
            after=normalise_json(after),
            request_id=request.request_id,
            client_ip=normalise_ip(request.client_ip),
            success=success,
            prev_hash=head.last_hash or head.pruned_anchor_hash or GENESIS,
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


def record_permission_denied(
    *, actor, target=None, reason: str, area_code: str = "", details: dict | None = None
) -> AuditEvent:
    """A refused request (out of jurisdiction, missing role…), recorded as a failure."""
    return record_event(
        events.PERMISSION_DENIED, actor=actor, target=target, after={"reason": reason, **(details or {})},
        success=False, area_code=area_code,
    )


def record_personal_data_view(*, actor, target, fields: list[str], area_code: str = "") -> AuditEvent:
    """Every reveal of unmasked personal data is an event (DOMAIN.md §7)."""
    return record_event(
        events.PERSONAL_DATA_VIEWED, actor=actor, target=target, after={"fields": sorted(fields)},
        area_code=area_code,
    )


def record_trail_view(
    *, actor, target=None, filters: dict | None = None, rows: int | None = None
) -> AuditEvent:
    """Reading the trail is itself audited: a list page (filters, rows shown) or one event's detail."""
    after = None if target is not None else {"filters": filters or {}, "rows": rows}
    return record_event(events.AUDIT_VIEWED, actor=actor, target=target, after=after)


def record_trail_export(*, actor, filters: dict, file_format: str, actor_username: str = "") -> AuditEvent:
    """Record an export before it is written. It covers the rows before this event (``through_seq``)."""
    with transaction.atomic():
        head = AuditChainHead.objects.select_for_update().filter(id=1).first()
        through_seq = head.last_seq if head else 0
        return record_event(
            events.AUDIT_EXPORTED, actor=actor, actor_username=actor_username,
            after={"filters": filters, "format": file_format, "through_seq": through_seq},
        )


@dataclass(frozen=True)
class PruneResult:
    count: int
    through_seq: int
    cutoff: datetime


def prune_cutoff(before: date) -> datetime:
    """Start of ``before`` in the site's time zone: rows older than this may go."""
    return datetime.combine(before, time.min, tzinfo=timezone.get_current_timezone())


def prune_before(*, actor, before: date, actor_username: str = "") -> PruneResult:
    """Delete the leading run of events older than the start of ``before``; audited as ``audit.pruned``.

    Refuses a date younger than ``AUDIT_MIN_RETENTION_DAYS`` (网络安全法 Art. 21:
    six months); the refusal is audited too. Only a prefix of the chain can
    go: it ends before the first row young enough to keep. The hash of the last
    pruned row becomes the chain's anchor and is written into the
    ``audit.pruned`` event itself, so deleting the first remaining row, or
    moving the anchor, is still detected.
    """
    cutoff = prune_cutoff(before)
    days = settings.AUDIT_MIN_RETENTION_DAYS
    if cutoff > timezone.now() - timedelta(days=days):
        record_event(
            events.AUDIT_PRUNED, actor=actor, actor_username=actor_username, success=False,
            after={"before": before.isoformat(), "refused": "retention"},
        )
        raise ValidationFailed(
            _(
                "Audit records younger than %(days)s days cannot be pruned; "
                "choose a date on or before %(date)s."
            )
            % {"days": days, "date": (timezone.localdate() - timedelta(days=days)).isoformat()},
            code="retention", field="before",
        )
    with transaction.atomic():
        head, _created = AuditChainHead.objects.select_for_update().get_or_create(id=1)
        first_kept = AuditEvent.objects.filter(time__gte=cutoff).order_by("seq").values_list("seq", flat=True)
        through_seq = max((first_kept.first() or head.last_seq + 1) - 1, head.pruned_through_seq)
        count = 0
        if through_seq > head.pruned_through_seq:
            doomed = AuditEvent.objects.filter(seq__lte=through_seq)
            anchor = doomed.get(seq=through_seq).hash
            count = doomed._raw_delete(doomed.db)
            head.pruned_through_seq, head.pruned_anchor_hash = through_seq, anchor
            head.save(update_fields=["pruned_through_seq", "pruned_anchor_hash"])
        record_event(
            events.AUDIT_PRUNED, actor=actor, actor_username=actor_username,
            after={
                "before": before.isoformat(), "count": count,
                "through_seq": head.pruned_through_seq, "anchor_hash": head.pruned_anchor_hash,
            },
        )
    return PruneResult(count, head.pruned_through_seq, cutoff)
