"""Parsing a year of special days from CSV (``date,type,name``) before anything is written.

``type`` is ``holiday`` or ``workday`` (also 休/假 and 班). Every row must lie
in the year being imported; a make-up workday must be a Saturday or Sunday;
a date may appear once. All problems are collected with their line numbers.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from sanbao.deadlines.choices import DayKind

TYPE_ALIASES = {"休": DayKind.HOLIDAY, "假": DayKind.HOLIDAY, "班": DayKind.WORKDAY}
NAME_MAX_LENGTH = 60


@dataclass(frozen=True)
class DayRow:
    line: int
    date: date
    kind: str
    name: str


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return _("line %(line)s, %(field)s: %(message)s") % {
            "line": self.line, "field": self.field, "message": self.message
        }


def _parse_kind(value: str) -> str | None:
    value = value.strip().lower()
    if value in DayKind.values:
        return value
    alias = TYPE_ALIASES.get(value)
    return alias.value if alias else None


def _check_date(line: int, value: str, year: int) -> tuple[date | None, RowError | None]:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        return None, RowError(line, "date", _("%(value)s is not a date (YYYY-MM-DD)") % {"value": value.strip()})
    if day.year != year:
        return None, RowError(line, "date", _("%(date)s is not in %(year)s") % {"date": day, "year": year})
    return day, None


def parse_row(line: int, cells: list[str], year: int) -> tuple[DayRow | None, list[RowError]]:
    if len(cells) < 2:
        return None, [RowError(line, "row", _("expected date,type,name"))]
    day, problem = _check_date(line, cells[0], year)
    errors = [problem] if problem else []
    kind = _parse_kind(cells[1])
    name = cells[2].strip() if len(cells) > 2 else ""
    if kind is None:
        errors.append(RowError(line, "type", _("%(value)s is not holiday or workday") % {"value": cells[1].strip()}))
    elif day and kind == DayKind.WORKDAY and day.weekday() < 5:
        message = _("%(date)s is a weekday; a make-up workday is a weekend day") % {"date": day}
        errors.append(RowError(line, "type", message))
    if len(name) > NAME_MAX_LENGTH:
        errors.append(RowError(line, "name", _("longer than %(count)s characters") % {"count": NAME_MAX_LENGTH}))
    if errors:
        return None, errors
    return DayRow(line, day, kind, name), []


def _is_header(cells: list[str]) -> bool:
    return bool(cells) and cells[0].strip().lower().lstrip("\ufeff") == "date"


def parse_year(text: str, year: int) -> tuple[list[DayRow], list[RowError]]:
    """Rows and problems of a CSV text for ``year``; a header line ``date,type,name`` is optional."""
    rows, errors, seen = [], [], {}
    for line, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        if not any(cell.strip() for cell in cells) or (line == 1 and _is_header(cells)):
            continue
        row, problems = parse_row(line, cells, year)
        errors += problems
        if row is None:
            continue
        if row.date in seen:
            message = _("%(date)s is already on line %(line)s") % {"date": row.date, "line": seen[row.date]}
            errors.append(RowError(line, "date", message))
            continue
        seen[row.date] = line
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, "file", _("no days found")))
    return rows, errors
