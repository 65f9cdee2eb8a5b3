"""Workflows as data: one definition per kind of matter, in one place.

A workflow lists its steps (states, with the label this kind gives them and
the coarse status they belong to) and its transitions: the verb, the steps it
may start from, the step it leads to, the roles that may perform it, the
inputs it requires and the time-limit clock it starts (a rule key the
deadlines app resolves). A transition whose outcome depends on an input
(review: approve or return; follow-up: satisfied or not) names that input in
``outcome_field`` and maps its values to steps in ``outcomes``.

Roles here are necessary, not sufficient: ``sanbao.matters.policy`` adds the
relation checks (the handler's unit holds the lead assignment, the director's
area covers the matter, …).

Verbs call ``workflow_for(kind).transition(verb, state)``; an impossible
transition raises ``InvalidTransition`` naming the current step and the verbs
allowed from it. ``workflow_graph(kind)`` returns nodes and edges for the
diagram on the help page.
"""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import InvalidTransition
from sanbao.matters.choices import (
    MatterKind,
    MatterState,
    MatterStatus,
    ReviewDecision,
    Satisfaction,
    Verb,
)
from sanbao.org.choices import Role

S = MatterState
INTAKE = frozenset({Role.CLERK, Role.DIRECTOR})
DIRECTOR = frozenset({Role.DIRECTOR})
HANDLERS = frozenset({Role.HANDLER, Role.MEDIATOR})
REVIEWING_ORGAN = frozenset({Role.DIRECTOR, Role.COMMITTEE, Role.HANDLER})

# Whose relation to the matter ``policy`` checks, besides the role.
AREA = "area"  # the matter's area lies in the actor's jurisdiction
LEAD_UNIT = "lead_unit"  # the actor's unit holds the lead assignment
REVIEWING_UNIT = "reviewing_unit"  # the actor's unit is the organ named for 复查/复核

_SATISFIED_OUTCOMES = {
    Satisfaction.SATISFIED: S.CLOSED,
    Satisfaction.BASICALLY_SATISFIED: S.CLOSED,
    Satisfaction.DISSATISFIED: S.HANDLING,
}


@dataclass(frozen=True)
class Step:
    """A state of one workflow: its key, the label this kind uses, and its coarse status."""

    key: str
    label: Promise | None = None
    status: str = MatterStatus.OPEN

    @property
    def display(self) -> str:
        return str(self.label or MatterState(self.key).label)


@dataclass(frozen=True)
class Transition:
    """One allowed move: ``verb`` from any of ``sources`` to ``target``.

    ``outcomes`` maps a value of the input named ``outcome_field`` to the
    target instead. ``target_without_lead`` is used when the matter has no
    lead unit to hand it back to (re-handling of a matter settled at the
    centre goes back to the step from which it can be dispatched).
    """

    verb: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    inputs: tuple[str, ...] = ()
    clock: str = ""
    outcome_field: str = ""
    outcomes: dict = field(default_factory=dict)
    target_without_lead: str = ""
    label: Promise | None = None
    performed_by: str = AREA

    @property
    def display(self) -> str:
        return str(self.label or Verb(self.verb).label)

    def target_for(self, inputs: dict | None = None, *, has_lead: bool = True) -> str:
        """The step this transition leads to, given the verb's inputs."""
        if self.outcome_field:
            target = self.outcomes.get((inputs or {}).get(self.outcome_field), self.target)
        else:
            target = self.target
        if target == S.HANDLING and not has_lead and self.target_without_lead:
            return self.target_without_lead
        return target

    def missing_inputs(self, inputs: dict) -> list[str]:
        return [name for name in self.inputs if inputs.get(name) in (None, "", [])]


