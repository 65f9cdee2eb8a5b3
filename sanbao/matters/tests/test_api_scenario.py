"""The issue's "must show" scenario through the API, and the API's own behaviour (ETag, errors)."""

import pytest
from django.utils import timezone

from sanbao.matters.models import Matter, MatterEvent
from sanbao.matters.tests.factories import applicant, default_category, invalid_resident_id, unit
from sanbao.matters.tests.helpers import audit_codes_since, last_seq

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matters/"


def register_payload(**overrides) -> dict:
    return {
        "kind": "dispute",
        "title": "宅基地边界纠纷",
        "narrative": "两户村民因宅基地边界围墙发生争执，请求调处。",
        "category": default_category("dispute").pk,
        "source_channel": "visit",
        "area": "360921101003",
        "place": "三组",
        "people_count": 2,
        "tags": ["宅基地"],
        "parties": [applicant()],
        "received_at": timezone.now().isoformat(),
        **overrides,
    }


def act(client, code, verb, **data):
    return client.post(f"{BASE}{code}/actions/{verb}/", data, format="json")


def test_dispute_from_registration_to_closure_and_reopening(api_as):
    clerk, director = api_as("qingshan.clerk"), api_as("qingshan.director")
    handler = api_as("qingshan.justice.handler")
    response = clerk.post(BASE, register_payload(), format="json")
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    assert response.json()["parties"][0]["phone"] == "138****5678"
    assert response["ETag"] == '"1"'

    assert handler.get(f"{BASE}{code}/").status_code == 404  # not assigned to its unit yet
    response = act(director, code, "assign", lead_unit=unit("青山镇司法所").pk, instructions="请依法调处")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "assigned"

    response = handler.get(f"{BASE}{code}/")
    assert response.status_code == 200 and "sign" in response.json()["actions"]
    assert act(handler, code, "sign").json()["state"] == "handling"
    assert act(handler, code, "note", text="已约双方到所面谈").status_code == 200
    response = act(handler, code, "feedback", result="经调解双方签订协议，围墙按原界址重砌。", is_resolved=True)
    assert response.json()["state"] == "feedback"
    assert act(director, code, "review", decision="approve").json()["state"] == "follow_up"
    response = act(clerk, code, "follow-up", method="phone", satisfaction="satisfied", comment="满意")
    assert response.json()["state"] == "closed" and response.json()["status"] == "closed"

    timeline = clerk.get(f"{BASE}{code}/timeline/").json()
    assert [row["verb"] for row in timeline] == [
        "register",
        "assign",
        "sign",
        "note",
        "feedback",
        "review",
        "follow_up",
    ]
    assert timeline[1]["actor"]["username"] == "qingshan.director" and timeline[1]["unit"] == "青山镇综治中心"
    assert timeline[2]["unit"] == "青山镇司法所"
    assert timeline[3]["note"] == "已约双方到所面谈"
    assert [row["to_state"] for row in timeline][-1] == "closed"
    assert all(row["verb_label"] and row["time"] for row in timeline)

    response = act(director, code, "reopen", reason="当事人反映协议未履行")
    assert response.json()["state"] == "handling"


def test_dissatisfied_follow_up_reopens_through_the_api(api_as):
    clerk, director = api_as("qingshan.clerk"), api_as("qingshan.director")
    handler = api_as("qingshan.justice.handler")
    code = clerk.post(BASE, register_payload(), format="json").json()["code"]
    act(director, code, "assign", lead_unit=unit("青山镇司法所").pk)
    act(handler, code, "sign")
    act(handler, code, "feedback", result="已调处")
    act(director, code, "review", decision="approve")
    response = act(clerk, code, "follow-up", method="visit", satisfaction="dissatisfied", comment="问题未解决")
    assert response.json()["state"] == "handling" and response.json()["status"] == "open"
    assert "feedback" in handler.get(f"{BASE}{code}/").json()["actions"]


def test_bad_input_gives_400_naming_the_field_and_writes_nothing(api_as):
    clerk = api_as("qingshan.clerk")
    before, seq = Matter.objects.count(), last_seq()
    response = clerk.post(BASE, register_payload(source_channel="pigeon"), format="json")
    assert response.status_code == 400 and "source_channel" in response.json()
    bad_id = applicant(id_number=invalid_resident_id())
    response = clerk.post(BASE, register_payload(parties=[bad_id]), format="json")
    assert response.status_code == 400 and response.json()["field"] == "parties[0].id_number"
    response = clerk.post(BASE, register_payload(category=default_category("petition").pk), format="json")
    assert response.status_code == 400 and response.json()["field"] == "category"
    response = clerk.post(BASE, register_payload(area="360921102001"), format="json")
    assert response.status_code == 400 and response.json()["field"] == "area"
    assert Matter.objects.count() == before and audit_codes_since(seq) == []


