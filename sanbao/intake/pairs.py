"""A labelled pair set for developing and checking the duplicate decision.

Built from a file of real messages (``records.csv``: id, user, title, time,
text, label) that is *not* shipped with Sanbao; see docs/intake.md. Four
groups of pairs:

* ``real_same`` / ``real_different``: pairs of real messages found by
  brute-force character TF-IDF cosine ≥ 0.5 and labelled by hand
  (``HAND_LABELS``, record ids; ambiguous pairs are left out).
* ``repost``: a message and a re-submission of it made the way people
  re-submit: traditional characters, full-width digits, spaces and line
  breaks, another greeting or closing sentence, a sentence dropped, two
  characters swapped. Same matter.
* ``substituted``: a message and a copy naming another school, compound,
  village, road, organisation, county, person or public place (bus station,
  square, court…; names taken from a fixed vocabulary, found by a plain
  pattern independent of ``entities.py``), or giving another flat (室), house
  number (路…号) or bus or metro line (号线), another numbered school (三中 →
  五中), another kind of school of the same name (小学 → 中学), or a longer
  name (雅礼中学 → 雅礼实验中学, 万科城 → 万科魅力城), sometimes also
  re-submitted as above. Different matters.
* ``unrelated``: pairs of real messages sharing a topic (cosine 0.2–0.5),
  different matters.
"""

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

import opencc

from sanbao.core.textfiles import dict_rows, read_text

# (id1, id2, same) for records.csv pairs with cosine ≥ 0.5, read and labelled by hand.
HAND_LABELS = [
    (52766, 215387, 1),
    (69522, 336803, 1),
    (168891, 313235, 1),
    (81647, 170620, 1),
    (49691, 49990, 1),
    (54474, 61713, 1),
    (54579, 184969, 1),
    (1923, 31159, 1),
    (9955, 172766, 1),
    (22327, 104987, 1),
    (81921, 174588, 1),
    (51125, 61695, 1),
    (82017, 326288, 1),
    (168670, 246648, 1),
    (56988, 254446, 1),
    (159144, 217314, 1),
    (165204, 288029, 1),
    (30150, 31441, 1),
    (47380, 74543, 1),
    (119986, 338579, 1),
    (28259, 167856, 1),
    (31548, 232162, 1),
    (138757, 146115, 1),
    (100825, 104720, 1),
    (130813, 130814, 1),
    (297259, 297260, 1),
    (246363, 246867, 1),
    (279824, 279843, 1),
    (297260, 305523, 1),
    (51251, 57702, 1),
    (85682, 141357, 1),
    (86516, 161115, 1),
    (297259, 305523, 1),
    (22312, 106430, 1),
    (131654, 145156, 1),
    (43084, 167376, 1),
    (167729, 170093, 1),
    (54489, 160931, 1),
    (231999, 232001, 1),
    (43823, 62956, 1),
    (92850, 165619, 1),
    (176090, 331445, 1),
    (98174, 297260, 1),
    (98174, 297259, 1),
    (154215, 154216, 1),
    (98174, 305523, 1),
    (65095, 156450, 1),
    (77082, 130814, 1),
    (12926, 50052, 1),
    (77082, 130813, 1),
    (154054, 154059, 1),
    (166998, 175109, 1),
    (51405, 56068, 1),
    (45384, 152179, 1),
    (1247, 7627, 1),
    (150404, 151000, 1),
    (171302, 171309, 1),
    (5680, 266720, 1),
    (97751, 97802, 1),
    (175671, 180315, 1),
    (89882, 90243, 1),
    (269908, 269911, 1),
    (232001, 232628, 1),
    (231999, 232628, 1),
    (209983, 213825, 1),
    (210079, 213982, 1),
    (105983, 113936, 1),
    (3874, 4042, 1),
    (79989, 79990, 1),
    (109084, 110641, 1),
    (293703, 295118, 1),
    (100631, 100642, 1),
    (30852, 30854, 1),
    (114767, 115275, 1),
    (136284, 140213, 1),
    # Same user, the same complaint about two different compounds (汇金城 / 嘉华城).
    (153770, 153778, 0),
    # Same organisation or campaign, but different grievances.
    (27572, 42377, 1),
    (160816, 160817, 0),
    (10689, 161993, 0),
    (35430, 38517, 1),
    (168771, 178701, 0),
]

