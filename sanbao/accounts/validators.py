"""Password policy (等保 2.0 level 3): at least three of four character classes."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_classes(password: str) -> int:
    classes = (
        any(char in string.ascii_lowercase for char in password),
        any(char in string.ascii_uppercase for char in password),
        any(char in string.digits for char in password),
        any(not char.isalnum() for char in password),
    )
    return sum(classes)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        return _(
            "The password must contain at least %(count)d of: lower-case letters, upper-case letters, "
            "digits, symbols."
        ) % {"count": self.min_classes}
