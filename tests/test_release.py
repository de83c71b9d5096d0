"""The release gate (`make release`): the starter content is refused with file:line + fix, a finished copy
passes, check dates count 12 months back from an injectable today, `make build` stays permissive."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.checks import release
from scripts.core.problems import Problem, display_path
from scripts.core.project import Project

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 12, 1)  # the starter help directory was checked 2026-11-25
SITE_URL_LINE = next(n for n, line in enumerate((ROOT / "mkdocs.yml").read_text("utf-8").splitlines(), 1)
                     if line.startswith("site_url:"))


def copy_site(target: Path) -> Path:
    """The real site's sources (mkdocs.yml, docs/, data/, overrides/) in `target`."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    for folder in ("docs", "data", "overrides"):
        shutil.copytree(ROOT / folder, target / folder)
    return target


def found(root: Path, problems: list[Problem]) -> dict[tuple[str, int], str]:
    """{(path relative to the copy, line): message}"""
    return {(display_path(p.path, root), p.line): p.message for p in problems}


def finish(root: Path) -> None:
    """Replace every starter placeholder in a copy by real-looking values and set site_url."""
    replacements = [(r"[\w-]+\.example\b|example\.org", "stuttgart.de"), (r"0123 (\d+)", r"0711 \1"),
                    (r"Beispielstraße", "Hauptstraße"), (r"12345 Beispielstadt", "70173 Stuttgart")]
    for path in [*(root / "docs").rglob("*.md"), *(root / "data").rglob("*.yml")]:
        text = original = path.read_text("utf-8")
        for pattern, new in replacements:
            text = re.sub(pattern, new, text)
        if path.name == release.IMPRINT_PAGE:
            lines = text.splitlines()
            sections = release.h2_sections(lines)
            heading = next(line for line, title, _ in sections
                           if "impressum" in title.casefold() or title == "Выходные данные")
            lines.insert(heading, "\nStadt Stuttgart, Marktplatz 1, 70173 Stuttgart\n")
            text = "\n".join(lines) + "\n"
        if text != original:
            path.write_text(text, "utf-8")
    config = root / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*$", "site_url: https://gewaltpraevention.stuttgart.de/",
                             config.read_text("utf-8")), "utf-8")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setattr(release, "TODAY", TODAY)


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Problem]]:
    """A copy of the real starter content and what the gate says about it (read once)."""
    root = copy_site(tmp_path_factory.mktemp("starter"))
    saved, os_env = release.TODAY, os.environ.pop("SITE_URL", None)
    release.TODAY = TODAY
    try:
        problems = release.gate(Project.load(root / "mkdocs.yml"))
    finally:
        release.TODAY = saved
        if os_env is not None:
            os.environ["SITE_URL"] = os_env
    return root, problems


@pytest.fixture
def finished(tmp_path: Path) -> Path:
    root = copy_site(tmp_path / "site-src")
    finish(root)
    return root


# ---- the starter content is refused ------------------------------------------------------------------

