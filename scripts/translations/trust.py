"""What a reader is told about a translated page: is it older than its German source (since when, which
sections changed), and how was it made and checked (machine-assisted, reviewed by a native speaker).

Front matter of a translation (besides `source_hash`, see the status tool):
  translation_method: machine-assisted | human     how the text was made (default: unknown)
  reviewed_by: "A. K., native speaker"            who checked it (initials or role, never a full name)
  reviewed_on: 2026-11-20                         when; without it the page says it is not yet checked

Pure functions over a Project and git; the site hooks turn the result into the notice in the reader's
language, the status tool counts and lists it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from scripts.core.pages import Page, cached_page, source_hash, split_front_matter
from scripts.translations.history import HistoryUnavailable, commit_date, find_source_version, last_change

METHODS = ("machine-assisted", "human")
_H2 = re.compile(r"^##\s+(.*?)\s*(?:\{[^}]*\})?\s*$")


@dataclass(frozen=True)
class Review:
    """How a translation was made and checked."""

    method: str | None = None
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None

    @property
    def reviewed(self) -> bool:
        return self.reviewed_on is not None


@dataclass(frozen=True)
class Freshness:
    """An outdated translation: when German changed, which German version it was made from, what changed."""

    source_changed: dt.date | None  # last committed change of the German page (None: uncommitted or no git)
    translated_from: dt.date | None  # date of the German version the translation was made from
    changed_sections: tuple[str, ...]  # the translation's own headings of the sections that changed
    intro_changed: bool = False  # the text before the first section heading changed


def review_of(page: Page) -> Review:
    """The review state written in a translation's front matter (unknown values are ignored)."""
    method = page.meta.get("translation_method")
    by = page.meta.get("reviewed_by")
    on = page.meta.get("reviewed_on")
    if isinstance(on, str):
        try:
            on = dt.date.fromisoformat(on.strip())
        except ValueError:
            on = None
    return Review(method if method in METHODS else None, str(by).strip() if by else None,
                  on if isinstance(on, dt.date) else None)


def sections(text: str) -> list[tuple[str, str]]:
    """(heading, normalized text) of the part before the first `## ` heading and of every `## ` section."""
    _, body, _ = split_front_matter(text)
    parts: list[tuple[str, list[str]]] = [("", [])]
    in_code = False
    for line in body:
        if line.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
        match = None if in_code else _H2.match(line)
        if match:
            parts.append((match.group(1), []))
        else:
            parts[-1][1].append(line)
    return [(title, " ".join(unicodedata.normalize("NFC", "\n".join(lines)).split())) for title, lines in parts]


def changed_section_indices(old: str, new: str) -> tuple[bool, list[int], list[str]]:
    """(intro changed, indices in the OLD text (which the translation mirrors) of `## ` sections that changed,
    German titles of sections that are new)."""
    before, after = sections(old), sections(new)
    old_index = {title: i for i, (title, _) in enumerate(before) if i}
    intro = before[0][1] != after[0][1]
    changed: list[int] = []
    added: list[str] = []
    for i, (title, body) in enumerate(after):
        if not i:
            continue
        if title not in old_index:
            added.append(title)
        elif before[old_index[title]][1] != body:
            changed.append(old_index[title])
    return intro, changed, added


def translation_headings(page: Page) -> list[str]:
    """The `## ` headings of a translation, in order (index 1 = first section, like `sections`)."""
    return [title for title, _ in sections(page.text)]


def freshness(root: Path, source: Path, page: Page) -> Freshness | None:
    """None when the translation is current (or has no stamp to compare); else what readers should know."""
    stamp = page.stamp
    current = cached_page(source).text  # every language asks for the same German page
    if stamp is None or stamp == source_hash(current):
        return None
    changed = last_change(root, source)
    try:
        commit, _, old_text = find_source_version(root, source, stamp)
    except HistoryUnavailable:
        return Freshness(changed, None, ())
    intro, indices, added = changed_section_indices(old_text, current)
    headings = translation_headings(page)
    # the translation's own heading for a changed section; the German title for a section it does not have yet
    names = tuple([headings[i] for i in indices if 0 < i < len(headings) and headings[i]] + added)
    return Freshness(changed, commit_date(root, commit), names, intro)


def page_trust(root: Path, docs: Path, default: str, lang: str, name: str) -> tuple[Review, Freshness | None]:
    """Review state and freshness of docs/<lang>/<name> (a translation that exists)."""
    page = cached_page(docs / lang / name)
    return review_of(page), freshness(root, docs / default / name, page)


@dataclass(frozen=True)
class Notice:
    """The texts shown to readers of one translated page, in their language (plain text, not HTML)."""

    outdated: str | None = None
    sections: str | None = None
    review: str | None = None


def reader_notice(review: Review, fresh: Freshness | None, strings: dict[str, str], locale: str) -> Notice:
    """The notice texts for a translated page, dates in the reader's locale (Babel)."""
    from babel.dates import format_date

    def day(value: dt.date) -> str:
        return format_date(value, "long", locale=locale)

    outdated = sections_text = None
    if fresh is not None:
        if fresh.source_changed and fresh.translated_from:
            outdated = strings["outdated_notice"].format(changed=day(fresh.source_changed),
                                                         translated=day(fresh.translated_from))
        else:
            outdated = strings["outdated_notice_undated"]
        names = ([strings["outdated_intro"]] if fresh.intro_changed else []) + list(fresh.changed_sections)
        if names:
            sections_text = f"{strings['outdated_sections']} " + "; ".join(f"„{n}“" if locale.startswith("de")
                                                                          else n for n in names)
    if review.reviewed and review.reviewed_on:
        review_text = strings["review_done"].format(date=day(review.reviewed_on))
    elif review.method == "machine-assisted":
        review_text = strings["review_machine"]
    else:
        review_text = strings["review_none"]
    return Notice(outdated, sections_text, review_text)
