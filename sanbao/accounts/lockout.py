"""Lockout state kept by django-axes (5 failures → 30 minutes, by username)."""

from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone


def locked_accounts(usernames) -> dict[str, datetime]:
    """For each locked username among ``usernames``, when its lock ends (one query).

    Mirrors axes: failures newer than the cool-off window are summed, and the
    lock runs for the cool-off time from the latest failure.
    """
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(
        username__in=list(usernames), attempt_time__gte=timezone.now() - cool_off
    )
    totals = (
        recent.values("username")
        .annotate(failures=Sum("failures_since_start"), latest=Max("attempt_time"))
    )
    return {
        row["username"]: row["latest"] + cool_off
        for row in totals
        if row["failures"] >= settings.AXES_FAILURE_LIMIT
    }


def locked_until(username: str) -> datetime | None:
    """When the lock on ``username`` ends, or None if it is not locked."""
    return locked_accounts([username]).get(username)


def clear_failures(username: str) -> int:
    """Forget recorded failures for ``username``; returns how many attempt rows went."""
    count, _details = AccessAttempt.objects.filter(username=username).delete()
    return count
