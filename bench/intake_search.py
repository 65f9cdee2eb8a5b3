"""Benchmark: full-text search over 1,000,000 matters on SQLite, within a clerk's jurisdiction.

Builds its own temporary database (migrate, the demo county's areas, units
and accounts), bulk-inserts ``--matters`` matters whose titles and narratives
are generated from a vocabulary of this file (places, actors, complaints,
fillers; complaints and actors follow a Zipf-like law, as real intake does),
writes their index rows, then runs ``--queries`` clerk-like queries of 1–3
words through ``sanbao.intake.search.search`` — the function behind the search
page and the API, with ``Matter.objects.visible_to(clerk)`` inside the SQL —
for the clerks of the county's townships in turn, and prints p50/p95.
The last line is ``search_p95_ms=N.N``.

Index rows are written with the product's ``index_terms`` applied to each
vocabulary word of a text (cached per word) rather than to the whole text:
running jieba over a million narratives would take longer than the rest of
the bench together, and the generated texts are built from whole words, so
the result is the same words.

    .venv/bin/python bench/intake_search.py [--matters 1000000] [--queries 200] [--keep]

Target: p95 ≤ 150 ms on a 2-core machine.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from functools import cache
from pathlib import Path
from time import perf_counter

SEED = 20261125
BATCH = 20_000


def words(text: str) -> list[str]:
    return text.split()


PLACES = [f"{a}{b}" for a in words("幸福 阳光 金色 翠湖 东塘 西岭 南山 北苑 新华 和平 青松 梅园 桃源 丰收 龙湾")
          for b in words("小区 花园 村 社区 家园 新村")]
ACTORS = words("物业公司 开发商 施工队 邻居 村委会 工厂 商户 房东 包工头 用人单位 业主委员会 养殖户 运输公司 "
               "装修公司 培训机构 幼儿园 医院 超市 餐馆 驾校 网吧 砂石场 水泥厂 砖厂 化工厂 纺织厂 木材厂 "
               "汽修店 快递站 菜市场")
COMPLAINTS = words("噪音 漏水 拖欠工资 物业费 停车位 违章建筑 排水沟 宅基地 土地承包 征地补偿 臭气 粉尘 油烟 "
                   "垃圾 路灯 电梯 供暖 学位 医疗纠纷 工伤 劳动合同 彩礼 赡养 遗产继承 借款 装修 房屋质量 "
                   "租金 押金 退费 拆迁安置 山林权属 水源 灌溉 道路 桥梁 占道经营 广告牌 消防通道 "
                   "化粪池 污水 养殖污染 电线 通讯基站 违规收费 食品安全 假冒商品 合同纠纷 婚姻家庭 "
                   "邻里纠纷 相邻通行 界址 林木 坟地 过路 低保 医保 养老保险 就业 欠薪")
VERBS = words("反映 投诉 要求 请求 希望 举报 咨询")
FILLERS = words("多次 长期 严重影响 生活 协调 解决 赔偿 整改 处理 至今 未果 双方 发生 争执 情绪 激动 "
                "周边 居民 群众 村民 家属 部门 及时 核实 调查 现场 情况 问题 矛盾 损失")


def zipf_weights(count: int, exponent: float = 0.9) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def configure(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanbao.settings"
    os.environ["SANBAO_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SANBAO_DEMO"] = "1"
    os.environ["SANBAO_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


@cache
def terms_of(word: str) -> str:
    from sanbao.intake.search import index_terms

    return " ".join(index_terms(word))


class Texts:
    """Deterministic titles and narratives made of vocabulary words."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.actor_weights = zipf_weights(len(ACTORS))
        self.complaint_weights = zipf_weights(len(COMPLAINTS))

    def matter(self) -> tuple[str, list[str], list[str], str]:
        """(place, title words, narrative words, narrative text)."""
        rng = self.rng
        place = rng.choice(PLACES)
        complaint = rng.choices(COMPLAINTS, self.complaint_weights)[0]
        actor = rng.choices(ACTORS, self.actor_weights)[0]
        title = [place, actor, complaint]
        narrative = []
        for _ in range(rng.randint(2, 4)):
            narrative += [place, rng.choice(FILLERS), rng.choice(VERBS), actor,
                          rng.choices(COMPLAINTS, self.complaint_weights)[0], *rng.sample(FILLERS, 3)]
        return place, title, narrative, "".join(narrative)

    def query(self) -> str:
        rng = self.rng
        words = [rng.choices(COMPLAINTS, self.complaint_weights)[0]]
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            words.append(rng.choice([rng.choices(ACTORS, self.actor_weights)[0], rng.choice(PLACES)]))
        return " ".join(words)


