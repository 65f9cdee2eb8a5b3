"""Choices of the matters app. Machine keys are stored; labels are translated when shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MatterKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    PETITION = "petition", _("Petition")
    HAZARD = "hazard", _("Stability hazard")
    INCIDENT = "incident", _("Group or sudden incident")
    ENTERPRISE_REQUEST = "enterprise_request", _("Enterprise request")


# The letters that open a matter code (一案一码): JF-360921101-2026-000123.
KIND_CODE_LETTERS = {
    MatterKind.DISPUTE: "JF",
    MatterKind.PETITION: "XF",
    MatterKind.HAZARD: "YH",
    MatterKind.INCIDENT: "SJ",
    MatterKind.ENTERPRISE_REQUEST: "QY",
}


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class SourceChannel(models.TextChoices):
    VISIT = "visit", _("Walk-in visit")
    LETTER = "letter", _("Letter")
    PHONE = "phone", _("Phone / 12345 hotline")
    ONLINE = "online", _("Online")
    SCREENING = "screening", _("Found in screening")
    FIELD_VISIT = "field_visit", _("Found on a field visit")
    FROM_ABOVE = "from_above", _("Assigned from above")
    DEPARTMENT = "department", _("Transferred by a department")


class MatterState(models.TextChoices):
    """Every workflow step of every kind. A workflow uses a subset and may relabel a step."""

    REGISTERED = "registered", _("Registered")
    INVESTIGATING = "investigating", _("Investigating")
    RESPONDING = "responding", _("On-site response")
    CONSULTING = "consulting", _("Joint consultation")
    MEDIATING = "mediating", _("First mediation")
    ACCEPTED = "accepted", _("Accepted")
    ASSIGNED = "assigned", _("Awaiting signature")
    SENT_BACK = "sent_back", _("Sent back, awaiting reassignment")
    HANDLING = "handling", _("Being handled")
    FEEDBACK = "feedback", _("Feedback awaiting review")
    ANSWERED = "answered", _("Answered")
    FOLLOW_UP = "follow_up", _("Awaiting follow-up visit")
    REEXAMINING = "reexamining", _("Re-examination (复查)")
    REEXAMINED = "reexamined", _("Re-examined")
    RECHECKING = "rechecking", _("Second review (复核)")
    CLOSED = "closed", _("Closed")
    TERMINATED = "terminated", _("Concluded (终结)")
    REFUSED = "refused", _("Not accepted")
    LEGAL_CHANNEL = "legal_channel", _("Moved to legal procedure")


class MatterStatus(models.TextChoices):
    """The coarse phase a workflow state belongs to (lists and statistics filter on it)."""

    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ENDED = "ended", _("Ended without handling")


class Verb(models.TextChoices):
    """Operations on a matter. Transition verbs move it between states; the others do not."""

    REGISTER = "register", _("Register")
    UPDATE = "update", _("Correct details")
    ADD_PARTY = "add_party", _("Add a party")
    ADD_ATTACHMENTS = "add_attachments", _("Add attachments")
    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Refuse")
    ASSIGN = "assign", _("Assign")
    SIGN = "sign", _("Sign for")
    SEND_BACK = "send_back", _("Send back")
    REASSIGN = "reassign", _("Reassign")
    TRANSFER = "transfer", _("Transfer to another centre")
    CONSULT = "consult", _("Hold a joint consultation")
    FEEDBACK = "feedback", _("Submit feedback")
    REVIEW = "review", _("Review feedback")
    FOLLOW_UP = "follow_up", _("Follow-up visit")
    CLOSE = "close", _("Close")
    REOPEN = "reopen", _("Reopen for re-handling")
    REQUEST_REVIEW = "request_review", _("Request re-examination or second review")
    LEGAL_CHANNEL = "legal_channel", _("Move to legal procedure")
    NOTE = "note", _("Progress note")
    EXTENSION_REQUEST = "extension_request", _("Request an extension")
    EXTENSION_DECIDE = "extension_decide", _("Decide an extension")
    SUPERVISE = "supervise", _("Supervise")
    INSTRUCT = "instruct", _("Leader instruction")
    TAKE_CHARGE = "take_charge", _("Leader takes charge")


class PartyType(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    PARTY = "party", _("Party")
    RESPONDENT = "respondent", _("Respondent")
    THIRD_PARTY = "third_party", _("Third party")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    HK_MACAO_PERMIT = "hk_macao_permit", _("Mainland travel permit for Hong Kong and Macao residents")
    TAIWAN_PERMIT = "taiwan_permit", _("Mainland travel permit for Taiwan residents")
    FOREIGN_RESIDENCE = "foreign_residence", _("Foreigner's permanent residence ID card")
    CREDIT_CODE = "credit_code", _("Unified social credit code")
    OTHER = "other", _("Other")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-unit")
    REVIEW = "review", _("Reviewing organ")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting signature")
    SIGNED = "signed", _("Signed")
    COMPLETED = "completed", _("Completed")
    SENT_BACK = "sent_back", _("Sent back")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A unit holds a matter (sees it, may act on it) while its assignment is in one of these.
ACTIVE_ASSIGNMENT_STATUSES = (AssignmentStatus.PENDING, AssignmentStatus.SIGNED, AssignmentStatus.COMPLETED)


class ReviewDecision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    RETURN = "return", _("Return for rework")


class PetitionOpinion(models.TextChoices):
    """处理意见书: the result of handling a petition (信访工作条例)."""

    SUPPORT = "support", _("Supported")
    EXPLAIN = "explain", _("Explained")
    NOT_SUPPORTED = "not_supported", _("Not supported")


class ReviewOpinion(models.TextChoices):
    """Outcome of a 复查 or 复核 by the higher organ."""

    UPHELD = "upheld", _("Original opinion upheld")
    CHANGED = "changed", _("Original opinion changed")
    REVOKED = "revoked", _("Original opinion revoked")


class ReviewStage(models.TextChoices):
    REEXAMINATION = "reexamination", _("Re-examination (复查)")
    RECHECK = "recheck", _("Second review (复核)")


class FeedbackStage(models.TextChoices):
    HANDLING = "handling", _("Handling")
    REEXAMINATION = "reexamination", _("Re-examination (复查)")
    RECHECK = "recheck", _("Second review (复核)")


class FollowUpMethod(models.TextChoices):
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("Home visit")
    SMS = "sms", _("Text message")
    ONLINE = "online", _("Online")
    MEETING = "meeting", _("Meeting at the centre")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    DISSATISFIED = "dissatisfied", _("Dissatisfied")


class LegalRoute(models.TextChoices):
    LITIGATION = "litigation", _("Litigation")
    ARBITRATION = "arbitration", _("Arbitration")
    ADMINISTRATIVE_REVIEW = "administrative_review", _("Administrative reconsideration")
    LABOUR_ARBITRATION = "labour_arbitration", _("Labour dispute arbitration")
    OTHER = "other", _("Other legal procedure")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    DENIED = "denied", _("Denied")


class InstructionKind(models.TextChoices):
    INSTRUCTION = "instruction", _("Written instruction (批示)")
    TAKE_CHARGE = "take_charge", _("Takes charge (包案)")


class AttachmentPurpose(models.TextChoices):
    INTAKE = "intake", _("Intake material")
    FEEDBACK = "feedback", _("Feedback material")
    OTHER = "other", _("Other")


# Roles that see matters by area (the matter's area lies in their unit's subtree).
AREA_SCOPE_ROLES = frozenset({"clerk", "director", "committee", "leader"})
# Roles that see matters by assignment (a unit of theirs holds an active assignment).
UNIT_SCOPE_ROLES = frozenset({"handler", "mediator"})
