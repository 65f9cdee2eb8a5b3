"""The UI shell: base layout, navigation by role, home cards, language switch and static assets."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from sanbao.core import home, navigation
from sanbao.core.templatetags.sanbao_ui import mask_phone

pytestmark = pytest.mark.django_db
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
TEMPLATE_DIRS = [Path(__file__).resolve().parents[2] / app / "templates" for app in ("core", "org")]


def card(response, key: str):
    return next(card for card in response.context["cards"] if card.key == key)


def nav_hrefs(response) -> set[str]:
    links = [link.href for link in response.context["sanbao_nav"]]
    links += [child.href for link in response.context["sanbao_nav"] for child in link.children]
    return set(links)


def test_anonymous_home_redirects_to_login(client_as):
    response = client_as(None).get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_clerk_home_is_chinese_with_role_and_jurisdiction_cards(client_as):
    response = client_as("qingshan.clerk").get(reverse("core:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "工作台" in html
    assert "登记员" in html  # role label
    assert "青山镇" in html  # the clerk's jurisdiction
    keys = [card.key for card in response.context["cards"]]
    assert keys.index("core.role") < keys.index("org.jurisdiction")
    assert not {"core.admin_tasks", "org.overview"} & set(keys)


def test_clerk_jurisdiction_counts_are_its_township_only(client_as):
    response = client_as("qingshan.clerk").get(reverse("core:home"))
    counts = card(response, "org.jurisdiction").context["counts"]
    assert counts.area.code == "360921101000"
    assert counts.levels["village"] == 13
    assert counts.levels["grid"] >= 26
    assert "township" not in counts.levels
    assert counts.users > 0


def test_leader_sees_county_overview_with_every_township(client_as):
    response = client_as("county.leader1").get(reverse("core:home"))
    keys = [card.key for card in response.context["cards"]]
    assert "org.overview" in keys
    overview = card(response, "org.overview").context
    assert len(overview["rows"]) == 12
    qingshan = next(row for row in overview["rows"] if row.area.code == "360921101000")
    assert qingshan.levels["village"] == 13
    assert qingshan.units >= 2


def test_clerk_does_not_see_county_overview(client_as):
    response = client_as("qingshan.clerk").get(reverse("core:home"))
    assert "org.overview" not in [card.key for card in response.context["cards"]]


def test_audit_admin_home_has_no_business_cards_and_links_audit_only_when_it_exists(client_as):
    response = client_as("auditadmin").get(reverse("core:home"))
    keys = [card.key for card in response.context["cards"]]
    assert "org.overview" not in keys
    assert ("core.admin_tasks" in keys) == (navigation.resolve_href("/audit/") is not None)


def test_system_admin_admin_tasks_link_only_existing_pages(client_as):
    response = client_as("sysadmin").get(reverse("core:home"))
    hrefs = [link["href"] for link in card(response, "core.admin_tasks").context["links"]]
    assert reverse("org:unit_list") in hrefs
    assert reverse("healthz") in hrefs


def test_nav_shows_org_pages_and_hides_audit_from_clerk(client_as):
    response = client_as("qingshan.clerk").get(reverse("core:home"))
    hrefs = nav_hrefs(response)
    assert {reverse("core:home"), reverse("org:area_list"), reverse("org:unit_list")} <= hrefs
    assert "/audit/" not in hrefs
    home_link = next(link for link in response.context["sanbao_nav"] if link.key == "home")
    assert home_link.active


def test_nav_entry_with_unresolvable_url_is_hidden(client_as, monkeypatch):
    for key, url in [("ghost", "/no-such-page/"), ("ghost2", "nope:missing")]:
        monkeypatch.setitem(navigation._registry, key, navigation.NavEntry(key, "Ghost", url))
    response = client_as("qingshan.clerk").get(reverse("core:home"))
    assert not {"ghost", "ghost2"} & {link.key for link in response.context["sanbao_nav"]}


def test_nav_entry_restricted_by_role(client_as, monkeypatch):
    entry = navigation.NavEntry("only_leaders", "Leaders", "core:home", roles=frozenset({"leader"}))
    monkeypatch.setitem(navigation._registry, "only_leaders", entry)
    clerk = client_as("qingshan.clerk").get(reverse("core:home"))
    leader = client_as("county.leader1").get(reverse("core:home"))
    assert "only_leaders" not in {link.key for link in clerk.context["sanbao_nav"]}
    assert "only_leaders" in {link.key for link in leader.context["sanbao_nav"]}


def test_registered_card_appears_for_its_roles_and_none_hides_it(client_as, monkeypatch):
    shown = {"links": [{"label": "X", "href": "/x/"}]}
    monkeypatch.setitem(home._cards, "test.shown", home.HomeCard(
        "test.shown", "core/cards/admin_tasks.html", lambda request: shown, frozenset({"clerk"}), 1,
    ))
    monkeypatch.setitem(home._cards, "test.hidden", home.HomeCard(
        "test.hidden", "core/cards/admin_tasks.html", lambda request: None, frozenset(), 2,
    ))
    clerk_keys = [card.key for card in client_as("qingshan.clerk").get("/").context["cards"]]
    handler_keys = [card.key for card in client_as("qingshan.handler").get("/").context["cards"]]
    assert clerk_keys[0] == "test.shown"  # order 1 comes before every shipped card
    assert "test.hidden" not in clerk_keys
    assert "test.shown" not in handler_keys


def test_layout_has_logout_post_form_language_switch_and_htmx_csrf(client_as):
    html = client_as("qingshan.clerk").get(reverse("core:home")).content.decode()
    assert f'<form method="post" action="{reverse("accounts:logout")}">' in html
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html
    assert 'hx-headers=\'{"X-CSRFToken": "' in html
    assert "vendor/htmx/htmx.min.js" in html
    assert "版本 0.1.0" in html or "Version" in html


def test_language_switch_shows_english(client_as):
    client = client_as("qingshan.clerk")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Home" in html and "My jurisdiction" in html
    assert "工作台" not in html


def test_messages_render_as_bootstrap_alerts(rf, demo_users):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = demo_users["qingshan.clerk"]
    request.session = {}
    storage = FallbackStorage(request)
    storage.add(40, "出错了")
    html = render_to_string("core/includes/messages.html", {"messages": storage}, request=request)
    assert 'class="alert alert-danger' in html and "出错了" in html


def test_vendored_static_files_exist_and_versions_are_pinned():
    for path in [
        "vendor/bootstrap/css/bootstrap.min.css",
        "vendor/bootstrap/js/bootstrap.bundle.min.js",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "vendor/bootstrap-icons/fonts/bootstrap-icons.woff2",
        "vendor/htmx/htmx.min.js",
        "vendor/echarts/echarts.min.js",
        "core/sanbao.css",
    ]:
        assert finders.find(path), path
    versions = (STATIC_DIR / "vendor" / "VERSIONS").read_text().splitlines()
    pinned = dict(line.split()[:2] for line in versions if not line.startswith("#"))
    assert set(pinned) == {"bootstrap", "bootstrap-icons", "htmx.org", "echarts"}
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in pinned.values())
    assert pinned["bootstrap"].startswith("5.3.") and pinned["htmx.org"].startswith("2.0.")


def test_templates_load_nothing_from_the_internet():
    remote = re.compile(r"""(src|href)=["']?(https?:)?//""")
    offenders = [
        str(path) for directory in TEMPLATE_DIRS for path in directory.rglob("*.html")
        if remote.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(("raw", "masked"), [
    ("13812341234", "138****1234"), ("0797-8123456", "079****3456"), ("12345", "***45"), ("", ""), (None, ""),
])
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_vendored_files_survive_manifest_collectstatic(tmp_path, settings):
    """Production hashes static names; every url()/sourceMappingURL inside the vendored files must resolve."""
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = staticfiles_storage.url("vendor/bootstrap-icons/bootstrap-icons.min.css")
    assert re.search(r"bootstrap-icons\.min\.[0-9a-f]{12}\.css$", hashed)
    css = next(tmp_path.glob("vendor/bootstrap-icons/bootstrap-icons.min.*.css")).read_text()
    assert re.search(r"fonts/bootstrap-icons\.[0-9a-f]{12}\.woff2", css)


def test_htmx_fragment_responses_vary_on_hx_request(client_as):
    client = client_as("qingshan.clerk")
    full = client.get(reverse("org:unit_list"))
    fragment = client.get(reverse("org:unit_list"), HTTP_HX_REQUEST="true")
    restore = client.get(
        reverse("org:unit_list"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "HX-Request" in full["Vary"] and "HX-Request" in fragment["Vary"]
    assert "<html" in full.content.decode() and "<html" not in fragment.content.decode()
    assert "<html" in restore.content.decode()
