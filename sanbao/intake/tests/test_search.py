"""Full-text search: words, ranking, snippets, jurisdiction, odd input, index upkeep, page and API."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from sanbao.intake.search import query_terms, search
from sanbao.matters import actions
from sanbao.matters.tests.factories import make_handling_matter, make_matter, user

API = "/api/v1/search/"
BAISHA_VILLAGE = "360921102001"


def codes(hits) -> list[str]:
    return [hit.matter.code for hit in hits]


def found(username: str, query: str) -> list[str]:
    hits, _ = search(user(username), query, limit=50)
    return codes(hits)


@pytest.mark.django_db
def test_finds_a_matter_by_a_chinese_word_of_its_narrative_and_highlights_it():
    matter = make_matter(narrative="村民反映猕猴桃果园被邻居家的鸵鸟踩坏，要求赔偿损失。")
    hits, has_more = search(user("qingshan.clerk"), "猕猴桃")
    assert codes(hits) == [matter.code]
    assert not has_more
    assert "<mark>猕猴桃</mark>果园" in hits[0].snippet
    # Two words: both must be present, in any order.
    assert found("qingshan.clerk", "鸵鸟 猕猴桃") == [matter.code]
    assert found("qingshan.clerk", "鸵鸟 榴莲") == []


@pytest.mark.django_db
def test_query_is_normalised_like_the_text():
    matter = make_matter(title="鸵鸟养殖场臭气扰民", narrative="养殖场臭气影响周边居民。")
    assert found("qingshan.clerk", "鴕鳥") == [matter.code]  # traditional characters
    assert found("qingshan.clerk", "  鸵鸟　养殖场 ") == [matter.code]  # ideographic space


@pytest.mark.django_db
def test_a_word_in_the_title_and_repeated_ranks_first():
    weak = make_matter(title="邻里纠纷", narrative="双方因榴莲摊位占道发生争执。")
    strong = make_matter(title="榴莲摊位占道经营", narrative="榴莲摊位长期占道，榴莲气味大，居民多次投诉榴莲摊。")
    assert found("qingshan.clerk", "榴莲")[:2] == [strong.code, weak.code]


@pytest.mark.django_db
def test_a_clerk_never_gets_matters_of_another_township_even_better_ones():
    own = make_matter(title="邻里纠纷", narrative="一处水泥厂附近的纠纷。")
    other = make_matter(
        "baisha.clerk",
        area_code=BAISHA_VILLAGE,
        title="水泥厂粉尘扰民",
        narrative="水泥厂粉尘扰民，水泥厂夜间施工，水泥厂噪音。",
    )
    assert found("qingshan.clerk", "水泥厂") == [own.code]
    assert other.code in found("baisha.clerk", "水泥厂")
    assert own.code not in found("baisha.clerk", "水泥厂")
    assert other.code in found("county.director", "水泥厂")


@pytest.mark.django_db
def test_a_handler_sees_only_matters_assigned_to_the_unit():
    assigned = make_handling_matter(narrative="琵琶湖养鸭户与渔民争执。")
    unassigned = make_matter(narrative="琵琶湖岸边违建。")
    assert found("qingshan.justice.handler", "琵琶湖") == [assigned.code]
    assert set(found("qingshan.clerk", "琵琶湖")) == {assigned.code, unassigned.code}


@pytest.mark.django_db
def test_results_are_paged_without_gaps():
    made = {make_matter(narrative=f"第{number}户反映蜂箱被盗。").code for number in range(5)}
    first, more = search(user("qingshan.clerk"), "蜂箱", limit=3)
    second, last = search(user("qingshan.clerk"), "蜂箱", limit=3, offset=3)
    assert more and not last
    assert set(codes(first)) | set(codes(second)) == made
    assert not set(codes(first)) & set(codes(second))


WEIRD = [
    '"',
    '""',
    "'",
    "榴莲 AND",
    "OR 榴莲",
    "NEAR(榴莲 鸵鸟)",
    "榴莲 NOT 鸵鸟",
    "(榴莲",
    "榴莲)",
    "榴*",
    "*",
    "-榴莲",
    "title:榴莲",
    "^榴莲",
    "榴莲 & | ! :*",
    "\\",
    "'; DROP TABLE intake_search; --",
    "%_%",
    "{}[]",
    "\x00榴莲",
    "　",
    "🍉",
    "a" * 500,
]


@pytest.mark.django_db
@pytest.mark.parametrize("query", WEIRD)
def test_odd_input_never_errors(query, api_as, client_as):
    search(user("qingshan.clerk"), query)
    assert client_as("qingshan.clerk").get(reverse("search:search"), {"q": query}).status_code == 200
    response = api_as("qingshan.clerk").get(API, {"q": query})
    assert response.status_code in (200, 400)
    assert api_as("qingshan.clerk").get("/api/v1/matters/", {"q": query}).status_code in (200, 400)


def test_query_words_are_letters_and_digits_only():
    assert query_terms('"榴莲" AND (鸵鸟*) -NEAR') == ["榴莲", "and", "鸵鸟", "near"]
    assert query_terms("*-()") == []


@pytest.mark.django_db
def test_the_index_follows_a_title_change_through_the_api(api_as):
    matter = make_matter(title="邻里排水沟纠纷", narrative="排水沟堵塞。")
    client = api_as("qingshan.clerk")
    assert client.get(API, {"q": "骆驼"}).json()["results"] == []
    response = client.patch(f"/api/v1/matters/{matter.code}/", {"title": "骆驼踩坏庄稼"}, format="json")
    assert response.status_code == 200, response.content
    results = client.get(API, {"q": "骆驼"}).json()["results"]
    assert [row["code"] for row in results] == [matter.code]
    assert found("qingshan.clerk", "排水沟纠纷") == []


@pytest.mark.django_db
def test_feedback_is_searchable():
    matter = make_handling_matter(narrative="邻里纠纷。")
    handler = user("qingshan.justice.handler")
    actions.submit_feedback(matter, actor=handler, result="已组织双方签订人民调解协议书，赔偿鸭苗款。")
    hits, _ = search(user("qingshan.clerk"), "鸭苗")
    assert codes(hits) == [matter.code]
    assert "<mark>鸭苗</mark>" in hits[0].snippet


@pytest.mark.django_db
def test_snippets_escape_html():
    make_matter(narrative="<script>alert(1)</script> 孔雀园噪音扰民")
    hits, _ = search(user("qingshan.clerk"), "孔雀")
    assert "<script>" not in hits[0].snippet
    assert "&lt;/script&gt;" in hits[0].snippet


@pytest.mark.django_db
def test_reindex_command_rebuilds_the_index(capsys):
    matter = make_matter(narrative="山羊啃食邻居菜地。")
    call_command("search", "reindex", "--batch", "50")
    assert "indexed=" in capsys.readouterr().out
    assert found("qingshan.clerk", "山羊") == [matter.code]


@pytest.mark.django_db
def test_every_demo_matter_is_indexed():
    from django.db import connection

    from sanbao.intake.search import TABLE
    from sanbao.matters.models import Matter

    key = "rowid" if connection.vendor == "sqlite" else "matter_id"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {key} FROM {TABLE}")  # noqa: S608
        indexed = {row[0] for row in cursor.fetchall()}
    assert Matter.objects.count() > 0
    assert set(Matter.objects.values_list("id", flat=True)) <= indexed


@pytest.mark.django_db
def test_matter_list_filter_uses_full_text_search(api_as, client_as):
    matter = make_matter(narrative="果园里的猕猴桃被人偷摘。")
    other = make_matter("baisha.clerk", area_code=BAISHA_VILLAGE, narrative="猕猴桃收购价格纠纷。")
    rows = api_as("qingshan.clerk").get("/api/v1/matters/", {"q": "猕猴桃"}).json()["results"]
    assert [row["code"] for row in rows] == [matter.code]
    page = client_as("qingshan.clerk").get(reverse("matters:matter_list"), {"q": "猕猴桃"})
    assert matter.code in page.content.decode()
    assert other.code not in page.content.decode()
    # A code prefix still finds the matter.
    rows = api_as("qingshan.clerk").get("/api/v1/matters/", {"q": matter.code}).json()["results"]
    assert [row["code"] for row in rows] == [matter.code]


@pytest.mark.django_db
def test_search_page_and_api_authorization(client, api_as, client_as):
    matter = make_matter(narrative="村口孔雀园噪音扰民。")
    response = client.get(reverse("search:search"), {"q": "孔雀"})
    assert response.status_code == 302 and "/accounts/login" in response["Location"]
    assert api_as(None).get(API, {"q": "孔雀"}).status_code in (401, 403)
    page = client_as("qingshan.clerk").get(reverse("search:search"), {"q": "孔雀"})
    assert page.status_code == 200
    assert matter.code in page.content.decode()
    assert "<mark>孔雀</mark>" in page.content.decode()
    assert matter.code not in client_as("baisha.clerk").get(reverse("search:search"), {"q": "孔雀"}).content.decode()
    body = api_as("qingshan.clerk").get(API, {"q": "孔雀"}).json()
    assert body["results"][0]["code"] == matter.code
    assert body["results"][0]["snippet"].count("<mark>孔雀</mark>") == 1
    assert api_as("baisha.clerk").get(API, {"q": "孔雀"}).json()["results"] == []
    # Administrators (三员) see no matters, so they find none.
    assert api_as("sysadmin").get(API, {"q": "孔雀"}).json()["results"] == []
    assert api_as("qingshan.clerk").get(API).status_code == 400


@pytest.mark.django_db
def test_global_search_box_is_on_every_page(client_as):
    page = client_as("qingshan.clerk").get(reverse("matters:matter_list")).content.decode()
    assert 'id="global-search"' in page
    assert "检索事项" in page  # Chinese first


@pytest.mark.django_db
def test_openapi_schema_describes_search(api_as):
    schema = api_as("qingshan.clerk").get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/search/"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"q", "limit", "offset"}


@pytest.mark.django_db
def test_ranking_covers_the_newest_matches_of_the_window(monkeypatch):
    monkeypatch.setattr("sanbao.intake.search.RANK_WINDOW", 2)
    oldest = make_matter(title="蜜蜂蜂箱", narrative="蜜蜂蜜蜂蜜蜂。")
    middle = make_matter(narrative="有蜜蜂。")
    newest = make_matter(narrative="也有蜜蜂。")
    assert set(found("qingshan.clerk", "蜜蜂")) == {middle.code, newest.code}
    assert oldest.code in found("qingshan.clerk", "蜂箱")


@pytest.mark.django_db
def test_a_whole_code_in_the_search_box_opens_the_matter_in_scope(client_as):
    matter = make_matter()
    response = client_as("qingshan.clerk").get(reverse("search:search"), {"q": matter.code.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("matters:matter_detail", args=[matter.code])
    response = client_as("baisha.clerk").get(reverse("search:search"), {"q": matter.code})
    assert response.status_code == 200
    assert reverse("matters:matter_detail", args=[matter.code]) not in response.content.decode()
    assert 'id="search-empty"' in response.content.decode()
