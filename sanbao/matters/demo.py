"""Demo matters: two years of a county's work, replayed through the real verbs.

``plan_matters`` decides everything first, deterministically (``random.Random``
with a fixed seed, the demo county's areas and units, and the day it runs):
for each matter its story (``demo_text``), parties, and the steps it went
through with their times and actors. ``build_matters`` then replays all
steps of all matters in time order through the verbs in
``sanbao.matters.actions`` under a simulated clock, so every row the
product writes (matter, assignments, feedback, timeline, audit events, the
deadlines app's clocks) is written the way the product writes it, dated when
the step "happened". Steps that would fall after now are not taken: recent
matters stay open at the step they have reached, and a share of older ones
stall, which makes them overdue.

The mix: all five kinds; refused, transferred, sent-back and reassigned,
returned-for-rework, dissatisfied-and-reopened matters; repeat submissions of
the same person; and clusters (many matters about one enterprise, project,
residential compound or village within days).
"""

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from time import perf_counter

from django.conf import settings
from django.utils import timezone
from django.utils import timezone as timezone_module

from sanbao.core.errors import DomainError
from sanbao.matters import actions, demo_text
from sanbao.matters.categories import seed_categories
from sanbao.matters.choices import MatterKind, MatterStatus, RiskLevel, SourceChannel
from sanbao.matters.demo_history import ACTIVITIES, write_history
from sanbao.matters.models import Category, CategoryScheme, Matter
from sanbao.matters.workflows import workflow_for
from sanbao.org.choices import AreaLevel, Role, UnitType
from sanbao.org.models import Area, Unit, User

logger = logging.getLogger(__name__)

SEED = 20260301
DEFAULT_COUNT = 5000
HISTORY_DAYS = 730
# Matters finished more than this many days ago are written in bulk; the rest are replayed through the verbs.
LIVE_DAYS = 30
KIND_WEIGHTS = {
    MatterKind.DISPUTE: 45,
    MatterKind.PETITION: 25,
    MatterKind.ENTERPRISE_REQUEST: 14,
    MatterKind.HAZARD: 10,
    MatterKind.INCIDENT: 6,
}
CHANNEL_WEIGHTS = {
    SourceChannel.VISIT: 30,
    SourceChannel.PHONE: 22,
    SourceChannel.ONLINE: 14,
    SourceChannel.LETTER: 6,
    SourceChannel.SCREENING: 12,
    SourceChannel.FIELD_VISIT: 8,
    SourceChannel.FROM_ABOVE: 5,
    SourceChannel.DEPARTMENT: 3,
}
# Lead units by category keyword: labour matters go to human resources, consumer ones to market supervision…
COUNTY_LEADS = {
    "劳": "hrss",
    "欠薪": "hrss",
    "消费": "market",
    "物业": "housing",
    "房地产": "housing",
    "城乡建设": "housing",
    "医疗": "justice",
    "道路交通": "police",
    "政法": "court",
}
# Which township unit a centre gives a matter of such a category (the rest stay with the centre):
# the police station keeps order, the justice office mediates civil disputes. A demo centre follows
# it four times in five, so that the triage suggestions have a real pattern to learn, as in a
# real centre, without it being a rule.
TOWNSHIP_LEADS = {
    "治安": UnitType.POLICE_STATION,
    "道路交通事故": UnitType.POLICE_STATION,
    "阻工堵路": UnitType.POLICE_STATION,
    "群体性聚集": UnitType.POLICE_STATION,
    "涉众型经济": UnitType.POLICE_STATION,
    "邻里": UnitType.JUSTICE_OFFICE,
    "婚姻家庭": UnitType.JUSTICE_OFFICE,
    "山林土地": UnitType.JUSTICE_OFFICE,
    "房屋宅基地": UnitType.JUSTICE_OFFICE,
    "损害赔偿": UnitType.JUSTICE_OFFICE,
    "合同": UnitType.TRIBUNAL,
}


@dataclass
class Step:
    """One operation of a planned matter: when, which verb, by whom (username) and with what inputs."""

    when: datetime
    verb: str
    actor: str
    inputs: dict = field(default_factory=dict)


@dataclass
class MatterPlan:
    """Everything about one demo matter, decided before anything is written."""

    index: int
    kind: str
    category: str
    story: demo_text.Story
    area_code: str
    channel: str
    risk_level: str
    parties: list[dict]
    tags: list[str]
    steps: list[Step] = field(default_factory=list)


