"""Reading message files for the evaluation and hotspot commands.

Files are CSV with a header row, in UTF-8 (a byte-order mark from Excel is
accepted) or GB18030/GBK (``sanbao.core.textfiles``). A missing required
column or an unreadable row stops with a message naming the file, the row
and the column, before anything is computed.
"""

import csv
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import timezone

from sanbao.core.textfiles import NOT_TEXT, dict_rows, read_text

_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass(frozen=True)
class Message:
    """One message of a file: what intake would register as a matter."""

    id: str
    title: str
    text: str
    received_at: datetime | None


def read_rows(path: str | Path, required: tuple[str, ...]) -> list[dict]:
    """All rows of a CSV file as dicts; ``CommandError`` naming the missing columns."""
    try:
        reader = dict_rows(read_text(path))
        missing = [column for column in required if column not in (reader.fieldnames or [])]
        if missing:
            raise CommandError(f"{path}: missing column(s) {', '.join(missing)} (found: {reader.fieldnames})")
        return list(reader)
    except FileNotFoundError:
        raise CommandError(f"{path}: no such file") from None
    except UnicodeDecodeError as error:
        raise CommandError(f"{path}: {NOT_TEXT} ({error})") from None
    except csv.Error as error:
        raise CommandError(f"{path}: not a readable CSV file ({error})") from None


def parse_time(value: str) -> datetime | None:
    """A timestamp in one of the board's formats, made aware in the current time zone; None when empty."""
    value = (value or "").strip()
    if not value:
        return None
    for pattern in _TIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, pattern))  # noqa: DTZ007 - local time
        except ValueError:
            continue
    return None


def read_messages(path: str | Path) -> list[Message]:
    """Messages with ``id`` and ``text`` (``title`` and ``time`` optional); ids must be unique."""
    rows = read_rows(path, ("id", "text"))
    messages, seen = [], set()
    for number, row in enumerate(rows, start=2):
        key = (row.get("id") or "").strip()
        if not key:
            raise CommandError(f"{path}: row {number}: empty id")
        if key in seen:
            raise CommandError(f"{path}: row {number}: id {key} appears twice")
        seen.add(key)
        messages.append(Message(key, row.get("title") or "", row.get("text") or "", parse_time(row.get("time", ""))))
    return messages
