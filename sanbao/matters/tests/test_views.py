"""The matters pages: authorization matrix, intake validation, operations, reveal, list, queues, help."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sanbao.audit.models import AuditEvent
from sanbao.matters.models import Assignment, Matter, Party
from sanbao.matters.tests.factories import (
    JUSTICE_OFFICE,
    default_category,
    invalid_resident_id,
    make_assigned_matter,
    make_handling_matter,
    make_matter,
    resident_id,
    unit,
)
from sanbao.matters.tests.helpers import audit_codes_since, last_seq

pytestmark = pytest.mark.django_db


def detail(matter) -> str:
    return reverse("matters:matter_detail", args=[matter.code])


def operation(matter, verb: str) -> str:
    return reverse("matters:matter_operation", args=[matter.code, verb])


def offered(response) -> list[str]:
    return re.findall(r'data-operation="(\w+)"', response.content.decode())


def snapshot(matter) -> tuple:
    fresh = Matter.objects.get(pk=matter.pk)
    return fresh.state, fresh.version, fresh.lead_unit_id, Assignment.objects.filter(matter=matter).count()


# --- Authorization matrix -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["matters:matter_list", "matters:matter_new", "matters:queue_index", "matters:workflow_help"],
)
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(reverse(url))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anonymous_gets_login_for_a_matter_and_cannot_act(client):
    matter = make_matter()
    before = snapshot(matter)
    assert "/accounts/login/" in client.get(detail(matter))["Location"]
    response = client.post(operation(matter, "accept"), {"accept-version": matter.version})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert snapshot(matter) == before


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("qingshan.clerk", 200),
        ("qingshan.director", 200),
        ("county.committee1", 200),
        ("baisha.clerk", 404),  # another township's centre
        ("baisha.director", 404),
        ("qingshan.justice.handler", 404),  # a unit the matter is not assigned to
        ("police.handler1", 404),
        ("auditadmin", 404),
    ],
)
def test_matter_page_by_jurisdiction(client_as, username, status):
    matter = make_matter()
    assert client_as(username).get(detail(matter)).status_code == status


def test_out_of_scope_page_is_an_audited_denial(client_as):
    matter = make_matter()
    seq = last_seq()
    assert client_as("baisha.clerk").get(detail(matter)).status_code == 404
    denial = AuditEvent.objects.filter(seq__gt=seq, event_code="auth.permission_denied").get()
    assert denial.object_id == str(matter.pk) and denial.after["reason"] == "out_of_jurisdiction"


def test_handler_sees_the_matter_once_its_unit_is_assigned(client_as):
    matter = make_assigned_matter()
    handler = client_as("qingshan.justice.handler")
    response = handler.get(detail(matter))
    assert response.status_code == 200
    assert offered(response) == ["sign", "send_back", "note"]
    assert client_as("baisha.police.handler").get(detail(matter)).status_code == 404


def test_page_offers_only_what_the_user_may_do_now(client_as):
    matter = make_matter()
    assert offered(client_as("qingshan.clerk").get(detail(matter))) == ["accept", "refuse", "note"]
    assert "assign" in offered(client_as("qingshan.director").get(detail(matter)))
    assert offered(client_as("county.committee1").get(detail(matter))) == ["note", "supervise"]


def test_operation_not_offered_is_403_audited_and_changes_nothing(client_as):
    matter = make_matter()
    clerk = client_as("qingshan.clerk")
    before, seq = snapshot(matter), last_seq()
    data = {"assign-version": matter.version, "assign-lead_unit": unit(JUSTICE_OFFICE).pk}
    response = clerk.post(operation(matter, "assign"), data)
    assert response.status_code == 403
    assert snapshot(matter) == before
    codes = list(AuditEvent.objects.filter(seq__gt=seq).values_list("event_code", "after"))
    assert codes == [("auth.permission_denied", {"reason": "verb_not_offered:assign"})], codes


def test_operation_on_a_matter_out_of_scope_is_404_and_changes_nothing(client_as):
    matter = make_matter()
    before = snapshot(matter)
    data = {"assign-version": matter.version, "assign-lead_unit": unit(JUSTICE_OFFICE).pk}
    assert client_as("baisha.director").post(operation(matter, "assign"), data).status_code == 404
    assert snapshot(matter) == before


def test_unknown_operation_is_404(client_as):
    matter = make_matter()
    assert client_as("qingshan.director").post(operation(matter, "explode"), {}).status_code == 404


def test_handler_of_another_unit_cannot_sign(client_as):
    matter = make_assigned_matter()
    before = snapshot(matter)
    response = client_as("qingshan.handler").post(operation(matter, "sign"), {"sign-version": matter.version})
    assert response.status_code == 404
    assert snapshot(matter) == before


# --- Operations through the page ------------------------------------------------------------------


def test_assign_through_the_page_and_htmx_redirect(client_as):
    matter = make_matter()
    data = {"assign-version": matter.version, "assign-lead_unit": unit(JUSTICE_OFFICE).pk,
            "assign-instructions": "请调处"}
    response = client_as("qingshan.director").post(operation(matter, "assign"), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == detail(matter)
    fresh = Matter.objects.get(pk=matter.pk)
    assert fresh.state == "assigned" and fresh.lead_unit.name == JUSTICE_OFFICE


def test_missing_input_is_shown_on_the_field_and_nothing_changes(client_as):
    matter = make_handling_matter()
    before = snapshot(matter)
    response = client_as("qingshan.justice.handler").post(
        operation(matter, "feedback"), {"feedback-version": matter.version, "feedback-result": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="operation-feedback-form"' in html and 'id="id_feedback-result_error"' in html
    assert snapshot(matter) == before


def test_domain_error_from_the_verb_is_shown_on_its_field(client_as):
    matter = make_handling_matter()
    director = client_as("qingshan.director")
    before = snapshot(matter)
    data = {"review-version": matter.version, "review-decision": "return", "review-comment": ""}
    # Review is not offered while the unit is still handling: refused before the verb runs.
    assert director.post(operation(matter, "review"), data).status_code == 403
    assert snapshot(matter) == before


def test_stale_version_gives_a_conflict_message_and_changes_nothing(client_as):
    matter = make_matter()
    seen = matter.version
    client_as("qingshan.clerk").post(operation(matter, "note"), {"note-text": "当事人补充了材料。"})
    before = snapshot(matter)
    data = {"assign-version": seen, "assign-lead_unit": unit(JUSTICE_OFFICE).pk}
    response = client_as("qingshan.director").post(operation(matter, "assign"), data, follow=True)
    assert snapshot(matter) == before and before[1] == seen + 1
    assert response.status_code == 200 and 'class="alert alert-danger' in response.content.decode()


# --- Parties: masked, revealed only to those handling the matter ------------------------------------


def test_parties_are_masked_and_revealed_with_an_audit_event(client_as):
    matter = make_matter()
    party = matter.parties.get()
    clerk = client_as("qingshan.clerk")
    page = clerk.get(detail(matter)).content.decode()
    assert party.id_number not in page and party.masked_id_number in page and party.phone not in page
    seq = last_seq()
    response = clerk.post(reverse("matters:party_reveal", args=[matter.code, party.pk]))
    assert response.status_code == 200 and party.id_number in response.content.decode()
    event = AuditEvent.objects.filter(seq__gt=seq, event_code="privacy.personal_data_viewed").get()
    assert event.object_id == str(party.pk)


def test_overseers_see_masked_data_and_cannot_reveal(client_as):
    matter = make_matter()
    party = matter.parties.get()
    committee = client_as("county.committee1")
    page = committee.get(detail(matter)).content.decode()
    assert party.id_number not in page and "matters:party_reveal" not in page
    assert reverse("matters:party_reveal", args=[matter.code, party.pk]) not in page
    seq = last_seq()
    response = committee.post(reverse("matters:party_reveal", args=[matter.code, party.pk]))
    assert response.status_code == 403 and party.id_number not in response.content.decode()
    assert not AuditEvent.objects.filter(seq__gt=seq, event_code="privacy.personal_data_viewed").exists()


# --- Intake --------------------------------------------------------------------------------------


def intake_data(**overrides) -> dict:
    data = {
        "kind": "dispute", "category": default_category("dispute").pk, "title": "东塘村排水沟纠纷",
        "narrative": "两户村民因排水沟走向发生争执。", "risk_level": "low", "source_channel": "visit",
        "received_at": "2026-01-05T09:30", "township": "360921101000", "village": "360921101001", "grid": "",
        "place": "东塘村三组", "people_count": "2",
        "parties-TOTAL_FORMS": "1", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "0",
        "parties-MAX_NUM_FORMS": "1000", "parties-0-party_type": "person", "parties-0-role": "applicant",
        "parties-0-name": "王建国", "parties-0-id_type": "resident_id", "parties-0-id_number": resident_id(),
        "parties-0-phone": "13812345678", "parties-0-address": "青山镇东塘村",
    }
    data.update(overrides)
    return data


def test_intake_registers_and_redirects_to_the_matter(client_as):
    before = Matter.objects.count()
    response = client_as("qingshan.clerk").post(reverse("matters:matter_new"), intake_data())
    assert response.status_code == 302
    matter = Matter.objects.order_by("-id").first()
    assert Matter.objects.count() == before + 1 and response["Location"] == detail(matter)
    assert matter.code.startswith("JF-360921101-") and matter.parties.get().name == "王建国"


def test_bad_id_number_is_reported_on_the_field_and_nothing_is_saved(client_as):
    matters, parties = Matter.objects.count(), Party.objects.count()
    data = intake_data(**{"parties-0-id_number": invalid_resident_id()})
    response = client_as("qingshan.clerk").post(reverse("matters:matter_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_parties-0-id_number_error">([^<]+)<', html)
    assert error and "check digit" in error.group(1).lower() or "校验" in error.group(1)
    assert Matter.objects.count() == matters and Party.objects.count() == parties


def test_missing_fields_and_foreign_area_are_reported_next_to_them(client_as):
    count = Matter.objects.count()
    data = intake_data(title="", township="360921102000", village="")
    response = client_as("qingshan.clerk").post(reverse("matters:matter_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_title_error"' in html and 'id="id_township_error"' in html
    assert Matter.objects.count() == count


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_intake_attachment_is_stored_and_downloaded_only_within_scope(client_as, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    data = intake_data(attachments=SimpleUploadedFile("现场照片.png", PNG, content_type="image/png"))
    assert client_as("qingshan.clerk").post(reverse("matters:matter_new"), data).status_code == 302
    matter = Matter.objects.order_by("-id").first()
    attachment = matter.attachments.get()
    url = reverse("matters:attachment_download", args=[matter.code, attachment.pk])
    director, overseer = client_as("qingshan.director"), client_as("county.committee1")  # (logins are audited)
    seq = last_seq()
    response = director.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert audit_codes_since(seq) == ["privacy.personal_data_viewed"]
    assert client_as("baisha.director").get(url).status_code == 404
    # Seeing the matter is not handling it: an overseer gets 403 (audited), as through the API.
    seq = last_seq()
    assert overseer.get(url).status_code == 403
    assert audit_codes_since(seq) == ["auth.permission_denied"]


def test_renamed_executable_is_refused_on_the_attachments_field(client_as, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    count = Matter.objects.count()
    data = intake_data(attachments=SimpleUploadedFile("photo.png", b"MZ\x90\x00binary", content_type="image/png"))
    response = client_as("qingshan.clerk").post(reverse("matters:matter_new"), data)
    assert response.status_code == 400 and 'id="id_attachments_error"' in response.content.decode()
    assert Matter.objects.count() == count


def test_handlers_cannot_open_intake(client_as):
    assert client_as("qingshan.justice.handler").get(reverse("matters:matter_new")).status_code == 403


def test_intake_pickers_stay_in_jurisdiction(client_as):
    clerk = client_as("qingshan.clerk")
    villages = clerk.get(reverse("matters:area_options"), {"level": "village", "township": "360921101000"})
    assert "360921101001" in villages.content.decode()
    foreign = clerk.get(reverse("matters:area_options"), {"level": "village", "township": "360921102000"})
    assert "360921102001" not in foreign.content.decode()
    petitions = clerk.get(reverse("matters:category_options"), {"kind": "petition"}).content.decode()
    assert "城乡建设" in petitions and "婚姻家庭" not in petitions


def test_party_lookup_finds_earlier_matters_masked_within_scope(client_as):
    matter = make_matter()
    params = {"parties-0-id_number": resident_id()}
    found = client_as("qingshan.clerk").get(reverse("matters:party_lookup"), params).content.decode()
    assert matter.code in found and resident_id() not in found
    elsewhere = client_as("baisha.clerk").get(reverse("matters:party_lookup"), params).content.decode()
    assert matter.code not in elsewhere


# --- List, queues, help ----------------------------------------------------------------------------


def test_list_filters_by_kind_and_stays_in_jurisdiction(client_as):
    dispute, petition = make_matter(), make_matter(kind="petition")
    foreign = make_matter("baisha.clerk", area_code="360921102001")
    response = client_as("qingshan.director").get(reverse("matters:matter_list"), {"kind": "petition"})
    html = response.content.decode()
    assert petition.code in html and dispute.code not in html and foreign.code not in html


def test_list_htmx_request_gets_the_table_fragment_only(client_as):
    matter = make_matter()
    response = client_as("qingshan.director").get(reverse("matters:matter_list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert matter.code in html and 'id="matter-table"' in html and "<html" not in html


def listed(html: str) -> list[str]:
    return re.findall(r'font-monospace" href="/matters/([^/]+)/"', html)


def test_keyset_pages_do_not_repeat_or_skip(client_as):
    codes = {make_matter(title=f"翻页测试{number}").code for number in range(30)}
    director = client_as("qingshan.director")
    # A column sort keeps the keyword a filter, in keyset pages.
    seen, params = [], {"q": "翻页测试", "sort": "-received_at"}
    while True:
        html = director.get(reverse("matters:matter_list"), params).content.decode()
        seen += listed(html)
        cursor = re.search(r'rel="next" href="\?[^"]*after=([^"&]+)', html)
        if not cursor:
            break
        params = {"q": "翻页测试", "sort": "-received_at", "after": cursor.group(1)}
    assert len(seen) == len(set(seen)) == 30 and set(seen) == codes


def test_ranked_pages_do_not_repeat_or_skip(client_as):
    strong = make_matter(title="翻页测试翻页测试", narrative="翻页测试，翻页测试。")
    codes = [make_matter(title=f"翻页测试{number}").code for number in range(30)]
    director = client_as("qingshan.director")
    pages, url = [], f"{reverse('matters:matter_list')}?q=翻页测试"
    while url:
        html = director.get(url).content.decode()
        pages.append(listed(html))
        following = re.search(r'rel="next" href="(\?[^"]*)"', html)
        url = reverse("matters:matter_list") + following.group(1).replace("&amp;", "&") if following else None
    assert "page=2" in director.get(f"{reverse('matters:matter_list')}?q=翻页测试").content.decode()
    seen = [code for page in pages for code in page]
    assert [len(page) for page in pages] == [25, 6]
    # Best match first, then equal matches newest first; no repeats across pages.
    assert seen == [strong.code, *codes[::-1]]


@pytest.mark.parametrize(
    ("params", "queries"),
    [
        ({"sort": "-received_at"}, 14),  # the page's parties' names are one query (masked titles)
        ({"q": "计数测试", "sort": "-received_at"}, 15),  # + the feedback of the page (snippets)
        ({"q": "计数测试"}, 16),  # ranked: + the ranked ids (scope and filters in one statement)
    ],
)
def test_list_query_count_does_not_grow_with_rows(client_as, django_assert_max_num_queries, params, queries):
    director = client_as("qingshan.director")
    url = reverse("matters:matter_list")
    director.get(url)  # warm the session and the caches of the first request
    for number in range(3):
        make_matter(title=f"计数测试{number}")
    with django_assert_max_num_queries(queries) as few:
        director.get(url, params)
    for number in range(3, 25):
        make_handling_matter(title=f"计数测试{number}")
    with django_assert_max_num_queries(queries) as many:
        director.get(url, params)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert not any("COUNT(" in query["sql"].upper() for query in many.captured_queries)


def test_keyword_ranks_by_relevance_with_snippets_in_jurisdiction(client_as):
    weak = make_matter(
        title="邻里纠纷", narrative="双方因榴莲摊位占道发生争执。", received_at=timezone.now() - timedelta(days=2)
    )
    strong = make_matter(title="榴莲摊位占道经营", narrative="榴莲摊位长期占道，榴莲气味大，居民多次投诉榴莲摊。")
    foreign = make_matter(
        "baisha.clerk", area_code="360921102001", title="榴莲榴莲", narrative="榴莲摊位榴莲榴莲。"
    )
    clerk = client_as("qingshan.clerk")
    html = clerk.get(reverse("matters:matter_list"), {"q": "榴莲"}).content.decode()
    assert listed(html) == [strong.code, weak.code] and foreign.code not in html
    assert '<div class="small text-body-secondary search-snippet">双方因<mark>榴莲</mark>摊位' in html
    assert '<option value="relevance" selected>相关度</option>' in html
    # An explicit sort by another column still filters by the words, and keeps the snippets.
    html = clerk.get(reverse("matters:matter_list"), {"q": "榴莲", "sort": "received_at"}).content.decode()
    assert listed(html) == [weak.code, strong.code] and "<mark>榴莲</mark>" in html
    assert '<option value="received_at" selected>' in html
    # Without a keyword there is no relevance to offer; the default sort has no value, so typing words ranks.
    html = clerk.get(reverse("matters:matter_list")).content.decode()
    assert 'value="relevance"' not in html and "search-snippet" not in html
    assert '<option value="">受理时间（新→旧）</option>' in html
    assert foreign.code not in client_as("qingshan.director").get(
        reverse("matters:matter_list"), {"q": "榴莲"}
    ).content.decode()


def test_htmx_keyword_update_swaps_the_table_and_the_sort_menu(client_as):
    matter = make_matter(narrative="村口孔雀园噪音扰民。")
    clerk = client_as("qingshan.clerk")
    fragment = clerk.get(
        reverse("matters:matter_list"), {"q": "孔雀", "sort": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<html" not in fragment and 'id="matter-table"' in fragment and matter.code in fragment
    assert "<mark>孔雀</mark>" in fragment
    oob = re.search(r'<select name="sort" id="id_sort" [^>]*hx-swap-oob="true">(.*?)</select>', fragment, re.S)
    assert oob and '<option value="relevance" selected>' in oob.group(1)
    cleared = clerk.get(reverse("matters:matter_list"), {"q": "", "sort": "relevance"}, HTTP_HX_REQUEST="true")
    oob = re.search(r'id="id_sort" [^>]*hx-swap-oob="true">(.*?)</select>', cleared.content.decode(), re.S)
    assert oob and 'value="relevance"' not in oob.group(1) and '<option value="">' in oob.group(1)
    # The full page has its own menu; queues (no menu) get no out-of-band swap of it.
    full = clerk.get(reverse("matters:matter_list"), {"q": "孔雀"}).content.decode()
    assert full.count('id="id_sort"') == 1 and not re.search(r'id="id_sort"[^>]*hx-swap-oob', full)
    queue = clerk.get(reverse("matters:queue", args=["to-handle"]), HTTP_HX_REQUEST="true")
    assert queue.status_code == 200 and 'id="id_sort"' not in queue.content.decode()


def test_queues_show_what_waits_for_each_role(client_as):
    matter = make_assigned_matter()
    handler = client_as("qingshan.justice.handler")
    to_sign = handler.get(reverse("matters:queue", args=["to-sign"])).content.decode()
    assert matter.code in to_sign
    assert matter.code not in handler.get(reverse("matters:queue", args=["to-handle"])).content.decode()
    assert handler.get(reverse("matters:queue", args=["to-review"])).status_code == 404
    fresh = make_matter()
    to_handle = client_as("qingshan.director").get(reverse("matters:queue", args=["to-handle"]))
    assert fresh.code in to_handle.content.decode()


def test_home_card_counts_the_queues(client_as):
    make_assigned_matter()
    html = client_as("qingshan.justice.handler").get(reverse("core:home")).content.decode()
    assert 'data-queue="to-sign"' in html


def test_workflow_help_draws_every_kind(client_as):
    html = client_as("qingshan.handler").get(reverse("matters:workflow_help")).content.decode()
    for kind in ("dispute", "petition", "hazard", "incident", "enterprise_request"):
        assert f'id="workflow-data-{kind}"' in html
    assert "echarts.min.js" in html
