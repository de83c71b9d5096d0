"""UI strings, theme partials, calendar and directory texts: present and non-empty in every language."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scripts.core import strings as sitestrings
from scripts.core.problems import InputError
from scripts.core.project import Language
from scripts.translations.model import (
    TEXT_MODULES,
    Finding,
    Site,
    _finding,
)

# ---- UI strings, theme partials, calendar and directory texts ---------------------------------

_PARTIAL_ENTRY = re.compile(r'^\s*"([^"]+)"\s*:\s*"((?:[^"\\]|\\.)*)"', re.MULTILINE)


def _material_languages_dir() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    path = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return path if path.is_dir() else None


def partial_entries(text: str) -> dict[str, tuple[str, int]]:
    return {
        m.group(1): (m.group(2), text.count("\n", 0, m.start()) + 1) for m in _PARTIAL_ENTRY.finditer(text)
    }


def check_site_strings(site: Site, langs: list[Language]) -> Iterator[Finding]:
    """data/strings*/<lang>.yml (site, events page, print material): every key of de.yml present, non-empty."""
    problems = []
    for name in ("strings", "strings-events", "strings-print"):
        directory = site.root / "data" / name
        if not (directory / "de.yml").is_file() and name != "strings":
            continue
        try:
            problems += sitestrings.check_strings(directory, languages=[lang.code for lang in langs],
                                                  required=sitestrings.REQUIRED_KEYS if name == "strings" else ())
        except InputError as exc:
            problems += exc.problems
    for problem in problems:
        lang = Path(problem.path).stem
        severity = "error" if lang == site.source else None
        yield _finding(site.root, problem.path, problem.line, problem.message, "strings", lang, severity)


def check_theme_partials(site: Site, langs: list[Language]) -> Iterator[Finding]:
    """overrides/partials/languages/<lang>.html: every key of Material's en.html, non-empty.

    `search.config.*` values are settings, not texts: they may be blank (no stemmer for the language).
    """
    material_dir = _material_languages_dir()
    if material_dir is None or not (material_dir / "en.html").is_file():
        return
    reference = partial_entries((material_dir / "en.html").read_text(encoding="utf-8"))
    for lang in langs:
        path = site.root / "overrides" / "partials" / "languages" / f"{lang.code}.html"
        if not path.is_file():
            if not (material_dir / f"{lang.code}.html").is_file():
                yield _finding(
                    site.root,
                    path,
                    1,
                    f"the theme has no interface texts for `{lang.code}` "
                    "(the build stops with TemplateNotFound): copy overrides/partials/languages/"
                    "ku.html and translate it",
                    "strings",
                    lang.code,
                    "error",
                )
            continue
        entries = partial_entries(path.read_text(encoding="utf-8"))
        for key, (english, _) in reference.items():
            if key not in entries:
                yield _finding(
                    site.root,
                    path,
                    1,
                    f"theme text `{key}` is missing (English: {english!r})",
                    "strings",
                    lang.code,
                )
            elif not entries[key][0].strip() and not key.startswith("search.config."):
                yield _finding(
                    site.root,
                    path,
                    entries[key][1],
                    f"theme text `{key}` is empty (English: {english!r})",
                    "strings",
                    lang.code,
                )


def _text_sources() -> Iterator[Any]:
    for name in TEXT_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        function = getattr(module, "translatable_texts", None)
        if callable(function):
            yield function


def check_data_texts(site: Site, langs: list[Language]) -> Iterator[Finding]:
    """Calendar and help-directory texts: each German text has a non-empty text in every language."""
    for function in _text_sources():
        try:
            texts = list(function(site.root))
        except InputError as exc:
            for problem in exc.problems:
                yield _finding(
                    site.root, problem.path, problem.line, problem.message, "texts", site.source, "error"
                )
            continue
        for path, line, key, values in texts:
            german = values.get(site.source, "")
            if not str(german or "").strip():
                continue
            for lang in langs:
                if not str(values.get(lang.code) or "").strip():
                    yield _finding(
                        site.root,
                        path,
                        line,
                        f"`{key}` is untranslated in `{lang.code}` (German: {str(german).strip()!r})",
                        "texts",
                        lang.code,
                    )


