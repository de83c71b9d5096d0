"""The status report: every page's state and every finding per language, and its JSON form."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.core.checks import run as run_checks
from scripts.core.pages import (
    STAMP_KEY,
    TODO_KEY,
    Page,
    read_page,
    source_hash,
    word_count,
)
from scripts.core.project import Language
from scripts.translations.model import (
    CHECKS,
    JSON_SCHEMA_ID,
    SEVERITIES,
    Problem,
    Site,
    _finding,
    _rel,
    _select,
    load_site,
)
from scripts.translations.safety import SafetyItem, check_safety, safety_items
from scripts.translations.structure import check_structure
from scripts.translations.trust import Freshness, Review, freshness, review_of

# ---- the report ------------------------------------------------------------------------------

STATES = ("current", "outdated", "unstamped", "untranslated", "missing", "orphan")


@dataclass
class PageStatus:
    name: str
    state: str
    title: str
    source_title: str
    words: int  # words of the German source (0 for orphans)
    path: str | None  # the translation file, relative to the root (None when missing)
    source: str | None  # the German file (None for orphans)
    stamp: str | None = None
    review: Review | None = None  # how the translation was made and checked (None when missing)
    freshness: Freshness | None = None  # for outdated pages: since when, which sections (from git)

    @property
    def reviewed(self) -> bool:
        return bool(self.review and self.review.reviewed)


@dataclass
class LanguageReport:
    code: str
    name: str
    direction: str
    pages: list[PageStatus] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    complete: float = 100.0  # percent of German pages with a current translation
    words_complete: float = 100.0


@dataclass
class Report:
    root: Path
    source: str
    source_name: str
    sources: dict[str, tuple[str, int]]  # name -> (hash, words)
    languages: list[LanguageReport]
    findings: list[Problem]
    checks: tuple[str, ...] = tuple(CHECKS)


def _page_findings(
    site: Site,
    lang: Language,
    sources: dict[str, Page],
    report: LanguageReport,
    wanted: dict[str, list[SafetyItem]],
) -> Iterator[Problem]:
    root = site.root
    docs_rel = _rel(root, site.docs)
    translations = site.translations(lang.code)
    for name, source in sources.items():
        source_rel = f"{docs_rel}/{site.source}/{name}"
        digest, words = source_hash(source.text), word_count(source.body)
        path = translations.get(name)
        if path is None:
            report.pages.append(PageStatus(name, "missing", "", source.title, words, None, source_rel))
            yield _finding(
                root,
                source.path,
                1,
                f"no `{lang.code}` translation ({words} words): "
                f"python -m scripts status new {lang.code} {name}",
                "missing",
                lang.code,
            )
            continue
        page = read_page(path)
        stamp = page.stamp
        rel = _rel(root, path)
        if page.todo:
            state = "untranslated"
            yield _finding(
                root,
                path,
                page.front_line(TODO_KEY) if page.meta.get(TODO_KEY) else page.body_line,
                f"still marked `translation: todo` / `translate me` ({words} German words to "
                f"translate); delete the markers when done, then run "
                f"`python -m scripts status stamp {lang.code}/{name}`",
                "untranslated",
                lang.code,
            )
        elif stamp is None:
            state = "unstamped"
            yield _finding(
                root,
                path,
                1,
                f"no `{STAMP_KEY}` stamp, so nobody can tell whether it matches "
                f"the German source: compare with {source_rel}, then run "
                f"`python -m scripts status stamp {lang.code}/{name}`",
                "outdated",
                lang.code,
            )
        elif stamp != digest:
            state = "outdated"
            yield _finding(
                root,
                path,
                page.front_line(STAMP_KEY),
                f"the German source changed since this "
                f"translation was made (stamp {stamp}, source now {digest}): see "
                f"`python -m scripts status diff {lang.code}/{name}`, update the text, then run "
                f"`python -m scripts status stamp {lang.code}/{name}`",
                "outdated",
                lang.code,
            )
        else:
            state = "current"
        fresh = freshness(root, source.path, page) if state == "outdated" else None
        report.pages.append(PageStatus(name, state, page.title, source.title, words, rel, source_rel, stamp,
                                       review_of(page), fresh))
        if state not in ("untranslated", "missing") and not review_of(page).reviewed:
            yield _finding(root, path, 1, "not yet checked by a native speaker (add `reviewed_by:` and "
                           f"`reviewed_on:`, or run `python -m scripts status stamp {lang.code}/{name} "
                           "--reviewed-by INITIALS`)", "unreviewed", lang.code)
        if state != "untranslated":
            yield from check_structure(root, lang.code, source, page)
            yield from check_safety(root, lang.code, source, page, wanted[name])
    for name, path in translations.items():
        if name in sources:
            continue
        page = read_page(path)
        report.pages.append(PageStatus(name, "orphan", page.title, "", 0, _rel(root, path), None, page.stamp))
        yield _finding(
            root,
            path,
            1,
            f"no German source {docs_rel}/{site.source}/{name} (renamed or deleted?): "
            "rename or delete this translation",
            "orphan",
            lang.code,
        )


def collect(root: Path, langs: list[str] | None = None, checks: Iterable[str] | None = None) -> Report:
    """Every finding and every page's state for the given languages (default: all but German)."""
    site = load_site(root)
    selected = _select(site, langs)
    chosen = tuple(checks) if checks else tuple(CHECKS)
    sources = {name: read_page(path) for name, path in site.source_pages().items()}
    source_info = {name: (source_hash(page.text), word_count(page.body)) for name, page in sources.items()}
    wanted = {name: safety_items(page.body, page.body_line) for name, page in sources.items()}
    findings: list[Problem] = []
    reports: list[LanguageReport] = []
    for lang in selected:
        report = LanguageReport(lang.code, lang.name, lang.direction)
        findings.extend(_page_findings(site, lang, sources, report, wanted))
        reports.append(report)
    # UI strings, theme texts, calendar and directory texts: the registered translation checks
    codes = {lang.code for lang in selected} | {site.source}
    # (safety and structure are checked per page above: not run a second time here)
    registered = (run_checks("preflight", site.project, only=["theme"])
                  + run_checks("translations", site.project, only=["strings", "texts", "theme-texts"]))
    findings.extend(problem.relative_to(site.root) for problem in registered
                    if problem.check in ("strings", "texts") and problem.lang in codes)
    findings = [f for f in findings if f.check in chosen]
    total_words = sum(words for _, words in source_info.values())
    for report in reports:
        report.counts = {
            check: sum(1 for f in findings if f.lang == report.code and f.check == check) for check in CHECKS
        }
        current = [p for p in report.pages if p.state == "current"]
        report.complete = round(100.0 * len(current) / len(sources), 1) if sources else 100.0
        report.words_complete = (
            round(100.0 * sum(p.words for p in current) / total_words, 1) if total_words else 100.0
        )
    source_lang = site.langs[0]
    return Report(root, site.source, source_lang.name, source_info, reports, findings, chosen)


