"""Home-page card of the deadlines app: the user's steps due soon and overdue, and unread notices."""

from sanbao.core.home import register_card
from sanbao.deadlines import queues
from sanbao.deadlines.models import Deadline, Notification
from sanbao.org.choices import BUSINESS_ROLES


def deadlines_context(request) -> dict | None:
    user = request.user
    if user.unit_id is None:
        return None
    visible = Deadline.objects.visible_to(user)
    return {
        "due_soon": queues.due_soon_deadlines(visible).count(),
        "overdue": queues.overdue_deadlines(visible).count(),
        "unread": Notification.objects.for_user(user).unread().count(),
    }


register_card("deadlines.queues", template="deadlines/cards/deadlines.html", context=deadlines_context,
              roles=BUSINESS_ROLES, order=30)