@dataclass(frozen=True)
class County:
    """The demo county as the planner needs it: townships with their areas, people and units."""

    townships: list[dict]
    county_units: dict[str, dict]
    categories: dict[str, list[str]]


# --- The simulated clock ------------------------------------------------------------------------


class SimulatedClock:
    """While ``running``, ``django.utils.timezone.now()`` returns ``current``.

    Everything in Sanbao reads the time through ``timezone.now()`` (verbs,
    model defaults, the audit trail, the deadlines app), so replaying a step
    at its planned time dates every row it writes consistently. Only the demo
    uses this, in its own process step, never while serving requests.
    """

    def __init__(self, current: datetime):
        self.current = current

    @contextmanager
    def running(self) -> Iterator["SimulatedClock"]:
        clock = self
        real = timezone_module.datetime

        class ClockDatetime(real):
            @classmethod
            def now(cls, tz=None):
                return clock.current.astimezone(tz) if tz is not None else clock.current.replace(tzinfo=None)

        timezone_module.datetime = ClockDatetime
        try:
            yield self
        finally:
            timezone_module.datetime = real


# --- Reading the county -------------------------------------------------------------------------


def load_county() -> County:
    """The townships (areas, clerk, director, handling units) and county units of the demo county."""
    handlers: dict[int, str] = {}
    for user in User.objects.filter(role_grants__role__in=[Role.HANDLER, Role.MEDIATOR]).order_by("username"):
        handlers.setdefault(user.unit_id, user.username)
    users = {user.username for user in User.objects.all()}
    areas = list(Area.objects.current().order_by("code").values_list("code", "name", "level"))
    townships = []
    for code, name, level in areas:
        if level != AreaLevel.TOWNSHIP:
            continue
        townships.append(_township(code, name, areas, handlers, users))
    county_units = {}
    for unit in Unit.objects.filter(area__level=AreaLevel.COUNTY, is_active=True).order_by("name"):
        handler = handlers.get(unit.pk)
        if handler and unit.unit_type != UnitType.COMMITTEE:
            county_units[handler.split(".")[0]] = {"unit": unit.name, "handler": handler}
    categories = {
        kind: sorted(Category.objects.current(kind).values_list("name", flat=True)) for kind in MatterKind.values
    }
    return County([t for t in townships if t], county_units, categories)


def _township(code, name, areas, handlers, users) -> dict | None:
    prefix = code[:9]
    centre = Unit.objects.filter(area__code=code, unit_type=UnitType.CENTRE).first()
    if centre is None:
        return None
    directors = User.objects.filter(unit=centre, role_grants__role=Role.DIRECTOR).order_by("username")
    clerks = User.objects.filter(unit=centre, role_grants__role=Role.CLERK).order_by("username")
    if not directors.exists() or not clerks.exists():
        return None
    units = Unit.objects.filter(area__code__startswith=prefix, is_active=True).exclude(unit_type=UnitType.CENTRE)
    leads = [
        {"unit": unit.name, "unit_type": unit.unit_type, "handler": handlers[unit.pk]}
        for unit in units.order_by("name")
        if unit.pk in handlers
    ]
    if centre.pk in handlers:
        leads.append({"unit": centre.name, "unit_type": centre.unit_type, "handler": handlers[centre.pk]})
    villages = [(c, n) for c, n, level in areas if level == AreaLevel.VILLAGE and c.startswith(prefix)]
    grids = {c: n for c, n, level in areas if level == AreaLevel.GRID and c.startswith(prefix)}
    return {
        "code": code,
        "name": name,
        "clerk": clerks.first().username,
        "director": directors.first().username,
        "leads": leads,
        "villages": villages,
        "grids": grids,
    }


# --- Planning -----------------------------------------------------------------------------------