def test_action_input_errors_name_the_field(api_as):
    clerk, director = api_as("qingshan.clerk"), api_as("qingshan.director")
    code = clerk.post(BASE, register_payload(), format="json").json()["code"]
    response = act(director, code, "assign")
    assert response.status_code == 400 and "lead_unit" in response.json()
    response = act(director, code, "assign", lead_unit=unit("白沙派出所").pk)
    assert response.status_code == 400 and response.json()["field"] == "lead_unit"
    response = act(director, code, "review", decision="approve")
    assert response.status_code == 409 and response.json()["code"] == "invalid_transition"
    assert response.json()["current_state"] == "registered"
    assert "“已登记”" in response.json()["detail"] and "交办" in response.json()["detail"]  # Chinese first
    assert MatterEvent.objects.filter(matter__code=code).count() == 1


def test_if_match_with_a_stale_version_gives_409(api_as):
    clerk, director = api_as("qingshan.clerk"), api_as("qingshan.director")
    code = clerk.post(BASE, register_payload(), format="json").json()["code"]
    response = clerk.patch(f"{BASE}{code}/", {"place": "三组路口"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200 and response["ETag"] == '"2"'
    response = director.post(
        f"{BASE}{code}/actions/assign/",
        {"lead_unit": unit("青山镇司法所").pk},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert Matter.objects.get(code=code).state == "registered"


def test_patch_refuses_a_closed_matter_and_unknown_fields_are_ignored(api_as):
    clerk = api_as("qingshan.clerk")
    code = clerk.post(
        BASE, register_payload(kind="petition", category=default_category("petition").pk), format="json"
    ).json()["code"]
    act(clerk, code, "refuse", reason="不属于信访事项，已告知")
    response = clerk.patch(f"{BASE}{code}/", {"title": "改"}, format="json")
    assert response.status_code == 403
    assert Matter.objects.get(code=code).title == "宅基地边界纠纷"


def test_categories_and_workflow_endpoints(api_as):
    client = api_as("qingshan.clerk")
    rows = client.get("/api/v1/matter-categories/?kind=dispute").json()
    assert "婚姻家庭" in [row["name"] for row in rows] and {row["kind"] for row in rows} == {"dispute"}
    petition = client.get("/api/v1/matter-categories/?kind=petition").json()
    assert any(row["parent_id"] for row in petition)
    graph = client.get("/api/v1/matter-workflows/petition/").json()
    assert {"registered", "reexamining", "rechecking", "terminated"} <= {node["id"] for node in graph["nodes"]}
    assert client.get("/api/v1/matter-workflows/nothing/").status_code == 404


def test_openapi_schema_has_every_action_with_its_request_body(api_as):
    schema = api_as("qingshan.clerk").get("/api/schema/?format=json").json()
    paths = schema["paths"]
    from sanbao.matters.api.views import ACTIONS

    for spec in ACTIONS:
        operation = paths[f"/api/v1/matters/{{code}}/actions/{spec.path}/"]["post"]
        assert "requestBody" in operation or spec.path == "sign", spec.path
    assert "/api/v1/matters/{code}/timeline/" in paths
    assert "/api/v1/parties/lookup/" in paths


def test_actions_that_take_the_matter_out_of_scope_still_answer_once(api_as):
    clerk, director = api_as("qingshan.clerk"), api_as("qingshan.director")
    handler = api_as("qingshan.justice.handler")
    code = clerk.post(BASE, register_payload(), format="json").json()["code"]
    act(director, code, "assign", lead_unit=unit("青山镇司法所").pk)
    seq = last_seq()
    response = act(handler, code, "send-back", reason="应由法庭处理")
    assert response.status_code == 200 and response.json()["state"] == "sent_back"
    assert response.json()["actions"] == [] and response.json()["can_reveal"] is False
    assert "auth.permission_denied" not in audit_codes_since(seq)
    assert handler.get(f"{BASE}{code}/").status_code == 404
    response = act(director, code, "transfer", area="360921102003", reason="发生地在白沙镇")
    assert response.status_code == 200 and response.json()["area"] == "360921102003"
    assert response.json()["code"] == code and response.json()["owner_unit"] == "白沙镇综治中心"
    assert api_as("baisha.clerk").get(f"{BASE}{code}/").status_code == 200
