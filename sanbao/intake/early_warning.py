"""Early warning (预警): clusters of related matters from several people, recomputed periodically.

``recompute_warnings`` reads the matters received in the last
``window_days`` per county, clusters them with ``hotspots.find_clusters``
(the same code as ``sanbao hotspots``), keeps clusters of at least
``min_matters`` matters from at least ``min_people`` people, and raises or
refreshes one ``EarlyWarning`` per cluster (same county and site → same
warning). A raised warning is audited (system actor) and its area's
directors and committee staff are notified in the inbox.

Thresholds come from settings (``SANBAO_WARNING_*``, see docs/intake.md) and
can be overridden per call.
"""

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils import timezone

from sanbao import config
from sanbao.audit.actions import record_event
from sanbao.deadlines.models import Notification
from sanbao.intake import events
from sanbao.intake.choices import WarningLevel
from sanbao.intake.hotspots import Cluster, Item, find_clusters
from sanbao.intake.models import EarlyWarning
from sanbao.matters.choices import MatterKind, PartyType
from sanbao.matters.models import Matter, Party
from sanbao.org.choices import Role
from sanbao.org.models import Area, User

logger = logging.getLogger(__name__)
COUNTY_DIGITS = 6
TOWNSHIP_DIGITS = 9
# Words that make any cluster high: people gathering, blocking, threatening their lives.
# Never 上访/信访: petitioning is lawful, a plan to petition is no threat (docs/intake.md).
SEVERE_WORDS = frozenset({"聚集", "堵路", "堵门", "围堵", "拉横幅", "静坐", "冲突", "打砸", "跳楼", "自杀"})


@dataclass(frozen=True)
class Thresholds:
    window_days: int = 30
    min_matters: int = 3
    min_people: int = 3
    medium_people: int = 5
    high_people: int = 10

    @classmethod
    def from_settings(cls) -> "Thresholds":
        def read(name: str, default: int) -> int:
            return int(getattr(settings, f"SANBAO_WARNING_{name}", config.get_int(f"SANBAO_WARNING_{name}", default)))

        return cls(
            window_days=read("WINDOW_DAYS", cls.window_days),
            min_matters=read("MIN_MATTERS", cls.min_matters),
            min_people=read("MIN_PEOPLE", cls.min_people),
            medium_people=read("MEDIUM_PEOPLE", cls.medium_people),
            high_people=read("HIGH_PEOPLE", cls.high_people),
        )


@dataclass
class Summary:
    raised: int = 0
    refreshed: int = 0
    matters: int = 0

    def __str__(self) -> str:
        return f"raised={self.raised} refreshed={self.refreshed} matters={self.matters}"


def _person(matter: Matter) -> str:
    """Who brought the matter: the first applicant's keyed hash or name, else the matter itself."""
    for party in matter.parties.all():
        if party.party_type == PartyType.PERSON:
            return party.id_number_hash or party.phone_hash or party.name or f"matter-{matter.pk}"
    return f"matter-{matter.pk}"


def _township_code(area_code: str) -> str:
    return area_code[:TOWNSHIP_DIGITS].ljust(12, "0")


def _area_names(matters: list[Matter]) -> dict[str, str]:
    """Current names of the matters' areas and of their townships, by code."""
    codes = {matter.area_code for matter in matters} | {_township_code(matter.area_code) for matter in matters}
    return dict(Area.objects.current().filter(code__in=codes).values_list("code", "name"))


def _item(matter: Matter, area_names: dict[str, str]) -> Item:
    organisations = tuple(party.name for party in matter.parties.all() if party.party_type == PartyType.ORGANISATION)
    areas = (area_names.get(_township_code(matter.area_code), ""), area_names.get(matter.area_code, ""))
    return Item(
        key=str(matter.pk),
        title=matter.title,
        text=matter.narrative,
        received_at=matter.received_at,
        person=_person(matter),
        extra_keys=(matter.place, *organisations),
        # Its township and village: their names say where a matter is, not what it is about.
        areas=tuple(name for name in areas if name),
    )


def level_of(cluster: Cluster, kinds: set[str], thresholds: Thresholds) -> str:
    """高 for many people, an incident, or words of gathering and threats; 中 for several people or risk words."""
    if (
        cluster.people >= thresholds.high_people
        or MatterKind.INCIDENT in kinds
        or SEVERE_WORDS & set(cluster.risk_words)
    ):
        return WarningLevel.HIGH
    if cluster.people >= thresholds.medium_people or cluster.risk_words:
        return WarningLevel.MEDIUM
    return WarningLevel.LOW


def _area_of(matters: list[Matter]) -> str:
    """The township of at least two thirds of the members, else their county (12-digit codes).

    Eighteen matters of 东城街道 about 丽景新城 and three strays that name it elsewhere are
    东城街道's warning (the county committee sees it too); an even spread is the county's.
    """
    township, count = Counter(matter.area_code[:TOWNSHIP_DIGITS] for matter in matters).most_common(1)[0]
    if count * 3 >= len(matters) * 2:
        return _township_code(township)
    return matters[0].area_code[:COUNTY_DIGITS].ljust(12, "0")


