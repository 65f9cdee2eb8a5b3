"""The demo county (示范县): deterministic areas, units and accounts.

One city, one county with 12 townships/streets, ~150 villages/communities
with grids, ~40 units and ~80 accounts across all roles. Every demo account
shares ``DEMO_PASSWORD`` (documented in the README); the demo refuses to run
outside demo or test mode.
"""

import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password

from sanbao.org import actions
from sanbao.org.area_import import AreaRow
from sanbao.org.choices import AreaLevel, Role, UnitType
from sanbao.org.models import Area, Unit

DEMO_PASSWORD = "Sanbao@2026"  # noqa: S105  (the documented shared demo password)
SEED = 2026

PROVINCE = ("360000000000", "示范省")
CITY = ("360900000000", "云江市")
COUNTY = ("360921000000", "青山县")
# (township digits, name, pinyin used in usernames)
TOWNSHIPS = [
    ("001", "城关街道", "chengguan"), ("002", "东城街道", "dongcheng"), ("003", "西城街道", "xicheng"),
    ("101", "青山镇", "qingshan"), ("102", "白沙镇", "baisha"), ("103", "石桥镇", "shiqiao"),
    ("104", "柳溪镇", "liuxi"), ("105", "龙潭镇", "longtan"), ("106", "桃源镇", "taoyuan"),
    ("107", "新田镇", "xintian"), ("201", "梅岭乡", "meiling"), ("202", "双河乡", "shuanghe"),
]
VILLAGE_FIRST = "东西南北上下大小新老前后高长石柳"
VILLAGE_SECOND = "塘湾岭桥坪山溪林田庄坝港园冲"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌海燕"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str
    area_code: str
    full_name: str


def _area_rows(rng: random.Random) -> list[AreaRow]:
    rows = [
        AreaRow(0, PROVINCE[0], PROVINCE[1], AreaLevel.PROVINCE, None, "", None),
        AreaRow(0, CITY[0], CITY[1], AreaLevel.CITY, PROVINCE[0], "", None),
        AreaRow(0, COUNTY[0], COUNTY[1], AreaLevel.COUNTY, CITY[0], "", None),
    ]
    names = [first + second for first in VILLAGE_FIRST for second in VILLAGE_SECOND]
    rng.shuffle(names)
    for digits, name, _ in TOWNSHIPS:
        township = COUNTY[0][:6] + digits + "000"
        rows.append(AreaRow(0, township, name, AreaLevel.TOWNSHIP, COUNTY[0], "", None))
        is_street = digits.startswith("0")
        for number in range(1, 13 + (1 if digits in {"101", "102"} else 0)):
            village = township[:9] + f"{number:03d}"
            suffix = "社区" if is_street else "村"
            rows.append(AreaRow(0, village, names.pop() + suffix, AreaLevel.VILLAGE, township,
                                "111" if is_street else "220", None))
            for grid in range(1, rng.randint(2, 3) + 1):
                rows.append(AreaRow(0, f"{village}{grid:03d}", f"第{grid}网格", AreaLevel.GRID, village, "", None))
    return rows


def _person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _unit_plan() -> list[tuple[str, str, str, str | None]]:
    """(key, name, type, township digits or None for county level)."""
    county = [
        ("committee", "青山县委政法委", UnitType.COMMITTEE), ("county_centre", "青山县综治中心", UnitType.CENTRE),
        ("police", "青山县公安局", UnitType.POLICE), ("procuratorate", "青山县人民检察院", UnitType.PROCURATORATE),
        ("court", "青山县人民法院", UnitType.COURT), ("justice", "青山县司法局", UnitType.JUSTICE_BUREAU),
        ("petition", "青山县信访局", UnitType.PETITION_BUREAU), ("hrss", "青山县人社局", UnitType.HUMAN_RESOURCES),
        ("housing", "青山县住建局", UnitType.DEPARTMENT), ("market", "青山县市场监管局", UnitType.DEPARTMENT),
    ]
    plan = [(key, name, unit_type, None) for key, name, unit_type in county]
    for index, (digits, name, pinyin) in enumerate(TOWNSHIPS):
        plan.append((f"{pinyin}.centre", f"{name}综治中心", UnitType.CENTRE, digits))
        if index % 2 == 0:
            plan.append((f"{pinyin}.police", f"{name.removesuffix('街道').removesuffix('镇').removesuffix('乡')}派出所",
                         UnitType.POLICE_STATION, digits))
        if index % 2 == 1:
            plan.append((f"{pinyin}.justice", f"{name}司法所", UnitType.JUSTICE_OFFICE, digits))
    plan += [
        ("qingshan.tribunal", "青山人民法庭", UnitType.TRIBUNAL, "101"),
        ("meiling.tribunal", "梅岭人民法庭", UnitType.TRIBUNAL, "201"),
    ]
    for pinyin, village in [("baisha", "001"), ("liuxi", "002"), ("taoyuan", "003"), ("shuanghe", "001")]:
        digits = next(d for d, _, p in TOWNSHIPS if p == pinyin)
        plan.append((f"{pinyin}.mediation", f"{pinyin}:{village}", UnitType.MEDIATION_COMMITTEE, digits + village))
    return plan


