from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanbao.audit.models import AuditEvent
from sanbao.deadlines.calendar import work_calendar
from sanbao.deadlines.delivery import deliver_pending
from sanbao.deadlines.models import Deadline, Notification, SupervisionNotice
from sanbao.deadlines.sweep import run_sweep
from sanbao.matters import actions
from sanbao.matters.tests.factories import make_handling_matter, user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def only_this_tests_clocks(db):
    """Stop the demo county's clocks (inside the test's transaction) so a sweep here sees only this test's."""
    Deadline.objects.open().update(status="met", needs_notice=False)


def handle_clock(matter) -> Deadline:
    return Deadline.objects.get(matter=matter, rule__key="dispute.handle")


def escalations_of(deadline) -> list[dict]:
    """The entries of the system escalation events that name ``deadline``, oldest first."""
    events = AuditEvent.objects.filter(event_code="deadlines.escalated").order_by("seq")
    entries = [entry for event in events for entry in event.after["escalations"]]
    return [entry for entry in entries if entry["deadline"] == deadline.pk]


def notices_for(deadline, code=None):
    rows = Notification.objects.filter(params__matter=deadline.matter.code)
    return rows.filter(code=code) if code else rows


def test_an_overdue_step_escalates_exactly_once_however_often_the_sweep_runs():
    matter = make_handling_matter()
    clock = handle_clock(matter)
    day_after = clock.due_date + timedelta(days=1)
    escalations_before = AuditEvent.objects.filter(event_code="deadlines.escalated").count()
    for _ in range(3):
        run_sweep(today=day_after)
    clock.refresh_from_db()
    assert (clock.status, clock.colour, clock.escalation_level) == ("overdue", "red", 2)
    assert not clock.needs_notice
    notice = SupervisionNotice.objects.get(deadline=clock)
    assert notice.response.rule.key == "supervision.report" and notice.response.supervises == clock
    assert notice.response.due_date > day_after - timedelta(days=1)
    entries = escalations_of(clock)
    assert entries == [{"deadline": clock.pk, "matter": matter.code, "from": 0, "to": 2,
                        "due_date": clock.due_date.isoformat(), "supervision_notice": notice.pk,
                        "report_due": notice.response.due_date.isoformat()}]
    assert AuditEvent.objects.filter(event_code="deadlines.escalated").count() == escalations_before + 1
    assert AuditEvent.objects.filter(event_code="deadlines.escalated").latest("seq").actor is None
    # The handler and the unit head (the justice office has none: its parent centre's director) get one
    # message each: overdue, supervised, report by the new date.
    supervision = notices_for(clock, "deadline.supervision")
    assert sorted(supervision.values_list("recipient__username", flat=True)) == [
        "qingshan.director", "qingshan.justice.handler"
    ]
    assert notice.response.due_date.isoformat() in supervision.first().text
    assert not notices_for(clock, "deadline.overdue").exists()


def test_the_ladder_climbs_to_the_centre_director_and_the_committee_once_each():
    matter = make_handling_matter()
    clock = handle_clock(matter)
    calendar = work_calendar()
    centre_day = calendar.add_working_days(clock.due_date, 3)
    committee_day = calendar.add_working_days(clock.due_date, 10)
    for today in (clock.due_date + timedelta(days=1), centre_day, centre_day, committee_day, committee_day):
        run_sweep(today=today)
    clock.refresh_from_db()
    assert clock.escalation_level == 4
    escalated = notices_for(clock, "deadline.escalated")
    assert escalated.filter(recipient=user("qingshan.director"), params__level=3).count() == 1
    committee = escalated.filter(params__level=4)
    assert committee.count() == 3 and {n.recipient.username for n in committee} == {
        "county.committee1", "county.committee2", "county.committee3"
    }
    assert SupervisionNotice.objects.filter(deadline=clock).count() == 1
    assert [(entry["from"], entry["to"]) for entry in escalations_of(clock)] == [(0, 2), (2, 3), (3, 4)]


def test_a_step_turns_yellow_and_the_handler_is_warned_once():
    matter = make_handling_matter()
    clock = handle_clock(matter)
    run_sweep(today=clock.yellow_on)
    run_sweep(today=clock.yellow_on)
    clock.refresh_from_db()
    assert (clock.status, clock.colour, clock.escalation_level) == ("running", "yellow", 1)
    warned = notices_for(clock, "deadline.due_soon")
    assert [n.recipient.username for n in warned] == ["qingshan.justice.handler"]
    assert clock.due_date.isoformat() in warned.get().text


