"""Duplicate detection: MinHash LSH candidates and an entity-aware decision.

Two stages, as in every near-duplicate system that must stay fast at a
million records:

1. **Candidates.** Each text is reduced to character 3-shingles and a MinHash
   signature (datasketch) of ``NUM_PERM`` permutations, cut into ``BANDS``
   bands of ``ROWS`` rows. Texts sharing any band are candidates. With 20 × 3
   a pair of Jaccard similarity 0.5 becomes a candidate with probability 0.94,
   0.6 with 0.99, and 0.2 with only 0.15, so lookups stay small. The band
   keys are plain integers: the database index (``models.MinHashBand``) and
   the in-memory index here store the same keys.
2. **Decision.** A candidate is the *same matter* only when the texts are
   nearly the same (Jaccard or containment of shingles above thresholds) and
   nothing named in them conflicts: not the school, the compound, the village,
   the road, the organisation, the county, the person, the building, the
   phone. A substitution the entity patterns miss is caught by aligning the
   two texts: a replaced span right before a name suffix (城, 苑, 村, 路, 校,
   汽车站…), a changed flat, house or line number (1203室 / 1207室) or number
   of a school (三中 / 五中), another kind of school (小学 / 中学), a name made
   longer before its suffix (雅礼中学 / 雅礼实验中学), another person after
   their role (父亲王建华) or a name before its people (恒大的业主) means
   another place or person with the same complaint. A false merge hides
   someone's complaint, so every rule leans towards "not the same".
"""

import difflib
import hashlib
import re
import struct
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from sanbao.intake import entities
from sanbao.intake.normalise import normalise_text
from sanbao.intake.text import HAN, compact, shingles

NUM_PERM = 60
BANDS = 20
ROWS = NUM_PERM // BANDS
SEED = 20260101
# Named explicitly: stored band keys depend on it, and datasketch changed its default in 2.0.
SCHEME = "affine32"

# Decision thresholds, chosen on the labelled pairs built from records.csv
# (docs/intake.md "Duplicate decision"), with cross-validation.
SAME_JACCARD = 0.55
SAME_CONTAINMENT = 0.85
MIN_JACCARD_FOR_CONTAINMENT = 0.3
# Aligning texts is only worth it (and only meaningful) for similar pairs.
ALIGN_FROM_JACCARD = 0.25

# A replaced span followed by (or ending in) a name suffix is a different named thing.
_NAME_SUFFIXES = entities.all_suffixes()
# A changed number right before one of these is another flat, house or bus or metro line (3306室 /
# 3314室, 莲塘路1号 / 6号, 4号线 / 6号线). Buildings (栋, 单元, 号楼) are entities already.
_NUMBERED_SUFFIXES = ("号线", "号院", "号房", "路车", "路公交", "室", "号", "户")
_DIGITS = re.compile(r"[0-9]+")
# Within a longer changed region only the suffixes of places and organisations count: 市, 区, 期 and
# 组 also follow dates and counties ("C市", "日期") that a re-written complaint moves around.
_PLACE_SUFFIXES = tuple(suffix for suffix in _NAME_SUFFIXES if suffix not in set("市区省县镇乡期组栋"))
_CJK = re.compile(f"[{HAN}]")
_CJK_RUN = re.compile(f"[{HAN}]+")
_CHINESE_NUMBER = re.compile(r"[一二三四五六七八九十]+")
_SCHOOL_SUFFIXES = tuple(sorted(entities.suffixes_of(entities.SCHOOL), key=len, reverse=True))
# Words of grammar or pointing right before an inserted span: 在|金桂|小区, 该|金桂|小区 name a place
# the other text left unnamed.
_PARTICLES = frozenset("的了在和与及或是为到从向对给本该此这那各某其")
_PERSON_INTRO = ("我叫", "本人", "我是", "姓名", "患者", "认定", "申请人")
# The people of a place or organisation: a changed word right before them names another one.
_MEMBERS = (
    "业主", "住户", "居民", "租户", "商户", "学生", "家长", "老师", "师生", "员工", "职工", "工人", "村民",
    "患者", "病人", "会员", "客户", "乘客",
)  # fmt: skip
# Words before those people that name no place (besides entities.is_generic): 我们全体业主 / 我们小区的业主
# is one telling.
_NOT_MEMBER_NAMES = frozenset((
    "全体", "广大", "小区", "本小区", "该小区", "我们小区", "部分", "众多", "很多", "许多", "各位", "多名", "多位",
    "数名", "全村", "全校",
))  # fmt: skip
# A person is also named after their role (父亲王建华, 村支书李国庆, 业主陈小红); the name must then
# start with a common surname, so that 父亲去年 / 父亲前年 stays a rewording.
_PERSON_ROLES = (
    "父亲", "母亲", "爸爸", "妈妈", "儿子", "女儿", "丈夫", "妻子", "爱人", "老公", "老婆", "爷爷", "奶奶",
    "外公", "外婆", "哥哥", "姐姐", "弟弟", "妹妹", "业主", "村民", "居民", "工人", "员工", "职工", "老师",
    "校长", "医生", "书记", "支书", "主任", "村长", "组长", "镇长", "乡长", "局长", "经理", "老板", "工头",
    "同学", "学生", "孩子", "小孩", "死者", "伤者", "当事人", "负责人", "法人", "举报", "投诉",
)  # fmt: skip
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
    "汤易常温康施文牛樊葛邢安齐伍庞颜倪欧聂谷舒柳鲁包刁简祝凌柴岳车阮蒲单殷詹甘左"
)


