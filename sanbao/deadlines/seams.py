"""What the deadlines app does when the matters app calls its seam (``sanbao.matters.clocks``).

Each function runs inside the matter verb's transaction; raising a
``DomainError`` here rolls the matter verb back too.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from sanbao.core.errors import ValidationFailed
from sanbao.deadlines.actions.deadlines import extend_locked
from sanbao.deadlines.clocks import after_transition, start_clock
from sanbao.deadlines.defaults import SUPERVISION_RULE
from sanbao.deadlines.models import TimeLimitRule
from sanbao.matters.choices import ExtensionStatus

__all__ = ["after_extension_decided", "after_supervised", "after_transition"]


def after_extension_decided(matter, extension, actor) -> None:
    """An approved request extends every open, extendable clock of the matter by its days.

    Denied requests change nothing. Each clock's rule caps the days and names
    the role that may approve; a request beyond a cap is refused as a whole.
    """
    if extension.status != ExtensionStatus.APPROVED:
        return
    open_clocks = matter.deadlines.open().select_related("rule").select_for_update(of=("self",))
    clocks = [deadline for deadline in open_clocks if deadline.rule.extension_cap > 0]
    if not clocks:
        raise ValidationFailed(_("No running time limit of this matter can be extended."),
                               code="not_extendable", field="days")
    for deadline in clocks:
        extend_locked(deadline, actor=actor, days=extension.days, reason=extension.reason)


def after_supervised(matter, supervision, actor) -> None:
    """A supervision notice by hand: its new deadline runs as a ``supervision.report`` clock."""
    rule = TimeLimitRule.objects.current().get(key=SUPERVISION_RULE)
    at = supervision.issued_at
    if supervision.due_date < timezone.localdate(at):
        raise ValidationFailed(_("The new deadline cannot be before today."), field="due_date")
    start_clock(matter, rule, at=at, due=supervision.due_date)
