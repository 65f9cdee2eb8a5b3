"""The duplicate decision: crafted pairs, the index, and the evaluation command."""

import csv
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sanbao.intake import entities
from sanbao.intake.dedupe import MemoryIndex, decide, fingerprint
from sanbao.intake.normalise import normalise_text

REPO = Path(__file__).resolve().parents[3]
DATA_DIRS = [REPO.parent / "shared" / "data" / "messages-2020", Path("/work/shared/data/messages-2020")]
RECORDS = next((path / "records.csv" for path in DATA_DIRS if (path / "records.csv").exists()), None)

SCHOOL = (
    "{school}门口每天上下学时段车辆乱停乱放，接送孩子的家长和电动车挤在一起，学生过马路非常危险。"
    "我们多次向学校反映都没有结果，恳请交警部门在上下学时段安排人员疏导交通，设置减速带和人行横道。"
)
COMPOUND = (
    "我们是{compound}的业主，小区物业从今年三月起擅自把物业费从每平方米1.2元涨到2元，没有召开业主大会，"
    "也没有公示收支。电梯经常停运，地下车库漏水，物业不理。请住建局依法查处。"
)


def same(left: str, right: str, title: str = "反映问题") -> bool:
    return decide(fingerprint(1, title, left), fingerprint(2, title, right)).same


def test_the_same_complaint_about_another_school_is_not_a_duplicate():
    first = SCHOOL.format(school="青山镇中心小学")
    for other in ["白沙镇中心小学", "青山镇第二中学", "育才小学", "青山镇中心幼儿园"]:
        decision = decide(fingerprint(1, "", first), fingerprint(2, "", SCHOOL.format(school=other)))
        assert not decision.same, other
        assert decision.reasons(), other


def test_the_same_complaint_about_another_compound_is_not_a_duplicate():
    for left, right in [("金桂花园", "翠湖花园"), ("阳光小区", "阳光新城"), ("汇金城三期", "嘉华城三期")]:
        assert not same(COMPOUND.format(compound=left), COMPOUND.format(compound=right)), (left, right)


def test_another_village_person_or_county_is_not_a_duplicate():
    text = (
        "我叫{person}，住{county}青山镇{village}村三组，2019年在本村修路工地做工，"
        "工头拖欠工资8600元至今未付，请帮忙追讨。"
    )
    base = {"person": "王建华", "county": "K2县", "village": "桃花"}
    for key, value in [("person", "李淑芬"), ("county", "K5县"), ("village", "石门")]:
        other = base | {key: value}
        assert not same(text.format(**base), text.format(**other)), key


def test_another_flat_house_number_line_or_public_place_is_not_a_duplicate():
    text = (
        "我住在滨江路{house}号金桂花园2栋{flat}室，楼上住户装修把下水管道堵了，污水从我家天花板往下渗，"
        "墙面发霉。离{place}汽车站不远的地铁{line}号线施工也震得门窗开裂，找物业多次没有解决，请住建局处理。"
    )
    base = {"house": "18", "flat": "1203", "place": "星沙", "line": "4"}
    for key, value in [("house", "26"), ("flat", "1207"), ("place", "黄花"), ("line", "6")]:
        other = text.format(**base | {key: value})
        decision = decide(fingerprint(1, "", text.format(**base)), fingerprint(2, "", other))
        assert not decision.same, key
        # The clerk is told what differs, once: 1203室 ≠ 1207室.
        assert len(decision.reasons()) == 1 and value in decision.reasons()[0], (key, decision.reasons())


