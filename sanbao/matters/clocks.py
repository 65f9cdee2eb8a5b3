"""The seam between matter verbs and the deadlines app.

Every verb that moves a matter calls ``on_transition`` inside its
transaction, after the matter row is saved at its new step; the transition
carries ``clock``, the key of the time-limit rule it starts (empty when the
new step has no limit of its own). Approved extensions and supervision
notices, which move a due date without moving the matter, call
``on_extension_decided`` and ``on_supervised``.

The deadlines app owns what happens here (``sanbao.deadlines.seams``:
stored due dates per matter step). Its functions run inside the verb's
transaction, so a refusal there rolls the verb back.
"""


def on_transition(matter, transition, actor) -> None:
    """The matter has just taken ``transition`` (a ``workflows.Transition``) and is at ``matter.state``."""
    from sanbao.deadlines.seams import after_transition

    after_transition(matter, transition, actor)


def on_extension_decided(matter, extension, actor) -> None:
    """``extension`` (an ``ExtensionRequest``) was approved or denied."""
    from sanbao.deadlines.seams import after_extension_decided

    after_extension_decided(matter, extension, actor)


def on_supervised(matter, supervision, actor) -> None:
    """``supervision`` (a ``Supervision`` notice) set a new deadline ``supervision.due_date``."""
    from sanbao.deadlines.seams import after_supervised

    after_supervised(matter, supervision, actor)