class Planner:
    """Turns the seed, the county and today into the list of matter plans (pure: no writes)."""

    def __init__(self, county: County, now: datetime, count: int, seed: int = SEED):
        self.county, self.now, self.count = county, now, count
        self.rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not secrets
        self.plans: list[MatterPlan] = []

    def plan(self) -> list[MatterPlan]:
        clusters = self._clusters()
        repeats = max(1, self.count // 40)
        singles = max(0, self.count - sum(len(c) for c in clusters) - repeats)
        for _ in range(singles):
            self._add(self._random_start(), None)
        for cluster in clusters:
            for start, fixed in cluster:
                self._add(start, fixed)
        for original in self.rng.sample(self.plans, min(repeats, len(self.plans))):
            self._add_repeat(original)
        self.plans.sort(key=lambda plan: plan.steps[0].when)
        for index, plan in enumerate(self.plans[: self.count]):
            plan.index = index
        return self.plans[: self.count]

    # Choices ----------------------------------------------------------------------------------

    def _weighted(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def _random_start(self) -> dict:
        township = self.rng.choice(self.county.townships)
        kind = self._weighted(KIND_WEIGHTS)
        return {
            "township": township,
            "kind": kind,
            "category": self._category(kind),
            "received": self.now - timedelta(minutes=self.rng.randint(60, HISTORY_DAYS * 24 * 60)),
        }

    def _category(self, kind: str) -> str:
        stories = [name for name in demo_text.categories(kind) if self._db_category(kind, name)]
        return self.rng.choice(stories or demo_text.categories(kind))

    def _db_category(self, kind: str, name: str) -> str | None:
        return name if name in self.county.categories.get(kind, []) else None

    def _place(self, township: dict, village_code: str | None = None) -> tuple[str, demo_text.Place]:
        code, village = village_code, ""
        if code is None:
            code, village = self.rng.choice(township["villages"])
        else:
            village = dict(township["villages"])[code]
        grids = [(c, n) for c, n in township["grids"].items() if c.startswith(code)]
        if grids and self.rng.random() < 0.7:
            grid_code, grid = self.rng.choice(grids)
            return grid_code, demo_text.Place(township["name"], village, grid)
        return code, demo_text.Place(township["name"], village)

    # Matters ----------------------------------------------------------------------------------

    def _add(self, start: dict, fixed: dict | None) -> MatterPlan:
        township, kind, category = start["township"], start["kind"], start["category"]
        fixed = dict(fixed or {})
        area_code, place = self._place(township, fixed.pop("_village", None))
        channel = self._weighted(CHANNEL_WEIGHTS)
        story = demo_text.compose(
            self.rng,
            kind=kind,
            category=category,
            channel=channel,
            place=place,
            when=timezone.localtime(start["received"]),
            fixed=fixed,
        )
        plan = MatterPlan(
            index=len(self.plans),
            kind=kind,
            category=category,
            story=story,
            area_code=area_code,
            channel=channel,
            risk_level=self._risk(story),
            parties=self._parties(story, area_code, place),
            tags=list(start.get("tags", [])),
        )
        plan.steps = Lifecycle(self, plan, township, start["received"]).steps()
        self.plans.append(plan)
        return plan

    def _risk(self, story: demo_text.Story) -> str:
        if story.people_count >= 30 or self.rng.random() < 0.05:
            return RiskLevel.HIGH
        return RiskLevel.MEDIUM if story.people_count >= 8 or self.rng.random() < 0.2 else RiskLevel.LOW

    def _parties(self, story: demo_text.Story, area_code: str, place: demo_text.Place) -> list[dict]:
        parties = []
        for position, name in enumerate(story.persons[:2]):
            role = "applicant" if position == 0 else "respondent"
            parties.append(
                {
                    "party_type": "person",
                    "role": role,
                    "name": name,
                    "id_number": demo_text.id_number(self.rng, area_code, self.rng.randint(1950, 2002)),
                    "phone": demo_text.phone_number(self.rng),
                    "address": f"{place.township}{place.village}{self.rng.randint(1, 60)}号" if position == 0 else "",
                }
            )
        if story.organisation:
            parties.append(
                {
                    "party_type": "organisation",
                    "role": "respondent" if parties else "applicant",
                    "name": story.organisation,
                    "id_number": self._credit_code(),
                    "id_type": "credit_code",
                }
            )
        return parties

    def _credit_code(self) -> str:
        letters = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        return "91360921" + "".join(self.rng.choice(letters) for _ in range(10))

    def _add_repeat(self, original: MatterPlan) -> None:
        """The same person comes again about the same thing (重复件) some days later."""
        start = original.steps[0].when + timedelta(days=self.rng.randint(3, 40), hours=self.rng.randint(0, 8))
        if start >= self.now:
            return
        township = next(t for t in self.county.townships if original.area_code.startswith(t["code"][:9]))
        plan = MatterPlan(
            index=len(self.plans),
            kind=original.kind,
            category=original.category,
            story=demo_text.Story(
                original.story.title,
                "再次反映：" + original.story.narrative,
                original.category,
                original.story.people_count,
                original.story.organisation,
                original.story.persons,
            ),
            area_code=original.area_code,
            channel=self._weighted(CHANNEL_WEIGHTS),
            risk_level=original.risk_level,
            parties=[dict(party) for party in original.parties],
            tags=["重复来访"],
        )
        plan.steps = Lifecycle(self, plan, township, start).steps()
        self.plans.append(plan)

    def _clusters(self) -> list[list[tuple[dict, dict]]]:
        """A few groups of matters about one enterprise, project, compound or village within days."""
        size = max(3, min(18, self.count // 120))
        specs = [
            ("dispute", "劳动争议(含欠薪)", "企业", demo_text.enterprise_name(self.rng)),
            ("petition", "国土资源", "项目", self.rng.choice(demo_text.PROJECTS)),
            ("dispute", "物业管理", "小区", self.rng.choice(demo_text.COMPOUNDS)),
            ("dispute", "环境污染", "企业", demo_text.enterprise_name(self.rng)),
        ]
        clusters = []
        for number, (kind, category, slot, value) in enumerate(specs):
            township = self.county.townships[(number * 5 + 3) % len(self.county.townships)]
            village = self.rng.choice(township["villages"])[0]
            days_ago = self.rng.randint(20, HISTORY_DAYS - 30)
            # The wage arrears and the compound are in the early warning's window (the last 30 days),
            # so a director opening the demo sees real warnings; the other two are history.
            if number in (0, 2):
                days_ago = 14 + days_ago % 6
            centre = self.now - timedelta(days=days_ago)
            members = []
            for _ in range(size):
                received = centre + timedelta(hours=self.rng.randint(0, 24 * 12))
                start = {
                    "township": township,
                    "kind": kind,
                    "category": category,
                    "received": received,
                    "tags": ["聚集性线索"],
                }
                members.append((start, {slot: value, "_village": village}))
            clusters.append(members)
        return clusters


class Lifecycle:
    """The steps one matter goes through, per its kind's workflow, cut off at now (or stalled)."""

    def __init__(self, planner: Planner, plan: MatterPlan, township: dict, received: datetime):
        self.rng, self.now, self.county = planner.rng, planner.now, planner.county
        self.plan, self.township, self.received = plan, township, received
        self.time = received + timedelta(minutes=self.rng.randint(5, 90))
        self.items: list[Step] = []
        self.lead = self._lead()

    def _lead(self) -> dict:
        for keyword, key in COUNTY_LEADS.items():
            if keyword in self.plan.category and key in self.county.county_units and self.rng.random() < 0.5:
                return self.county.county_units[key]
        drawn = self.rng.choice(self.township["leads"])
        # Decided from the matter itself, not from the random stream, so the rest of the demo is unchanged.
        if self.plan.index % 5 != 0:  # four in five (see TOWNSHIP_LEADS)
            return self._township_lead() or drawn
        return drawn

    def _township_lead(self) -> dict | None:
        """The township unit a centre would give this category to (TOWNSHIP_LEADS, else itself)."""
        wanted = next((kind for word, kind in TOWNSHIP_LEADS.items() if word in self.plan.category), UnitType.CENTRE)
        # A township without a people's tribunal sends contracts to its justice office.
        for kind in (wanted, UnitType.JUSTICE_OFFICE if wanted == UnitType.TRIBUNAL else None, UnitType.CENTRE):
            fitting = [lead for lead in self.township["leads"] if lead["unit_type"] == kind]
            if fitting:
                return fitting[self.plan.index % len(fitting)]
        return None

    def _after(self, low_hours: float, high_hours: float) -> datetime:
        self.time += timedelta(minutes=self.rng.randint(int(low_hours * 60), int(high_hours * 60)))
        return self.time

    def _step(self, verb: str, actor: str, low: float, high: float, **inputs) -> None:
        self.items.append(Step(self._after(low, high), verb, actor, inputs))

    def steps(self) -> list[Step]:
        clerk, director = self.township["clerk"], self.township["director"]
        self.items.append(Step(self.time, "register", clerk, {"received_at": self.received}))
        kind = self.plan.kind
        if self._maybe_refuse(kind, clerk):
            return self._cut()
        getattr(self, f"_{kind}")(clerk, director)
        return self._cut()

    def _cut(self) -> list[Step]:
        """Drop steps after now; stall a share of the rest so some matters run overdue."""
        steps = [step for step in self.items if step.when < self.now]
        if len(steps) > 2 and self.rng.random() < 0.06:
            steps = steps[: self.rng.randint(2, len(steps) - 1)]
        return steps

    def _maybe_refuse(self, kind: str, clerk: str) -> bool:
        if (
            kind in (MatterKind.DISPUTE, MatterKind.PETITION, MatterKind.ENTERPRISE_REQUEST)
            and self.rng.random() < 0.04
        ):
            self._step("refuse", clerk, 1, 48, reason="经核实不属于本中心受理范围，已告知当事人向有关部门反映。")
            return True
        return False

    # Per kind ---------------------------------------------------------------------------------

    def _dispute(self, clerk: str, director: str) -> None:
        if self.rng.random() < 0.3:
            self._step("accept", clerk, 0.5, 24)
            if self.rng.random() < 0.7:
                self._step("feedback", director, 24, 24 * 10, result="经中心先行调解，双方达成一致意见，当场履行。")
                self._follow_up(clerk, director)
                return
        self._dispatch(director)
        self._handle_and_review(clerk, director)

    def _petition(self, clerk: str, director: str) -> None:
        self._step("accept", clerk, 2, 24 * 5)
        if self.rng.random() < 0.04:
            self._step("legal_channel", clerk, 24, 24 * 6, route="litigation", body="青山县人民法院")
            return
        self._dispatch(director)
        self._handle_and_review(clerk, director, opinion=True)

    def _hazard(self, clerk: str, director: str) -> None:
        if self.rng.random() < 0.1:
            self._step("close", director, 24, 24 * 7, reason="经调查，隐患已自行消除，予以销号。")
            return
        self._dispatch(director)
        self._handle_and_review(clerk, director, follow_up=False)

    def _incident(self, clerk: str, director: str) -> None:
        self._step(
            "consult",
            director,
            2,
            48,
            summary="综治中心牵头召开联席会商，明确整改责任单位和时限。",
            participants="综治中心、派出所、司法所、相关部门",
        )
        self._dispatch(director)
        self._handle_and_review(clerk, director)

    def _enterprise_request(self, clerk: str, director: str) -> None:
        self._dispatch(director)
        self._handle_and_review(clerk, director)

    # Shared stretches ---------------------------------------------------------------------------

    def _dispatch(self, director: str) -> None:
        self._step("assign", director, 1, 48, lead_unit=self.lead["unit"], instructions="请依法依规调处，按时反馈。")
        if self.rng.random() < 0.05:
            self._step("send_back", self.lead["handler"], 2, 24, reason="该事项不属于本单位职责范围，申请改派。")
            self.lead = self.rng.choice(self.township["leads"])
            self._step("reassign", director, 2, 24, lead_unit=self.lead["unit"], reason="根据退单理由改派。")
        self._step("sign", self.lead["handler"], 0.5, 36)

    def _handle_and_review(self, clerk: str, director: str, *, opinion=False, follow_up=True) -> None:
        handler = self.lead["handler"]
        if self.rng.random() < 0.25:
            self._step("note", handler, 24, 24 * 6, text="已约谈双方当事人，了解基本情况，正在调查核实。")
        if self.rng.random() < 0.04:
            self._step("extension_request", handler, 24, 24 * 4, days=5, reason="案情复杂，需进一步调查取证。")
            self._step("extension_decide", director, 2, 24, approve=True, comment="同意延期。")
        self._feedback(handler, opinion)
        if self.rng.random() < 0.08:
            self._step(
                "review",
                director,
                2,
                48,
                decision="return",
                comment="反馈内容不完整，请补充当事人意见后重新反馈。",
            )
            self._feedback(handler, opinion)
        self._step("review", director, 2, 72, decision="approve")
        if follow_up:
            self._follow_up(clerk, director, handler=handler, opinion=opinion)

    def _feedback(self, handler: str, opinion: bool) -> None:
        inputs = {"result": "经调查核实并组织调解，已提出处理意见，双方基本认可。"}
        if opinion:
            inputs["opinion"] = self.rng.choice(["support", "explain", "explain", "not_supported"])
        self._step("feedback", handler, 24, 24 * self.rng.choice([3, 7, 12, 20]), **inputs)

    def _follow_up(self, clerk: str, director: str, handler: str | None = None, opinion=False) -> None:
        roll = self.rng.random()
        satisfaction = "satisfied" if roll < 0.72 else "basically_satisfied" if roll < 0.9 else "dissatisfied"
        method = self.rng.choice(["phone", "phone", "visit", "sms", "meeting"])
        self._step(
            "follow_up",
            clerk,
            24,
            24 * 8,
            method=method,
            satisfaction=satisfaction,
            comment="当事人对处理结果表示认可。" if satisfaction != "dissatisfied" else "当事人认为问题未解决。",
        )
        if satisfaction == "dissatisfied" and handler is not None:
            self._feedback(handler, opinion)
            self._step("review", director, 2, 72, decision="approve")
            self._step("follow_up", clerk, 24, 24 * 8, method="visit", satisfaction="basically_satisfied", comment="")


def plan_matters(count: int | None = None, now: datetime | None = None) -> list[MatterPlan]:
    """The deterministic plan of ``count`` demo matters ending at ``now`` (no writes)."""
    count = demo_count() if count is None else count
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    return Planner(load_county(), now, count).plan()


def demo_count() -> int:
    return int(getattr(settings, "SANBAO_DEMO_MATTERS", DEFAULT_COUNT))


# --- Replaying ----------------------------------------------------------------------------------


class Replayer:
    """Takes the planned steps of all matters in time order through the verbs."""

    def __init__(self, plans: list[MatterPlan]):
        self.plans = plans
        self.users = {user.username: user for user in User.objects.select_related("unit__area")}
        self.units = {unit.name: unit for unit in Unit.objects.all()}
        self.areas = {area.code: area for area in Area.objects.current()}
        self.categories = self._categories()
        self.matters: dict[int, Matter] = {}
        self.failed: dict[int, str] = {}

    def _categories(self) -> dict[tuple[str, str], Category]:
        found = {}
        for category in Category.objects.current().select_related("scheme"):
            found.setdefault((category.scheme.kind, category.name), category)
        return found

    def category_for(self, plan: MatterPlan) -> Category:
        category = self.categories.get((plan.kind, plan.category))
        if category is None:
            category = next(c for (kind, _name), c in self.categories.items() if kind == plan.kind)
        return category

    def run(self, plans: list[MatterPlan] | None = None) -> int:
        """Replay ``plans`` (default: all) step by step in time order through the verbs."""
        plans = self.plans if plans is None else plans
        self.by_index = {plan.index: plan for plan in plans}
        queue = sorted(
            ((step.when, plan.index, number, step) for plan in plans for number, step in enumerate(plan.steps)),
            key=lambda item: item[:3],
        )
        clock = SimulatedClock(queue[0][0] if queue else timezone.now())
        with clock.running():
            for when, index, _number, step in queue:
                if index in self.failed:
                    continue
                clock.current = when
                self._take(self.by_index[index], step)
        return len(queue)

    def _take(self, plan: MatterPlan, step: Step) -> None:
        actor = self.users[step.actor]
        try:
            if step.verb == "register":
                self.matters[plan.index] = self._register(plan, actor, step)
            else:
                VERBS[step.verb](self, self.matters[plan.index], actor, step.inputs)
        except DomainError as error:
            # A plan the rules refuse is the planner's mistake; the demo records it and goes on.
            self.failed[plan.index] = f"{step.verb}: {error.message}"
            logger.warning("demo matter %s stopped at %s: %s", plan.index, step.verb, error.message)

    def _register(self, plan: MatterPlan, actor, step: Step) -> Matter:
        return actions.register_matter(
            actor=actor,
            kind=plan.kind,
            title=plan.story.title,
            narrative=plan.story.narrative,
            category=self.category_for(plan),
            source_channel=plan.channel,
            area=self.areas[plan.area_code],
            received_at=step.inputs["received_at"],
            people_count=max(1, plan.story.people_count),
            risk_level=plan.risk_level,
            tags=plan.tags,
            parties=plan.parties,
        )

    def unit(self, name: str) -> Unit:
        return self.units[name]


VERBS = {
    "accept": lambda r, m, a, i: actions.accept_matter(m, actor=a),
    "refuse": lambda r, m, a, i: actions.refuse_matter(m, actor=a, reason=i["reason"]),
    "assign": lambda r, m, a, i: actions.assign_matter(
        m, actor=a, lead_unit=r.unit(i["lead_unit"]), instructions=i["instructions"]
    ),
    "reassign": lambda r, m, a, i: actions.reassign_matter(
        m, actor=a, lead_unit=r.unit(i["lead_unit"]), reason=i["reason"]
    ),
    "sign": lambda r, m, a, i: actions.sign_assignment(m, actor=a),
    "send_back": lambda r, m, a, i: actions.send_back_assignment(m, actor=a, reason=i["reason"]),
    "consult": lambda r, m, a, i: actions.consult_on_matter(
        m, actor=a, summary=i["summary"], participants=i["participants"]
    ),
    "note": lambda r, m, a, i: actions.add_note(m, actor=a, text=i["text"]),
    "extension_request": lambda r, m, a, i: actions.request_extension(m, actor=a, days=i["days"], reason=i["reason"]),
    "extension_decide": lambda r, m, a, i: actions.decide_extension(
        m, actor=a, approve=i["approve"], comment=i["comment"]
    ),
    "feedback": lambda r, m, a, i: actions.submit_feedback(
        m, actor=a, result=i["result"], opinion=i.get("opinion", "")
    ),
    "review": lambda r, m, a, i: actions.review_feedback(
        m, actor=a, decision=i["decision"], comment=i.get("comment", "")
    ),
    "follow_up": lambda r, m, a, i: actions.record_follow_up(
        m, actor=a, method=i["method"], satisfaction=i["satisfaction"], comment=i["comment"]
    ),
    "close": lambda r, m, a, i: actions.close_matter(m, actor=a, reason=i["reason"]),
    "legal_channel": lambda r, m, a, i: actions.move_to_legal_channel(m, actor=a, route=i["route"], body=i["body"]),
}


def final_status(plan: MatterPlan) -> str:
    """The coarse status the plan's steps end in (per the kind's workflow)."""
    workflow = workflow_for(plan.kind)
    state, has_lead = workflow.initial, False
    for step in plan.steps[1:]:
        if step.verb in ACTIVITIES:
            continue
        has_lead = step.verb in ("assign", "reassign") or (has_lead and step.verb != "send_back")
        state = workflow.transition(step.verb, state).target_for(step.inputs, has_lead=has_lead)
    return workflow.status_of(state)


def split_plans(plans: list[MatterPlan], now: datetime) -> tuple[list[MatterPlan], list[MatterPlan]]:
    """(history, live): matters finished before ``LIVE_DAYS`` ago are history; the rest are replayed.

    Live matters (recent ones and every matter still open, however old) go
    through the verbs, so their running clocks, queues and warnings are the
    deadlines app's own; history is written in bulk (``demo_history``).
    """
    cutoff = now - timedelta(days=LIVE_DAYS)
    history, live = [], []
    for plan in plans:
        finished = plan.steps[-1].when < cutoff and final_status(plan) != MatterStatus.OPEN
        (history if finished else live).append(plan)
    return history, live


def _ensure_categories() -> None:
    """The seed dictionaries come with a data migration; a flushed test database has lost them."""
    if not Category.objects.current().exists():
        seed_categories(CategoryScheme, Category)


def build_matters() -> None:
    """The demo step: plan ``SANBAO_DEMO_MATTERS`` matters (default 5,000); write the long-finished ones
    in bulk and replay the rest through the verbs (see the module docstring and ``demo_history``)."""
    _ensure_categories()
    if demo_count() <= 0:
        return
    started = perf_counter()
    now = timezone.now().replace(second=0, microsecond=0)
    plans = plan_matters(now=now)
    history, live = split_plans(plans, now)
    replayer = Replayer(plans)
    written = write_history(replayer, history)
    replayed = replayer.run(live)
    logger.info(
        "demo: %d matters (%d written in bulk, %d steps; %d replayed, %d steps) in %.1f s; %d stopped early",
        len(plans),
        len(history),
        written,
        len(live),
        replayed,
        perf_counter() - started,
        len(replayer.failed),
    )