@pytest.mark.parametrize(
    ("left", "right", "told"),
    [
        # Numbered schools by their short names (C4市一中 is how the board writes them).
        ("C4市一中", "C4市三中", "一中 ≠ 三中"),
        ("E5县十一中", "E5县十二中", "十一中 ≠ 十二中"),
        # Another kind of school of the same name, and names jieba tags as verbs (实验).
        ("A3区实验小学", "A3区实验中学", "实验小学 ≠ 实验中学"),
        ("A3区实验小学", "A3区二小", "实验小学 ≠ 二小"),
        # A longer name is another place: a branch school, another estate, a numbered hospital.
        ("雅礼中学", "雅礼实验中学", "雅礼中学 ≠ 雅礼实验中学"),
        ("万科城", "万科魅力之城", "万科城 ≠ 万科魅力之城"),
        ("K6县人民医院", "K6县第一人民医院", "K6县人民医院 ≠ K6县第一人民医院"),
        # The aligner keeps the shared 学 out of the change (桔园小|学 / 江押镇中|学).
        ("桔园小学", "江押镇中学", "桔园小 ≠ 江押镇中"),
        # Places people complain about by name that are neither shops' 公司 nor 小区.
        ("鑫源驾校", "宏达驾校", "鑫源驾校 ≠ 宏达驾校"),
        ("青松养老院", "白石养老院", "青松养老院 ≠ 白石养老院"),
        ("老码头火锅店", "小龙坎火锅店", "火锅店"),
        # Compounds named without 小区.
        ("恒大华府", "恒大绿洲", "恒大华府 ≠ 恒大绿洲"),
        ("东方新城", "东方明珠", "东方新城 ≠ 东方明珠"),
    ],
)
def test_another_numbered_school_kind_of_school_longer_name_or_estate_is_not_a_duplicate(left, right, told):
    text = (
        "我们是{place}的学生家长和周边业主，{place}门口的路灯坏了半年，晚上放学一片漆黑，"
        "多次反映无人修理，请尽快处理。"
    )
    decision = decide(fingerprint(1, "", text.format(place=left)), fingerprint(2, "", text.format(place=right)))
    assert not decision.same
    assert any(told in reason for reason in decision.reasons()), decision.reasons()


def test_another_person_named_after_their_role_is_not_a_duplicate():
    text = "我{role}{name}去年在工地摔伤，肇事方至今不赔偿医药费，派出所也不处理，恳请领导帮忙。".format
    people = [("父亲", "王建华", "李国庆"), ("们举报村支书", "王建华", "王国庆"), ("家业主", "陈小红", "刘志强")]
    for role, name, other in people:
        first, second = text(role=role, name=name), text(role=role, name=other)
        decision = decide(fingerprint(1, "", first), fingerprint(2, "", second))
        assert not decision.same and decision.reasons(), (role, other)
    # Rewording after the role is no person (去年 / 前年), nor is a typing slip in the name.
    father = text(role="父亲", name="王建华")
    assert same(father, father.replace("去年", "前年"))
    assert same(father, text(role="父亲", name="王华建"))


def test_a_bare_name_known_by_its_people_is_another_place():
    # 恒大的业主, 长郡的学生, 宏达的员工: no suffix, but the people say what kind of place it is.
    text = "我们是A市A5区{x}的{people}，开发商和学校都推说不归自己管，多次投诉无果，恳请相关部门尽快处理。"
    for left, right, people in [("恒大", "保利", "业主"), ("长郡", "雅礼", "学生家长"), ("宏达", "华兴", "员工")]:
        first, second = text.format(x=left, people=people), text.format(x=right, people=people)
        decision = decide(fingerprint(1, "", first), fingerprint(2, "", second))
        assert not decision.same and f"{left} ≠ {right}" in decision.reasons(), (left, right)
    # 全体业主 / 小区的业主 names no place.
    assert same(text.format(x="全体", people="业主"), text.format(x="小区", people="业主"))


def test_a_name_with_a_rare_character_is_still_a_name():
    # Simplified, 璗 becomes 𬍡 (U+2C361, outside the basic block): still a person, still another one.
    text = "您好！我叫{person}，家住C市C2区福星西路16号。我现在正式举报罗源花之林长期拖欠我的工资，请劳动局依法处理。"
    decision = decide(fingerprint(1, "", text.format(person="陈璗")), fingerprint(2, "", text.format(person="陈小红")))
    assert not decision.same and decision.reasons()
    assert entities.extract(normalise_text(text.format(person="陈璗"))).of(entities.PERSON) == {"陈𬍡"}


