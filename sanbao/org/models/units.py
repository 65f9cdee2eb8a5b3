from django.db import models
from django.utils.translation import gettext_lazy as _

from sanbao.org.choices import JUDICIAL_UNIT_TYPES, UnitType
from sanbao.org.jurisdiction import JurisdictionQuerySet


class UnitQuerySet(JurisdictionQuerySet):
    jurisdiction_field = "area__code"


class Unit(models.Model):
    """An organisation that registers, handles or oversees matters.

    ``is_judicial`` marks courts and procuratorates, which assessment must not
    put through 行风评议; it follows the unit type unless set explicitly.
    """

    name = models.CharField(_("name"), max_length=100)
    unit_type = models.CharField(_("type"), max_length=32, choices=UnitType.choices)
    is_judicial = models.BooleanField(_("judicial organ"), default=False)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    area = models.ForeignKey("org.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="units")
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["area__code", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="unit_name_unique_in_area")]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def judicial_by_type(unit_type: str) -> bool:
        return unit_type in JUDICIAL_UNIT_TYPES