@dataclass(frozen=True)
class Workflow:
    """The steps and transitions of one kind of matter."""

    kind: str
    register: Transition
    steps: tuple[Step, ...]
    transitions: tuple[Transition, ...]
    dispatch_state: str
    fast_lane: bool = False

    @property
    def initial(self) -> str:
        return self.register.target

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def state_label(self, key: str) -> str:
        try:
            return self.step(key).display
        except KeyError:
            return key

    def status_of(self, key: str) -> str:
        return self.step(key).status

    def open_states(self) -> tuple[str, ...]:
        return tuple(step.key for step in self.steps if step.status == MatterStatus.OPEN)

    def verbs_from(self, state: str) -> list[str]:
        """Transition verbs possible from ``state``, in definition order, without repeats."""
        return list(dict.fromkeys(t.verb for t in self.transitions if state in t.sources))

    def find(self, verb: str, state: str) -> Transition | None:
        return next((t for t in self.transitions if t.verb == verb and state in t.sources), None)

    def transition(self, verb: str, state: str) -> Transition:
        """The transition for ``verb`` from ``state``, or ``InvalidTransition`` naming what is allowed."""
        found = self.find(verb, state)
        if found is not None:
            return found
        allowed = self.verbs_from(state)
        names = "、".join(self.verb_label(name, state) for name in allowed) or gettext("none")
        raise InvalidTransition(
            gettext("“%(verb)s” is not possible at step “%(state)s”. Allowed now: %(allowed)s.")
            % {
                "verb": Verb(verb).label if verb in Verb.values else verb,
                "state": self.state_label(state),
                "allowed": names,
            },
            current_state=state,
            allowed=allowed,
        )

    def verb_label(self, verb: str, state: str | None = None) -> str:
        found = (
            self.find(verb, state) if state else next((t for t in self.transitions if t.verb == verb), None)
        )
        if found is not None:
            return found.display
        return str(Verb(verb).label) if verb in Verb.values else verb

    def clock_keys(self) -> list[str]:
        keys = [self.register.clock, *(t.clock for t in self.transitions)]
        return sorted({key for key in keys if key})


def _dispatch_loop(kind: str, dispatch_from: tuple[str, ...], handling_label=None) -> list[Transition]:
    """交办 → 签收 (or 退单 → 改派) → 办理, shared by every kind."""
    return [
        Transition(Verb.ASSIGN, dispatch_from, S.ASSIGNED, DIRECTOR, ("lead_unit",), clock=f"{kind}.sign"),
        Transition(
            Verb.SIGN,
            (S.ASSIGNED,),
            S.HANDLING,
            HANDLERS,
            clock=f"{kind}.handle",
            label=handling_label,
            performed_by=LEAD_UNIT,
        ),
        Transition(
            Verb.SEND_BACK,
            (S.ASSIGNED,),
            S.SENT_BACK,
            HANDLERS,
            ("reason",),
            clock=f"{kind}.reassign",
            performed_by=LEAD_UNIT,
        ),
        Transition(
            Verb.REASSIGN,
            (S.SENT_BACK, S.ASSIGNED, S.HANDLING),
            S.ASSIGNED,
            DIRECTOR,
            ("lead_unit",),
            clock=f"{kind}.sign",
        ),
    ]


def _review_and_visit(kind: str, approved_to: str = S.FOLLOW_UP) -> list[Transition]:
    """反馈 → 审核 (approve or return) → 回访 (不满意 → 重办) → 结案."""
    return [
        Transition(
            Verb.FEEDBACK,
            (S.HANDLING,),
            S.FEEDBACK,
            HANDLERS,
            ("result",),
            clock=f"{kind}.review",
            performed_by=LEAD_UNIT,
        ),
        Transition(
            Verb.REVIEW,
            (S.FEEDBACK,),
            approved_to,
            DIRECTOR,
            ("decision",),
            clock=f"{kind}.follow_up" if approved_to == S.FOLLOW_UP else "",
            outcome_field="decision",
            outcomes={ReviewDecision.APPROVE: approved_to, ReviewDecision.RETURN: S.HANDLING},
        ),
    ]


def _visit_close_reopen(kind: str, visit_from: str, dispatch_state: str) -> list[Transition]:
    return [
        Transition(
            Verb.FOLLOW_UP,
            (visit_from,),
            S.CLOSED,
            INTAKE,
            ("method", "satisfaction"),
            outcome_field="satisfaction",
            outcomes=_SATISFIED_OUTCOMES,
            target_without_lead=dispatch_state,
        ),
        Transition(Verb.CLOSE, (visit_from,), S.CLOSED, DIRECTOR, ("reason",)),
        Transition(
            Verb.REOPEN, (S.CLOSED,), S.HANDLING, DIRECTOR, ("reason",), target_without_lead=dispatch_state
        ),
    ]


