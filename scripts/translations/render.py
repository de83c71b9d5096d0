"""The report for people: the coordinators' status page (Markdown, German) and the terminal table."""

from __future__ import annotations

import html
import os
from typing import Any

from scripts.translations.model import (
    CHECKS,
)
from scripts.translations.report import PageStatus, Report

# ---- the status page for coordinators ---------------------------------------------------------

STATE_DE = {
    "current": "aktuell",
    "outdated": "veraltet",
    "unstamped": "ungeprüft (kein Stempel)",
    "untranslated": "noch nicht übersetzt (Gerüst)",
    "missing": "fehlt (deutsche Seite mit Hinweis)",
    "orphan": "verwaist (keine deutsche Quelle)",
}


def _md_cell(text: str) -> str:
    return html.escape(text, quote=False).replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def _page_url(name: str) -> str:
    return name[:-3] + ".html" if name.endswith(".md") else name


def render_status_markdown(report: Report) -> str:
    """Markdown body of the coordinators' status page, for a page at the site root (German text)."""
    out = [
        "# Übersetzungsstand",
        "",
        (
            f"{len(report.sources)} deutsche Seiten, {sum(w for _, w in report.sources.values())} Wörter. "
            "Veraltet: die deutsche Seite wurde seit der Übersetzung geändert "
            "(`python -m scripts status diff <sprache>/<datei>` zeigt die Änderungen)."
        ),
        "",
        "| Sprache | vollständig | fehlt | veraltet | Gerüst | verwaist | Hinweise |",
        "|---|---|---|---|---|---|---|",
    ]
    for lang in report.languages:
        states = [p.state for p in lang.pages]
        notes = sum(
            1
            for f in report.findings
            if f.lang == lang.code and f.check in ("structure", "safety", "strings")
        )
        out.append(
            f'| [<bdi lang="{lang.code}">{_md_cell(lang.name)}</bdi> ({lang.code})](#{_anchor(lang.code)}) '
            f"| {lang.complete:g} % | {states.count('missing')} "
            f"| {states.count('outdated') + states.count('unstamped')} | {states.count('untranslated')} "
            f"| {states.count('orphan')} | {notes} |"
        )
    out += render_matrix(report)
    for lang in report.languages:
        out += [
            "",
            f"## {_md_cell(lang.name)} ({lang.code}) {{#{_anchor(lang.code)}}}",
            "",
            f"{lang.complete:g} % der Seiten aktuell übersetzt.",
            "",
            "| Seite | Zustand | Übersetzung | Deutsche Quelle | Wörter |",
            "|---|---|---|---|---|",
        ]
        for page in lang.pages:
            url = _page_url(page.name)
            own = (
                f'[<bdi lang="{lang.code}">{_md_cell(page.title or page.source_title)}</bdi>]'
                f"({lang.code}/{url})"
            )
            german = f"[{_md_cell(page.source_title)}]({url})" if page.source else "–"
            out.append(
                f"| `{_md_cell(page.name)}` | {STATE_DE[page.state]} | {own} | {german} | {page.words} |"
            )
        notes = [f for f in report.findings if f.lang == lang.code and f.check not in ("missing", "unreviewed")]
        if notes:
            out += ["", "Hinweise:", ""]
            out += [
                f"- `{_md_cell(f.path)}:{f.line}` ({f.check}, {f.severity}): {_md_cell(f.message)}"
                for f in notes
            ]
    return "\n".join(out) + "\n"


MATRIX_DE = {"current": "aktuell", "outdated": "veraltet", "unstamped": "ungeprüft", "untranslated": "Gerüst",
             "missing": "fehlt", "orphan": "verwaist"}


def _matrix_cell(lang: str, page: PageStatus | None) -> str:
    if page is None:
        return "–"
    text = MATRIX_DE[page.state]
    if page.state == "outdated" and page.freshness and page.freshness.source_changed:
        text += f" seit {page.freshness.source_changed:%d.%m.%Y}"
    if page.state == "missing":
        text += " (deutsch)"
    link = f"[{text}]({lang}/{_page_url(page.name)})"
    if page.state not in ("missing", "untranslated") and not page.reviewed:
        link += " · nicht geprüft"
    return link


