"""Structure check: headings, list items and tables of a translation close to its German source."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from scripts.core.pages import (
    Page,
)
from scripts.translations.model import (
    Problem,
    _finding,
)
from scripts.translations.safety import normalize_digits

# ---- structure -------------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+\S")


@dataclass(frozen=True)
class Shape:
    headings: int
    list_items: int
    tables: tuple[tuple[int, int], ...]  # (rows without the separator, columns)


def shape(lines: list[str]) -> Shape:
    headings = items = 0
    tables: list[tuple[int, int]] = []
    rows: list[str] = []
    in_code = False
    for raw in lines + [""]:
        line = re.sub(r"^(\s*>)+\s?", "", normalize_digits(raw))
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        if in_code:
            continue
        if line.lstrip().startswith("|"):
            rows.append(line.strip())
            continue
        if rows:
            body = [r for r in rows if not re.fullmatch(r"[|:\-\s]+", r)]
            cols = len(rows[0].strip("|").split("|"))
            tables.append((len(body), cols))
            rows = []
        if re.match(r"^#{1,6}\s+\S", line):
            headings += 1
        elif _LIST_ITEM.match(line):
            items += 1
    return Shape(headings, items, tuple(tables))


def check_structure(root: Path, lang: str, source: Page, page: Page) -> Iterator[Problem]:
    """Heading count, list items and table shapes close to the source (else stale or partial)."""
    want, have = shape(source.body), shape(page.body)
    problems = []
    if want.headings != have.headings:
        problems.append(f"{have.headings} headings, the German source has {want.headings}")
    if abs(want.list_items - have.list_items) > max(2, want.list_items // 4):
        problems.append(f"{have.list_items} list items, the German source has {want.list_items}")
    if want.tables != have.tables:

        def describe(tables: tuple[tuple[int, int], ...]) -> str:
            return ", ".join(f"{r}x{c}" for r, c in tables) or "none"

        problems.append(
            f"tables (rows x columns) {describe(have.tables)}, the German source has {describe(want.tables)}"
        )
    if problems:
        yield _finding(
            root,
            page.path,
            page.body_line,
            "structure differs from the German source: "
            + "; ".join(problems)
            + " (stale or partial translation?)",
            "structure",
            lang,
        )


