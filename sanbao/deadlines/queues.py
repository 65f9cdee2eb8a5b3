"""即将超期 / 已超期 queues and counters, driven by the stored colour, status and due date.

Every function is a plain indexed filter (no date arithmetic per row on page
load); the sweep keeps ``colour`` and ``status`` current. The matters app's
lists and queues call these with their own (already scoped) querysets::

    from sanbao.deadlines import queues
    queues.overdue(Matter.objects.visible_to(user))
"""

from django.db.models import OuterRef, Subquery

from sanbao.deadlines.choices import OPEN_STATUSES, Colour, DeadlineStatus
from sanbao.deadlines.models import Deadline


def due_soon_deadlines(queryset=None):
    """Running clocks that turned yellow, soonest first."""
    queryset = Deadline.objects.all() if queryset is None else queryset
    return queryset.filter(status=DeadlineStatus.RUNNING, colour=Colour.YELLOW).order_by("due_date", "id")


def overdue_deadlines(queryset=None):
    """Clocks past their due date and not yet stopped, longest overdue first."""
    queryset = Deadline.objects.all() if queryset is None else queryset
    return queryset.filter(status=DeadlineStatus.OVERDUE).order_by("due_date", "id")


def due_soon(matters):
    """Matters of ``matters`` with a step due soon (即将超期)."""
    return matters.filter(pk__in=due_soon_deadlines().order_by().values("matter_id"))


def overdue(matters):
    """Matters of ``matters`` with an overdue step (已超期)."""
    return matters.filter(pk__in=overdue_deadlines().order_by().values("matter_id"))


def counts(matters) -> dict[str, int]:
    """``{"due_soon": n, "overdue": n}`` for the queue badges."""
    return {"due_soon": due_soon(matters).count(), "overdue": overdue(matters).count()}


def with_next_due(matters):
    """Annotate ``next_due_date`` and ``next_due_colour``: the open clock of each matter due first."""
    first = Deadline.objects.filter(matter=OuterRef("pk"), status__in=OPEN_STATUSES)
    first = first.order_by("due_date", "id")
    return matters.annotate(
        next_due_date=Subquery(first.values("due_date")[:1]),
        next_due_colour=Subquery(first.values("colour")[:1]),
    )
