"""Authorization matrix of every matters endpoint, and personal data staying masked.

Per endpoint: anonymous → 401/403, a clerk of another township → 404, a
handler whose unit holds no assignment → 404, the allowed user → 2xx. Denied
cases leave the matter and the matters audit trail unchanged.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.matters import actions
from sanbao.matters.models import Matter
from sanbao.matters.tests.factories import (
    applicant,
    make_assigned_matter,
    make_handling_matter,
    resident_id,
    user,
)
from sanbao.matters.tests.helpers import audit_codes_since, audit_since, last_seq

pytestmark = pytest.mark.django_db
BASE = "/api/v1/matters/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def matter():
    """A dispute of 青山镇 assigned to 青山镇司法所, with an intake PDF."""
    matter = make_assigned_matter()
    actions.add_attachments(
        matter, actor=user("qingshan.clerk"), files=[SimpleUploadedFile("材料.pdf", PDF)], purpose="intake"
    )
    return Matter.objects.get(pk=matter.pk)


def endpoints(matter: Matter) -> list[tuple[str, str, dict, str, int]]:
    """(method, url, data, allowed user, expected status for the allowed user)."""
    code = matter.code
    party = matter.parties.get()
    attachment = matter.attachments.get()
    return [
        ("get", f"{BASE}{code}/", {}, "qingshan.justice.handler", 200),
        ("patch", f"{BASE}{code}/", {"place": "村委会"}, "qingshan.clerk", 200),
        ("get", f"{BASE}{code}/timeline/", {}, "qingshan.justice.handler", 200),
        ("post", f"{BASE}{code}/actions/sign/", {}, "qingshan.justice.handler", 200),
        ("post", f"{BASE}{code}/actions/note/", {"text": "已电话联系"}, "qingshan.justice.handler", 200),
        (
            "post",
            f"{BASE}{code}/actions/reassign/",
            {"lead_unit": matter.lead_unit_id},
            "qingshan.director",
            200,
        ),
        ("post", f"{BASE}{code}/parties/{party.pk}/reveal/", {}, "qingshan.justice.handler", 200),
        ("get", f"{BASE}{code}/attachments/{attachment.pk}/", {}, "qingshan.justice.handler", 200),
    ]


def call(client, method, url, data):
    return getattr(client, method)(url, data, format="json") if method != "get" else client.get(url)


def snapshot(matter: Matter):
    fresh = Matter.objects.get(pk=matter.pk)
    return fresh.version, fresh.state, fresh.place


@pytest.mark.parametrize("index", range(8))
@pytest.mark.parametrize("who", [None, "baisha.clerk", "qingshan.tribunal.handler"])
def test_denied_callers_get_401_403_or_404_and_nothing_changes(api_as, matter, index, who):
    method, url, data, _, _ = endpoints(matter)[index]
    before, seq = snapshot(matter), last_seq()
    response = call(api_as(who), method, url, data)
    if who is None:
        assert response.status_code in (401, 403)
    else:
        assert response.status_code == 404
    assert snapshot(matter) == before
    assert not [code for code in audit_codes_since(seq) if code.startswith(("matters.", "privacy."))]


@pytest.mark.parametrize("index", range(8))
def test_allowed_caller_succeeds(api_as, matter, index):
    method, url, data, who, expected = endpoints(matter)[index]
    response = call(api_as(who), method, url, data)
    assert response.status_code == expected, getattr(response, "data", response)


def test_out_of_scope_hit_is_audited_as_denial(api_as, matter):
    seq = last_seq()
    assert api_as("baisha.clerk").get(f"{BASE}{matter.code}/").status_code == 404
    [row] = audit_since(seq)
    assert row.event_code == "auth.permission_denied" and row.object_id == str(matter.pk)


def test_list_shows_only_the_callers_scope(api_as, matter):
    codes = {row["code"] for row in api_as("qingshan.justice.handler").get(BASE).json()["results"]}
    assert matter.code in codes
    assert all(Matter.objects.get(code=code).lead_unit.name == "青山镇司法所" for code in codes)
    assert matter.code not in {row["code"] for row in api_as("baisha.clerk").get(BASE).json()["results"]}
    assert matter.code not in {
        row["code"] for row in api_as("qingshan.tribunal.handler").get(BASE).json()["results"]
    }
    assert api_as(None).get(BASE).status_code in (401, 403)
    assert api_as("auditadmin").get(BASE).json()["results"] == []


def test_handler_cannot_take_a_directors_action_and_gets_403(api_as, matter):
    seq = last_seq()
    response = api_as("qingshan.justice.handler").post(
        f"{BASE}{matter.code}/actions/reassign/", {"lead_unit": matter.lead_unit_id}, format="json"
    )
    assert response.status_code == 403 and response.json()["code"] == "role_required"
    assert audit_codes_since(seq) == ["auth.permission_denied"]


def test_categories_and_lookup_need_authentication(api_as):
    assert api_as(None).get("/api/v1/matter-categories/?kind=dispute").status_code in (401, 403)
    assert api_as(None).get("/api/v1/parties/lookup/?phone=13812345678").status_code in (401, 403)
    assert api_as(None).post(BASE, {}, format="json").status_code in (401, 403)


def test_handler_may_not_register(api_as):
    response = api_as("qingshan.justice.handler").post(BASE, {"kind": "dispute"}, format="json")
    assert response.status_code == 400  # the payload is checked first; a complete one is refused below
    matter_count = Matter.objects.count()
    from sanbao.matters.tests.test_api_scenario import register_payload

    response = api_as("qingshan.justice.handler").post(BASE, register_payload(), format="json")
    assert response.status_code == 403 and Matter.objects.count() == matter_count


# --- personal data ------------------------------------------------------------------------------


def test_details_are_masked_for_everyone_and_overseers_cannot_reveal(api_as, matter):
    party = matter.parties.get()
    for who in ("county.committee1", "qingshan.justice.handler", "county.director"):
        body = api_as(who).get(f"{BASE}{matter.code}/").json()
        assert body["parties"][0]["id_number"].count("*") == 8
        assert body["parties"][0]["phone"] == "138****5678" and body["parties"][0]["name"] == "张**"
        assert resident_id() not in str(body)
    assert api_as("county.committee1").get(f"{BASE}{matter.code}/").json()["can_reveal"] is False
    seq = last_seq()
    response = api_as("county.committee1").post(f"{BASE}{matter.code}/parties/{party.pk}/reveal/")
    assert response.status_code == 403
    [denial] = audit_since(seq)
    assert denial.event_code == "auth.permission_denied" and denial.object_type == "matters.party"
    assert denial.area_code == matter.area_code


@pytest.mark.parametrize("who", ["qingshan.justice.handler", "qingshan.clerk", "qingshan.director"])
def test_those_handling_may_reveal_and_each_reveal_is_audited(api_as, matter, who):
    party = matter.parties.get()
    seq = last_seq()
    response = api_as(who).post(f"{BASE}{matter.code}/parties/{party.pk}/reveal/")
    assert response.status_code == 200
    assert response.json() == {
        "name": "张小明",
        "id_number": resident_id(),
        "phone": "13812345678",
        "address": "青山镇东塘村3组12号",
    }
    [row] = audit_since(seq)
    assert row.event_code == "privacy.personal_data_viewed" and row.actor == user(who)
    assert row.object_type == "matters.party" and row.object_id == str(party.pk)
    assert row.after == {"fields": ["address", "id_number", "name", "phone"]}


def test_handler_loses_the_reveal_when_the_matter_is_closed(api_as):
    matter = make_handling_matter()
    handler = user("qingshan.justice.handler")
    actions.submit_feedback(matter, actor=handler, result="已调处")
    actions.review_feedback(matter, actor=user("qingshan.director"), decision="approve")
    actions.record_follow_up(matter, actor=user("qingshan.clerk"), method="phone", satisfaction="satisfied")
    party = matter.parties.get()
    assert (
        api_as("qingshan.justice.handler").post(f"{BASE}{matter.code}/parties/{party.pk}/reveal/").status_code
        == 403
    )
    assert api_as("qingshan.clerk").post(f"{BASE}{matter.code}/parties/{party.pk}/reveal/").status_code == 200


def test_leader_in_charge_may_reveal(api_as, matter):
    party = matter.parties.get()
    leader = api_as("county.leader1")
    assert leader.post(f"{BASE}{matter.code}/parties/{party.pk}/reveal/").status_code == 403
    assert leader.post(f"{BASE}{matter.code}/actions/take-charge/", {}, format="json").status_code == 200
    assert leader.post(f"{BASE}{matter.code}/parties/{party.pk}/reveal/").status_code == 200


def test_lookup_by_id_or_phone_finds_matters_in_scope_masked_and_is_audited(api_as, matter):
    other = make_assigned_matter(parties=[applicant(phone="0791-86123456")])
    seq = last_seq()
    rows = api_as("qingshan.clerk").get(f"/api/v1/parties/lookup/?id_number={resident_id()}").json()
    assert {row["code"] for row in rows} >= {matter.code, other.code}
    assert all(row["party"]["id_number"].count("*") == 8 for row in rows)
    assert audit_since(seq)[0].after == {"by": "id_number", "found": len(rows)}
    assert resident_id() not in str(audit_since(seq)[0].after)
    rows = api_as("qingshan.clerk").get("/api/v1/parties/lookup/?phone=0791-86123456").json()
    assert [row["code"] for row in rows] == [other.code]
    assert api_as("baisha.clerk").get(f"/api/v1/parties/lookup/?id_number={resident_id()}").json() == []
    response = api_as("qingshan.clerk").get("/api/v1/parties/lookup/?phone=12")
    assert response.status_code == 400 and response.json()["field"] == "phone"


def test_attachment_download_is_for_those_handling_and_audited(api_as, matter):
    attachment = matter.attachments.get()
    url = f"{BASE}{matter.code}/attachments/{attachment.pk}/"
    seq = last_seq()
    response = api_as("qingshan.justice.handler").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert audit_codes_since(seq) == ["privacy.personal_data_viewed"]
    assert api_as("county.committee1").get(url).status_code == 403


def test_upload_checks_type_and_content(api_as, matter):
    client = api_as("qingshan.justice.handler")
    url = f"{BASE}{matter.code}/attachments/"
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00not a pdf")
    response = client.post(url, {"files": [fake]}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "file_content"
    response = client.post(url, {"files": [SimpleUploadedFile("tool.exe", b"MZ")]}, format="multipart")
    assert response.status_code == 400 and response.json()["code"] == "file_type"
    assert matter.attachments.count() == 1
    response = client.post(
        url, {"files": [SimpleUploadedFile("记录.txt", "调解记录".encode())]}, format="multipart"
    )
    assert response.status_code == 201 and matter.attachments.count() == 2


def test_upload_size_limit(api_as, matter, settings):
    settings.SANBAO_ATTACHMENT_MAX_MB = 1
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (1024 * 1024))
    response = api_as("qingshan.clerk").post(
        f"{BASE}{matter.code}/attachments/", {"files": [big]}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == "file_too_large"
