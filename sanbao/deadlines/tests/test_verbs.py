from datetime import timedelta

import pytest
from django.utils import timezone

from sanbao.audit.models import AuditEvent
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.deadlines import actions as deadline_actions
from sanbao.deadlines.actions.deadlines import extend_deadline, pause_deadline, resume_deadline
from sanbao.deadlines.calculator import due_date
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.models import Deadline, TimeLimitRule
from sanbao.matters import actions
from sanbao.matters.tests.factories import make_handling_matter, make_matter, user

pytestmark = pytest.mark.django_db


def clock(matter, key="dispute.handle") -> Deadline:
    return Deadline.objects.get(matter=matter, rule__key=key, status__in=["running", "paused", "overdue"])


def last_event(code):
    return AuditEvent.objects.filter(event_code=code).order_by("-seq").first()


# --- Rule edits never move existing deadlines --------------------------------------------------

def test_a_rule_edit_does_not_move_existing_deadlines_but_applies_to_new_ones():
    first = make_handling_matter()
    before = clock(first)
    rule = deadline_actions.edit_rule(actor=user("sysadmin"), key="dispute.handle", changes={"amount": 10},
                                      note="本地规定改为10个工作日")
    assert (rule.version, rule.amount, rule.is_current) == (2, 10, True)
    assert not TimeLimitRule.objects.get(key="dispute.handle", version=1).is_current
    after = clock(first)
    assert (after.due_date, after.rule_id, after.amount) == (before.due_date, before.rule_id, 5)
    second = make_handling_matter()
    new = clock(second)
    assert new.rule == rule and new.due_date == due_date(work_calendar(), new.start_date, 10, "working")
    event = last_event("deadlines.rule_edited")
    assert event.before == {"version": 1, "amount": 5} and event.after == {"version": 2, "amount": 10}
    assert event.actor.username == "sysadmin"


def test_only_the_system_administrator_edits_rules_and_bad_values_are_refused():
    with pytest.raises(PermissionDenied):
        deadline_actions.edit_rule(actor=user("county.director"), key="dispute.handle", changes={"amount": 9})
    admin = user("sysadmin")
    with pytest.raises(ValidationFailed) as error:
        deadline_actions.edit_rule(actor=admin, key="dispute.handle", changes={"amount": 0})
    assert error.value.field == "amount"
    with pytest.raises(ValidationFailed) as error:
        deadline_actions.edit_rule(actor=admin, key="dispute.handle", changes={"pause_events": ["holiday"]})
    assert error.value.field == "pause_events"
    with pytest.raises(ValidationFailed) as error:
        deadline_actions.edit_rule(actor=admin, key="dispute.handle", changes={"key": "x"})
    with pytest.raises(ValidationFailed) as error:
        deadline_actions.edit_rule(actor=admin, key="dispute.handle", changes={"amount": 5})
    assert error.value.code == "no_change"
    assert TimeLimitRule.objects.filter(key="dispute.handle").count() == 1


# --- Extensions --------------------------------------------------------------------------------

def test_an_approved_extension_moves_the_due_date_with_its_audit_event():
    matter = make_handling_matter()
    before = clock(matter)
    actions.request_extension(matter, actor=user("qingshan.justice.handler"), days=10, reason="需要现场勘验")
    actions.decide_extension(matter, actor=user("qingshan.director"), approve=True)
    after = clock(matter)
    expected = work_calendar().add_working_days(before.due_date, 10)
    assert (after.due_date, after.extension_days) == (expected, 10)
    event = last_event("deadlines.extended")
    assert event.object_id == str(after.pk) and event.actor.username == "qingshan.director"
    assert event.before["due_date"] == before.due_date.isoformat()
    assert event.after["due_date"] == expected.isoformat() and event.after["days"] == 10


def test_a_denied_extension_moves_nothing():
    matter = make_handling_matter()
    before = clock(matter)
    actions.request_extension(matter, actor=user("qingshan.justice.handler"), days=3, reason="需要鉴定")
    actions.decide_extension(matter, actor=user("qingshan.director"), approve=False)
    assert clock(matter).due_date == before.due_date
    assert not AuditEvent.objects.filter(event_code="deadlines.extended", object_id=str(before.pk)).exists()


