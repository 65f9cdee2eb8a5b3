"""Real concurrency on the database: two directors assigning one matter, clerks registering at once.

Transactional tests commit for real (each thread has its own connection), so
they build what they need: the demo county and the category seed are gone
if an earlier transactional test flushed the database.
"""

import threading

import pytest
from django.db import connection

from sanbao.core.errors import Conflict
from sanbao.matters import actions
from sanbao.matters.models import Assignment, Category, CategoryScheme, Matter, MatterEvent
from sanbao.matters.tests.factories import make_matter, unit, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def county():
    from sanbao.core.demo import build_demo
    from sanbao.matters.categories import seed_categories
    from sanbao.org.models import Unit

    if not Category.objects.exists():
        seed_categories(CategoryScheme, Category)
    if not Unit.objects.exists():
        build_demo()


def run_at_once(*calls):
    """Run each callable in its own thread, released together; return their results or errors."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def runner(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (returned to the test, which asserts on it)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_directors_assigning_at_once_one_wins_the_other_gets_a_conflict(county):
    matter = make_matter()
    township, county_director = user("qingshan.director"), user("county.director")
    justice, tribunal = unit("青山镇司法所"), unit("青山人民法庭")
    results = run_at_once(
        lambda: actions.assign_matter(matter, actor=township, lead_unit=justice, expected_version=1),
        lambda: actions.assign_matter(matter, actor=county_director, lead_unit=tribunal, expected_version=1),
    )
    winners = [result for result in results if isinstance(result, Matter)]
    losers = [result for result in results if isinstance(result, Exception)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert isinstance(losers[0], Conflict) and losers[0].status == 409
    assert losers[0].params["current_state"] == "assigned"
    fresh = Matter.objects.get(pk=matter.pk)
    assert fresh.version == 2 and fresh.lead_unit_id == winners[0].lead_unit_id
    # Nothing lost, nothing doubled: one active lead, one assignment event.
    assert Assignment.objects.filter(matter=matter, role="lead").count() == 1
    assert MatterEvent.objects.filter(matter=matter, verb="assign").count() == 1


def test_without_a_version_the_second_director_is_told_the_matter_moved_on(county):
    matter = make_matter()
    results = run_at_once(
        lambda: actions.assign_matter(
            matter, actor=user("qingshan.director"), lead_unit=unit("青山镇司法所")
        ),
        lambda: actions.assign_matter(matter, actor=user("county.director"), lead_unit=unit("青山人民法庭")),
    )
    errors = [result for result in results if isinstance(result, Exception)]
    assert len(errors) == 1 and errors[0].status == 409 and errors[0].code == "invalid_transition"
    assert Assignment.objects.filter(matter=matter).count() == 1


def test_clerks_registering_at_once_get_distinct_consecutive_codes(county):
    results = run_at_once(*[lambda: make_matter() for _ in range(4)])
    assert all(isinstance(result, Matter) for result in results), results
    numbers = sorted(int(result.code[-6:]) for result in results)
    assert numbers == list(range(numbers[0], numbers[0] + 4))
