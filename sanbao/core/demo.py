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


# Background tasks `sanbao demo` queues once the demo is committed (the first triage training, so
# that intake suggestions appear without anyone pressing 立即重新训练). Not steps: tests build the
# demo once per session and train only where they test training.
QUEUED_AFTER_BUILD = [
    "sanbao.intake.tasks.train_triage_task",
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


def queue_after_build() -> list[str]:
    """Queue the QUEUED_AFTER_BUILD tasks on the default backend; returns their names."""
    names = []
    for path in QUEUED_AFTER_BUILD:
        import_string(path).enqueue()
        names.append(path.rsplit(".", 1)[-1])
    return names