def test_one_school_written_two_ways_or_a_name_added_is_still_a_duplicate():
    text = (
        "我孩子在{school}读初二，{school}食堂饭菜常有异物，家长多次向学校反映没有改善，"
        "请教育局调查处理，保障学生饮食安全。"
    )
    assert same(text.format(school="C4市一中"), text.format(school="C4市第一中学"))
    other = "我家孩子在{school}上学，学校强制订购教辅资料，每学期多收费三百元，家长敢怒不敢言，请教育局查处。"
    assert same(other.format(school="A市第一中学"), other.format(school="A市一中"))
    # The re-submission names the compound the first left unnamed: 我们小区 / 我们金桂小区.
    base = COMPOUND.replace("{compound}的业主", "业主，我们小区")
    assert same(base.format(), base.replace("我们小区", "我们金桂小区"))
    # A greeting put before the title (再次反映) lengthens no name, whatever the compacted text reads.
    assert same(text.format(school="C4市一中"), "再次反映。" + text.format(school="C4市一中"), title="市一中食堂问题")


def test_a_date_or_a_number_typed_in_another_order_is_still_a_duplicate():
    text = "我家住在金桂花园2栋{flat}室，{day}号晚上楼上漏水淹了我家厨房，物业至今不管，请帮忙协调。" * 2
    base = text.format(flat="1201", day="3月5")
    assert same(base, text.format(flat="1021", day="3月5"))
    assert same(base, text.format(flat="1201", day="3月8"))


def test_a_resubmission_is_a_duplicate():
    text = COMPOUND.format(compound="金桂花园")
    resubmitted = "再次反映：" + text.replace("，", " ，").replace("1.2", "１.２") + "恳请尽快处理！"
    traditional = (
        "我們是金桂花園的業主，小區物業從今年三月起擅自把物業費從每平方米1.2元漲到2元，"
        "沒有召開業主大會，也沒有公示收支。電梯經常停運，地下車庫漏水，物業不理。請住建局依法查處。"
    )
    assert same(text, resubmitted)
    assert same(text, traditional)


def test_a_typing_slip_in_a_name_is_still_a_duplicate():
    text = "关于请求予以认定{name}为工伤的报告。{name}在工地摔伤，单位不予申报工伤，请人社局依法认定。"
    assert same(text.format(name="冯金辉"), text.format(name="冯辉金"))


def test_unrelated_texts_are_not_duplicates():
    assert not same(SCHOOL.format(school="育才小学"), COMPOUND.format(compound="金桂花园"))


def test_entities_are_found_and_generic_mentions_ignored():
    found = entities.extract(normalise_text("E10县藕塘小学门口，莲花西路合力超市旁，我们小区的业主"))
    assert found.of(entities.SCHOOL) == {"藕塘小学"}
    assert found.of(entities.ROAD) == {"莲花西路"}
    assert found.of(entities.ORGANISATION) == {"合力超市"}
    assert found.of(entities.DISTRICT) == {"E10县"}
    assert not found.of(entities.COMPOUND)


@pytest.mark.parametrize(
    ("text", "villages"),
    [
        # jieba cuts 石冲 into 石|冲 and tags 冲 a verb: the two characters are still the name.
        ("我是石冲村1组村民", {"石冲村"}),
        ("家住石冲村，与东塘村交界", {"石冲村", "东塘村"}),
        ("红卫社区居民", {"红卫社区"}),  # 红 an adjective, 卫 a noun
        # …but 农村 is "rural": 雷塘农村客运线路 names no village 塘农村.
        ("雷塘农村客运线路", set()),
        # A movement, a count or a villagers' group before 村 is no name.
        ("大货车进村，老人回村", set()),
        ("两个村的三组村民", set()),
    ],
)
def test_village_names_jieba_cuts_apart_are_found_and_counts_are_not(text, villages):
    assert entities.extract(normalise_text(text)).of(entities.VILLAGE) == villages


def test_a_counted_road_or_street_lamp_is_no_road_name():
    found = entities.extract(normalise_text("进入后没有一盏路灯，只有一条路通到东塘村，两条街都很黑"))
    assert not found.of(entities.ROAD)
    assert found.of(entities.VILLAGE) == {"东塘村"}


