"""One model of a Markdown page: front matter (as MkDocs reads it), body, line numbers, translation stamps.

Front matter is the block between a first line `---` and the next line `---` or `...`, parsed as YAML,
exactly what MkDocs takes as page meta; everything else is the body. The checks, the translation status,
the site hooks and the PDFs all read pages through `read_page`, so they never disagree about a page.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from scripts.core.problems import InputError, Problem, UsageError
from scripts.core.yamlsrc import parse, read_text

STAMP_KEY = "source_hash"
TODO_KEY = "translation"
TODO_VALUE = "todo"
TODO_MARKER = (
    "<!-- translate me: this page is still the German text. Translate it, delete this line and "
    "`translation: todo`, then run `python -m scripts status stamp {lang}/{name}` -->"
)
TODO_MARKER_RE = re.compile(r"<!--\s*translate me\b", re.IGNORECASE)
# `{{ fact:police-ban-police }}`: a value held once in data/facts.yml (see scripts/facts)
FACT_PLACEHOLDER = re.compile(r"\{\{\s*fact:\s*([a-z0-9][a-z0-9-]*)\s*\}\}")
_OPEN = re.compile(r"^-{3}[ \t]*$")
_CLOSE = re.compile(r"^(?:-{3}|\.{3})[ \t]*$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_STAMP_LINE = re.compile(rf"^{STAMP_KEY}\s*:\s*[\"']?([0-9a-fA-F]*)[\"']?\s*(?:#.*)?$")


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[str]:
    """Lines as MkDocs and Markdown see them: split at \\r\\n, \\r and \\n only (not at U+2028 or U+0085)."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _front_end(lines: list[str], terminated: bool = True) -> int | None:
    """Index of the closing fence when lines[0] opens a front matter block, else None. Like MkDocs: at least
    one line between the fences, and a line break after the closing one (`terminated`: the text ends with one)."""
    if not lines or not _OPEN.match(lines[0]):
        return None
    end = next((i for i in range(2, len(lines)) if _CLOSE.match(lines[i])), None)
    if end is not None and end == len(lines) - 1 and not terminated:
        return None
    return end


def split_front_matter(text: str) -> tuple[list[str], list[str], int]:
    """(front matter lines, body lines, 1-based line number of the first body line)."""
    text = text.removeprefix("\ufeff")
    lines = split_lines(text)
    end = _front_end(lines, text.endswith(("\n", "\r")))
    if end is None:
        return [], lines, 1
    return lines[1:end], lines[end + 1:], end + 2


@dataclass(frozen=True)
class Page:
    path: Path
    text: str
    front: list[str]  # front matter lines without the fences ([] if none)
    body: list[str]
    body_line: int  # 1-based line number of body[0]
    meta: dict[str, Any] = field(default_factory=dict)  # {} when missing or not valid YAML
    meta_lines: dict[str, int] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()  # why the front matter could not be read

    def front_line(self, key: str) -> int:
        """Line number of `key:` in the front matter, else 1."""
        return self.meta_lines.get(key, 1)

    @property
    def stamp(self) -> str | None:
        """The `source_hash` this translation was made from (lower-case hex), if any."""
        value = self.meta.get(STAMP_KEY)
        if isinstance(value, str) and _HEX.match(value.strip()):
            return value.strip().lower()
        for line in self.front:  # an unquoted all-digit hash is read by YAML as a number
            match = _STAMP_LINE.match(line)
            if match:
                return match.group(1).lower() or None
        return None

    @property
    def todo(self) -> bool:
        """Still a scaffold (`translation: todo` or a `translate me` line at the top)."""
        value = self.meta.get(TODO_KEY)
        return (isinstance(value, str) and value.strip().lower() == TODO_VALUE) or any(
            TODO_MARKER_RE.search(line) for line in self.body[:5]
        )

    @property
    def german_only(self) -> bool:
        """Front matter `translate: false`: a page for the default language only (e.g. the status page)."""
        return self.meta.get("translate") is False

    @property
    def title(self) -> str:
        """Front matter `title`, else the first `# ` heading, else the file name."""
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        for line in self.body:
            if line.startswith("# "):
                return line[2:].strip()
        return self.path.stem


