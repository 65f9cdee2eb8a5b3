"""Hotspots: clusters of messages or matters about one site, ranked by concern.

One code path serves ``sanbao hotspots`` (a file of messages) and the early
warning (matters of a window, ``early_warning.recompute_warnings``):

1. **Site keys.** Every text yields the named things of ``entities`` (a
   compound, school, village, organisation, road, township), each as its full
   name and its bare name (月湖安置小区 → 月湖安置小区, 月湖安置; 月湖大市场 →
   月湖大市场, 月湖大), plus words jieba does not know (伊景园, 魅力之城) which
   are mostly proper names, plus any keys the caller adds (the matter's place,
   an organisation party). The stem of a township or village named in any
   text, or given as the item's area, is no key: 城关 of 城关育才中学 and
   城关建材公司 says where they are, not that they are one site.
2. **Candidate clusters.** The texts sharing a key, if at least ``min_size``
   of them share it (and, for a generic key in a file of 50 texts or more,
   at most ``max_share`` of them: such a key found everywhere names no site).
3. **Coherence.** Members must be about the same thing: each one's TF-IDF
   vector (jieba words) must be close to the cluster's centroid. For a
   village or township the words of its own name do not count: every matter
   of 城关街道 names 城关街道, which says nothing about what it is about (a
   compound's or a company's name, on the contrary, is the subject). Messages
   that merely mention the site in passing drop out.
4. **Merging.** Candidate clusters that mostly overlap are one site under two
   names (伊景园 and 滨河苑) and are merged.
5. **Concern.** ``score = people × (1 + risk) × recency``: distinct people
   (the ``person`` of each item, else distinct texts), risk words (聚集, 堵路,
   讨薪, 跳楼…) in the share of members that use them (never 上访, 信访 or
   维权: petitioning and defending one's rights are lawful, not a risk), and recency
   (half weight after ``half_life_days`` before the newest text). Clusters are
   taken greedily, best first, each text in one cluster only.
"""

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from sanbao.intake import entities
from sanbao.intake.normalise import normalise_text
from sanbao.intake.text import HAN, dictionary_frequency, words

SITE_KINDS = (
    entities.COMPOUND,
    entities.SCHOOL,
    entities.VILLAGE,
    entities.ORGANISATION,
    entities.ROAD,
    entities.TOWNSHIP,
)
# Not 上访/信访/维权 (petitioning and defending one's rights are lawful: saying so must not make
# a cluster more "worrying", see docs/intake.md) and not 集体 (集体土地, 集体经济组织 are the
# everyday words of land disputes).
RISK_WORDS = (
    "群体", "聚集", "堵路", "堵门", "拉横幅", "静坐", "围堵", "冲突", "打砸", "跳楼", "自杀",
    "讨薪", "欠薪", "拖欠工资", "死亡", "伤亡", "爆炸", "火灾", "坍塌", "中毒", "污染", "传销", "诈骗",
    "非法集资", "暴力", "威胁", "恐吓", "安全隐患", "人身安全", "紧急", "强拆", "断水", "断电",
)  # fmt: skip
_WORD_KEY = re.compile(rf"^[{HAN}]{{3,8}}$")
_REGION = re.compile(r"(?<![A-Za-z0-9])([A-Z])\d{0,2}[市县区]")
# jieba dictionary counts from which a bare name is an everyday word (物业 239, 中心 > 10,000).
GENERIC_WORD_FREQUENCY = 100
GENERIC = "~"
# Generic keys gather texts by type (物业公司) as much as by place: they must
# be more alike to count, and weigh less.
GENERIC_MIN_SIMILARITY = 0.25
GENERIC_WEIGHT = 0.6


