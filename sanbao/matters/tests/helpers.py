"""Assertions shared by the matters tests."""

from sanbao.audit.models import AuditEvent


def last_seq() -> int:
    last = AuditEvent.objects.order_by("-seq").first()
    return last.seq if last else 0


# The rows a matters verb writes itself; other apps' rows written through the
# clock seam (deadlines.*) are theirs to assert.
OWN_PREFIXES = ("matters.", "auth.", "privacy.")


def audit_since(seq: int) -> list[AuditEvent]:
    rows = AuditEvent.objects.filter(seq__gt=seq).order_by("seq")
    return [row for row in rows if row.event_code.startswith(OWN_PREFIXES)]


def audit_codes_since(seq: int) -> list[str]:
    return [row.event_code for row in audit_since(seq)]
