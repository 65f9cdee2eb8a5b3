"""The demo step of the deadlines app: bring the demo matters' clocks up to today.

The demo matters are replayed through the verbs under a simulated clock, so
their clocks start in the past; this step sweeps until every flagged clock has
its colour, warnings, escalations and 督办 notices, as a sweep running all
along would have left them. The notifications it writes stay in the inbox
(they are history, nothing is sent by SMS or e-mail).
"""

import logging

from sanbao.deadlines.sweep import run_sweep

logger = logging.getLogger(__name__)


def catch_up() -> None:
    report = run_sweep(send=False)
    handled, sweeps = report.handled, 1
    while report.pending:
        report = run_sweep(send=False)
        handled, sweeps = handled + report.handled, sweeps + 1
    logger.info("demo: deadline sweep caught up (%d clocks handled in %d sweeps)", handled, sweeps)
