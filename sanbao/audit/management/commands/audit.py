"""``sanbao audit verify|export|prune``: the operator's tools for the audit trail.

Exit codes: 0 success; 1 the chain is broken (verify) or the request was
refused (prune inside the retention period); 2 bad arguments.
"""

import argparse
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, no_translations
from django.utils import timezone, translation

from sanbao.audit import actions, registry
from sanbao.audit.cli import command_user
from sanbao.audit.export import FORMATS, lines
from sanbao.audit.queries import TrailFilter
from sanbao.audit.verify import check_recorded_head, verify_chain
from sanbao.core.errors import DomainError


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def parse_head(value: str) -> tuple[int, str]:
    seq, _, recorded_hash = value.partition(":")
    if not seq.isdigit() or ":" not in recorded_hash:
        raise argparse.ArgumentTypeError(f"{value!r} is not SEQ:HASH (e.g. 1234:sha256:9f…)")
    return int(seq), recorded_hash


def parse_moment(value: str) -> datetime:
    """YYYY-MM-DD (midnight) or YYYY-MM-DDTHH:MM[:SS], in the site's time zone."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date or time (YYYY-MM-DD[THH:MM])") from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = "Verify, export or prune the hash-chained audit trail."

    def add_arguments(self, parser):
        actions_parser = parser.add_subparsers(
            dest="action", required=True, metavar="{verify,export,prune,codes}"
        )
        verify = actions_parser.add_parser("verify", help="check every link; exit 1 at the first broken row")
        verify.add_argument(
            "--expect", type=parse_head, metavar="SEQ:HASH",
            help="also check that row SEQ still has HASH (a head printed earlier and kept elsewhere)",
        )
        export = actions_parser.add_parser("export", help="write rows as CSV or JSONL (audited)")
        export.add_argument("--since", type=parse_moment, help="first moment included (YYYY-MM-DD[THH:MM])")
        export.add_argument("--until", type=parse_moment, help="first moment excluded (YYYY-MM-DD[THH:MM])")
        export.add_argument("--format", choices=FORMATS, default="jsonl", dest="file_format")
        export.add_argument("--output", "-o", help="file to write (default: standard output)")
        prune = actions_parser.add_parser("prune", help="delete rows older than a date (>= 180 days ago)")
        prune.add_argument("--before", type=parse_day, required=True, help="delete rows before this day")
        actions_parser.add_parser("codes", help="list the registered event codes with their labels")

    @no_translations
    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except DomainError as error:
            raise CommandError(str(error.message), returncode=1) from error

    def handle_verify(self, *, expect, **options) -> None:
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Audit chain BROKEN at seq {result.broken_seq}: {result.reason}. "
                f"Chain head: seq {result.head_seq}, hash {result.head_hash or '-'}",
                returncode=1,
            )
        self.stdout.write(
            f"Audit chain intact: {result.checked} rows checked. "
            f"Head: seq {result.head_seq}, hash {result.head_hash or '-'}"
        )
        if expect:
            matches, message = check_recorded_head(*expect)
            if not matches:
                raise CommandError(f"Recorded head does not match: {message}", returncode=1)
            self.stdout.write(f"Recorded head: {message}.")

    def handle_codes(self, **options) -> None:
        for code in registry.codes():
            with translation.override("zh-hans"):
                chinese = registry.label(code)
            self.stdout.write(f"{code}\t{registry.label(code)}\t{chinese}")

    def handle_export(self, *, since, until, file_format, output, **options) -> None:
        trail_filter = TrailFilter(since=since, until=until)
        event = actions.record_trail_export(
            actor=None, actor_username=command_user(), filters=trail_filter.as_record(),
            file_format=file_format,
        )
        rows = trail_filter.events().filter(seq__lt=event.seq).order_by("seq").iterator(chunk_size=2000)
        if output:
            encoding = "utf-8-sig" if file_format == "csv" else "utf-8"  # the BOM lets Excel/WPS read Chinese
            with open(output, "w", encoding=encoding, newline="") as stream:
                count = self._write(stream, rows, file_format)
        else:
            count = self._write(self.stdout, rows, file_format)
        self.stderr.write(f"Exported {count} rows (recorded as audit event seq {event.seq}).")

    @staticmethod
    def _write(stream, rows, file_format: str) -> int:
        count = -1 if file_format == "csv" else 0  # the CSV header is not a row
        for line in lines(rows, file_format):
            stream.write(line)
            count += 1
        return count

    def handle_prune(self, *, before: date, **options) -> None:
        result = actions.prune_before(actor=None, actor_username=command_user(), before=before)
        self.stdout.write(
            f"Pruned {result.count} rows older than {result.cutoff.isoformat()} "
            f"(chain now starts after seq {result.through_seq})."
        )
