"""Parsing and validating a division list (CSV) before anything is written.

Columns (header row required, any order; Chinese headers accepted):
``code,name,level[,parent_code][,urban_rural_class][,valid_from][,valid_to]``.
``level`` is a machine key (province, city, county, township, village, grid)
or its Chinese name (省, 市, 县/区, 乡镇/街道, 村/社区, 网格). ``parent_code`` may
be left empty: it is derived from the code's digits, and when given it must
equal that derivation, because jurisdiction is a range of code prefixes.

This module checks what can be checked from the file alone (code shape,
level, name, dates, duplicates); ``sanbao.org.actions.import_areas`` checks
what needs the database (parents, retirements) and writes. See docs/areas.md.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

from sanbao.org.choices import CODE_LENGTH, PARENT_LEVEL, PREFIX_LENGTH, AreaLevel

LEVEL_ALIASES = {
    "省": AreaLevel.PROVINCE, "市": AreaLevel.CITY, "县": AreaLevel.COUNTY, "区": AreaLevel.COUNTY,
    "乡镇": AreaLevel.TOWNSHIP, "街道": AreaLevel.TOWNSHIP,
    "村": AreaLevel.VILLAGE, "社区": AreaLevel.VILLAGE, "网格": AreaLevel.GRID,
}
COLUMN_ALIASES = {
    "区划代码": "code", "代码": "code", "名称": "name", "级别": "level", "层级": "level",
    "上级代码": "parent_code", "上级区划代码": "parent_code", "城乡分类代码": "urban_rural_class",
    "生效日期": "valid_from", "失效日期": "valid_to",
}
REQUIRED_COLUMNS = ("code", "name", "level")
NAME_MAX_LENGTH = 100


@dataclass(frozen=True)
class AreaRow:
    """One parsed row; ``line`` is its line number in the file (0 for rows built in code)."""

    line: int
    code: str
    name: str
    level: AreaLevel
    parent_code: str | None
    urban_rural_class: str
    valid_from: date | None
    valid_to: date | None = None

    @property
    def retires(self) -> bool:
        return self.valid_to is not None


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"

    def as_dict(self) -> dict:
        return {"line": self.line, "field": self.field, "message": self.message}


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


def _own_digits(code: str, level: AreaLevel) -> str:
    """The digits this level adds to its parent's prefix (e.g. the township's three)."""
    parent_level = PARENT_LEVEL.get(level)
    start = PREFIX_LENGTH[parent_level] if parent_level else 0
    return code[start : PREFIX_LENGTH[level]]


def _check_code(code: str, level: AreaLevel) -> str | None:
    expected = CODE_LENGTH[level]
    if not re.fullmatch(r"\d+", code) or len(code) != expected:
        return f"{code!r} must be {expected} digits for a {level.value}"
    if code[PREFIX_LENGTH[level] :].strip("0"):
        return f"{code!r}: digits after the first {PREFIX_LENGTH[level]} must be 0 for a {level.value}"
    if not _own_digits(code, level).strip("0"):
        return f"{code!r}: the {level.value} digits are all 0 (that is the parent's code)"
    return None


def _parse_date(raw: dict, field: str, line: int, errors: list) -> date | None:
    value = (raw.get(field) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(RowError(line, field, f"{value!r} is not a date (YYYY-MM-DD)"))
        return None


def _check_parent_code(raw: dict, code: str, level: AreaLevel, line: int, errors: list) -> str | None:
    derived = derive_parent_code(code, level)
    given = (raw.get("parent_code") or "").strip()
    if given and given != derived:
        expected = derived or "empty (a province has no parent)"
        message = f"{given!r} must be {expected}: the parent follows the code"
        errors.append(RowError(line, "parent_code", message))
    return derived


def _check_text(raw: dict, line: int, errors: list) -> tuple[str, str]:
    name = (raw.get("name") or "").strip()
    if not name:
        errors.append(RowError(line, "name", "is required"))
    elif len(name) > NAME_MAX_LENGTH:
        errors.append(RowError(line, "name", f"is longer than {NAME_MAX_LENGTH} characters"))
    urban_rural = (raw.get("urban_rural_class") or "").strip()
    if urban_rural and not re.fullmatch(r"\d{3}", urban_rural):
        message = f"{urban_rural!r} must be 3 digits (e.g. 111, 220)"
        errors.append(RowError(line, "urban_rural_class", message))
    return name, urban_rural


def parse_row(line: int, raw: dict) -> tuple[AreaRow | None, list[RowError]]:
    """Check one CSV record; return the row, or None and every problem found in it."""
    errors: list[RowError] = []
    if None in raw:
        errors.append(RowError(line, "row", "has more fields than the header"))
    code = (raw.get("code") or "").strip()
    level = _parse_level(raw.get("level") or "")
    parent_code = None
    if level is None:
        errors.append(RowError(line, "level", f"unknown level {raw.get('level')!r}"))
    elif problem := _check_code(code, level):
        errors.append(RowError(line, "code", problem))
    else:
        parent_code = _check_parent_code(raw, code, level, line, errors)
    name, urban_rural = _check_text(raw, line, errors)
    valid_from = _parse_date(raw, "valid_from", line, errors)
    valid_to = _parse_date(raw, "valid_to", line, errors)
    if valid_from and valid_to and valid_to < valid_from:
        errors.append(RowError(line, "valid_to", "is before valid_from"))
    if errors:
        return None, errors
    return AreaRow(line, code, name, level, parent_code, urban_rural, valid_from, valid_to), []


def _header(fieldnames) -> list[str]:
    names = [(name or "").strip().lstrip("\ufeff") for name in fieldnames or []]
    return [COLUMN_ALIASES.get(name, name.lower()) for name in names]


def read_csv(text: str) -> tuple[list[AreaRow], list[RowError]]:
    """Parse every row; return the good rows and every error found (the header is line 1).

    Line numbers are physical lines of the file, so blank lines do not shift
    them. A code appearing twice is an error on its second line.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    reader.fieldnames = _header(reader.fieldnames)
    missing = [column for column in REQUIRED_COLUMNS if column not in reader.fieldnames]
    if missing:
        return [], [RowError(1, column, "column is missing") for column in missing]
    rows, errors, first_line = [], [], {}
    for raw in reader:
        line = reader.line_num  # the record's last physical line
        row, row_errors = parse_row(line, raw)
        errors.extend(row_errors)
        if row is None:
            continue
        if row.code in first_line:
            message = f"{row.code} already appears on line {first_line[row.code]}"
            errors.append(RowError(line, "code", message))
            continue
        first_line[row.code] = line
        rows.append(row)
    return rows, errors


