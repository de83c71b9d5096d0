"""Real MkDocs builds of small fixture sites in tmp_path, through the real command line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scripts.core.project import Project
from scripts.site import linkcheck
from tests.conftest import ROOT, make_fixture_site, run_build

PROJECT = Project.load()

LANGS = [("de", "Deutsch"), ("en", "English"), ("ar", "العربية"), ("fa", "فارسی")]
PAGES = {
    "de/index.md": "---\ntitle: Start\ndescription: Startseite\n---\n# Start\n\nWillkommen. [Rechte](rechte.md)\n",
    "de/rechte.md": "---\ntitle: Ihre Rechte\n---\n# Ihre Rechte\n\n## Schutz\n\nDas Gewaltschutzgesetz schützt Sie.\n",
    "de/kinder.md": "# Kinder\n\nKinder haben ein Recht auf gewaltfreie Erziehung.\n",
    "en/index.md": "# Home\n\nWelcome. [Rights](rechte.md)\n",
    "en/rechte.md": "# Your rights\n\nThe Violence Protection Act protects you.\n",
    "ar/index.md": "# الصفحة الرئيسية\n\nمرحبا بكم. [حقوقك](rechte.md)\n",
    "ar/rechte.md": "# حقوقك\n\nالعنف الأسري جريمة في ألمانيا.\n",
    "fa/index.md": "# صفحه اصلی\n\nخوش آمدید. [حقوق شما](rechte.md)\n",
}
NAV = ["index.md", "rechte.md", "kinder.md"]


class _Doc(HTMLParser):
    """Minimal HTML model: attributes of <html>, switcher links, elements with lang."""

    def __init__(self, text: str):
        super().__init__()
        self.html: dict[str, str] = {}
        self.switcher: dict[str, str] = {}
        self.lang_blocks: list[dict[str, str]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html = a
        if tag == "a" and "md-select__link" in a.get("class", ""):
            self.switcher[a["hreflang"]] = a["href"]
        if a.get("lang") and tag != "html":
            self.lang_blocks.append({"tag": tag, **a})


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fixture")
    config = make_fixture_site(root, LANGS, PAGES, NAV)
    result = run_build(config)
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_every_language_has_every_page(fixture_site):
    for page in ("index.html", "rechte.html", "kinder.html"):
        assert (fixture_site / page).exists()
        for code in ("en", "ar", "fa"):
            assert (fixture_site / code / page).exists(), f"{code}/{page}"
    assert (fixture_site / "404.html").exists()


@pytest.mark.parametrize("rel,lang,direction", [
    ("index.html", "de", "ltr"), ("en/rechte.html", "en", "ltr"),
    ("ar/index.html", "ar", "rtl"), ("ar/kinder.html", "ar", "rtl"), ("fa/rechte.html", "fa", "rtl"),
])
def test_lang_and_dir_on_html(fixture_site, rel, lang, direction):
    doc = _Doc((fixture_site / rel).read_text(encoding="utf-8"))
    assert doc.html.get("lang") == lang and doc.html.get("dir") == direction


@pytest.mark.parametrize("rel", ["index.html", "rechte.html", "en/index.html", "ar/rechte.html",
                                 "fa/kinder.html", "404.html"])
def test_switcher_links_are_relative_and_resolve(fixture_site, rel):
    page = fixture_site / rel
    doc = _Doc(page.read_text(encoding="utf-8"))
    assert set(doc.switcher) == {"de", "en", "ar", "fa"}
    name = Path(rel).name if rel != "404.html" else "index.html"
    for code, href in doc.switcher.items():
        assert not href.startswith(("/", "http")), href
        target = (page.parent / href).resolve()
        assert target.is_file(), (rel, href)
        expected = fixture_site / name if code == "de" else fixture_site / code / name
        assert target == expected.resolve(), (rel, code, href)


def test_fallback_page_is_marked_german_with_notice(fixture_site):
    text = (fixture_site / "fa" / "kinder.html").read_text(encoding="utf-8")
    doc = _Doc(text)
    assert doc.html["lang"] == "fa" and doc.html["dir"] == "rtl"
    german = [b for b in doc.lang_blocks if b.get("lang") == "de" and b.get("dir") == "ltr"]
    assert german, "fallback content must be wrapped in lang=de dir=ltr"
    notice = re.search(r'<aside class="site-fallback"[^>]*>(.*?)</aside>', text, re.S)
    assert notice and PROJECT.strings("fa")["fallback_notice"] in notice.group(1)
    link = re.search(r'href="([^"]+)" hreflang="de"', notice.group(1)).group(1)
    assert (fixture_site / "fa" / link).resolve() == (fixture_site / "kinder.html").resolve()
    # the German content is inside the lang="de" block
    block = text.split('lang="de" dir="ltr"', 1)[1]
    assert "gewaltfreie Erziehung" in block
    # a translated page has no notice
    assert "site-fallback" not in (fixture_site / "fa" / "index.html").read_text(encoding="utf-8")


def test_per_language_search_index(fixture_site):
    indexes = {}
    for code, folder in [("de", fixture_site), ("en", fixture_site / "en"), ("ar", fixture_site / "ar"),
                         ("fa", fixture_site / "fa")]:
        data = json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8"))
        js = (folder / "search" / "search_index.js").read_text(encoding="utf-8")
        assert js.startswith("var __index = ")
        indexes[code] = data
        locations = [d["location"] for d in data["docs"]]
        assert locations and all(not loc.startswith(("en/", "ar/", "fa/")) for loc in locations), locations
    texts = {code: " ".join(d["title"] + " " + d["text"] for d in idx["docs"]) for code, idx in indexes.items()}
    assert "Gewaltschutzgesetz" in texts["de"] and "Violence Protection" not in texts["de"]
    assert "Violence Protection Act" in texts["en"] and "العنف" not in texts["en"]
    assert "العنف الأسري" in texts["ar"] and "Willkommen" not in texts["ar"]
    # German fallback pages stay searchable in the language that shows them
    assert "gewaltfreie Erziehung" in texts["fa"] and "خوش آمدید" in texts["fa"]
    # each language's own lunr plugin: the search normaliser, then its stemmer
    assert indexes["de"]["config"]["lang"] == ["sde"] and indexes["en"]["config"]["lang"] == ["sen"]
    # Material reads the index relative to the page's base: it must be the language root
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       (fixture_site / "ar" / "rechte.html").read_text(encoding="utf-8"), re.S).group(1)
    assert json.loads(config)["base"] in ("../ar/", "./")


def test_no_third_party_hosts_and_all_links_resolve(fixture_site):
    assert linkcheck.check_site(fixture_site) == []


def test_no_source_maps_and_no_cdn_urls(fixture_site):
    assert not list(fixture_site.rglob("*.map"))
    for path in [*fixture_site.rglob("*.js"), *fixture_site.rglob("*.css"), *fixture_site.rglob("*.html")]:
        text = path.read_text(encoding="utf-8")
        assert "sourceMappingURL" not in text, path
        for host in ("unpkg.com", "googleapis.com", "gstatic.com", "jsdelivr", "cdnjs"):
            assert host not in text, (path, host)


def test_every_page_has_strict_csp(fixture_site):
    for page in fixture_site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
        assert csp, page
        assert "default-src 'self'" in csp.group(1) and "http" not in csp.group(1)
        assert text.index("Content-Security-Policy") < text.index("<script")


def test_links_resolve_when_moved_under_a_subfolder(fixture_site, tmp_path):
    moved = tmp_path / "stadt" / "gewaltschutz"
    shutil.copytree(fixture_site, moved)
    assert linkcheck.check_site(moved) == []


def test_404_is_multilingual_with_relative_links(fixture_site):
    text = (fixture_site / "404.html").read_text(encoding="utf-8")
    assert 'href="/' not in text and 'src="/' not in text
    for code in ("de", "en", "ar", "fa"):
        strings = PROJECT.strings(code)
        assert strings["not_found_text"] in text and strings["language_name"] in text


# ---- bad input: clear errors, previous site kept --------------------------------------------


def _good_site(tmp_path: Path) -> tuple[Path, Path]:
    # four languages: the build runs two processes, so errors from the second one are checked too
    config = make_fixture_site(tmp_path, LANGS, PAGES, NAV)
    result = run_build(config)
    assert result.returncode == 0, result.stderr
    return config, tmp_path / "site"


@pytest.mark.parametrize("rel,data,expected", [
    ("en/rechte.md", b"---\ntitle: Your rights\ndescription: a: b\n---\n# X\n",
     "docs/en/rechte.md:3: front matter is not valid YAML"),
    ("xx/index.md", b"# X\n", "folder `xx` is not a language of this site"),
    ("en/kinder.md", "# Kinder\n\nÄrger\n".encode("latin-1"), "docs/en/kinder.md:3: file is not UTF-8 text"),
    ("en/rechts.md", b"# Typo in the file name\n",
     "docs/en/rechts.md:1: translation has no German source de/rechts.md"),
    ("de/Über uns.md", "# Über uns\n".encode(), "file name must use only lower-case letters"),
    ("ar/rechte.md", b"# X\n\n<script>alert(1)</script>\n", "docs/ar/rechte.md:3: handouts may not contain <script>"),
    ("../data/strings/de.yml", b"site_name: [broken\n", "data/strings/de.yml:2: invalid YAML"),
    ("../data/strings/fa.yml", b"site_name:\tx\n", "data/strings/fa.yml:1: invalid YAML"),
    ("../mkdocs.yml", b"site_name: a: b\n", "mkdocs.yml:1: invalid YAML"),
    ("../data/help.yml", b"entries:\n  - name: X\n    kind: helpline\n    checked: 2026-01-01\n",
     "data/help.yml:2: entry is missing the field `phone`"),
    ("../data/emergency.yml", b"- label: emergency_police\n  phone: call us\n",
     "data/emergency.yml:1: field `phone`: 'call us' is not a phone number"),
])
def test_bad_input_fails_clearly_and_keeps_previous_site(tmp_path, rel, data, expected):
    config, site = _good_site(tmp_path)
    before = (site / "en" / "index.html").read_text(encoding="utf-8")
    path = tmp_path / "docs" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    result = run_build(config)
    assert result.returncode == 1
    assert expected in result.stderr.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in result.stderr
    assert (site / "en" / "index.html").read_text(encoding="utf-8") == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site-")]


@pytest.mark.parametrize("code", ["de", "en", "ar"])
def test_broken_internal_link_fails_build_and_keeps_site(tmp_path, code):
    config, site = _good_site(tmp_path)
    (tmp_path / "docs" / code / "index.md").write_text("# Home\n\n[missing](nowhere.md)\n", encoding="utf-8")
    result = run_build(config)
    assert result.returncode == 1 and f"{code}/index.md" in result.stderr and "nowhere.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Welcome" in (site / "en" / "index.html").read_text(encoding="utf-8")


def test_parallel_and_single_process_builds_are_identical(tmp_path):
    config = make_fixture_site(tmp_path, LANGS, PAGES, NAV)
    one, two = tmp_path / "one", tmp_path / "two"
    for target, jobs in ((one, "1"), (two, "2")):
        result = subprocess.run([sys.executable, "-m", "scripts", "build", "--config", str(config), "--quiet",
                                 "--site-dir", str(target), "--jobs", jobs, "--clean"],
                                cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    files_one = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files_one == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for rel in files_one:
        assert (one / rel).read_bytes() == (two / rel).read_bytes(), rel


def test_site_url_gives_404_base_and_sitemap(tmp_path):
    config = make_fixture_site(tmp_path, LANGS[:2], {k: v for k, v in PAGES.items() if k[:2] in ("de", "en")}, NAV)
    config.write_text(config.read_text(encoding="utf-8").replace(
        "site_name: Fixture", "site_name: Fixture\nsite_url: https://stadt.example/gewaltschutz/"), encoding="utf-8")
    result = run_build(config)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert '<base href="/gewaltschutz/">' in not_found
    # links resolve against <base>: relative to the site root, without the sub-path a second time
    assert 'href="assets/stylesheets/site.css"' in not_found and 'href="gewaltschutz/' not in not_found
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://stadt.example/gewaltschutz/en/rechte.html</loc>" in sitemap
    assert 'hreflang="de" href="https://stadt.example/gewaltschutz/rechte.html"' in sitemap
    assert "404.html" not in sitemap


def test_language_without_theme_texts_is_explained(tmp_path):
    config, site = _good_site(tmp_path)
    text = config.read_text(encoding="utf-8").replace(
        "        - locale: fa",
        "        - locale: so\n          name: Soomaali\n          build: true\n        - locale: fa")
    config.write_text(text, encoding="utf-8")
    (tmp_path / "data" / "strings" / "so.yml").write_text(
        (tmp_path / "data" / "strings" / "en.yml").read_text(encoding="utf-8"), encoding="utf-8")
    result = run_build(config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the theme has no interface texts for `so`" in result.stderr
    assert (site / "en" / "index.html").exists()


@pytest.mark.parametrize("target", [".", "docs", "data", ".."])
def test_refuses_to_replace_sources(tmp_path, target):
    config, _ = _good_site(tmp_path)
    result = run_build(config, site_dir=(tmp_path / target))
    assert result.returncode == 2 and "choose a new or empty folder" in result.stderr
    assert (tmp_path / "docs" / "de" / "index.md").exists() and config.exists()


def test_unpublished_address_never_reaches_the_site(tmp_path):
    config, site = _good_site(tmp_path)
    help_file = tmp_path / "data" / "help.yml"
    help_file.write_text(help_file.read_text(encoding="utf-8") + """
  - name: Frauenhaus Nord (Kontaktstelle)
    kind: shelter
    phone: "0211 123456"
    address: Geheimweg 7, 40000 Stadt
    hours: always
    checked: 2026-11-01
  - name: Beratungsstelle Mitte
    kind: counselling
    phone: "0211 654321"
    address: Marktplatz 1, 40000 Stadt
    public: true
    checked: 2026-11-01
