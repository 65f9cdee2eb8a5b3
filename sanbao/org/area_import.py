"""Parsing and validating a division list (CSV) before anything is written.

Columns: ``code,name,level[,parent_code][,urban_rural_class][,valid_from]``.
``level`` is a machine key (province, city, county, township, village, grid)
or its Chinese name (省, 市, 县, 乡镇, 村, 网格). ``parent_code`` may be left
empty for every level but grid; it is then derived from the code's digits.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from sanbao.org.choices import CODE_LENGTH, PARENT_LEVEL, PREFIX_LENGTH, AreaLevel

LEVEL_ALIASES = {
    "省": AreaLevel.PROVINCE, "市": AreaLevel.CITY, "县": AreaLevel.COUNTY, "区": AreaLevel.COUNTY,
    "乡镇": AreaLevel.TOWNSHIP, "街道": AreaLevel.TOWNSHIP, "村": AreaLevel.VILLAGE, "社区": AreaLevel.VILLAGE,
    "网格": AreaLevel.GRID,
}
REQUIRED_COLUMNS = ("code", "name", "level")


@dataclass(frozen=True)
class AreaRow:
    line: int
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    urban_rural_class: str
    valid_from: date | None


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


def derive_parent_code(code: str, level: AreaLevel) -> str | None:
    """The parent's code: the code's significant prefix at the parent level, zero-padded to 12."""
    parent_level = PARENT_LEVEL.get(level)
    if parent_level is None:
        return None
    return code[: PREFIX_LENGTH[parent_level]].ljust(12, "0")


def _parse_level(value: str) -> AreaLevel | None:
    value = value.strip()
    if value in AreaLevel.values:
        return AreaLevel(value)
    return LEVEL_ALIASES.get(value)


def _check_code(code: str, level: AreaLevel) -> str | None:
    expected = CODE_LENGTH[level]
    if not re.fullmatch(r"\d+", code) or len(code) != expected:
        return f"must be {expected} digits"
    if level != AreaLevel.GRID and code[PREFIX_LENGTH[level]:].strip("0"):
        return f"digits after the first {PREFIX_LENGTH[level]} must be 0 for a {level.value}"
    return None


def parse_row(line: int, raw: dict) -> tuple[AreaRow | None, list[RowError]]:
    errors = []
    code = (raw.get("code") or "").strip()
    name = (raw.get("name") or "").strip()
    level = _parse_level(raw.get("level") or "")
    if level is None:
        errors.append(RowError(line, "level", f"unknown level {raw.get('level')!r}"))
    elif problem := _check_code(code, level):
        errors.append(RowError(line, "code", f"{code!r} {problem}"))
    if not name:
        errors.append(RowError(line, "name", "is required"))
    valid_from = None
    if raw.get("valid_from"):
        try:
            valid_from = date.fromisoformat(raw["valid_from"].strip())
        except ValueError:
            errors.append(RowError(line, "valid_from", f"{raw['valid_from']!r} is not a date (YYYY-MM-DD)"))
    if errors:
        return None, errors
    parent_code = (raw.get("parent_code") or "").strip() or derive_parent_code(code, level)
    return AreaRow(line, code, name, level, parent_code, (raw.get("urban_rural_class") or "").strip(), valid_from), []


def read_csv(text: str) -> tuple[list[AreaRow], list[RowError]]:
    """Parse every row; return the rows and every error found (header is line 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        return [], [RowError(1, column, "column is missing") for column in missing]
    rows, errors = [], []
    for line, raw in enumerate(reader, start=2):
        row, row_errors = parse_row(line, raw)
        errors.extend(row_errors)
        if row:
            rows.append(row)
    return rows, errors
