"""Org API: the authorization matrix, the token endpoint, the OpenAPI schema and its offline docs page."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from sanbao.audit.models import AuditEvent
from sanbao.org.models import Area, Unit, User

QINGSHAN = "360921101"
BAISHA_TOWNSHIP = "360921102000"
LISTS = ["/api/v1/areas/", "/api/v1/units/", "/api/v1/users/"]


def everything(client, url: str) -> list[dict]:
    """Follow the cursor pages to the end."""
    results, response = [], client.get(url, {"page_size": 200})
    while True:
        assert response.status_code == 200, response.content
        results += response.data["results"]
        if not response.data["next"]:
            return results
        response = client.get(response.data["next"])


@pytest.fixture
def baisha(demo_users):
    clerk = demo_users["baisha.clerk"]
    return {"unit": clerk.unit, "user": clerk, "area": Area.objects.current().get(code=BAISHA_TOWNSHIP)}


def detail_urls(objects) -> dict[str, str]:
    return {
        "area": f"/api/v1/areas/{objects['area'].code}/",
        "unit": f"/api/v1/units/{objects['unit'].pk}/",
        "user": f"/api/v1/users/{objects['user'].pk}/",
    }


DETAILS = ["/api/v1/units/1/", "/api/v1/users/1/", "/api/v1/areas/360921000000/"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", [*LISTS, *DETAILS])
def test_anonymous_gets_nothing(api_as, url):
    response = api_as(None).get(url)
    assert response.status_code in (401, 403)
    assert "results" not in response.data and "name" not in response.data


@pytest.mark.django_db
def test_township_clerk_lists_only_its_township(api_as):
    client = api_as("qingshan.clerk")
    units = everything(client, "/api/v1/units/")
    assert units and all(unit["area_code"].startswith(QINGSHAN) for unit in units)
    areas = everything(client, "/api/v1/areas/")
    assert {area["code"] for area in areas} == set(
        Area.objects.current().filter(code__startswith=QINGSHAN).values_list("code", flat=True)
    )
    users = {user["username"] for user in everything(client, "/api/v1/users/")}
    assert {"qingshan.clerk", "qingshan.director", "qingshan.handler"} <= users
    assert not users & {"baisha.clerk", "county.director", "auditadmin"}
    visible_units = set(Unit.objects.filter(area__code__startswith=QINGSHAN).values_list("pk", flat=True))
    assert {user["unit"] for user in everything(client, "/api/v1/users/")} <= visible_units


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["unit", "user", "area"])
def test_township_clerk_gets_404_for_the_other_township_and_the_denial_is_audited(api_as, baisha, kind):
    client = api_as("qingshan.clerk")
    before = AuditEvent.objects.order_by("-seq").first().seq
    response = client.get(detail_urls(baisha)[kind])
    assert response.status_code == 404
    assert "name" not in response.data and "username" not in response.data
    denial = AuditEvent.objects.get(seq__gt=before)
    assert (denial.event_code, denial.actor_username, denial.success) == (
        "auth.permission_denied", "qingshan.clerk", False
    )
    assert denial.object_id == str(baisha[kind].pk)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [
    "/api/v1/units/999999/", "/api/v1/users/999999/", "/api/v1/areas/360921999000/",
    "/api/v1/units/abc/", "/api/v1/areas/x/",
])
def test_missing_objects_are_404_without_an_event(api_as, url):
    before = AuditEvent.objects.count()
    assert api_as("qingshan.clerk").get(url).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_township_clerk_reads_its_own_unit_user_and_area(api_as, demo_users):
    clerk = demo_users["qingshan.clerk"]
    client = api_as("qingshan.clerk")
    own = {"unit": clerk.unit, "user": clerk, "area": clerk.unit.area}
    for kind, url in detail_urls(own).items():
        response = client.get(url)
        assert response.status_code == 200, kind
    assert client.get(f"/api/v1/users/{clerk.pk}/").data["roles"] == ["clerk"]


@pytest.mark.django_db
def test_county_director_sees_every_township(api_as, baisha, demo_users):
    client = api_as("county.director")
    for url in detail_urls(baisha).values():
        assert client.get(url).status_code == 200
    area_codes = {unit["area_code"][:9] for unit in everything(client, "/api/v1/units/")}
    assert {QINGSHAN, BAISHA_TOWNSHIP[:9]} <= area_codes
    usernames = {user["username"] for user in everything(client, "/api/v1/users/")}
    assert {"qingshan.clerk", "baisha.clerk", "county.clerk"} <= usernames
    assert len(usernames) == User.objects.visible_to(demo_users["county.director"]).count()


@pytest.mark.django_db
def test_retired_area_rows_do_not_clash_with_the_current_one(api_as):
    village = Area.objects.current().get(code="360921101001")
    Area.objects.create(code=village.code, name="旧名", level=village.level, parent=village.parent,
                        valid_to="2020-01-01")
    response = api_as("qingshan.clerk").get(f"/api/v1/areas/{village.code}/")
    assert response.status_code == 200
    assert response.data["name"] == village.name


@pytest.mark.django_db
def test_token_for_valid_credentials_works_on_the_api():
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "qingshan.clerk", "password": "Sanbao@2026"})
    assert response.status_code == 200
    assert set(response.data) == {"token"} and len(response.data["token"]) == 40
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.data['token']}")
    assert client.get("/api/v1/units/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [
    {"username": "qingshan.clerk", "password": "wrong-Password1"},
    {"username": "nobody.here", "password": "Sanbao@2026"},
])
def test_token_for_wrong_credentials_is_400_with_a_clear_message(payload):
    response = APIClient().post("/api/v1/auth/token/", payload)
    assert response.status_code == 400
    assert response.data["code"] == "invalid_credentials"
    detail = response.data["detail"]
    assert "username or password" in detail.lower() or "用户名或密码" in detail
    assert "token" not in response.data


@pytest.mark.django_db
def test_token_request_without_a_password_names_the_field():
    response = APIClient().post("/api/v1/auth/token/", {"username": "qingshan.clerk"})
    assert response.status_code == 400
    assert "password" in response.data


@pytest.mark.django_db
def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = target.read_text()
    paths = ["/api/v1/areas/{code}/", "/api/v1/units/{id}/", "/api/v1/users/{id}/", "/api/v1/auth/token/"]
    assert all(path in schema for path in paths)


@pytest.mark.django_db
def test_schema_endpoint_answers(api_as):
    response = api_as("qingshan.clerk").get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert b"/api/v1/units/" in response.content


@pytest.mark.django_db
def test_docs_page_loads_its_assets_from_our_static_files(api_as):
    response = api_as("qingshan.clerk").get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assets = re.findall(r"""/static/([^"']+\.(?:js|css|png))""", html)
    assert any("swagger-ui" in asset for asset in assets)
    for asset in assets:
        assert finders.find(asset), asset
