"""Reading labelled texts from CSV files for ``sanbao triage evaluate``."""

import csv
import sys
from pathlib import Path

from sanbao.core.errors import ValidationFailed
from sanbao.intake.triage.site import matter_text

# Message boards export very long letters; the default CSV field limit (128 KiB) is too small.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def read_labelled(path: str | Path, text_col: str = "text", label_col: str = "label") -> tuple[list[str], list[str]]:
    """Texts and labels of a UTF-8 CSV. ``text_col`` may name several columns joined by commas
    (``title,text``: read as a title followed by the narrative). Rows without a text or a label are skipped.
    """
    text_cols = [name.strip() for name in text_col.split(",") if name.strip()]
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            if not header:
                raise ValidationFailed(f"{path}: the file is empty (no header row).", code="empty_file", field="file")
            for name in [*text_cols, label_col]:
                if name not in header:
                    raise ValidationFailed(
                        f"{path}: no column {name!r} (columns: {', '.join(header)}).", code="missing_column", field=name
                    )
            return _rows(reader, text_cols, label_col, path)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        message = f"{path}: cannot read the CSV ({error})."
        raise ValidationFailed(message, code="unreadable_file", field="file") from error


def _rows(reader, text_cols: list[str], label_col: str, path) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for row in reader:
        parts = [(row.get(name) or "").strip() for name in text_cols]
        label = (row.get(label_col) or "").strip()
        if not any(parts) or not label:
            continue
        texts.append(matter_text(*parts) if len(parts) == 2 else "。".join(parts))
        labels.append(label)
    if not texts:
        raise ValidationFailed(f"{path}: no row has both a text and a label.", code="empty_file", field="file")
    return texts, labels


def drop_overlap(train_texts: list[str], test_texts: list[str], test_labels: list[str]) -> tuple[list, list, int]:
    """Remove test rows whose text (ignoring spaces) also appears in the training set."""
    seen = {"".join(text.split()) for text in train_texts}
    kept = [(text, label) for text, label in zip(test_texts, test_labels, strict=True)
            if "".join(text.split()) not in seen]
    return [text for text, _ in kept], [label for _, label in kept], len(test_texts) - len(kept)