@dataclass
class Item:
    """One text to cluster: a message of a file, or a matter of the window."""

    key: str
    title: str
    text: str
    received_at: datetime | None = None
    person: str = ""
    extra_keys: tuple[str, ...] = ()
    # Names of the administrative areas the item is in (城关街道, 东塘村), when known.
    areas: tuple[str, ...] = ()
    normal: str = field(default="", init=False)
    sites: dict[str, str] = field(default_factory=dict, init=False)
    area_stems: set[str] = field(default_factory=set, init=False)

    def prepare(self) -> None:
        self.normal = normalise_text(f"{self.title}。{self.text}")
        found = entities.extract(self.normal)
        self.sites = site_keys(self.normal, found)
        for key in self.extra_keys:
            if key:
                self.sites.setdefault(normalise_text(key), key)
        named = [*found.of(entities.TOWNSHIP), *found.of(entities.VILLAGE), *map(normalise_text, self.areas)]
        self.area_stems = {_bare(name) for name in named} - {""}
        self.sites = {key: name for key, name in self.sites.items() if key not in self.area_stems}


@dataclass
class Cluster:
    """A site many texts are about, with what makes it worrying."""

    label: str
    site: str
    members: list[str]
    people: int
    first: datetime | None
    last: datetime | None
    risk_words: list[str]
    score: float = 0.0

    @property
    def size(self) -> int:
        return len(self.members)

    def why(self) -> str:
        parts = [f"{self.site}: {self.size} 件, {self.people} 人"]
        if self.first and self.last:
            parts.append(f"{self.first:%Y-%m-%d} — {self.last:%Y-%m-%d}")
        if self.risk_words:
            parts.append("风险词: " + "、".join(self.risk_words))
        return "; ".join(parts)


def _bare(name: str) -> str:
    """The name without its kind's suffix (月湖安置小区 → 月湖安置), or "" when too short to name anything."""
    for suffix in entities.all_suffixes():
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return ""


def _is_generic(name: str) -> bool:
    """物业公司, 中心医院, 菜市场: the bare name is an everyday word (or one character)."""
    bare = _bare(name)
    return not bare or dictionary_frequency(bare) >= GENERIC_WORD_FREQUENCY


def _region(text: str) -> str:
    """The first city-level region named in the text (A市 and A4区 are both region A), or ""."""
    match = _REGION.search(text)
    return match.group(1) if match else ""


def site_keys(text: str, found: entities.Entities | None = None) -> dict[str, str]:
    """Keys naming a site in normalised ``text`` → the name to show for it.

    Besides the full name, the bare name and its first word are keys, so
    月湖小区, 月湖安置小区 and 月湖大市场 meet under 月湖. A generic key (物业公司,
    or a first word that is an everyday word such as 月湖 or 中心) counts only
    together with the region the text names first (``A|月湖``): the 物业公司
    of region A is not that of region K. Generic keys start with ``GENERIC``.
    """
    found = entities.extract(text) if found is None else found
    region = _region(text)
    keys: dict[str, str] = {}

    def add(key: str, shown: str) -> None:
        if dictionary_frequency(key) < GENERIC_WORD_FREQUENCY:
            keys.setdefault(key, shown)
        elif region:
            keys.setdefault(f"{GENERIC}{region}|{key}", shown)

    for kind in SITE_KINDS:
        for name in found.of(kind):
            bare = _bare(name)
            if not bare:
                continue
            add(name if not _is_generic(name) else bare, name)
            first = words(bare)[0]
            # 月湖 joins 月湖小区 and 月湖大市场 (one place); 华兴 of 华兴环保科技 and 华兴竹木制品 is
            # a word two companies chose, not a place.
            if len(first) >= 2 and first != bare and kind != entities.ORGANISATION:
                add(first, name)
    for word in set(words(text)):
        # Words jieba's dictionary has never seen are mostly proper names (伊景园, 魅力之城).
        if _WORD_KEY.match(word) and dictionary_frequency(word) == 0:
            keys.setdefault(word, word)
    return keys


def _content_words(text: str) -> list[str]:
    return [word for word in words(text) if len(word) > 1]


def _vectors(items: list[Item]):
    # Words in more than 30 % of the texts (我们, 问题, 反映) say nothing about a site.
    large = len(items) >= 50
    vectorizer = TfidfVectorizer(
        analyzer=_content_words, sublinear_tf=True, min_df=2 if large else 1, max_df=0.3 if large else 1.0
    )
    matrix = vectorizer.fit_transform([item.normal for item in items])
    return matrix, np.array(vectorizer.get_feature_names_out())


