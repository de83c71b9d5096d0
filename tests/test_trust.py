"""Readers see how current and how checked a translation is (issue 11): a fixture site with a real git
history, built through the real command, read as HTML, in Chromium at 360 px (axe) and as a PDF."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pypdf
import pytest
from babel.dates import format_date

from scripts.core.pages import source_hash
from scripts.core.project import Project
from scripts.printing import build as pdf
from scripts.translations import cli, trust
from scripts.translations import report as status_report
from tests.conftest import ROOT, StaticServer, make_fixture_site, run_build

LANGS = [("de", "Deutsch"), ("en", "English"), ("fa", "فارسی")]
GERMAN = ("---\ntitle: Ihre Rechte\n---\n# Ihre Rechte\n\nEinleitung.\n\n## Die Polizei\n\n"
          "Rufen Sie [110](tel:110).\n\n## Das Gericht\n\nDas Familiengericht schützt Sie.\n")
ENGLISH = ("---\ntitle: Your rights\nsource_hash: \"{h}\"\ntranslation_method: machine-assisted\n---\n"
           "# Your rights\n\nIntroduction.\n\n## The police\n\nCall [110](tel:110).\n\n## The court\n\n"
           "The family court protects you.\n")
PERSIAN = ("---\ntitle: حقوق شما\nsource_hash: \"{h}\"\nreviewed_by: \"M. R., native speaker\"\n"
           "reviewed_on: 2026-10-20\n---\n# حقوق شما\n\nمقدمه.\n\n## پلیس\n\nزنگ بزنید [۱۱۰](tel:110).\n\n"
           "## دادگاه\n\nدادگاه خانواده از شما محافظت می‌کند.\n")
INDEX = "---\ntitle: Start\n---\n# Start\n\n[Rechte](rechte.md)\n"
FIRST, CHANGED = dt.date(2026, 10, 1), dt.date(2026, 11, 15)


def _git(root: Path, *args: str, day: dt.date | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day.isoformat()}T12:00:00+00:00"
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env).stdout


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """Translations made from the first German version; then a committed change to one German section."""
    root = tmp_path_factory.mktemp("trust")
    h = source_hash(GERMAN)
    make_fixture_site(root, LANGS, {"de/index.md": INDEX, "de/rechte.md": GERMAN, "de/kinder.md": "# Kinder\n\nText.\n",
                                    "en/index.md": INDEX, "en/rechte.md": ENGLISH.format(h=h),
                                    "fa/index.md": INDEX, "fa/rechte.md": PERSIAN.format(h=h)},
                      ["index.md", "rechte.md", "kinder.md"])
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first", day=FIRST)
    (root / "docs" / "de" / "rechte.md").write_text(
        GERMAN.replace("Das Familiengericht schützt Sie.", "Das Familiengericht schützt Sie. Stellen Sie den "
                       "Antrag, bevor das Verbot endet."), encoding="utf-8")
    _git(root, "commit", "-q", "-am", "German: the court section", day=CHANGED)
    result = run_build(root / "mkdocs.yml", env={"SKIP_PDF": "1"})
    assert result.returncode == 0, result.stderr
    return root


def _html(root: Path, rel: str) -> str:
    return (root / "site" / rel).read_text(encoding="utf-8")


def test_outdated_page_says_since_when_and_which_section_in_its_language(history: Path):
    persian = _html(history, "fa/rechte.html")
    assert 'class="site-outdated"' in persian
    assert format_date(CHANGED, "long", locale="fa") in persian and format_date(FIRST, "long", locale="fa") in persian
    assert "بخش‌های تغییرکرده: دادگاه" in persian        # the translation's own heading of the changed section
    assert "پلیس</p>" not in persian                      # the unchanged section is not named
    assert 'href="../rechte.html" hreflang="de"' in persian
    english = _html(history, "en/rechte.html")
    assert "The German original of this page was changed on November 15, 2026." in english
    assert "based on the version of October 1, 2026" in english and "Changed sections: The court" in english
    assert 'class="site-outdated"' not in _html(history, "rechte.html")  # German itself: no notice


def test_review_state_is_shown_discreetly(history: Path):
    assert "made with the help of a machine and has not yet been checked" in _html(history, "en/rechte.html")
    assert f"در تاریخ {format_date(dt.date(2026, 10, 20), 'long', locale='fa')}" in _html(history, "fa/rechte.html")


def test_switcher_marks_languages_that_show_german(history: Path):
    german = _html(history, "kinder.html")   # kinder.md exists only in German
    assert '<span class="site-select__fallback">(به آلمانی)</span>' in german
    assert '<span class="site-select__fallback">(in German)</span>' in german
    assert "site-select__fallback" not in _html(history, "rechte.html")


def test_status_names_each_outdated_and_unreviewed_page(history: Path, capsys):
    code = cli.main(["check", "--root", str(history)])
    out = capsys.readouterr().out
    assert code == 1  # outdated is a warning
    assert (f"en     rechte.md              outdated (German changed {CHANGED}, translation from the version of "
            f"{FIRST}); not checked by a native speaker") in out
    assert f"fa     rechte.md              outdated (German changed {CHANGED}" in out
    report = status_report.collect(history)
    page = next(p for lang in report.languages if lang.code == "fa" for p in lang.pages if p.name == "rechte.md")
    assert page.freshness.changed_sections == ("دادگاه",) and page.reviewed
    matrix = "\n".join(__import__("scripts.translations.render", fromlist=["x"]).render_matrix(report))
    assert f"[veraltet seit {CHANGED:%d.%m.%Y}](fa/rechte.html)" in matrix
    assert "[fehlt (deutsch)](fa/kinder.html)" in matrix


def test_notice_is_in_the_pdf(history: Path, tmp_path: Path):
    site = history / "site"
    project = Project.load(history / "mkdocs.yml")
    pdf.build_pdfs(site, project, site_url="", languages=["en"], jobs=1, cache_dir=tmp_path, progress=False,
                   handouts=["rechte"])
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(site / "en" / "pdf" / "rechte.pdf").pages)
    assert "The German original of this page was changed on" in " ".join(text.split())


@pytest.mark.browser
def test_notice_visible_on_a_phone_and_axe_clean(history: Path, browser):
    context = browser.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        with StaticServer(history / "site") as server:
            for url in (server.url + "fa/rechte.html", (history / "site" / "en" / "rechte.html").as_uri()):
                page.goto(url)
                notice = page.locator(".site-outdated")
                assert notice.is_visible()
                box = notice.bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360
                assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
                if url.startswith("http"):
                    page.evaluate((ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8"))
                    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                    assert [v["id"] for v in result["violations"]] == []
    finally:
        context.close()


def test_minor_german_edit_keeps_translations_current(tmp_path: Path, capsys):
    root = tmp_path / "minor"
    h = source_hash(GERMAN)
    make_fixture_site(root, LANGS, {"de/index.md": INDEX, "de/rechte.md": GERMAN, "en/index.md": INDEX,
                                    "en/rechte.md": ENGLISH.format(h=h), "fa/index.md": INDEX,
                                    "fa/rechte.md": PERSIAN.format(h=h)}, ["index.md", "rechte.md"])
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "first", day=FIRST)
    german = root / "docs" / "de" / "rechte.md"
    german.write_text(GERMAN.replace("Einleitung.", "Die Einleitung."), encoding="utf-8")   # a wording fix
    assert cli.main(["minor", "--root", str(root), "rechte.md"]) == 0
    assert "2 translation(s) stay current" in capsys.readouterr().out
    assert status_report.collect(root).languages[0].pages[-1].state == "current"
    _git(root, "commit", "-q", "-am", "typo", day=CHANGED)
    # a changed number is never minor: refused, translations stay outdated
    german.write_text(GERMAN.replace("Die Einleitung.", "Die Einleitung.").replace("(tel:110)", "(tel:112)")
                      .replace("[110]", "[112]"), encoding="utf-8")
    assert cli.main(["minor", "--root", str(root), "rechte.md"]) == 1
    assert "never a minor edit" in capsys.readouterr().err
    # short numbers too: a deadline of 4 weeks that becomes 12 is never a typo fix
    german.write_text(GERMAN.replace("Die Einleitung.", "Die Einleitung.").replace("Einleitung.",
                                                                                    "Einleitung: 4 Wochen."),
                      encoding="utf-8")
    _git(root, "commit", "-q", "-am", "four weeks", day=CHANGED)
    german.write_text(german.read_text(encoding="utf-8").replace("4 Wochen", "12 Wochen"), encoding="utf-8")
    assert cli.main(["minor", "--root", str(root), "rechte.md"]) == 1
    capsys.readouterr()
    states = {lang.code: {p.name: p.state for p in lang.pages} for lang in status_report.collect(root).languages}
    assert states["fa"]["rechte.md"] == "outdated"


def test_sections_and_notice_texts():
    intro, changed, added = trust.changed_section_indices(
        GERMAN, GERMAN.replace("Einleitung.", "Neu.") + "\n## Neu\n\nX\n")
    assert intro and changed == [] and added == ["Neu"]
    # a section inserted before a changed one: the changed one is named by its place in the OLD text
    inserted = GERMAN.replace("## Das Gericht", "## Frauenhaus\n\nText.\n\n## Das Gericht").replace(
        "schützt Sie.", "schützt Sie sofort.")
    assert trust.changed_section_indices(GERMAN, inserted) == (False, [2], ["Frauenhaus"])
    fresh = trust.Freshness(CHANGED, FIRST, ("The court",), intro_changed=True)
    strings = Project.load(ROOT / "mkdocs.yml").strings("en")
    notice = trust.reader_notice(trust.Review("machine-assisted"), fresh, strings, "en")
    assert notice.sections == "Changed sections: the beginning of the page; The court"
    undated = trust.reader_notice(trust.Review(), trust.Freshness(None, None, ()), strings, "en")
    assert undated.outdated == strings["outdated_notice_undated"] and undated.review == strings["review_none"]



def test_stamp_after_an_update_clears_the_old_review(tmp_path: Path, capsys):
    root = tmp_path / "review"
    make_fixture_site(root, LANGS, {"de/index.md": INDEX, "de/rechte.md": GERMAN, "fa/index.md": INDEX,
                                    "fa/rechte.md": PERSIAN.format(h="0000000000000000")}, ["index.md", "rechte.md"])
    assert cli.main(["stamp", "--root", str(root), "fa/rechte.md"]) == 0
    text = (root / "docs" / "fa" / "rechte.md").read_text(encoding="utf-8")
    assert "reviewed_on" not in text and "review cleared" in capsys.readouterr().out
    assert cli.main(["stamp", "--root", str(root), "fa/rechte.md", "--reviewed-by", "A\\B"]) == 2
