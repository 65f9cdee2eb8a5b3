"""``sanbao hotspots --messages M.csv --top K --json``: the clusters the early warning would raise.

Reads a CSV of messages (id, title, text, time; an optional ``user`` column
counts distinct people) and prints the clusters about one site, most
worrying first, with the same code as the early warning of matters
(``sanbao.intake.hotspots.find_clusters``). With ``--json`` each line is
``{"rank": 1, "label": "…", "size": N, "ids": ["…"]}``.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from sanbao.intake.files import parse_time, read_rows
from sanbao.intake.hotspots import Item, find_clusters


class Command(BaseCommand):
    help = "Find clusters of messages about one site, most worrying first."

    def add_arguments(self, parser):
        parser.add_argument("--messages", required=True, help="CSV with id,title,text,time (user optional)")
        parser.add_argument("--top", type=int, default=10, help="how many clusters to print (default 10)")
        parser.add_argument("--min-size", type=int, default=3, help="smallest cluster (default 3)")
        parser.add_argument("--json", dest="as_json", action="store_true", help="one JSON object per line")

    def handle(self, *args, messages, top, min_size, as_json, **options):
        if top < 1 or min_size < 2:
            raise CommandError("--top must be at least 1 and --min-size at least 2")
        rows = read_rows(messages, ("id", "text"))
        items = [
            Item(
                key=(row.get("id") or "").strip(),
                title=row.get("title") or "",
                text=row.get("text") or "",
                received_at=parse_time(row.get("time", "")),
                person=(row.get("user") or "").strip(),
            )
            for row in rows
        ]
        for number, item in enumerate(items, start=2):
            if not item.key:
                raise CommandError(f"{messages}: row {number}: empty id")
        for rank, cluster in enumerate(find_clusters(items, min_size=min_size, top=top), start=1):
            self.stdout.write(self._line(rank, cluster, as_json=as_json))

    @staticmethod
    def _line(rank, cluster, *, as_json: bool) -> str:
        if as_json:
            return json.dumps(
                {"rank": rank, "label": cluster.label, "size": cluster.size, "ids": cluster.members},
                ensure_ascii=False,
            )
        return f"{rank}. {cluster.label} ({cluster.why()}) ids: {' '.join(cluster.members)}"
