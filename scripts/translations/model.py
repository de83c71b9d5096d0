"""Translation status basics: checks and severities, one finding, the site's languages and pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from scripts.core.pages import UsageError, is_german_only
from scripts.core.project import Language, languages, load_mkdocs_config

SEVERITIES = ("info", "warning", "error")
CHECKS: dict[str, str] = {
    "missing": "info",
    "outdated": "warning",
    "untranslated": "warning",
    "orphan": "warning",
    "structure": "warning",
    "strings": "warning",
    "texts": "info",
    "safety": "error",
}
TEXT_MODULES = ("scripts.events", "scripts.helpdir")
JSON_SCHEMA_ID = "handouts-translation-status/1"

# ---- findings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    message: str
    check: str
    severity: str
    lang: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message} ({self.check})"


def _finding(
    root: Path, path: Path | str, line: int, message: str, check: str, lang: str, severity: str | None = None
) -> Finding:
    return Finding(_rel(root, path), line, message, check, severity or CHECKS[check], lang)


def _rel(root: Path, path: Path | str) -> str:
    p = Path(path)
    try:
        return p.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


# ---- the site --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    root: Path
    docs: Path
    source: str
    langs: list[Language]  # every configured language, source first

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
    config_path = root / "mkdocs.yml"
    if not config_path.is_file():
        raise UsageError(f"{config_path}: not found (--root must be the repository root)")
    try:
        config = load_mkdocs_config(config_path)
    except yaml.YAMLError as exc:
        raise UsageError(f"{config_path}: invalid YAML: {exc}") from None
    langs = languages(config)
    if not langs:
        raise UsageError(f"{config_path}: no languages under plugins.i18n.languages")
    return Site(root, root / str(config.get("docs_dir", "docs")), langs[0].code, langs)


def _select(site: Site, codes: list[str] | None) -> list[Language]:
    if not codes:
        return site.targets
    known = {lang.code: lang for lang in site.langs}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise UsageError(f"unknown language {', '.join(unknown)}; configured: {', '.join(known)}")
    return [known[c] for c in codes if c != site.source]


