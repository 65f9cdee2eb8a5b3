"""Hotspot clusters: crafted messages, the command's output, and a real cluster of the message board."""

import csv
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sanbao.intake.hotspots import Item, find_clusters, site_keys
from sanbao.intake.normalise import normalise_text

REPO = Path(__file__).resolve().parents[3]
DATA_DIRS = [REPO.parent / "shared" / "data" / "messages-2020", Path("/work/shared/data/messages-2020")]
RECORDS = next((path / "records.csv" for path in DATA_DIRS if (path / "records.csv").exists()), None)

NOISE = [
    "K3县出租车司机反映份子钱太高，请交通局核查。",
    "请问失业保险金怎么申领，需要哪些材料？",
    "M2县某路段路灯坏了半年没人修，晚上出行很危险。",
    "孩子上幼儿园报名难，希望增加公办学位。",
    "退休职工养老金调整什么时候发放？",
    "G5县农村饮水工程水质发黄，希望检测。",
    "医保异地报销手续太复杂，能否简化？",
    "夜市烧烤油烟扰民，请城管处理。",
]


def crafted_messages() -> list[dict]:
    rows = []
    for number in range(12):
        rows.append(
            {
                "id": f"s{number}",
                "title": f"A5区丽景花园旁搅拌站噪音粉尘扰民{number}",
                "text": (
                    f"我是丽景花园{number + 1}栋的业主，小区旁边的混凝土搅拌站日夜施工，噪音和粉尘严重，"
                    "老人孩子无法休息，搅拌车进出存在安全隐患，业主们准备集体上访，请环保局尽快处理。"
                ),
                "time": f"2019/8/{number + 1} 10:00:00",
                "user": f"U{number}",
            }
        )
    for number in range(4):
        rows.append(
            {
                "id": f"t{number}",
                "title": "K2区育才小学门口交通拥堵",
                "text": "育才小学门口上下学时段交通拥堵，家长车辆乱停，希望交警疏导。",
                "time": f"2019/6/{number + 1} 08:00:00",
                "user": f"P{number}",
            }
        )
    for number in range(60):
        rows.append(
            {
                "id": f"n{number}",
                "title": "咨询",
                "text": NOISE[number % len(NOISE)] + f"编号{number}",
                "time": "2019/5/1 09:00:00",
                "user": f"N{number}",
            }
        )
    return rows


def write(path: Path, rows: list[dict], encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "text", "time", "user"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_site_keys_join_variants_of_one_name():
    left = site_keys(normalise_text("举报A4区月湖安置小区内的传销窝点"))
    right = site_keys(normalise_text("A市月湖大市场传销猖獗"))
    assert set(left) & set(right), (left, right)


def test_the_biggest_site_cluster_ranks_first_and_noise_forms_none():
    items = [Item(row["id"], row["title"], row["text"], person=row["user"]) for row in crafted_messages()]
    clusters = find_clusters(items, top=5)
    assert clusters[0].size == 12 and clusters[0].people == 12
    assert "丽景" in clusters[0].label or "搅拌站" in clusters[0].label
    # A plan to petition is lawful, not a risk; the danger to the residents is.
    assert "安全隐患" in clusters[0].risk_words and "上访" not in clusters[0].risk_words
    assert {member for cluster in clusters for member in cluster.members} <= {
        row["id"] for row in crafted_messages() if not row["id"].startswith("n")
    }


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])  # GBK: as Excel saves CSV on Chinese Windows
def test_hotspots_command_prints_one_json_object_per_line(tmp_path, capsys, encoding):
    path = write(tmp_path / "m.csv", crafted_messages(), encoding)
    call_command("hotspots", "--messages", str(path), "--top", "2", "--json")
    lines = capsys.readouterr().out.strip().splitlines()
    assert 1 <= len(lines) <= 2
    first = json.loads(lines[0])
    assert list(first) == ["rank", "label", "size", "ids"]
    assert first["rank"] == 1 and first["size"] == 12 and len(first["ids"]) == 12


