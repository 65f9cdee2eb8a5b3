import json

from django.core.management.base import BaseCommand, CommandError

from sanbao.core.demo import build_demo, check_demo_allowed, queue_after_build
from sanbao.core.errors import DomainError
from sanbao.org.demo import DEMO_PASSWORD, demo_accounts, is_built
from sanbao.org.models import User


class Command(BaseCommand):
    help = "Build the demo county (deterministic) and print its accounts. Needs SANBAO_DEMO=1."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="do nothing if the demo is already built")
        parser.add_argument("--accounts", action="store_true", help="only print the demo accounts")
        parser.add_argument("--json", action="store_true", help="print the accounts as a JSON array")

    def handle(self, *args, if_empty=False, accounts=False, json=False, **options):
        try:
            check_demo_allowed()
            if not accounts:
                if is_built():
                    if not if_empty:
                        raise CommandError("The database is not empty; the demo is built only once.")
                else:
                    build_demo()
                    # On stderr: stdout stays the accounts (valid JSON with --json).
                    for name in queue_after_build():
                        self.stderr.write(f"Queued for the task worker: {name}")
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.print_accounts(as_json=json)

    def print_accounts(self, *, as_json: bool) -> None:
        rows = demo_accounts()
        if as_json:
            self.stdout.write(json.dumps([
                {"username": row.username, "password": DEMO_PASSWORD, "role": row.role,
                 "unit": row.unit, "area_code": row.area_code, "full_name": row.full_name}
                for row in rows
            ], ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write(f"{'username':<30} {'role':<16} {'area':<13} unit")
        for row in rows:
            self.stdout.write(f"{row.username:<30} {row.role:<16} {row.area_code:<13} {row.unit}")
        self.stdout.write(f"{len(rows)} accounts; {User.objects.count()} users in the database.")
