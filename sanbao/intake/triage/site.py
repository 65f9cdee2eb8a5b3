"""The site's triage models: trained from its own matters, stored as a file, asked at intake.

Two classifiers are trained from the matters registered on this site: one
for the category (``Matter.category``) and one for the lead unit
(``Matter.lead_unit``). They are written together, with a version, the
training time, the number of matters and the held-out scores, to
``DATA_DIR/models/triage.joblib`` (``TRIAGE_MODEL_DIR`` overrides the
folder). The file is replaced atomically, so a reader sees the old or the
new models, never half of them.
"""

import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import joblib
from django.conf import settings
from django.utils import timezone

from sanbao.intake.triage.classifier import MODEL_FORMAT, TriageModel, score, train_many

logger = logging.getLogger(__name__)

FILE_NAME = "triage.joblib"
# Below this many examples (or with one class only) a model would only echo the majority.
MIN_EXAMPLES = 30
# Matters closed in this many last days are held out to measure the models.
HOLDOUT_DAYS = 60
# Confidence shown to the clerk is rounded; below this the suggestion is hidden.
MIN_CONFIDENCE = 0.2


def model_dir() -> Path:
    return Path(getattr(settings, "TRIAGE_MODEL_DIR", settings.DATA_DIR / "models"))


def model_path() -> Path:
    return model_dir() / FILE_NAME


@dataclass
class SiteModels:
    """What one training run produced and measured."""

    version: int
    trained_at: datetime
    n: int
    category: TriageModel | None = None
    lead_unit: TriageModel | None = None
    evaluation: dict = field(default_factory=dict)
    # A factory, not a default, so that the class has no such attribute: files written before the
    # field existed have none either, and read as format 1 (the SVM models) in load_models.
    format: int = field(default_factory=lambda: MODEL_FORMAT)

    def summary(self) -> dict:
        return {
            "version": self.version,
            "trained_at": self.trained_at.isoformat(),
            "n": self.n,
            "category": self.category is not None,
            "lead_unit": self.lead_unit is not None,
            "evaluation": self.evaluation,
        }


def matter_text(title: str, narrative: str) -> str:
    """What the classifier reads for a matter: the title, then the narrative."""
    return f"{title or ''}。{narrative or ''}"


LABELS = ("category", "lead_unit")


def _examples(matters) -> tuple[list[str], dict[str, list]]:
    """The texts of ``matters`` and, per model, their labels (None where the matter has none)."""
    rows = matters.values_list("title", "narrative", *(f"{name}_id" for name in LABELS))
    texts, labels = [], {name: [] for name in LABELS}
    for title, narrative, *values in rows.iterator():
        texts.append(matter_text(title, narrative))
        for name, value in zip(LABELS, values, strict=True):
            labels[name].append(value)
    return texts, labels


def _fit(matters) -> dict[str, TriageModel | None]:
    texts, labels = _examples(matters)
    return train_many(texts, labels, min_examples=MIN_EXAMPLES)


def _evaluate(matters, cutoff: datetime) -> dict:
    """Train on matters not closed since ``cutoff``, score on those closed since (held out)."""
    models = _fit(matters.exclude(closed_at__gte=cutoff))
    texts, labels = _examples(matters.filter(closed_at__gte=cutoff))
    scores: dict = {"holdout_days": HOLDOUT_DAYS}
    for name in LABELS:
        rows = [index for index, label in enumerate(labels[name]) if label is not None]
        if models[name] is None or not rows:
            scores[name] = None
            continue
        result = score(models[name], [texts[row] for row in rows], [labels[name][row] for row in rows])
        scores[name] = {"macro_f1": round(result.macro_f1, 4), "accuracy": round(result.accuracy, 4), "n": result.n}
    return scores


def train_site_models(now: datetime | None = None) -> SiteModels:
    """Train, measure and store the category and lead-unit models from every matter on the site."""
    from sanbao.matters.models import Matter

    now = now or timezone.now()
    matters = Matter.objects.all()
    previous = _read(model_path())
    models = _fit(matters)
    site = SiteModels(
        version=(previous.version + 1) if previous else 1,
        trained_at=now,
        n=matters.count(),
        category=models["category"],
        lead_unit=models["lead_unit"],
        evaluation=_evaluate(matters, now - timedelta(days=HOLDOUT_DAYS)),
    )
    save_models(site)
    return site


def save_models(models: SiteModels) -> Path:
    """Write the models next to the old file, then swap it in (atomic on one file system)."""
    folder = model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".triage-", suffix=".tmp")
    os.close(handle)
    try:
        joblib.dump(models, temporary)
        os.replace(temporary, model_path())
    finally:
        Path(temporary).unlink(missing_ok=True)
    return model_path()


_cache: dict = {}
_cache_lock = threading.Lock()


def _read(path: Path) -> SiteModels | None:
    """The file's models whatever their format; None when the file is missing or unreadable."""
    try:
        return joblib.load(path)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged file, or one pickled by an incompatible library version
        logger.exception("Cannot read the triage models in %s; retrain them (sanbao triage train).", path)
        return None


def load_models() -> SiteModels | None:
    """The stored models, reloaded when the file changes; None when never trained, or when the file
    holds models of an older format (trained by an earlier release) until they are retrained."""
    path = model_path()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    with _cache_lock:
        if _cache.get("key") != (str(path), stamp):
            stored = _read(path)
            if stored is not None and getattr(stored, "format", 1) != MODEL_FORMAT:
                logger.warning("The triage models in %s are of an older format; retrain them.", path)
                stored = None
            _cache["models"] = stored
            _cache["key"] = (str(path), stamp)
        return _cache["models"]
