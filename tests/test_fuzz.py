"""Property tests: whatever an editor writes, every loader gives a result or `file:line` problems, never a
traceback (front matter, YAML data files, UI strings, the calendar, the directory, the markup check)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scripts.checks import content, markup
from scripts.core import pages
from scripts.core.problems import InputError, Problem
from scripts.core.project import Project
from scripts.core.strings import read_strings
from scripts.core.yamlsrc import parse
from scripts.events.model import load_events
from scripts.helpdir import load_directory, load_emergency
from tests.conftest import ROOT

PROJECT = Project.load(ROOT / "mkdocs.yml")
MD = markup._markdown(PROJECT)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# pieces editors (and broken editors) really write: YAML syntax, Markdown, HTML, odd characters
TOKENS = [
    "---", "...", "\n", "\r\n", "  ", "- ", ": ", "key", "title", "events", "entries", "id", "start", "end",
    "duration", "languages", "[ar, fa]", "{", "}", "[", "]", "'", '"', "#", "&anchor", "*anchor", "!!str", "!ENV",
    "<<: ", "2026-10-08 17:00", "19:00", "2 h", "0800 1239900", "+49", "١١٠", "۱۱۰", "\u202e", "\u200c", "\ufeff",
    "\t", "\x00", "\x1b", "<a href=\"javascript:x\">", "<script>", "[x](tel:110)", "> ", "1. ", "|a|b|", "`",
    "title: Ihre Rechte", "de: Text", "phone: \"116 016\"", "kind: helpline", "checked: 2026-11-25", "ä", "ሰላም",
    "مرحبا", "𝟏", "\U0001f600", "null", "~", "yes", "no", "0x1F", "1e400", "-", "?", "|", ">", "%YAML 1.2",
]
editor_text = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=40).map("".join)
any_text = editor_text | st.text(max_size=300)


def _well_formed(problems: list[Problem]) -> None:
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path and problem.line >= 1 and problem.message
        str(problem)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


@SETTINGS
@given(text=any_text)
def test_front_matter_reader_never_crashes(tmp_path: Path, text: str):
    page = pages.page_from_text(tmp_path / "p.md", text)
    _well_formed(list(page.problems))
    assert isinstance(page.meta, dict)
    page.stamp, page.todo, page.german_only, page.title  # noqa: B018 - every property must answer
    pages.set_front_matter_key(text, "source_hash", '"abc"')


@SETTINGS
@given(text=any_text)
def test_content_and_markup_checks_never_crash(tmp_path: Path, text: str):
    path = _write(tmp_path, "p.md", text)
    _well_formed(list(content.check_page(path)))
    _well_formed(list(markup.check_page_markup(path, text, MD)))


@SETTINGS
@given(text=any_text, plain_times=st.booleans())
def test_yaml_loader_gives_data_or_problems(text: str, plain_times: bool):
    try:
        source = parse(text, Path("data/x.yml"), plain_times=plain_times)
    except InputError as exc:
        _well_formed(exc.problems)
    else:
        assert source.line() >= 1


@SETTINGS
@given(text=any_text)
def test_data_loaders_give_data_or_problems(tmp_path: Path, text: str):
    path = _write(tmp_path, "data.yml", text)
    for load in (lambda: load_events(path, ["de", "ar"], {"rechte"}), lambda: load_directory(path),
                 lambda: load_emergency(path, {"emergency_police"})):
        try:
            load()
        except InputError as exc:
            _well_formed(exc.problems)


@SETTINGS
@given(text=any_text)
def test_strings_loader_gives_texts_or_problems(tmp_path: Path, text: str):
    path = _write(tmp_path, "fa.yml", text)
    read_strings.cache_clear()
    try:
        values, lines = read_strings(path)
    except InputError as exc:
        _well_formed(exc.problems)
    else:
        assert all(isinstance(v, str) for v in values.values())


def test_odd_files_are_handled(tmp_path: Path):
    """Empty file, BOM, CRLF line ends, deeply nested YAML and lists, a 5 MB page."""
    cases = {
        "empty.md": b"",
        "bom.md": "\ufeff---\ntitle: BOM\n---\n\n# BOM\n".encode(),
        "crlf.md": b"---\r\ntitle: CRLF\r\n---\r\n\r\n# CRLF\r\n\r\nText [110](tel:110)\r\n",
        "nested.md": ("---\ntitle: N\n---\n\n" + "".join("    " * i + "- x\n" for i in range(400))).encode(),
        "big.md": b"---\ntitle: Big\n---\n\n" + b"Text. " * 900_000,
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        problems = list(content.check_page(path))
        text = path.read_bytes().decode("utf-8")
        if path.stat().st_size <= content.MAX_PAGE_BYTES:
            problems += list(markup.check_page_markup(path, text, MD))
        _well_formed(problems)
        if name in ("bom.md", "crlf.md", "empty.md"):
            assert not problems, (name, [str(p) for p in problems])
            if name != "empty.md":
                assert pages.read_page(path).title in ("BOM", "CRLF")
        else:
            assert problems, name
    deep = tmp_path / "deep.yml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    try:
        load_directory(deep)
    except InputError as exc:
        _well_formed(exc.problems)
