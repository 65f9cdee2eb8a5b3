"""Verbs on parties and attachments: add, reveal (audited), look up by ID number or phone."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event, record_personal_data_view
from sanbao.core.crypto import lookup_hash
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.matters import events, personal, policy
from sanbao.matters.actions.common import audit_denials, check_choice, lock_matter, record
from sanbao.matters.attachments import CheckedFile, check_files
from sanbao.matters.choices import AttachmentPurpose, IdType, PartyRole, PartyType, Verb
from sanbao.matters.models import Attachment, Matter, Party
from sanbao.matters.models.matters import party_names

REVEALABLE_FIELDS = ("name", "id_number", "phone", "address")


def build_party(data: dict, field_prefix: str = "") -> Party:
    """Validate one party's input (a dict) and return an unsaved ``Party`` with its lookup hashes.

    Errors name the field with ``field_prefix`` (e.g. ``parties[0].id_number``).
    """
    party_type = check_choice(
        data.get("party_type") or PartyType.PERSON, PartyType, f"{field_prefix}party_type"
    )
    role = check_choice(data.get("role") or PartyRole.APPLICANT, PartyRole, f"{field_prefix}role")
    name = (data.get("name") or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(
            _("Enter the party's name (at most 100 characters)."),
            code="required",
            field=f"{field_prefix}name",
        )
    party = Party(
        party_type=party_type, role=role, name=name, address=(data.get("address") or "").strip()[:200]
    )
    _set_id_number(party, data, field_prefix)
    if data.get("phone"):
        party.phone = personal.validate_phone(data["phone"], f"{field_prefix}phone")
        party.phone_hash = lookup_hash(party.phone)
    return party


def _set_id_number(party: Party, data: dict, field_prefix: str) -> None:
    if not data.get("id_number"):
        return
    default_type = IdType.RESIDENT_ID if party.is_person else IdType.CREDIT_CODE
    party.id_type = check_choice(data.get("id_type") or default_type, IdType, f"{field_prefix}id_type")
    party.id_number = personal.validate_id_number(
        party.id_type, data["id_number"], f"{field_prefix}id_number"
    )
    party.id_number_hash = lookup_hash(party.id_number)


def build_parties(rows) -> list[Party]:
    return [build_party(row, f"parties[{index}].") for index, row in enumerate(rows or [])]


def store_attachments(matter: Matter, checked: list[CheckedFile], *, actor, purpose: str, feedback=None):
    """Save already-checked files as attachments of ``matter`` (called inside a verb's transaction)."""
    saved = []
    for item in checked:
        attachment = Attachment(
            matter=matter,
            feedback=feedback,
            purpose=purpose,
            original_name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            uploaded_by=actor,
        )
        attachment.file.save(item.name, item.file, save=False)
        attachment.save()
        saved.append(attachment)
    return saved


@audit_denials
def add_party(matter: Matter, *, actor, data: dict, expected_version: int | None = None) -> Party:
    """Add a party to an open matter (clerks and directors of its area); audited without the values."""
    party = build_party(data)
    with transaction.atomic():
        locked = lock_matter(matter, expected_version)
        if not policy.may_edit(actor, locked):
            raise PermissionDenied(_("You may not change this matter's parties."), code="not_allowed")
        party.matter = locked
        party.save()
        record(
            locked,
            Verb.ADD_PARTY,
            actor=actor,
            audit_code=events.PARTY_ADDED,
            data={"party_id": party.pk, "role": party.role, "party_type": party.party_type},
        )
    return party


@audit_denials
def add_attachments(
    matter: Matter, *, actor, files, purpose: str = AttachmentPurpose.OTHER
) -> list[Attachment]:
    """Attach checked files to a matter: anyone who may write a progress note on it."""
    checked = check_files(files)
    check_choice(purpose, AttachmentPurpose, "purpose")
    if not checked:
        raise ValidationFailed(_("Choose at least one file."), code="required", field="attachments")
    with transaction.atomic():
        locked = lock_matter(matter)
        policy.check_act(actor, locked, Verb.NOTE)
        saved = store_attachments(locked, checked, actor=actor, purpose=purpose)
        record(
            locked,
            Verb.ADD_ATTACHMENTS,
            actor=actor,
            audit_code=events.ATTACHMENT_ADDED,
            data={
                "attachments": [attachment.pk for attachment in saved],
                "files": [a.original_name for a in saved],
            },
        )
    return saved


@audit_denials
def reveal_party(party: Party, *, actor, fields=REVEALABLE_FIELDS) -> dict:
    """Return ``fields`` of ``party`` unmasked, recording the reveal in the audit trail.

    Only users who handle the matter (``policy.can_reveal``) may reveal; the
    caller has already loaded the matter through ``access_matter``.
    """
    fields = [name for name in fields if name in REVEALABLE_FIELDS]
    matter = party.matter
    if not policy.can_reveal(actor, matter):
        raise PermissionDenied(
            _("Only those handling this matter may see the parties' details."), code="not_handling"
        )
    with transaction.atomic():
        record_personal_data_view(actor=actor, target=party, fields=fields, area_code=matter.area_code)
    return {name: getattr(party, name) for name in fields}


def lookup_parties(user, *, id_number: str = "", phone: str = ""):
    """Parties with this exact ID number or phone on matters ``user`` may see ("has this person come before").

    The value is normalised and hashed, never stored or logged; the lookup
    itself is audited (by which key, how many found).
    """
    if bool(id_number) == bool(phone):
        raise ValidationFailed(
            _("Give either an ID number or a phone number."), code="required", field="id_number"
        )
    if id_number:
        key, value = "id_number", personal.normalise(id_number)
    else:
        key, value = "phone", personal.validate_phone(phone)
    visible = Matter.objects.visible_to(user)
    parties = (
        Party.objects.filter(**{f"{key}_hash": lookup_hash(value)}, matter__in=visible)
        .select_related("matter")
        .prefetch_related(party_names("matter__"))
        .order_by("-matter__received_at", "-id")
    )
    found = list(parties[:100])
    with transaction.atomic():
        record_event(events.PARTY_LOOKUP, actor=user, after={"by": key, "found": len(found)})
    return found
