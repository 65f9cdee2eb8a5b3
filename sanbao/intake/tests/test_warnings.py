"""Early warnings: raised from matters of several people about one site, refreshed, assigned, closed; authorization."""

import pytest

from sanbao.audit.models import AuditEvent
from sanbao.core.errors import PermissionDenied, ValidationFailed
from sanbao.deadlines.models import Notification
from sanbao.intake import actions
from sanbao.intake.choices import WarningLevel, WarningStatus
from sanbao.intake.early_warning import Thresholds, recompute_warnings
from sanbao.intake.models import EarlyWarning
from sanbao.matters.tests.factories import applicant, make_matter, resident_id
from sanbao.org.models import Unit

pytestmark = pytest.mark.django_db

TEXT = (
    "我住在丽景花园{n}栋，小区旁边的混凝土搅拌站日夜施工，噪音和粉尘严重，老人孩子无法休息，"
    "多次投诉无果，业主们商量要到搅拌站门口堵路，请尽快处理。"
)
# The same complaint, where the owners say they will petition instead.
PETITION_TEXT = TEXT.replace("要到搅拌站门口堵路", "要集体上访、依法维权")


def cluster(count=6, text=TEXT, first=0, title="丽景花园旁搅拌站噪音粉尘扰民", **where):
    """``count`` people about 丽景花园 (``where``: another area_code and the clerk who registers there).

    ``title`` may name the person (``{name}``)."""
    matters = []
    for number in range(first, first + count):
        number_id = resident_id(f"360921198001{10 + number:02d}012")
        person = applicant(name=f"业主{number}", id_number=number_id, phone=f"1390000{number:04d}")
        matters.append(
            make_matter(
                title=title.format(name=person["name"]),
                narrative=text.format(n=number + 1),
                parties=[person],
                place="丽景花园",
                **where,
            )
        )
    return matters


def warning_about(site="丽景花园"):
    return EarlyWarning.objects.filter(site__contains=site).first()


def test_several_people_about_one_site_raise_one_warning_that_a_refresh_updates(demo_users):
    members = cluster()
    make_matter(title="宅基地纠纷", narrative="与邻居因宅基地界址发生争执，请求调解。")
    first = recompute_warnings(thresholds=Thresholds())
    warning = warning_about()
    assert warning is not None and first.raised >= 1
    assert set(warning.matters.values_list("pk", flat=True)) == {matter.pk for matter in members}
    assert warning.people_count == 6 and warning.level == WarningLevel.HIGH  # 堵路: a severe word
    assert warning.area_code == "360921101000"
    assert AuditEvent.objects.filter(event_code="intake.warning_raised", object_id=str(warning.pk)).count() == 1
    assert Notification.objects.filter(recipient__username="qingshan.director", code="intake.early_warning").exists()
    members += cluster(2)
    recompute_warnings(thresholds=Thresholds())
    assert EarlyWarning.objects.filter(site=warning.site).count() == 1
    warning.refresh_from_db()
    assert warning.matter_count == 8


def test_saying_they_will_petition_does_not_make_a_warning_more_worrying(demo_users):
    """上访 and 维权 are lawful: six people raise a 中 warning for the grievance, not a 高 one for petitioning."""
    cluster(text=PETITION_TEXT)
    recompute_warnings(thresholds=Thresholds())
    warning = warning_about()
    assert warning.people_count == 6 and warning.level == WarningLevel.MEDIUM
    assert not {"上访", "维权", "集体"} & set(warning.risk_words)


def test_the_demo_keeps_the_notices_of_its_warnings_in_the_inbox(demo_users):
    cluster()
    recompute_warnings(thresholds=Thresholds(), send=False)
    notices = Notification.objects.filter(code="intake.early_warning", link__contains=f"/{warning_about().pk}/")
    assert notices.filter(recipient__username="qingshan.director").exists()
    assert not notices.filter(delivered_at__isnull=True).exists()


def test_a_warning_belongs_to_the_township_of_two_thirds_of_its_matters_else_to_the_county(demo_users):
    from sanbao.org.models import Area

    baisha = Area.objects.filter(code__startswith="360921102", level="village").order_by("code").first().code
    cluster(5)
    in_baisha = {"area_code": baisha, "actor": "baisha.clerk"}
    cluster(1, first=5, **in_baisha)  # one matter of 白沙镇 names the same compound
    recompute_warnings(thresholds=Thresholds())
    assert warning_about().area_code == "360921101000"
    cluster(4, first=6, **in_baisha)  # now 5 and 5: the county's
    recompute_warnings(thresholds=Thresholds())
    assert warning_about().area_code == "360921000000"


def test_the_clustering_knows_which_township_and_village_each_matter_is_in(demo_users):
    """So that 城关 of 城关育才中学 (in 城关街道, which the text need not name) is not taken for a site."""
    from sanbao.intake.early_warning import _area_names, _item
    from sanbao.org.models import Area

    village = Area.objects.filter(code__startswith="360921001", level="village").order_by("code").first()
    matter = make_matter("chengguan.clerk", title="城关育才中学门口交通拥堵", narrative="家长车辆乱停。",
                         area_code=village.code)
    item = _item(matter, _area_names([matter]))
    assert item.areas == ("城关街道", village.name)
    item.prepare()
    assert "城关" not in item.sites and "城关育才中学" in item.sites


def test_too_few_people_raise_nothing(demo_users):
    person = applicant()
    for _ in range(4):
        make_matter(title="丽景花园搅拌站噪音", narrative=TEXT.format(n=1), parties=[person])
    recompute_warnings(thresholds=Thresholds(min_people=3))
    assert warning_about() is None


