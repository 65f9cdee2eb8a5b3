"""The operations a matter page offers: for each verb, its form and the verb call.

Views stay thin: they pick the spec for the verb, bind its form, and call
``perform`` with the cleaned data. Every rule (workflow step, who may, what
is valid) is the verb's and the policy's; this table only connects them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from sanbao.matters import actions, forms
from sanbao.matters.choices import Verb


@dataclass(frozen=True)
class Operation:
    """A verb as the matter page offers it: form class, the call, and how prominent its button is."""

    verb: str
    form: type[forms.ActionForm]
    perform: Callable
    style: str = "outline-primary"
    icon: str = ""


def _version(data: dict) -> int | None:
    return data.get("version")


def _accept(matter, user, data):
    return actions.accept_matter(matter, actor=user, comment=data["comment"], expected_version=_version(data))


def _refuse(matter, user, data):
    return actions.refuse_matter(matter, actor=user, reason=data["reason"], expected_version=_version(data))


def _assign(matter, user, data):
    return actions.assign_matter(
        matter,
        actor=user,
        lead_unit=data["lead_unit"],
        co_units=list(data["co_units"]),
        instructions=data["instructions"],
        expected_version=_version(data),
    )


def _reassign(matter, user, data):
    return actions.reassign_matter(
        matter,
        actor=user,
        lead_unit=data["lead_unit"],
        co_units=list(data["co_units"]),
        instructions=data["instructions"],
        reason=data["reason"],
        expected_version=_version(data),
    )


def _sign(matter, user, data):
    return actions.sign_assignment(matter, actor=user, expected_version=_version(data))


def _send_back(matter, user, data):
    return actions.send_back_assignment(
        matter, actor=user, reason=data["reason"], expected_version=_version(data)
    )


def _transfer(matter, user, data):
    return actions.transfer_matter(
        matter, actor=user, area=data["area"], reason=data["reason"], expected_version=_version(data)
    )


def _consult(matter, user, data):
    return actions.consult_on_matter(
        matter,
        actor=user,
        summary=data["summary"],
        participants=data["participants"],
        expected_version=_version(data),
    )


def _feedback(matter, user, data):
    return actions.submit_feedback(
        matter,
        actor=user,
        result=data["result"],
        opinion=data.get("opinion", ""),
        is_resolved=data["is_resolved"],
        attachments=data["attachments"],
        expected_version=_version(data),
    )


def _review(matter, user, data):
    return actions.review_feedback(
        matter,
        actor=user,
        decision=data["decision"],
        comment=data["comment"],
        expected_version=_version(data),
    )


def _follow_up(matter, user, data):
    return actions.record_follow_up(
        matter,
        actor=user,
        method=data["method"],
        satisfaction=data["satisfaction"],
        comment=data["comment"],
        expected_version=_version(data),
    )


def _close(matter, user, data):
    return actions.close_matter(matter, actor=user, reason=data["reason"], expected_version=_version(data))


def _reopen(matter, user, data):
    return actions.reopen_matter(matter, actor=user, reason=data["reason"], expected_version=_version(data))


def _request_review(matter, user, data):
    return actions.request_review(
        matter,
        actor=user,
        reason=data["reason"],
        reviewing_unit=data["reviewing_unit"],
        requested_on=data["requested_on"],
        expected_version=_version(data),
    )


def _legal_channel(matter, user, data):
    return actions.move_to_legal_channel(
        matter,
        actor=user,
        route=data["route"],
        body=data["body"],
        comment=data["comment"],
        expected_version=_version(data),
    )


def _note(matter, user, data):
    return actions.add_note(matter, actor=user, text=data["text"])


def _extension_request(matter, user, data):
    return actions.request_extension(matter, actor=user, days=data["days"], reason=data["reason"])


def _extension_decide(matter, user, data):
    return actions.decide_extension(matter, actor=user, approve=data["approve"], comment=data["comment"])


def _supervise(matter, user, data):
    return actions.supervise_matter(matter, actor=user, notice=data["notice"], due_date=data["due_date"])


def _instruct(matter, user, data):
    return actions.instruct_on_matter(matter, actor=user, text=data["text"])


def _take_charge(matter, user, data):
    return actions.take_charge(matter, actor=user, text=data["text"])


OPERATIONS: dict[str, Operation] = {
    operation.verb: operation
    for operation in (
        Operation(Verb.ACCEPT, forms.AcceptForm, _accept, "primary", "check2-circle"),
        Operation(Verb.ASSIGN, forms.AssignForm, _assign, "primary", "send"),
        Operation(Verb.SIGN, forms.ConfirmForm, _sign, "primary", "pen"),
        Operation(Verb.CONSULT, forms.ConsultForm, _consult, "primary", "people"),
        Operation(Verb.FEEDBACK, forms.FeedbackForm, _feedback, "primary", "reply"),
        Operation(Verb.REVIEW, forms.ReviewForm, _review, "primary", "clipboard-check"),
        Operation(Verb.FOLLOW_UP, forms.FollowUpForm, _follow_up, "primary", "telephone"),
        Operation(
            Verb.REQUEST_REVIEW, forms.RequestReviewForm, _request_review, "outline-primary", "arrow-repeat"
        ),
        Operation(Verb.REASSIGN, forms.ReassignForm, _reassign, "outline-primary", "shuffle"),
        Operation(Verb.CLOSE, forms.ReasonForm, _close, "outline-success", "check2-all"),
        Operation(Verb.REOPEN, forms.ReasonForm, _reopen, "outline-warning", "arrow-counterclockwise"),
        Operation(Verb.SEND_BACK, forms.ReasonForm, _send_back, "outline-danger", "arrow-return-left"),
        Operation(Verb.REFUSE, forms.ReasonForm, _refuse, "outline-danger", "x-circle"),
        Operation(Verb.TRANSFER, forms.TransferForm, _transfer, "outline-secondary", "box-arrow-right"),
        Operation(Verb.LEGAL_CHANNEL, forms.LegalChannelForm, _legal_channel, "outline-secondary", "bank"),
        Operation(Verb.NOTE, forms.NoteForm, _note, "outline-secondary", "journal-plus"),
        Operation(
            Verb.EXTENSION_REQUEST,
            forms.ExtensionRequestForm,
            _extension_request,
            "outline-secondary",
            "hourglass-split",
        ),
        Operation(
            Verb.EXTENSION_DECIDE,
            forms.ExtensionDecideForm,
            _extension_decide,
            "outline-secondary",
            "hourglass",
        ),
        Operation(Verb.SUPERVISE, forms.SuperviseForm, _supervise, "outline-danger", "megaphone"),
        Operation(Verb.INSTRUCT, forms.InstructForm, _instruct, "outline-secondary", "pencil-square"),
        Operation(Verb.TAKE_CHARGE, forms.TakeChargeForm, _take_charge, "outline-secondary", "person-check"),
    )
}


def label_for(matter, verb: str) -> str:
    """The operation's name at the matter's current step (a workflow may name a verb its own way)."""
    if verb in matter.workflow.verbs_from(matter.state):
        return matter.workflow.verb_label(verb, matter.state)
    return str(Verb(verb).label)
