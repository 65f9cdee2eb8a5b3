"""Personal data of parties: normalising, validating and masking ID numbers, phones and names.

Validation follows GB 11643-1999 for 18-digit resident ID numbers (ISO 7064
MOD 11-2 check digit) and the mainland numbering plan for phones. Masks
follow common practice (DOMAIN.md §7): 110101********1234, 138****1234, 张*.
"""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from sanbao.core.errors import ValidationFailed

_FULL_WIDTH = str.maketrans(
    {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "}
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
# Landline: area code 0 + 2-3 digits, then a 7-8 digit number; extension allowed after "-".
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
_SERVICE = re.compile(r"^(12345|12348|110|119|120|122)$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def normalise(value: str) -> str:
    """Full-width characters to half-width, spaces removed, letters upper-cased."""
    return re.sub(r"\s+", "", (value or "").translate(_FULL_WIDTH)).upper()


def resident_id_check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def validate_resident_id(value: str, field: str = "id_number") -> str:
    """Return the normalised 18-digit resident ID number or raise ``ValidationFailed``."""
    number = normalise(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationFailed(
            _("A resident ID number has 17 digits followed by a digit or X."),
            code="invalid_id_number",
            field=field,
        )
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationFailed(
            _("The birth date inside this ID number does not exist."), code="invalid_id_number", field=field
        ) from None
    if resident_id_check_digit(number[:17]) != number[17]:
        raise ValidationFailed(
            _("The check digit of this ID number is wrong; please check the number."),
            code="invalid_id_number",
            field=field,
        )
    return number


def validate_id_number(id_type: str, value: str, field: str = "id_number") -> str:
    """Validate an identifier of the given type; return it normalised."""
    if id_type == "resident_id":
        return validate_resident_id(value, field)
    number = normalise(value)
    if id_type == "credit_code" and not _CREDIT_CODE.fullmatch(number):
        raise ValidationFailed(
            _("A unified social credit code has 18 characters."), code="invalid_id_number", field=field
        )
    if not re.fullmatch(r"[0-9A-Z()\-]{5,30}", number):
        raise ValidationFailed(_("This document number is not valid."), code="invalid_id_number", field=field)
    return number


def validate_phone(value: str, field: str = "phone") -> str:
    """Return a normalised mainland mobile or landline number, or raise ``ValidationFailed``."""
    number = normalise(value).removeprefix("+86").removeprefix("0086")
    if _MOBILE.fullmatch(number) or _LANDLINE.fullmatch(number) or _SERVICE.fullmatch(number):
        return number
    raise ValidationFailed(
        _("Enter an 11-digit mobile number or a landline with its area code, e.g. 0791-86123456."),
        code="invalid_phone",
        field=field,
    )


def mask_id_number(value: str) -> str:
    """110101********1234: keep the division code and the last four characters."""
    if not value:
        return ""
    if len(value) <= 8:
        return value[:1] + "*" * (len(value) - 1)
    keep_head = 6 if len(value) >= 15 else 2
    return value[:keep_head] + "*" * (len(value) - keep_head - 4) + value[-4:]


def mask_phone(value: str) -> str:
    """138****1234 for mobiles; landlines keep the area code and last four digits."""
    if not value:
        return ""
    if len(value) == 11 and value.startswith("1"):
        return value[:3] + "****" + value[-4:]
    if len(value) <= 5:
        return value
    head = value.split("-")[0] if "-" in value else value[:4]
    return head + "-****" + value[-4:]


def mask_name(value: str) -> str:
    """张* for people; one visible character, the rest starred."""
    if not value:
        return ""
    return value[0] + "*" * max(1, len(value) - 1)


def mask_address(value: str) -> str:
    """Keep the first six characters (usually the township or street) of an address."""
    if not value:
        return ""
    return value[:6] + "****"


# Numbers as people write them inside free text: not part of a longer run of digits or letters.
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<!\d)(1[3-9]\d)[- ]?(\d{4})[- ]?(\d{4})(?!\d)")
_LANDLINE_IN_TEXT = re.compile(r"(?<!\d)(0\d{2,3})-(\d{7,8})(?!\d)")


def redact(text: str, names=()) -> str:
    """Free text as lists show it: ID numbers, phone numbers and the given people's names masked.

    Clerks write names and numbers into titles and narratives; a list shows
    them the way it shows the parties (110101********1234, 138****1234, 张*).
    ``names`` are the names of the matter's people; a one-character name is
    left alone (it would mask that character everywhere).
    """
    if not text:
        return ""
    text = _ID_IN_TEXT.sub(lambda found: mask_id_number(found.group()), text)
    text = _MOBILE_IN_TEXT.sub(lambda found: mask_phone("".join(found.groups())), text)
    text = _LANDLINE_IN_TEXT.sub(lambda found: f"{found.group(1)}-****{found.group(2)[-4:]}", text)
    for name in sorted({name.strip() for name in names if len(name.strip()) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return text
