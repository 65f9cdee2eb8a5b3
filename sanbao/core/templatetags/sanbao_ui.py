"""Template filters for Sanbao pages: ``{% load sanbao_ui %}``."""

from django import template

register = template.Library()


@register.filter
def mask_phone(value) -> str:
    """138****1234: keep the first three and last four digits of a phone number.

    Numbers shorter than eight characters keep at most their last two.
    """
    digits = "".join(character for character in str(value or "") if character.isalnum())
    if not digits:
        return ""
    if len(digits) >= 8:
        return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
    if len(digits) > 4:
        return "*" * (len(digits) - 2) + digits[-2:]
    return "*" * len(digits)
