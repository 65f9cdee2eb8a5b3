"""Work queues (待签收, 待办理, 待审核, 待回访): what waits for this user now.

Each queue is a filter over the matters the user can see. The steps that
define "waiting for a director" or "waiting for a follow-up visit" come from
the workflow data (the steps from which those operations start), so a new
step in a workflow lands in the right queue without touching this module.
The 即将超期 / 已超期 queues are the deadlines app's (``sanbao.deadlines.queues``,
driven by stored due dates) and appear when that app is installed.
"""

from dataclasses import dataclass
from functools import reduce

from django.apps import apps
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from sanbao.matters.choices import AssignmentStatus, MatterState, MatterStatus, Verb
from sanbao.matters.models import Assignment, Matter
from sanbao.matters.workflows import WORKFLOWS
from sanbao.org.choices import Role
from sanbao.org.jurisdiction import code_within

HANDLING_ROLES = frozenset({Role.HANDLER, Role.MEDIATOR})


def steps_starting(*verbs: str) -> Q:
    """Matters at a step from which one of ``verbs`` starts in their kind's workflow."""
    parts = []
    for kind, workflow in WORKFLOWS.items():
        states = sorted({state for t in workflow.transitions if t.verb in verbs for state in t.sources})
        if states:
            parts.append(Q(kind=kind, state__in=states))
    return reduce(lambda left, right: left | right, parts, Q(pk__in=[]))


def _in_area(user) -> Q:
    return code_within("area_code", user.jurisdiction_prefix)


def _unit_assignment(user, status: str) -> Q:
    held = Assignment.objects.filter(matter=OuterRef("pk"), unit_id=user.unit_id, status=status)
    return Q(Exists(held))


def _to_sign(user) -> Q:
    return _unit_assignment(user, AssignmentStatus.PENDING)


def _to_handle(user) -> Q:
    query = Q(pk__in=[])
    if user.roles & HANDLING_ROLES:
        query |= _unit_assignment(user, AssignmentStatus.SIGNED) & Q(state=MatterState.HANDLING)
    if user.has_role(Role.DIRECTOR):
        query |= _in_area(user) & (steps_starting(Verb.ASSIGN, Verb.CONSULT) | Q(state=MatterState.SENT_BACK))
    if user.has_role(Role.CLERK):
        query |= _in_area(user) & steps_starting(Verb.ACCEPT, Verb.REFUSE)
    return query


def _to_review(user) -> Q:
    return _in_area(user) & steps_starting(Verb.REVIEW)


def _to_follow_up(user) -> Q:
    return _in_area(user) & steps_starting(Verb.FOLLOW_UP)


@dataclass(frozen=True)
class Queue:
    """A named queue: who sees it and how it narrows the open matters the user can see.

    ``condition(user)`` returns a Q object; ``narrow(matters)`` (used instead
    when given) takes the scoped queryset and returns the queue's part of it.
    """

    name: str
    label: str
    roles: frozenset[str]
    condition: object = None
    icon: str = ""
    narrow: object = None

    def matters(self, user):
        matters = Matter.objects.visible_to(user).filter(status=MatterStatus.OPEN)
        if self.narrow is not None:
            return self.narrow(matters)
        return matters.filter(self.condition(user))


QUEUES = (
    Queue("to-sign", _("To sign for"), HANDLING_ROLES, _to_sign, "pen"),
    Queue("to-handle", _("To handle"), HANDLING_ROLES | {Role.DIRECTOR, Role.CLERK}, _to_handle, "list-task"),
    Queue("to-review", _("To review"), frozenset({Role.DIRECTOR}), _to_review, "clipboard-check"),
    Queue(
        "to-follow-up", _("To follow up"), frozenset({Role.DIRECTOR, Role.CLERK}), _to_follow_up, "telephone"
    ),
)


MATTER_ROLES = HANDLING_ROLES | {Role.DIRECTOR, Role.CLERK, Role.COMMITTEE, Role.LEADER}


def deadline_queues() -> tuple[Queue, ...]:
    """The 即将超期 / 已超期 queues of the deadlines app (stored due dates, indexed), when it is installed."""
    if not apps.is_installed("sanbao.deadlines"):
        return ()
    from sanbao.deadlines import queues

    return (
        Queue("due-soon", _("Due soon"), MATTER_ROLES, icon="hourglass-split", narrow=queues.due_soon),
        Queue("overdue", _("Overdue"), MATTER_ROLES, icon="exclamation-octagon", narrow=queues.overdue),
    )


def queues_for(user) -> list[Queue]:
    return [queue for queue in (*QUEUES, *deadline_queues()) if user.has_role(*queue.roles)]


def queue_named(user, name: str) -> Queue | None:
    return next((queue for queue in queues_for(user) if queue.name == name), None)


def counts_for(user, queues=None) -> list[tuple[Queue, int]]:
    """Each of the user's queues (of ``queues`` when given) with how many matters wait in it.

    One indexed COUNT per queue: queues are small, open-only subsets.
    """
    chosen = queues_for(user) if queues is None else [q for q in queues if user.has_role(*q.roles)]
    return [(queue, queue.matters(user).count()) for queue in chosen]