def report_to_json(report: Report) -> dict[str, Any]:
    """The report as plain JSON data (schema id in `schema`)."""
    docs = f"docs/{report.source}"
    return {
        "schema": JSON_SCHEMA_ID,
        "source_language": report.source,
        "checks": list(report.checks),
        "sources": [
            {"name": name, "path": f"{docs}/{name}", "hash": digest, "words": words}
            for name, (digest, words) in report.sources.items()
        ],
        "languages": [
            {
                "code": lang.code,
                "name": lang.name,
                "direction": lang.direction,
                "complete_percent": lang.complete,
                "words_complete_percent": lang.words_complete,
                "counts": dict(lang.counts),
                "pages": [
                    {
                        "name": p.name,
                        "state": p.state,
                        "title": p.title,
                        "path": p.path,
                        "source": p.source,
                        "words": p.words,
                        "stamp": p.stamp,
                        "method": p.review.method if p.review else None,
                        "reviewed_by": p.review.reviewed_by if p.review else None,
                        "reviewed_on": p.review.reviewed_on.isoformat() if p.review and p.review.reviewed_on
                        else None,
                        "german_changed": p.freshness.source_changed.isoformat()
                        if p.freshness and p.freshness.source_changed else None,
                        "translated_from": p.freshness.translated_from.isoformat()
                        if p.freshness and p.freshness.translated_from else None,
                        "changed_sections": list(p.freshness.changed_sections) if p.freshness else [],
                    }
                    for p in lang.pages
                ],
            }
            for lang in report.languages
        ],
        "findings": [
            {
                "path": f.path,
                "line": f.line,
                "message": f.message,
                "check": f.check,
                "severity": f.severity,
                "lang": f.lang,
            }
            for f in report.findings
        ],
        "summary": {
            severity: sum(1 for f in report.findings if f.severity == severity) for severity in SEVERITIES
        },
    }


