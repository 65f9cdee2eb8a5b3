"""``sanbao search reindex``: rebuild the full-text index of matters (after an upgrade or a bulk import)."""

from time import perf_counter

from django.core.management.base import BaseCommand

from sanbao.intake.search import BATCH, reindex_all


class Command(BaseCommand):
    help = "Full-text search of matters: 'reindex' rebuilds the index from the matters table."

    def add_arguments(self, parser):
        parser.add_argument("operation", choices=["reindex"])
        parser.add_argument("--batch", type=int, default=BATCH, help="matters per batch (default %(default)s)")

    def handle(self, *args, operation, batch, **options):
        started = perf_counter()
        count = reindex_all(batch=max(batch, 1))
        self.stdout.write(f"indexed={count} seconds={perf_counter() - started:.1f}")
