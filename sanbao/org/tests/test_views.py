"""Organisation pages: authorization matrix, jurisdiction, filters, htmx fragments, masking, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanbao.audit.events import PERMISSION_DENIED
from sanbao.audit.models import AuditEvent
from sanbao.org.models import Unit, User

pytestmark = pytest.mark.django_db

QINGSHAN = "360921101000"
BAISHA = "360921102000"
PAGES = ["area_list", "area_detail", "unit_list", "unit_detail", "user_list", "user_detail"]


def unit_named(name: str) -> Unit:
    return Unit.objects.get(name=name)


def urls(demo_users) -> dict[str, str]:
    """One URL per page, pointing at objects inside Qingshan."""
    return {
        "area_list": reverse("org:area_list"),
        "area_detail": reverse("org:area_detail", args=[QINGSHAN]),
        "unit_list": reverse("org:unit_list"),
        "unit_detail": reverse("org:unit_detail", args=[unit_named("青山镇综治中心").pk]),
        "user_list": reverse("org:user_list"),
        "user_detail": reverse("org:user_detail", args=[demo_users["qingshan.handler"].pk]),
    }


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_login(client_as, demo_users, page):
    response = client_as(None).get(urls(demo_users)[page])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", PAGES)
def test_allowed_user_gets_the_page(client_as, demo_users, page):
    response = client_as("qingshan.clerk").get(urls(demo_users)[page])
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in response.content.decode()


@pytest.mark.parametrize(("page", "target"), [
    ("org:area_detail", lambda users: BAISHA),
    ("org:unit_detail", lambda users: unit_named("白沙镇综治中心").pk),
    ("org:user_detail", lambda users: users["baisha.clerk"].pk),
])
def test_other_township_object_is_404_and_audited(client_as, demo_users, page, target):
    before = AuditEvent.objects.filter(event_code=PERMISSION_DENIED).count()
    response = client_as("qingshan.clerk").get(reverse(page, args=[target(demo_users)]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(event_code=PERMISSION_DENIED).count() == before + 1


def test_missing_objects_are_404_like_forbidden_ones(client_as):
    client = client_as("qingshan.clerk")
    assert client.get(reverse("org:area_detail", args=["999999999999"])).status_code == 404
    assert client.get(reverse("org:unit_detail", args=[999999])).status_code == 404
    assert client.get(reverse("org:user_detail", args=[999999])).status_code == 404


def test_county_staff_may_open_any_township(client_as):
    response = client_as("county.director").get(reverse("org:area_detail", args=[BAISHA]))
    assert response.status_code == 200
    assert "白沙镇" in response.content.decode()


def test_area_list_starts_at_the_users_area_with_its_villages(client_as):
    response = client_as("qingshan.clerk").get(reverse("org:area_list"))
    assert response.context["area"].code == QINGSHAN
    rows = response.context["rows"]
    assert len(rows) == 13
    assert all(row.area.code.startswith("360921101") for row in rows)
    assert all(row.levels.get("grid", 0) >= 2 for row in rows)


def test_area_breadcrumb_stops_at_the_jurisdiction(client_as):
    village = "360921101001"
    response = client_as("qingshan.clerk").get(reverse("org:area_detail", args=[village]))
    assert [area.code for area in response.context["ancestors"]] == [QINGSHAN]


def test_area_search_stays_in_jurisdiction(client_as):
    response = client_as("qingshan.clerk").get(reverse("org:area_list"), {"q": "3609211"})
    codes = [area.code for area in response.context["page_obj"]]
    assert codes and all(code.startswith("360921101") for code in codes)


def test_unit_list_shows_only_units_in_jurisdiction(client_as):
    response = client_as("qingshan.clerk").get(reverse("org:unit_list"))
    names = [unit.name for unit in response.context["page_obj"]]
    assert "青山镇综治中心" in names
    assert "白沙镇综治中心" not in names
    assert "青山县人民法院" not in names


def test_unit_list_filters_by_type(client_as):
    response = client_as("county.director").get(reverse("org:unit_list"), {"unit_type": "tribunal"})
    assert {unit.name for unit in response.context["page_obj"]} == {"青山人民法庭", "梅岭人民法庭"}


def test_user_list_hides_other_townships_and_masks_phone(client_as, demo_users):
    from sanbao.accounts.actions import update_account

    handler = demo_users["qingshan.handler"]
    update_account(handler, actor=demo_users["sysadmin"], full_name=handler.full_name, phone="13812345678",
                   unit=handler.unit)
    response = client_as("qingshan.clerk").get(reverse("org:user_list"), {"q": "handler"})
    html = response.content.decode()
    usernames = {person.username for person in response.context["page_obj"]}
    assert "qingshan.handler" in usernames
    assert not any(name.startswith("baisha.") for name in usernames)
    assert "138****5678" in html
    assert "13812345678" not in html


def test_user_list_rejects_a_unit_filter_outside_jurisdiction(client_as):
    baisha = unit_named("白沙镇综治中心")
    response = client_as("qingshan.clerk").get(reverse("org:user_list"), {"unit": baisha.pk})
    assert response.status_code == 200
    assert "unit" in response.context["filterset"].form.errors
    assert not any(person.unit_id == baisha.pk for person in response.context["page_obj"])


def test_user_list_filters_by_role(client_as):
    response = client_as("county.director").get(reverse("org:user_list"), {"role": "director"})
    people = list(response.context["page_obj"])
    assert people and all(person.has_role("director") for person in people)


def test_htmx_request_gets_only_the_table(client_as):
    response = client_as("qingshan.clerk").get(reverse("org:unit_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert "青山镇综治中心" in html


def test_user_list_query_count_does_not_grow_with_rows(client_as):
    client = client_as("county.director")

    def queries(params: dict) -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("org:user_list"), params)
        return len(captured), len(response.context["page_obj"])

    client.get(reverse("org:user_list"))  # the first page of a session also checks the work calendar
    many, rows = queries({})
    few, one_row = queries({"q": "qingshan.handler"})
    assert (rows, one_row) == (25, 1)
    assert many == few <= 13


def test_pagination_reaches_every_user_once(client_as):
    client = client_as("county.director")
    first = client.get(reverse("org:user_list"))
    total = first.context["page_obj"].paginator.count
    seen = []
    for number in first.context["page_obj"].paginator.page_range:
        page = client.get(reverse("org:user_list"), {"page": number}).context["page_obj"]
        seen += [person.pk for person in page]
    director = User.objects.get(username="county.director")
    assert len(seen) == len(set(seen)) == total == User.objects.visible_to(director).count()
