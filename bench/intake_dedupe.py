"""Benchmark: duplicate candidates for a new matter among 1,000,000 matters on SQLite.

Builds its own temporary database (migrate, the demo county's areas, units
and accounts) and bulk-inserts ``--matters`` matters spread over the county's
villages, with their duplicate index rows (``MinHashBand``: 20 band keys per
matter, computed with the product's ``dedupe.bands_for`` on two processes).

Texts: words drawn from jieba's own dictionary by frequency (a Zipf law, as
real text), 10–16 words of title and 60–140 of narrative with punctuation;
3 % of the matters are re-submissions of an earlier one (a sentence dropped,
a greeting added, two characters swapped). Every matter has its applicant
(a person with an ID number and a phone, stored encrypted with their keyed
hashes, as the verbs store them; a re-submission is by the same person) and
one in five an organisation, named from a pool of 20,000. The bench prints the Jaccard
similarity of character 3-shingles between random pairs of its texts, to be
compared with real messages (records.csv: mean 0.0016, 99.9th percentile
0.022), because the number of band collisions, hence the work per lookup,
depends on it.

Then ``--queries`` drafts — half re-submissions of an existing matter of the
clerk's township (half of them by the same person: same ID number and phone),
half new texts by new people; one in five names an organisation of the
pool — go through
``sanbao.intake.signatures.candidates_for_draft`` (the function behind the
intake form's fragment and the API: band lookup, same-person and
same-organisation lookups, ``visible_to(clerk)``, the entity-aware decision
on each candidate) for the 12 township clerks in turn.
Prints how many re-submissions were offered, how many of the same person's
were flagged "likely the same" and of another person's "another person", p50, and last
``duplicate_candidates_p95_ms=N.N``.

    .venv/bin/python bench/intake_dedupe.py [--matters 1000000] [--queries 200] [--keep]

Target: p95 ≤ 50 ms on a 2-core machine.
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
from multiprocessing import Pool
from pathlib import Path
from time import perf_counter

import numpy as np

SEED = 20261126
BATCH = 20_000
REPEAT_SHARE = 0.03
ORGANISATION_SHARE = 0.2
ORGANISATIONS = 20_000
PUNCTUATION = "，，，。。！？、；"


def configure(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanbao.settings"
    os.environ["SANBAO_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SANBAO_DEMO"] = "1"
    os.environ["SANBAO_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


class Texts:
    """Titles and narratives of dictionary words, drawn by frequency."""

    def __init__(self, seed: int):
        from sanbao.intake.text import dictionary_frequency, words

        words("预热")  # loads jieba's dictionary
        import jieba

        vocabulary = [
            (word, count)
            for word, count in jieba.dt.FREQ.items()
            if count >= 3 and all("\u4e00" <= char <= "\u9fa5" for char in word) and dictionary_frequency(word)
        ]
        self.words = np.array([word for word, _ in vocabulary])
        weights = np.array([count for _, count in vocabulary], dtype=float)
        self.cumulative = np.cumsum(weights / weights.sum())
        self.rng = np.random.default_rng(seed)
        self.python_rng = random.Random(seed)

    def sentence_text(self, count: int) -> str:
        picks = np.searchsorted(self.cumulative, self.rng.random(count), side="right")
        chosen = self.words[np.minimum(picks, len(self.words) - 1)]
        parts = []
        for position, word in enumerate(chosen, start=1):
            parts.append(word)
            if position % self.python_rng.randint(6, 14) == 0:
                parts.append(self.python_rng.choice(PUNCTUATION))
        return "".join(parts) + "。"

    def matter(self) -> tuple[str, str]:
        return self.sentence_text(self.python_rng.randint(10, 16))[:200], self.sentence_text(
            self.python_rng.randint(60, 140)
        )

    def resubmission(self, title: str, narrative: str) -> tuple[str, str]:
        rng = self.python_rng
        sentences = [part for part in narrative.replace("！", "。").replace("？", "。").split("。") if part]
        if len(sentences) > 3:
            sentences.pop(rng.randrange(len(sentences)))
        text = rng.choice(["", "再次反映：", "您好！"]) + "。".join(sentences) + "。"
        if len(text) > 30:
            position = rng.randrange(10, len(text) - 2)
            text = text[:position] + text[position + 1] + text[position] + text[position + 2 :]
        return title, text


def person(key: int) -> tuple[str, str, str]:
    """Name, resident ID and phone of the applicant ``key`` (the same every time it is asked)."""
    from sanbao.matters import demo_text

    rng = random.Random(key)  # noqa: S311 (test data)
    name = rng.choice("王李张刘陈杨黄赵吴周") + rng.choice("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
    return name, demo_text.id_number(rng, "360921", rng.randint(1950, 2004)), demo_text.phone_number(rng)


def organisation(key: int) -> str:
    rng = random.Random(-key - 1)  # noqa: S311 (test data)
    return "".join(rng.choice("华兴盛达鑫源恒通宏远金泰瑞丰隆昌新天宇") for _ in range(3)) + rng.choice(
        ["建材有限公司", "物业服务有限公司", "置业有限公司", "劳务有限公司", "养殖专业合作社", "商贸有限公司"]
    )


def _parties(rows: list[tuple[int, int, int | None]]) -> list[tuple]:
    """Party rows (matter id, type, name, encrypted ID, its hash, encrypted phone, its hash) of (pk, person, org)."""
    from sanbao.core.crypto import field_cipher, lookup_hash

    cipher, parties = field_cipher(), []
    for pk, person_key, organisation_key in rows:
        name, id_number, phone = person(person_key)
        parties.append(
            (pk, "person", name, "resident_id", cipher.encrypt(id_number), lookup_hash(id_number),
             cipher.encrypt(phone), lookup_hash(phone))
        )
        if organisation_key is not None:
            parties.append((pk, "organisation", organisation(organisation_key), "", "", "", "", ""))
    return parties


def _bands(rows: list[tuple[int, str, str]]) -> list[tuple[int, int]]:
    from sanbao.intake.dedupe import bands_for

    return [(key, pk) for pk, title, narrative in rows for key in set(bands_for(title, narrative))]


def _worker_setup(workdir: str) -> None:
    configure(Path(workdir))


def build_matters(count: int, texts: Texts, pool) -> dict[int, tuple[str, str, int]]:
    """Insert ``count`` matters, their parties and band rows; a sample of (title, narrative, applicant) by id."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sanbao.matters.models import Category
    from sanbao.org.models import Area, Unit

    category = Category.objects.current("dispute").first()
    villages = list(Area.objects.filter(level="village").order_by("code").values_list("id", "code"))
    centres = {unit.area.code[:9]: unit.pk for unit in Unit.objects.filter(unit_type="centre").select_related("area")}
    now = timezone.now().isoformat()
    matter_sql = (
        "INSERT INTO matters_matter (id, code, kind, title, narrative, category_id, risk_level, source_channel, "
        "received_at, area_id, area_code, place, people_count, owner_unit_id, state, status, repeat_count, "
        "satisfaction, legal_route, legal_route_body, version, created_at, updated_at) VALUES "
        "(%s, %s, 'dispute', %s, %s, %s, 'low', 'visit', %s, %s, %s, '', 1, %s, 'handling', 'open', 0, "
        "'', '', '', 1, %s, %s)"
    )
    band_sql = "INSERT INTO intake_minhashband (key, matter_id) VALUES (%s, %s)"
    party_sql = (
        "INSERT INTO matters_party (matter_id, party_type, role, name, id_type, id_number, id_number_hash, phone, "
        "phone_hash, address, created_at) VALUES (%s, %s, 'applicant', %s, %s, %s, %s, %s, %s, '', %s)"
    )
    recent: list[tuple[int, str, str]] = []
    sample: dict[int, tuple[str, str, int]] = {}
    rng = texts.python_rng
    for start in range(1, count + 1, BATCH):
        rows, people = [], []
        for pk in range(start, min(start + BATCH, count + 1)):
            person_key = pk
            if recent and rng.random() < REPEAT_SHARE:
                original, *text = rng.choice(recent)
                title, narrative = texts.resubmission(*text)
                person_key = original
            else:
                title, narrative = texts.matter()
            rows.append((pk, title, narrative))
            people.append((pk, person_key, rng.randrange(ORGANISATIONS) if rng.random() < ORGANISATION_SHARE else None))
        recent = (recent + rows[:: max(1, len(rows) // 200)])[-2000:]
        chunks = [rows[index : index + 2000] for index in range(0, len(rows), 2000)]
        bands = [band for part in pool.map(_bands, chunks) for band in part]
        person_chunks = [people[index : index + 2000] for index in range(0, len(people), 2000)]
        parties = [(*party, now) for part in pool.map(_parties, person_chunks) for party in part]
        matters = []
        applicant = {pk: person_key for pk, person_key, _organisation in people}
        for pk, title, narrative in rows:
            area_id, code = villages[pk % len(villages)]
            matters.append(
                (
                    pk,
                    f"JF-{code[:9]}-2026-{pk:07d}",
                    title,
                    narrative,
                    category.pk,
                    now,
                    area_id,
                    code,
                    centres[code[:9]],
                    now,
                    now,
                )
            )
            if pk % 97 == 0:
                sample[pk] = (title, narrative, applicant[pk])
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(matter_sql, matters)
            cursor.executemany(band_sql, bands)
            cursor.executemany(party_sql, parties)
        if start % 200_000 == 1:
            print(f"  {start + len(rows) - 1:,} matters", flush=True)
    return sample


def similarity_profile(sample: dict[int, tuple[str, str, int]]) -> str:
    from sanbao.intake.normalise import normalise_text
    from sanbao.intake.text import shingles

    rng = random.Random(SEED)
    texts = [shingles(normalise_text(f"{title}。{narrative}")) for title, narrative, _ in list(sample.values())[:3000]]
    values = []
    for _ in range(20_000):
        left, right = rng.sample(texts, 2)
        values.append(len(left & right) / len(left | right))
    values.sort()
    return f"mean {statistics.mean(values):.4f}, 99.9th percentile {values[int(0.999 * len(values))]:.4f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(count: int, queries: int, workdir: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from sanbao.intake.signatures import Draft, candidates_for_draft
    from sanbao.matters.models import Matter
    from sanbao.org.demo import build_county
    from sanbao.org.models import User

    started = perf_counter()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        build_county()
    texts = Texts(SEED)
    with Pool(2, initializer=_worker_setup, initargs=(str(workdir),)) as pool:
        sample = build_matters(count, texts, pool)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {count:,} matters and their duplicate index in {perf_counter() - started:.1f} s ({workdir})")
    print(f"Jaccard of character 3-shingles between random generated texts: {similarity_profile(sample)}")
    clerks = list(
        User.objects.filter(username__regex=r"^[a-z]+\.clerk$")
        .exclude(username__in=["county.clerk", "petition.clerk"])
        .select_related("unit__area")
        .order_by("username")
    )
    by_township: dict[str, list[int]] = {}
    for pk, code in Matter.objects.filter(pk__in=list(sample)).values_list("pk", "area_code"):
        by_township.setdefault(code[:9], []).append(pk)
    candidates_for_draft(clerks[0], Draft(title="预热", narrative="加载分词词典与实体识别，不计入测量。"))
    timings, offered = [], 0
    # Re-submissions: offered at all; by the same person, flagged likely the same and the same person;
    # by another person (same words, other ID and phone), flagged another person and never likely the same.
    found, same_person_flagged, other_person_flagged = 0, 0, 0
    rng = random.Random(SEED)
    for number in range(queries):
        clerk = clerks[number % len(clerks)]
        if number % 2 == 0:
            pk = rng.choice(by_township[clerk.jurisdiction_prefix])
            # Half come back in person (same ID and phone); half are only the same words.
            title, narrative, applicant = sample[pk]
            person_key = applicant if number % 4 == 0 else count + number
            title, narrative = texts.resubmission(title, narrative)
        else:
            pk, person_key = None, count + number
            title, narrative = texts.matter()
        _name, id_number, phone = person(person_key)
        named = (organisation(rng.randrange(ORGANISATIONS)),) if rng.random() < ORGANISATION_SHARE else ()
        draft = Draft(title, narrative, id_numbers=(id_number,), phones=(phone,), organisations=named)
        begun = perf_counter()
        candidates = candidates_for_draft(clerk, draft)
        timings.append((perf_counter() - begun) * 1000)
        offered += len(candidates)
        if pk is not None:
            original = next((candidate for candidate in candidates if candidate.matter.pk == pk), None)
            found += original is not None
            if original is not None and person_key == applicant:
                same_person_flagged += original.same_person and original.likely_same
            elif original is not None:
                other_person_flagged += original.other_person and not original.likely_same
        assert all(candidate.matter.area_code.startswith(clerk.jurisdiction_prefix) for candidate in candidates)
    print(
        f"{queries} drafts by {len(clerks)} township clerks; re-submissions offered: {found}/{(queries + 1) // 2}; "
        f"by the same person, flagged likely the same: {same_person_flagged}/{(queries + 3) // 4}; "
        f"by another person, flagged as another person: {other_person_flagged}/{(queries + 1) // 4}; "
        f"{offered / queries:.1f} candidates shown per draft; "
        f"mean {statistics.mean(timings):.1f} ms, max {max(timings):.1f} ms"
    )
    print(f"duplicate_candidates_p50_ms={percentile(timings, 0.50):.1f}")
    print(f"duplicate_candidates_p95_ms={percentile(timings, 0.95):.1f}")


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
