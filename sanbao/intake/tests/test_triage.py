"""Triage suggestions: classifier quality, the evaluate command, the site models, the task, pages and API."""

import csv
import json
import random
import warnings
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sanbao.audit.models import AuditEvent
from sanbao.intake.events_triage import TRIAGE_RETRAIN_REQUESTED, TRIAGE_TRAINED
from sanbao.intake.triage import classifier
from sanbao.intake.triage.site import SiteModels, load_models, save_models
from sanbao.intake.triage.suggest import suggest_for_intake
from sanbao.matters.models import Category, Matter
from sanbao.matters.policy import assignable_units

REPO = Path(__file__).resolve().parents[3]
DATA_DIRS = [REPO.parent / "shared" / "data" / "messages-2020", Path("/work/shared/data/messages-2020")]
SUGGEST = "/intake/triage/suggest/"
API = "/api/v1/intake/triage/suggest/"
ADMIN = "/intake/triage/"

# Two tiny, clearly separable topics for fast tests.
WATER = ["小区自来水停水三天没有人管", "自来水管道破裂漏水严重", "停水影响居民生活用水", "水压太低自来水上不了楼"]
ROAD = ["村道坑洼不平车辆无法通行", "道路塌陷存在安全隐患", "公路修建占用耕地未补偿", "马路积水路面破损严重"]


def _topic_texts(repeat: int = 10) -> tuple[list[str], list[str]]:
    texts = [f"{text}，第{index}次反映" for index in range(repeat) for text in WATER + ROAD]
    labels = [label for _ in range(repeat) for label in ["water"] * len(WATER) + ["road"] * len(ROAD)]
    return texts, labels


