"""Reading the trail: one filter shared by the UI, its CSV export and the CLI, and keyset pages."""

from dataclasses import asdict, dataclass
from datetime import datetime

from sanbao.audit.models import AuditEvent


@dataclass(frozen=True)
class TrailFilter:
    """Conditions on the trail; empty values mean "any". ``until`` is exclusive."""

    since: datetime | None = None
    until: datetime | None = None
    actor_username: str = ""
    event_code: str = ""
    object_type: str = ""
    object_id: str = ""
    success: bool | None = None
    request_id: str = ""

    def apply(self, queryset):
        conditions = {
            "time__gte": self.since,
            "time__lt": self.until,
            "actor_username": self.actor_username,
            "event_code": self.event_code,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "success": self.success,
            "request_id": self.request_id,
        }
        return queryset.filter(**{key: value for key, value in conditions.items() if value not in (None, "")})

    def as_record(self) -> dict:
        """The filter as stored in the audit.viewed / audit.exported event (only what was set)."""
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}

    def events(self):
        return self.apply(AuditEvent.objects.select_related("unit"))


def keyset_page(queryset, *, before_seq: int | None, size: int) -> tuple[list, int | None]:
    """Newest first, ``size`` rows with seq below ``before_seq``; returns the rows and the next cursor.

    One extra row is fetched to know whether a next page exists, so the cost
    per page is constant and the table is never counted.
    """
    if before_seq is not None:
        queryset = queryset.filter(seq__lt=before_seq)
    rows = list(queryset.order_by("-seq")[: size + 1])
    if len(rows) > size:
        return rows[:size], rows[size - 1].seq
    return rows, None
