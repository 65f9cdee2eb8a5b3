"""Scores printed by the evaluation commands and the triage accuracy page."""

from dataclasses import dataclass


@dataclass(frozen=True)
class BinaryScores:
    true_positive: int
    false_positive: int
    false_negative: int

    @property
    def precision(self) -> float:
        # No merge at all made no false merge: precision is 1, recall tells the rest.
        predicted = self.true_positive + self.false_positive
        return self.true_positive / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positive + self.false_negative
        return self.true_positive / actual if actual else 1.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def binary_scores(truth: list[bool], predicted: list[bool]) -> BinaryScores:
    pairs = list(zip(truth, predicted, strict=True))
    return BinaryScores(
        true_positive=sum(1 for actual, guess in pairs if actual and guess),
        false_positive=sum(1 for actual, guess in pairs if guess and not actual),
        false_negative=sum(1 for actual, guess in pairs if actual and not guess),
    )