# --- Checks against the database ------------------------------------------------

LEVEL_ORDER = list(AreaLevel)  # province first: parents are written before their children
LOOKUP_CHUNK = 500
UPDATABLE_FIELDS = ("name", "urban_rural_class", "valid_from")


@dataclass
class ImportPlan:
    """What an import would do; built without writing anything."""

    existing: dict  # code -> current Area (the file's codes and their parents)
    creates: list[AreaRow]
    updates: list[tuple[object, AreaRow, dict]]  # (area, row, {field: (old, new)})
    retires: list[tuple[object, AreaRow]]
    unchanged: int
    errors: list[RowError]

    def counts(self) -> dict:
        return {
            "created": len(self.creates), "updated": len(self.updates),
            "retired": len(self.retires), "unchanged": self.unchanged,
        }


def _current_areas(codes: set[str], lock: bool) -> dict:
    from sanbao.org.models import Area

    queryset = Area.objects.current()
    if lock:
        queryset = queryset.select_for_update()
    ordered, found = sorted(codes), {}
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        for area in queryset.filter(code__in=ordered[start : start + LOOKUP_CHUNK]):
            found[area.code] = area
    return found


def _parent_error(row: AreaRow, existing: dict, in_file: dict) -> RowError | None:
    if row.parent_code is None:
        return None
    parent_row = in_file.get(row.parent_code)
    if parent_row is not None:
        if parent_row.retires:
            message = f"parent {row.parent_code} is retired on line {parent_row.line}"
            return RowError(row.line, "parent_code", message)
        return None
    if row.parent_code in existing:
        return None
    message = f"parent {row.parent_code} is neither in the database nor in the file"
    return RowError(row.line, "parent_code", message)


def _changes(area, row: AreaRow, existing: dict) -> dict:
    changes = {}
    for field in UPDATABLE_FIELDS:
        new = getattr(row, field)
        if field == "valid_from" and new is None:
            continue  # an empty valid_from keeps the recorded one
        if getattr(area, field) != new:
            changes[field] = (getattr(area, field), new)
    parent = existing.get(row.parent_code) if row.parent_code else None
    if parent is not None and area.parent_id != parent.pk:
        changes["parent"] = (area.parent_id, parent.pk)
    return changes


def _retirement_error(area, row: AreaRow, in_file: dict, today: date) -> RowError | None:
    from sanbao.org.jurisdiction import code_within
    from sanbao.org.models import Area

    if area is None:
        return RowError(row.line, "valid_to", f"there is no current area {row.code} to retire")
    if row.valid_to > today:
        message = "cannot be in the future; import the retirement on or after that day"
        return RowError(row.line, "valid_to", message)
    descendants = Area.objects.current().filter(code_within("code", area.prefix)).exclude(pk=area.pk)
    left = [code for code in descendants.values_list("code", flat=True) if not _retired_in(code, in_file)]
    if left:
        shown = ", ".join(left[:5]) + (f" and {len(left) - 5} more" if len(left) > 5 else "")
        return RowError(row.line, "valid_to", f"current sub-areas must be retired in the same file: {shown}")
    return None


def _retired_in(code: str, in_file: dict) -> bool:
    row = in_file.get(code)
    return row is not None and row.retires


def plan_import(rows: list[AreaRow], *, today: date, lock: bool = False) -> ImportPlan:
    """Compare ``rows`` with the current areas: what to create, update and retire, and every error.

    Parents may come anywhere in the file (rows are written province first).
    """
    in_file = {row.code: row for row in rows}
    existing = _current_areas(set(in_file) | {row.parent_code for row in rows if row.parent_code}, lock)
    plan = ImportPlan(existing, [], [], [], 0, [])
    for row in rows:
        area = existing.get(row.code)
        if row.retires:
            if error := _retirement_error(area, row, in_file, today):
                plan.errors.append(error)
            else:
                plan.retires.append((area, row))
            continue
        if error := _parent_error(row, existing, in_file):
            plan.errors.append(error)
        elif area is None:
            plan.creates.append(row)
        elif changes := _changes(area, row, existing):
            plan.updates.append((area, row, changes))
        else:
            plan.unchanged += 1
    plan.errors.sort(key=lambda error: error.line)
    return plan