def page_from_text(path: Path, text: str) -> Page:
    """A Page from its text (BOM removed); front matter problems are kept on the page, not raised."""
    text = text.removeprefix("\ufeff")
    lines = split_lines(text)
    end = _front_end(lines, text.endswith(("\n", "\r")))
    if end is None:
        problems: tuple[Problem, ...] = ()
        if lines and _OPEN.match(lines[0]):
            problems = (Problem(str(path), 1, "front matter starts with `---` but is never closed",
                                "add a line with `---` after the `title:`/`description:` lines"),)
        return Page(path, text, [], lines, 1, problems=problems)
    front, body = lines[1:end], lines[end + 1:]
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    problems = ()
    try:
        source = parse("\n".join(front), path, first_line=2)
    except InputError as exc:
        problems = tuple(exc.problems)
    else:
        if isinstance(source.data, dict):
            meta = {str(k): v for k, v in source.data.items()}
            meta_lines = {str(k[0]): line for k, line in source.lines.items() if len(k) == 1}
        elif source.data is not None:
            problems = (Problem(str(path), 2, "front matter must be `key: value` lines",
                                "write for example `title: Ihre Rechte` between the two `---` lines"),)
    return Page(path, text, front, body, end + 2, meta, meta_lines, problems)


def read_page(path: Path) -> Page:
    """Read one page; UsageError when it is not readable UTF-8 text (the content check explains)."""
    try:
        return page_from_text(path, read_text(path, "page"))
    except InputError as exc:
        raise UsageError(str(exc)) from None


@lru_cache(maxsize=4096)
def _cached_page(path: Path, mtime_ns: int, size: int) -> Page:
    return read_page(path)


def cached_page(path: Path) -> Page:
    """read_page, reused while the file is unchanged (the site hooks ask for the same pages per language)."""
    stat = path.stat()
    return _cached_page(path, stat.st_mtime_ns, stat.st_size)


def page_title(path: Path) -> str:
    """A page's title: front matter `title`, else its first `# ` heading, else the file name."""
    return cached_page(path).title


def is_german_only(path: Path) -> bool:
    """Front matter `translate: false` (False, false, `false  # note`): the page exists only in German."""
    try:
        return cached_page(path).german_only
    except (OSError, UsageError):
        return False


def normalize_source(text: str) -> str:
    """The German source as hashed: no front matter, NFC, whitespace runs collapsed."""
    _, body, _ = split_front_matter(text)
    return " ".join(unicodedata.normalize("NFC", "\n".join(body)).split())


def source_hash(text: str) -> str:
    """First 16 hex digits of the SHA-256 of the normalized German source."""
    return hashlib.sha256(normalize_source(text).encode("utf-8")).hexdigest()[:16]


def set_front_matter_key(text: str, key: str, value: str | None) -> str:
    """Set (or with value None remove) one `key: value` line, leaving every other line as it is."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom):].split(newline)
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    new_line = f"{key}: {value}" if value is not None else None
    end = _front_end(lines)
    if end is not None:
        for i in range(1, end):
            if pattern.match(lines[i]):
                if new_line is None:
                    del lines[i]
                else:
                    lines[i] = new_line
                return bom + newline.join(lines)
        if new_line is not None:
            lines.insert(end, new_line)
        return bom + newline.join(lines)
    if new_line is None:
        return text
    return bom + newline.join(["---", new_line, "---", ""] + lines)


def word_count(lines: Iterable[str]) -> int:
    """Words of Markdown text, link targets not counted."""
    text = re.sub(r"\]\([^)]*\)", "]", "\n".join(lines))
    return len(re.findall(r"[^\W_]+", text))
