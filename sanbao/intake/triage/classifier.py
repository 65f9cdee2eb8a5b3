"""The triage classifier: TF-IDF over characters and jieba words, a ridge classifier and a small neural network.

One implementation serves the intake suggestions and ``sanbao triage
evaluate``: ``train(texts, labels)`` returns a ``TriageModel`` whose
``suggest(text)`` ranks the labels with a confidence. No weights are ever
downloaded; everything is learnt from the texts given. The choices and their
measured effect are in docs/intake-triage.md.
"""

import logging
from dataclasses import dataclass
from functools import lru_cache

import jieba
import numpy as np
from joblib import Parallel, delayed
from scipy.special import softmax
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import RidgeClassifier
from sklearn.metrics import accuracy_score, f1_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import FeatureUnion

from sanbao.intake.normalise import normalise_text

# Stored with the site's models: a file of another format is ignored until retrained (site.py).
MODEL_FORMAT = 2
# Long letters repeat themselves; the head carries the subject and keeps training time bounded.
MAX_CHARS = 1000
# jieba is the slowest step, so words come from the head of the text only (the whole 1,000
# characters score the same in CV and take a third longer).
WORD_CHARS = 400
# Most frequent n-grams kept per feature block (single characters: all of them, a few thousand).
BLOCK_SIZES = {"chars2": 100_000, "chars3": 150_000, "words": 150_000}
# Processes for fitting the features (characters and words in parallel); suggestions use one.
FIT_JOBS = 2
RIDGE_ALPHA = 1.0
# Conjugate gradients stopped early: half the fit time, the same CV scores as the default 1e-4.
RIDGE_TOL = 1e-2
# Ridge scores are margins around ±1, not probabilities: a softmax with this temperature turns
# them into probabilities as well calibrated as the network's (lowest log-loss in CV).
RIDGE_SOFTMAX_SCALE = 5.0
# The network sees the most class-informative features only (chi²): smaller and faster, as good.
NETWORK_FEATURES = 10_000
NETWORK_HIDDEN = 128
NETWORK_EPOCHS = 10
NETWORK_SEED = 0


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


def _tfidf(**options) -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, min_df=2, dtype=np.float32, **options)


def _features() -> FeatureUnion:
    # One block per n-gram length, each normalised on its own: single characters, pairs and
    # triples weigh the same instead of the (far more numerous) longer n-grams drowning the rest.
    # Each block keeps its most frequent n-grams only (BLOCK_SIZES): the models' size and the
    # training time stay bounded as the site grows, with the same CV scores.
    chars = [
        (f"chars{n}", _tfidf(analyzer="char", ngram_range=(n, n), max_features=BLOCK_SIZES.get(f"chars{n}")))
        for n in (1, 2, 3)
    ]
    # Words first: the longest job starts at once in one process while the other fits the characters.
    return FeatureUnion([("words", _tfidf(analyzer=word_ngrams, max_features=BLOCK_SIZES["words"])), *chars])


@dataclass
class TriageModel:
    """A trained classifier: the fitted features and two learners whose probabilities are averaged."""

    features: FeatureUnion
    classes: np.ndarray
    # The ridge's coefficients as (features × classes) float32 in row order: one text's few non-zero
    # features read a few rows, instead of sklearn copying the whole transposed matrix per call.
    ridge_weights: np.ndarray
    ridge_intercept: np.ndarray
    network_columns: np.ndarray  # the feature columns the network reads
    network: MLPClassifier

    @property
    def labels(self) -> list:
        return list(self.classes)

    def vectorise(self, texts: list[str]):
        """The feature rows of ``texts`` (shared by every model trained together by ``train_many``)."""
        return self.features.transform([prepare(text) for text in texts])

    def probabilities(self, vectors) -> np.ndarray:
        """One row per text, one column per label (in ``labels`` order), each row summing to 1."""
        ridge = softmax((vectors @ self.ridge_weights + self.ridge_intercept) * RIDGE_SOFTMAX_SCALE, axis=1)
        return (ridge + self.network.predict_proba(vectors[:, self.network_columns])) / 2

    def predict(self, texts: list[str]) -> list:
        return [self.classes[index] for index in self.probabilities(self.vectorise(texts)).argmax(axis=1)]

    def suggest(self, text: str, top: int = 3, vector=None) -> list[tuple[object, float]]:
        """The ``top`` labels for ``text``, best first, each with a confidence in [0, 1].

        ``vector`` (from ``vectorise([text])``) skips featurising the text again.
        """
        confidences = self.probabilities(self.vectorise([text]) if vector is None else vector)[0]
        order = np.argsort(-confidences)[:top]
        return [(self.classes[index], round(float(confidences[index]), 4)) for index in order]


def _fit_features(texts: list[str]):
    features = _features()
    features.set_params(n_jobs=FIT_JOBS)
    matrix = features.fit_transform([prepare(text) for text in texts])
    # One suggestion is one short text: starting worker processes would cost more than it saves.
    features.set_params(n_jobs=None)
    return features, matrix


def _fit_learners(matrix, labels: list) -> dict:
    labels = list(labels)
    # Balanced class weights: macro-F1 counts small classes as much as large ones.
    ridge = RidgeClassifier(alpha=RIDGE_ALPHA, class_weight="balanced", solver="sparse_cg", tol=RIDGE_TOL)
    ridge.fit(matrix, labels)
    # Two classes give one row of coefficients (the second class's margin), possibly flattened.
    weights, intercept = np.atleast_2d(ridge.coef_).T, np.atleast_1d(ridge.intercept_)
    if weights.shape[1] == 1:
        weights, intercept = np.hstack([-weights, weights]), np.concatenate([-intercept, intercept])
    # Kept as column numbers: SelectKBest would sort all its scores again on every transform.
    columns = SelectKBest(chi2, k=min(NETWORK_FEATURES, matrix.shape[1])).fit(matrix, labels).get_support(indices=True)
    # Few epochs on purpose (more overfit the training texts), one partial_fit each: fit(max_iter=10)
    # would warn that it had not converged. One generator across the epochs, so each shuffles anew.
    network = MLPClassifier(
        hidden_layer_sizes=(NETWORK_HIDDEN,), alpha=1e-3, batch_size=min(128, matrix.shape[0]),
        random_state=np.random.RandomState(NETWORK_SEED),
    )
    inputs, classes = matrix[:, columns], np.unique(labels)
    for _epoch in range(NETWORK_EPOCHS):
        network.partial_fit(inputs, labels, classes=classes)
    return {
        "classes": ridge.classes_,
        "ridge_weights": np.ascontiguousarray(weights, dtype=np.float32),
        "ridge_intercept": intercept.astype(np.float32),
        "network_columns": columns,
        "network": network,
    }


def train(texts: list[str], labels: list) -> TriageModel:
    """Fit the classifier on ``texts`` and their ``labels`` (at least two distinct labels)."""
    if len(set(labels)) < 2:
        raise ValueError("Training needs at least two different labels.")
    features, matrix = _fit_features(texts)
    return TriageModel(features, **_fit_learners(matrix, labels))


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
    # The sparse products and BLAS calls release the GIL: the classifiers train side by side on threads.
    learners = Parallel(n_jobs=FIT_JOBS, prefer="threads")(
        delayed(_fit_learners)(matrix[rows], [label_sets[name][row] for row in rows]) for name, rows in usable.items()
    )
    for name, fitted in zip(usable, learners, strict=True):
        models[name] = TriageModel(features, **fitted)
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
