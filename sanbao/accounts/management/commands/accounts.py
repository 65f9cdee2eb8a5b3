"""``sanbao accounts bootstrap-admin``: create the first administrators of a fresh install.

Exit codes: 0 created (the one-time password is printed once); 1 refused; 2 bad arguments.
"""

from django.core.management.base import BaseCommand, CommandError

from sanbao.accounts import actions
from sanbao.core.errors import DomainError
from sanbao.org.choices import ADMIN_ROLES
from sanbao.org.models import Unit


def find_unit(value: str) -> Unit:
    """A unit by id or by exact name."""
    units = Unit.objects.filter(pk=int(value)) if value.isdigit() else Unit.objects.filter(name=value)
    unit = units.first()
    if unit is None:
        raise CommandError(f"No unit {value!r} (give its id or exact name)", returncode=2)
    return unit


class Command(BaseCommand):
    help = "Account administration from the server's command line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{bootstrap-admin}")
        bootstrap = sub.add_parser(
            "bootstrap-admin", help="create the first account of an administrator role (one-time password)"
        )
        bootstrap.add_argument("--role", required=True, choices=sorted(role.value for role in ADMIN_ROLES))
        bootstrap.add_argument("--username", required=True)
        bootstrap.add_argument("--unit", required=True, help="unit id or exact name (its area is the scope)")

    def handle(self, *args, action: str, **options):
        unit = find_unit(options["unit"])
        try:
            user, password = actions.bootstrap_administrator(
                role=options["role"], username=options["username"], unit=unit
            )
        except DomainError as error:
            raise CommandError(str(error.message), returncode=1) from error
        self.stdout.write(f"Created {user.username} ({options['role']}) in {unit.name}.")
        self.stdout.write(f"One-time password (shown once, must be changed at first sign-in): {password}")
