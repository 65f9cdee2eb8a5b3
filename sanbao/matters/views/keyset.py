"""Keyset (cursor) pagination for long matter lists.

Offset pagination makes the database count and skip rows; with a million
matters that is slow on every page. Here a page is "the next N rows after
this (sort value, id)", which an index on the sort field answers directly,
and the page shows only "previous / next" — never a total.
"""

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

PAGE_SIZE = 25
# Sort keys offered to users: field name, newest/largest first when prefixed with "-".
SORTS = ("-received_at", "received_at", "-updated_at", "updated_at", "-code", "code")
DEFAULT_SORT = "-received_at"


@dataclass
class KeysetPage:
    """One page of rows with the cursors of its neighbours (None when there is none)."""

    rows: list
    sort: str
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def clean_sort(value: str | None) -> str:
    return value if value in SORTS else DEFAULT_SORT


def encode(row, field: str) -> str:
    value = getattr(row, field)
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, row.pk]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, field: str) -> tuple | None:
    """(value, id) from a cursor, or None when it is missing or was tampered with."""
    if not cursor:
        return None
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if field.endswith("_at"):
            value = datetime.fromisoformat(value)
        return value, int(pk)
    except (ValueError, TypeError):
        return None


def _beyond(field: str, descending: bool, key: tuple) -> Q:
    """Rows strictly after ``key`` in the order (field, id), both descending or both ascending."""
    value, pk = key
    op = "lt" if descending else "gt"
    return Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"pk__{op}": pk})


def paginate(
    queryset, sort: str, after: str | None = None, before: str | None = None, size: int = PAGE_SIZE
) -> KeysetPage:
    """The page after cursor ``after`` (or before ``before``) of ``queryset`` in ``sort`` order."""
    sort = clean_sort(sort)
    field, descending = sort.lstrip("-"), sort.startswith("-")
    order = [sort, "-pk" if descending else "pk"]
    reverse = [f"-{field}" if not descending else field, "pk" if descending else "-pk"]
    before_key = decode(before, field)
    if before_key is not None:
        rows = list(
            queryset.filter(_beyond(field, not descending, before_key)).order_by(*reverse)[: size + 1]
        )
        has_previous, has_next = len(rows) > size, True
        rows = rows[:size][::-1]
    else:
        after_key = decode(after, field)
        if after_key is not None:
            queryset = queryset.filter(_beyond(field, descending, after_key))
        rows = list(queryset.order_by(*order)[: size + 1])
        has_previous, has_next = after_key is not None, len(rows) > size
        rows = rows[:size]
    return KeysetPage(
        rows=rows,
        sort=sort,
        next_cursor=encode(rows[-1], field) if has_next and rows else None,
        previous_cursor=encode(rows[0], field) if has_previous and rows else None,
    )