def _write_csv(path: Path, texts: list[str], labels: list[str], header=("text", "label"), encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(zip(texts, labels, strict=True))
    return path


@pytest.fixture
def model_dir(settings, tmp_path):
    settings.TRIAGE_MODEL_DIR = tmp_path / "models"
    return settings.TRIAGE_MODEL_DIR


# --- the classifier ------------------------------------------------------------------------------


def _messages_board() -> Path | None:
    return next((path / "train.csv" for path in DATA_DIRS if (path / "train.csv").exists()), None)


def test_quality_on_a_stratified_sample_of_the_message_board():
    """Train on 3,000 real messages, score 1,000 others of the same board (7 classes)."""
    path = _messages_board()
    if path is None:
        pytest.skip("messages-2020 data not available")
    from sanbao.intake.triage.data import read_labelled

    texts, labels = read_labelled(path)
    by_label: dict[str, list[str]] = {}
    for text, label in zip(texts, labels, strict=True):
        by_label.setdefault(label, []).append(text)
    rng = random.Random(2020)
    train, test = [], []
    for label, rows in by_label.items():
        rng.shuffle(rows)
        share = len(rows) / len(texts)
        cut_train, cut_test = round(3000 * share), round(1000 * share)
        train += [(text, label) for text in rows[:cut_train]]
        test += [(text, label) for text in rows[cut_train:cut_train + cut_test]]
    model = classifier.train([t for t, _ in train], [label for _, label in train])
    result = classifier.score(model, [t for t, _ in test], [label for _, label in test])
    assert result.n == len(test) >= 990
    assert result.macro_f1 >= 0.85, result.line()


def test_suggest_ranks_labels_with_confidences():
    model = classifier.train(*_topic_texts())
    ranked = model.suggest("我们小区又停水了，自来水公司不处理")
    assert [label for label, _ in ranked] == ["water", "road"]
    assert ranked[0][1] > 0.5 > ranked[1][1]
    assert abs(sum(confidence for _, confidence in ranked) - 1) < 0.01
    assert model.predict(["村里道路坑洼，车辆通行困难"]) == ["road"]


def test_training_runs_its_few_epochs_without_warnings_and_repeats_itself():
    # No process-wide warning filter is needed (it would hide other threads' warnings): one partial_fit per epoch.
    texts, labels = _topic_texts()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first, second = classifier.train(texts, labels), classifier.train(texts, labels)
    assert first.network.n_iter_ == 1 and first.network.t_ == classifier.NETWORK_EPOCHS * len(texts)
    assert all((a == b).all() for a, b in zip(first.network.coefs_, second.network.coefs_, strict=True))


def test_training_needs_two_labels():
    with pytest.raises(ValueError, match="two different labels"):
        classifier.train(["停水", "停电"], ["water", "water"])


def test_train_many_shares_features_and_skips_label_sets_too_small():
    texts, labels = _topic_texts()
    partly = [label if index % 2 else None for index, label in enumerate(labels)]
    models = classifier.train_many(
        texts, {"full": labels, "partly": partly, "one": ["water"] * len(texts)}, min_examples=10
    )
    assert models["one"] is None
    assert models["full"].features is models["partly"].features
    vector = models["full"].vectorise(["自来水停水"])
    assert models["partly"].suggest("自来水停水", vector=vector)[0][0] == "water"
    assert classifier.train_many(texts[:3], {"few": labels[:3]}, min_examples=10) == {"few": None}


# --- sanbao triage evaluate ------------------------------------------------------------------------


def test_evaluate_prints_the_scores_on_its_last_line(tmp_path, capsys):
    texts, labels = _topic_texts()
    train = _write_csv(tmp_path / "train.csv", texts, labels)
    test = _write_csv(tmp_path / "test.csv", ["自来水停水好几天", "道路破损坑洼严重"], ["water", "road"])
    call_command("triage", "evaluate", "--train", str(train), "--test", str(test))
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == "macro_f1=1.0000 accuracy=1.0000 n=2"


def test_evaluate_reads_files_saved_as_gbk_and_names_unreadable_ones(tmp_path, capsys):
    texts, labels = _topic_texts()
    train = _write_csv(tmp_path / "train.csv", texts, labels, encoding="gbk")  # Excel on Chinese Windows
    unseen = ["自来水停水好几天", "道路破损坑洼严重"]
    test = _write_csv(tmp_path / "test.csv", unseen, ["water", "road"], encoding="gbk")
    call_command("triage", "evaluate", "--train", str(train), "--test", str(test))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "macro_f1=1.0000 accuracy=1.0000 n=2"
    unreadable = tmp_path / "bad.csv"
    unreadable.write_bytes(b"text,label\n\xff\xfe,water\n")
    with pytest.raises(CommandError, match="bad.csv: cannot read"):
        call_command("triage", "evaluate", "--train", str(train), "--test", str(unreadable))


def test_evaluate_reads_other_columns_and_joins_title_and_text(tmp_path, capsys):
    texts, labels = _topic_texts()
    rows = [(text[:4], text[4:], label) for text, label in zip(texts, labels, strict=True)]
    path = tmp_path / "records.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["title", "body", "class"])
        writer.writerows(rows)
    call_command("triage", "evaluate", "--train", str(path), "--test", str(path),
                 "--text-col", "title,body", "--label-col", "class")
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"macro_f1=1.0000 accuracy=1.0000 n={len(rows)}"


def test_evaluate_names_a_missing_column(tmp_path):
    texts, labels = _topic_texts()
    train = _write_csv(tmp_path / "train.csv", texts, labels)
    test = _write_csv(tmp_path / "test.csv", texts, labels, header=("content", "label"))
    with pytest.raises(CommandError, match="no column 'text'"):
        call_command("triage", "evaluate", "--train", str(train), "--test", str(test))
    with pytest.raises(CommandError, match="no column 'category'"):
        call_command("triage", "evaluate", "--train", str(train), "--test", str(train), "--label-col", "category")


def test_evaluate_refuses_empty_and_missing_files(tmp_path):
    texts, labels = _topic_texts()
    train = _write_csv(tmp_path / "train.csv", texts, labels)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CommandError, match="empty"):
        call_command("triage", "evaluate", "--train", str(train), "--test", str(empty))
    header_only = tmp_path / "header.csv"
    header_only.write_text("text,label\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no row"):
        call_command("triage", "evaluate", "--train", str(header_only), "--test", str(train))
    with pytest.raises(CommandError, match="cannot read"):
        call_command("triage", "evaluate", "--train", str(tmp_path / "missing.csv"), "--test", str(train))


def test_evaluate_through_the_console_script_exits_non_zero(tmp_path):
    import subprocess
    import sys

    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "django", "triage", "evaluate", "--train", str(empty), "--test", str(empty)],
        capture_output=True, text=True, env={"DJANGO_SETTINGS_MODULE": "sanbao.settings", "PATH": "/usr/bin"},
        cwd=REPO, check=False,
    )
    assert run.returncode != 0
    assert "empty" in run.stderr


# --- site models, suggestions, task ----------------------------------------------------------------


def _store_models(units: list, categories: list) -> SiteModels:
    """Models whose water texts point at the first unit/category, road texts at the second."""
    texts, labels = _topic_texts()
    unit_labels = [units[0].pk if label == "water" else units[1].pk for label in labels]
    category_labels = [categories[0].pk if label == "water" else categories[1].pk for label in labels]
    from django.utils import timezone

    trained = classifier.train_many(texts, {"category": category_labels, "lead_unit": unit_labels})
    assert trained["category"].features is trained["lead_unit"].features
    models = SiteModels(version=7, trained_at=timezone.now(), n=len(texts), **trained)
    save_models(models)
    return models


