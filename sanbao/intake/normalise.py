"""Text normalisation before indexing and matching.

Real intake mixes traditional and simplified characters, full-width digits and
letters (from Chinese input methods), stray spaces and line breaks, and phone
or ID numbers typed in many shapes (138 1234 5678, ＋86-138…, 0791－86123456).
Search, duplicate detection, clustering and triage all see the same text
through ``normalise_text``, so "學校" and "学校", "１３８" and "138" match.

The stored narrative is never changed: normalisation is only applied to what
is indexed and compared.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import opencc

# Full-width ASCII (U+FF01–U+FF5E) to half-width, and the ideographic space.
_FULL_WIDTH = str.maketrans({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {"\u3000": " "})
# Zero-width and byte-order marks pasted from web pages and office documents.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f]+")
# A phone written with separators: +86 / 0086 prefix, digits split by spaces, dashes or dots.
_MOBILE_LOOSE = re.compile(r"(?<!\d)(?:\+?86[ -]?|0086[ -]?)?(1[3-9]\d)[ .-]?(\d{4})[ .-]?(\d{4})(?!\d)")
_LANDLINE_LOOSE = re.compile(r"(?<!\d)\(?(0\d{2,3})\)?[ .-]?(\d{7,8})(?!\d)")
_RESIDENT_ID = re.compile(r"(?<![\dA-Za-z])(\d{6})[ ]?(\d{8})[ ]?(\d{3}[\dxX])(?![\dA-Za-z])")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)")

_converter_lock = threading.Lock()


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to simplified (OpenCC ``t2s``); simplified text is unchanged."""
    if not text or text.isascii():
        return text
    # The OpenCC converter object is shared; serialise calls rather than trust
    # the C++ extension to be re-entrant.
    with _converter_lock:
        return _t2s().convert(text)


def to_half_width(text: str) -> str:
    """Full-width letters, digits and ASCII punctuation to half-width; ideographic space to space."""
    return text.translate(_FULL_WIDTH)


def collapse_whitespace(text: str) -> str:
    """Remove invisible characters and collapse every run of whitespace to one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text)).strip()


def unify_numbers(text: str) -> str:
    """Rewrite phone and resident-ID numbers in one shape each.

    Mobiles become 11 bare digits (no +86, spaces or dashes); landlines
    ``0AAA-NNNNNNNN``; resident ID numbers 18 characters with an upper-case X.
    """
    text = _MOBILE_LOOSE.sub(lambda m: "".join(m.groups()), text)
    text = _RESIDENT_ID.sub(lambda m: "".join(m.groups()).upper(), text)
    return _LANDLINE_LOOSE.sub(lambda m: f"{m.group(1)}-{m.group(2)}", text)


def normalise_text(text: str | None) -> str:
    """The one normal form used by search, duplicates, clustering and triage."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = to_half_width(text)
    text = to_simplified(text)
    return unify_numbers(collapse_whitespace(text))


def phones_in(text: str) -> set[str]:
    """Mobile and landline numbers in already normalised text."""
    return set(_MOBILE.findall(text)) | set(_LANDLINE.findall(text))


def resident_ids_in(text: str) -> set[str]:
    """18-character resident ID numbers in already normalised text."""
    return {match.group(0) for match in _RESIDENT_ID.finditer(text)}