# Replacement names, by kind; none of them occurs in records.csv.
_VOCABULARY = {
    "school": ["红星", "育才", "星沙", "枫林", "桃源", "新河", "白沙", "清水塘", "青竹", "龙泉"],
    "compound": ["金桂", "翠湖", "锦绣", "碧水", "金色港湾", "丽景", "御景", "华府", "阳光", "紫薇"],
    "village": ["桃花", "石门", "新塘", "杨柳", "荷叶", "长冲", "黄泥", "大塘", "鹿角", "枫树"],
    "road": ["人民", "解放", "建设", "迎宾", "五一", "芙蓉", "湘江", "车站", "劳动", "韶山"],
    "organisation": ["鑫源", "宏达", "华兴", "天成", "汇丰", "恒通", "长盛", "利民", "永安", "福瑞"],
    "person": ["王建华", "李淑芬", "刘志强", "陈小红", "杨国庆", "赵秀英", "黄德明", "周桂兰"],
    "place": ["枣林", "槐荫", "鹤鸣", "竹溪", "杏坛", "柳营", "桂湖"],
    "estate": ["金桂", "翠湖", "锦绣", "碧水", "丽景", "御景", "紫薇"],
    "numbered_school": list("一二三四五六七八九"),
    "school_level": ["小学", "中学", "幼儿园"],
    "lengthened": ["实验", "双语", "外国语", "魅力", "国际"],
}
# Kinds whose name is a number (another flat, house or line): replaced by another number, in the match only.
_NUMBERED = frozenset({"flat", "house", "line"})
# Kinds that rewrite the whole match (name and suffix) rather than the name wherever it occurs.
_REWRITTEN = {
    "school_level": lambda whole, word: whole[:2] + word,
    "lengthened": lambda whole, word: whole[:2] + word + whole[2:],
}
# 城 ends a name (万科城), not a word (城镇, 城市, 城管, 城西, 城际); 小学 no name in 小学生, 小学文化.
_NOT_AFTER_CITY = "镇市管区乡里内外郊东南西北中际铁建"
# Plain patterns (no jieba, no trimming) for a name right before its kind's suffix.
_FIND = {
    "school": re.compile(r"([\u4e00-\u9fa5]{2,3})(小学|中学|幼儿园|学校)"),
    "compound": re.compile(r"([\u4e00-\u9fa5]{2,3})(小区|花园|家园|公寓|苑)"),
    "village": re.compile(r"([\u4e00-\u9fa5]{2,3})(村)(?![民委上里])"),
    "road": re.compile(r"([\u4e00-\u9fa5]{2})(路|大道)"),
    "organisation": re.compile(r"([\u4e00-\u9fa5]{2,3})(公司|超市|医院|物业)"),
    "person": re.compile(r"(?:我叫|本人)([\u4e00-\u9fa5]{2,3})(?=[,，。])"),
    "place": re.compile(r"([\u4e00-\u9fa5]{2})(广场|汽车站|火车站|客运站|公交站|地铁站|水库|景区|药店|法院)"),
    "flat": re.compile(r"(?<![0-9])([0-9]{2,4})(室)"),
    "house": re.compile(r"(?<=[路街巷道])([0-9]{1,4})(号)(?![线楼院0-9])"),
    "line": re.compile(r"(?<![0-9])([0-9]{1,3})(号线|路公交|路车)"),
    "estate": re.compile(r"([\u4e00-\u9fa5]{2})(华府|首府|国际|壹号|新城|名城|明珠|绿洲)"),
    "numbered_school": re.compile(r"(?<=[市县区])([一二三四五六七八九])(中)(?![学心央国间部全午年])"),
    "school_level": re.compile(r"([\u4e00-\u9fa5]{2})(小学|中学)(?!生)"),
    "lengthened": re.compile(rf"([\u4e00-\u9fa5]{{2}})([中小]学(?![生文])|花园|城(?![{_NOT_AFTER_CITY}]))"),
}
_NOT_NAMES_WORDS = (
    "我们 我们的 这个 该 本 一所 那个 所在 整个 周边 附近 导致 造成 现在 目前 由于 而且 严重影响 这些 所有 "
    "公办 民办 私立 "
    "农村 乡村 城市 道路 公路 马路 铁路 一路 出路 思路 线路 大学 中学 小学 我们小 个小 的小 在小 该小 对小"
)
_NOT_NAMES = frozenset(_NOT_NAMES_WORDS.split())
# Two characters before a suffix holding one of these are no name (该小学, 到中学, 一个小学, 同村).
_NOT_IN_NAMES = ("我们", "这", "该", "的", "某", "在", "到", "了", "个", "同", "和", "与", "及")
_COUNTY = re.compile(r"(?<![A-Za-z0-9])([A-Z])(\d{1,2})(县|区)")


