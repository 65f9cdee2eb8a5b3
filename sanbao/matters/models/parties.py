import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanbao.core.fields import EncryptedTextField
from sanbao.matters import personal
from sanbao.matters.choices import AttachmentPurpose, IdType, PartyRole, PartyType


class Party(models.Model):
    """A person or organisation in a matter, with a role (申请人/当事人/被申请人/第三人).

    ID number, phone and address are encrypted at rest; the ID number and
    phone also carry a keyed hash (``crypto.lookup_hash`` of the normalised
    value) so "has this person come before" is an exact-match query without
    storing them in clear. Shown masked unless ``policy.can_reveal`` allows,
    and each reveal is audited.
    """

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="parties"
    )
    party_type = models.CharField(
        _("type"), max_length=16, choices=PartyType.choices, default=PartyType.PERSON
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices, default=PartyRole.APPLICANT)
    name = models.CharField(_("name"), max_length=100)
    id_type = models.CharField(_("ID type"), max_length=24, choices=IdType.choices, blank=True)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    address = EncryptedTextField(_("address"), blank=True)
    created_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "id"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        # The duplicate candidates look organisations up by name while a clerk types.
        indexes = [models.Index(fields=["name", "party_type"], name="matters_party_name_type")]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def is_person(self) -> bool:
        return self.party_type == PartyType.PERSON

    @property
    def masked_name(self) -> str:
        # An organisation's name is public; only people's names are masked.
        return personal.mask_name(self.name) if self.is_person else self.name

    @property
    def masked_id_number(self) -> str:
        return personal.mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return personal.mask_phone(self.phone)

    @property
    def masked_address(self) -> str:
        return personal.mask_address(self.address)


def attachment_path(instance: "Attachment", filename: str) -> str:
    """Random names under a date folder: no party names or matter codes in paths on disk."""
    suffix = PurePath(filename).suffix.lower()
    return f"matters/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file on a matter (intake material, feedback evidence), type- and size-checked on upload.

    Written only by ``sanbao.matters.attachments.store_attachment`` via verbs.
    """

    matter = models.ForeignKey(
        "matters.Matter", verbose_name=_("matter"), on_delete=models.CASCADE, related_name="attachments"
    )
    feedback = models.ForeignKey(
        "matters.Feedback",
        verbose_name=_("feedback"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=AttachmentPurpose.choices, default=AttachmentPurpose.INTAKE
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["matter", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name
