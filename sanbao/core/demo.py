"""Demo data: the steps `sanbao demo` runs, in order. Each app adds its own step here."""

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from sanbao.core.errors import DomainError

# Each step is a callable taking no arguments; the first builds the county
# and returns the demo accounts. Later apps (matters, deadlines…) append theirs.
STEPS = [
    "sanbao.org.demo.build_county",
    "sanbao.deadlines.demo.ensure_defaults",
    "sanbao.matters.demo.build_matters",
    "sanbao.deadlines.demo.catch_up",
    "sanbao.intake.search.demo_reindex",
    "sanbao.intake.early_warning.demo_step",
]


def check_demo_allowed() -> None:
    if not (settings.DEMO_MODE or settings.TESTING):
        raise DomainError(
            "The demo shares one password between accounts; set SANBAO_DEMO=1 to build it "
            "(never in production).",
            code="demo_disabled",
        )


def build_demo() -> None:
    """Build every demo step in one transaction: all of the demo or none of it."""
    check_demo_allowed()
    with transaction.atomic():
        for step in STEPS:
            import_string(step)()