def test_index_offers_near_duplicates_only():
    index = MemoryIndex()
    texts = {
        "a": COMPOUND.format(compound="金桂花园"),
        "b": "再次反映：" + COMPOUND.format(compound="金桂花园"),
        "c": COMPOUND.format(compound="翠湖花园"),
        "d": SCHOOL.format(school="育才小学"),
    }
    for key, text in texts.items():
        index.add(fingerprint(key, "物业乱收费", text))
    candidates = {item.key: decision.same for item, decision in index.candidates(index.fingerprints["a"])}
    assert candidates.get("b") is True
    assert candidates.get("c") is False  # offered, and refused: another compound
    assert "d" not in candidates
    assert index.same_matter("a", "b") and not index.same_matter("a", "c")


def write_csv(path: Path, header: list[str], rows: list[list], encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])  # GBK: as Excel saves CSV on Chinese Windows
def test_evaluate_command_prints_scores_as_its_last_line(tmp_path, capsys, encoding):
    messages = write_csv(
        tmp_path / "m.csv",
        ["id", "title", "text", "time"],
        [
            ["1", "物业乱收费", COMPOUND.format(compound="金桂花园"), "2020/1/2 10:00:00"],
            ["2", "物业乱收费", "再次反映：" + COMPOUND.format(compound="金桂花园"), "2020/1/5 10:00:00"],
            ["3", "物业乱收费", COMPOUND.format(compound="翠湖花园"), "2020/1/6 10:00:00"],
            ["4", "接送", SCHOOL.format(school="育才小学"), ""],
        ],
        encoding,
    )
    pairs = write_csv(tmp_path / "p.csv", ["id1", "id2", "same"], [["1", "2", "1"], ["1", "3", "0"], ["2", "4", "0"]])
    call_command("dedupe", "evaluate", "--messages", str(messages), "--pairs", str(pairs))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "precision=1.0000 recall=1.0000 f1=1.0000 pairs=3"


def test_evaluate_command_names_bad_input(tmp_path):
    messages = write_csv(tmp_path / "m.csv", ["id", "title", "text"], [["1", "t", "正文"]])
    no_same = write_csv(tmp_path / "p.csv", ["id1", "id2"], [["1", "1"]])
    with pytest.raises(CommandError, match="missing column"):
        call_command("dedupe", "evaluate", "--messages", str(messages), "--pairs", str(no_same))
    unknown = write_csv(tmp_path / "q.csv", ["id1", "id2", "same"], [["1", "9", "1"]])
    with pytest.raises(CommandError, match="row 2: id 9"):
        call_command("dedupe", "evaluate", "--messages", str(messages), "--pairs", str(unknown))
    text_missing = write_csv(tmp_path / "n.csv", ["id", "title"], [["1", "t"]])
    with pytest.raises(CommandError, match="text"):
        call_command("dedupe", "evaluate", "--messages", str(text_missing), "--pairs", str(unknown))
    unreadable = tmp_path / "u.csv"
    unreadable.write_bytes(b"id,title,text\n1,t,\xff\xfe\n")
    with pytest.raises(CommandError, match="u.csv: neither UTF-8 nor GB18030"):
        call_command("dedupe", "evaluate", "--messages", str(unreadable), "--pairs", str(unknown))


@pytest.mark.skipif(RECORDS is None, reason="the message-board data (../shared/data) is not present")
def test_no_false_merge_and_high_recall_on_pairs_built_from_real_messages(tmp_path, capsys):
    from sanbao.intake import pairs

    messages, labelled = pairs.build(RECORDS, seed=11, reposts=150, substitutions=150)
    messages_path, pairs_path = pairs.write(messages, labelled, tmp_path)
    call_command("dedupe", "evaluate", "--messages", str(messages_path), "--pairs", str(pairs_path))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    scores = dict(re.findall(r"(\w+)=([\d.]+)", last))
    assert float(scores["precision"]) == 1.0
    assert float(scores["recall"]) >= 0.95