def test_assign_and_close_are_audited_and_checked(demo_users):
    cluster()
    recompute_warnings(thresholds=Thresholds())
    warning = warning_about()
    unit = Unit.objects.get(name="青山镇司法所")
    with pytest.raises(PermissionDenied):
        actions.assign_warning(actor=demo_users["qingshan.clerk"], warning=warning, unit=unit)
    with pytest.raises(PermissionDenied):
        actions.assign_warning(actor=demo_users["baisha.director"], warning=warning, unit=unit)
    other_township_unit = Unit.objects.filter(area__code__startswith="360921102").exclude(unit_type="committee").first()
    with pytest.raises(ValidationFailed):
        actions.assign_warning(actor=demo_users["qingshan.director"], warning=warning, unit=other_township_unit)
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    actions.assign_warning(actor=demo_users["qingshan.director"], warning=warning, unit=unit, note="请司法所牵头排查")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ASSIGNED and warning.assigned_unit == unit
    assert AuditEvent.objects.order_by("-seq").first().event_code == "intake.warning_assigned"
    with pytest.raises(ValidationFailed):
        actions.close_warning(actor=demo_users["qingshan.director"], warning=warning, note=" ")
    actions.close_warning(actor=demo_users["qingshan.director"], warning=warning, note="已约谈搅拌站，夜间停工")
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED and warning.closed_at is not None
    assert AuditEvent.objects.order_by("-seq").first().event_code == "intake.warning_closed"
    # A closed warning is not reopened: the next wave raises a new one.
    recompute_warnings(thresholds=Thresholds())
    assert EarlyWarning.objects.filter(site=warning.site).count() == 2


def test_pages_authorization(client_as):
    cluster()
    recompute_warnings(thresholds=Thresholds())
    warning = warning_about()
    assert client_as(None).get("/intake/warnings/").status_code == 302
    assert client_as("qingshan.justice.handler").get("/intake/warnings/").status_code == 403
    page = client_as("qingshan.director").get("/intake/warnings/")
    assert page.status_code == 200 and warning.label in page.content.decode()
    assert warning.label not in client_as("baisha.director").get("/intake/warnings/").content.decode()
    assert client_as("baisha.director").get(f"/intake/warnings/{warning.pk}/").status_code == 404
    detail = client_as("county.committee1").get(f"/intake/warnings/{warning.pk}/")
    assert detail.status_code == 200 and "丽景花园旁搅拌站噪音粉尘扰民" in detail.content.decode()
    unit = Unit.objects.get(name="青山镇司法所")
    refused = client_as("qingshan.clerk").post(f"/intake/warnings/{warning.pk}/assign/", {"unit": unit.pk})
    assert refused.status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    assert (
        client_as("baisha.director").post(f"/intake/warnings/{warning.pk}/assign/", {"unit": unit.pk}).status_code
        == 404
    )
    client_as("qingshan.director").post(f"/intake/warnings/{warning.pk}/assign/", {"unit": unit.pk})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.ASSIGNED


def test_home_card_shows_open_warnings_to_directors(client_as):
    cluster()
    recompute_warnings(thresholds=Thresholds())
    home = client_as("qingshan.director").get("/")
    assert home.status_code == 200 and 'id="warnings-card"' in home.content.decode()
    assert "6 人</span>" in home.content.decode()
    assert 'id="warnings-card"' not in client_as("qingshan.justice.handler").get("/").content.decode()


def test_api_list_assign_close(api_as):
    cluster()
    recompute_warnings(thresholds=Thresholds())
    warning = warning_about()
    assert api_as(None).get("/api/v1/intake/warnings/").status_code in (401, 403)
    assert api_as("qingshan.justice.handler").get("/api/v1/intake/warnings/").status_code == 403
    listed = api_as("qingshan.director").get("/api/v1/intake/warnings/")
    assert listed.status_code == 200 and warning.pk in [item["id"] for item in listed.json()]
    assert api_as("baisha.director").get(f"/api/v1/intake/warnings/{warning.pk}/").status_code == 404
    unit = Unit.objects.get(name="青山镇司法所")
    denied = api_as("qingshan.clerk").post(f"/api/v1/intake/warnings/{warning.pk}/assign/", {"unit": unit.pk})
    assert denied.status_code == 403
    assigned = api_as("qingshan.director").post(f"/api/v1/intake/warnings/{warning.pk}/assign/", {"unit": unit.pk})
    assert assigned.status_code == 200 and assigned.json()["status"] == "assigned"
    assert len(assigned.json()["matters"]) == 6
    closed = api_as("qingshan.director").post(f"/api/v1/intake/warnings/{warning.pk}/close/", {"note": "已处理"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


def test_the_members_titles_are_masked_on_the_warning_page(client_as):
    cluster(title="{name}反映丽景花园旁搅拌站噪音扰民")
    recompute_warnings(thresholds=Thresholds())
    page = client_as("qingshan.director").get(f"/intake/warnings/{warning_about().pk}/").content.decode()
    assert page.count("业**反映丽景花园旁搅拌站噪音扰民") == 6 and "业主0" not in page


def test_close_page_authorization(client_as):
    cluster()
    recompute_warnings(thresholds=Thresholds())
    warning = warning_about()
    assert client_as(None).post(f"/intake/warnings/{warning.pk}/close/", {"note": "x"}).status_code == 302
    assert client_as("baisha.director").post(f"/intake/warnings/{warning.pk}/close/", {"note": "x"}).status_code == 404
    client_as("qingshan.clerk").post(f"/intake/warnings/{warning.pk}/close/", {"note": "x"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.OPEN
    client_as("qingshan.director").post(f"/intake/warnings/{warning.pk}/close/", {"note": "已处理", "dismiss": "1"})
    warning.refresh_from_db()
    assert warning.status == WarningStatus.DISMISSED
