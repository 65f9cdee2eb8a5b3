"""``sanbao dedupe evaluate --messages M.csv --pairs P.csv``: score the duplicate decision on labelled pairs.

``sanbao dedupe reindex`` rebuilds the duplicate index of the matters.

Every message goes through the intake index (normalisation, shingles,
MinHash LSH bands, named things), exactly as a registered matter does; a
pair counts as merged when the index offers one as a candidate for the other
and the intake decision says they are the same matter. The last line is
``precision=… recall=… f1=… pairs=N``.
"""

from django.core.management.base import BaseCommand, CommandError

from sanbao.intake.dedupe import MemoryIndex, fingerprint
from sanbao.intake.files import read_messages, read_rows
from sanbao.intake.metrics import binary_scores
from sanbao.intake.signatures import reindex_signatures


class Command(BaseCommand):
    help = "Evaluate the duplicate decision on labelled message pairs."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        evaluate = commands.add_parser("evaluate", help="precision and recall on labelled pairs")
        evaluate.add_argument("--messages", required=True, help="CSV with id,title,text,time")
        evaluate.add_argument("--pairs", required=True, help="CSV with id1,id2,same (1 = the same matter)")
        evaluate.add_argument("--verbose-errors", action="store_true", help="print every wrong decision")
        commands.add_parser("reindex", help="rebuild the duplicate index (text signatures) of every matter")

    def handle(self, *args, action, **options):
        if action == "reindex":
            self.stdout.write(f"indexed={reindex_signatures()}")
            return
        self.evaluate(options["messages"], options["pairs"], options["verbose_errors"])

    def evaluate(self, messages, pairs, verbose_errors):
        index = MemoryIndex()
        for message in read_messages(messages):
            index.add(fingerprint(message.id, message.title, message.text, message.received_at))
        labelled = self._pairs(pairs, index)
        truth, predicted = [], []
        for left, right, same in labelled:
            merged = index.same_matter(left, right)
            truth.append(same)
            predicted.append(merged)
            if verbose_errors and merged != same:
                self.stdout.write(f"{'false merge' if merged else 'missed'}: {left} {right}")
        scores = binary_scores(truth, predicted)
        self.stdout.write(
            f"merged={scores.true_positive + scores.false_positive} false_merges={scores.false_positive} "
            f"missed={scores.false_negative}"
        )
        self.stdout.write(
            f"precision={scores.precision:.4f} recall={scores.recall:.4f} f1={scores.f1:.4f} pairs={len(labelled)}"
        )

    def _pairs(self, path, index) -> list[tuple[str, str, bool]]:
        rows = read_rows(path, ("id1", "id2", "same"))
        labelled = []
        for number, row in enumerate(rows, start=2):
            left, right, same = row["id1"].strip(), row["id2"].strip(), row["same"].strip()
            for key in (left, right):
                if key not in index.fingerprints:
                    raise CommandError(f"{path}: row {number}: id {key} is not in the messages file")
            if same not in {"0", "1"}:
                raise CommandError(f"{path}: row {number}: same must be 0 or 1, not {same!r}")
            labelled.append((left, right, same == "1"))
        return labelled