def test_starter_content_names_every_placeholder_file_and_line(starter):
    root, problems = starter
    reported = found(root, problems)
    assert problems and all(p.fix for p in problems)
    # the about page's contact address, in every language
    for page in sorted((root / "docs").glob("*/about.md")):
        lines = page.read_text("utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if "stadt.example" in line:
                key = (display_path(page, root), number)
                assert key in reported and "stadt.example" in reported[key], key
    assert "gewaltpraevention@stadt.example" in reported[("docs/de/about.md", 44)]
    # every dummy contact and address of the event calendar
    events = (root / "data/events.yml").read_text("utf-8").splitlines()
    expected = {n for n, line in enumerate(events, 1)
                if re.search(r"0123 \d|example\.org|Beispielstadt|Frau Beispiel", line)}
    assert expected and expected <= {line for path, line in reported if path == "data/events.yml"}
    assert "`0123 4567890`" in reported[("data/events.yml", 25)]
    assert "`termine@example.org`" in reported[("data/events.yml", 26)]
    assert "`Beispielstraße`, `Beispielstadt`" in reported[("data/events.yml", 40)]


def test_starter_imprint_placeholder_is_named_in_every_language(starter):
    root, problems = starter
    imprint = {display_path(p.path, root): p for p in problems if p.message.startswith("imprint placeholder")}
    assert set(imprint) == {display_path(page, root) for page in (root / "docs").glob("*/about.md")}
    german = imprint["docs/de/about.md"]
    line = (root / "docs/de/about.md").read_text("utf-8").splitlines()[german.line - 1]
    assert line.startswith("Herausgeberin:") and "siehe Impressum der Stadt" in line
    assert "postcode" in german.fix and "https://" in german.fix
    assert "docs/de/about.md" in imprint["docs/ar/about.md"].fix


def test_starter_empty_site_url_points_at_its_line(starter):
    root, problems = starter
    assert found(root, problems)[("mkdocs.yml", SITE_URL_LINE)].startswith("site_url is empty")


def test_starter_gate_reports_nothing_else(starter):
    """No false alarms: every problem is one of the known placeholders (e.g. `zum Beispiel`, the real
    helpline 0800 1239900 and checklist boxes `- [ ]` pass)."""
    root, problems = starter
    for problem in problems:
        assert problem.message.startswith(("placeholder `", "imprint placeholder", "site_url is empty")), problem
        if problem.message.startswith("placeholder"):
            assert re.search(r"stadt\.example|example\.org|0123 \d|Beispiel(stadt|straße)", problem.message)


def test_finished_copy_passes(finished):
    problems = release.gate(Project.load(finished / "mkdocs.yml"))
    assert problems == [], "\n".join(map(str, problems))


def test_site_url_from_the_environment_counts(tmp_path, monkeypatch):
    root = copy_site(tmp_path / "src")
    monkeypatch.setenv("SITE_URL", "https://gewaltpraevention.stuttgart.de/")
    assert list(release.site_url(Project.load(root / "mkdocs.yml"))) == []
    for url, words in (("http://gewaltpraevention.stuttgart.de/", "not an https://"),
                       ("https://www.stadt.example/", "placeholder")):
        monkeypatch.setenv("SITE_URL", url)
        (problem,) = release.site_url(Project.load(root / "mkdocs.yml"))
        assert words in problem.message and problem.line == SITE_URL_LINE


# ---- help directory and facts: checked within 12 months ----------------------------------------------

def _help_with_first_checked(root: Path, day: dt.date) -> int:
    """Set the first entry's `checked` to `day`; return its line."""
    path = root / "data/help.yml"
    lines = path.read_text("utf-8").splitlines()
    number = next(n for n, line in enumerate(lines, 1) if line.strip().startswith("checked:"))
    lines[number - 1] = re.sub(r"checked:.*", f"checked: {day.isoformat()}", lines[number - 1])
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return number


@pytest.mark.parametrize(("checked", "stale"), [
    (dt.date(2026, 2, 15), True),    # 13 months before 2027-03-15
    (dt.date(2026, 3, 14), True),    # 12 months and a day
    (dt.date(2026, 3, 15), False),   # exactly 12 months
    (dt.date(2026, 4, 15), False),   # 11 months
])
def test_help_entry_checked_more_than_12_months_ago_fails(tmp_path, checked, stale):
    root = copy_site(tmp_path / "src")
    today = dt.date(2027, 3, 15)
    line = _help_with_first_checked(root, checked)
    project = Project.load(root / "mkdocs.yml")
    problems = list(release.help_checked(project, today=today))
    # the other (starter) entries were checked 2026-11-25
    assert [(p.line, "Polizei" in p.message) for p in problems] == ([(line, True)] if stale else [])
    if stale:
        assert f"checked {checked.isoformat()}" in problems[0].message
        assert "checked: 2027-03-15" in problems[0].fix


def test_today_is_injectable_through_the_gate(finished, monkeypatch):
    line = _help_with_first_checked(finished, dt.date(2025, 10, 1))
    monkeypatch.setattr(release, "TODAY", dt.date(2026, 9, 30))
    assert release.gate(Project.load(finished / "mkdocs.yml")) == []
    monkeypatch.setattr(release, "TODAY", dt.date(2026, 10, 2))
    (problem,) = release.gate(Project.load(finished / "mkdocs.yml"))
    assert display_path(problem.path, finished) == "data/help.yml" and problem.line == line


def test_months_before_ends_of_months():
    assert release.months_before(dt.date(2028, 2, 29), 12) == dt.date(2027, 2, 28)
    assert release.months_before(dt.date(2027, 3, 31), 13) == dt.date(2026, 2, 28)
    assert release.months_before(dt.date(2027, 1, 15), 12) == dt.date(2026, 1, 15)


def test_facts_file_every_checked_date(tmp_path):
    root = copy_site(tmp_path / "src")
    project = Project.load(root / "mkdocs.yml")
    assert list(release.facts_checked(project, today=TODAY)) == []  # the real facts are recent
    (root / "data/facts.yml").unlink()
    assert list(release.facts_checked(project, today=TODAY)) == []  # no facts file: nothing to check
    (root / "data/facts.yml").write_text(
        "facts:\n"
        "  - id: schutzanordnung\n"
        "    checked: 2026-06-01\n"
        "  - id: wohnungsverweis\n"
        "    sources:\n"
        "      - url: https://www.gesetze-im-internet.de/gewschg/\n"
        "        checked: 2025-10-31\n"
        "  - id: hilfetelefon\n"
        "    checked: \"2025-12-01\"\n"
        "  - id: kaputt\n"
        "    checked: soon\n", "utf-8")
    problems = {p.line: p.message for p in release.facts_checked(project, today=TODAY)}
    assert set(problems) == {7, 11}
    assert "checked 2025-10-31" in problems[7] and "2025-12-01" in problems[7]
    assert "not a date" in problems[11]


# ---- what counts as a placeholder ---------------------------------------------------------------------

@pytest.mark.parametrize("line", [
    "- E-Mail: gewaltpraevention@stadt.example", "Website: https://www.example.com/impressum",
    "      email: termine@example.org", '      phone: "0123 4567890"', "Telefon: 0123 456789",
    "[0123 456789](tel:0123456789)", "Telefon: ٠١٢٣ ٤٥٦٧٨٩", "    contact: {name: Frau Beispiel}",
    "Anschrift: Beispielstraße 12, 12345 Beispielstadt", "TODO: Öffnungszeiten", "Platzhalter für die Adresse",
])
def test_placeholder_lines(line):
    assert release.line_placeholders(line)[0]


@pytest.mark.parametrize("line", [
    "Das Jugendamt hilft, zum Beispiel bei Anträgen.", "For example, call the police.",
    "[0800 1239900](tel:08001239900)", "[116 016](tel:116016)", "Hilfetelefon: 0800 0116016",
    "Postleitzahl 01234", "https://www.hilfetelefon.de", "Beispiele aus dem Strafgesetzbuch",
])
def test_real_lines_are_no_placeholders(line):
    assert release.line_placeholders(line)[0] == []


def test_bracketed_placeholders_in_pages_and_data(tmp_path):
    page = tmp_path / "about.md"
    page.write_text("---\ntitle: Über uns\n---\n\n# Über uns\n\n"
                    "Herausgeberin: [Name der Stelle], [Straße und Hausnummer]\n"
                    "- [ ] Ausweis\n- [x] Geld\nSiehe [Hilfe](hilfe.md), [Polizei][110] und [Notruf].\n"
                    "Fußnote[^1] und `[code]`\n\n```\n[Beispiel im Code]\n```\n\n"
                    "[110]: tel:110\n[notruf]: tel:112\n[^1]: Text\n", "utf-8")
    problems = list(release.markdown_placeholders(page))
    assert [(p.line, p.message) for p in problems] == [
        (7, "placeholder `[Name der Stelle]`, `[Straße und Hausnummer]` must not go live")]
    data = tmp_path / "help.yml"
    data.write_text("entries:\n  - name: \"[Name der Beratungsstelle]\"\n    languages: [de, en]\n", "utf-8")
    assert [(p.line, p.message) for p in release.yaml_placeholders(data)] == [
        (2, "placeholder `[Name der Beratungsstelle]` must not go live")]


def test_yaml_comments_are_not_published(tmp_path):
    data = tmp_path / "events.yml"
    data.write_text("# example: contact: {name: Frau Beispiel, phone: \"0123 456789\"}\nevents: []\n", "utf-8")
    assert list(release.yaml_placeholders(data)) == []


# ---- command line, make release, make build ----------------------------------------------------------

def _command(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "SITE_URL"}
    return subprocess.run([sys.executable, "-m", "scripts.checks.release", "--config", str(root / "mkdocs.yml"),
                           *args], cwd=root, capture_output=True, text=True, env=env, timeout=120)


def test_command_line_refuses_the_starter_content(starter):
    root, _ = starter
    result = _command(root, "--today", TODAY.isoformat())
    assert result.returncode == 1, result.stderr
    output = result.stdout + result.stderr
    assert re.search(r"(?m)^docs/de/about\.md:44: placeholder `gewaltpraevention@stadt\.example`", output)
    assert re.search(r"(?m)^data/events\.yml:25: placeholder `0123 4567890`", output)
    assert re.search(rf"(?m)^mkdocs\.yml:{SITE_URL_LINE}: site_url is empty", output)
    locations = re.findall(r"(?m)^\S+:\d+: ", output)
    assert len(locations) == len(starter[1]) == output.count("\n    fix: ")
    assert "Traceback" not in output


def test_command_line_passes_a_finished_copy_and_rejects_bad_usage(finished):
    result = _command(finished, "--today", TODAY.isoformat())
    assert result.returncode == 0, result.stderr
    assert "passed" in result.stdout
    assert _command(finished, "--today", "morgen").returncode == 2
    assert release.main(["--config", str(finished / "missing.yml")]) == 2


def test_make_release_runs_the_gate_before_the_build():
    """`make release`: the gate first and the build only when it passes (site/ stays unchanged)."""
    makefile = (ROOT / "Makefile").read_text("utf-8")
    recipe = re.search(r"(?m)^release:(.*)\n\t(.*)$", makefile)
    assert recipe, "no release target"
    assert "$(STAMP)" in recipe[1] and "sysdeps-build" in recipe[1]
    assert recipe[2] == "$(PY) -m scripts.checks.release && $(PY) -m scripts build"


def test_make_build_stays_permissive(starter):
    """The build's own checks do not run the release stage: the starter content still builds."""
    from scripts.site import build

    root, _ = starter
    errors, _warnings = build.preflight(root / "mkdocs.yml")
    assert errors == []


def test_page_facts_checked_more_than_12_months_ago_fail(tmp_path):
    root = copy_site(tmp_path / "src")
    project = Project.load(root / "mkdocs.yml")
    assert list(release.pages_checked(project, today=dt.date(2027, 11, 29))) == []
    [problem] = [p for p in release.pages_checked(project, today=dt.date(2027, 12, 1)) if "rechte" in p.path]
    assert problem.line == 4 and "2026-11-30" in problem.message and "checked:" in problem.fix