def _without(matrix, columns: list[int]):
    """The rows with ``columns`` emptied and normalised again (what is left of each text)."""
    if not columns:
        return matrix
    mask = np.ones(matrix.shape[1], dtype=matrix.dtype)
    mask[columns] = 0
    return normalize(matrix.multiply(mask).tocsr())


def _coherent(members: list[int], matrix, min_similarity: float, site_columns: list[int] = ()) -> list[int]:
    """Members close to the centroid of the *other* members, dropping outliers until all are.

    Leaving the member out matters: in a small set every text is close to a
    centroid it is part of (ten random messages score 0.35 with it, 0.05 without).
    ``site_columns`` (the words of a village's or township's name) are left out of the comparison.
    """
    members = list(members)
    texts = _without(matrix[members], list(site_columns))
    position_of = {member: position for position, member in enumerate(members)}
    while len(members) >= 2:
        rows = texts[[position_of[member] for member in members]]
        total = np.asarray(rows.sum(axis=0)).ravel()
        similarity = []
        for position in range(len(members)):
            row = rows[position].toarray().ravel()
            others = total - row
            norm = np.linalg.norm(others)
            similarity.append(float(row @ others) / norm if norm else 0.0)
        worst = int(np.argmin(similarity))
        if similarity[worst] >= min_similarity:
            return members
        members.pop(worst)
    return []


_AREA_SUFFIXES = tuple(
    suffix for kind in (entities.VILLAGE, entities.TOWNSHIP) for suffix in entities.suffixes_of(kind)
)


def _area_columns(key: str, names, vocabulary: dict[str, int]) -> list[int]:
    """For a village or township (城关街道 → 城关, 街道): the columns of its name's words; else none."""
    if not any(name.endswith(_AREA_SUFFIXES) for name in names):
        return []
    site_words = {key.split("|")[-1], *names}
    for name in list(site_words):
        site_words.update(words(name))
    return sorted(vocabulary[word] for word in site_words if word in vocabulary)


def _candidates(items, matrix, terms, *, min_size, max_share, min_similarity) -> list[tuple[str, set[int], bool]]:
    by_key: dict[str, set[int]] = defaultdict(set)
    # A key is shown under the full name its texts use most (经济 → 经济学院).
    shown: dict[str, Counter] = defaultdict(Counter)
    for position, item in enumerate(items):
        for key, name in item.sites.items():
            by_key[key].add(position)
            shown[key][name] += 1
    # Only a generic key (物业公司 of region A) found in a large share of many texts names no site;
    # a proper name stays a candidate however many texts use it (a hot site may fill a small window).
    limit = max(min_size, int(max_share * len(items))) if len(items) >= 50 else len(items)
    vocabulary = {term: column for column, term in enumerate(terms)}
    candidates = []
    for key, members in by_key.items():
        generic = key.startswith(GENERIC)
        if min_size <= len(members) and (not generic or len(members) <= limit):
            threshold = max(min_similarity, GENERIC_MIN_SIMILARITY) if generic else min_similarity
            kept = _coherent(sorted(members), matrix, threshold, _area_columns(key, shown[key], vocabulary))
            if len(kept) >= min_size:
                candidates.append((shown[key].most_common(1)[0][0], set(kept), generic))
    return candidates


def _merge(candidates, overlap: float) -> list[tuple[str, set[int], bool]]:
    """Merge candidate clusters whose members mostly coincide (one site under two names)."""
    merged: list[tuple[str, set[int], bool]] = []
    # Specific names first, then the largest: the merged cluster is shown under the best name.
    for name, members, generic in sorted(candidates, key=lambda entry: (entry[2], -len(entry[1]), entry[0])):
        for position, (kept_name, kept, kept_generic) in enumerate(merged):
            if len(members & kept) >= overlap * min(len(members), len(kept)):
                merged[position] = (kept_name, kept | members, kept_generic and generic)
                break
        else:
            merged.append((name, set(members), generic))
    return merged


