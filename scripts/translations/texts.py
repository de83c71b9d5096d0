"""UI strings (data/strings*), calendar and help-directory texts: present and non-empty in every language."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scripts.core.checks import check
from scripts.core.problems import InputError
from scripts.core.project import STRING_SETS, Project
from scripts.core.strings import REQUIRED_KEYS, check_strings
from scripts.translations.model import (
    TEXT_MODULES,
    Problem,
    _finding,
)


@check("strings", "warning", "translations")
def check_site_strings(project: Project) -> Iterator[Problem]:
    """data/strings*/<lang>.yml (site, events page, print material): every key of de.yml present, non-empty."""
    problems = []
    for name in STRING_SETS:
        directory = project.strings_dir(name)
        if not (directory / "de.yml").is_file() and name != "strings":
            continue
        problems += check_strings(directory, project.codes, REQUIRED_KEYS if name == "strings" else ())
    for problem in problems:
        lang = Path(problem.path).stem
        severity = "error" if lang == project.default else None
        yield _finding(project.root, problem.path, problem.line, problem.message, "strings", lang, severity)


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


@check("texts", "info", "translations")
def check_data_texts(project: Project) -> Iterator[Problem]:
    """Calendar and help-directory texts: each German text has a non-empty text in every language."""
    for function in _text_sources():
        try:
            texts = list(function(project.root))
        except InputError as exc:
            for problem in exc.problems:
                yield _finding(
                    project.root, problem.path, problem.line, problem.message, "texts", project.default, "error"
                )
            continue
        for path, line, key, values in texts:
            german = values.get(project.default, "")
            if not str(german or "").strip():
                continue
            for lang in project.targets:
                if not str(values.get(lang.code) or "").strip():
                    yield _finding(
                        project.root,
                        path,
                        line,
                        f"`{key}` is untranslated in `{lang.code}` (German: {str(german).strip()!r})",
                        "texts",
                        lang.code,
                    )


