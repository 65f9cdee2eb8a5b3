"""The matters menu: list, intake, queues and the workflow help (core declares the "matters" slot)."""

from django.utils.translation import gettext_lazy as _

from sanbao.core.navigation import NavEntry, register
from sanbao.org.choices import Role

register(NavEntry("matters", _("Matters"), order=20, icon="inbox"))
register(
    NavEntry("matters.list", _("All matters"), "matters:matter_list", group="matters", order=21, icon="inbox")
)
register(
    NavEntry(
        "matters.new",
        _("Register a matter"),
        "matters:matter_new",
        group="matters",
        order=22,
        icon="plus-lg",
        roles=frozenset({Role.CLERK, Role.DIRECTOR}),
    )
)
register(
    NavEntry(
        "matters.queues",
        _("My queues"),
        "matters:queue_index",
        group="matters",
        order=23,
        icon="list-task",
        roles=frozenset({Role.CLERK, Role.DIRECTOR, Role.HANDLER, Role.MEDIATOR}),
    )
)
register(
    NavEntry(
        "matters.help", _("Workflows"), "matters:workflow_help", group="matters", order=29, icon="diagram-2"
    )
)
