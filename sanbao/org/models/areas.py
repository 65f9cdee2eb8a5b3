from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanbao.org.choices import CODE_LENGTH, PREFIX_LENGTH, AreaLevel
from sanbao.org.jurisdiction import JurisdictionQuerySet


class AreaQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "code"

    def current(self):
        return self.filter(valid_to__isnull=True)


class Area(models.Model):
    """A node of the division tree 省→市→县→乡镇→村(社区)→网格.

    Keyed by the 12-digit statistical division code (15 digits for grids,
    numbered under their village). Codes change yearly, so an area is
    effective-dated: a retired code keeps its row with ``valid_to`` set, and at
    most one current row exists per code.
    """

    code = models.CharField(_("division code"), max_length=15, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=AreaLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    urban_rural_class = models.CharField(_("urban-rural class"), max_length=3, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=Q(valid_to__isnull=True), name="area_current_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def prefix(self) -> str:
        """The significant leading digits: every descendant's code starts with them."""
        return self.code[: PREFIX_LENGTH[self.level]]

    @staticmethod
    def expected_code_length(level: str) -> int:
        return CODE_LENGTH[AreaLevel(level)]