@dataclass
class Fingerprint:
    """What the decision needs of one text: normal form, shingles, signature, named things."""

    key: object
    text: str
    shingles: frozenset[str]
    signature: np.ndarray
    received_at: datetime | None = None
    party_keys: frozenset[str] = field(default_factory=frozenset)
    _entities: entities.Entities | None = field(default=None, repr=False)

    @property
    def band_keys(self) -> list[int]:
        return band_keys(self.signature)

    @property
    def entities(self) -> entities.Entities:
        # Found on first use: most candidate pairs are told apart by their shingles alone.
        if self._entities is None:
            self._entities = entities.extract(self.text)
        return self._entities


@dataclass(frozen=True)
class Decision:
    """The verdict on one pair, with the reasons shown to the clerk."""

    same: bool
    jaccard: float
    containment: float
    conflicts: tuple[entities.Conflict, ...] = ()
    substitutions: tuple[tuple[str, str], ...] = ()

    @property
    def score(self) -> float:
        return max(self.jaccard, self.containment * 0.9)

    def reasons(self) -> list[str]:
        found = [conflict.describe() for conflict in self.conflicts]
        found += [f"{left} ≠ {right}" for left, right in self.substitutions]
        return found


def _hash32(data: bytes) -> int:
    # CRC-32 is ten times faster than datasketch's default SHA-1 and stable across
    # processes (stored band keys must not change between restarts).
    return zlib.crc32(data)


@lru_cache(maxsize=1)
def _permutations():
    # Drawing the permutations costs more than hashing a message: draw them once.
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations


