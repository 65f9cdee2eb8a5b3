"""Masking a matter's free text on its page: ``{% load personal_data %}``."""

from django import template

from sanbao.matters.personal import redact

register = template.Library()


@register.filter
def masked(value, names):
    """Free text for the page's user: as written when ``names`` is None (``policy.masked_names``: they may
    reveal the matter's parties), else with those names and every ID and phone number masked."""
    if names is None or not isinstance(value, str):
        return value
    return redact(value, names or ())
