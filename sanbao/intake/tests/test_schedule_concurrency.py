"""Two directors pressing 立即重新训练 at the same instant queue one training (real transactions, two threads)."""

import pytest
from django_tasks_db.models import DBTaskResult

from sanbao.intake import tasks
from sanbao.intake.triage import actions
from sanbao.matters.tests.factories import user
from sanbao.matters.tests.test_concurrency import county, run_at_once  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_retrain_requests_at_once_queue_one_training(county, settings, tmp_path):  # noqa: F811
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TRIAGE_MODEL_DIR = tmp_path / "models"
    directors = [user("qingshan.director"), user("county.committee1")]
    for _round in range(3):  # a race lost once would pass by luck; three rounds of two
        DBTaskResult.objects.all().delete()
        results = run_at_once(*(lambda actor=actor: actions.request_retraining(actor=actor) for actor in directors))
        assert not any(isinstance(result, Exception) for result in results), results
        assert sum(result is not None for result in results) == 1
        assert DBTaskResult.objects.filter(task_path=tasks.train_triage_task.module_path).count() == 1
