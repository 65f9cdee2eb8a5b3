import ast
import gettext
import re
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


def _catalog_entries(po: Path) -> list[str]:
    """The entries of a .po file (the header dropped), each as its lines."""
    return [block for block in po.read_text().split("\n\n")[1:] if "msgid" in block]


CATALOGS = sorted(TEMPLATE_ROOT.glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parts[-5])
def test_every_chinese_translation_was_written_not_guessed(po):
    """No entry is untranslated or fuzzy, and none keeps a ``#| msgid`` line: that is makemessages'
    guess from a similar string (``Trained at`` offered for ``Raised at``) with its fuzzy flag removed
    instead of the text being checked."""
    guessed = [entry for entry in _catalog_entries(po) if "#| msgid" in entry or "#, fuzzy" in entry]
    untranslated = [entry for entry in _catalog_entries(po) if entry.rstrip().endswith('msgstr ""')]
    assert guessed == [] and untranslated == []


def _singular_messages(po: Path):
    """(msgid, msgstr) of the live singular entries of a .po file (obsolete ``#~`` ones dropped)."""
    quoted = re.compile(r'"(?:[^"\\]|\\.)*"')
    for entry in _catalog_entries(po):
        text = "\n".join(line for line in entry.splitlines() if not line.startswith("#"))
        if "msgstr" not in text or "msgid_plural" in text or "msgctxt" in text:
            continue
        source, translation = text.split("msgstr", 1)
        yield (
            "".join(ast.literal_eval(part) for part in quoted.findall(source)),
            "".join(ast.literal_eval(part) for part in quoted.findall(translation)),
        )


@pytest.mark.parametrize("po", CATALOGS, ids=lambda po: po.parts[-5])
def test_every_catalog_is_compiled(po):
    """The .mo Django reads holds what the .po says (``make messages`` compiles; a forgotten compile ships
    the old text)."""
    with po.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    messages = list(_singular_messages(po))
    assert len(messages) > 10
    assert [msgid for msgid, msgstr in messages if compiled.gettext(msgid) != msgstr] == []
