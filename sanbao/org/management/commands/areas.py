"""``sanbao areas import FILE.csv [--dry-run]``: load a division list, all or nothing.

Every bad row is reported by line and field, and nothing is written when any
row is bad (exit 1). The CSV format and the effective-dating rules are in
docs/areas.md.
"""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, no_translations

from sanbao.audit.cli import command_user
from sanbao.core.errors import ValidationFailed
from sanbao.core.textfiles import decode
from sanbao.org.actions import import_areas
from sanbao.org.area_import import read_csv


def describe(problem: dict) -> str:
    return f"line {problem['line']}, {problem['field']}: {problem['message']}"


def failure(path: str, problems: list[str]) -> CommandError:
    listing = "\n".join(f"  {problem}" for problem in problems)
    message = f"{len(problems)} problem(s) in {path}; nothing was imported:\n{listing}"
    return CommandError(message, returncode=1)


class Command(BaseCommand):
    help = "Import a division list (区划代码) from CSV: all rows or none."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="{import}")
        load = actions.add_parser("import", help="create, rename and retire areas from a CSV file")
        load.add_argument("path", metavar="FILE.csv")
        load.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        load.add_argument("--encoding", help="file encoding (default: UTF-8, falling back to GB18030)")

    @no_translations
    def handle(self, *args, action: str, path: str, dry_run: bool, encoding: str | None, **options):
        try:
            data = Path(path).read_bytes()
            text = decode(data, encoding)
        except (OSError, UnicodeDecodeError, LookupError) as error:
            raise CommandError(f"Cannot read {path}: {error}", returncode=1) from error
        rows, errors = read_csv(text)
        if errors:
            raise failure(path, [str(error) for error in errors])
        source = {"file": Path(path).name, "sha256": hashlib.sha256(data).hexdigest(), "rows": len(rows)}
        try:
            counts = import_areas(
                rows, actor=None, actor_username=command_user(), source=source, dry_run=dry_run
            )
        except ValidationFailed as error:
            problems = error.params.get("errors") or [
                {"line": 0, "field": error.field, "message": error.message}
            ]
            raise failure(path, [describe(problem) for problem in problems]) from error
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        prefix = "Dry run, nothing written" if dry_run else "Imported"
        self.stdout.write(f"{prefix}: {path}: {summary}.")
