"""UI strings per language (data/strings*/<lang>.yml: site, events page, print material), checked against
the German file: every key present and non-empty, no unknown keys."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scripts.core.problems import InputError, Problem
from scripts.core.yamlsrc import load

# data/strings/de.yml must have these (the theme templates use them directly)
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


@cache
def read_strings(path: Path) -> tuple[dict[str, str], dict[str, int]]:
    """One strings file as (texts, line of each key); InputError on bad YAML or shape (read once)."""
    source = load(path, what="strings file")
    if source.data is None:
        return {}, {}
    if not isinstance(source.data, dict):
        raise InputError([Problem(str(path), source.line(), "expected `key: text` lines",
                                  "write one `key: \"text\"` per line, as in the other files of this folder")])
    values: dict[str, str] = {}
    problems = []
    for key, value in source.data.items():
        if isinstance(value, (dict, list)):
            problems.append(Problem(str(path), source.line(key), f"`{key}` must be a single text",
                                    "write it on one line"))
        else:
            values[str(key)] = "" if value is None else str(value)
    if problems:
        raise InputError(problems)
    return values, {str(k): source.line(k) for k in source.data}


def check_strings(directory: Path, languages: list[str], required: tuple[str, ...] = ()) -> list[Problem]:
    """Problems across all language files: missing file, missing or empty key, unknown key."""
    problems: list[Problem] = []
    source_path = directory / "de.yml"
    if not source_path.exists():
        return [Problem(str(source_path), 1, "German strings file is missing", f"restore {source_path.name}")]
    try:
        source, _ = read_strings(source_path)
    except InputError as exc:
        return exc.problems
    for key in required:
        if not source.get(key, "").strip():
            problems.append(Problem(str(source_path), 1, f"required key `{key}` is missing or empty",
                                    f"add `{key}: <German text>`"))
    for code in languages:
        path = directory / f"{code}.yml"
        if code == "de":
            continue
        if not path.exists():
            problems.append(Problem(str(path), 1, f"no UI strings for language `{code}` (German is shown)",
                                    f"copy data/{directory.name}/de.yml to {path.name} and translate the texts",
                                    severity="warning"))
            continue
        try:
            values, lines = read_strings(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        for key in source:
            if not values.get(key, "").strip():
                problems.append(Problem(str(path), lines.get(key, 1), f"UI string `{key}` is missing or empty",
                                        f"translate data/{directory.name}/de.yml `{key}`: {source[key]!r}",
                                        severity="warning"))
        for key in values.keys() - source.keys():
            problems.append(Problem(str(path), lines[key], f"unknown key `{key}` (not in de.yml)",
                                    "remove it or fix the spelling", severity="warning"))
    return problems


@cache
def load_strings(code: str, directory: Path) -> dict[str, str]:
    """Strings for one language, German filling any gap (the checker reports gaps)."""
    german, _ = read_strings(directory / "de.yml")
    path = directory / f"{code}.yml"
    own = read_strings(path)[0] if path.exists() else {}
    return {**german, **{k: v for k, v in own.items() if v.strip()}}


def clear_cache() -> None:
    """Forget every file read (the live preview rebuilds in one process)."""
    read_strings.cache_clear()
    load_strings.cache_clear()