def _qingshan_matter():
    return Matter.objects.filter(area_code__startswith="360921101").first()


@pytest.mark.django_db
def test_no_suggestion_without_a_model(model_dir, demo_users):
    assert suggest_for_intake("小区停水", "自来水停水三天", user=demo_users["qingshan.clerk"]) is None


@pytest.mark.django_db
def test_models_of_an_older_format_or_a_damaged_file_give_no_suggestion(model_dir, demo_users):
    clerk, matter = demo_users["qingshan.clerk"], _qingshan_matter()
    categories = list(Category.objects.current()[:2])
    stored = _store_models(list(assignable_units(clerk, matter))[:2], categories)
    assert suggest_for_intake("小区停水", "自来水停水三天没有人管", user=clerk) is not None

    del stored.format  # as a file written before the format field existed (the SVM models) reads
    save_models(stored)
    assert load_models() is None
    assert suggest_for_intake("小区停水", "自来水停水三天没有人管", user=clerk) is None

    (model_dir / "triage.joblib").write_bytes(b"not a pickle")
    assert load_models() is None
    call_command("triage", "train")  # retraining replaces the file; the version restarts
    retrained = load_models()
    assert (retrained.format, retrained.version) == (classifier.MODEL_FORMAT, 1)


@pytest.mark.django_db
def test_lead_unit_is_only_ever_an_assignable_unit(model_dir, demo_users):
    clerk = demo_users["qingshan.clerk"]
    matter = _qingshan_matter()
    allowed = list(assignable_units(clerk, matter))
    outside = list(assignable_units(demo_users["baisha.clerk"], Matter(area_code="360921102000"))
                   .exclude(pk__in=[unit.pk for unit in allowed]))
    categories = list(Category.objects.current()[:2])
    _store_models([outside[0], allowed[0]], categories)
    # Water texts rank the out-of-scope unit first: it must be skipped (nothing else is confident enough).
    water = suggest_for_intake("小区停水", "自来水停水三天没人管", user=clerk, area_code=matter.area_code)
    assert water["category"]["id"] == categories[0].pk
    assert water["lead_unit"] is None or water["lead_unit"]["id"] in {unit.pk for unit in allowed}
    road = suggest_for_intake("道路坑洼", "村道破损车辆无法通行", user=clerk, area_code=matter.area_code)
    assert road["lead_unit"]["id"] == allowed[0].pk
    assert 0.5 < road["lead_unit"]["confidence"] <= 1


@pytest.mark.django_db
def test_training_task_on_the_demo_matters(model_dir, demo_users):
    from sanbao.intake.tasks import train_triage_task

    before = AuditEvent.objects.filter(event_code=TRIAGE_TRAINED).count()
    result = train_triage_task.enqueue()
    summary = result.return_value
    assert summary["version"] == 1 and summary["n"] == Matter.objects.count() >= 100
    assert summary["category"] and summary["lead_unit"]
    assert (model_dir / "triage.joblib").exists()
    models = load_models()
    assert models.version == 1
    assert AuditEvent.objects.filter(event_code=TRIAGE_TRAINED).count() == before + 1
    matter = Matter.objects.filter(area_code__startswith="360921101", lead_unit__isnull=False).first()
    clerk = demo_users["qingshan.clerk"]
    suggestion = suggest_for_intake(matter.title, matter.narrative, user=clerk, area_code=matter.area_code)
    assert suggestion["version"] == 1
    if suggestion["lead_unit"]:
        assert assignable_units(clerk, matter).filter(pk=suggestion["lead_unit"]["id"]).exists()
    call_command("triage", "train")
    assert load_models().version == 2


# --- pages and API -----------------------------------------------------------------------------------


@pytest.fixture
def stored_models(model_dir, demo_users):
    matter = _qingshan_matter()
    allowed = list(assignable_units(demo_users["qingshan.clerk"], matter))
    return _store_models(allowed[:2], list(Category.objects.current()[:2]))


@pytest.mark.django_db
def test_suggestion_fragment_authorization(client_as, stored_models):
    form = {"title": "村道坑洼", "narrative": "道路破损车辆无法通行", "township": "360921101000"}
    anonymous = client_as(None).post(SUGGEST, form)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_as("qingshan.handler").post(SUGGEST, form).status_code == 403
    assert client_as("county.committee1").get(SUGGEST, form).status_code == 403
    response = client_as("qingshan.clerk").post(SUGGEST, form)
    assert response.status_code == 200
    assert b"data-unit-id" in response.content and b"data-category-id" in response.content
    assert client_as("qingshan.director").get(SUGGEST, form).status_code == 200


