"""``sanbao warnings recompute`` (once, in the foreground) and ``sanbao warnings schedule`` (start the hourly chain)."""

from django.core.management.base import BaseCommand

from sanbao.intake.early_warning import recompute_warnings
from sanbao.intake.warning_tasks import ensure_scheduled


class Command(BaseCommand):
    help = "Recompute the early warnings now, or start their periodic recomputation."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        commands.add_parser("recompute", help="recompute the early warnings from the matters of the window")
        commands.add_parser("schedule", help="queue the periodic recomputation unless it is queued")

    def handle(self, *args, action, **options):
        if action == "recompute":
            self.stdout.write(str(recompute_warnings()))
        else:
            self.stdout.write("queued" if ensure_scheduled() else "already queued (or no database queue)")
