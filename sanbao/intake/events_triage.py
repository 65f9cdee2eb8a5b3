"""Audit codes of the triage suggestions (imported from the intake AppConfig.ready)."""

from django.utils.translation import gettext_lazy as _

from sanbao.audit.registry import register

TRIAGE_TRAINED = "intake.triage_trained"
TRIAGE_RETRAIN_REQUESTED = "intake.triage_retrain_requested"

register(
    {
        TRIAGE_TRAINED: _("Triage suggestion models trained"),
        TRIAGE_RETRAIN_REQUESTED: _("Triage suggestion models retraining requested"),
    }
)
