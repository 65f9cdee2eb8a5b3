"""Texts of notifications, keyed by a stable code and rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

DUE_SOON = "deadline.due_soon"
OVERDUE = "deadline.overdue"
ESCALATED = "deadline.escalated"
SUPERVISION = "deadline.supervision"

TEMPLATES = {
    DUE_SOON: _("%(matter)s: the step “%(step)s” is due on %(due)s."),
    OVERDUE: _("%(matter)s: the step “%(step)s” was due on %(due)s and is overdue."),
    ESCALATED: _("%(matter)s: the step “%(step)s” is overdue since %(due)s; escalated to you (%(level)s)."),
    SUPERVISION: _("%(matter)s: the step “%(step)s” was due on %(due)s and is overdue; supervision notice "
                   "(督办) issued, report by %(report)s."),
}


def render_notice(code: str, params: dict) -> str:
    template = TEMPLATES.get(code)
    if template is None:
        return code
    values = dict(params)
    if isinstance(values.get("level"), int):
        from sanbao.deadlines.choices import EscalationLevel

        values["level"] = EscalationLevel(values["level"]).label
    try:
        return str(template) % values
    except (KeyError, TypeError, ValueError):
        return str(template)