def _transfer(initial: str, steps: tuple[Step, ...]) -> Transition:
    """转办: to another area's centre, from any open step, back to intake there (the code stays)."""
    sources = tuple(step.key for step in steps if step.status == MatterStatus.OPEN)
    return Transition(Verb.TRANSFER, sources, initial, DIRECTOR, ("area", "reason"))


def _workflow(kind, register, steps, transitions, dispatch_state, fast_lane=False) -> Workflow:
    transitions = [*transitions, _transfer(register.target, steps)]
    return Workflow(kind, register, steps, tuple(transitions), dispatch_state, fast_lane)


def _dispute() -> Workflow:
    """登记 → 先行调解 → 分流交办 → 办理 → 反馈 → 回访 → 化解/结案 (DOMAIN.md §3, §8 粤平安)."""
    kind = MatterKind.DISPUTE
    steps = (
        Step(S.REGISTERED),
        Step(S.MEDIATING),
        Step(S.ASSIGNED),
        Step(S.SENT_BACK),
        Step(S.HANDLING),
        Step(S.FEEDBACK),
        Step(S.FOLLOW_UP),
        Step(S.CLOSED, _("Resolved / closed"), MatterStatus.CLOSED),
        Step(S.REFUSED, _("Not accepted for mediation"), MatterStatus.ENDED),
    )
    transitions = [
        Transition(
            Verb.ACCEPT,
            (S.REGISTERED,),
            S.MEDIATING,
            INTAKE,
            clock=f"{kind}.mediate",
            label=_("Start first mediation"),
        ),
        Transition(Verb.REFUSE, (S.REGISTERED,), S.REFUSED, INTAKE, ("reason",)),
        *_dispatch_loop(kind, (S.REGISTERED, S.MEDIATING)),
        # Mediation at the centre succeeded: no unit to review, straight to the follow-up visit.
        Transition(
            Verb.FEEDBACK,
            (S.MEDIATING,),
            S.FOLLOW_UP,
            DIRECTOR,
            ("result",),
            clock=f"{kind}.follow_up",
            label=_("Record mediation result"),
        ),
        *_review_and_visit(kind),
        *_visit_close_reopen(kind, S.FOLLOW_UP, S.MEDIATING),
    ]
    register = Transition(Verb.REGISTER, (), S.REGISTERED, INTAKE, clock=f"{kind}.triage")
    return _workflow(kind, register, steps, transitions, S.MEDIATING)


