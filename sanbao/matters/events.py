"""Audit codes of the matters app: one per verb (reveals of personal data use the audit app's code)."""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register

REGISTERED = "matters.registered"
UPDATED = "matters.updated"
ACCEPTED = "matters.accepted"
REFUSED = "matters.refused"
ASSIGNED = "matters.assigned"
SIGNED = "matters.signed"
SENT_BACK = "matters.sent_back"
REASSIGNED = "matters.reassigned"
TRANSFERRED = "matters.transferred"
CONSULTED = "matters.consulted"
NOTE_ADDED = "matters.note_added"
EXTENSION_REQUESTED = "matters.extension_requested"
EXTENSION_DECIDED = "matters.extension_decided"
FEEDBACK_SUBMITTED = "matters.feedback_submitted"
REVIEWED = "matters.reviewed"
FOLLOWED_UP = "matters.followed_up"
CLOSED = "matters.closed"
REOPENED = "matters.reopened"
REVIEW_REQUESTED = "matters.review_requested"
LEGAL_CHANNEL = "matters.legal_channel"
SUPERVISED = "matters.supervised"
INSTRUCTED = "matters.instructed"
TAKEN_CHARGE = "matters.taken_charge"
PARTY_ADDED = "matters.party_added"
PARTY_LOOKUP = "matters.party_lookup"
ATTACHMENT_ADDED = "matters.attachment_added"
CATEGORY_SCHEME_PUBLISHED = "matters.category_scheme_published"

register(
    {
        REGISTERED: _("Matter registered"),
        UPDATED: _("Matter details changed"),
        ACCEPTED: _("Matter accepted"),
        REFUSED: _("Matter not accepted"),
        ASSIGNED: _("Matter assigned"),
        SIGNED: _("Assignment signed for"),
        SENT_BACK: _("Assignment sent back"),
        REASSIGNED: _("Matter reassigned"),
        TRANSFERRED: _("Matter transferred to another centre"),
        CONSULTED: _("Joint consultation held"),
        NOTE_ADDED: _("Progress note added"),
        EXTENSION_REQUESTED: _("Extension requested"),
        EXTENSION_DECIDED: _("Extension decided"),
        FEEDBACK_SUBMITTED: _("Feedback submitted"),
        REVIEWED: _("Feedback reviewed"),
        FOLLOWED_UP: _("Follow-up visit recorded"),
        CLOSED: _("Matter closed"),
        REOPENED: _("Matter reopened for re-handling"),
        REVIEW_REQUESTED: _("Re-examination or second review requested"),
        LEGAL_CHANNEL: _("Matter moved to legal procedure"),
        SUPERVISED: _("Supervision notice issued"),
        INSTRUCTED: _("Leader instruction given"),
        TAKEN_CHARGE: _("Leader took charge"),
        PARTY_ADDED: _("Party added"),
        PARTY_LOOKUP: _("Parties looked up by ID number or phone"),
        ATTACHMENT_ADDED: _("Attachment added"),
        CATEGORY_SCHEME_PUBLISHED: _("Category dictionary published"),
    }
)
