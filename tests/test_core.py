"""The core models: one front-matter reader for every tool (regressions for the two bugs it fixed),
one YAML loader with line numbers, one problem type, the check registry."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from scripts import checks
from scripts.core import pages
from scripts.core.problems import InputError, Problem
from scripts.core.project import Project
from scripts.core.yamlsrc import load, parse
from scripts.translations import report as status_report
from scripts.translations import texts

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "status"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clean_site(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setattr(texts, "TEXT_MODULES", ())  # fixture roots have no calendar or directory
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "clean", root)
    return root


def _states(root: Path, lang: str = "fa") -> dict[str, str]:
    report = status_report.collect(root, [lang])
    return {page.name: page.state for page in report.languages[0].pages}


# ---- bug 1: front matter closed with `...` -------------------------------------------------------

def test_front_matter_closed_with_dots_keeps_its_stamp(clean_site: Path):
    """MkDocs accepts `...` as the closing fence; the status tool must read the stamp behind it."""
    page = clean_site / "docs" / "fa" / "hilfe.md"
    text = page.read_text(encoding="utf-8")
    assert "\n---\n\n#" in text
    page.write_text(text.replace("\n---\n\n#", "\n...\n\n#", 1), encoding="utf-8")
    assert pages.read_page(page).stamp is not None
    assert _states(clean_site)["hilfe.md"] == "current"
    report = status_report.collect(clean_site, ["fa"])
    assert not [f for f in report.findings if "no `source_hash` stamp" in f.message]


def test_stamp_works_behind_a_dots_fence(clean_site: Path):
    text = "---\ntitle: X\n...\n\nBody\n"
    new = pages.set_front_matter_key(text, "source_hash", '"abc"')
    assert new == '---\ntitle: X\nsource_hash: "abc"\n...\n\nBody\n'


# ---- bug 2: `translate: false` written in other ways ---------------------------------------------

@pytest.mark.parametrize("line", ["translate: false", "translate: False", "translate: false  # coordinators only",
                                  "translate: no", "translate:   FALSE"])
def test_german_only_page_is_read_the_same_everywhere(clean_site: Path, line: str):
    """The switcher, the fallback removal and the status report all ask `is_german_only`."""
    german = clean_site / "docs" / "de" / "intern.md"
    german.write_text(f"---\ntitle: Intern\n{line}\n---\n\n# Intern\n", encoding="utf-8")
    assert pages.is_german_only(german)
    assert pages.read_page(german).german_only
    assert "intern.md" not in _states(clean_site)  # not reported as a missing translation


def test_translate_true_or_text_is_not_german_only(tmp_path: Path):
    for value in ("true", '"false"', "0"):
        path = tmp_path / "p.md"
        path.write_text(f"---\ntranslate: {value}\n---\n# X\n", encoding="utf-8")
        assert not pages.read_page(path).german_only, value


# ---- one YAML loader -----------------------------------------------------------------------------

def test_yaml_lines_and_errors(tmp_path: Path):
    path = tmp_path / "x.yml"
    path.write_text("a: 1\nlist:\n  - name: x\n    phone: '110'\n", encoding="utf-8")
    source = load(path)
    assert source.data == {"a": 1, "list": [{"name": "x", "phone": "110"}]}
    assert source.line("list", 0, "phone") == 4
    assert source.line("list", 5, "nothing") == 2  # deepest known part
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load(path)
    assert exc.value.problems[0].line == 2 and "given twice" in exc.value.problems[0].message
    path.write_bytes(b"a: \xff\n")
    with pytest.raises(InputError) as exc:
        load(path)
    assert "not UTF-8" in str(exc.value)


def test_yaml_errors_in_front_matter_point_at_the_file_line(tmp_path: Path):
    path = tmp_path / "p.md"
    path.write_text("---\ntitle: ok\ndescription: a: b\n---\n# X\n", encoding="utf-8")
    page = pages.read_page(path)
    assert page.meta == {} and page.problems[0].line == 3
    with pytest.raises(InputError):
        parse("key: [unclosed", path, first_line=10)


# ---- one problem type, one registry -------------------------------------------------------------

def test_problem_text_names_file_line_check_and_fix():
    problem = Problem("docs/fa/x.md", 7, "phone number `110` is missing", "add it", check="safety", lang="fa")
    assert str(problem) == "docs/fa/x.md:7: phone number `110` is missing (safety)\n    fix: add it"


def test_registry_holds_every_stage_and_runs_on_the_real_project():
    registry = checks.load_all()
    stages = {item.stage for item in registry.values()}
    assert stages == {"preflight", "translations", "postbuild", "release"}
    assert {"content", "ui-strings", "theme", "help-directory", "events", "emergency-numbers", "safety",
            "strings", "texts", "theme-texts", "links"} <= set(registry)
    project = Project.load(ROOT / "mkdocs.yml")
    problems = checks.run("preflight", project)
    assert not [p for p in problems if p.severity == "error"], "\n".join(map(str, problems))


def test_no_module_level_repository_paths():
    """Libraries take a Project or a path; only command-line defaults ask for the repository root."""
    offenders = []
    for path in sorted((ROOT / "scripts").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith(("ROOT", "STRINGS_DIR", "EVENTS_FILE", "HELP_FILE", "EMERGENCY_FILE")):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line}")
    assert not offenders


def test_only_the_site_package_imports_the_theme_or_mkdocs():
    offenders = []
    for path in sorted((ROOT / "scripts").rglob("*.py")):
        if "site" in path.relative_to(ROOT / "scripts").parts[:1]:
            continue
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"^\s*(?:from|import) (mkdocs|material|mkdocs_static_i18n)\b", text, re.M):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0).strip()}")
    assert not offenders


@pytest.mark.parametrize("command", ["build", "status", "content", "helpdir", "events", "linkcheck", "pdf", "fonts",
                                     "bench", "treediff"])
def test_every_command_starts(command: str):
    """`python -m scripts <command> --help` works for every command the README names."""
    import subprocess
    import sys

    from scripts.__main__ import COMMANDS

    assert command in COMMANDS
    result = subprocess.run([sys.executable, "-m", "scripts", command, "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage" in (result.stdout + result.stderr).lower()



@pytest.mark.parametrize("text,line,expected", [
    ("a: !!bool maybe\n", 1, "cannot read 'maybe' as bool"),
    ("a: 1\nb: !!timestamp soon\n", 2, "as timestamp"),
    ("x:\n  <<: {a: 1}\n  a: 2\n  a: 3\n", 4, "`a` is given twice"),
])
def test_yaml_tags_and_merge_keys(text: str, line: int, expected: str):
    with pytest.raises(InputError) as exc:
        parse(text, Path("x.yml"))
    assert [(p.line, expected in p.message) for p in exc.value.problems] == [(line, True)]
    assert parse("b: &b {a: 1}\nx: {<<: *b, a: 3}\n", Path("x.yml")).data["x"] == {"a": 3}