def signature_of(grams: Iterable[str]) -> np.ndarray:
    minhash = MinHash(num_perm=NUM_PERM, hashfunc=_hash32, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([gram.encode() for gram in grams])
    return minhash.hashvalues


def band_keys(signature: np.ndarray) -> list[int]:
    """One signed 63-bit integer per band (SQLite and PostgreSQL bigint both hold it)."""
    keys = []
    for band in range(BANDS):
        chunk = signature[band * ROWS : (band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(struct.pack("<B", band) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "little", signed=True) >> 1)
    return keys


def bands_for(title: str, narrative: str) -> list[int]:
    """The band keys of a matter's text (what the index stores), without the cost of finding names."""
    return band_keys(signature_of(shingles(normalise_text(f"{title or ''}。{narrative or ''}"))))


def fingerprint(key, title: str, narrative: str, received_at=None, party_keys=()) -> Fingerprint:
    """Fingerprint of a matter or message (title and narrative, normalised)."""
    text = normalise_text(f"{title or ''}。{narrative or ''}")
    grams = shingles(text)
    return Fingerprint(
        key=key,
        text=text,
        shingles=grams,
        signature=signature_of(grams),
        received_at=received_at,
        party_keys=frozenset(party_keys),
    )


def _overlap(left: frozenset[str], right: frozenset[str]) -> tuple[float, float]:
    if not left or not right:
        return 0.0, 0.0
    common = len(left & right)
    return common / len(left | right), common / min(len(left), len(right))


def _changed_regions(a: str, b: str):
    """Aligned regions that differ, joining edits separated by at most two equal characters.

    Character alignment splits "9月盛凯物业" / "9长盛物业" into several small edits;
    joined, they read 月盛凯 → 长盛, right before 物业.
    """
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    region = None
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal" and (i2 - i1 > 2 or region is None):
            if region is not None:
                yield region
            region = None
        elif region is None:
            region = [i1, i2, j1, j2]
        else:
            region[1], region[3] = i2, j2
    if region is not None:
        yield region


def _before_suffix(text: str, position: int, longest_skip: int) -> bool:
    """A name suffix starts at ``position``, or after up to ``longest_skip`` more Chinese characters (月塘|村)."""
    for skip in range(longest_skip + 1):
        if skip and not _CJK.match(text, position + skip - 1):
            return False
        if text[position + skip :].startswith(_NAME_SUFFIXES):
            return True
    return False


def _suffix_straddles(text: str, start: int, end: int) -> bool:
    """A name suffix starts inside ``text[start:end]``, after its first character, and ends past it:
    the aligner kept the suffix's shared last character out of the region (桔园小|学 / 江押镇中|学)."""
    return any(
        text.startswith(suffix, position) and position + len(suffix) > end
        for position in range(start + 1, end)
        for suffix in _NAME_SUFFIXES
        if len(suffix) > 1
    )


def _renamed_before_suffix(old: str, new: str) -> bool:
    """Both changed regions hold the same name suffix after different characters (缩水|路而… / 五一|路我…)."""
    for suffix in _PLACE_SUFFIXES:
        at_old, at_new = old.find(suffix), new.find(suffix)
        if at_old >= 1 and at_new >= 1:
            before_old, before_new = old[max(0, at_old - 2) : at_old], new[max(0, at_new - 2) : at_new]
            chinese = _CJK.fullmatch(before_old[-1]) and _CJK.fullmatch(before_new[-1])
            return bool(chinese) and before_old != before_new and sorted(before_old) != sorted(before_new)
    return False


def _lengthened_name(text: str, start: int, end: int) -> tuple[str, str] | None:
    """``text[start:end]``, missing from the other text, lengthens a name before its suffix.

    万科|魅力之|城, 雅礼|实验|中学, 县|第一|人民医院: another compound, school or hospital. Returns
    the short and the long name. Not when the word before is no name (我们|金桂|小区: the other text
    only left the name out).
    """
    inserted = text[start:end]
    if start < 1 or not 2 <= len(inserted) <= 8 or not _CJK_RUN.fullmatch(inserted) or not _CJK.match(text, start - 1):
        return None
    before = text[max(0, start - 2) : start]
    if entities.is_generic(before) or before[-1] in _PARTICLES:
        return None
    suffix = next((suffix for suffix in _NAME_SUFFIXES if text.startswith(suffix, end)), None)
    if suffix is None:
        return None
    shown_from = start - len(before)
    while shown_from and text[shown_from - 1].isascii() and text[shown_from - 1].isalnum():
        shown_from -= 1  # a county code belongs to the name shown (K6县人民医院)
    before = text[shown_from:start]
    return before + suffix, before + inserted + suffix


def _numbered(text: str, start: int, end: int) -> tuple[str, str] | None:
    """The whole number around ``text[start:end]`` and the address or line suffix after it, if any.

    A day of the month (3月5号) is a date, not a house number.
    """
    while start and text[start - 1].isdigit():
        start -= 1
    while end < len(text) and text[end].isdigit():
        end += 1
    suffix = next((suffix for suffix in _NUMBERED_SUFFIXES if text.startswith(suffix, end)), None)
    if suffix is None or (suffix == "号" and text[start - 1 : start] == "月"):
        return None
    return text[start:end], suffix


def _renumbered(a: str, i1: int, i2: int, b: str, j1: int, j2: int) -> tuple[str, str] | None:
    """Another flat, house or line: the changed region is digits of a number before such a suffix.

    Returns the two numbers with their suffix (1203室, 1207室). The same digits in another order
    (1201室 / 1021室) are a typing slip, as for names.
    """
    # The aligner may hand over a region with a shared end (1室 / 2室, at the end of a text).
    while i2 > i1 and j2 > j1 and a[i2 - 1] == b[j2 - 1]:
        i2, j2 = i2 - 1, j2 - 1
    while i1 < i2 and j1 < j2 and a[i1] == b[j1]:
        i1, j1 = i1 + 1, j1 + 1
    # The region may run on past the number (201室 / 209室谢谢, when a closing is added after it).
    digits_a, digits_b = _DIGITS.match(a, i1, i2), _DIGITS.match(b, j1, j2)
    if not digits_a or not digits_b:
        return None
    old, new = _numbered(a, i1, digits_a.end()), _numbered(b, j1, digits_b.end())
    if not old or not new or sorted(old[0]) == sorted(new[0]):
        return None
    return "".join(old), "".join(new)


def _renumbered_school(a: str, i1: int, i2: int, b: str, j1: int, j2: int) -> tuple[str, str] | None:
    """Another numbered school: the changed region is the number of 三中 / 五中, 十一中 / 十二中."""
    if not (_CHINESE_NUMBER.fullmatch(a[i1:i2]) and _CHINESE_NUMBER.fullmatch(b[j1:j2])):
        return None
    while i1 and _CHINESE_NUMBER.fullmatch(a[i1 - 1]):
        i1 -= 1
    while j1 and _CHINESE_NUMBER.fullmatch(b[j1 - 1]):
        j1 -= 1
    old, new = entities.numbered_school_at(a, i1), entities.numbered_school_at(b, j1)
    return (old, new) if old and new and old != new else None


def _school_level_changed(a: str, i1: int, b: str, j1: int) -> tuple[str, str] | None:
    """The same name with another kind of school: 大山中学 / 大山小学, 红星小学 / 红星幼儿园."""
    old = next((suffix for suffix in _SCHOOL_SUFFIXES if a.startswith(suffix, i1)), None)
    new = next((suffix for suffix in _SCHOOL_SUFFIXES if b.startswith(suffix, j1)), None)
    stem = a[max(0, i1 - 2) : i1]
    if not old or not new or old == new or not _CJK_RUN.fullmatch(stem) or entities.is_generic(stem):
        return None
    return stem + old, stem + new


def _renamed_by_members(a: str, i1: int, i2: int, b: str, j1: int, j2: int) -> tuple[str, str] | None:
    """A name without a suffix, known by its people: 恒大的业主 / 保利的业主, 长郡的学生 / 雅礼的学生."""
    old, new = a[i1:i2].removesuffix("的"), b[j1:j2].removesuffix("的")
    ends_a, ends_b = i1 + len(old), j1 + len(new)
    after = (a[ends_a : ends_a + 4], b[ends_b : ends_b + 4])
    followed = all(text.removeprefix("的").startswith(_MEMBERS) for text in after)
    if not followed or not (2 <= len(old) <= 8 and 2 <= len(new) <= 8):
        return None
    if any(name in _NOT_MEMBER_NAMES or entities.is_generic(name) or name[-1] in _PARTICLES for name in (old, new)):
        return None
    return old, new


def _renamed_person(a: str, i1: int, i2: int, b: str, j1: int, j2: int) -> tuple[str, str] | None:
    """Another person after a role word: 父亲王建华 / 父亲李国庆, 支书王建华 / 支书王国庆."""
    for back in range(3):  # the region may start after the shared surname or given name
        start_a, start_b = i1 - back, j1 - back
        if start_a < 0 or start_b < 0 or not a.endswith(_PERSON_ROLES, 0, start_a):
            continue
        name_a, name_b = a[start_a:i2], b[start_b:j2]
        if 2 <= len(name_a) <= 3 and 2 <= len(name_b) <= 3 and name_a[0] in _SURNAMES and name_b[0] in _SURNAMES:
            return name_a, name_b
    return None


def substitutions(left: str, right: str) -> list[tuple[str, str]]:
    """Spans replaced between two aligned texts that sit right before a name suffix.

    "汇金城三期" / "嘉华城三期" aligns with 汇金 → 嘉华 followed by 城: a different
    compound. A reordering of the same characters (a typing slip) is not one.
    """
    a, b = compact(left), compact(right)
    found = []
    for i1, i2, j1, j2 in _changed_regions(a, b):
        old, new = a[i1:i2], b[j1:j2]
        if bool(old) != bool(new):
            lengthened = _lengthened_name(a, i1, i2) if old else _lengthened_name(b, j1, j2)
            # Both names as written: punctuation (gone from the compacted texts) splits 严重。|再次反映|市.
            long_in, short_in = (left, right) if old else (right, left)
            if lengthened and lengthened[1] in long_in and lengthened[0] in short_in:
                found.append(lengthened[::-1] if old else lengthened)
            continue
        if not old or not new or sorted(old) == sorted(new):
            continue
        if entities.school_number(old) and entities.school_number(old) == entities.school_number(new):
            continue  # 第一中学 / 一中: one school written two ways
        renumbered = (
            _renumbered(a, i1, i2, b, j1, j2)
            or _renumbered_school(a, i1, i2, b, j1, j2)
            or _school_level_changed(a, i1, b, j1)
        )
        if renumbered:
            found.append(renumbered)
            continue
        if _renamed_before_suffix(old, new):
            found.append((old[:12], new[:12]))
            continue
        if max(len(old), len(new)) > 12:
            continue
        # A one-character change (威/伟) is usually a typing slip unless a suffix follows within one character.
        longest_skip = 2 if min(len(old), len(new)) > 1 else 1
        names_a_place = (
            _before_suffix(a, i2, longest_skip)
            or _before_suffix(b, j2, longest_skip)
            or (old.endswith(_NAME_SUFFIXES) and new.endswith(_NAME_SUFFIXES))
            or (_suffix_straddles(a, i1, i2) and _suffix_straddles(b, j1, j2))
        )
        names_a_person = a[max(0, i1 - 3) : i1].endswith(_PERSON_INTRO) and max(len(old), len(new)) <= 4
        if names_a_place or names_a_person:
            found.append((old, new))
        elif renamed := _renamed_person(a, i1, i2, b, j1, j2) or _renamed_by_members(a, i1, i2, b, j1, j2):
            found.append(renamed)
    return list(dict.fromkeys(found))  # a name repeated in the text is one difference


def decide(left: Fingerprint, right: Fingerprint) -> Decision:
    """Is ``right`` the same matter as ``left``? Conservative: any named difference says no."""
    jaccard, containment = _overlap(left.shingles, right.shingles)
    if jaccard < ALIGN_FROM_JACCARD and (jaccard < MIN_JACCARD_FOR_CONTAINMENT or containment < SAME_CONTAINMENT):
        return Decision(False, round(jaccard, 4), round(containment, 4))
    found_conflicts = tuple(entities.conflicts(left.entities, right.entities))
    similar = jaccard >= SAME_JACCARD or (containment >= SAME_CONTAINMENT and jaccard >= MIN_JACCARD_FOR_CONTAINMENT)
    found_substitutions: tuple[tuple[str, str], ...] = ()
    if jaccard >= ALIGN_FROM_JACCARD and not found_conflicts:
        found_substitutions = tuple(substitutions(left.text, right.text))
    same = similar and not found_conflicts and not found_substitutions
    return Decision(same, round(jaccard, 4), round(containment, 4), found_conflicts, found_substitutions)


class MemoryIndex:
    """LSH index in memory (command-line evaluation, clustering a file of messages).

    Stores the same band keys as the database index, so candidates are the
    same whichever store answers.
    """

    def __init__(self) -> None:
        self.buckets: dict[int, list[object]] = defaultdict(list)
        self.fingerprints: dict[object, Fingerprint] = {}

    def add(self, item: Fingerprint) -> None:
        self.fingerprints[item.key] = item
        for band in item.band_keys:
            self.buckets[band].append(item.key)

    def candidate_keys(self, item: Fingerprint) -> dict[object, int]:
        """Keys sharing at least one band with ``item`` (itself excluded), with the number shared."""
        hits: dict[object, int] = defaultdict(int)
        for band in item.band_keys:
            for key in self.buckets.get(band, ()):
                if key != item.key:
                    hits[key] += 1
        return hits

    def candidates(self, item: Fingerprint) -> list[tuple[Fingerprint, Decision]]:
        """Candidates with their decisions, most similar first."""
        decided = [(self.fingerprints[key], decide(item, self.fingerprints[key])) for key in self.candidate_keys(item)]
        return sorted(decided, key=lambda pair: -pair[1].score)

    def same_matter(self, left_key, right_key) -> bool:
        """The product's verdict on a pair: a candidate of the index, and decided the same."""
        left, right = self.fingerprints[left_key], self.fingerprints[right_key]
        if right_key not in self.candidate_keys(left):
            return False
        return decide(left, right).same
