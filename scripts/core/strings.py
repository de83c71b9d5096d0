"""Site UI strings per language (data/strings/<lang>.yml), validated against the German source."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from scripts.core.problems import InputError, Problem
from scripts.core.project import ROOT

STRINGS_DIR = ROOT / "data" / "strings"
REQUIRED_KEYS = (
    "language_name",
    "site_name",
    "site_description",
    "fallback_notice",
    "fallback_link",
    "not_found_title",
    "not_found_text",
    "not_found_home",
)


def _load_file(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """Parse one strings file into (values, line numbers); raise InputError on bad YAML or shape."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError([Problem(str(path), line, "file is not UTF-8 text", "save the file as UTF-8")]) from None
    try:
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise InputError([Problem(str(path), line, f"invalid YAML: {getattr(exc, 'problem', exc)}",
                                  'write one `key: text` per line; quote texts containing ": " or "#"')]) from None
    if node is None:
        return {}, {}
    if not isinstance(node, yaml.MappingNode):
        raise InputError([Problem(str(path), node.start_mark.line + 1, "expected `key: text` lines",
                                  "write one `key: \"text\"` per line, as in the other files of data/strings/")])
    values: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems = []
    for key_node, value_node in node.value:
        key = key_node.value
        line = key_node.start_mark.line + 1
        if not isinstance(value_node, yaml.ScalarNode):
            problems.append(Problem(str(path), line, f"`{key}` must be a single text", "write it on one line"))
            continue
        values[key] = str(value_node.value)
        lines[key] = line
    if problems:
        raise InputError(problems)
    return values, lines


def check_strings(directory: Path = STRINGS_DIR, languages: list[str] | None = None,
                  required: tuple[str, ...] = REQUIRED_KEYS) -> list[Problem]:
    """Problems across all language files: missing file, missing or empty key, unknown key."""
    problems: list[Problem] = []
    source_path = directory / "de.yml"
    if not source_path.exists():
        return [Problem(str(source_path), 1, "German strings file is missing", "restore data/strings/de.yml")]
    try:
        source, _ = _load_file(source_path)
    except InputError as exc:
        return exc.problems
    for key in required:
        if not source.get(key, "").strip():
            problems.append(Problem(str(source_path), 1, f"required key `{key}` is missing or empty",
                                    f"add `{key}: <German text>`"))
    for code in languages or []:
        path = directory / f"{code}.yml"
        if not path.exists():
            problems.append(Problem(str(path), 1, f"no UI strings for language `{code}` (German is shown)",
                                    f"copy data/strings/de.yml to {path.name} and translate the texts",
                                    severity="warning"))
            continue
        try:
            values, lines = _load_file(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for key in source:
            if not values.get(key, "").strip():
                problems.append(Problem(str(path), lines.get(key, 1), f"UI string `{key}` is missing or empty",
                                        f"translate data/strings/de.yml `{key}`: {source[key]!r}",
                                        severity="warning"))
        for key in values.keys() - source.keys():
            problems.append(Problem(str(path), lines[key], f"unknown key `{key}` (not in de.yml)",
                                    "remove it or fix the spelling", severity="warning"))
    return problems


@lru_cache(maxsize=None)
def load_strings(code: str, directory: Path = STRINGS_DIR) -> dict[str, str]:
    """Strings for one language, German filling any gap (the checker reports gaps)."""
    german, _ = _load_file(directory / "de.yml")
    path = directory / f"{code}.yml"
    own = _load_file(path)[0] if path.exists() else {}
    return {**german, **{k: v for k, v in own.items() if v.strip()}}
