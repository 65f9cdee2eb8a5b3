"""Reading labelled texts from CSV files for ``sanbao triage evaluate``."""

import csv
from pathlib import Path

from sanbao.core.errors import ValidationFailed
from sanbao.core.textfiles import dict_rows, read_text
from sanbao.intake.triage.site import matter_text


def read_labelled(path: str | Path, text_col: str = "text", label_col: str = "label") -> tuple[list[str], list[str]]:
    """Texts and labels of a CSV in UTF-8 or GB18030. ``text_col`` may name several columns joined by commas
    (``title,text``: read as a title followed by the narrative). Rows without a text or a label are skipped.
    """
    text_cols = [name.strip() for name in text_col.split(",") if name.strip()]
    try:
        reader = dict_rows(read_text(path))
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