def _petition() -> Workflow:
    """登记 → 受理/不予受理 → 办理 → 答复 → 复查 → 复核 → 终结 (信访工作条例, DOMAIN.md §2)."""
    kind = MatterKind.PETITION
    steps = (
        Step(S.REGISTERED),
        Step(S.ACCEPTED),
        Step(S.ASSIGNED),
        Step(S.SENT_BACK),
        Step(S.HANDLING),
        Step(S.FEEDBACK, _("Reply awaiting review")),
        Step(S.ANSWERED, _("Answered (opinion issued)")),
        Step(S.REEXAMINING),
        Step(S.REEXAMINED),
        Step(S.RECHECKING),
        Step(S.CLOSED, _("Concluded"), MatterStatus.CLOSED),
        Step(S.TERMINATED, _("Final (终结)"), MatterStatus.CLOSED),
        Step(S.REFUSED, _("Not accepted (notice given)"), MatterStatus.ENDED),
        Step(S.LEGAL_CHANNEL, status=MatterStatus.ENDED),
    )
    transitions = [
        Transition(Verb.ACCEPT, (S.REGISTERED,), S.ACCEPTED, INTAKE, clock=f"{kind}.conclude"),
        Transition(Verb.REFUSE, (S.REGISTERED,), S.REFUSED, INTAKE, ("reason",)),
        Transition(
            Verb.LEGAL_CHANNEL,
            (S.REGISTERED, S.ACCEPTED, S.HANDLING),
            S.LEGAL_CHANNEL,
            INTAKE,
            ("route", "body"),
        ),
        *_dispatch_loop(kind, (S.ACCEPTED,)),
        Transition(
            Verb.FEEDBACK,
            (S.HANDLING,),
            S.FEEDBACK,
            HANDLERS,
            ("result", "opinion"),
            performed_by=LEAD_UNIT,
            clock=f"{kind}.review",
            label=_("Submit reply"),
        ),
        Transition(
            Verb.REVIEW,
            (S.FEEDBACK,),
            S.ANSWERED,
            DIRECTOR,
            ("decision",),
            clock=f"{kind}.review_window",
            outcome_field="decision",
            outcomes={ReviewDecision.APPROVE: S.ANSWERED, ReviewDecision.RETURN: S.HANDLING},
        ),
        Transition(
            Verb.FOLLOW_UP,
            (S.ANSWERED,),
            S.CLOSED,
            INTAKE,
            ("method", "satisfaction"),
            outcome_field="satisfaction",
            outcomes=_SATISFIED_OUTCOMES,
            target_without_lead=S.ACCEPTED,
        ),
        Transition(Verb.CLOSE, (S.ANSWERED, S.REEXAMINED), S.CLOSED, DIRECTOR, ("reason",)),
        Transition(
            Verb.REQUEST_REVIEW,
            (S.ANSWERED,),
            S.REEXAMINING,
            INTAKE,
            ("reason", "reviewing_unit"),
            clock=f"{kind}.reexamine",
            label=_("Register request for re-examination (复查)"),
        ),
        Transition(
            Verb.FEEDBACK,
            (S.REEXAMINING,),
            S.REEXAMINED,
            REVIEWING_ORGAN,
            ("result", "opinion"),
            performed_by=REVIEWING_UNIT,
            clock=f"{kind}.recheck_window",
            label=_("Record re-examination opinion"),
        ),
        Transition(
            Verb.REQUEST_REVIEW,
            (S.REEXAMINED,),
            S.RECHECKING,
            INTAKE,
            ("reason", "reviewing_unit"),
            clock=f"{kind}.recheck",
            label=_("Register request for second review (复核)"),
        ),
        Transition(
            Verb.FEEDBACK,
            (S.RECHECKING,),
            S.TERMINATED,
            REVIEWING_ORGAN,
            ("result", "opinion"),
            performed_by=REVIEWING_UNIT,
            label=_("Record second-review opinion (终结)"),
        ),
        Transition(
            Verb.REOPEN, (S.CLOSED,), S.HANDLING, DIRECTOR, ("reason",), target_without_lead=S.ACCEPTED
        ),
    ]
    register = Transition(Verb.REGISTER, (), S.REGISTERED, INTAKE, clock=f"{kind}.accept")
    return _workflow(kind, register, steps, transitions, S.ACCEPTED)


def _hazard() -> Workflow:
    """调查 → 交办 → 反馈 → 督查 → 化解/销号 (the report's four-step method)."""
    kind = MatterKind.HAZARD
    steps = (
        Step(S.INVESTIGATING),
        Step(S.ASSIGNED, _("Assigned, awaiting signature")),
        Step(S.SENT_BACK),
        Step(S.HANDLING, _("Being defused")),
        Step(S.FEEDBACK, _("Inspection (督查)")),
        Step(S.CLOSED, _("Defused / struck off (销号)"), MatterStatus.CLOSED),
    )
    transitions = [
        *_dispatch_loop(kind, (S.INVESTIGATING,)),
        *_review_and_visit(kind, approved_to=S.CLOSED),
        # Investigation shows the hazard is already defused, or not a hazard: struck off at once.
        Transition(Verb.CLOSE, (S.INVESTIGATING,), S.CLOSED, DIRECTOR, ("reason",), label=_("Strike off")),
        Transition(
            Verb.REOPEN, (S.CLOSED,), S.HANDLING, DIRECTOR, ("reason",), target_without_lead=S.INVESTIGATING
        ),
    ]
    register = Transition(Verb.REGISTER, (), S.INVESTIGATING, INTAKE, clock=f"{kind}.investigate")
    return _workflow(kind, register, steps, transitions, S.INVESTIGATING)