@dataclass(frozen=True)
class Message:
    id: str
    title: str
    text: str
    time: str


@dataclass(frozen=True)
class Pair:
    id1: str
    id2: str
    same: int
    group: str


def read_records(path: Path) -> list[dict]:
    return list(dict_rows(read_text(path)))


def _resubmit(text: str, rng: random.Random, to_traditional) -> str:
    """A re-submission of the same complaint, edited the way people edit."""
    sentences = [part for part in re.split(r"(?<=[。！？!?])", text) if part]
    edits = rng.sample(range(7), k=rng.randint(1, 3))
    if 0 in edits and len(sentences) > 3:
        sentences.pop(rng.randrange(1, len(sentences)))
    text = "".join(sentences)
    if 1 in edits:
        text = to_traditional(text)
    if 2 in edits:
        text = re.sub(r"\d", lambda m: chr(ord(m.group(0)) + 0xFEE0), text)
    if 3 in edits:
        text = text.replace("，", " ，", 3).replace("。", "。\n", 2)
    if 4 in edits:
        text = rng.choice(["尊敬的领导：", "再次反映：", "您好！"]) + text
    if 5 in edits:
        text = text + rng.choice(["恳请领导尽快处理！", "望早日答复。", "谢谢！"])
    if 6 in edits and len(text) > 40:
        position = rng.randrange(20, len(text) - 2)
        text = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
    return text


def _another_number(number: str, rng: random.Random) -> str:
    """A nearby different number, not the same digits in another order (that is a typing slip)."""
    while True:
        other = str(int(number) + rng.randint(1, 9))
        if sorted(other) != sorted(number):
            return other


def _substitute(title: str, text: str, rng: random.Random) -> tuple[str, str, str, str] | None:
    """Replace one named thing everywhere with a vocabulary name of the same kind.

    Returns the kind, the new title and text, and the thing as newly named (name and suffix).
    """
    options = []
    for kind, pattern in _FIND.items():
        for match in pattern.finditer(title + "。" + text):
            name = match.group(1)
            if name not in _NOT_NAMES and not any(word in name for word in _NOT_IN_NAMES):
                options.append((kind, name, match.group(0)))
    county = _COUNTY.search(title + text)
    if county:
        options.append(("county", county.group(0), county.group(0)))
    if not options:
        return None
    kind, name, whole = rng.choice(options)
    if kind in _REWRITTEN:
        word = rng.choice([word for word in _VOCABULARY[kind] if word not in whole])
        renamed = _REWRITTEN[kind](whole, word)
        return kind, title.replace(whole, renamed), text.replace(whole, renamed), renamed
    if kind in _NUMBERED:
        renamed = _another_number(name, rng) + whole[len(name):]
        return kind, title.replace(whole, renamed), text.replace(whole, renamed), renamed
    if kind == "county":
        letter, number, level = _COUNTY.search(name).groups()
        replacement = f"{letter}{int(number) % 9 + 1 if int(number) != 9 else 3}{level}"
        if replacement == name:
            return None
    else:
        # A replacement inside the old name (镇长冲 → 长冲) would still name the same place.
        replacement = rng.choice([word for word in _VOCABULARY[kind] if word not in name and name not in word])
    # The named thing as the copy writes it (鑫源公司): a copy keeping the new name only inside other
    # words (劳务派遣人员 → 劳鑫源人员, once the sentence with 劳务派遣公司 is dropped) names nothing else.
    renamed = whole.replace(name, replacement)
    return kind, title.replace(name, replacement), text.replace(name, replacement), renamed


