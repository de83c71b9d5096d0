"""Facts held once (data/facts.yml, `{{ fact:id }}`) and the "as of" line on every handout."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scripts import facts
from scripts.checks import data
from scripts.core.pages import page_from_text
from scripts.core.problems import InputError
from scripts.core.project import Project
from scripts.translations.safety import check_safety, safety_items
from tests.conftest import ROOT, make_fixture_site, run_build

FACTS = """facts:
  - id: police-ban-police
    source: Polizeigesetz Baden-Württemberg
    land: Baden-Württemberg
    checked: 2026-11-30
    value:
      de: 4 Werktage
      en: 4 working days
  - id: flat-limit
    source: § 2 Abs. 2 GewSchG
    checked: 2026-10-01
    value:
      de: 6 Monate
"""


def _facts(tmp_path: Path, text: str = FACTS) -> dict[str, facts.Fact]:
    path = tmp_path / "facts.yml"
    path.write_text(text, encoding="utf-8")
    return facts.load_facts(path)


def test_values_per_language_with_german_fallback(tmp_path: Path):
    held = _facts(tmp_path)
    text = "bis zu {{ fact:police-ban-police }} und {{fact:flat-limit}}"
    assert facts.expand(text, held, "en", "de") == ('bis zu <span class="site-fact">4 working days</span> und '
                                                    '<span class="site-fact" lang="de">6 Monate</span>')
    assert [f.id for f in facts.used_facts(text, held)] == ["police-ban-police", "flat-limit"]


@pytest.mark.parametrize("change,expected,line", [
    ("    land: Baden-Württemberg\n", "    land: Baden-Württemberg\n    colour: red\n", 5),
    ("  - id: flat-limit\n", "  - id: Flat Limit\n", 9),
    ("    checked: 2026-10-01\n", "    checked: soon\n", 11),
    ("      de: 6 Monate\n", "      en: 6 months\n", 12),
])
def test_bad_facts_name_file_and_line(tmp_path: Path, change: str, expected: str, line: int):
    with pytest.raises(InputError) as exc:
        _facts(tmp_path, FACTS.replace(change, expected))
    assert any(p.line == line for p in exc.value.problems), [str(p) for p in exc.value.problems]
    assert all(p.fix for p in exc.value.problems)


def test_translation_must_keep_every_placeholder(tmp_path: Path):
    german = page_from_text(tmp_path / "de.md", "# X\n\nDas Verbot gilt {{ fact:police-ban-police }}.\n")
    good = page_from_text(tmp_path / "en.md", "# X\n\nThe ban lasts {{ fact:police-ban-police }}.\n")
    bad = page_from_text(tmp_path / "fa.md", "# X\n\nThe ban lasts 4 days.\n")
    assert [i.kind for i in safety_items(german.body, german.body_line)] == ["fact"]
    assert not list(check_safety(tmp_path, "en", german, good))
    [problem] = list(check_safety(tmp_path, "fa", german, bad))
    assert "fact placeholder `{{ fact:police-ban-police }}`" in problem.message and problem.line == 3


def test_as_of_prefers_the_page_date_and_lists_sources(tmp_path: Path):
    held = list(_facts(tmp_path).values())
    when = facts.as_of(None, held, ["§ 1 GewSchG", "§ 2 Abs. 2 GewSchG"])
    assert when.checked == dt.date(2026, 10, 1)          # the oldest check of the facts used
    assert when.sources == ("Polizeigesetz Baden-Württemberg", "§ 2 Abs. 2 GewSchG", "§ 1 GewSchG")
    assert facts.as_of(dt.date(2026, 11, 30), held, []).checked == dt.date(2026, 11, 30)
    strings = Project.load(ROOT / "mkdocs.yml").strings("ru")
    texts = facts.as_of_texts(when, strings, "ru")
    assert texts["date"] == "Сведения актуальны на 1 октября 2026\u202fг." and texts["label"] == "Источники:"
    assert texts["sources"] == ["Polizeigesetz Baden-Württemberg", "§ 2 Abs. 2 GewSchG", "§ 1 GewSchG"]


def test_real_facts_are_valid_for_this_edition():
    project = Project.load(ROOT / "mkdocs.yml")
    assert project.edition["land"] == "Baden-Württemberg"
    held = facts.load_facts(project.data / "facts.yml")
    assert held and all(f.values.get("de") for f in held.values())
    assert list(data.facts_and_placeholders(project)) == []


def test_build_shows_values_and_as_of_and_refuses_unknown_facts(tmp_path: Path):
    pages = {"de/index.md": "# Start\n", "de/kinder.md": "# Kinder\n",
             "de/rechte.md": "---\ntitle: Rechte\nchecked: 2026-11-30\n---\n# Rechte\n\n"
                             "Die Polizei: bis zu {{ fact:police-ban-police }} (§ 1 GewSchG).\n",
             "en/index.md": "# Start\n",
             "en/rechte.md": "---\ntitle: Rights\n---\n# Rights\n\nPolice: up to {{ fact:police-ban-police }} "
                             "(§ 1 GewSchG).\n"}
    config = make_fixture_site(tmp_path, [("de", "Deutsch"), ("en", "English")], pages,
                               ["index.md", "rechte.md", "kinder.md"])
    (tmp_path / "data" / "facts.yml").write_text(FACTS, encoding="utf-8")
    result = run_build(config, env={"SKIP_PDF": "1"})
    assert result.returncode == 0, result.stderr
    english = (tmp_path / "site" / "en" / "rechte.html").read_text(encoding="utf-8")
    assert 'up to <span class="site-fact">4 working days</span>' in english
    assert "Information as of November 30, 2026" in english
    assert ('Sources:\n        <bdi lang="de" dir="ltr">Polizeigesetz Baden-Württemberg</bdi>; '
            '<bdi lang="de" dir="ltr">§ 1 GewSchG</bdi>') in english
    assert "{{" not in english
    # a placeholder that names no fact stops the build at its line
    (tmp_path / "docs" / "de" / "rechte.md").write_text(pages["de/rechte.md"] + "\n{{ fact:nope }}\n", encoding="utf-8")
    result = run_build(config, env={"SKIP_PDF": "1"})
    assert result.returncode == 1
    assert "docs/de/rechte.md:9: unknown fact `nope`" in result.stderr.replace(str(tmp_path) + "/", "")
