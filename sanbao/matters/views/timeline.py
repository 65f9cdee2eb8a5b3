"""The timeline of a matter as the page shows it: each event with actor, unit, time and what changed.

Events store machine values (verb, step keys, choice keys, ids); labels are
rendered here in the reader's language (STYLE §13). Personal data is never
in an event, so nothing here needs masking.
"""

from django.utils.translation import gettext_lazy as _

from sanbao.matters.choices import (
    FeedbackStage,
    FollowUpMethod,
    LegalRoute,
    MatterKind,
    PetitionOpinion,
    ReviewDecision,
    ReviewOpinion,
    ReviewStage,
    RiskLevel,
    Satisfaction,
    SourceChannel,
    Verb,
)

# Detail keys shown on the timeline, in this order, with their label and (optionally) their choices.
DETAILS = (
    ("lead_unit", _("Lead unit"), None),
    ("co_units", _("Co-units"), None),
    ("unit", _("Unit"), None),
    ("to_centre", _("To the centre"), None),
    ("reviewing_unit", _("Reviewing organ"), None),
    ("decision", _("Decision"), ReviewDecision),
    ("method", _("Method"), FollowUpMethod),
    ("satisfaction", _("Satisfaction"), Satisfaction),
    ("opinion", _("Opinion"), None),
    ("route", _("Legal procedure"), LegalRoute),
    ("body", _("Sent to"), None),
    ("stage", _("Stage"), None),
    ("days", _("Days"), None),
    ("status", _("Status"), None),
    ("due_date", _("New deadline"), None),
    ("kind", _("Kind"), MatterKind),
    ("risk_level", _("Risk level"), RiskLevel),
    ("source_channel", _("Source channel"), SourceChannel),
    ("parties", _("Parties"), None),
    ("attachments", _("Attachments"), None),
    ("instructions", _("Instructions"), None),
    ("summary", _("Summary"), None),
    ("participants", _("Participants"), None),
    ("result", _("Result"), None),
    ("reason", _("Reason"), None),
    ("comment", _("Comment"), None),
    ("notice", _("Notice"), None),
    ("text", _("Text"), None),
)
# Keys shared by two choice sets (a feedback stage or a review stage; a petition or a review opinion).
SHARED_LABELS = {
    "opinion": {**dict(PetitionOpinion.choices), **dict(ReviewOpinion.choices)},
    "stage": {**dict(FeedbackStage.choices), **dict(ReviewStage.choices)},
}


def _display(key: str, value, choices) -> str:
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    if key in SHARED_LABELS:
        return str(SHARED_LABELS[key].get(value, value))
    if choices is not None and value in choices.values:
        return str(choices(value).label)
    return str(value)


def details(data: dict) -> list[tuple[str, str]]:
    """(label, value) pairs of an event's inputs worth showing."""
    shown = []
    for key, label, choices in DETAILS:
        value = data.get(key)
        if value in (None, "", [], {}, 0):
            continue
        if key == "attachments" and isinstance(value, list):
            value = len(value)
        shown.append((str(label), _display(key, value, choices)))
    return shown


def _verb_label(workflow, event) -> str:
    """The name the kind's workflow gives the operation at the step it was taken from."""
    if event.from_state and workflow.find(event.verb, event.from_state) is not None:
        return workflow.verb_label(event.verb, event.from_state)
    return str(Verb(event.verb).label) if event.verb in Verb.values else event.verb


def timeline_rows(matter, events) -> list[dict]:
    """Each event of ``matter`` with its labels, oldest first."""
    workflow = matter.workflow
    rows = []
    for event in events:
        moved = event.from_state and event.to_state and event.from_state != event.to_state
        rows.append(
            {
                "event": event,
                "verb": _verb_label(workflow, event),
                "from_state": workflow.state_label(event.from_state) if moved else "",
                "to_state": workflow.state_label(event.to_state) if event.to_state else "",
                "moved": moved,
                "details": details(event.data or {}),
                "note": event.note.text if event.note_id else "",
            }
        )
    return rows