def build_matters(count: int, rng: random.Random) -> None:
    """``count`` matters spread over the county's villages, and their index rows, in batches."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sanbao.intake.search import TABLE
    from sanbao.matters.models import Category
    from sanbao.org.models import Area, Unit

    category = Category.objects.current("dispute").first()
    villages = list(Area.objects.filter(level="village").order_by("code").values_list("id", "code"))
    centres = {unit.area.code[:9]: unit.pk for unit in Unit.objects.filter(unit_type="centre").select_related("area")}
    now = timezone.now().isoformat()
    texts = Texts(rng)
    matter_sql = (
        "INSERT INTO matters_matter (id, code, kind, title, narrative, category_id, risk_level, source_channel, "
        "received_at, area_id, area_code, place, people_count, owner_unit_id, state, status, repeat_count, "
        "satisfaction, legal_route, legal_route_body, version, created_at, updated_at) VALUES "
        "(%s, %s, 'dispute', %s, %s, %s, 'low', 'visit', %s, %s, %s, %s, 1, %s, 'handling', 'open', 0, "
        "'', '', '', 1, %s, %s)"
    )
    index_sql = f"INSERT INTO {TABLE} (rowid, title, body, feedback) VALUES (%s, %s, %s, '')"  # noqa: S608
    for start in range(1, count + 1, BATCH):
        matters, index = [], []
        for pk in range(start, min(start + BATCH, count + 1)):
            area_id, code = villages[pk % len(villages)]
            place, title, narrative, text = texts.matter()
            matters.append((pk, f"JF-{code[:9]}-2026-{pk:07d}", "".join(title), text, category.pk, now, area_id,
                            code, place, centres[code[:9]], now, now))
            index.append((pk, " ".join(map(terms_of, title)), " ".join(map(terms_of, narrative))))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(matter_sql, matters)
            cursor.executemany(index_sql, index)
        if start % 200_000 == 1:
            print(f"  {start + len(matters) - 1:,} matters", flush=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(count: int, queries: int, workdir: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from sanbao.intake.search import TABLE, search
    from sanbao.org.demo import build_county
    from sanbao.org.models import User

    rng = random.Random(SEED)
    started = perf_counter()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        build_county()
    build_matters(count, rng)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")  # noqa: S608 (merge the b-trees)
        cursor.execute("ANALYZE")
    print(f"built and indexed {count:,} matters in {perf_counter() - started:.1f} s ({workdir})")
    clerks = list(User.objects.filter(username__regex=r"^[a-z]+\.clerk$").exclude(
        username__in=["county.clerk", "petition.clerk"]).select_related("unit__area").order_by("username"))
    texts = Texts(rng)
    search(clerks[0], "噪音")  # load jieba's dictionary outside the timings
    timings, found = [], []
    for number in range(queries):
        clerk, query = clerks[number % len(clerks)], texts.query()
        begun = perf_counter()
        hits, _ = search(clerk, query, limit=20)
        timings.append((perf_counter() - begun) * 1000)
        found.append(len(hits))
        assert all(hit.matter.area_code.startswith(clerk.jurisdiction_prefix) for hit in hits)
    print(f"{queries} queries by {len(clerks)} township clerks; {sum(1 for n in found if n):,} with results; "
          f"mean {statistics.mean(timings):.1f} ms, max {max(timings):.1f} ms")
    print(f"search_p50_ms={percentile(timings, 0.50):.1f}")
    print(f"search_p95_ms={percentile(timings, 0.95):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--matters", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sanbao-bench-"))
    try:
        configure(workdir)
        run(options.matters, options.queries, workdir)
    finally:
        if options.keep:
            print(f"database kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
