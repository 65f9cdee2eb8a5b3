"""Audit codes of duplicate decisions and early warnings, and the texts of their notifications.

Imported from the intake ``AppConfig.ready``.
"""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register
from sanbao.deadlines import notices

DUPLICATE_MERGED = "intake.duplicate_merged"
DUPLICATE_LINKED = "intake.duplicate_linked"
DUPLICATE_DISMISSED = "intake.duplicate_dismissed"
DUPLICATE_UNDONE = "intake.duplicate_undone"
WARNING_RAISED = "intake.warning_raised"
WARNING_ASSIGNED = "intake.warning_assigned"
WARNING_CLOSED = "intake.warning_closed"

register(
    {
        DUPLICATE_MERGED: _("Submission merged into an earlier matter as a repeat submission"),
        DUPLICATE_LINKED: _("Matters linked as related"),
        DUPLICATE_DISMISSED: _("Duplicate candidate dismissed"),
        DUPLICATE_UNDONE: _("Duplicate decision undone"),
        WARNING_RAISED: _("Early warning raised"),
        WARNING_ASSIGNED: _("Early warning assigned"),
        WARNING_CLOSED: _("Early warning closed"),
    }
)

# In-app notifications (the deadlines app's inbox renders them by code).
NOTICE_REPEAT = "intake.repeat_submission"
NOTICE_WARNING = "intake.early_warning"
notices.TEMPLATES.setdefault(
    NOTICE_REPEAT, _("%(matter)s: a repeat submission (%(submission)s) was merged into it; repeats: %(count)s.")
)
notices.TEMPLATES.setdefault(
    NOTICE_WARNING, _("Early warning (%(level)s): %(label)s — %(people)s people, %(matters)s matters.")
)
