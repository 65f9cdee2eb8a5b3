"""The demo steps of the deadlines app, around the demo matters.

``ensure_defaults`` (before the matters) makes sure the calendar and the
shipped rules are there: migrations load them, but a test database flushed by
a transactional test has lost them. ``catch_up`` (after the matters) brings
their clocks up to today: the demo matters are replayed through the verbs
under a simulated clock, so their clocks start in the past; it sweeps until
every flagged clock has its colour, warnings, escalations and 督办 notices, as
a sweep running all along would have left them. The notifications it writes
stay in the inbox (they are history, nothing is sent by SMS or e-mail).
"""

import logging

from sanbao.deadlines.actions import load_default_rules, seed_calendar
from sanbao.deadlines.sweep import run_sweep

logger = logging.getLogger(__name__)


def ensure_defaults() -> None:
    seed_calendar(actor=None)
    load_default_rules(actor=None)


def catch_up() -> None:
    report = run_sweep(send=False)
    handled, sweeps = report.handled, 1
    while report.pending:
        report = run_sweep(send=False)
        handled, sweeps = handled + report.handled, sweeps + 1
    logger.info("demo: deadline sweep caught up (%d clocks handled in %d sweeps)", handled, sweeps)
