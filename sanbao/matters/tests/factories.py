"""Helpers for tests of any app: matters made through the verbs, never by hand.

``make_matter()`` registers a dispute in 青山镇 as ``qingshan.clerk`` with one
applicant; ``make_handling_matter()`` also assigns it to 青山镇司法所 and has
``qingshan.justice.handler`` sign for it. Valid ID numbers come from
``resident_id``.
"""

from datetime import timedelta

from django.utils import timezone

from sanbao.matters import actions
from sanbao.matters.models import Category, Matter
from sanbao.matters.personal import resident_id_check_digit
from sanbao.org.models import Area, Unit, User

DEFAULT_AREA = "360921101001"  # a village of 青山镇
JUSTICE_OFFICE = "青山镇司法所"


def resident_id(first17: str = "36092119850612001") -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit) from its first 17 digits."""
    return first17 + resident_id_check_digit(first17)


def invalid_resident_id() -> str:
    """``resident_id()`` with a wrong check digit."""
    valid = resident_id()
    return valid[:17] + ("1" if valid[17] != "1" else "2")


def user(username_or_user) -> User:
    if isinstance(username_or_user, User):
        return username_or_user
    return User.objects.select_related("unit__area").get(username=username_or_user)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def default_category(kind: str) -> Category:
    return Category.objects.current(kind).order_by("sort_order").first()


def applicant(**overrides) -> dict:
    return {
        "party_type": "person",
        "role": "applicant",
        "name": "张小明",
        "id_type": "resident_id",
        "id_number": resident_id(),
        "phone": "13812345678",
        "address": "青山镇东塘村3组12号",
        **overrides,
    }


def make_matter(
    actor="qingshan.clerk", *, kind: str = "dispute", area_code: str = DEFAULT_AREA, parties=None, **fields
) -> Matter:
    """Register a matter through ``register_matter`` with sensible defaults."""
    values = {
        "title": "邻里排水沟堵塞纠纷",
        "narrative": "两户村民因屋后排水沟堵塞互相指责，要求中心调处。",
        "category": default_category(kind),
        "source_channel": "visit",
        "received_at": timezone.now() - timedelta(hours=1),
        "people_count": 2,
        "place": "东塘村三组",
    }
    values.update(fields)
    return actions.register_matter(
        actor=user(actor),
        kind=kind,
        area=Area.objects.current().get(code=area_code),
        parties=[applicant()] if parties is None else parties,
        **values,
    )


def ready_to_assign(matter: Matter, director="qingshan.director") -> Matter:
    """Take a petition through 受理 and an incident through 会商, the steps before 交办."""
    if matter.kind == "petition" and matter.state == "registered":
        return actions.accept_matter(matter, actor=user(director))
    if matter.kind == "incident" and matter.state == "responding":
        return actions.consult_on_matter(matter, actor=user(director), summary="联席会商，明确整改责任单位。")
    return matter


def make_assigned_matter(lead_unit: str = JUSTICE_OFFICE, director="qingshan.director", **fields) -> Matter:
    matter = ready_to_assign(make_matter(**fields), director)
    return actions.assign_matter(matter, actor=user(director), lead_unit=unit(lead_unit))


def make_handling_matter(handler="qingshan.justice.handler", **fields) -> Matter:
    matter = make_assigned_matter(**fields)
    return actions.sign_assignment(matter, actor=user(handler))
