"""Titles and snippets in lists are masked like the parties; the matter's own page shows them as written.

Clerks write names and numbers into titles ("张小明（13812345678）反映…"); every list, search result,
candidate and board that shows a title masks them (``Matter.listed_title``, ``personal.redact``).
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sanbao.deadlines.models import Deadline
from sanbao.deadlines.sweep import run_sweep
from sanbao.matters import actions
from sanbao.matters.models import Matter
from sanbao.matters.personal import mask_id_number
from sanbao.matters.tests.factories import applicant, make_handling_matter, make_matter, resident_id, user

pytestmark = pytest.mark.django_db

TITLE = "张小明（13812345678）反映东塘村排水沟堵塞"
MASKED_TITLE = "张**（138****5678）反映东塘村排水沟堵塞"
NARRATIVE = f"申请人张小明，身份证号{resident_id()}，称屋后排水沟被邻居填埋，雨天积水倒灌。"


def written(**fields):
    return make_matter(**{"title": TITLE, "narrative": NARRATIVE} | fields)


def titles_by_code(response) -> dict:
    return {row["code"]: row["title"] for row in response.json()["results"]}


def shows_masked(content: str) -> bool:
    return MASKED_TITLE in content and "张小明" not in content and "13812345678" not in content


def test_the_matter_list_and_its_search_show_the_title_masked(client_as):
    matter = written()
    director = client_as("qingshan.director")
    assert shows_masked(director.get("/matters/").content.decode())
    ranked = director.get("/matters/", {"q": "排水沟"}).content.decode()
    assert matter.code in ranked and shows_masked(ranked)
    assert resident_id() not in ranked and mask_id_number(resident_id())[-12:] in ranked  # in the snippet
    # The matter's own page shows what the clerk wrote.
    assert TITLE in director.get(f"/matters/{matter.code}/").content.decode()


def test_the_search_page_and_the_search_api_mask_title_and_snippet(client_as, api_as):
    matter = written()
    page = client_as("qingshan.clerk").get("/search/", {"q": "排水沟"}).content.decode()
    assert matter.code in page and shows_masked(page)
    hit = api_as("qingshan.clerk").get("/api/v1/search/", {"q": "排水沟"}).json()["results"][0]
    assert hit["title"] == MASKED_TITLE
    assert "张小明" not in hit["snippet"] and mask_id_number(resident_id())[-12:] in hit["snippet"]


def test_the_api_list_masks_and_the_detail_does_not(api_as):
    matter = written()
    client = api_as("qingshan.director")
    assert titles_by_code(client.get("/api/v1/matters/"))[matter.code] == MASKED_TITLE
    assert titles_by_code(client.get("/api/v1/matters/", {"q": "排水沟"}))[matter.code] == MASKED_TITLE
    assert client.get(f"/api/v1/matters/{matter.code}/").json()["title"] == TITLE


def test_duplicate_candidates_mask_the_earlier_matters_title(client_as, api_as):
    matter = written()
    body = {"title": "排水沟堵塞", "narrative": NARRATIVE, "phones": ["13812345678"]}
    found = api_as("qingshan.clerk").post("/api/v1/intake/duplicates/candidates/", body, format="json").json()
    assert {row["code"]: row["title"] for row in found}[matter.code] == MASKED_TITLE
    fragment = client_as("qingshan.clerk").post("/intake/duplicates/candidates/", body).content.decode()
    assert matter.code in fragment and shows_masked(fragment)


def test_the_party_lookup_and_the_deadline_board_mask_the_title(client_as):
    matter = make_handling_matter(title=TITLE, narrative=NARRATIVE)
    lookup = client_as("qingshan.clerk").get("/matters/parties/lookup/", {"phone": "13812345678"})
    assert matter.code in lookup.content.decode() and shows_masked(lookup.content.decode())
    clock = Deadline.objects.get(matter=matter, rule__key="dispute.handle")
    run_sweep(today=clock.due_date + timedelta(days=1))
    board = client_as("qingshan.director").get("/deadlines/").content.decode()
    assert matter.code in board and shows_masked(board)


def test_an_organisations_name_is_not_masked(api_as):
    company = {"party_type": "organisation", "role": "respondent", "name": "金桥物流", "id_type": ""}
    company |= {"id_number": "", "phone": "", "address": ""}
    matter = written(title="金桥物流拖欠张小明工资", parties=[applicant(), company])
    assert titles_by_code(api_as("qingshan.director").get("/api/v1/matters/"))[matter.code] == "金桥物流拖欠张**工资"


# --- The matter's own page: as written for those handling it, masked for overseers ---------------------------

OVERSEER = "county.committee1"  # sees every matter of the county, handles none


def test_the_matter_page_masks_free_text_for_an_overseer_and_not_for_the_centre(client_as, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    matter = written()
    photo = SimpleUploadedFile("张小明门前.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    actions.add_attachments(matter, actor=user("qingshan.clerk"), files=[photo], purpose="intake")
    actions.add_note(matter, actor=user("qingshan.director"), text="已电话联系张小明（13812345678），约定周五到场。")
    centre = client_as("qingshan.director").get(f"/matters/{matter.code}/").content.decode()
    assert TITLE in centre and NARRATIVE in centre and "张小明（13812345678），约定" in centre
    overseer = client_as(OVERSEER).get(f"/matters/{matter.code}/").content.decode()
    assert MASKED_TITLE in overseer and "张**（138****5678），约定周五到场" in overseer
    assert "张小明" not in overseer and "13812345678" not in overseer and resident_id() not in overseer
    assert "屋后排水沟被邻居填埋" in overseer  # the case itself stays readable
    # Files open only for those handling it (403 otherwise): no link, and the file's name masked too.
    assert "/attachments/" in centre and "/attachments/" not in overseer and "张**门前.pdf" in overseer


def test_the_api_detail_and_timeline_mask_free_text_for_an_overseer(api_as):
    matter = written()
    actions.add_note(matter, actor=user("qingshan.director"), text="张小明来电，电话13812345678。")
    url = f"/api/v1/matters/{matter.code}/"
    centre, overseer = api_as("qingshan.director").get(url).json(), api_as(OVERSEER).get(url).json()
    assert (centre["title"], centre["narrative"]) == (TITLE, NARRATIVE)
    assert overseer["title"] == MASKED_TITLE and "张小明" not in overseer["narrative"]
    assert not overseer["can_reveal"] and mask_id_number(resident_id()) in overseer["narrative"]
    notes = [row["note"] for row in api_as(OVERSEER).get(url + "timeline/").json() if row["note"]]
    assert notes == ["张**来电，电话138****5678。"]
    notes = [row["note"] for row in api_as("qingshan.director").get(url + "timeline/").json() if row["note"]]
    assert notes == ["张小明来电，电话13812345678。"]


def test_only_those_who_read_the_text_as_written_may_correct_it(api_as):
    matter = written()
    url = f"/api/v1/matters/{matter.code}/"
    county = api_as("county.director")  # may correct details of the county's matters, reads them masked
    stars = "申请人张**，身份证号360921********0018，称排水沟被填埋。"  # what they would send back
    refused = county.patch(url, {"narrative": stars}, format="json")
    assert refused.status_code == 403 and refused.json()["field"] == "narrative"
    fresh = Matter.objects.get(pk=matter.pk)
    assert (fresh.narrative, fresh.version) == (NARRATIVE, matter.version)
    assert county.patch(url, {"risk_level": "medium"}, format="json").status_code == 200
    township = api_as("qingshan.director").patch(url, {"title": "张小明反映排水沟堵塞"}, format="json")
    assert township.status_code == 200 and township.json()["title"] == "张小明反映排水沟堵塞"
    # The timeline's record of the change is masked for the overseer too.
    changes = [row["changes"] for row in api_as(OVERSEER).get(url + "timeline/").json() if "title" in row["changes"]]
    assert changes == [{"title": [MASKED_TITLE, "张**反映排水沟堵塞"]}]
