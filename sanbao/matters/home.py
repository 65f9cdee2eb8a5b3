"""Home-page card of the matters app: the user's work queues with their counters."""

from sanbao.core.home import register_card
from sanbao.matters import policy
from sanbao.matters.views.queues import QUEUES, counts_for, queues_for


def queues_context(request) -> dict | None:
    user = request.user
    if not queues_for(user) and not policy.may_register(user):
        return None
    # The deadlines app's card shows 即将超期 / 已超期; this card shows the work queues.
    return {"queues": counts_for(user, QUEUES), "may_register": policy.may_register(user)}


register_card("matters.queues", template="matters/cards/queues.html", context=queues_context, order=20)
