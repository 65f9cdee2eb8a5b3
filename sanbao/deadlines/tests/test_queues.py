from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.deadlines import queues
from sanbao.deadlines.models import Deadline
from sanbao.deadlines.sweep import run_sweep
from sanbao.matters.models import Matter
from sanbao.matters.tests.factories import make_handling_matter, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_this_tests_clocks(db):
    Deadline.objects.open().update(status="met", needs_notice=False)


def test_queues_and_counters_follow_the_stored_colours():
    late, soon, calm = make_handling_matter(), make_handling_matter(), make_handling_matter()
    clock = Deadline.objects.get(matter=late, rule__key="dispute.handle")
    today = clock.due_date + timedelta(days=1)
    Deadline.objects.filter(matter=soon, rule__key="dispute.handle").update(due_date=today + timedelta(days=2),
                                                                             yellow_on=today)
    Deadline.objects.filter(matter=calm, rule__key="dispute.handle").update(due_date=today + timedelta(days=20),
                                                                             yellow_on=today + timedelta(days=10))
    run_sweep(today=today)
    mine = Matter.objects.visible_to(user("qingshan.director"))
    assert list(queues.overdue(mine)) == [late]
    assert list(queues.due_soon(mine)) == [soon]
    assert queues.counts(mine) == {"due_soon": 1, "overdue": 1}
    assert queues.counts(Matter.objects.visible_to(user("baisha.director"))) == {"due_soon": 0, "overdue": 0}
    annotated = {matter.pk: matter for matter in queues.with_next_due(mine.filter(pk__in=[late.pk, calm.pk]))}
    assert annotated[late.pk].next_due_colour == "red" and annotated[late.pk].next_due_date == clock.due_date
    assert annotated[calm.pk].next_due_colour == "green"


def test_queue_counters_are_plain_indexed_queries():
    mine = Matter.objects.visible_to(user("qingshan.director"))
    with CaptureQueriesContext(connection) as captured:
        queues.counts(mine)
    assert len(captured) == 2
    assert all("deadlines_deadline" in query["sql"] and "julianday" not in query["sql"] for query in captured)
