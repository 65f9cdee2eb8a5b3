"""Verification of the audit hash chain (``sanbao audit verify``).

The walk covers the rows up to the chain head as read at the start, so events
appended while it runs are neither checked nor mistaken for insertions; one
final single-statement query then looks for rows beyond the current head.
"""

from dataclasses import dataclass

from django.db.models import Subquery

from sanbao.audit import events
from sanbao.audit.chain import GENESIS, hash_matches
from sanbao.audit.models import AuditChainHead, AuditEvent


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    head_seq: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


class ChainBroken(Exception):
    def __init__(self, seq: int, reason: str) -> None:
        super().__init__(reason)
        self.seq, self.reason = seq, reason


def _check_row(event, expected_seq: int, expected_prev: str) -> None:
    if event.seq < expected_seq:
        raise ChainBroken(event.seq, "row should not exist (inserted before the start of the chain)")
    if event.seq > expected_seq:
        raise ChainBroken(expected_seq, "row is missing (deleted)")
    if event.prev_hash != expected_prev:
        raise ChainBroken(event.seq, "link to the previous row is broken (prev_hash altered)")
    if not hash_matches(event):
        raise ChainBroken(event.seq, "row content was altered (hash does not match)")


def _walk(head, chunk_size: int) -> int:
    expected_seq = head.pruned_through_seq + 1
    expected_prev = head.pruned_anchor_hash or GENESIS
    rows = AuditEvent.objects.filter(seq__lte=head.last_seq).order_by("seq")
    for event in rows.iterator(chunk_size=chunk_size):
        _check_row(event, expected_seq, expected_prev)
        expected_seq, expected_prev = event.seq + 1, event.hash
    if expected_seq - 1 != head.last_seq or (head.last_seq and expected_prev != head.last_hash):
        raise ChainBroken(expected_seq, "rows at the end of the chain are missing (deleted)")
    return head.last_seq - head.pruned_through_seq


def _check_prune_anchor(head) -> None:
    """The anchor left by pruning must match the newest ``audit.pruned`` event, which the chain protects."""
    if not head.pruned_through_seq:
        return
    prunes = AuditEvent.objects.filter(event_code=events.AUDIT_PRUNED, success=True)
    last_prune = prunes.order_by("-seq").first()
    recorded = (last_prune.after or {}) if last_prune else {}
    if (recorded.get("through_seq"), recorded.get("anchor_hash")) != (
        head.pruned_through_seq, head.pruned_anchor_hash,
    ):
        first_kept = (recorded.get("through_seq") or 0) + 1
        raise ChainBroken(first_kept, "rows at the start of the chain are missing (prune anchor altered)")


def _check_nothing_beyond_head() -> None:
    current_last = Subquery(AuditChainHead.objects.filter(id=1).values("last_seq")[:1])
    intruder = AuditEvent.objects.filter(seq__gt=current_last).order_by("seq").values_list("seq", flat=True)
    if (seq := intruder.first()) is not None:
        raise ChainBroken(seq, "row beyond the chain head (inserted)")


def verify_chain(chunk_size: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first row that is altered, missing or out of place."""
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        first = AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first()
        if first is not None:
            return VerifyResult(False, 0, 0, "", first, "chain head is missing")
        return VerifyResult(True, 0, 0, "")
    try:
        checked = _walk(head, chunk_size)
        _check_prune_anchor(head)
        _check_nothing_beyond_head()
    except ChainBroken as broken:
        return VerifyResult(False, 0, head.last_seq, head.last_hash, broken.seq, broken.reason)
    return VerifyResult(True, checked, head.last_seq, head.last_hash)


def check_recorded_head(seq: int, recorded_hash: str) -> tuple[bool, str]:
    """Compare a head (seq, hash) written down earlier outside the database with the chain now.

    A chain rewritten from some row onwards (every hash recomputed) still
    verifies on its own; only a hash kept elsewhere reveals it.
    """
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None or seq > head.last_seq:
        return False, f"the chain now ends before seq {seq}: rows at the end were removed"
    if seq < head.pruned_through_seq:
        return True, f"seq {seq} has been pruned legitimately; it can no longer be compared"
    current = head.pruned_anchor_hash if seq == head.pruned_through_seq else (
        AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
    )
    if current != recorded_hash:
        rewritten = f"seq {seq} now has hash {current or '-'}, not the recorded {recorded_hash}"
        return False, f"{rewritten}: the chain was rewritten"
    return True, f"seq {seq} still has the recorded hash"
