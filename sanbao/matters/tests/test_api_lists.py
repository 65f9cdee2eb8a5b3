"""The matter list: filters, cursor pages without COUNT(*), and pinned query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanbao.matters import actions
from sanbao.matters.tests.factories import (
    default_category,
    make_assigned_matter,
    make_handling_matter,
    make_matter,
    unit,
    user,
)

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matters/"
LIST_QUERIES = 4  # the user's roles, the page of matters with their joins, their parties' names, the unit area
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


# --- q: best match first (the search page's ranking), snippets, offset pages -----------------------

# the user's roles, the user's unit area, the ranked ids, the page's matters, their feedback, their parties' names
RANKED_QUERIES = 6
BAISHA_VILLAGE = "360921102001"


def codes_of(body) -> list[str]:
    return [row["code"] for row in body["results"]]


def strong_and_weak():
    """Two matters with 榴莲: a weak mention (made first, older) and a title + narrative full of it (newer)."""
    weak = make_matter(
        title="邻里纠纷", narrative="双方因榴莲摊位占道发生争执。", received_at=timezone.now() - timedelta(days=2)
    )
    strong = make_matter(title="榴莲摊位占道经营", narrative="榴莲摊位长期占道，榴莲气味大，居民多次投诉榴莲摊。")
    return strong, weak


def test_q_ranks_the_strong_match_first_with_highlighted_snippets(api_as):
    strong, weak = strong_and_weak()
    body = api_as("qingshan.clerk").get(BASE, {"q": "榴莲"}).json()
    assert codes_of(body) == [strong.code, weak.code]
    assert all("<mark>榴莲</mark>" in row["snippet"] for row in body["results"])
    assert "<mark>榴莲</mark>摊位" in body["results"][1]["snippet"]
    assert body["next"] is None and body["previous"] is None
    # Without q there is no snippet field at all.
    assert all("snippet" not in row for row in api_as("qingshan.clerk").get(BASE, {"page_size": 5}).json()["results"])


def test_explicit_ordering_overrides_the_rank_but_keeps_filter_and_snippets(api_as):
    strong, weak = strong_and_weak()
    client = api_as("qingshan.clerk")
    body = client.get(BASE, {"q": "榴莲", "ordering": "received_at"}).json()
    assert codes_of(body) == [weak.code, strong.code]
    assert all("<mark>榴莲</mark>" in row["snippet"] for row in body["results"])
    assert codes_of(client.get(BASE, {"q": "榴莲", "ordering": "-received_at"}).json()) == [strong.code, weak.code]
    # A code prefix is a code filter in the default order, never ranked.
    assert codes_of(client.get(BASE, {"q": weak.code.lower()}).json()) == [weak.code]


def test_ranked_results_stay_in_jurisdiction(api_as):
    own = make_matter(title="邻里纠纷", narrative="一处榴莲摊位附近的纠纷。")
    other = make_matter(
        "baisha.clerk", area_code=BAISHA_VILLAGE, title="榴莲摊位占道", narrative="榴莲榴莲榴莲，榴莲摊位占道。"
    )
    for params in ({"q": "榴莲"}, {"q": "榴莲 摊位"}, {"q": "榴莲", "ordering": "-received_at"}):
        assert codes_of(api_as("qingshan.clerk").get(BASE, params).json()) == [own.code]
    assert codes_of(api_as("baisha.clerk").get(BASE, {"q": "榴莲"}).json()) == [other.code]
    assert codes_of(api_as("county.director").get(BASE, {"q": "榴莲"}).json()) == [other.code, own.code]
    assert codes_of(api_as("sysadmin").get(BASE, {"q": "榴莲"}).json()) == []
    assert api_as(None).get(BASE, {"q": "榴莲"}).status_code in (401, 403)


def test_ranked_results_of_a_handler_are_the_assigned_ones_and_other_filters_apply(api_as):
    assigned = make_assigned_matter(title="榴莲摊位占道", narrative="榴莲摊位占道。", tags=["环保", "占道"])
    make_matter(title="榴莲摊位占道", narrative="榴莲榴莲摊位占道。")
    petition = make_matter(kind="petition", narrative="反映榴莲摊位占道。")
    assert codes_of(api_as("qingshan.justice.handler").get(BASE, {"q": "榴莲"}).json()) == [assigned.code]
    clerk = api_as("qingshan.clerk")
    assert codes_of(clerk.get(BASE, {"q": "榴莲", "kind": "petition"}).json()) == [petition.code]
    assert codes_of(clerk.get(BASE, {"q": "榴莲", "tag": "环保"}).json()) == [assigned.code]
    assert codes_of(clerk.get(BASE, {"q": "榴莲", "unit": unit("青山镇司法所").pk}).json()) == [assigned.code]
    assert api_as("qingshan.clerk").get(BASE, {"q": "榴莲", "kind": "alien"}).status_code == 400


def test_ranked_pages_follow_next_and_previous_without_repeats(api_as):
    made = [make_matter(title=f"蜂箱被盗{number}", narrative="蜂箱" * (number + 1)).code for number in range(5)]
    client = api_as("qingshan.clerk")
    body = client.get(BASE, {"q": "蜂箱", "page_size": 2}).json()
    pages = [codes_of(body)]
    while body["next"]:
        assert "offset=" in body["next"] and "cursor=" not in body["next"]
        body = client.get(body["next"]).json()
        pages.append(codes_of(body))
    seen = [code for page in pages for code in page]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert seen == made[::-1]  # more 蜂箱 ranks higher
    back = client.get(client.get(BASE, {"q": "蜂箱", "page_size": 2, "offset": 2}).json()["previous"]).json()
    assert codes_of(back) == pages[0]
    assert client.get(BASE, {"q": "蜂箱", "offset": 1001}).status_code == 400


def test_ranked_list_query_count_is_pinned_and_never_counts(api_as, django_assert_max_num_queries):
    for number in range(3):
        make_handling_matter(title=f"榴莲摊位{number}")
    few, _ = count_queries(api_as("qingshan.director"), f"{BASE}?q=榴莲")
    for number in range(3, 15):
        make_handling_matter(title=f"榴莲摊位{number}")
    many, sql = count_queries(api_as("qingshan.director"), f"{BASE}?q=榴莲")
    assert few == many
    assert not any("COUNT(" in query.upper() for query in sql)
    with django_assert_max_num_queries(RANKED_QUERIES):
        api_as("qingshan.director").get(BASE, {"q": "榴莲"})


def test_openapi_schema_describes_ranked_lists(api_as):
    schema = api_as("qingshan.clerk").get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/matters/"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"q", "ordering", "offset", "cursor", "page_size"} <= set(parameters)
    assert "best match first" in parameters["q"]["description"]
    listed = schema["components"]["schemas"]["MatterList"]
    assert "snippet" in listed["properties"] and "snippet" not in listed["required"]
    assert "snippet" not in schema["components"]["schemas"]["MatterDetail"]["properties"]
