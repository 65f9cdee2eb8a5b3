from datetime import timedelta

import pytest
from django.utils import timezone

from sanbao.deadlines.calculator import due_date
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.models import Deadline
from sanbao.matters import actions
from sanbao.matters.tests.factories import make_handling_matter, make_matter, ready_to_assign, unit, user

pytestmark = pytest.mark.django_db


def open_clocks(matter):
    return {deadline.rule.key: deadline for deadline in Deadline.objects.filter(matter=matter).open()}


def test_each_step_of_a_dispute_gets_its_clock_and_the_previous_one_stops():
    matter = make_matter()
    assert set(open_clocks(matter)) == {"dispute.triage"}
    triage = open_clocks(matter)["dispute.triage"]
    today = timezone.localdate()
    assert triage.start_date == today
    assert triage.due_date == due_date(work_calendar(), today, 2, "working")
    assert triage.unit == matter.owner_unit
    matter = actions.assign_matter(matter, actor=user("qingshan.director"), lead_unit=unit("青山镇司法所"))
    triage.refresh_from_db()
    assert triage.status == "met" and triage.completed_at is not None
    assert set(open_clocks(matter)) == {"dispute.sign"}
    matter = actions.sign_assignment(matter, actor=user("qingshan.justice.handler"))
    handle = open_clocks(matter)["dispute.handle"]
    assert handle.unit.name == "青山镇司法所"
    assert handle.rule.version == 1 and handle.count_unit == "working" and handle.amount == 5


def test_the_petition_60_day_clock_spans_the_steps_until_the_written_opinion():
    director = user("qingshan.director")
    matter = make_matter(kind="petition")
    assert set(open_clocks(matter)) == {"petition.accept"}
    matter = ready_to_assign(matter)
    conclude = open_clocks(matter)["petition.conclude"]
    assert conclude.due_date == due_date(work_calendar(), timezone.localdate(), 60, "calendar")
    matter = actions.assign_matter(matter, actor=director, lead_unit=unit("青山镇司法所"))
    matter = actions.sign_assignment(matter, actor=user("qingshan.justice.handler"))
    assert set(open_clocks(matter)) == {"petition.conclude", "petition.handle"}
    actions.submit_feedback(matter, actor=user("qingshan.justice.handler"), result="已答复信访人。",
                            opinion="explain")
    assert set(open_clocks(matter)) == {"petition.conclude", "petition.review"}
    actions.review_feedback(matter, actor=director, decision="approve")
    conclude.refresh_from_db()
    assert conclude.status == "met"
    assert set(open_clocks(matter)) == {"petition.review_window"}


def test_a_returned_feedback_restarts_the_handling_clock():
    matter = make_handling_matter()
    actions.submit_feedback(matter, actor=user("qingshan.justice.handler"), result="已调解。")
    actions.review_feedback(matter, actor=user("qingshan.director"), decision="return", comment="补充材料")
    assert set(open_clocks(matter)) == {"dispute.handle"}


def test_closing_stops_every_clock():
    matter = make_handling_matter()
    actions.submit_feedback(matter, actor=user("qingshan.justice.handler"), result="已调解。")
    actions.review_feedback(matter, actor=user("qingshan.director"), decision="approve")
    actions.record_follow_up(matter, actor=user("qingshan.clerk"), method="phone", satisfaction="satisfied")
    assert open_clocks(matter) == {}
    assert not Deadline.objects.filter(matter=matter, status="late").exists()


def test_a_step_finished_after_its_due_date_is_late():
    matter = make_handling_matter()
    handle = open_clocks(matter)["dispute.handle"]
    today = timezone.localdate()
    backdated = {"start_date": today - timedelta(days=9), "due_date": today - timedelta(days=1)}
    Deadline.objects.filter(pk=handle.pk).update(**backdated)
    actions.submit_feedback(matter, actor=user("qingshan.justice.handler"), result="已调解。")
    handle.refresh_from_db()
    assert handle.status == "late"