def render_matrix(report: Report) -> list[str]:
    """Seiten × Sprachen: the state of every translation, each cell linking to the page."""
    codes = [lang.code for lang in report.languages]
    by_lang = {lang.code: {p.name: p for p in lang.pages} for lang in report.languages}
    out = ["", "## Seiten und Sprachen {#matrix}", "",
           "Jede Zelle führt zur Seite in dieser Sprache; die erste Spalte zur deutschen Quelle. "
           "„nicht geprüft“: noch nicht von einer Muttersprachlerin oder einem Muttersprachler durchgesehen.", "",
           "| Seite | " + " | ".join(f'<bdi lang="{c}">{c}</bdi>' for c in codes) + " |",
           "|---|" + "---|" * len(codes)]
    for name in report.sources:
        title = next((p.source_title for lang in report.languages for p in lang.pages if p.name == name), name)
        cells = [_matrix_cell(code, by_lang[code].get(name)) for code in codes]
        out.append(f"| [{_md_cell(title)}]({_page_url(name)}) | " + " | ".join(cells) + " |")
    return out


def _anchor(code: str) -> str:
    return f"lang-{code.lower()}"


# ---- terminal output -------------------------------------------------------------------------

_COLOURS = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1"}
TABLE_COLUMNS = ("missing", "outdated", "orphan", "untranslated", "unreviewed", "strings", "texts", "structure",
                 "safety")


def _paint(text: str, colour: str, on: bool) -> str:
    return f"\033[{_COLOURS[colour]}m{text}\033[0m" if on and colour else text


def render_table(report: Report, colour: bool = False) -> str:
    headers = ("lang",) + TABLE_COLUMNS + ("complete", "language")
    rows: list[tuple[list[str], list[str]]] = []
    de_cells, de_colours = [report.source], [""]
    for check in TABLE_COLUMNS:
        if check in ("strings", "texts") and check in report.checks:
            count = sum(1 for f in report.findings if f.lang == report.source and f.check == check)
            de_cells.append(str(count))
            de_colours.append("red" if count else "")
        else:
            de_cells.append("source" if check == "missing" else "-")
            de_colours.append("")
    rows.append((de_cells + ["100%", report.source_name], de_colours + ["green", ""]))
    for lang in report.languages:
        cells, colours = [lang.code], [""]
        for check in TABLE_COLUMNS:
            if check not in report.checks:
                cells.append("-")
                colours.append("dim")
                continue
            count = lang.counts.get(check, 0)
            cells.append(str(count))
            colours.append(
                ""
                if not count
                else "red"
                if CHECKS[check] == "error"
                else "yellow"
                if CHECKS[check] == "warning"
                else ""
            )
        cells.append(f"{lang.complete:g}%")
        colours.append("green" if lang.complete >= 100 else "yellow" if lang.complete >= 50 else "red")
        cells.append(lang.name)
        colours.append("")
        rows.append((cells, colours))
    widths = [max(len(headers[i]), *(len(cells[i]) for cells, _ in rows)) for i in range(len(headers) - 1)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)) + "  " + headers[-1]]
    lines[0] = _paint(lines[0], "bold", colour)
    for cells, colours in rows:
        parts = [
            _paint(c.ljust(w) if i == 0 else c.rjust(w), colours[i], colour)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ]
        lines.append("  ".join(parts) + "  " + cells[-1])
    words = sum(w for _, w in report.sources.values())
    count = len(report.sources)
    title = f"Translation status: {count} German page{'' if count == 1 else 's'}, {words} words"
    return "\n".join([title, ""] + lines)


def _use_colour(stream: Any) -> bool:
    return (
        bool(getattr(stream, "isatty", lambda: False)())
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM") != "dumb"
    )




PAGE_STATES_EN = {"outdated": "outdated", "unstamped": "no stamp", "untranslated": "not translated yet",
                  "missing": "missing (German shown)", "orphan": "orphan (no German source)"}


def render_pages(report: Report) -> str:
    """One line per page that needs someone: missing, outdated, untranslated, orphan, unsafe, unreviewed."""
    unsafe = {(f.lang, f.path) for f in report.findings if f.check == "safety"}
    lines = []
    for lang in report.languages:
        for page in lang.pages:
            notes = []
            if page.state != "current":
                note = PAGE_STATES_EN[page.state]
                fresh = page.freshness
                if fresh and fresh.source_changed and fresh.translated_from:
                    note += f" (German changed {fresh.source_changed}, translation from the version of " \
                            f"{fresh.translated_from})"
                notes.append(note)
            if page.path and (lang.code, page.path) in unsafe:
                notes.append("UNSAFE: numbers, links or laws differ from the German")
            if page.state not in ("missing", "untranslated") and not page.reviewed:
                notes.append("not checked by a native speaker")
            if notes:
                lines.append(f"{lang.code:<6} {page.name:<22} {'; '.join(notes)}")
    return "\n".join(lines)
