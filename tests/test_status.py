"""Translation status tool (scripts.status): fixture trees per finding type, stamp/new/diff round trips."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from scripts.core import pages
from scripts.site import theme
from scripts.translations import cli, model, render, texts
from scripts.translations import report as status_report
from scripts.translations import safety as safety_check

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "status"
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "expected.json").is_file())
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def no_data_modules(monkeypatch):
    """Fixture roots have no calendar or directory: the real scripts.events/helpdir are not asked."""
    monkeypatch.setattr(texts, "TEXT_MODULES", ())


def _copy(case: str, tmp_path: Path) -> Path:
    root = tmp_path / case
    shutil.copytree(FIXTURES / case, root)
    return root


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- one fixture tree per finding type -----------------------------------------------------


def test_every_finding_type_has_a_fixture():
    assert set(CASES) >= {
        "clean",
        "missing",
        "outdated",
        "orphan",
        "structure",
        "safety",
        "untranslated",
        "strings",
    }


@pytest.mark.parametrize("case", CASES)
def test_fixture_findings_and_exit_code(case, capsys):
    expected = json.loads((FIXTURES / case / "expected.json").read_text(encoding="utf-8"))
    code, out, _ = _run(capsys, "check", "--root", str(FIXTURES / case), *expected["args"])
    printed = [line for line in out.splitlines() if line.endswith(")") and ": " in line and line[:1] != " "]
    assert printed == expected["findings"]
    assert code == expected["exit"]
    assert "Translation status:" in out


def test_findings_carry_check_and_severity():
    findings = status_report.collect(FIXTURES / "safety").findings
    assert {(f.check, f.severity) for f in findings} == {("safety", "error"), ("unreviewed", "info")}
    fa = next(f for f in findings if f.lang == "fa" and f.check == "safety")
    assert (fa.path, fa.line) == ("docs/fa/hilfe.md", 13)
    assert str(fa) == f"docs/fa/hilfe.md:13: {fa.message} (safety)"


def test_missing_is_info_and_only_fails_at_info(capsys):
    root = str(FIXTURES / "missing")
    assert _run(capsys, "--root", root)[0] == 0  # `check` is the default command
    assert _run(capsys, "check", "--root", root, "--min-severity", "info")[0] == 1
    code, _, err = _run(capsys, "check", "--root", root, "--fail-under", "80")
    assert code == 1 and "fa: 50% complete, below --fail-under 80" in err
    assert _run(capsys, "check", "--root", root, "--lang", "en", "--fail-under", "80")[0] == 0


def test_check_and_lang_filters(capsys):
    root = str(FIXTURES / "safety")
    code, out, _ = _run(capsys, "check", "--root", root, "--check", "outdated,orphan")
    assert code == 0 and "(safety)" not in out
    code, out, _ = _run(capsys, "check", "--root", root, "--lang", "fa")
    assert code == 1 and "docs/fa/hilfe.md" in out and "docs/en/" not in out
    code, out, _ = _run(capsys, "check", "--root", root, "--min-severity", "error", "--check", "structure")
    assert code == 0


def test_usage_errors_exit_2(capsys, tmp_path):
    assert _run(capsys, "check", "--root", str(tmp_path))[0] == 2
    assert _run(capsys, "check", "--root", str(FIXTURES / "clean"), "--lang", "xx")[0] == 2
    assert _run(capsys, "check", "--root", str(FIXTURES / "clean"), "--check", "spelling")[0] == 2
    assert _run(capsys, "check", "--min-severity", "fatal")[0] == 2
    assert _run(capsys, "stamp", "--root", str(FIXTURES / "clean"))[0] == 2


# ---- normalization -----------------------------------------------------------------------------


def test_arabic_indic_and_persian_digits():
    assert safety_check.normalize_digits("١١٦ ٠١٦") == "116 016"  # Arabic-Indic U+0660-0669
    assert safety_check.normalize_digits("۰۸۰۰ ۱۱۱ ۰ ۵۵۰") == "0800 111 0 550"  # Persian U+06F0-06F9
    assert safety_check.normalize_digits("\u2066۱۱۰\u2069") == "110"  # bidi isolates removed
    items = safety_check.safety_items(["پلیس: [۱۱۰](tel:110)، § ۱۶۳۱ Abs. ۲ BGB", "٠٨٠٠ ١٢٣٩٩٠٠"])
    assert {(i.kind, i.key) for i in items} == {
        ("phone", "110"),
        ("tel", "110"),
        ("law", "§1631Abs.2BGB"),
        ("phone", "08001239900"),
    }


def test_safety_items_kinds():
    lines = [
        "Rufen Sie [116 016](tel:116016) an, Elterntelefon 0800 111 0 550 oder 0800/111-0550.",
        "Nach §\u00a01 GewSchG und § 1631 Abs. 2 BGB; Chat: hilfetelefon.de, https://www.example.org/x/.",
        "E-Mail: [info@example.org](mailto:info@example.org), 24/7, etwa 20 Abende im Jahr 2025,",
        "Seite kinder.md",
    ]
    found = {(i.kind, i.key) for i in safety_check.safety_items(lines)}
    assert found == {
        ("phone", "116016"),
        ("tel", "116016"),
        ("phone", "08001110550"),
        ("law", "§1GewSchG"),
        ("law", "§1631Abs.2BGB"),
        ("domain", "hilfetelefon.de"),
        ("url", "https://www.example.org/x"),
        ("email", "info@example.org"),
        ("mailto", "info@example.org"),
    }


def test_hash_ignores_front_matter_and_whitespace():
    a = "---\ntitle: A\n---\n# Titel\n\nEin  Text\nmit Zeilen.\n"
    b = "---\ntitle: B\ndescription: x\n---\n\n# Titel\nEin Text   mit\n\nZeilen.  \n"
    assert pages.source_hash(a) == pages.source_hash(b)
    assert len(pages.source_hash(a)) == 16
    assert pages.source_hash("Cafe\u0301") == pages.source_hash("Caf\u00e9")  # NFC
    assert pages.source_hash(a) != pages.source_hash(a.replace("Text", "Satz"))


def test_set_front_matter_key_keeps_other_lines():
    text = '---\ntitle: "A: b"\n# note\n---\nBody\n'
    stamped = pages.set_front_matter_key(text, "source_hash", '"0123456789abcdef"')
    assert stamped == '---\ntitle: "A: b"\n# note\nsource_hash: "0123456789abcdef"\n---\nBody\n'
    assert pages.set_front_matter_key(stamped, "source_hash", '"1"').count("source_hash") == 1
    assert pages.set_front_matter_key("Body\n", "k", "v") == "---\nk: v\n---\n\nBody\n"


# ---- theme partials and calendar/directory texts -----------------------------------------------


def test_theme_partial_keys(tmp_path):
    material_dir = theme.material_languages_dir()
    assert material_dir is not None
    root = _copy("clean", tmp_path)
    text = (material_dir / "fa.html").read_text(encoding="utf-8")
    text = re.sub(r'^\s*"toc": .*\n', "", text, flags=re.MULTILINE)
    text = re.sub(r'^(\s*"search.placeholder": )".*?"', r'\1""', text, flags=re.MULTILINE)
    partials = root / "overrides" / "partials" / "languages"
    partials.mkdir(parents=True)
    (partials / "fa.html").write_text(text, encoding="utf-8")
    messages = [str(f) for f in status_report.collect(root).findings]
    assert any("fa.html:1: theme text `toc` is missing" in m for m in messages)
    assert any("theme text `search.placeholder` is empty" in m for m in messages)
    # a language Material lacks and the project has no partial for stops the build
    config = (root / "mkdocs.yml").read_text(
        encoding="utf-8"
    ) + "        - locale: ti\n          name: ትግርኛ\n"
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    findings = [f for f in status_report.collect(root, ["ti"]).findings if f.check == "strings"]
    assert any("no interface texts for `ti`" in f.message and f.severity == "error" for f in findings)


def test_calendar_and_directory_texts(monkeypatch, tmp_path):
    fake = types.ModuleType("scripts.fake_events")

    def translatable_texts(root: Path):
        path = str(root / "data" / "events.yml")
        yield path, 7, "2026-10-frauen.title", {"de": "Ihre Rechte", "en": "Your rights", "fa": " "}
        yield path, 12, "2026-10-frauen.description", {"de": "", "en": ""}

    fake.translatable_texts = translatable_texts
    monkeypatch.setitem(sys.modules, "scripts.fake_events", fake)
    monkeypatch.setattr(texts, "TEXT_MODULES", ("scripts.fake_events", "scripts.not_written_yet"))
    findings = [f for f in status_report.collect(FIXTURES / "clean").findings if f.check != "unreviewed"]
    assert [str(f) for f in findings] == [
        "data/events.yml:7: `2026-10-frauen.title` is untranslated in `fa` (German: 'Ihre Rechte') (texts)"
    ]
    assert findings[0].severity == "info"  # like a missing page: the site shows German with a notice


# ---- reports -----------------------------------------------------------------------------------


def _check_type(value, expected, where):
    assert isinstance(value, expected), f"{where}: {type(value).__name__}, expected {expected}"


def test_json_report_schema(capsys):
    code, out, _ = _run(capsys, "check", "--root", str(FIXTURES / "outdated"), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["schema"] == model.JSON_SCHEMA_ID and data["source_language"] == "de"
    assert set(data) == {"schema", "source_language", "checks", "sources", "languages", "findings", "summary"}
    for source in data["sources"]:
        assert set(source) == {"name", "path", "hash", "words"}
        _check_type(source["words"], int, "sources.words")
    assert [lang["code"] for lang in data["languages"]] == ["en", "fa"]
    for lang in data["languages"]:
        assert set(lang) == {
            "code",
            "name",
            "direction",
            "complete_percent",
            "words_complete_percent",
            "counts",
            "pages",
        }
        assert set(lang["counts"]) == set(model.CHECKS)
        _check_type(lang["complete_percent"], float, "complete_percent")
        for page in lang["pages"]:
            assert set(page) == {"name", "state", "title", "path", "source", "words", "stamp", "method",
                                 "reviewed_by", "reviewed_on", "german_changed", "translated_from",
                                 "changed_sections"}
            assert page["state"] in status_report.STATES
    assert data["languages"][1]["name"] == "فارسی" and data["languages"][1]["direction"] == "rtl"
    assert {p["state"] for lang in data["languages"] for p in lang["pages"]} == {"outdated", "unstamped"}
    for finding in data["findings"]:
        assert set(finding) == {"path", "line", "message", "check", "severity", "lang"}
        _check_type(finding["line"], int, "line")
        assert finding["severity"] in model.SEVERITIES
    assert data["summary"] == {"info": 2, "warning": 2, "error": 0}  # info: two pages not yet reviewed


def test_table_has_native_names_and_no_colour_when_piped(capsys):
    _, out, _ = _run(capsys, "check", "--root", str(FIXTURES / "clean"))
    assert "\033[" not in out
    lines = out.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("lang "))
    assert lines[head].split()[:3] == ["lang", "missing", "outdated"]
    assert lines[head + 1].split()[0] == "de" and lines[head + 1].endswith("Deutsch")
    assert lines[head + 3].split()[0] == "fa" and lines[head + 3].endswith("فارسی") and "100%" in lines[head + 3]
    # above the table: every page that needs someone, one line each
    assert "fa     hilfe.md               not checked by a native speaker" in lines[:head]


def test_status_markdown_links():
    report = status_report.collect(FIXTURES / "orphan")
    page = render.render_status_markdown(report)
    assert page.startswith("# Übersetzungsstand\n")
    assert '[<bdi lang="fa">کمک</bdi>](fa/hilfe.html)' in page
    assert "[Hilfe](hilfe.html)" in page
    assert "| `alt.md` | verwaist (keine deutsche Quelle) |" in page
    assert "fa/alt.html" in page


def test_safety_findings_api():
    findings = safety_check.safety_findings(FIXTURES / "safety")
    assert (
        sorted(str(f) for f in findings)
        == json.loads((FIXTURES / "safety" / "expected.json").read_text(encoding="utf-8"))["findings"]
    )
    assert safety_check.safety_findings(FIXTURES / "clean") == []


def test_changed_phone_number_fails_safety_and_outdates_every_translation(tmp_path):
    root = _copy("clean", tmp_path)
    source = root / "docs" / "de" / "hilfe.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("116 016](tel:116016)", "116 017](tel:116017)"),
        encoding="utf-8",
    )
    safety = safety_check.safety_findings(root)
    assert sorted({f.path for f in safety}) == ["docs/en/hilfe.md", "docs/fa/hilfe.md"]
    assert any(
        "phone number `116 017`" in f.message and "found instead: `116 016`" in f.message for f in safety
    )
    report = status_report.collect(root)
    assert [f.path for f in report.findings if f.check == "outdated"] == [
        "docs/en/hilfe.md",
        "docs/fa/hilfe.md",
    ]


# ---- stamp / new / diff round trips ------------------------------------------------------------


def _git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(root),
    }
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True, env=env
    ).stdout


needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@needs_git
def test_stamp_and_diff_round_trip_in_git(tmp_path, capsys):
    root = _copy("clean", tmp_path)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "first version")
    source = root / "docs" / "de" / "hilfe.md"
    source.write_text(
        source.read_text(encoding="utf-8").replace("Rufen Sie die Polizei", "Rufen Sie sofort die Polizei"),
        encoding="utf-8",
    )
    _git(root, "commit", "-q", "-am", "second version")
    # whitespace and front matter edits do not count as changes
    source.write_text(
        source.read_text(encoding="utf-8").replace("title: Hilfe", "title: Hilfe!") + "\n\n", encoding="utf-8"
    )

    code, out, _ = _run(capsys, "check", "--root", str(root))
    assert code == 1 and out.count("(outdated)") == 2
    code, out, _ = _run(capsys, "diff", "--root", str(root), "fa/hilfe.md")
    assert code == 0
    assert "first version" in out
    assert "-Rufen Sie die Polizei: [110](tel:110)." in out
    assert "+Rufen Sie sofort die Polizei: [110](tel:110)." in out

    code, out, _ = _run(capsys, "stamp", "--root", str(root), "fa/hilfe.md", "en/hilfe.md")
    assert code == 0 and out.count("stamped") == 2
    assert _run(capsys, "check", "--root", str(root))[0] == 0
    code, out, _ = _run(capsys, "diff", "--root", str(root), "fa/hilfe.md")
    assert code == 0 and "up to date" in out
    code, out, _ = _run(capsys, "stamp", "--root", str(root), "--all-current")
    assert code == 0 and out.count("already current") == 2
    assert _git(root, "status", "--porcelain", "docs/de") == " M docs/de/hilfe.md\n"


@needs_git
def test_diff_when_the_stamped_version_is_not_committed(tmp_path, capsys):
    root = _copy("outdated", tmp_path)
    _git(root, "init", "-q")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "only version")
    code, _, err = _run(capsys, "diff", "--root", str(root), "fa/hilfe.md")
    assert code == 2 and "no committed version of docs/de/hilfe.md has the hash 4a656b46ad8026e1" in err


def test_diff_without_history_says_so(tmp_path, capsys):
    root = _copy("outdated", tmp_path)
    code, _, err = _run(capsys, "diff", "--root", str(root), "fa/hilfe.md")
    assert code == 2 and "cannot show what changed" in err
    assert "not a git repository" in err or "git is not installed" in err
    code, _, err = _run(capsys, "diff", "--root", str(root), "en/hilfe.md")
    assert code == 2 and "no `source_hash` stamp" in err


def test_new_scaffold_is_untranslated_until_markers_go(tmp_path, capsys):
    root = _copy("missing", tmp_path)
    code, out, _ = _run(capsys, "new", "--root", str(root), "fa", "neu")
    assert code == 0 and "created docs/fa/neu.md" in out
    page = root / "docs" / "fa" / "neu.md"
    text = page.read_text(encoding="utf-8")
    assert "translation: todo" in text and "<!-- translate me" in text.splitlines()[5]
    assert (
        f'source_hash: "{pages.source_hash((root / "docs/de/neu.md").read_text(encoding="utf-8"))}"' in text
    )
    report = status_report.collect(root)
    assert [(f.path, f.check) for f in report.findings if f.check != "unreviewed"] == [
        ("docs/fa/neu.md", "untranslated")]
    assert _run(capsys, "new", "--root", str(root), "fa", "neu.md")[0] == 2  # exists already
    assert _run(capsys, "new", "--root", str(root), "fa", "nope.md")[0] == 2  # no German page
    code, _, err = _run(capsys, "stamp", "--root", str(root), "fa/neu.md")
    assert code == 2 and "translation: todo" in err
    code, _, err = _run(capsys, "stamp", "--root", str(root), "--all-current")
    assert code == 0 and "skipped docs/fa/neu.md" in err

    translated = "\n".join(
        line for line in text.splitlines() if line != "translation: todo" and "translate me" not in line
    )
    page.write_text(
        translated.replace("Ein neuer Text mit sieben Wörtern hier.", "متن تازه.") + "\n", encoding="utf-8"
    )
    assert _run(capsys, "stamp", "--root", str(root), "fa/neu.md")[0] == 0
    assert _run(capsys, "check", "--root", str(root), "--min-severity", "warning")[0] == 0
    # a native speaker checked them: recorded by stamp, then nothing is left even at info level
    code, out, _ = _run(capsys, "stamp", "--root", str(root), "--all-current", "--reviewed-by", "R. T.",
                        "--reviewed-on", "2026-11-20", "--method", "human")
    assert code == 0
    text = page.read_text(encoding="utf-8")
    assert 'reviewed_by: "R. T."' in text and "reviewed_on: 2026-11-20" in text and "translation_method: human" in text
    assert _run(capsys, "check", "--root", str(root), "--min-severity", "info")[0] == 0
    assert _run(capsys, "stamp", "--root", str(root), "fa/neu.md", "--reviewed-on", "2026-11-20")[0] == 2


def test_real_repository_safety_is_clean():
    assert [str(f) for f in safety_check.safety_findings(ROOT)] == []
