"""Verbs of the triage suggestions: train the site's models, ask for a retraining."""

from django.db import transaction
from django.utils.translation import gettext as _

from sanbao.audit.actions import record_event
from sanbao.core.errors import PermissionDenied
from sanbao.intake.events_triage import TRIAGE_RETRAIN_REQUESTED, TRIAGE_TRAINED
from sanbao.intake.triage.policy import may_manage_triage
from sanbao.intake.triage.site import SiteModels, train_site_models


def train_models(*, actor=None) -> SiteModels:
    """Train and store the category and lead-unit models; audited (``actor`` None: the system).

    Training reads the matters outside any transaction (it takes seconds); the
    file is swapped in whole and the event recorded afterwards.
    """
    models = train_site_models()
    with transaction.atomic():
        record_event(TRIAGE_TRAINED, actor=actor, after=_audit_values(models))
    return models


def request_retraining(*, actor):
    """Queue a training run now (the "retrain" button). Directors, committee staff, system administrators.

    Returns the queued task's result, or None when a training is already running or due: a second
    one would learn from the same matters.
    """
    from sanbao.intake.tasks import NIGHTLY_TRAINING, train_triage_task

    if not may_manage_triage(actor):
        raise PermissionDenied(
            _("Only centre directors, committee staff and system administrators retrain the models.")
        )
    with transaction.atomic():
        NIGHTLY_TRAINING.lock()  # two directors pressing at once queue one training
        if NIGHTLY_TRAINING.status().busy:
            return None
        result = train_triage_task.enqueue(actor_id=actor.pk)
        record_event(TRIAGE_RETRAIN_REQUESTED, actor=actor, after={"task": str(result.id)})
    return result


def _audit_values(models: SiteModels) -> dict:
    return {
        "version": models.version,
        "n": models.n,
        "category": models.category is not None,
        "lead_unit": models.lead_unit is not None,
    }
