"""Benchmark: one deadline sweep over 1,000,000 open steps on SQLite.

Builds its own temporary database (migrate, the demo county's areas and
units, 20,000 matters by bulk insert, then 1,000,000 running clocks inserted
set-based by one ``INSERT … SELECT`` over a recursive CTE), arranged so that
about 1% change colour today: 0.5% turn yellow and 0.5% go overdue (each of
those escalates and gets a 督办 notice). Then it runs one sweep and prints the
elapsed seconds; the last line is ``sweep_seconds=S.SSS``.

The sweep finds and stores every colour change in a few set-based UPDATEs,
then notifies and escalates at most ``DEADLINE_SWEEP_MAX_NOTICES`` flagged
steps (default 5,000); the bench also runs the following sweeps until every
change has been notified, and prints how many and how long in total.

    .venv/bin/python bench/deadlines_sweep.py [--steps 1000000] [--keep]

Target: ≤ 5 s for the sweep on a 2-core machine.
"""

import argparse
import os
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path
from time import perf_counter

MATTERS = 20_000
# Row n's story is n % 1000 (see build_clocks); dates are relative to today.
CLOCKS_SQL = """
WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n + 1 < %(steps)s)
INSERT INTO deadlines_deadline (
    matter_id, rule_id, step, unit_id, handler_id, area_code, supervises_id, started_at, start_date,
    amount, count_unit, paused_days, paused_on, pause_reason, extension_days, due_date, yellow_on, status,
    colour, escalates, escalation_level, needs_notice, completed_at)
SELECT m.id, %(rule)s, 'handling', m.owner_unit_id, NULL, m.area_code, NULL, %(now)s,
    date(%(today)s, '-30 days'), 5, 'working', 0, NULL, '', 0,
    CASE WHEN n %% 1000 < 5 THEN date(%(today)s, '+3 days')
         WHEN n %% 1000 < 10 THEN date(%(today)s, '-1 days')
         WHEN n %% 1000 < 160 THEN date(%(today)s, '+2 days')
         WHEN n %% 1000 < 300 THEN date(%(today)s, '-20 days')
         ELSE date(%(today)s, '+' || (10 + n %% 31) || ' days') END,
    CASE WHEN n %% 1000 < 5 THEN %(today)s
         WHEN n %% 1000 < 10 THEN date(%(today)s, '-5 days')
         WHEN n %% 1000 < 160 THEN date(%(today)s, '-1 days')
         WHEN n %% 1000 < 300 THEN date(%(today)s, '-25 days')
         ELSE date(%(today)s, '+' || (5 + n %% 31) || ' days') END,
    CASE WHEN n %% 1000 >= 160 AND n %% 1000 < 300 THEN 'overdue' ELSE 'running' END,
    CASE WHEN n %% 1000 < 5 THEN 'green' WHEN n %% 1000 < 160 THEN 'yellow'
         WHEN n %% 1000 < 300 THEN 'red' ELSE 'green' END,
    1,
    CASE WHEN n %% 1000 < 5 THEN 0 WHEN n %% 1000 < 160 THEN 1 WHEN n %% 1000 < 300 THEN 4 ELSE 0 END,
    0, NULL
FROM seq JOIN matters_matter m ON m.id = %(first)s + (n %% %(matters)s)
"""


def configure(workdir: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "sanbao.settings"
    os.environ["SANBAO_DATA_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["SANBAO_DEMO"] = "1"
    # No worker runs here: nothing may be queued, and deliveries are not part of the sweep.
    os.environ["SANBAO_TASK_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()


def build_matters(count: int) -> None:
    """``count`` open matters in the demo county, by bulk insert (the sweep only needs them to exist)."""
    from django.utils import timezone

    from sanbao.matters.models import Category, Matter
    from sanbao.org.models import Area, Unit

    category = Category.objects.current("dispute").first()
    villages = list(Area.objects.filter(level="village").order_by("code"))
    centres = Unit.objects.filter(unit_type="centre").select_related("area")
    centres = {unit.area.code[:9]: unit for unit in centres}
    now = timezone.now()
    rows = []
    for number in range(count):
        area = villages[number % len(villages)]
        rows.append(Matter(
            code=f"JF-{area.code[:9]}-2026-{number:06d}", kind="dispute", title="排水沟堵塞纠纷",
            narrative="两户村民因屋后排水沟堵塞互相指责。", category=category, source_channel="visit",
            received_at=now, area=area, area_code=area.code, owner_unit=centres[area.code[:9]],
            state="handling", status="open",
        ))
    Matter.objects.bulk_create(rows, batch_size=2000)


def build_clocks(steps: int, today) -> None:
    """``steps`` open clocks in one statement. Row i % 1000 decides its story:

    * 0–4 (0.5%): green, warning day reached today → turn yellow;
    * 5–9 (0.5%): running, due yesterday → go overdue, escalate, get a 督办 notice;
    * 10–159 (15%): already yellow, not yet due;
    * 160–299 (14%): already overdue and fully escalated;
    * the rest: green, due in 10–40 days.
    """
    from django.db import connection

    from sanbao.deadlines.models import TimeLimitRule
    from sanbao.matters.models import Matter

    rule = TimeLimitRule.objects.current().get(key="dispute.handle")
    first_matter = Matter.objects.order_by("id").values_list("id", flat=True).first()
    day = today.isoformat()
    params = {"steps": steps, "rule": rule.pk, "now": f"{day} 08:00:00", "today": day, "first": first_matter,
              "matters": MATTERS}
    with connection.cursor() as cursor:
        cursor.execute(CLOCKS_SQL, params)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="sanbao-bench-"))
    try:
        configure(workdir)
        run(options.steps, workdir)
    finally:
        if options.keep:
            print(f"database kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(steps: int, workdir: Path) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.urls import get_resolver
    from django.utils import timezone

    from sanbao.deadlines.models import Deadline
    from sanbao.deadlines.sweep import run_sweep
    from sanbao.org.demo import build_county

    started = perf_counter()
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        build_county()
        build_matters(MATTERS)
    today = timezone.localdate()
    with transaction.atomic():
        build_clocks(steps, today)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"built {Deadline.objects.count():,} open steps on {MATTERS:,} matters in "
          f"{perf_counter() - started:.1f} s ({workdir})")
    # A worker process has its URLconf loaded; load it here too so the timing is the sweep's own.
    get_resolver().url_patterns  # noqa: B018
    started = perf_counter()
    report = run_sweep(today=today)
    elapsed = perf_counter() - started
    print(report)
    changed = report.turned_red + report.turned_yellow
    print(f"changed colour: {changed:,} of {steps:,} ({changed / steps:.2%}); "
          f"due soon total {Deadline.objects.filter(colour='yellow', status='running').count():,}, "
          f"overdue total {Deadline.objects.filter(status='overdue').count():,}")
    latest_overdue = Deadline.objects.filter(status="overdue").order_by("-due_date").first()
    assert latest_overdue.due_date == today - timedelta(days=1)
    drain(report, today)
    print(f"sweep_seconds={elapsed:.3f}")


def drain(first, today) -> None:
    """Run the next sweeps (every few minutes in production) until every flagged step is handled."""
    from sanbao.deadlines.sweep import run_sweep

    sweeps, seconds, report = 1, first.seconds, first
    while report.pending:
        report = run_sweep(today=today)
        sweeps, seconds = sweeps + 1, seconds + report.seconds
    print(f"all {first.turned_red + first.turned_yellow:,} changes notified and escalated after {sweeps} "
          f"sweep(s), {seconds:.3f} s of sweeping in total")


if __name__ == "__main__":
    main()