def test_an_extension_beyond_the_cap_is_refused_and_the_approval_rolled_back():
    matter = make_handling_matter()
    before = clock(matter)
    actions.request_extension(matter, actor=user("qingshan.justice.handler"), days=11, reason="太复杂")
    with pytest.raises(ValidationFailed) as error:
        actions.decide_extension(matter, actor=user("qingshan.director"), approve=True)
    assert error.value.code == "extension_cap"
    assert clock(matter).due_date == before.due_date
    assert matter.extension_requests.get().status == "pending"


def test_extend_deadline_checks_the_approver_role():
    matter = make_handling_matter()
    with pytest.raises(PermissionDenied):
        extend_deadline(clock(matter), actor=user("qingshan.justice.handler"), days=2)


def test_an_extension_turns_an_overdue_step_back_to_running_and_resets_the_ladder():
    from sanbao.deadlines.sweep import run_sweep

    matter = make_handling_matter()
    handle = clock(matter)
    today = timezone.localdate()
    Deadline.objects.filter(pk=handle.pk).update(
        start_date=today - timedelta(days=14), amount=5, due_date=today - timedelta(days=1)
    )
    run_sweep(today=today)
    assert clock(matter).escalation_level == 2
    extended = extend_deadline(clock(matter), actor=user("qingshan.director"), days=10)
    assert extended.status == "running" and extended.due_date >= today and extended.escalation_level == 0


# --- Pauses --------------------------------------------------------------------------------------

def test_a_pause_pushes_the_deadline_by_exactly_the_paused_working_days():
    matter = make_handling_matter()
    handle = clock(matter)
    start = handle.start_date
    pause_deadline(handle, actor=user("qingshan.justice.handler"), reason="appraisal", on=start)
    paused = clock(matter)
    assert paused.status == "paused" and last_event("deadlines.paused").after["reason"] == "appraisal"
    resumed_on = start + timedelta(days=14)
    resumed = resume_deadline(paused, actor=user("qingshan.director"), on=resumed_on)
    added = work_calendar().working_days_between(start, resumed_on)
    assert resumed.paused_days == added
    assert resumed.due_date == work_calendar().add_working_days(handle.due_date, added)
    assert work_calendar().working_days_between(handle.due_date, resumed.due_date) == added
    event = last_event("deadlines.resumed")
    assert event.after["paused_days_added"] == added
    assert event.before["due_date"] == handle.due_date.isoformat()


def test_pauses_are_limited_to_the_rule_reasons_and_the_responsible_people():
    matter = make_handling_matter()
    handle = clock(matter)
    with pytest.raises(ValidationFailed):
        pause_deadline(handle, actor=user("qingshan.director"), reason="holiday")
    with pytest.raises(PermissionDenied):
        pause_deadline(handle, actor=user("baisha.director"), reason="hearing")
    with pytest.raises(PermissionDenied):
        pause_deadline(handle, actor=user("qingshan.clerk"), reason="hearing")
    with pytest.raises(ValidationFailed):
        resume_deadline(handle, actor=user("qingshan.director"))
    sign = make_matter()
    triage = clock(sign, "dispute.triage")
    with pytest.raises(ValidationFailed):
        pause_deadline(triage, actor=user("qingshan.director"), reason="hearing")
    assert clock(matter).status == "running"


# --- Supervision by hand -----------------------------------------------------------------------

def test_a_supervision_notice_by_hand_runs_its_own_clock():
    matter = make_handling_matter()
    due = timezone.localdate() + timedelta(days=7)
    actions.supervise_matter(matter, actor=user("county.committee1"), notice="请加快办理", due_date=due)
    report = clock(matter, "supervision.report")
    assert report.due_date == work_calendar().roll_forward(due)
    assert clock(matter).status == "running"


def test_default_rules_are_restored_only_where_missing():
    from sanbao.deadlines.demo import ensure_defaults

    assert deadline_actions.load_default_rules(actor=None) == []
    TimeLimitRule.objects.filter(key="petition.forward").delete()  # a rule no clock uses yet
    ensure_defaults()
    assert TimeLimitRule.objects.current().filter(key="petition.forward", version=1).exists()
    assert last_event("deadlines.rules_loaded").after["keys"] == ["petition.forward"]
    with pytest.raises(PermissionDenied):
        deadline_actions.load_default_rules(actor=user("qingshan.director"))
