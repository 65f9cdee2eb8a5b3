import pytest
from django.http import Http404

from sanbao.audit.models import AuditEvent
from sanbao.org.jurisdiction import access_object, code_within, prefix_upper_bound
from sanbao.org.models import Area, Unit, User


def test_prefix_upper_bound_increments_and_stops_at_nines():
    assert prefix_upper_bound("360921101") == "360921102"
    assert prefix_upper_bound("3609") == "3610"
    assert prefix_upper_bound("99") is None


def test_code_within_all_nines_falls_back_to_startswith():
    assert "startswith" in str(code_within("code", "999"))


@pytest.mark.django_db
def test_township_clerk_sees_only_own_township_units_and_users(demo_users):
    clerk = demo_users["qingshan.clerk"]
    units = Unit.objects.visible_to(clerk)
    assert units.exists()
    assert all(unit.area.code.startswith("360921101") for unit in units)
    assert not units.filter(name__startswith="白沙").exists()
    users = User.objects.visible_to(clerk)
    assert users.filter(username="qingshan.director").exists()
    assert not users.filter(username="baisha.clerk").exists()
    assert not users.filter(username="county.director").exists()


@pytest.mark.django_db
def test_county_director_sees_every_township(demo_users):
    director = demo_users["county.director"]
    assert Area.objects.visible_to(director).filter(level="township").count() == 12
    assert User.objects.visible_to(director).filter(username="baisha.clerk").exists()


@pytest.mark.django_db
def test_access_object_gives_404_for_other_township_and_audits_it(demo_users):
    clerk = demo_users["qingshan.clerk"]
    other_unit = Unit.objects.get(name="白沙镇综治中心")
    before = AuditEvent.objects.count()
    with pytest.raises(Http404):
        access_object(clerk, Unit, pk=other_unit.pk)
    denial = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert denial.event_code == "auth.permission_denied"
    assert denial.object_id == str(other_unit.pk)
    assert denial.actor == clerk
    assert not denial.success


@pytest.mark.django_db
def test_access_object_missing_gives_404_without_event(demo_users):
    clerk = demo_users["qingshan.clerk"]
    before = AuditEvent.objects.count()
    with pytest.raises(Http404):
        access_object(clerk, Unit, pk=10**9)
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_access_object_returns_own_unit(demo_users):
    clerk = demo_users["qingshan.clerk"]
    assert access_object(clerk, Unit, pk=clerk.unit_id) == clerk.unit


@pytest.mark.django_db
def test_user_without_unit_sees_nothing():
    user = User.objects.create(username="nobody")
    assert not Unit.objects.visible_to(user).exists()
