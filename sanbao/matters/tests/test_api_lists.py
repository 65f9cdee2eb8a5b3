"""The matter list: filters, cursor pages without COUNT(*), and pinned query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanbao.matters import actions
from sanbao.matters.tests.factories import default_category, make_assigned_matter, make_matter, unit, user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matters/"
LIST_QUERIES = 3  # the user's roles, the page of matters with their joins, the user's unit area
DETAIL_QUERIES = 14


def codes(response) -> list[str]:
    return [row["code"] for row in response.json()["results"]]


def count_queries(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured.captured_queries]


def test_list_query_count_does_not_grow_with_rows_and_never_counts(api_as, django_assert_max_num_queries):
    for _ in range(3):
        make_assigned_matter()
    few, _ = count_queries(api_as("qingshan.director"), BASE)
    for _ in range(12):
        make_assigned_matter()
    many, sql = count_queries(api_as("qingshan.director"), BASE)
    assert few == many
    assert not any("COUNT(" in query.upper() for query in sql)
    with django_assert_max_num_queries(LIST_QUERIES):
        api_as("qingshan.director").get(BASE)


def test_detail_query_count_is_pinned(api_as, django_assert_max_num_queries):
    matter = make_assigned_matter()
    actions.sign_assignment(matter, actor=user("qingshan.justice.handler"))
    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = api_as("qingshan.director").get(f"{BASE}{matter.code}/")
    assert response.status_code == 200
    with django_assert_max_num_queries(6):
        api_as("qingshan.director").get(f"{BASE}{matter.code}/timeline/")


def test_cursor_pages_walk_the_list_without_repeats(api_as):
    made = {make_matter().code for _ in range(5)}
    client = api_as("qingshan.clerk")
    body = client.get(BASE, {"page_size": 2, "q": "排水沟"}).json()
    seen = [row["code"] for row in body["results"]]
    while body["next"]:
        body = client.get(body["next"]).json()
        seen += [row["code"] for row in body["results"]]
    assert made <= set(seen) and len(seen) == len(set(seen))
    assert "count" not in client.get(f"{BASE}?page_size=2").json()


def test_filters(api_as):
    matter = make_assigned_matter(title="化工厂排污投诉", risk_level="high", tags=["环保"])
    petition = make_matter(kind="petition", received_at=timezone.now() - timedelta(days=40))
    other = make_matter("baisha.clerk", area_code="360921102001")
    client = api_as("county.director")
    assert matter.code in codes(client.get(BASE, {"q": "化工厂"}))
    assert codes(client.get(f"{BASE}?q={matter.code}")) == [matter.code]
    assert petition.code not in codes(client.get(f"{BASE}?kind=dispute"))
    assert matter.code in codes(client.get(f"{BASE}?risk_level=high"))
    assert matter.code in codes(client.get(f"{BASE}?state=assigned&status=open"))
    township = codes(client.get(f"{BASE}?area=360921102000"))
    assert other.code in township and matter.code not in township
    assert matter.code in codes(client.get(f"{BASE}?unit={unit('青山镇司法所').pk}"))
    assert matter.code in codes(client.get(f"{BASE}?lead_unit_id={unit('青山镇司法所').pk}"))
    assert matter.code in codes(client.get(f"{BASE}?category={default_category('dispute').pk}"))
    assert matter.code in codes(client.get(BASE, {"tag": "环保"}))
    day = (timezone.localdate() - timedelta(days=40)).isoformat()
    window = codes(client.get(f"{BASE}?received_after={day}&received_before={day}"))
    assert petition.code in window and matter.code not in window
    assert client.get(f"{BASE}?kind=alien").status_code == 400
    assert codes(client.get(f"{BASE}?area=999999999999")) == []


def test_parent_category_filter_includes_its_children(api_as):
    child = default_category("petition").children.first() or default_category("petition")
    matter = make_matter(kind="petition", category=child)
    parent = child.parent or child
    assert matter.code in codes(api_as("qingshan.clerk").get(f"{BASE}?category={parent.pk}"))


def test_ordering_by_received_time(api_as):
    older = make_matter(received_at=timezone.now() - timedelta(days=3))
    newer = make_matter(received_at=timezone.now() - timedelta(minutes=5))
    params = {"ordering": "received_at", "q": "排水沟", "page_size": 200}
    rows = codes(api_as("qingshan.clerk").get(BASE, params))
    assert rows.index(older.code) < rows.index(newer.code)
