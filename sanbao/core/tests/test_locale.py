from pathlib import Path

import pytest

import sanbao

TEMPLATE_ROOT = Path(sanbao.__file__).parent


@pytest.mark.django_db
def test_pages_are_chinese_even_for_an_english_browser(client_as):
    client = client_as("qingshan.clerk")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


@pytest.mark.django_db
def test_language_cookie_switches_pages_to_english(client_as):
    client = client_as("qingshan.clerk")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/")
    assert 'lang="en"' in response.content.decode()


@pytest.mark.django_db
def test_api_honours_accept_language(api_as):
    english = api_as(None).get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE="en")
    chinese = api_as(None).get("/api/v1/units/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code
    assert english.json()["detail"] != chinese.json()["detail"]


def test_no_template_has_a_multi_line_short_comment():
    """``{# … #}`` cannot span lines in Django: the text would show on the page."""
    offenders = []
    for template in TEMPLATE_ROOT.glob("*/templates/**/*.html"):
        for number, line in enumerate(template.read_text().splitlines(), start=1):
            if "{#" in line and "#}" not in line.split("{#", 1)[1]:
                offenders.append(f"{template.relative_to(TEMPLATE_ROOT)}:{number}")
    assert offenders == []
