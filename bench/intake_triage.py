"""Benchmark of the triage classifier: training on 10,000 matters and the latency of one suggestion.

    .venv/bin/python bench/intake_triage.py [--data ../shared/data/messages-2020/train.csv] [--n 10000]
    .venv/bin/python bench/intake_triage.py --cv        # 5-fold stratified CV macro-F1 on train.csv
    .venv/bin/python bench/intake_triage.py --cv --folds 10   # the same with training sets of 90 %
    .venv/bin/python bench/intake_triage.py --records   # train on train.csv, score records.csv (overlap removed)

The 10,000 matters are made from the real messages of ``train.csv``
(6,628 rows): each synthetic matter takes one message and, for two in three,
replaces its second half with the second half of another message of the same
class, so the set has no exact repeats while keeping the board's vocabulary,
length and class balance. Training uses ``sanbao.intake.triage.classifier.train``
(the code the product and ``sanbao triage evaluate`` use). Training and a
suggestion are timed as the product does them: a category model and a
lead-unit model trained together (``train_many``, one feature extractor; the
board's class stands in for both labels), and for one unseen message the text
featurised once and ranked by both models.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanbao.settings")


def synthetic_matters(texts: list[str], labels: list[str], n: int, rng: random.Random) -> tuple[list, list]:
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    out_texts, out_labels = [], []
    for _ in range(n):
        index = rng.randrange(len(texts))
        text, label = texts[index], labels[index]
        if rng.random() < 2 / 3:
            other = rng.choice(by_label[label])
            text = text[: len(text) // 2] + other[len(other) // 2:]
        out_texts.append(text)
        out_labels.append(label)
    return out_texts, out_labels


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cross_validate(texts: list[str], labels: list[str], n_folds: int) -> None:
    from sklearn.model_selection import StratifiedKFold

    from sanbao.intake.triage import classifier

    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=0).split(texts, labels)
    scores = []
    for number, (train, test) in enumerate(folds, 1):
        model = classifier.train([texts[i] for i in train], [labels[i] for i in train])
        result = classifier.score(model, [texts[i] for i in test], [labels[i] for i in test])
        scores.append(result)
        print(f"fold {number}: {result.line()}", flush=True)
    macro = statistics.mean(result.macro_f1 for result in scores)
    accuracy = statistics.mean(result.accuracy for result in scores)
    print(f"cv{n_folds} macro_f1={macro:.4f} accuracy={accuracy:.4f} n={len(texts)}")


def cross_set(texts: list[str], labels: list[str], records: str) -> None:
    from sanbao.intake.triage import classifier
    from sanbao.intake.triage.data import read_labelled

    test_texts, test_labels = read_labelled(records, "title,text")
    bodies, _ = read_labelled(records, "text")
    # Overlap is judged on the message body (train.csv has no titles); a record whose body is in
    # train.csv is left out, and so are repeated records.
    seen = {"".join(text.split()) for text in texts}
    kept, unique = [], set()
    for body, text, label in zip(bodies, test_texts, test_labels, strict=True):
        key = "".join(body.split())
        if key not in seen and key not in unique:
            unique.add(key)
            kept.append((text, label))
    print(f"records={len(test_texts)} kept={len(kept)} (in train.csv or repeated: {len(test_texts) - len(kept)})")
    model = classifier.train(texts, labels)
    print("records " + classifier.score(model, [t for t, _ in kept], [label for _, label in kept]).line())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "messages-2020" / "train.csv"))
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--cv", action="store_true", help="stratified cross-validation instead (--folds)")
    parser.add_argument("--folds", type=int, default=5, help="folds of --cv (10: training sets of 90 %%)")
    parser.add_argument("--records", action="store_true", help="score records.csv instead (train on --data)")
    args = parser.parse_args()

    import django

    django.setup()
    from sanbao.intake.triage.data import read_labelled

    texts, labels = read_labelled(args.data)
    if args.cv:
        cross_validate(texts, labels, args.folds)
    elif args.records:
        cross_set(texts, labels, str(Path(args.data).with_name("records.csv")))
    else:
        speed(texts, labels, args.n, args.queries)


def speed(texts: list[str], labels: list[str], n: int, queries: int) -> None:
    from sanbao.intake.triage import classifier

    rng = random.Random(5)
    order = list(range(len(texts)))
    rng.shuffle(order)
    held_out = [texts[index] for index in order[:queries]]
    pool = order[queries:]
    train_texts, train_labels = synthetic_matters(
        [texts[index] for index in pool], [labels[index] for index in pool], n, rng
    )
    classifier.prepare("预热")  # OpenCC and jieba load once per process, before the clock starts
    classifier.word_ngrams("预热")

    started = time.perf_counter()
    # The product trains the category and the lead-unit models together (one feature extractor);
    # the board's class stands in for both labels.
    models = classifier.train_many(train_texts, {"category": train_labels, "lead_unit": train_labels})
    training = time.perf_counter() - started
    category, lead_unit = models["category"], models["lead_unit"]

    timings, cpu = [], []
    for text in held_out:
        started, started_cpu = time.perf_counter(), time.process_time()
        vector = category.vectorise([text])
        category.suggest(text, vector=vector)
        lead_unit.suggest(text, vector=vector)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(f"matters={n} cores={os.cpu_count()} mean_chars={statistics.mean(map(len, train_texts)):.0f}")
    print(f"training_s={training:.1f} (target <= 60)")
    print(f"suggestion_ms p50={percentile(timings, 0.5):.1f} p95={percentile(timings, 0.95):.1f} (target <= 20)")
    print(f"suggestion_cpu_ms p50={percentile(cpu, 0.5):.1f} p95={percentile(cpu, 0.95):.1f}")
    # The machine may be shared: the load average says how much of the wall time was waiting for a core.
    print("load_average_1_5_15=" + " ".join(f"{value:.1f}" for value in os.getloadavg()))


if __name__ == "__main__":
    main()
