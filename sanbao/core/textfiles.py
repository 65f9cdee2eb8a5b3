"""Text and CSV files people bring: UTF-8 (with or without Excel's byte-order mark) or GB18030.

Excel and WPS on Chinese Windows save "CSV" as GBK, of which GB18030 is the
superset; a clerk should not have to know that. Every import and evaluation
command and every upload form reads files through here, so they all accept
the same encodings. Chinese GBK text is practically never valid UTF-8, so
trying UTF-8 first cannot misread it.
"""

import csv
import io
import sys
from pathlib import Path

FALLBACK_ENCODING = "gb18030"
# What commands say of a file that decodes as neither.
NOT_TEXT = "neither UTF-8 nor GB18030 text"

# Message boards export very long letters; the default CSV field limit (128 KiB) is too small.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def decode(data: bytes, encoding: str | None = None) -> str:
    """``data`` as text in ``encoding``, or else UTF-8, or else GB18030 (``UnicodeDecodeError`` if neither)."""
    if encoding:
        return data.decode(encoding)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(FALLBACK_ENCODING)


def read_text(path: str | Path, encoding: str | None = None) -> str:
    """The file at ``path`` decoded as ``decode`` does (``OSError`` and ``UnicodeDecodeError`` pass through)."""
    return decode(Path(path).read_bytes(), encoding)


def dict_rows(text: str) -> csv.DictReader:
    """A ``csv.DictReader`` over decoded text (line breaks inside quoted cells kept)."""
    return csv.DictReader(io.StringIO(text, newline=""))
