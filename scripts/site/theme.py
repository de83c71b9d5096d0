"""The theme's own interface texts per language (Material's partials/languages/<lang>.html, or ours in
overrides/ for languages Material lacks): present for every language, every key translated."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from scripts.core.checks import check
from scripts.core.problems import Problem
from scripts.core.project import Project

_PARTIAL_ENTRY = re.compile(r'^\s*"([^"]+)"\s*:\s*"((?:[^"\\]|\\.)*)"', re.MULTILINE)
TEMPLATE_LANGUAGE = "ku"  # our most complete partial, the one to copy for a new language


def material_languages_dir() -> Path | None:
    """Material's folder of per-language interface texts (None when the theme is not installed)."""
    try:
        import material
    except ImportError:
        return None
    path = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return path if path.is_dir() else None


def partial_entries(text: str) -> dict[str, tuple[str, int]]:
    """`"key": "text"` entries of a language partial with their line numbers."""
    return {m.group(1): (m.group(2), text.count("\n", 0, m.start()) + 1) for m in _PARTIAL_ENTRY.finditer(text)}


def _partial(project: Project, code: str) -> Path:
    return project.overrides / "partials" / "languages" / f"{code}.html"


@check("theme", "error", "preflight")
def missing_partials(project: Project) -> Iterator[Problem]:
    """Every language has the theme's interface texts (else MkDocs stops with TemplateNotFound)."""
    material_dir = material_languages_dir()
    for code in project.codes:
        if _partial(project, code).is_file() or (material_dir and (material_dir / f"{code}.html").is_file()):
            continue
        yield Problem(str(project.config_file), 1,
                      f"the theme has no interface texts for `{code}` (the build stops with TemplateNotFound)",
                      f"copy overrides/partials/languages/{TEMPLATE_LANGUAGE}.html to {code}.html, set language "
                      "and direction, and translate every value (see README)", check="strings", lang=code)


@check("theme-texts", "warning", "translations")
def partial_texts(project: Project) -> Iterator[Problem]:
    """Our partials have every key of Material's en.html, non-empty (`search.config.*` may be blank)."""
    material_dir = material_languages_dir()
    if material_dir is None or not (material_dir / "en.html").is_file():
        return
    reference = partial_entries((material_dir / "en.html").read_text(encoding="utf-8"))
    for lang in project.targets:
        path = _partial(project, lang.code)
        if not path.is_file():
            continue
        entries = partial_entries(path.read_text(encoding="utf-8"))
        for key, (english, _) in reference.items():
            if key not in entries:
                yield Problem(str(path), 1, f"theme text `{key}` is missing (English: {english!r})",
                              severity="warning", check="strings", lang=lang.code)
            elif not entries[key][0].strip() and not key.startswith("search.config."):
                yield Problem(str(path), entries[key][1], f"theme text `{key}` is empty (English: {english!r})",
                              severity="warning", check="strings", lang=lang.code)