# Words that say what kind of text or organisation it is, not what the cluster is about: a label
# 城关街道 · 有限公司 · 定金 tells the director less than 城关街道 · 定金 · 退款.
LABEL_NOISE = frozenset({
    "有限公司", "有限责任", "责任", "公司", "股份", "集团",
    "纠纷", "问题", "反映", "投诉", "要求", "情况", "相关", "事项",
})
_COUNT_WORD = re.compile(r"^[\d一二三四五六七八九十百千万两几多]+[个名位次件天年月日号栋户人家]?$")


def _label(site: str, members: list[int], matrix, terms, titles: list[str]) -> str:
    """The site and the two words that best say what its texts are about.

    Among the words most weighted in the members' texts, those in many of their titles come first:
    a title states the subject (拖欠 工资), a body also tells the story (三个 月, 车间).
    """
    weights = np.asarray(matrix[members].mean(axis=0)).ravel()
    ranked = []
    for index in np.argsort(-weights, kind="stable")[:30]:
        term = terms[index]
        if len(term) < 2 or term in site or site in term or term in LABEL_NOISE or _COUNT_WORD.match(term):
            continue
        in_titles = sum(term in titles[member] for member in members) / len(members)
        ranked.append((-weights[index] * (1 + in_titles), len(ranked), term))
    return " · ".join([site, *(term for _, _, term in sorted(ranked)[:2])])


def _score(items: list[Item], members: list[int], newest: datetime | None, half_life_days: float, generic: bool):
    people = len({items[m].person or items[m].normal for m in members})
    risky = [word for word in RISK_WORDS if any(word in items[m].normal for m in members)]
    risk_share = sum(1 for m in members if any(word in items[m].normal for word in RISK_WORDS)) / len(members)
    times = [items[m].received_at for m in members if items[m].received_at]
    recency = 1.0
    if times and newest:
        age_days = max(0.0, (newest - max(times)).total_seconds() / 86400)
        recency = 0.5 + 0.5 * math.pow(0.5, age_days / half_life_days)
    score = people * (1 + 0.5 * risk_share) * recency * (GENERIC_WEIGHT if generic else 1.0)
    return score, people, risky, (min(times) if times else None), (max(times) if times else None)


def find_clusters(
    items: list[Item],
    *,
    min_size: int = 3,
    max_share: float = 0.3,
    min_similarity: float = 0.15,
    overlap: float = 0.6,
    half_life_days: float = 30.0,
    now: datetime | None = None,
    top: int | None = None,
) -> list[Cluster]:
    """Clusters of ``items`` about one site, most worrying first (see the module docstring)."""
    if len(items) < min_size:
        return []
    for item in items:
        item.prepare()
    # 城关 of 城关育才中学 and 城关建材公司 is the township they are in, not a site of its own,
    # whichever text names the township.
    area_stems = set().union(*(item.area_stems for item in items))
    for item in items:
        item.sites = {key: name for key, name in item.sites.items() if key not in area_stems}
    matrix, terms = _vectors(items)
    titles = [normalise_text(item.title) for item in items]
    candidates = _merge(
        _candidates(items, matrix, terms, min_size=min_size, max_share=max_share, min_similarity=min_similarity),
        overlap,
    )
    newest = now or max((item.received_at for item in items if item.received_at), default=None)
    taken: set[int] = set()
    clusters: list[Cluster] = []
    while candidates and (top is None or len(clusters) < top):
        scored = []
        for site, members, generic in candidates:
            free = sorted(members - taken)
            if len(free) >= min_size:
                scored.append((_score(items, free, newest, half_life_days, generic), site, free))
        if not scored:
            break
        (score, people, risky, first, last), site, free = max(scored, key=lambda entry: (entry[0][0], entry[1]))
        label = _label(site, free, matrix, terms, titles)
        members = [items[m].key for m in free]
        clusters.append(Cluster(label, site, members, people, first, last, risky, round(score, 3)))
        taken.update(free)
        candidates = [entry for entry in candidates if entry[0] != site]
    return clusters
