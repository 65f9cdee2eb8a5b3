"""Demo matters: deterministic plans, every kind and ending, the same rows as the verbs, a chain that verifies."""

from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from sanbao.audit.verify import verify_chain
from sanbao.matters import demo_text
from sanbao.matters.demo import final_status, plan_matters, split_plans
from sanbao.matters.models import Matter, MatterEvent, Party
from sanbao.matters.personal import validate_resident_id

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 6, 30, 9, 0))


def fingerprint(plans) -> list:
    return [
        (plan.kind, plan.category, plan.area_code, plan.story.title, plan.story.narrative,
         [(step.when, step.verb, step.actor, sorted(step.inputs)) for step in plan.steps])
        for plan in plans
    ]


def test_the_plan_is_deterministic():
    first, second = plan_matters(80, now=NOW), plan_matters(80, now=NOW)
    assert len(first) == 80
    assert fingerprint(first) == fingerprint(second)


def test_the_plan_covers_kinds_endings_repeats_and_clusters():
    plans = plan_matters(400, now=NOW)
    assert {plan.kind for plan in plans} == {"dispute", "petition", "hazard", "incident", "enterprise_request"}
    assert {final_status(plan) for plan in plans} == {"open", "closed", "ended"}
    assert all(plan.steps[0].when < NOW and plan.steps[-1].when < NOW for plan in plans)
    assert min(plan.steps[0].when for plan in plans) < NOW - timedelta(days=600)
    assert any("重复来访" in plan.tags for plan in plans)
    clustered = Counter(plan.area_code[:12] for plan in plans if "聚集性线索" in plan.tags)
    assert clustered and max(clustered.values()) >= 3
    verbs = {step.verb for plan in plans for step in plan.steps}
    assert {"refuse", "send_back", "reassign", "consult", "legal_channel", "follow_up"} <= verbs


def test_history_and_live_split_keeps_open_matters_live():
    plans = plan_matters(200, now=NOW)
    history, live = split_plans(plans, NOW)
    assert history and live and len(history) + len(live) == len(plans)
    assert all(final_status(plan) != "open" for plan in history)
    assert {final_status(plan) for plan in live} >= {"open"}


def test_generated_identities_are_valid():
    import random

    rng = random.Random(7)  # noqa: S311
    for _ in range(50):
        validate_resident_id(demo_text.id_number(rng, "360921", rng.randint(1950, 2000)))


def test_the_session_demo_built_matters_like_the_verbs_do(settings):
    """The session's demo (``SANBAO_DEMO_MATTERS`` matters) is in the database, with timelines and a valid chain."""
    matters = Matter.objects.filter(created_at__lt=timezone.now() - timedelta(days=1))
    assert matters.count() >= settings.SANBAO_DEMO_MATTERS * 0.9
    assert set(matters.values_list("kind", flat=True)) == {
        "dispute", "petition", "hazard", "incident", "enterprise_request"
    }
    assert matters.filter(status="open").exists() and matters.filter(status="closed").exists()
    closed = matters.filter(status="closed").order_by("id").first()
    verbs = list(MatterEvent.objects.filter(matter=closed).order_by("time", "id").values_list("verb", flat=True))
    assert verbs[0] == "register" and closed.version == len(verbs)
    party = Party.objects.filter(matter__in=matters, party_type="person").exclude(id_number="").first()
    assert party.id_number_hash and validate_resident_id(party.id_number) == party.id_number
    assert verify_chain().ok


def test_the_demo_centres_give_most_matters_to_the_township_unit_of_their_nature():
    """The pattern the triage suggestions learn (``TOWNSHIP_LEADS``): usual, not a rule."""
    from sanbao.matters.demo import TOWNSHIP_LEADS
    from sanbao.org.choices import AreaLevel, UnitType

    led = Matter.objects.filter(lead_unit__isnull=False, created_at__lt=timezone.now() - timedelta(days=1))
    township = led.filter(lead_unit__area__level=AreaLevel.TOWNSHIP)
    fits = Counter()
    for category, unit_type in township.values_list("category__name", "lead_unit__unit_type"):
        wanted = next((kind for word, kind in TOWNSHIP_LEADS.items() if word in category), UnitType.CENTRE)
        fits[unit_type == wanted or (wanted == UnitType.TRIBUNAL and unit_type == UnitType.JUSTICE_OFFICE)] += 1
    assert sum(fits.values()) >= 100
    # A uniform draw among a township's four to six units would fit about one time in four.
    assert 0.6 <= fits[True] / sum(fits.values()) < 1.0
