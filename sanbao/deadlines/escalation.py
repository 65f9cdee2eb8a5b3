"""Who is told at each rung of the ladder: handler → unit head → centre director → county committee.

A ``Recipients`` object caches its lookups for one sweep, so a batch of a
thousand overdue steps costs a handful of queries per unit and area, not per row.
"""

from functools import cache

from sanbao.deadlines.choices import EscalationLevel
from sanbao.org.choices import Role, UnitType
from sanbao.org.models import Unit, User

HANDLING_ROLES = (Role.HANDLER, Role.MEDIATOR)
HEAD_ROLES = (Role.DIRECTOR, Role.LEADER)


def _members(unit_id: int | None, roles) -> tuple[int, ...]:
    if unit_id is None:
        return ()
    users = User.objects.filter(unit_id=unit_id, is_active=True, role_grants__role__in=roles)
    return tuple(users.order_by("id").values_list("id", flat=True).distinct())


class Recipients:
    """User ids to notify for a deadline at a level of the ladder."""

    def __init__(self) -> None:
        self.members = cache(_members)
        self._units = {unit.pk: unit for unit in Unit.objects.select_related("area")}

    def _covering(self, area_code: str, unit_type: str) -> list[Unit]:
        """Units of ``unit_type`` whose area covers ``area_code``, nearest first."""
        covering = [unit for unit in self._units.values() if unit.unit_type == unit_type and unit.is_active
                    and area_code.startswith(unit.area.prefix)]
        return sorted(covering, key=lambda unit: len(unit.area.prefix), reverse=True)

    def handler(self, deadline) -> tuple[int, ...]:
        if deadline.handler_id is not None:
            return (deadline.handler_id,)
        return self.members(deadline.unit_id, HANDLING_ROLES) or self.members(deadline.unit_id, HEAD_ROLES)

    def unit_head(self, deadline) -> tuple[int, ...]:
        heads = self.members(deadline.unit_id, HEAD_ROLES)
        unit = self._units.get(deadline.unit_id)
        if not heads and unit is not None and unit.parent_id:
            heads = self.members(unit.parent_id, HEAD_ROLES)
        return heads or self.centre_director(deadline)

    def centre_director(self, deadline) -> tuple[int, ...]:
        for centre in self._covering(deadline.area_code, UnitType.CENTRE):
            directors = self.members(centre.pk, (Role.DIRECTOR,))
            if directors:
                return directors
        return ()

    def county_committee(self, deadline) -> tuple[int, ...]:
        for committee in self._covering(deadline.area_code, UnitType.COMMITTEE):
            staff = self.members(committee.pk, (Role.COMMITTEE,))
            if staff:
                return staff
        return ()

    def at(self, level: int, deadline) -> tuple[int, ...]:
        return {
            EscalationLevel.HANDLER: self.handler,
            EscalationLevel.UNIT_HEAD: self.unit_head,
            EscalationLevel.CENTRE_DIRECTOR: self.centre_director,
            EscalationLevel.COUNTY_COMMITTEE: self.county_committee,
        }[level](deadline)
