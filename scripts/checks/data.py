"""Preflight checks of the data files: UI strings, help directory, emergency numbers, event calendar, and
that every data text is plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from scripts.checks.markup import text_problems
from scripts.core.checks import check
from scripts.core.problems import InputError, Problem
from scripts.core.project import STRING_SETS, Project
from scripts.core.strings import REQUIRED_KEYS, check_strings
from scripts.core.yamlsrc import load, read_text, scalars
from scripts.events.model import load_events
from scripts.facts import load_facts, placeholders
from scripts.helpdir import load_directory, load_emergency


@check("ui-strings", "error", "preflight")
def ui_strings(project: Project) -> list[Problem]:
    """data/strings*/<lang>.yml (site, events page, print material) readable, every German file there and
    the site's complete (gaps in translations are warnings: German is shown)."""
    problems: list[Problem] = []
    for kind in STRING_SETS:
        problems += check_strings(project.strings_dir(kind), project.codes, REQUIRED_KEYS if kind == "strings" else ())
    return problems


@check("help-directory", "error", "preflight")
def help_directory(project: Project) -> list[Problem]:
    """data/help.yml: every entry valid (phone, hours, languages, https website, checked date)."""
    load_directory(project.data / "help.yml")
    return []


@check("events", "error", "preflight")
def event_calendar(project: Project) -> list[Problem]:
    """data/events.yml: every event valid, its topic a German handout."""
    load_events(project.data / "events.yml", project.codes, project.handout_stems())
    return []


@check("emergency-numbers", "error", "preflight")
def emergency_numbers(project: Project) -> list[Problem]:
    """data/emergency.yml: numbers that dial, labels that are UI string keys."""
    load_emergency(project.data / "emergency.yml", project.strings(project.default).keys())
    return []


_TAG_OR_ENTITY = re.compile(r"<\s*[a-zA-Z/!?]|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


def data_files(project: Project) -> list[Path]:
    """Every YAML file editors write: calendar, directory, emergency numbers, UI strings."""
    files = [project.data / name for name in ("events.yml", "help.yml", "emergency.yml", "facts.yml")]
    for kind in STRING_SETS:
        files += sorted(project.strings_dir(kind).glob("*.yml"))
    return [path for path in files if path.is_file()]


@check("data-text", "error", "preflight")
def plain_data_texts(project: Project) -> Iterator[Problem]:
    """Data files are plain text: no HTML or entities, no control or direction characters, no lookalike
    or mixed digits (pages, calendar files, structured data and PDFs escape what they show)."""
    for path in data_files(project):
        try:
            source = load(path, plain_times=path.name == "events.yml")
        except InputError:
            continue  # reported by the file's own check
        yield from text_problems(path, source_lines(path))
        for at, text in scalars(source.data):
            if isinstance(text, str) and _TAG_OR_ENTITY.search(text):
                yield Problem(str(path), source.line(*at), f"HTML is not allowed in data texts: {text[:60]!r}",
                              "write plain text; the site formats it (use typographic quotes, not HTML)")


def source_lines(path: Path) -> list[str]:
    """The lines of a text file (already known to be UTF-8)."""
    return read_text(path).splitlines()


@check("facts", "error", "preflight")
def facts_and_placeholders(project: Project) -> Iterator[Problem]:
    """data/facts.yml valid; every `{{ fact:id }}` of every page names a fact; facts are for this edition's Land."""
    facts = load_facts(project.data / "facts.yml", project.default)
    land = project.edition.get("land", "")
    for fact in facts.values():
        if fact.land and land and fact.land != land:
            yield Problem(str(project.data / "facts.yml"), fact.line, f"fact `{fact.id}` holds for {fact.land}, "
                          f"but this edition is for {land} (mkdocs.yml extra.edition)",
                          f"give the value that holds in {land}, or change `land:`")
    for code in project.codes:
        for path in sorted((project.docs / code).rglob("*.md")) if (project.docs / code).is_dir() else []:
            try:
                text = read_text(path, "page")
            except InputError:
                continue
            for line, fact_id in placeholders(text):
                if fact_id not in facts:
                    yield Problem(str(path), line, f"unknown fact `{fact_id}` in {{{{ fact:{fact_id} }}}}",
                                  "use an id from data/facts.yml (or add the fact there)")