def test_hotspots_command_names_bad_input(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,title\n1,t\n", encoding="utf-8")
    with pytest.raises(CommandError, match="text"):
        call_command("hotspots", "--messages", str(path), "--json")
    with pytest.raises(CommandError, match="--top"):
        call_command("hotspots", "--messages", str(path), "--top", "0")


@pytest.mark.skipif(RECORDS is None, reason="the message-board data (../shared/data) is not present")
def test_the_yuehu_market_cluster_of_the_message_board_ranks_in_the_top_five(capsys):
    # Seven people wrote nine messages about pyramid selling (传销) at the 月湖 market and
    # compound of city A between 2016 and 2020 (found with the exploration in docs/intake.md).
    with open(RECORDS, encoding="utf-8") as handle:
        expected = {row["id"] for row in csv.DictReader(handle) if "月湖" in row["title"] + row["text"]}
    call_command("hotspots", "--messages", str(RECORDS), "--top", "5", "--json")
    clusters = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    best = max(clusters, key=lambda cluster: len(expected & set(cluster["ids"])))
    assert len(expected & set(best["ids"])) >= 7
    assert len(set(best["ids"]) - expected) <= 2


def test_a_label_names_the_subject_the_titles_state():
    complaint = "我在华兴建材有限公司{}车间上班，公司拖欠我们三个月工资，有限公司老板失联，请劳动监察大队处理工资问题。"
    rows = [
        Item(f"w{number}", f"华兴建材有限公司拖欠工资{number}", complaint.format(number + 1), person=f"W{number}")
        for number in range(8)
    ]
    rows += [
        Item(f"n{number}", "咨询", NOISE[number % len(NOISE)] + f"编号{number}", person=f"N{number}")
        for number in range(60)
    ]
    label = find_clusters(rows, top=1)[0].label
    # The words of the titles (拖欠 工资), not the story's (三个 月, 车间) nor the company's form (公司, 有限公司).
    assert label.startswith("华兴建材") and set(label.split(" · ")[1:]) == {"拖欠", "工资"}, label


# Matters of one township about unrelated things: each names the township or a place in it.
TOWNSHIP_MATTERS = [
    ("城关育才中学周边交通安全", "家长反映城关育才中学门口上下学时段车辆乱停，学生过马路危险，请求设置护栏。"),
    ("城关建材有限公司拖欠货款", "城关街道居民反映城关建材有限公司拖欠沙石货款三万元，多次催要无果。"),
    ("城关中心小学周边无证摊点", "城关中心小学门口有无证经营的油炸摊点，卫生条件差，存在食品安全问题。"),
    ("东塘村邻里漏水纠纷", "城关街道东塘村居民反映楼上住户卫生间漏水，协商不成，请求调解。"),
    ("东塘村失业保险金申领", "东塘村居民咨询失业保险金的申领条件和所需材料，希望街道帮助办理。"),
    ("东塘村宅基地界址争议", "东塘村两户村民因宅基地界址发生争执，互不相让，请求社区调处。"),
    ("华兴环保科技有限公司商标被仿冒", "华兴环保科技有限公司反映其注册商标被外地企业仿冒，请求市场监管部门查处。"),
    ("华兴竹木制品有限公司拖欠运费", "货车司机反映华兴竹木制品有限公司拖欠运输费用两万元。"),
    ("华兴竹木制品有限公司噪音扰民", "华兴竹木制品有限公司夜间加工噪音很大，周边居民无法休息。"),
]


def test_a_township_a_village_or_a_brand_word_gathers_nothing_that_is_not_about_one_thing():
    """城关 (the township in 城关育才中学, 城关建材), 东塘村 (where three unrelated matters happen) and
    华兴 (two companies' brand word) are where or who, not what: no cluster of unrelated matters."""
    items = [Item(f"m{number}", title, text, person=f"P{number}") for number, (title, text) in
             enumerate(TOWNSHIP_MATTERS)]
    items[0].areas = ("城关街道",)
    assert find_clusters(items, min_size=3) == []


def test_the_stem_of_the_items_own_township_is_no_site_key():
    school = Item("s", "城关育才中学门口交通拥堵", "家长车辆乱停。")
    school.prepare()
    assert "城关" in school.sites  # the first word of the school's name, as 月湖 of 月湖小区
    school.areas = ("城关街道",)
    school.prepare()
    assert "城关" not in school.sites and "城关育才中学" in school.sites


def test_many_people_of_one_village_about_one_thing_still_raise_a_cluster():
    items = [
        Item(f"v{number}", f"东塘村村民反映征地补偿款未发放{number}",
             f"我是东塘村{number + 1}组村民，去年修路征用我家承包地，征地补偿款至今未发放，请求街道尽快解决。",
             person=f"V{number}")
        for number in range(5)
    ] + [Item(f"m{number}", title, text, person=f"P{number}") for number, (title, text) in
         enumerate(TOWNSHIP_MATTERS)]
    clusters = find_clusters(items, min_size=3)
    assert clusters and clusters[0].site == "东塘村"
    assert set(clusters[0].members) == {f"v{number}" for number in range(5)}
