"""Duplicate candidates while typing, merge / link / dismiss / undo, and their authorization."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanbao.audit.models import AuditEvent
from sanbao.core.errors import Conflict, PermissionDenied, ValidationFailed
from sanbao.deadlines.models import Notification
from sanbao.intake import actions
from sanbao.intake.choices import DuplicateKind
from sanbao.intake.models import DuplicateLink, MinHashBand
from sanbao.intake.signatures import Draft, candidates_for_draft
from sanbao.matters.models import Matter
from sanbao.matters.tests.factories import applicant, make_handling_matter, make_matter, resident_id

pytestmark = pytest.mark.django_db

COMPLAINT = (
    "我们是{site}的业主，小区物业从今年三月起擅自把物业费从每平方米1.2元涨到2元，没有召开业主大会，"
    "也没有公示收支。电梯经常停运，地下车库漏水，物业不理。请住建局依法查处。"
)
OTHER = "东塘村修路工地拖欠十二名农民工工资共计八万六千元，包工头失联，工人多次讨要无果，请求帮助追讨。"


def complaint(site="金桂花园", **fields):
    return make_matter(title=f"{site}物业乱涨价", narrative=COMPLAINT.format(site=site), **fields)


def test_registering_a_matter_indexes_its_text(demo_users):
    matter = complaint()
    assert MinHashBand.objects.filter(matter=matter).count() >= 15


def test_candidates_find_the_same_complaint_and_name_the_different_compound(demo_users):
    same = complaint()
    other_site = complaint("翠湖花园")
    unrelated = make_matter(title="拖欠农民工工资", narrative=OTHER)
    draft = Draft(title="金桂花园物业乱涨价", narrative="再次反映：" + COMPOUND_TRADITIONAL)
    found = {candidate.matter.pk: candidate for candidate in candidates_for_draft(demo_users["qingshan.clerk"], draft)}
    assert found[same.pk].likely_same
    assert not found[other_site.pk].likely_same
    assert any("翠湖花园" in reason for reason in found[other_site.pk].decision.reasons())
    assert unrelated.pk not in found


COMPOUND_TRADITIONAL = (
    "我們是金桂花園的業主，小區物業從今年三月起擅自把物業費從每平方米1.2元漲到2元，沒有召開業主大會，"
    "也沒有公示收支。電梯經常停運，地下車庫漏水，物業不理。請住建局依法查處。"
)


def test_the_same_words_from_another_identified_person_are_offered_but_not_likely_the_same(client_as, demo_users):
    earlier = complaint()  # by 张小明, resident_id() and 13812345678 (factories.applicant)
    words = {"title": "金桂花园物业乱涨价", "narrative": COMPLAINT.format(site="金桂花园")}

    def found(**identifiers):
        drafted = Draft(**words, **identifiers)
        return {c.matter.pk: c for c in candidates_for_draft(demo_users["qingshan.clerk"], drafted)}[earlier.pk]

    neighbour = found(id_numbers=(resident_id("36092119900101004"),), phones=("13900002222",))
    assert neighbour.decision.same and neighbour.other_person and not neighbour.likely_same
    again = found(phones=("138 1234 5678",))
    assert again.same_person and not again.other_person and again.likely_same
    # No identifier typed yet: the words alone decide.
    unknown = found()
    assert unknown.likely_same and not unknown.other_person
    fragment = client_as("qingshan.clerk").post(
        "/intake/duplicates/candidates/", {**words, "parties-0-phone": "13900002222"}
    ).content.decode()
    assert "当事人不同" in fragment and 'data-likely-same="0"' in fragment


def test_candidates_find_the_same_person_by_keyed_hash_and_stay_in_jurisdiction(demo_users):
    person = applicant(id_number=resident_id("36092119700101003"), phone="13900001111")
    earlier = make_matter(title="宅基地纠纷", narrative="与邻居因宅基地界址发生争执。", parties=[person])
    draft = Draft(title="另一件事", narrative="反映村里路灯不亮的问题，希望修好。", phones=("139 0000 1111",))
    found = {c.matter.pk: c for c in candidates_for_draft(demo_users["qingshan.clerk"], draft)}
    assert found[earlier.pk].same_person and not found[earlier.pk].likely_same
    # A clerk of another township does not see it.
    assert earlier.pk not in {c.matter.pk for c in candidates_for_draft(demo_users["baisha.clerk"], draft)}


def test_candidates_find_the_same_organisation_by_an_indexed_name(demo_users):
    company = {"party_type": "organisation", "role": "respondent", "name": "华兴建材有限公司", "id_type": ""}
    earlier = make_matter(
        title="拖欠货款", narrative="华兴建材有限公司拖欠沙石货款三万元。", parties=[applicant(), company]
    )
    draft = Draft(title="噪音扰民", narrative="工厂夜间生产噪音很大，影响休息。", organisations=("华兴建材有限公司",))
    with CaptureQueriesContext(connection) as queries:
        found = {c.matter.pk: c for c in candidates_for_draft(demo_users["qingshan.clerk"], draft)}
    assert found[earlier.pk].same_organisation and not found[earlier.pk].same_person
    assert earlier.pk not in {c.matter.pk for c in candidates_for_draft(demo_users["baisha.clerk"], draft)}
    too_short = Draft("噪音扰民", "夜间噪音。", organisations=("华兴",))  # under four characters: not a name
    assert not candidates_for_draft(demo_users["qingshan.clerk"], too_short)
    if connection.vendor == "sqlite":  # the 1,000,000-matter benchmark runs on SQLite: no scan of the parties
        lookup = next(query["sql"] for query in queries if '"matters_party"."name" IN' in query["sql"])
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + lookup)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "matters_party_name_type" in plan, plan


def test_merge_keeps_the_submission_raises_the_count_notifies_and_unmerge_gives_it_back(demo_users):
    original = make_handling_matter(title="金桂花园物业乱涨价", narrative=COMPLAINT.format(site="金桂花园"))
    submission = complaint()
    clerk = demo_users["qingshan.clerk"]
    before_seq = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    link = actions.decide_duplicate(actor=clerk, submission=submission, original=original, kind=DuplicateKind.REPEAT)
    original.refresh_from_db()
    assert original.repeat_count == 1
    assert Matter.objects.filter(pk=submission.pk, title=submission.title, narrative=submission.narrative).exists()
    assert Notification.objects.filter(
        recipient__username="qingshan.justice.handler",
        code="intake.repeat_submission",
        params__submission=submission.code,
    ).exists()
    merged = AuditEvent.objects.filter(seq__gt=before_seq).order_by("seq")
    assert [event.event_code for event in merged] == ["intake.duplicate_merged"]
    with pytest.raises(Conflict):
        actions.decide_duplicate(actor=clerk, submission=submission, original=original, kind=DuplicateKind.REPEAT)

    actions.undo_duplicate(actor=clerk, link=link)
    original.refresh_from_db()
    link.refresh_from_db()
    assert original.repeat_count == 0 and link.undone_at is not None and link.undone_by == clerk
    assert DuplicateLink.objects.filter(pk=link.pk).exists()  # nothing deleted
    assert AuditEvent.objects.order_by("-seq").first().event_code == "intake.duplicate_undone"
    with pytest.raises(Conflict):
        actions.undo_duplicate(actor=clerk, link=link)
    # After unmerging it can be merged again.
    actions.decide_duplicate(actor=clerk, submission=submission, original=original, kind=DuplicateKind.REPEAT)
    original.refresh_from_db()
    assert original.repeat_count == 1


def test_link_and_dismiss_are_recorded_without_touching_the_count(demo_users):
    first, second = complaint(), complaint("翠湖花园")
    clerk = demo_users["qingshan.director"]
    actions.decide_duplicate(
        actor=clerk, submission=second, original=first, kind=DuplicateKind.DISMISSED, note="不同小区"
    )
    assert AuditEvent.objects.order_by("-seq").first().event_code == "intake.duplicate_dismissed"
    third = complaint()
    actions.decide_duplicate(actor=clerk, submission=third, original=first, kind=DuplicateKind.RELATED)
    first.refresh_from_db()
    assert first.repeat_count == 0
    assert DuplicateLink.objects.filter(original=first).count() == 2


def test_bad_decisions_are_refused_and_change_nothing(demo_users):
    first = complaint()
    clerk = demo_users["qingshan.clerk"]
    with pytest.raises(ValidationFailed):
        actions.decide_duplicate(actor=clerk, submission=first, original=first, kind=DuplicateKind.REPEAT)
    second = complaint()
    with pytest.raises(PermissionDenied):
        actions.decide_duplicate(
            actor=demo_users["baisha.clerk"], submission=second, original=first, kind=DuplicateKind.REPEAT
        )
    with pytest.raises(PermissionDenied):
        actions.decide_duplicate(
            actor=demo_users["qingshan.justice.handler"], submission=second, original=first, kind=DuplicateKind.REPEAT
        )
    first.refresh_from_db()
    assert first.repeat_count == 0 and not DuplicateLink.objects.exists()


def test_intake_fragment_authorization(client_as):
    complaint()
    data = {"title": "金桂花园物业乱涨价", "narrative": COMPLAINT.format(site="金桂花园")}
    anonymous = client_as(None).post("/intake/duplicates/candidates/", data)
    assert anonymous.status_code == 302
    assert client_as("qingshan.justice.handler").post("/intake/duplicates/candidates/", data).status_code == 403
    allowed = client_as("qingshan.clerk").post("/intake/duplicates/candidates/", data)
    assert allowed.status_code == 200 and "金桂花园物业乱涨价" in allowed.content.decode()
    other = client_as("baisha.clerk").post("/intake/duplicates/candidates/", data)
    assert other.status_code == 200 and "金桂花园物业乱涨价" not in other.content.decode()


def test_matter_panel_and_decide_page_authorization(client_as):
    first, second = complaint(), complaint()
    assert client_as(None).get(f"/intake/duplicates/{first.code}/").status_code == 302
    assert client_as("baisha.clerk").get(f"/intake/duplicates/{first.code}/").status_code == 404
    panel = client_as("qingshan.clerk").get(f"/intake/duplicates/{second.code}/")
    assert panel.status_code == 200 and first.code in panel.content.decode()
    denied = client_as("baisha.clerk").post(
        f"/intake/duplicates/{second.code}/decide/", {"other": first.code, "kind": "repeat"}
    )
    assert denied.status_code == 404 and not DuplicateLink.objects.exists()
    done = client_as("qingshan.clerk").post(
        f"/intake/duplicates/{second.code}/decide/", {"other": first.code, "kind": "repeat"}
    )
    assert done.status_code == 302
    link = DuplicateLink.objects.get()
    assert (link.submission, link.original) == (second, first)
    undo = client_as("qingshan.clerk").post(f"/intake/duplicates/{second.code}/undo/{link.pk}/")
    assert undo.status_code == 302
    link.refresh_from_db()
    assert not link.is_active


def test_api_candidates_decide_and_undo(api_as):
    first, second = complaint(), complaint()
    body = {"title": "金桂花园物业乱涨价", "narrative": COMPLAINT.format(site="金桂花园")}
    assert api_as(None).post("/api/v1/intake/duplicates/candidates/", body).status_code in (401, 403)
    assert api_as("qingshan.justice.handler").post("/api/v1/intake/duplicates/candidates/", body).status_code == 403
    found = api_as("qingshan.clerk").post("/api/v1/intake/duplicates/candidates/", body)
    assert found.status_code == 200 and {item["code"] for item in found.json()} >= {first.code, second.code}
    decision = {"submission": second.code, "original": first.code, "kind": "repeat"}
    assert api_as("baisha.clerk").post("/api/v1/intake/duplicates/", decision).status_code == 404
    assert not DuplicateLink.objects.exists()
    created = api_as("qingshan.clerk").post("/api/v1/intake/duplicates/", decision)
    assert created.status_code == 201 and created.json()["kind"] == "repeat"
    again = api_as("qingshan.clerk").post("/api/v1/intake/duplicates/", decision)
    assert again.status_code == 409 and again.json()["code"] == "already_decided"
    listed = api_as("qingshan.clerk").get(f"/api/v1/intake/duplicates/matters/{second.code}/")
    assert listed.status_code == 200 and listed.json()["decisions"][0]["original"] == first.code
    link_id = created.json()["id"]
    assert api_as("baisha.clerk").post(f"/api/v1/intake/duplicates/{link_id}/undo/").status_code == 404
    undone = api_as("qingshan.clerk").post(f"/api/v1/intake/duplicates/{link_id}/undo/")
    assert undone.status_code == 200 and undone.json()["active"] is False


def test_the_card_and_the_api_name_another_numbered_school(client_as, api_as):
    school = "我孩子在C4市{school}读初二，{school}食堂饭菜常有异物，家长多次向学校反映没有改善，请教育局调查处理。"
    earlier = make_matter(title="食堂饭菜问题", narrative=school.format(school="一中"))
    draft = {"title": "食堂饭菜问题", "narrative": school.format(school="三中")}
    found = api_as("qingshan.clerk").post("/api/v1/intake/duplicates/candidates/", draft).json()
    candidate = next(item for item in found if item["code"] == earlier.code)
    assert not candidate["likely_same"]
    assert any("一中" in reason and "三中" in reason for reason in candidate["differences"]), candidate
    card = client_as("qingshan.clerk").post("/intake/duplicates/candidates/", draft).content.decode()
    assert earlier.code in card and "不同之处：" in card and "三中" in card and "很可能是同一事项" not in card


def test_intake_fragment_reads_the_party_rows_of_the_form(client_as):
    person = applicant(id_number=resident_id("36092119700101005"), phone="13900002222")
    earlier = make_matter(title="宅基地纠纷", narrative="与邻居因宅基地界址发生争执。", parties=[person])
    form = {
        "title": "反映路灯不亮",
        "narrative": "村里路灯坏了半年，希望修好。",
        "parties-TOTAL_FORMS": "1",
        "parties-0-party_type": "person",
        "parties-0-name": "张三",
        "parties-0-phone": "+86 139-0000-2222",
    }
    page = client_as("qingshan.clerk").post("/intake/duplicates/candidates/", form).content.decode()
    assert earlier.code in page and "同一当事人" in page


def test_undo_page_out_of_scope_is_404_and_changes_nothing(client_as, demo_users):
    first, second = complaint(), complaint()
    link = actions.decide_duplicate(
        actor=demo_users["qingshan.clerk"], submission=second, original=first, kind=DuplicateKind.REPEAT
    )
    assert client_as("baisha.clerk").post(f"/intake/duplicates/{second.code}/undo/{link.pk}/").status_code == 404
    assert client_as("qingshan.justice.handler").post(
        f"/intake/duplicates/{second.code}/undo/{link.pk}/"
    ).status_code in (302, 404)
    link.refresh_from_db()
    first.refresh_from_db()
    assert link.is_active and first.repeat_count == 1