@pytest.mark.django_db
def test_suggestion_api_authorization_and_body(api_as, stored_models):
    body = {"title": "村道坑洼", "narrative": "道路破损车辆无法通行"}
    assert api_as(None).post(API, body, format="json").status_code in (401, 403)
    assert api_as("qingshan.handler").post(API, body, format="json").status_code == 403
    response = api_as("qingshan.clerk").post(API, body, format="json")
    assert response.status_code == 200
    data = response.json()
    assert data["available"] and data["version"] == 7
    assert set(data["lead_unit"]) == {"id", "name", "confidence"}
    empty = api_as("qingshan.clerk").post(API, {"title": "", "narrative": ""}, format="json").json()
    assert empty == {"available": False, "version": None, "category": None, "lead_unit": None}


@pytest.mark.django_db
def test_area_outside_the_clerks_jurisdiction_is_ignored(api_as, stored_models, demo_users):
    body = {"title": "村道坑洼", "narrative": "道路破损车辆无法通行", "area_code": "360921102000"}
    data = api_as("qingshan.clerk").post(API, body, format="json").json()
    allowed = assignable_units(demo_users["qingshan.clerk"], _qingshan_matter())
    assert allowed.filter(pk=data["lead_unit"]["id"]).exists()


@pytest.mark.django_db
def test_admin_page_and_retrain(client_as, model_dir):
    assert client_as(None).get(ADMIN).status_code == 302
    assert client_as("qingshan.clerk").get(ADMIN).status_code == 403
    assert client_as("qingshan.handler").post(ADMIN + "retrain/").status_code == 403
    assert not AuditEvent.objects.filter(event_code=TRIAGE_RETRAIN_REQUESTED).exists()
    assert load_models() is None
    page = client_as("county.director").get(ADMIN)
    assert page.status_code == 200
    response = client_as("county.director").post(ADMIN + "retrain/")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event_code=TRIAGE_RETRAIN_REQUESTED).count() == 1
    trained = AuditEvent.objects.filter(event_code=TRIAGE_TRAINED).latest("seq")
    assert trained.after["version"] == 1
    page = client_as("county.committee1").get(ADMIN)
    assert page.status_code == 200
    assert b"v1" in page.content and b"triage-scores" in page.content
    assert client_as("sysadmin").get(ADMIN).status_code == 200


# --- the intake form in a real browser -------------------------------------------------------------


@pytest.mark.browser
def test_the_intake_form_shows_the_suggestion_without_moving_its_buttons(page, model_dir):
    from playwright.sync_api import expect

    from sanbao.core.testing import login_in_browser
    from sanbao.matters.tests.factories import make_matter, user

    units = list(assignable_units(user("qingshan.clerk"), make_matter(kind="dispute")))[:2]
    categories = list(Category.objects.current("dispute")[:2])
    _store_models(units, categories)  # water texts → the first unit and category
    login_in_browser(page, "qingshan.clerk")
    page.goto("/matters/new/")
    suggestion = page.locator("#triage-suggestion")
    expect(suggestion).to_contain_text("暂无建议")
    page.wait_for_load_state("networkidle")
    register = page.locator("button[name=save]")
    before = register.bounding_box()["y"]

    page.fill("#id_title", "小区停水")
    # Pasted, as clerks paste from the 12345 hotline system: an input event and no key at all.
    page.fill("#id_narrative", "自来水停水三天没有人管，影响居民生活用水")
    expect(suggestion.locator("[data-category-id]")).to_have_attribute("data-category-id", str(categories[0].pk))
    expect(suggestion.locator("[data-unit-id]")).to_have_attribute("data-unit-id", str(units[0].pk))
    page.screenshot(path="/tmp/sanbao-intake-triage.png", full_page=True)  # noqa: S108 - for a person to look at
    assert register.bounding_box()["y"] == before, "the Register button moved when the suggestion arrived"


@pytest.mark.django_db
def test_building_the_demo_queues_the_first_training_once(monkeypatch):
    from io import StringIO

    from django.test import override_settings
    from django_tasks import default_task_backend

    from sanbao.core.management.commands import demo
    from sanbao.intake.tasks import train_triage_task

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}):
        call_command("demo", "--if-empty", stdout=StringIO())  # the session's demo county is already built
        assert default_task_backend.results == []
        # An empty database (the county itself is built once per test session, so stand it in).
        built, output, status = [], StringIO(), StringIO()
        monkeypatch.setattr(demo, "is_built", lambda: False)
        monkeypatch.setattr(demo, "build_demo", lambda: built.append(True))
        call_command("demo", "--if-empty", "--json", stdout=output, stderr=status)
        assert built == [True]
        assert [result.task.func for result in default_task_backend.results] == [train_triage_task.func]
        assert "Queued for the task worker: train_triage_task" in status.getvalue()
        assert json.loads(output.getvalue())  # the accounts, still valid JSON
