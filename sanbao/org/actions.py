"""Verbs of the org app: users, roles, units. Views, API and commands call these."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import ValidationFailed
from sanbao.org import events
from sanbao.org.area_import import LEVEL_ORDER, plan_import
from sanbao.org.choices import ADMIN_ROLES
from sanbao.org.models import Area, RoleGrant, Unit, User
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
        raise ValidationFailed(
            _("The username %(username)s is taken.") % {"username": username}, code="duplicate", field="username"
        )
    if roles - ADMIN_ROLES and unit is None:
        raise ValidationFailed(_("A user with a business role must belong to a unit."), field="unit")
    user = User(username=username, full_name=full_name, unit=unit, phone=phone)
    if password_hash is None:
        try:
            validate_password(password, user)
        except ValidationError as error:
            message = " ".join(error.messages)
            raise ValidationFailed(message, code="weak_password", field="password") from error
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


def import_areas(
    rows, *, actor: User | None, actor_username: str = "", source: dict | None = None, dry_run: bool = False,
) -> dict:
    """Create, rename and retire areas from parsed rows, all or nothing. Audited as ``org.areas_imported``.

    Rows may come in any order (they are written province first). A row
    whose code is current updates its name, urban-rural class and valid_from
    in place; a row with ``valid_to`` retires the current area with that code
    (its current sub-areas must be retired in the same rows). Any problem
    raises ``ValidationFailed`` whose ``errors`` name every bad line and
    field, and nothing is written. ``dry_run`` checks and counts only.
    Returns the counts: created, updated, retired, unchanged.
    """
    rows = list(rows)
    with transaction.atomic():
        plan = plan_import(rows, today=timezone.localdate(), lock=not dry_run)
        if plan.errors:
            raise ValidationFailed(
                f"{len(plan.errors)} problem(s) in the division list; nothing was imported",
                code="import_failed", errors=[error.as_dict() for error in plan.errors],
            )
        if dry_run:
            return plan.counts()
        before, after = _write_import_plan(plan)
        record_event(
            events.AREAS_IMPORTED, actor=actor, actor_username=actor_username,
            before=before or None, after={"source": source or {}, **plan.counts(), **after},
        )
    return plan.counts()


def _write_import_plan(plan) -> tuple[dict, dict]:
    """Apply a checked plan; returns the audit before/after of changed and retired codes."""
    by_code = dict(plan.existing)
    for level in LEVEL_ORDER:
        new = [
            Area(code=row.code, name=row.name, level=row.level, parent=by_code.get(row.parent_code),
                 urban_rural_class=row.urban_rural_class, valid_from=row.valid_from)
            for row in plan.creates if row.level == level
        ]
        for area in Area.objects.bulk_create(new, batch_size=500):
            by_code[area.code] = area
    before, after = {"changed": {}}, {"changed": {}, "retired": {}}
    for area, row, changes in plan.updates:
        for field, (old, new) in changes.items():
            setattr(area, "parent_id" if field == "parent" else field, new)
            before["changed"].setdefault(row.code, {})[field] = old
            after["changed"].setdefault(row.code, {})[field] = new
        area.save(update_fields=list(changes))
    for area, row in plan.retires:
        area.valid_to = row.valid_to
        area.save(update_fields=["valid_to"])
        after["retired"][row.code] = row.valid_to
    return ({key: value for key, value in before.items() if value},
            {key: value for key, value in after.items() if value})


def create_unit(*, actor: User | None, name: str, unit_type: str, area, parent: Unit | None = None) -> Unit:
    """Create a unit; ``is_judicial`` follows the type (courts, procuratorates)."""
    with transaction.atomic():
        unit = Unit.objects.create(
            name=name, unit_type=unit_type, area=area, parent=parent,
            is_judicial=Unit.judicial_by_type(unit_type),
        )
        record_event(
            events.UNIT_CREATED, actor=actor, target=unit,
            after={"name": name, "unit_type": unit_type, "area": area.code}, area_code=area.code,
        )
    return unit
