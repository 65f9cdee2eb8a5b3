"""``sanbao triage …``: measure the triage classifier on labelled CSV files, or train the site's models.

    sanbao triage evaluate --train TRAIN.csv --test TEST.csv [--text-col text] [--label-col label]
    sanbao triage train
    sanbao triage schedule

``evaluate`` trains with the same ``train`` / ``suggest`` code as the intake
suggestions; its last line is ``macro_f1=0.XXXX accuracy=0.XXXX n=N``.
``schedule`` queues the nightly training unless it is queued (``migrate`` does).
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sanbao.core.errors import DomainError


class Command(BaseCommand):
    help = "Triage suggestions: evaluate the classifier on CSV files, or train the site's models now."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        evaluate = commands.add_parser("evaluate", help="Train on one CSV, score on another.")
        evaluate.add_argument("--train", required=True, help="CSV of training texts and labels")
        evaluate.add_argument("--test", required=True, help="CSV of test texts and labels")
        evaluate.add_argument("--text-col", default="text", help="text column; several joined by commas (title,text)")
        evaluate.add_argument("--label-col", default="label", help="label column")
        evaluate.add_argument(
            "--drop-overlap", action="store_true", help="leave out test rows whose text is also in the training set"
        )
        commands.add_parser("train", help="Train the category and lead-unit models from this site's matters now.")
        commands.add_parser("schedule", help="Queue the nightly training unless it is queued.")

    def handle(self, *args, action, **options):
        try:
            getattr(self, "handle_" + action)(**options)
        except DomainError as error:
            raise CommandError(str(error.message)) from error

    def handle_evaluate(self, *, train, test, text_col, label_col, drop_overlap, **options):
        from sanbao.intake.triage import classifier
        from sanbao.intake.triage.data import drop_overlap as without_overlap
        from sanbao.intake.triage.data import read_labelled

        train_texts, train_labels = read_labelled(train, text_col, label_col)
        test_texts, test_labels = read_labelled(test, text_col, label_col)
        if len(set(train_labels)) < 2:
            raise CommandError(f"{train}: column {label_col!r} needs at least two different labels.")
        if drop_overlap:
            test_texts, test_labels, dropped = without_overlap(train_texts, test_texts, test_labels)
            self.stderr.write(f"Left out {dropped} test rows also in the training set.")
            if not test_texts:
                raise CommandError("Every test row is also in the training set.")
        started = time.perf_counter()
        model = classifier.train(train_texts, train_labels)
        self.stderr.write(f"Trained on {len(train_texts)} texts in {time.perf_counter() - started:.1f} s.")
        self.stdout.write(classifier.score(model, test_texts, test_labels).line())

    def handle_train(self, **options):
        from sanbao.intake.triage.actions import train_models

        models = train_models(actor=None)
        self.stdout.write(f"Trained triage models version {models.version} on {models.n} matters.")
        self.stdout.write(f"Held-out scores: {models.evaluation}")

    def handle_schedule(self, **options):
        from sanbao.intake.tasks import NIGHTLY_TRAINING

        queued = NIGHTLY_TRAINING.ensure_scheduled(now=False)
        self.stdout.write("queued" if queued else "already queued (or no database queue)")
        if (next_run := NIGHTLY_TRAINING.status().next_run) is not None:
            self.stdout.write(f"Next training: {timezone.localtime(next_run):%Y-%m-%d %H:%M}")