def build(records_path: Path, *, seed: int = 7, reposts: int = 400, substitutions: int = 400):
    """Messages and labelled pairs (see module docstring). Deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    to_traditional = opencc.OpenCC("s2t").convert
    records = read_records(records_path)
    by_id = {record["id"]: record for record in records}
    messages = {
        record["id"]: Message(record["id"], record["title"], record["text"], record["time"]) for record in records
    }
    pairs = [
        Pair(str(left), str(right), same, "real_same" if same else "real_different")
        for left, right, same in HAND_LABELS
        if str(left) in by_id and str(right) in by_id
    ]
    pool = [record for record in records if len(record["text"]) >= 60]
    for number, record in enumerate(rng.sample(pool, min(reposts, len(pool)))):
        new_id = f"repost-{number}"
        messages[new_id] = Message(
            new_id, record["title"], _resubmit(record["text"], rng, to_traditional), record["time"]
        )
        pairs.append(Pair(record["id"], new_id, 1, "repost"))
    made = 0
    for record in rng.sample(pool, len(pool)):
        if made >= substitutions:
            break
        result = _substitute(record["title"], record["text"], rng)
        if result is None:
            continue
        kind, title, text, renamed = result
        if rng.random() < 0.5:
            text = _resubmit(text, rng, to_traditional)
        if renamed not in title + text:
            continue  # the re-submission dropped the sentence naming it: not a different matter
        new_id = f"other-{kind}-{made}"
        messages[new_id] = Message(new_id, title, text, record["time"])
        pairs.append(Pair(record["id"], new_id, 0, "substituted"))
        made += 1
    pairs += _unrelated(records, rng, {(p.id1, p.id2) for p in pairs})
    return list(messages.values()), pairs


def _unrelated(records: list[dict], rng: random.Random, labelled: set, count: int = 300) -> list[Pair]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True).fit_transform(
        [record["title"] + record["text"] for record in records]
    )
    similarity = (matrix @ matrix.T).tocoo()
    found = [
        Pair(records[i]["id"], records[j]["id"], 0, "unrelated")
        for i, j, value in zip(similarity.row, similarity.col, similarity.data, strict=True)
        if i < j
        and 0.2 <= value < 0.5
        and (records[i]["id"], records[j]["id"]) not in labelled
        and (int(records[i]["id"]), int(records[j]["id"])) not in {(a, b) for a, b, _ in HAND_LABELS}
    ]
    return rng.sample(found, min(count, len(found)))


def write(messages: list[Message], pairs: list[Pair], directory: Path) -> tuple[Path, Path]:
    """Write ``messages.csv`` (id,title,text,time) and ``pairs.csv`` (id1,id2,same,group)."""
    directory.mkdir(parents=True, exist_ok=True)
    messages_path, pairs_path = directory / "messages.csv", directory / "pairs.csv"
    with open(messages_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "title", "text", "time"])
        writer.writerows([message.id, message.title, message.text, message.time] for message in messages)
    with open(pairs_path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id1", "id2", "same", "group"])
        writer.writerows([pair.id1, pair.id2, pair.same, pair.group] for pair in pairs)
    return messages_path, pairs_path