def _account_plan(unit_keys: set[str]) -> list[tuple[str, str, str]]:
    """(username, role, unit key)."""
    plan = [
        ("sysadmin", Role.SYSTEM_ADMIN, "committee"), ("secadmin", Role.SECURITY_ADMIN, "committee"),
        ("auditadmin", Role.AUDIT_ADMIN, "committee"),
        ("county.leader1", Role.LEADER, "committee"), ("county.leader2", Role.LEADER, "committee"),
        ("county.committee1", Role.COMMITTEE, "committee"), ("county.committee2", Role.COMMITTEE, "committee"),
        ("county.committee3", Role.COMMITTEE, "committee"),
        ("county.director", Role.DIRECTOR, "county_centre"), ("county.clerk", Role.CLERK, "county_centre"),
        ("police.handler1", Role.HANDLER, "police"), ("police.handler2", Role.HANDLER, "police"),
        ("procuratorate.handler", Role.HANDLER, "procuratorate"), ("court.handler", Role.HANDLER, "court"),
        ("court.mediator", Role.MEDIATOR, "court"), ("justice.handler", Role.HANDLER, "justice"),
        ("justice.mediator", Role.MEDIATOR, "justice"),
        ("petition.clerk", Role.CLERK, "petition"), ("petition.handler", Role.HANDLER, "petition"),
        ("hrss.handler", Role.HANDLER, "hrss"), ("housing.handler", Role.HANDLER, "housing"),
        ("market.handler", Role.HANDLER, "market"),
    ]
    for _, _, pinyin in TOWNSHIPS:
        plan += [
            (f"{pinyin}.director", Role.DIRECTOR, f"{pinyin}.centre"),
            (f"{pinyin}.clerk", Role.CLERK, f"{pinyin}.centre"),
            (f"{pinyin}.handler", Role.HANDLER, f"{pinyin}.centre"),
        ]
        for suffix, role in [("police", Role.HANDLER), ("justice", Role.HANDLER), ("justice", Role.MEDIATOR),
                             ("tribunal", Role.HANDLER), ("mediation", Role.MEDIATOR)]:
            key = f"{pinyin}.{suffix}"
            if key in unit_keys:
                plan.append((f"{pinyin}.{suffix}.{role}", role, key))
    return plan


def _build_units(areas: dict[str, Area], names_by_code: dict[str, str]) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for key, name, unit_type, digits in _unit_plan():
        if digits is None:
            area, parent = areas[COUNTY[0]], None
        else:
            code = (COUNTY[0][:6] + digits).ljust(12, "0")
            area = areas[code]
            parent = units.get(f"{key.split('.')[0]}.centre")
        if unit_type == UnitType.MEDIATION_COMMITTEE:
            name = f"{names_by_code[area.code]}人民调解委员会"
        units[key] = actions.create_unit(actor=None, name=name, unit_type=unit_type, area=area, parent=parent)
    return units


def build_county() -> list[DemoAccount]:
    """Create the demo county from an empty database; returns the accounts."""
    rng = random.Random(SEED)
    rows = _area_rows(rng)
    actions.import_areas(rows, actor=None)
    areas = {area.code: area for area in Area.objects.all()}
    units = _build_units(areas, {row.code: row.name for row in rows})
    password_hash = make_password(DEMO_PASSWORD)
    accounts = []
    for username, role, unit_key in _account_plan(set(units)):
        unit = units[unit_key]
        user = actions.create_user(
            actor=None, username=username, password=DEMO_PASSWORD, unit=unit, roles={role},
            full_name=_person_name(rng), password_hash=password_hash,
        )
        accounts.append(DemoAccount(username, role, unit.name, unit.area.code, user.full_name))
    return accounts


def demo_accounts() -> list[DemoAccount]:
    """The demo accounts as they are in the database now (for printing)."""
    from sanbao.org.models import User

    accounts = []
    users = User.objects.select_related("unit__area").prefetch_related("role_grants").order_by("id")
    for user in users:
        for grant in user.role_grants.all():
            unit = user.unit
            accounts.append(DemoAccount(user.username, grant.role, unit.name if unit else "",
                                        unit.area.code if unit else "", user.full_name))
    return accounts


def is_built() -> bool:
    return Unit.objects.exists()
