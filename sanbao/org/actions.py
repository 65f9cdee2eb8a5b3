"""Verbs of the org app: users, roles, units. Views, API and commands call these."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanbao.audit.actions import record_event
from sanbao.core.errors import ValidationFailed
from sanbao.org import events
from sanbao.org.models import RoleGrant, Unit, User
from sanbao.org.policy import check_role_combination


def set_roles(user: User, roles, *, actor: User | None) -> User:
    """Replace ``user``'s roles, enforcing 三员分立. Audited as ``org.roles_set``."""
    roles = check_role_combination(roles)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        before = sorted(locked.role_grants.values_list("role", flat=True))
        locked.role_grants.exclude(role__in=roles).delete()
        for role in roles - set(before):
            RoleGrant.objects.create(user=locked, role=role, granted_by=actor)
        record_event(
            events.ROLES_SET, actor=actor, target=locked,
            before={"roles": before}, after={"roles": sorted(roles)},
            area_code=locked.unit.area.code if locked.unit_id else "",
        )
    user.__dict__.pop("roles", None)
    return user


def create_user(
    *, actor: User | None, username: str, password: str, unit: Unit | None, roles, full_name: str = "",
    phone: str = "", password_hash: str | None = None, must_change_password: bool = False,
) -> User:
    """Create an account with its roles in one transaction. The password must meet policy.

    ``password_hash`` (an already-hashed password) is for the demo county, whose
    accounts share one password that was validated and hashed once.
    ``must_change_password`` marks a one-time password issued by an administrator:
    ``password_changed_at`` stays empty, so the first sign-in forces a change.
    """
    roles = check_role_combination(roles)
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(f"Username {username!r} is taken", code="duplicate", field="username")
    if roles - {"system_admin", "security_admin", "audit_admin"} and unit is None:
        raise ValidationFailed("A user with a business role must belong to a unit", field="unit")
    user = User(username=username, full_name=full_name, unit=unit, phone=phone)
    if password_hash is None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationFailed(" ".join(error.messages), code="weak_password", field="password") from error
    with transaction.atomic():
        if password_hash is None:
            user.set_password(password)
        else:
            user.password = password_hash
        user.password_changed_at = None if must_change_password else timezone.now()
        user.save()
        RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role, granted_by=actor) for role in roles)
        record_event(
            events.USER_CREATED, actor=actor, target=user,
            after={"username": username, "unit": unit.pk if unit else None, "roles": sorted(roles)},
            area_code=unit.area.code if unit else "",
        )
    return user


def import_areas(rows, *, actor: User | None) -> int:
    """Create or update areas from parsed rows, all or nothing.

    Each parent must exist already or come earlier in the rows. Any error
    raises ``ValidationFailed`` naming the line, and nothing is written.
    Returns the number of rows written.
    """
    from sanbao.org.area_import import RowError
    from sanbao.org.models import Area

    with transaction.atomic():
        by_code = {area.code: area for area in Area.objects.current()}
        problems = []
        for row in rows:
            parent = by_code.get(row.parent_code) if row.parent_code else None
            if row.parent_code and parent is None:
                problems.append(RowError(row.line, "parent_code", f"parent {row.parent_code} does not exist"))
                continue
            area = by_code.get(row.code) or Area(code=row.code)
            area.name, area.level, area.parent = row.name, row.level, parent
            area.urban_rural_class, area.valid_from = row.urban_rural_class, row.valid_from
            area.save()
            by_code[row.code] = area
        if problems:
            raise ValidationFailed("; ".join(str(problem) for problem in problems), code="import_failed")
        record_event(events.AREAS_IMPORTED, actor=actor, after={"rows": len(rows)})
    return len(rows)


def create_unit(*, actor: User | None, name: str, unit_type: str, area, parent: Unit | None = None) -> Unit:
    """Create a unit; ``is_judicial`` follows the type (courts, procuratorates)."""
    with transaction.atomic():
        unit = Unit.objects.create(
            name=name, unit_type=unit_type, area=area, parent=parent, is_judicial=Unit.judicial_by_type(unit_type)
        )
        record_event(
            events.UNIT_CREATED, actor=actor, target=unit,
            after={"name": name, "unit_type": unit_type, "area": area.code}, area_code=area.code,
        )
    return unit