def _incident() -> Workflow:
    """处置 → 会商 → 整改 → 回访 → 结案."""
    kind = MatterKind.INCIDENT
    steps = (
        Step(S.RESPONDING),
        Step(S.CONSULTING),
        Step(S.ASSIGNED, _("Rectification assigned")),
        Step(S.SENT_BACK),
        Step(S.HANDLING, _("Rectifying")),
        Step(S.FEEDBACK, _("Rectification awaiting review")),
        Step(S.FOLLOW_UP),
        Step(S.CLOSED, status=MatterStatus.CLOSED),
    )
    transitions = [
        Transition(
            Verb.CONSULT, (S.RESPONDING,), S.CONSULTING, DIRECTOR, ("summary",), clock=f"{kind}.consult"
        ),
        *_dispatch_loop(kind, (S.CONSULTING,), handling_label=_("Sign and rectify")),
        *_review_and_visit(kind),
        *_visit_close_reopen(kind, S.FOLLOW_UP, S.CONSULTING),
    ]
    register = Transition(Verb.REGISTER, (), S.RESPONDING, INTAKE, clock=f"{kind}.respond")
    return _workflow(kind, register, steps, transitions, S.CONSULTING)


def _enterprise_request() -> Workflow:
    """Fast lane: 登记 → 交办 → 办理 → 反馈 → 回访 → 办结.

    Shorter limits come from the ``enterprise_request.*`` rules of the deadlines app.
    """
    kind = MatterKind.ENTERPRISE_REQUEST
    steps = (
        Step(S.REGISTERED),
        Step(S.ASSIGNED),
        Step(S.SENT_BACK),
        Step(S.HANDLING),
        Step(S.FEEDBACK),
        Step(S.FOLLOW_UP),
        Step(S.CLOSED, status=MatterStatus.CLOSED),
        Step(S.REFUSED, _("Not accepted"), MatterStatus.ENDED),
    )
    transitions = [
        Transition(Verb.REFUSE, (S.REGISTERED,), S.REFUSED, INTAKE, ("reason",)),
        *_dispatch_loop(kind, (S.REGISTERED,)),
        *_review_and_visit(kind),
        *_visit_close_reopen(kind, S.FOLLOW_UP, S.REGISTERED),
    ]
    register = Transition(Verb.REGISTER, (), S.REGISTERED, INTAKE, clock=f"{kind}.assign")
    return _workflow(kind, register, steps, transitions, S.REGISTERED, fast_lane=True)


WORKFLOWS: dict[str, Workflow] = {
    MatterKind.DISPUTE: _dispute(),
    MatterKind.PETITION: _petition(),
    MatterKind.HAZARD: _hazard(),
    MatterKind.INCIDENT: _incident(),
    MatterKind.ENTERPRISE_REQUEST: _enterprise_request(),
}


def workflow_for(kind: str) -> Workflow:
    return WORKFLOWS[kind]


def all_clock_keys() -> list[str]:
    """Every time-limit rule key a transition starts (the deadlines app defines a rule for each)."""
    return sorted({key for workflow in WORKFLOWS.values() for key in workflow.clock_keys()})


def workflow_graph(kind: str) -> dict:
    """Nodes and edges of one workflow for the help-page diagram.

    Each edge is one possible outcome of a transition; ``secondary`` marks
    the side routes (转办, 改派, 退单, 导入法定程序) a diagram may draw lighter.
    """
    workflow = workflow_for(kind)
    nodes = [
        {
            "id": step.key,
            "label": step.display,
            "status": step.status,
            "initial": step.key == workflow.initial,
        }
        for step in workflow.steps
    ]
    edges = []
    secondary = {Verb.TRANSFER, Verb.REASSIGN, Verb.SEND_BACK, Verb.LEGAL_CHANNEL}
    for transition in workflow.transitions:
        outcomes = list(transition.outcomes.items()) or [("", transition.target)]
        for source in transition.sources:
            for outcome, target in outcomes:
                edges.append(
                    {
                        "source": source,
                        "target": target,
                        "verb": transition.verb,
                        "label": transition.display,
                        "outcome": str(outcome),
                        "roles": sorted(transition.roles),
                        "secondary": transition.verb in secondary,
                    }
                )
    return {
        "kind": kind,
        "label": str(MatterKind(kind).label),
        "fast_lane": workflow.fast_lane,
        "nodes": nodes,
        "edges": edges,
    }
