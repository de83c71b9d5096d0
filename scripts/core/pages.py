"""One model of a Markdown page: front matter, body, line numbers, stamps and source hashes."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

STAMP_KEY = "source_hash"
TODO_KEY = "translation"
TODO_VALUE = "todo"
TODO_MARKER = (
    "<!-- translate me: this page is still the German text. Translate it, delete this line and "
    "`translation: todo`, then run `python -m scripts.status stamp {lang}/{name}` -->"
)
TODO_MARKER_RE = re.compile(r"<!--\s*translate me\b", re.IGNORECASE)


class UsageError(Exception):
    """Bad command line or unusable input (exit 2)."""


# ---- pages, front matter, hashes ------------------------------------------------------------

_FENCE = re.compile(r"^-{3}\s*$")
_STAMP_LINE = re.compile(rf"^{STAMP_KEY}\s*:\s*[\"']?([0-9a-fA-F]*)[\"']?\s*$")


@dataclass(frozen=True)
class Page:
    path: Path
    text: str
    front: list[str]  # front matter lines without the fences ([] if none)
    body: list[str]
    body_line: int  # 1-based line number of body[0]

    @property
    def meta(self) -> dict[str, Any]:
        try:
            data = yaml.safe_load("\n".join(self.front)) if self.front else None
        except yaml.YAMLError:
            return {}
        return data if isinstance(data, dict) else {}

    def front_line(self, key: str) -> int:
        """Line number of `key:` in the front matter, else 1."""
        for i, line in enumerate(self.front):
            if re.match(rf"{re.escape(key)}\s*:", line):
                return i + 2
        return 1

    @property
    def stamp(self) -> str | None:
        for line in self.front:
            match = _STAMP_LINE.match(line)
            if match:
                return match.group(1).lower() or None
        return None

    @property
    def todo(self) -> bool:
        value = self.meta.get(TODO_KEY)
        return (isinstance(value, str) and value.strip().lower() == TODO_VALUE) or any(
            TODO_MARKER_RE.search(line) for line in self.body[:5]
        )

    @property
    def title(self) -> str:
        title = self.meta.get("title")
        if isinstance(title, str) and title.strip():
            return title.strip()
        for line in self.body:
            if line.startswith("# "):
                return line[2:].strip()
        return self.path.stem


def split_front_matter(text: str) -> tuple[list[str], list[str], int]:
    """(front matter lines, body lines, 1-based line number of the first body line)."""
    lines = text.removeprefix("\ufeff").splitlines()
    if lines and _FENCE.match(lines[0]):
        end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
        if end is not None:
            return lines[1:end], lines[end + 1 :], end + 2
    return [], lines, 1


def read_page(path: Path) -> Page:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{path}: not UTF-8 text (see `python -m scripts.content`)") from None
    front, body, start = split_front_matter(text)
    return Page(path, text, front, body, start)


def page_title(path: Path) -> str:
    """A page's title: front matter `title`, else its first `# ` heading, else the file name."""
    return read_page(path).title


def is_german_only(path: Path) -> bool:
    """Front matter `translate: false`: a page for the default language only (e.g. the status page)."""
    return _german_only(path)


def normalize_source(text: str) -> str:
    """The German source as hashed: no front matter, NFC, whitespace runs collapsed."""
    _, body, _ = split_front_matter(text)
    return " ".join(unicodedata.normalize("NFC", "\n".join(body)).split())


def source_hash(text: str) -> str:
    return hashlib.sha256(normalize_source(text).encode("utf-8")).hexdigest()[:16]


def set_front_matter_key(text: str, key: str, value: str | None) -> str:
    """Set (or with value None remove) one `key: value` line, leaving every other line as it is."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = text[len(bom) :].split(newline)
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    new_line = f"{key}: {value}" if value is not None else None
    if lines and _FENCE.match(lines[0]):
        end = next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)
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
    text = re.sub(r"\]\([^)]*\)", "]", "\n".join(lines))
    return len(re.findall(r"[^\W_]+", text))



def _german_only(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return bool(re.match(r"---\s*\n(?:.*\n)*?translate:\s*false\s*\n(?:.*\n)*?(?:---|\.\.\.)\s*\n", head))


