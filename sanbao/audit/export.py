"""Writing trail rows as JSONL (exact and verifiable offline) or CSV (for spreadsheets)."""

import csv
import json

from django.utils import timezone

from sanbao.audit import registry
from sanbao.audit.chain import canonical_fields

FORMATS = ("csv", "jsonl")
CSV_COLUMNS = [
    "seq", "time", "actor_username", "actor", "unit", "event_code", "event_label", "object_type", "object_id",
    "object_repr", "area_code", "success", "request_id", "client_ip", "before", "after", "prev_hash", "hash",
]
# Spreadsheets run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def jsonl_record(event) -> dict:
    """The hashed fields plus ``hash``; re-hashing the record without ``hash`` reproduces it."""
    return {**canonical_fields(event), "hash": event.hash}


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_record(event) -> list[str]:
    fields = canonical_fields(event)
    fields["time"] = timezone.localtime(event.time).isoformat()
    fields["event_label"] = registry.label(event.event_code)
    fields["hash"] = event.hash
    return [_csv_cell(fields[column]) for column in CSV_COLUMNS]


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_lines(events):
    """Header then one CSV line per event, as strings (streamable)."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    for event in events:
        yield writer.writerow(csv_record(event))


def jsonl_lines(events):
    for event in events:
        yield json.dumps(jsonl_record(event), ensure_ascii=False, sort_keys=True) + "\n"


def lines(events, file_format: str):
    return csv_lines(events) if file_format == "csv" else jsonl_lines(events)
