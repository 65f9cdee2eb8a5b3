"""Verbs of the matters app: the only code that changes matters. Views, the API, commands and jobs call these.

Each verb takes a keyword-only ``actor``, runs in one transaction, locks the
matter row, checks the workflow and ``policy``, writes, records a timeline
row (``MatterEvent``) and one audit event, and raises ``DomainError``
subclasses when it refuses (nothing is written then).
"""

from sanbao.matters.actions.assignment import (
    assign_matter,
    reassign_matter,
    send_back_assignment,
    sign_assignment,
    transfer_matter,
)
from sanbao.matters.actions.categories import publish_category_scheme
from sanbao.matters.actions.closing import (
    close_matter,
    move_to_legal_channel,
    record_follow_up,
    reopen_matter,
    request_review,
)
from sanbao.matters.actions.handling import (
    add_note,
    consult_on_matter,
    decide_extension,
    request_extension,
    review_feedback,
    submit_feedback,
)
from sanbao.matters.actions.intake import accept_matter, refuse_matter, register_matter, update_matter
from sanbao.matters.actions.oversight import instruct_on_matter, supervise_matter, take_charge
from sanbao.matters.actions.parties import add_attachments, add_party, lookup_parties, reveal_party

__all__ = [
    "accept_matter",
    "add_attachments",
    "add_note",
    "add_party",
    "assign_matter",
    "close_matter",
    "consult_on_matter",
    "decide_extension",
    "instruct_on_matter",
    "lookup_parties",
    "move_to_legal_channel",
    "publish_category_scheme",
    "reassign_matter",
    "record_follow_up",
    "refuse_matter",
    "register_matter",
    "reopen_matter",
    "request_extension",
    "request_review",
    "reveal_party",
    "review_feedback",
    "send_back_assignment",
    "sign_assignment",
    "submit_feedback",
    "supervise_matter",
    "take_charge",
    "transfer_matter",
    "update_matter",
]
