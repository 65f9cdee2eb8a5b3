"""The triage classifier: TF-IDF over character and jieba word n-grams, a linear SVM.

One implementation serves the intake suggestions and ``sanbao triage
evaluate``: ``train(texts, labels)`` returns a ``TriageModel`` whose
``suggest(text)`` ranks the labels with a confidence. No weights are ever
downloaded; everything is learnt from the texts given.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

import jieba
import numpy as np
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import accuracy_score, f1_score
from sklearn.pipeline import FeatureUnion
from sklearn.svm import LinearSVC

from sanbao.intake.normalise import normalise_text

# Long letters repeat themselves; the head carries the subject and keeps training time bounded.
MAX_CHARS = 1000
# jieba is the slowest step, so words come from the head of the text only.
WORD_CHARS = 400
SVM_C = 1.0
SVM_TOL = 1e-2
# Processes for fitting the features (characters and words in parallel); suggestions use one.
FIT_JOBS = 2
# Decision scores of a linear SVM are margins, not probabilities: a softmax with
# this temperature turns them into a ranking confidence (see docs/intake-triage.md).
SOFTMAX_SCALE = 4.0


@lru_cache(maxsize=1)
def _jieba() -> jieba.Tokenizer:
    # jieba announces its dictionary loading on the root logger at INFO; keep the command output clean.
    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def prepare(text: str) -> str:
    """The text the classifier sees: normalised (simplified, half-width, one space) and truncated."""
    return normalise_text(text)[:MAX_CHARS]


def word_ngrams(text: str) -> list[str]:
    """jieba words (no HMM guessing of unknown words: faster, steadier) and adjacent word pairs."""
    words = [word for word in _jieba().lcut(text[:WORD_CHARS], HMM=False) if not word.isspace()]
    return words + [f"{first} {second}" for first, second in zip(words, words[1:], strict=False)]


def _features() -> FeatureUnion:
    chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True, min_df=2, dtype=np.float32)
    words = TfidfVectorizer(analyzer=word_ngrams, sublinear_tf=True, min_df=2, dtype=np.float32)
    return FeatureUnion([("chars", chars), ("words", words)])


@dataclass
class TriageModel:
    """A trained classifier: the fitted features, the SVM and the labels it knows."""

    features: FeatureUnion
    svm: LinearSVC

    @property
    def labels(self) -> list:
        return list(self.svm.classes_)

    def vectorise(self, texts: list[str]):
        """The feature rows of ``texts`` (shared by every model trained together by ``train_many``)."""
        return self.features.transform([prepare(text) for text in texts])

    def _scores(self, vectors) -> np.ndarray:
        scores = self.svm.decision_function(vectors)
        # Two classes give one column (the second class's margin).
        return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores

    def predict(self, texts: list[str]) -> list:
        return [self.svm.classes_[index] for index in self._scores(self.vectorise(texts)).argmax(axis=1)]

    def suggest(self, text: str, top: int = 3, vector=None) -> list[tuple[object, float]]:
        """The ``top`` labels for ``text``, best first, each with a confidence in [0, 1].

        ``vector`` (from ``vectorise([text])``) skips featurising the text again.
        """
        scores = self._scores(self.vectorise([text]) if vector is None else vector)[0] * SOFTMAX_SCALE
        weights = np.exp(scores - scores.max())
        confidences = weights / weights.sum()
        order = np.argsort(-confidences)[:top]
        return [(self.svm.classes_[index], round(float(confidences[index]), 4)) for index in order]


def _fit_features(texts: list[str]):
    features = _features()
    features.set_params(n_jobs=FIT_JOBS)
    matrix = features.fit_transform([prepare(text) for text in texts])
    # One suggestion is one short text: starting worker processes would cost more than it saves.
    features.set_params(n_jobs=None)
    return features, matrix


def _fit_svm(matrix, labels: list) -> LinearSVC:
    # Balanced class weights: macro-F1 counts small classes as much as large ones. A looser
    # tolerance than liblinear's default halves the fit on 10,000 texts with the same CV scores.
    return LinearSVC(C=SVM_C, class_weight="balanced", tol=SVM_TOL).fit(matrix, list(labels))


def train(texts: list[str], labels: list) -> TriageModel:
    """Fit the classifier on ``texts`` and their ``labels`` (at least two distinct labels)."""
    if len(set(labels)) < 2:
        raise ValueError("Training needs at least two different labels.")
    features, matrix = _fit_features(texts)
    return TriageModel(features=features, svm=_fit_svm(matrix, labels))


def train_many(texts: list[str], label_sets: dict[str, list], min_examples: int = 2) -> dict:
    """One classifier per label set over the same texts, sharing one fitted feature extractor.

    The features are fitted once, and at suggestion time a text is featurised
    once for all the models. A label ``None`` leaves that text out of that
    classifier; a classifier with fewer than ``min_examples`` labelled texts or
    a single label is ``None``.
    """
    usable = {
        name: [index for index, label in enumerate(labels) if label is not None] for name, labels in label_sets.items()
    }
    usable = {
        name: rows for name, rows in usable.items()
        if len(rows) >= min_examples and len({label_sets[name][row] for row in rows}) >= 2
    }
    models: dict = dict.fromkeys(label_sets)
    if not usable:
        return models
    features, matrix = _fit_features(texts)
    # liblinear releases the GIL: the classifiers train side by side on threads.
    svms = Parallel(n_jobs=FIT_JOBS, prefer="threads")(
        delayed(_fit_svm)(matrix[rows], [label_sets[name][row] for row in rows]) for name, rows in usable.items()
    )
    for name, svm in zip(usable, svms, strict=True):
        models[name] = TriageModel(features=features, svm=svm)
    return models


@dataclass(frozen=True)
class Scores:
    """Macro-F1 and accuracy of a model on ``n`` texts."""

    macro_f1: float
    accuracy: float
    n: int

    def line(self) -> str:
        return f"macro_f1={self.macro_f1:.4f} accuracy={self.accuracy:.4f} n={self.n}"


def score(model: TriageModel, texts: list[str], labels: list) -> Scores:
    """Macro-F1 over the labels present in the test set or predicted, and accuracy."""
    predicted = model.predict(texts)
    macro = f1_score(labels, predicted, average="macro", zero_division=0)
    return Scores(macro_f1=float(macro), accuracy=float(accuracy_score(labels, predicted)), n=len(labels))
