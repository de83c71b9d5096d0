"""Translation status basics: checks and severities, one finding, the site's languages and pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.core.pages import is_german_only
from scripts.core.problems import (
    SEVERITIES,  # noqa: F401  (re-exported for the CLI)
    InputError,
    Problem,
    UsageError,
    display_path,
)
from scripts.core.project import Language, Project

CHECKS: dict[str, str] = {
    "missing": "info",
    "outdated": "warning",
    "untranslated": "warning",
    "orphan": "warning",
    "structure": "warning",
    "strings": "warning",
    "texts": "info",
    "unreviewed": "info",
    "safety": "error",
}
TEXT_MODULES = ("scripts.events", "scripts.helpdir", "scripts.facts")
JSON_SCHEMA_ID = "handouts-translation-status/1"

def _finding(
    root: Path, path: Path | str, line: int, message: str, check: str, lang: str, severity: str | None = None
) -> Problem:
    """A translation-status problem, its path relative to the project root."""
    return Problem(_rel(root, path), line, message, severity=severity or CHECKS[check], check=check, lang=lang)


def _rel(root: Path, path: Path | str) -> str:
    """A path relative to the project root, as reports show it."""
    return display_path(Path(path).resolve(), root)


# ---- the site --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    root: Path
    docs: Path
    source: str
    langs: list[Language]  # every configured language, source first
    project: Project

    @property
    def targets(self) -> list[Language]:
        return [lang for lang in self.langs if lang.code != self.source]

    def source_pages(self) -> dict[str, Path]:
        """German pages meant for translation (front matter `translate: false` marks German-only pages)."""
        folder = self.docs / self.source
        if not folder.is_dir():
            return {}
        return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.md")) if not is_german_only(p)}

    def translations(self, code: str) -> dict[str, Path]:
        folder = self.docs / code
        return (
            {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.md"))}
            if folder.is_dir()
            else {}
        )


def load_site(root: Path) -> Site:
    """The project at `root` as the status tool sees it; UsageError when mkdocs.yml is missing or broken."""
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        raise UsageError(f"{config_path}: not found (--root must be the repository root)")
    try:
        project = Project.load(config_path)
    except InputError as exc:
        raise UsageError(str(exc)) from None
    return Site(project.root, project.docs, project.default, project.languages, project)


def _select(site: Site, codes: list[str] | None) -> list[Language]:
    if not codes:
        return site.targets
    known = {lang.code: lang for lang in site.langs}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}; configured: {', '.join(known)}")
    return [known[c] for c in codes if c != site.source]


