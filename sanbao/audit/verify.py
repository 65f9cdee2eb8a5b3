"""Verification of the audit hash chain."""

from dataclasses import dataclass

from sanbao.audit.chain import GENESIS, hash_matches
from sanbao.audit.models import AuditChainHead, AuditEvent


@dataclass
class VerifyResult:
    ok: bool
    checked: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""


def verify_chain(chunk_size: int = 5000) -> VerifyResult:
    """Walk the chain in order; report the first row that is altered, missing or out of place."""
    head = AuditChainHead.objects.filter(id=1).first()
    if head is None:
        count = AuditEvent.objects.count()
        if count:
            return VerifyResult(False, 0, "", 1, "chain head is missing")
        return VerifyResult(True, 0, "")
    expected_seq = head.pruned_through_seq + 1
    expected_prev = head.pruned_anchor_hash or GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return VerifyResult(False, checked, head.last_hash, expected_seq, "row is missing")
        if event.prev_hash != expected_prev:
            return VerifyResult(False, checked, head.last_hash, event.seq, "link to the previous row is broken")
        if not hash_matches(event):
            return VerifyResult(False, checked, head.last_hash, event.seq, "row content was altered")
        checked += 1
        expected_seq, expected_prev = event.seq + 1, event.hash
    if expected_seq - 1 != head.last_seq or (head.last_seq and expected_prev != head.last_hash):
        return VerifyResult(False, checked, head.last_hash, expected_seq, "rows at the end of the chain are missing")
    return VerifyResult(True, checked, head.last_hash)
