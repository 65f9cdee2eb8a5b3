"""Every verb through the actions layer, each asserting the exact audit rows it writes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanbao.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from sanbao.matters import actions
from sanbao.matters.models import Matter, MatterEvent
from sanbao.matters.tests.factories import (
    JUSTICE_OFFICE,
    make_assigned_matter,
    make_handling_matter,
    make_matter,
    ready_to_assign,
    unit,
    user,
)
from sanbao.matters.tests.helpers import audit_codes_since, audit_since, last_seq

pytestmark = pytest.mark.django_db
DIRECTOR, HANDLER, CLERK = "qingshan.director", "qingshan.justice.handler", "qingshan.clerk"


def run(verb, matter, username, **inputs):
    """Call ``verb`` as ``username``; return (result, audit codes it wrote)."""
    start = last_seq()
    result = verb(matter, actor=user(username), **inputs)
    return result, audit_codes_since(start)


def fresh(matter: Matter) -> Matter:
    return Matter.objects.get(pk=matter.pk)


def test_assign_creates_lead_and_co_assignments():
    matter = make_matter()
    start = last_seq()
    matter, codes = run(
        actions.assign_matter,
        matter,
        DIRECTOR,
        lead_unit=unit(JUSTICE_OFFICE),
        co_units=[unit("青山人民法庭")],
        instructions="请五日内调处",
    )
    assert codes == ["matters.assigned"]
    assert matter.state == "assigned" and matter.lead_unit.name == JUSTICE_OFFICE
    roles = sorted(matter.assignments.values_list("role", "status"))
    assert roles == [("co", "pending"), ("lead", "pending")]
    row = audit_since(start)[0]
    assert row.before == {"state": "registered", "lead_unit": None}
    assert row.after["state"] == "assigned" and row.after["lead_unit"] == unit(JUSTICE_OFFICE).pk
    assert "instructions" not in row.after  # free text stays on the timeline
    assert row.object_repr == matter.code  # and so does the title, which may name people


def test_sign_by_lead_moves_to_handling_and_co_unit_sign_does_not():
    matter = make_matter()
    actions.assign_matter(
        matter, actor=user(DIRECTOR), lead_unit=unit(JUSTICE_OFFICE), co_units=[unit("青山人民法庭")]
    )
    matter, codes = run(actions.sign_assignment, matter, "qingshan.tribunal.handler")
    assert codes == ["matters.signed"] and matter.state == "assigned"
    matter, codes = run(actions.sign_assignment, matter, HANDLER)
    assert codes == ["matters.signed"] and matter.state == "handling"
    assert matter.current_handler == user(HANDLER)
    assert set(matter.assignments.values_list("status", flat=True)) == {"signed"}


def test_handler_of_another_unit_cannot_sign_and_the_denial_is_audited():
    matter = make_assigned_matter()
    start = last_seq()
    with pytest.raises(PermissionDenied):
        actions.sign_assignment(matter, actor=user("qingshan.tribunal.handler"))
    assert audit_codes_since(start) == ["auth.permission_denied"]
    assert fresh(matter).state == "assigned" and fresh(matter).version == matter.version


def test_send_back_then_reassign():
    matter = make_assigned_matter()
    matter, codes = run(actions.send_back_assignment, matter, HANDLER, reason="不属本所职责，应由法庭处理")
    assert codes == ["matters.sent_back"]
    assert matter.state == "sent_back" and matter.lead_unit is None
    assert not Matter.objects.visible_to(user(HANDLER)).filter(pk=matter.pk).exists()
    matter, codes = run(
        actions.reassign_matter, matter, DIRECTOR, lead_unit=unit("青山人民法庭"), reason="改派法庭"
    )
    assert codes == ["matters.reassigned"]
    assert matter.state == "assigned" and matter.lead_unit.name == "青山人民法庭"
    assert Matter.objects.visible_to(user("qingshan.tribunal.handler")).filter(pk=matter.pk).exists()


def test_send_back_needs_a_reason():
    matter = make_assigned_matter()
    with pytest.raises(ValidationFailed) as error:
        actions.send_back_assignment(matter, actor=user(HANDLER), reason="  ")
    assert error.value.field == "reason"
    assert fresh(matter).state == "assigned"


def test_feedback_review_follow_up_satisfied_closes():
    matter = make_handling_matter()
    feedback, codes = run(actions.submit_feedback, matter, HANDLER, result="双方达成协议，已疏通排水沟。")
    assert codes == ["matters.feedback_submitted"] and fresh(matter).state == "feedback"
    _, codes = run(actions.review_feedback, matter, DIRECTOR, decision="approve")
    assert codes == ["matters.reviewed"] and fresh(matter).state == "follow_up"
    assert set(matter.assignments.values_list("status", flat=True)) == {"completed"}
    _, codes = run(actions.record_follow_up, matter, CLERK, method="phone", satisfaction="satisfied")
    matter = fresh(matter)
    assert codes == ["matters.followed_up"]
    assert matter.state == "closed" and matter.status == "closed" and matter.closed_at is not None
    assert matter.satisfaction == "satisfied"


def test_review_return_needs_a_comment_and_goes_back_to_handling():
    matter = make_handling_matter()
    actions.submit_feedback(matter, actor=user(HANDLER), result="已调处")
    with pytest.raises(ValidationFailed) as error:
        actions.review_feedback(matter, actor=user(DIRECTOR), decision="return")
    assert error.value.field == "comment"
    _, codes = run(actions.review_feedback, matter, DIRECTOR, decision="return", comment="未附协议书")
    assert codes == ["matters.reviewed"] and fresh(matter).state == "handling"


def test_dissatisfied_follow_up_reopens_for_the_same_lead_unit():
    matter = make_handling_matter()
    actions.submit_feedback(matter, actor=user(HANDLER), result="已调处")
    actions.review_feedback(matter, actor=user(DIRECTOR), decision="approve")
    _, codes = run(
        actions.record_follow_up,
        matter,
        CLERK,
        method="visit",
        satisfaction="dissatisfied",
        comment="排水沟又堵了",
    )
    matter = fresh(matter)
    assert codes == ["matters.followed_up"]
    assert matter.state == "handling" and matter.status == "open" and matter.closed_at is None
    assert matter.assignments.get(role="lead").status == "signed"
    actions.submit_feedback(matter, actor=user(HANDLER), result="再次疏通并加装盖板")


def test_close_and_reopen():
    matter = make_handling_matter()
    actions.submit_feedback(matter, actor=user(HANDLER), result="已调处")
    actions.review_feedback(matter, actor=user(DIRECTOR), decision="approve")
    _, codes = run(actions.close_matter, matter, DIRECTOR, reason="当事人电话停机，无法回访")
    assert codes == ["matters.closed"] and fresh(matter).state == "closed"
    _, codes = run(actions.reopen_matter, matter, DIRECTOR, reason="当事人再次来访")
    matter = fresh(matter)
    assert codes == ["matters.reopened"] and matter.state == "handling" and matter.closed_at is None


def test_first_mediation_at_the_centre_goes_straight_to_follow_up():
    matter = make_matter()
    _, codes = run(actions.accept_matter, matter, CLERK)
    assert codes == ["matters.accepted"] and fresh(matter).state == "mediating"
    _, codes = run(actions.submit_feedback, matter, DIRECTOR, result="中心先行调解成功")
    assert codes == ["matters.feedback_submitted"] and fresh(matter).state == "follow_up"
    actions.record_follow_up(matter, actor=user(CLERK), method="phone", satisfaction="dissatisfied")
    assert fresh(matter).state == "mediating"  # no lead unit: back to the centre's mediation


def test_refuse_needs_reason_and_ends_the_matter():
    matter = make_matter()
    _, codes = run(actions.refuse_matter, matter, CLERK, reason="一方明确拒绝调解，告知可向法院起诉")
    matter = fresh(matter)
    assert codes == ["matters.refused"] and matter.state == "refused" and matter.status == "ended"


def test_invalid_transition_names_current_step_and_allowed_verbs():
    matter = make_matter()
    with pytest.raises(InvalidTransition) as error:
        actions.review_feedback(matter, actor=user(DIRECTOR), decision="approve")
    message = str(error.value)
    assert "已登记" in message or "Registered" in message
    assert error.value.params["current_state"] == "registered"
    assert error.value.params["allowed"] == ["accept", "refuse", "assign", "transfer"]


def test_clerk_may_not_assign():
    matter = make_matter()
    start = last_seq()
    with pytest.raises(PermissionDenied) as error:
        actions.assign_matter(matter, actor=user(CLERK), lead_unit=unit(JUSTICE_OFFICE))
    assert error.value.code == "role_required"
    assert audit_codes_since(start) == ["auth.permission_denied"]
    assert not matter.assignments.exists()


def test_director_of_another_township_may_not_assign():
    matter = make_matter()
    with pytest.raises(PermissionDenied) as error:
        actions.assign_matter(matter, actor=user("baisha.director"), lead_unit=unit(JUSTICE_OFFICE))
    assert error.value.code == "not_responsible"


def test_unit_of_another_township_cannot_be_assigned():
    matter = make_matter()
    with pytest.raises(ValidationFailed) as error:
        actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit("白沙派出所"))
    assert error.value.field == "lead_unit"
    assert fresh(matter).state == "registered" and not matter.assignments.exists()


def test_county_units_can_take_township_matters():
    matter = make_matter()
    actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit("青山县人社局"))
    assert Matter.objects.visible_to(user("hrss.handler")).filter(pk=matter.pk).exists()
    assert not Matter.objects.visible_to(user("police.handler1")).filter(pk=matter.pk).exists()


def test_stale_version_gives_conflict_and_changes_nothing():
    matter = make_matter()
    actions.update_matter(matter, actor=user(CLERK), changes={"place": "东塘村"})
    with pytest.raises(Conflict) as error:
        actions.assign_matter(
            matter, actor=user(DIRECTOR), lead_unit=unit(JUSTICE_OFFICE), expected_version=1
        )
    assert error.value.params["current_version"] == 2
    assert fresh(matter).state == "registered"


def test_transfer_keeps_the_code_and_moves_the_matter():
    matter = make_assigned_matter()
    code = matter.code
    matter, codes = run(
        actions.transfer_matter, matter, DIRECTOR, area="360921102001", reason="纠纷发生地在白沙镇"
    )
    assert codes == ["matters.transferred"]
    assert matter.code == code and matter.area_code == "360921102001"
    assert matter.owner_unit.name == "白沙镇综治中心"
    assert matter.state == "registered" and matter.lead_unit is None
    assert set(matter.assignments.values_list("status", flat=True)) == {"withdrawn"}
    assert not Matter.objects.visible_to(user(CLERK)).filter(pk=matter.pk).exists()
    assert Matter.objects.visible_to(user("baisha.clerk")).filter(pk=matter.pk).exists()
    assert not Matter.objects.visible_to(user(HANDLER)).filter(pk=matter.pk).exists()


def test_extension_request_and_decision():
    matter = make_handling_matter()
    extension, codes = run(actions.request_extension, matter, HANDLER, days=10, reason="需等待鉴定结论")
    assert codes == ["matters.extension_requested"] and extension.status == "pending"
    with pytest.raises(ValidationFailed) as error:
        actions.request_extension(matter, actor=user(HANDLER), days=5, reason="再延")
    assert error.value.code == "pending"
    extension, codes = run(actions.decide_extension, matter, DIRECTOR, approve=True, comment="同意")
    assert codes == ["matters.extension_decided"] and extension.status == "approved"
    with pytest.raises(PermissionDenied):
        actions.request_extension(matter, actor=user("qingshan.tribunal.handler"), days=5, reason="x")


def test_extension_days_are_bounded():
    matter = make_handling_matter()
    with pytest.raises(ValidationFailed) as error:
        actions.request_extension(matter, actor=user(HANDLER), days=0, reason="x")
    assert error.value.field == "days"


def test_note_is_kept_apart_and_linked_from_the_timeline():
    matter = make_handling_matter()
    start = last_seq()
    note, codes = run(actions.add_note, matter, HANDLER, text="已约双方周三到所面谈")
    assert codes == ["matters.note_added"]
    event = MatterEvent.objects.get(note=note)
    assert event.verb == "note" and note.unit == user(HANDLER).unit
    assert audit_since(start)[0].after == {"note_id": note.pk, "version": fresh(matter).version}


def test_oversight_verbs():
    matter = make_handling_matter()
    supervision, codes = run(
        actions.supervise_matter,
        matter,
        "county.committee1",
        notice="请加快办理",
        due_date=timezone.localdate() + timedelta(days=5),
    )
    assert codes == ["matters.supervised"] and supervision.unit == user("county.committee1").unit
    _, codes = run(actions.instruct_on_matter, matter, "county.leader1", text="依法依规妥善处理")
    assert codes == ["matters.instructed"]
    _, codes = run(actions.take_charge, matter, "county.leader1")
    assert codes == ["matters.taken_charge"] and fresh(matter).leader_in_charge == user("county.leader1")
    with pytest.raises(ValidationFailed):
        actions.take_charge(matter, actor=user("county.leader2"))
    with pytest.raises(PermissionDenied):
        actions.instruct_on_matter(matter, actor=user(DIRECTOR), text="x")


def test_supervision_deadline_must_be_in_the_future():
    matter = make_handling_matter()
    with pytest.raises(ValidationFailed) as error:
        actions.supervise_matter(matter, actor=user(DIRECTOR), notice="x", due_date=timezone.localdate())
    assert error.value.field == "due_date"


def test_petition_track_to_final_conclusion():
    matter = make_matter(kind="petition", title="反映小区物业收费问题")
    _, codes = run(actions.accept_matter, matter, CLERK)
    assert codes == ["matters.accepted"]
    actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit(JUSTICE_OFFICE))
    actions.sign_assignment(matter, actor=user(HANDLER))
    with pytest.raises(ValidationFailed) as error:
        actions.submit_feedback(matter, actor=user(HANDLER), result="已答复")
    assert error.value.field == "opinion"
    actions.submit_feedback(matter, actor=user(HANDLER), result="经核查，收费符合规定", opinion="explain")
    actions.review_feedback(matter, actor=user(DIRECTOR), decision="approve")
    assert fresh(matter).state == "answered"
    request, codes = run(
        actions.request_review, matter, CLERK, reason="不服处理意见", reviewing_unit=unit("青山县信访局")
    )
    assert codes == ["matters.review_requested"] and request.stage == "reexamination"
    assert fresh(matter).state == "reexamining"
    with pytest.raises(PermissionDenied):
        actions.submit_feedback(matter, actor=user(HANDLER), result="x", opinion="upheld")
    _, codes = run(
        actions.submit_feedback, matter, "petition.handler", result="复查维持原意见", opinion="upheld"
    )
    assert codes == ["matters.feedback_submitted"] and fresh(matter).state == "reexamined"
    actions.request_review(matter, actor=user(CLERK), reason="申请复核", reviewing_unit=unit("青山县信访局"))
    actions.submit_feedback(matter, actor=user("petition.handler"), result="复核维持", opinion="upheld")
    matter = fresh(matter)
    assert matter.state == "terminated" and matter.status == "closed" and matter.closed_at is not None
    assert list(matter.review_requests.values_list("stage", flat=True)) == ["reexamination", "recheck"]


def test_petition_refused_and_legal_channel():
    refused = make_matter(kind="petition")
    actions.refuse_matter(refused, actor=user(CLERK), reason="属于诉讼程序处理事项，已告知")
    assert fresh(refused).state == "refused"
    matter = make_matter(kind="petition")
    with pytest.raises(ValidationFailed) as error:
        actions.move_to_legal_channel(matter, actor=user(CLERK), route="court", body="青山县人民法院")
    assert error.value.field == "route"
    _, codes = run(actions.move_to_legal_channel, matter, CLERK, route="litigation", body="青山县人民法院")
    matter = fresh(matter)
    assert codes == ["matters.legal_channel"]
    assert matter.state == "legal_channel" and matter.status == "ended"
    assert matter.legal_route_body == "青山县人民法院"


def test_hazard_is_struck_off_when_inspection_approves():
    matter = make_matter(kind="hazard", title="某工地拖欠农民工工资隐患", source_channel="screening")
    assert matter.state == "investigating" and matter.code.startswith("YH-")
    actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit(JUSTICE_OFFICE))
    actions.sign_assignment(matter, actor=user(HANDLER))
    actions.submit_feedback(matter, actor=user(HANDLER), result="工资已结清")
    actions.review_feedback(matter, actor=user(DIRECTOR), decision="approve")
    matter = fresh(matter)
    assert matter.state == "closed" and matter.state_label() in ("化解/销号", "Defused / struck off (销号)")


def test_incident_consultation_before_rectification():
    matter = make_matter(kind="incident", title="村民聚集阻工", people_count=30)
    assert matter.state == "responding"
    with pytest.raises(InvalidTransition):
        actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit(JUSTICE_OFFICE))
    _, codes = run(actions.consult_on_matter, matter, DIRECTOR, summary="联席会商")
    assert codes == ["matters.consulted"] and fresh(matter).state == "consulting"
    actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit(JUSTICE_OFFICE))
    assert fresh(matter).state == "assigned"


def test_enterprise_request_fast_lane_goes_straight_to_assignment():
    matter = make_matter(kind="enterprise_request", title="企业用工招聘困难", parties=[])
    assert matter.code.startswith("QY-") and matter.workflow.fast_lane
    matter = ready_to_assign(matter)
    actions.assign_matter(matter, actor=user(DIRECTOR), lead_unit=unit("青山县人社局"))
    assert fresh(matter).state == "assigned"


def test_add_party_is_audited_without_the_values():
    matter = make_matter()
    party, codes = run(
        actions.add_party, matter, CLERK, data={"name": "李四", "role": "respondent", "phone": "13900001111"}
    )
    assert codes == ["matters.party_added"]
    assert party.phone_hash and party.masked_name == "李*"
    row = audit_since(last_seq() - 1)[0]
    assert "13900001111" not in str(row.after) and "李四" not in str(row.after)
    with pytest.raises(PermissionDenied):
        actions.add_party(matter, actor=user(HANDLER), data={"name": "王五"})


def test_add_attachments_is_audited():
    from django.core.files.uploadedfile import SimpleUploadedFile

    matter = make_handling_matter()
    files = [SimpleUploadedFile("现场照片.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)]
    saved, codes = run(actions.add_attachments, matter, HANDLER, files=files, purpose="other")
    assert codes == ["matters.attachment_added"]
    assert saved[0].content_type == "image/png" and saved[0].size == 28 and len(saved[0].sha256) == 64
    assert saved[0].file.name.startswith("matters/") and "现场" not in saved[0].file.name
