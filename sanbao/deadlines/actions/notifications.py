"""Verbs of the in-app inbox.

Marking one's own notifications read changes only the reader's inbox, not
any case record, so it is deliberately not audited (it would only add noise
to the trail); who was notified of what is kept in the rows themselves.
"""

from sanbao.deadlines.models import Notification


def mark_read(*, actor, ids=None) -> int:
    """Mark ``actor``'s notifications read (all unread ones when ``ids`` is None). Returns how many."""
    rows = Notification.objects.for_user(actor).unread()
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    return rows.update(is_read=True)