def _recipients(area_code: str) -> list[int]:
    users = User.objects.filter(is_active=True, unit__isnull=False).select_related("unit__area")
    prefix_county = area_code[:COUNTY_DIGITS]
    found = []
    for user in users.filter(unit__area__code__startswith=prefix_county):
        prefix = user.jurisdiction_prefix or ""
        if area_code.startswith(prefix) and user.has_role(Role.DIRECTOR, Role.COMMITTEE):
            found.append(user.pk)
    return found


def _existing(signature: str, county: str, members: list[Matter]) -> EarlyWarning | None:
    """The open warning of this cluster: same signature, or (the site is named differently this time)
    an open warning of the county sharing at least half of its members."""
    open_warnings = EarlyWarning.objects.open()
    found = open_warnings.select_for_update().filter(signature=signature).first()
    if found is not None:
        return found
    # Counting needs GROUP BY, which PostgreSQL cannot lock: find the row first, then lock it.
    shared = (
        open_warnings.filter(signature__startswith=f"{county}|", matters__in=members)
        .annotate(shared=Count("matters"))
        .order_by("-shared", "pk")
        .first()
    )
    if shared is not None and shared.shared * 2 >= min(len(members), shared.matter_count):
        return EarlyWarning.objects.select_for_update().get(pk=shared.pk)
    return None


def _save(cluster: Cluster, members: list[Matter], county: str, thresholds: Thresholds, summary: Summary, now, send):
    signature = f"{county}|{cluster.site}"[:200]
    level = level_of(cluster, {matter.kind for matter in members}, thresholds)
    fields = {
        "area_code": _area_of(members),
        "site": cluster.site[:200],
        "label": cluster.label[:300],
        "level": level,
        "why": cluster.why(),
        "people_count": cluster.people,
        "matter_count": cluster.size,
        "risk_words": cluster.risk_words,
        "score": cluster.score,
        "first_at": cluster.first,
        "last_at": cluster.last,
        "updated_at": now,
    }
    warning = _existing(signature, county, members)
    if warning is None:
        warning = EarlyWarning.objects.create(signature=signature, created_at=now, **fields)
        record_event(
            events.WARNING_RAISED,
            target=warning,
            area_code=warning.area_code,
            after={"site": warning.site, "level": level, "people": cluster.people, "matters": cluster.size},
        )
        params = {
            "level": str(WarningLevel(level).label),
            "label": warning.label,
            "people": cluster.people,
            "matters": cluster.size,
        }
        link = reverse("intake:warning_detail", args=[warning.pk])
        Notification.objects.bulk_create(
            [
                Notification(
                    recipient_id=user_id, code=events.NOTICE_WARNING, params=params, link=link,
                    delivered_at=None if send else now,
                )
                for user_id in _recipients(warning.area_code)
            ]
        )
        summary.raised += 1
    else:
        for name, value in fields.items():
            setattr(warning, name, value)
        warning.save(update_fields=list(fields))
        summary.refreshed += 1
    warning.matters.set(members)


def recompute_warnings(*, now=None, thresholds: Thresholds | None = None, send: bool = True) -> Summary:
    """Raise or refresh the early warnings of every county from the matters of the window.

    ``send=False`` (the demo) keeps the notices of new warnings in the inbox: they are marked
    delivered and never go out through the notification backends.
    """
    thresholds = thresholds or Thresholds.from_settings()
    now = now or timezone.now()
    since = now - timedelta(days=thresholds.window_days)
    matters = list(
        Matter.objects.filter(received_at__gte=since, received_at__lte=now)
        .only("id", "title", "narrative", "place", "received_at", "area_code", "kind")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.order_by("id")))
    )
    by_county: dict[str, list[Matter]] = {}
    for matter in matters:
        by_county.setdefault(matter.area_code[:COUNTY_DIGITS], []).append(matter)
    summary = Summary(matters=len(matters))
    area_names = _area_names(matters)
    for county, group in by_county.items():
        by_key = {str(matter.pk): matter for matter in group}
        items = [_item(matter, area_names) for matter in group]
        clusters = find_clusters(items, min_size=thresholds.min_matters, now=now)
        with transaction.atomic():
            for cluster in clusters:
                if cluster.people >= thresholds.min_people:
                    _save(cluster, [by_key[key] for key in cluster.members], county, thresholds, summary, now, send)
    logger.info("early warnings recomputed: %s", summary)
    return summary


def demo_step() -> None:
    """Demo step: index the demo matters for duplicates and raise the warnings of the last window."""
    from sanbao.intake.signatures import reindex_signatures

    reindex_signatures()
    latest = Matter.objects.order_by("-received_at").values_list("received_at", flat=True).first()
    if latest is not None:
        recompute_warnings(now=max(latest, timezone.now()), send=False)
