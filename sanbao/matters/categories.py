"""The seed category dictionaries shipped with Sanbao (version 1 of each kind).

Dispute categories are those used by people's mediation (DOMAIN.md §3);
petition content categories are the two upper levels of a public petition
classification (``data/petition_categories.csv``). Hazard, incident and
enterprise-request lists are Sanbao's own starting points. All are editable
data: a site publishes a new scheme version rather than editing code.
"""

import csv
from pathlib import Path

from sanbao.matters.choices import KIND_CODE_LETTERS, MatterKind

DATA_DIR = Path(__file__).resolve().parent / "data"
SCHEME_NAMES = {
    MatterKind.DISPUTE: "矛盾纠纷类别",
    MatterKind.PETITION: "信访内容分类",
    MatterKind.HAZARD: "稳定隐患类别",
    MatterKind.INCIDENT: "突发事件类别",
    MatterKind.ENTERPRISE_REQUEST: "涉企诉求类别",
}


def _read(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_rows() -> dict[str, list[tuple[str, str, str | None]]]:
    """{kind: [(code, name, parent code or None)]}; codes are kind letters + level-1 and level-2 numbers."""
    pairs: dict[str, list[tuple[str, str]]] = {kind: [] for kind in MatterKind.values}
    for row in _read("categories.csv"):
        pairs[row["kind"]].append((row["level1"], row["level2"]))
    pairs[MatterKind.PETITION] = [(row["level1"], row["level2"]) for row in _read("petition_categories.csv")]
    return {kind: _coded(KIND_CODE_LETTERS[kind], rows) for kind, rows in pairs.items()}


def _coded(letters: str, pairs: list[tuple[str, str]]) -> list[tuple[str, str, str | None]]:
    rows: list[tuple[str, str, str | None]] = []
    level1_codes: dict[str, str] = {}
    children: dict[str, int] = {}
    for level1, level2 in pairs:
        if level1 not in level1_codes:
            level1_codes[level1] = f"{letters}{len(level1_codes) + 1:02d}"
            rows.append((level1_codes[level1], level1, None))
        if level2:
            parent = level1_codes[level1]
            children[parent] = children.get(parent, 0) + 1
            rows.append((f"{parent}{children[parent]:02d}", level2, parent))
    return rows


def seed_categories(scheme_model, category_model) -> None:
    """Create version 1 of every kind's dictionary (used by the data migration)."""
    for kind, rows in seed_rows().items():
        scheme = scheme_model.objects.create(kind=kind, version=1, name=SCHEME_NAMES[kind], is_current=True)
        by_code = {}
        for order, (code, name, parent) in enumerate(rows):
            by_code[code] = category_model.objects.create(
                scheme=scheme,
                code=code,
                name=name,
                parent=by_code.get(parent) if parent else None,
                sort_order=order,
            )
