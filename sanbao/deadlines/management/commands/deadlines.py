"""``sanbao deadlines …``: the due-date calculator, the sweep and calendar maintenance.

    sanbao deadlines due --start 2026-09-20 --amount 15 --unit calendar
    sanbao deadlines sweep [--date YYYY-MM-DD]
    sanbao deadlines seed-calendar
    sanbao deadlines import-calendar --year 2027 FILE.csv
    sanbao deadlines schedule
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanbao.core.errors import DomainError
from sanbao.core.textfiles import NOT_TEXT, read_text
from sanbao.deadlines.choices import CountUnit


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from error


def _amount(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise CommandError(f"--amount must be a whole number of days ≥ 1, got {value!r}")
    return int(value)


class Command(BaseCommand):
    help = "Deadlines: compute a due date, run the sweep, maintain the work calendar."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        due = commands.add_parser("due", help="Print the due date (last line: YYYY-MM-DD).")
        due.add_argument("--start", required=True, help="start date YYYY-MM-DD (not counted)")
        due.add_argument("--amount", required=True, help="number of days")
        due.add_argument("--unit", required=True, choices=CountUnit.values)
        due.add_argument("--extension", default="0", help="extension days in the same unit")
        sweep = commands.add_parser("sweep", help="Run one sweep: colours, escalation, supervision, notices.")
        sweep.add_argument("--date", help="sweep as of this day (default today)")
        commands.add_parser("seed-calendar", help="Add the years the chinesecalendar package knows.")
        importer = commands.add_parser("import-calendar", help="Replace one year's special days from a CSV.")
        importer.add_argument("--year", required=True, type=int)
        importer.add_argument("file", help="CSV with columns date,type,name")
        commands.add_parser("schedule", help="Queue the periodic sweep task unless one is already queued.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "handle_" + action.replace("-", "_"))(**options)
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def handle_due(self, *, start, amount, unit, extension, **options):
        from sanbao.deadlines.calculator import due_date
        from sanbao.deadlines.calendar import work_calendar

        start_day, days = _date(start), _amount(amount)
        if not extension.isdigit():
            raise CommandError(f"--extension must be a whole number of days, got {extension!r}")
        calendar = work_calendar()
        due = due_date(calendar, start_day, days, unit, extension=int(extension))
        years = [year for year in range(start_day.year, due.year + 1) if not calendar.year(year).has_data]
        if years:
            self.stderr.write(f"Warning: no holiday data for {', '.join(map(str, years))}; weekends only.")
        self.stdout.write(due.isoformat())

    def handle_sweep(self, *, date=None, **options):
        from sanbao.deadlines.sweep import run_sweep

        report = run_sweep(today=_date(date) if date else None)
        self.stdout.write(str(report))

    def handle_seed_calendar(self, **options):
        from sanbao.deadlines.actions import seed_calendar

        years = seed_calendar(actor=None)
        self.stdout.write(f"Added years: {', '.join(map(str, years))}" if years else "No new years.")

    def handle_import_calendar(self, *, year, file, **options):
        from sanbao.deadlines.actions import import_calendar_year

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            text = read_text(path)
        except UnicodeDecodeError as error:
            raise CommandError(f"{file}: {NOT_TEXT} ({error})") from None
        count = import_calendar_year(actor=None, year=year, text=text)
        self.stdout.write(f"Imported {count} special days for {year}.")

    def handle_schedule(self, **options):
        from sanbao.deadlines.tasks import ensure_scheduled

        self.stdout.write("Sweep queued." if ensure_scheduled() else "A sweep is already queued.")
