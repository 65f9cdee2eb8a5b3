"""Choices for areas, units and roles. Machine keys are stored; labels are rendered."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / street")
    VILLAGE = "village", _("Village / community")
    GRID = "grid", _("Grid")


# How many leading digits of the code identify an area at each level
# (GB/T 2260 + township + village digits; grids add three digits under their village).
PREFIX_LENGTH = {
    AreaLevel.PROVINCE: 2,
    AreaLevel.CITY: 4,
    AreaLevel.COUNTY: 6,
    AreaLevel.TOWNSHIP: 9,
    AreaLevel.VILLAGE: 12,
    AreaLevel.GRID: 15,
}
CODE_LENGTH = {level: (15 if level == AreaLevel.GRID else 12) for level in AreaLevel}
PARENT_LEVEL = {
    AreaLevel.CITY: AreaLevel.PROVINCE,
    AreaLevel.COUNTY: AreaLevel.CITY,
    AreaLevel.TOWNSHIP: AreaLevel.COUNTY,
    AreaLevel.VILLAGE: AreaLevel.TOWNSHIP,
    AreaLevel.GRID: AreaLevel.VILLAGE,
}


class UnitType(models.TextChoices):
    COMMITTEE = "committee", _("Political-legal committee")
    CENTRE = "centre", _("Governance centre")
    GOVERNMENT = "government", _("Township government / street office")
    POLICE = "police", _("Public security bureau")
    POLICE_STATION = "police_station", _("Police station")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    COURT = "court", _("Court")
    TRIBUNAL = "tribunal", _("People's tribunal")
    JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
    JUSTICE_OFFICE = "justice_office", _("Judicial office")
    PETITION_BUREAU = "petition_bureau", _("Petition bureau")
    HUMAN_RESOURCES = "human_resources", _("Human resources and social security")
    MEDIATION_COMMITTEE = "mediation_committee", _("Village mediation committee")
    DEPARTMENT = "department", _("Other department")


# Courts and procuratorates are judicial organs: the report says they must not
# be put through 行风评议, so assessment excludes them by this flag.
JUDICIAL_UNIT_TYPES = {UnitType.PROCURATORATE, UnitType.COURT, UnitType.TRIBUNAL}


class Role(models.TextChoices):
    CLERK = "clerk", _("Intake clerk")
    DIRECTOR = "director", _("Centre director")
    HANDLER = "handler", _("Handler")
    MEDIATOR = "mediator", _("Mediator")
    COMMITTEE = "committee", _("Political-legal committee staff")
    LEADER = "leader", _("Leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: each administrator role stands alone.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