""", encoding="utf-8")
    (tmp_path / "docs" / "de" / "verzeichnis.md").write_text(
        "---\ntitle: Hilfe-Verzeichnis\n---\n\n# Hilfe-Verzeichnis\n\n<!-- site:help-directory -->\n", encoding="utf-8")
    result = run_build(config)
    assert result.returncode == 0, result.stderr
    for path in site.rglob("*"):
        if path.is_file():
            assert b"Geheimweg" not in path.read_bytes(), path
    page = (site / "ar" / "verzeichnis.html").read_text(encoding="utf-8")
    assert "Marktplatz 1" in page and "Frauenhaus Nord" in page and 'href="tel:0211123456"' in page


def test_changed_emergency_number_fails_the_build_naming_every_translation(tmp_path):
    pages = {**PAGES,
             "de/hilfe.md": "# Hilfe\n\nHilfetelefon [116 016](tel:116016), Polizei [110](tel:110).\n",
             "en/hilfe.md": "# Help\n\nHelpline [116 016](tel:116016), police [110](tel:110).\n",
             "ar/hilfe.md": "# مساعدة\n\nالهاتف [116 016](tel:116016)، الشرطة [110](tel:110).\n"}
    config = make_fixture_site(tmp_path, LANGS, pages, NAV + ["hilfe.md"])
    assert run_build(config).returncode == 0
    german = tmp_path / "docs" / "de" / "hilfe.md"
    german.write_text(german.read_text(encoding="utf-8").replace("116 016](tel:116016)", "116 017](tel:116017)"),
                      encoding="utf-8")
    result = run_build(config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    for code in ("en", "ar"):
        assert f"docs/{code}/hilfe.md" in result.stderr and "116 017" in result.stderr
    assert "docs/fa/hilfe.md" not in result.stderr  # fa shows the German page itself


def test_events_pages_feeds_and_hidden_event_address(tmp_path):
    import icalendar

    pages = {**PAGES, "de/events.md": "---\ntitle: Termine\n---\n\n# Termine\n\n<!-- site:events -->\n"}
    config = make_fixture_site(tmp_path, LANGS, pages, NAV + ["events.md"])
    result = run_build(config)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    for folder in (site, site / "en", site / "ar", site / "fa"):
        page = (folder / "events.html").read_text(encoding="utf-8")
        assert 'id="ev-fixture-frauen-ar"' in page and "Unterkunft (Ost)" in page
        feed = icalendar.Calendar.from_ical((folder / "events.ics").read_bytes())
        statuses = {str(e["UID"]): str(e.get("STATUS")) for e in feed.walk("VEVENT")}
        assert statuses["fixture-eltern-de@leben-ohne-gewalt"] == "CANCELLED"
        assert (folder / "events" / "fixture-frauen-ar.ics").is_file()
    assert "Marktplatz 2" in (site / "events.html").read_text(encoding="utf-8")
    for path in site.rglob("*"):
        if path.is_file():
            assert b"Verborgener Weg" not in path.read_bytes(), path
    # the home page shows the next events
    assert "ev-fixture-frauen-ar" in (site / "ar" / "index.html").read_text(encoding="utf-8")


def test_bad_calendar_fails_with_line_and_field(tmp_path):
    config, site = _good_site(tmp_path)
    events_file = tmp_path / "data" / "events.yml"
    events_file.write_text(events_file.read_text(encoding="utf-8").replace("kind: parents-venue", "kind: cafe"),
                           encoding="utf-8")
    result = run_build(config)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "data/events.yml:" in result.stderr and "venue.kind" in result.stderr
