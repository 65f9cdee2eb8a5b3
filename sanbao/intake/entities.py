"""Named things in a complaint: places, schools, compounds, villages, roads, organisations, people, phones.

Chinese names end in a word that says what they are (藕塘小学, 金地家园,
磨子平村, 莲花西路, 合力超市), so a name is found as the run of characters
before such a suffix, trimmed on the left at administrative levels (省 市 县 区
镇 乡 街道), street numbers and words that cannot be part of a name (我们, 导致,
这个…; judged by jieba's part of speech). Generic mentions (我们小区, 该学校)
leave no name and are ignored.

Two texts *conflict* when, for some kind, each names a thing that matches
nothing of that kind named in the other: the same complaint about a
different school is a different matter, while a longer telling that names
one more road is not. Names match when equal, when one of at least three
characters ends the other (藕塘小学 / 夷江藕塘小学), or when they are the same
characters in another order (a typing slip: 冯辉金 / 冯金辉).
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from sanbao.intake.normalise import phones_in, resident_ids_in
from sanbao.intake.text import HAN, part_of_speech, words_with_punctuation
from sanbao.intake.text import dictionary_frequency as _dictionary_frequency

SCHOOL = "school"
COMPOUND = "compound"
VILLAGE = "village"
ROAD = "road"
ORGANISATION = "organisation"
TOWNSHIP = "township"
DISTRICT = "district"
CITY = "city"
PERSON = "person"
BUILDING = "building"
PHONE = "phone"
ID_NUMBER = "id_number"

KIND_LABELS = {
    SCHOOL: "学校",
    COMPOUND: "小区",
    VILLAGE: "村/社区",
    ROAD: "道路",
    ORGANISATION: "单位",
    TOWNSHIP: "乡镇/街道",
    DISTRICT: "县区",
    CITY: "市",
    PERSON: "人员",
    BUILDING: "楼栋",
    PHONE: "电话",
    ID_NUMBER: "身份证号",
}

# Longest suffixes first inside each alternation so 实验学校 wins over 学校.
_SUFFIXES = {
    SCHOOL: "实验学校|培训学校|幼儿园|附属小学|附属中学|小学|中学|大学|学院|学校|职校|中专|技校|附小|附中|高中|初中",
    # Many compounds carry no 小区 at all (恒大华府, 紫金国际, 潇水壹号, 东方明珠).
    COMPOUND: (
        "安置小区|小区|花园|家园|公寓|新村|新城|华庭|名城|名都|山庄|公馆|大厦|雅苑|佳苑|新苑|南苑|北苑|苑|"
        "华府|首府|国际|壹号|绿洲|明珠|花都|新天地|世家"
    ),
    VILLAGE: "社区|村委会|村",
    ROAD: "大道|大街|西路|东路|南路|北路|中路|路|街|巷",
    ORGANISATION: (
        "有限责任公司|有限公司|分公司|公司|集团|人民医院|中医院|医院|卫生院|诊所|银行|信用社|超市|酒店|宾馆|"
        "工厂|厂|商场|大市场|市场|项目部|物业|加油站|派出所|合作社|屠宰场|采石场|搅拌站|养殖场|工地|楼盘|"
        # Places people complain about by name: 鑫源驾校 and 宏达驾校 are two of them.
        "驾校|养老院|敬老院|福利院|煤矿|养猪场|养鸡场|猪场|垃圾场|填埋场|停车场|饭店|酒楼|餐馆|网吧|火锅店|"
        "便利店|商店|洗车店|石场|砂场|歌厅|夜总会|茶楼|农庄|KTV"
    ),
    TOWNSHIP: "街道办事处|街道|镇|乡",
    # Government bureaus (局) are left out on purpose: 教育局 and 人社局 exist in
    # every county, and the county code already tells them apart.
    # Counties by Chinese name (青山县); districts (区) and cities (市) are too
    # ambiguous as suffixes (小区, 景区, 超市) and are taken from codes only.
    DISTRICT: "县",
}
# A compound is often named "<name>城/园/湾/府 N期" or "<name>城 N栋" without any 小区.
_COMPOUND_PHASE = re.compile(
    rf"([{HAN}]{{1,6}}(?:城|园|湾|府|郡|庭|居|都|墅))(?=[一二三四五六七八九十\d]+期|\d+栋|\d+号楼)"
)
# A numbered school by its short name (C4市一中, E5县三中, A3区二小): the number right after a
# city, county, district or township, and not a count (一小时, 一小部分, 三中全会, 一中年男子).
_NUMBERED_SCHOOL = re.compile(
    r"(?<=[市县区镇乡])(第?[一二三四五六七八九十]{1,3})(中|小)(?![学心央国间部型时段块片组队会全年午饭孩伙])"
)
# 第一中学, 一中 and C4市一中 are one school: compared by number and level.
_SCHOOL_NUMBER = re.compile(r"第?([一二三四五六七八九十]{1,3})(中学|小学|中|小)")
_KIND_OF_SUFFIX = {suffix: kind for kind, suffixes in _SUFFIXES.items() for suffix in suffixes.split("|")}
# One pass over the text finds every suffix, longest first at each position.
_SUFFIX = re.compile("|".join(sorted(_KIND_OF_SUFFIX, key=len, reverse=True)))
_WINDOW = 10
_NAME_CHARS = re.compile(rf"[{HAN}A-Za-z0-9]+$")
# Anonymised or real administrative units: "A市", "K2区", "E10县", "青山县".
_ADMIN_CODE = re.compile(r"(?<![A-Za-z0-9])([A-Z]\d{0,2})(省|市|县|区)")
_BUILDING = re.compile(r"(\d{1,3})\s*(?:栋|幢|号楼|单元)")
_PERSON = re.compile(
    rf"(?:我叫|本人叫?|我是|姓名[:：]?|患者|认定|申请人[:：]?)([{HAN}]{{2,3}}?)"
    r"(?=[,，。、;；:：\s(（]|男|女|为|同志|先生|女士|现年|今年|出生|家住|身份证|系|是|的)"
)
# Left boundaries: a name never spans these administrative or address words.
_LEFT_CUT = re.compile(r".*(?:省|市|县|区|镇|乡|街道|社区|村|\d+号|路|大道|街|附近|旁边|对面|位于|关于)")
# Parts of speech that cannot belong to a proper name (pronouns, verbs, adverbs, conjunctions…).
# Numerals stay: 第一中学, 二中 and 四医院 are names.
_NOT_NAME_FLAGS = ("r", "v", "d", "c", "p", "u", "t", "f", "q", "x", "y", "z", "l", "a", "e")
_NAME_FLAGS = ("nr", "ns", "nt", "nz")
_GENERIC_WORDS = (
    "我们 你们 他们 本 该 此 这 那 整个 周边 附近 所有 一些 这些 那些 其他 其它 有关 相关 当地 全 各 某 一 一个 "
    "这所 那所 这家 那家 一所 一家 两 几 多 新 老 大 小 城区 农村 城市 乡村 县城 市区 住宅 商业 公办 民办 私立 "
    "周围 邻近 本地 外地 区内 市内"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
# Words of school names that jieba tags as verbs or idioms (实验 vn, 体育 vn, 寄宿 v): 实验小学 and
# 雅礼实验中学 are names, and without these the walk stops before them and finds none.
_NAME_PARTS = frozenset(["实验", "体育", "寄宿", "特殊教育", "外国语", "双语"])
# jieba dictionary counts above this are everyday words (公路 ≈ 8,000; 农村 ≈ 17,000).
_COMMON_WORD_FREQUENCY = 200
_TRAILING_PARTICLES = re.compile(r"^[的了在和与及或、]+")
# 两个村, 三组村民, 一条路, 一盏路灯: a count or a villagers' group (村民小组) before the suffix, not a name.
_COUNTED = re.compile(r"(?:个|[一二三四五六七八九十\d]+组|[一二两三四五六七八九十几\d]+[条盏座所间处段片])$")
# Pronouns, prepositions, conjunctions, particles, numerals, adverbs, measure words, places, times.
_GRAMMAR_FLAGS = ("r", "p", "c", "u", "m", "d", "q", "f", "t", "y", "e", "x")
_HAN = re.compile(f"[{HAN}]+")
# Verbs that come right before a place's suffix without being part of its name (进村, 回村, 到镇).
_MOVEMENT = frozenset("进回到去来出入驻下上离在住返抵至往过")


@dataclass(frozen=True)
class Entities:
    """The named things of one text, by kind (each a frozenset of names)."""

    names: dict[str, frozenset[str]] = field(default_factory=dict)

    def of(self, kind: str) -> frozenset[str]:
        return self.names.get(kind, frozenset())

    def is_empty(self) -> bool:
        return not any(self.names.values())

    def as_dict(self) -> dict[str, list[str]]:
        return {kind: sorted(values) for kind, values in self.names.items() if values}


@dataclass(frozen=True)
class Conflict:
    """Both texts name a thing of ``kind`` and none of the names match."""

    kind: str
    left: tuple[str, ...]
    right: tuple[str, ...]

    def describe(self) -> str:
        return f"{KIND_LABELS[self.kind]}: {'、'.join(self.left)} ≠ {'、'.join(self.right)}"


def _clean_name(prefix: str, suffix: str = "") -> str:
    """The proper-name part at the end of ``prefix`` (possibly empty), before ``suffix`` (村, 小学…)."""
    tail = _NAME_CHARS.search(prefix)
    prefix = _TRAILING_PARTICLES.sub("", _LEFT_CUT.sub("", tail.group(0) if tail else ""))
    if not prefix or prefix in _GENERIC:
        return ""
    words = words_with_punctuation(prefix)
    kept: list[str] = []
    for word in reversed(words):
        if not _may_be_name(word):
            break
        kept.append(word)
    name = "".join(reversed(kept))
    # …but not 农|村 of 雷塘农村: the last character and the suffix are an everyday word (农村, rural).
    if len(name) < 2 and _split_two_character_name(words) and not _is_common_word(words[-1] + suffix):
        return words[-2] + words[-1]
    return name


def is_generic(word: str) -> bool:
    """我们, 整个, 该, 这…: a word that points at a place without naming it."""
    return word in _GENERIC


def _may_be_name(word: str) -> bool:
    if word in _NAME_PARTS:
        return True
    flag = part_of_speech(word)
    return word not in _GENERIC and not (flag.startswith(_NOT_NAME_FLAGS) and not flag.startswith(_NAME_FLAGS))


def _split_two_character_name(words: list[str]) -> bool:
    """石|冲 村, 红|卫 社区: jieba cuts a two-character name it does not know into single characters and
    tags them as it would in a sentence (冲 a verb, 红 an adjective), so the walk keeps one or none.
    A name has two characters at least: the two are taken unless the first is a word of grammar or a
    numeral (我|家 村, 三|组 村民) or the second a movement (车|进 村, 人|回 村: entering the village)."""
    if len(words) < 2 or len(words[-1]) != 1 or len(words[-2]) != 1:
        return False
    first, last = words[-2], words[-1]
    return (
        _HAN.fullmatch(first + last) is not None
        and last not in _MOVEMENT
        and first not in _GENERIC
        and first not in _MOVEMENT
        and not part_of_speech(first).startswith(_GRAMMAR_FLAGS)
    )


def _is_common_word(name: str) -> bool:
    """公路, 农村, 市场…: a dictionary word used often is a common noun, not a name."""
    return _dictionary_frequency(name) >= _COMMON_WORD_FREQUENCY


def _suffix_names(text: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in _SUFFIXES}
    for match in _SUFFIX.finditer(text):
        body = _clean_name(text[max(0, match.start() - _WINDOW) : match.start()], match.group(0))
        name = body + match.group(0)
        if body and not body.isdigit() and not _COUNTED.search(body) and not _is_common_word(name):
            found[_KIND_OF_SUFFIX[match.group(0)]].add(name)
    return found


def suffixes_of(kind: str) -> tuple[str, ...]:
    """The name suffixes of one kind (村, 社区… for ``VILLAGE``)."""
    return tuple(_SUFFIXES[kind].split("|"))


# Suffixes of named places no kind collects: parts of compound names, and public places and offices
# (a bus station, a pharmacy, a court), where "the same complaint about another one" is another matter.
_OTHER_SUFFIXES = (
    "城 园 湾 郡 庭 居 组 栋 号楼 期 市 区 省 广场 车站 汽车站 火车站 客运站 公交站 地铁站 东站 西站 南站 北站 总站 "
    "水库 景区 服务中心 中心 图书馆 博物馆 体育馆 药店 药房 法院 检察院 码头 大桥"
)


@lru_cache(maxsize=1)
def all_suffixes() -> tuple[str, ...]:
    """Every name suffix, longest first (used to recognise a replaced name when aligning texts)."""
    words = {word for kind in _SUFFIXES for word in suffixes_of(kind)} | set(_OTHER_SUFFIXES.split())
    return tuple(sorted(words, key=len, reverse=True))


def _admin_names(text: str) -> dict[str, set[str]]:
    levels = {"省": CITY, "市": CITY, "县": DISTRICT, "区": DISTRICT}
    found: dict[str, set[str]] = {CITY: set(), DISTRICT: set()}
    for code, level in _ADMIN_CODE.findall(text):
        found[levels[level]].add(code + level)
    return found


def extract(text: str) -> Entities:
    """Named things in already normalised text (``normalise.normalise_text``)."""
    names = _suffix_names(text)
    names[COMPOUND] |= {
        name for raw in _COMPOUND_PHASE.findall(text) if len(name := _clean_name(raw[:-1]) + raw[-1]) > 1
    }
    for kind, values in _admin_names(text).items():
        names[kind] = names.get(kind, set()) | values
    names[SCHOOL] |= {number + level for number, level in _NUMBERED_SCHOOL.findall(text)}
    names[BUILDING] = {number + "栋" for number in _BUILDING.findall(text)}
    names[PERSON] = {name for name in _PERSON.findall(text) if name not in _GENERIC}
    names[PHONE] = phones_in(text)
    names[ID_NUMBER] = resident_ids_in(text)
    return Entities({kind: frozenset(values) for kind, values in names.items()})


def names_match(left: str, right: str) -> bool:
    """Equal, one ends the other (if it has three characters or more), or the same characters in another order.

    塘村 does not match 大塘村: two characters are too little of a name to say it is the same one.
    """
    if left == right or school_number(left) == school_number(right) != "":
        return True
    shorter, longer = sorted((left, right), key=len)
    if len(shorter) >= 3 and longer.endswith(shorter):
        return True
    return len(left) == len(right) and sorted(left) == sorted(right)


def numbered_school_at(text: str, start: int) -> str | None:
    """The short name of a numbered school (三中, 十一中) whose number starts at ``start``, if one does."""
    match = _NUMBERED_SCHOOL.match(text, start)
    return match.group(0) if match else None


def school_number(name: str) -> str:
    """一中 for 第一中学, 一中 and 第一中; 三小 for 三小 and 第三小学; "" for any other name."""
    match = _SCHOOL_NUMBER.fullmatch(name)
    return match.group(1) + match.group(2)[0] if match else ""


def conflicts(left: Entities, right: Entities, kinds=None) -> list[Conflict]:
    """Kinds for which each text names something that matches nothing named in the other."""
    found = []
    for kind in kinds or KIND_LABELS:
        names_left, names_right = left.of(kind), right.of(kind)
        if not names_left or not names_right:
            continue
        unmatched_left = [a for a in names_left if not any(names_match(a, b) for b in names_right)]
        unmatched_right = [b for b in names_right if not any(names_match(a, b) for a in names_left)]
        # One text naming more things than the other is a longer telling; each
        # naming something the other does not is a different place or person.
        if unmatched_left and unmatched_right:
            found.append(Conflict(kind, tuple(sorted(names_left)), tuple(sorted(names_right))))
    return found
