"""List columns of matters (STYLE §26): every column declared once, plus the default set.

A column names the template fragment that renders its cell, the related rows
it needs (so the list query selects them in one go) and, when sortable, the
model field it sorts on. Only masked or non-personal data is ever a column:
party names, ID numbers and phones never appear in lists.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    """One list column: ``key`` (URL and template name), header label, related rows it reads, sort field."""

    key: str
    label: str
    related: tuple[str, ...] = ()
    sort_field: str = ""


class MatterTable:
    """Columns of the matter list and queues. ``columns`` from the request picks and orders them."""

    all_columns = (
        Column("code", _("Code"), sort_field="code"),
        Column("title", _("Title")),
        Column("kind", _("Kind")),
        Column("state", _("Step")),
        Column("risk_level", _("Risk")),
        Column("category", _("Category"), related=("category__parent",)),
        Column("area", _("Area"), related=("area__parent",)),
        Column("lead_unit", _("Lead unit"), related=("lead_unit",)),
        Column("received_at", _("Received"), sort_field="received_at"),
        Column("source_channel", _("Source")),
        Column("people_count", _("People")),
        Column("repeat_count", _("Repeats")),
        Column("satisfaction", _("Satisfaction")),
        Column("updated_at", _("Last change"), sort_field="updated_at"),
    )
    default_columns = ("code", "title", "kind", "state", "risk_level", "area", "lead_unit", "received_at")

    def __init__(self, rows, columns: list[str] | None = None):
        by_key = {column.key: column for column in self.all_columns}
        chosen = [key for key in (columns or []) if key in by_key] or list(self.default_columns)
        self.columns = [by_key[key] for key in chosen]
        self.rows = rows

    @classmethod
    def related_for(cls, columns: list[str] | None = None) -> list[str]:
        """``select_related`` paths the chosen columns need (one query for the whole page)."""
        table = cls([], columns)
        return sorted({path for column in table.columns for path in column.related})

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(column.key, column.label) for column in cls.all_columns]