def test_the_sweep_leaves_green_clocks_alone_and_skips_paused_ones():
    matter = make_handling_matter()
    clock = handle_clock(matter)
    report = run_sweep(today=clock.start_date)
    clock.refresh_from_db()
    assert clock.colour == "green" and not notices_for(clock).exists()
    Deadline.objects.filter(pk=clock.pk).update(status="paused", paused_on=clock.start_date)
    run_sweep(today=clock.due_date + timedelta(days=30))
    clock.refresh_from_db()
    assert clock.status == "paused" and clock.colour == "green"
    assert "overdue" in str(report)


def test_a_party_window_turns_red_without_supervision():
    matter = make_handling_matter(kind="dispute")
    actions.submit_feedback(matter, actor=user("qingshan.justice.handler"), result="已调解。")
    review = Deadline.objects.get(matter=matter, rule__key="dispute.review")
    Deadline.objects.filter(pk=review.pk).update(escalates=False)
    run_sweep(today=review.due_date + timedelta(days=1))
    review.refresh_from_db()
    assert (review.colour, review.escalation_level) == ("red", 2)
    assert not SupervisionNotice.objects.filter(deadline=review).exists()
    assert notices_for(review, "deadline.overdue").exists()
    assert not notices_for(review, "deadline.escalated").exists()


def test_the_sweep_bound_leaves_the_rest_for_the_next_sweep(settings):
    clocks = [handle_clock(make_handling_matter()) for _ in range(3)]
    settings.DEADLINE_SWEEP_MAX_NOTICES = 2
    report = run_sweep(today=clocks[0].due_date + timedelta(days=1))
    assert (report.handled, report.pending) == (2, 1)
    report = run_sweep(today=clocks[0].due_date + timedelta(days=1))
    assert (report.handled, report.pending, report.turned_red) == (1, 0, 0)
    assert Deadline.objects.filter(pk__in=[c.pk for c in clocks], escalation_level=2).count() == 3


def test_sweep_command_prints_a_summary():
    matter = make_handling_matter()
    clock = handle_clock(matter)
    out = StringIO()
    call_command("deadlines", "sweep", "--date", (clock.due_date + timedelta(days=1)).isoformat(), stdout=out)
    assert "overdue" in out.getvalue() and "supervision notices" in out.getvalue()


def test_notifications_are_delivered_once_through_the_backends(outbox):
    matter = make_handling_matter()
    clock = handle_clock(matter)
    run_sweep(today=clock.due_date + timedelta(days=1))
    created = notices_for(clock).count()
    assert created == 2  # handler and unit head: one supervision message each
    assert deliver_pending() >= created
    assert deliver_pending() == 0
    assert any(matter.code in message.text for message in outbox)
    assert not Notification.objects.filter(delivered_at__isnull=True).exists()


def test_the_console_backend_prints_each_message(capsys, settings):
    settings.NOTIFICATION_BACKENDS = ["sanbao.deadlines.delivery.ConsoleBackend"]
    matter = make_handling_matter()
    run_sweep(today=handle_clock(matter).yellow_on)
    deliver_pending()
    assert matter.code in capsys.readouterr().out


def test_sweep_runs_today_by_default():
    matter = make_handling_matter()
    today = timezone.localdate()
    report = run_sweep()
    assert report.today == today and handle_clock(matter).colour == "green"


def test_the_demo_catch_up_keeps_its_notices_in_the_inbox(outbox):
    from sanbao.deadlines.demo import catch_up

    matter = make_handling_matter()
    clock = handle_clock(matter)
    today = timezone.localdate()
    Deadline.objects.filter(pk=clock.pk).update(start_date=today - timedelta(days=40),
                                                due_date=today - timedelta(days=30))
    catch_up()
    clock.refresh_from_db()
    assert clock.escalation_level == 4 and SupervisionNotice.objects.filter(deadline=clock).exists()
    assert notices_for(clock).exists() and not notices_for(clock).filter(delivered_at__isnull=True).exists()
    assert deliver_pending() == 0 and outbox == []
