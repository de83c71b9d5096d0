"""Translation status: missing, outdated, orphaned, untranslated and unsafe translations.

`python -m scripts.status [check] [--lang fa,ar] [--check safety] [--min-severity warning]
[--fail-under PCT] [--format table|json] [--root DIR]` prints one `path:line: message (check)`
line per finding and a table per language; exit 0 clean, 1 findings at or above --min-severity
(default: warning) or a language below --fail-under, 2 usage or input error.

Other commands (paths relative to docs/, options after the command):
  stamp <lang>/<file>... | --all-current   mark reviewed translations as made from today's source
  new <lang> <file>                        scaffold a missing translation from the German source
  diff <lang>/<file>                       show what changed in the German source since the stamp

Conventions in a translation's front matter:
  source_hash: "<16 hex>"   first 16 hex digits of the SHA-256 of the German source it was made
                            from, normalized: front matter removed, Unicode NFC, every run of
                            whitespace collapsed to one space. Changing the source makes it outdated.
  translation: todo         written by `new` together with a first body line
                            `<!-- translate me: ... -->`; either one makes the page `untranslated`.
                            Delete both when the text is translated, then run `stamp`.

Checks (severity): missing (info), outdated (warning), untranslated (warning), orphan (warning),
structure (warning), strings (warning: data/strings and theme partials), texts (info: calendar
and help-directory texts; like missing pages they fall back to German with a notice), safety
(error: phone numbers, tel:/mailto: targets, e-mail addresses, URLs, domains and `§`
references of the source must appear in the translation; Arabic-Indic and Persian digits count
as ASCII digits). The build calls `safety_findings()`; the status page uses `collect()` and
`render_status_markdown()`.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import html
import importlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from scripts import sitestrings
from scripts.errors import InputError
from scripts.project import ROOT, Language, languages, load_mkdocs_config

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
STAMP_KEY = "source_hash"
TODO_KEY = "translation"
TODO_VALUE = "todo"
TODO_MARKER = (
    "<!-- translate me: this page is still the German text. Translate it, delete this line and "
    "`translation: todo`, then run `python -m scripts.status stamp {lang}/{name}` -->"
)
TODO_MARKER_RE = re.compile(r"<!--\s*translate me\b", re.IGNORECASE)
TEXT_MODULES = ("scripts.events", "scripts.helpdir")
JSON_SCHEMA_ID = "handouts-translation-status/1"


class UsageError(Exception):
    """Bad command line or unusable input (exit 2)."""


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
        return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*.md")) if not _german_only(p)}

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


# ---- safety: numbers, links, law references --------------------------------------------------

_DIGITS = str.maketrans({**{0x660 + i: str(i) for i in range(10)}, **{0x6F0 + i: str(i) for i in range(10)}})
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\u00ad\ufeff]")
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_AUTOLINK = re.compile(r"<((?:https?://|mailto:|tel:)[^>\s]+)>", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s<>()\[\]\"'`|]+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LAW = re.compile(
    r"§§?\s*\d+\s*[a-z]?(?:\s*(?:Abs\.|Absatz|Satz|S\.|Nr\.)\s*\d+\s*[a-z]?)*"
    r"\s+[A-ZÄÖÜ][A-Za-zÄÖÜäöüß]*[A-Z](?:\s+[IVX]+\b)?"
)
_DOMAIN = re.compile(
    r"(?<![\w@/.-])((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[a-z]{2,})"
    r"(/[^\s<>()\[\]\"'`|]*)?(?![\w-])"
)
_FILE_SUFFIXES = {
    "md",
    "html",
    "htm",
    "pdf",
    "png",
    "jpg",
    "jpeg",
    "svg",
    "gif",
    "webp",
    "yml",
    "yaml",
    "css",
    "js",
    "json",
    "txt",
    "ics",
    "woff",
    "woff2",
}
_PHONE = re.compile(r"(?<![\w.,:/§-])\+?\d(?:[ \u00a0\u202f\u2009/-]?\d)+(?![\w])(?![.,:/-]\d)")
_TRAILING = ".,;:!?\"'’”»"
# only lines with a digit, §, @, a scheme or a dotted name can hold a safety item
_CANDIDATE = re.compile(r"[\d§@]|://|\w\.[A-Za-z]{2}")
KIND_LABEL = {
    "phone": "phone number",
    "tel": "tel: link",
    "mailto": "mailto: link",
    "email": "e-mail address",
    "url": "web address",
    "domain": "web address",
    "law": "law reference",
}


@dataclass(frozen=True)
class SafetyItem:
    kind: str
    key: str
    shown: str
    line: int


def normalize_digits(text: str) -> str:
    """Arabic-Indic and Persian digits as ASCII, bidi marks removed, NFC."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text).translate(_DIGITS))


def _url_key(url: str) -> str:
    url = url.rstrip(_TRAILING)
    match = re.match(r"(?i)(https?)://([^/?#]+)(.*)", url)
    if not match:
        return url
    return f"{match.group(1).lower()}://{match.group(2).lower()}{match.group(3)}".rstrip("/")


def _domain_key(host: str, path: str = "") -> str:
    host = host.lower()
    host = host.removeprefix("www.")
    return (host + path.rstrip(_TRAILING)).rstrip("/")


def _bare_item(kind: str, text: str, number: int) -> SafetyItem:
    value = text.rstrip(_TRAILING)
    if kind == "url":
        return SafetyItem("url", _url_key(value), value, number)
    if kind == "email":
        return SafetyItem("email", value.lower(), value, number)
    return SafetyItem("law", re.sub(r"\s+", "", value), " ".join(value.split()), number)


def safety_items(lines: list[str], first_line: int = 1) -> list[SafetyItem]:
    """Every phone number, tel:/mailto: target, e-mail, URL, domain and § reference in the lines."""
    items: list[SafetyItem] = []
    in_code = False
    for offset, raw in enumerate(lines):
        number = first_line + offset
        if raw.lstrip().startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or not _CANDIDATE.search(raw):
            continue
        line = normalize_digits(raw)

        def target(match: re.Match[str], number: int = number) -> str:
            value = match.group(1)
            low = value.lower()
            if low.startswith("tel:"):
                digits = re.sub(r"[^\d+]", "", value[4:])
                items.append(SafetyItem("tel", digits.lstrip("+"), value, number))
            elif low.startswith("mailto:"):
                address = value[7:].split("?")[0].lower()
                items.append(SafetyItem("mailto", address, value, number))
            elif low.startswith(("http://", "https://")):
                items.append(SafetyItem("url", _url_key(value), value, number))
            return "] " if match.group(0).startswith("]") else " "

        line = _LINK_TARGET.sub(target, line)
        line = _AUTOLINK.sub(target, line)

        for kind, pattern in (("url", _URL), ("email", _EMAIL), ("law", _LAW)):
            items.extend(_bare_item(kind, found.group(0), number) for found in pattern.finditer(line))
            line = pattern.sub(" ", line)
        for found in _DOMAIN.finditer(line):
            host, path = found.group(1), found.group(2) or ""
            if host.rsplit(".", 1)[1] in _FILE_SUFFIXES:
                continue
            items.append(
                SafetyItem("domain", _domain_key(host, path), (host + path).rstrip(_TRAILING), number)
            )
        line = _DOMAIN.sub(" ", line)
        for match in _PHONE.finditer(line):
            shown = match.group(0)
            digits = re.sub(r"\D", "", shown)
            if len(digits) < 3 or (re.search(r"[/-]", shown) and len(digits) < 6):
                continue
            if re.fullmatch(r"(19|20)\d\d", shown):
                continue  # a year
            items.append(SafetyItem("phone", digits, " ".join(shown.split()), number))
    return items


def _safety_keys(items: list[SafetyItem]) -> set[tuple[str, str]]:
    keys = {(item.kind, item.key) for item in items}
    # a full URL also provides its bare domain
    for item in items:
        if item.kind == "url":
            match = re.match(r"https?://([^/?#]+)(.*)", item.key)
            if match:
                keys.add(("domain", _domain_key(match.group(1), match.group(2))))
                keys.add(("domain", _domain_key(match.group(1))))
    return keys


def check_safety(
    root: Path, lang: str, source: Page, page: Page, wanted: list[SafetyItem] | None = None
) -> Iterator[Finding]:
    """Every phone number, link target and law reference of the source appears in the translation."""
    if wanted is None:
        wanted = safety_items(source.body, source.body_line)
    have_items = safety_items(page.body, page.body_line)
    have = _safety_keys(have_items)
    wanted_keys = {(item.kind, item.key) for item in wanted}
    seen: set[tuple[str, str]] = set()
    for item in wanted:
        key = (item.kind, item.key)
        if key in have or key in seen:
            continue
        seen.add(key)
        stale = [i for i in have_items if i.kind == item.kind and (i.kind, i.key) not in wanted_keys]
        label = KIND_LABEL[item.kind]
        message = f"{label} `{item.shown}` of the German source (line {item.line}) is missing"
        # translations mirror the source's lines, so the German line number is the best guess
        line = max(1, min(item.line - source.body_line + page.body_line, page.body_line + len(page.body) - 1))
        if stale:
            message += f"; found instead: {', '.join(dict.fromkeys(f'`{i.shown}`' for i in stale))}"
            line = stale[0].line
        yield _finding(root, page.path, line, message, "safety", lang)


def _german_only(path: Path) -> bool:
    try:
        head = path.read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return False
    return bool(re.match(r"---\s*\n(?:.*\n)*?translate:\s*false\s*\n(?:.*\n)*?(?:---|\.\.\.)\s*\n", head))


def safety_findings(root: Path) -> list[Finding]:
    """Only the safety errors, for every translation of every configured language (used by the build)."""
    site = load_site(root)
    findings: list[Finding] = []
    sources = {name: read_page(path) for name, path in site.source_pages().items()}
    wanted = {name: safety_items(page.body, page.body_line) for name, page in sources.items()}
    for lang in site.targets:
        for name, path in site.translations(lang.code).items():
            if name in sources:
                findings.extend(check_safety(root, lang.code, sources[name], read_page(path), wanted[name]))
    return findings


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


def check_structure(root: Path, lang: str, source: Page, page: Page) -> Iterator[Finding]:
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


# ---- UI strings, theme partials, calendar and directory texts ---------------------------------

_PARTIAL_ENTRY = re.compile(r'^\s*"([^"]+)"\s*:\s*"((?:[^"\\]|\\.)*)"', re.MULTILINE)


def _material_languages_dir() -> Path | None:
    try:
        import material
    except ImportError:
        return None
    path = Path(material.__file__).parent / "templates" / "partials" / "languages"
    return path if path.is_dir() else None


def partial_entries(text: str) -> dict[str, tuple[str, int]]:
    return {
        m.group(1): (m.group(2), text.count("\n", 0, m.start()) + 1) for m in _PARTIAL_ENTRY.finditer(text)
    }


def check_site_strings(site: Site, langs: list[Language]) -> Iterator[Finding]:
    """data/strings*/<lang>.yml (site, events page, print material): every key of de.yml present, non-empty."""
    problems = []
    for name in ("strings", "strings-events", "strings-print"):
        directory = site.root / "data" / name
        if not (directory / "de.yml").is_file() and name != "strings":
            continue
        try:
            problems += sitestrings.check_strings(directory, languages=[lang.code for lang in langs],
                                                  required=sitestrings.REQUIRED_KEYS if name == "strings" else ())
        except InputError as exc:
            problems += exc.problems
    for problem in problems:
        lang = Path(problem.path).stem
        severity = "error" if lang == site.source else None
        yield _finding(site.root, problem.path, problem.line, problem.message, "strings", lang, severity)


def check_theme_partials(site: Site, langs: list[Language]) -> Iterator[Finding]:
    """overrides/partials/languages/<lang>.html: every key of Material's en.html, non-empty.

    `search.config.*` values are settings, not texts: they may be blank (no stemmer for the language).
    """
    material_dir = _material_languages_dir()
    if material_dir is None or not (material_dir / "en.html").is_file():
        return
    reference = partial_entries((material_dir / "en.html").read_text(encoding="utf-8"))
    for lang in langs:
        path = site.root / "overrides" / "partials" / "languages" / f"{lang.code}.html"
        if not path.is_file():
            if not (material_dir / f"{lang.code}.html").is_file():
                yield _finding(
                    site.root,
                    path,
                    1,
                    f"the theme has no interface texts for `{lang.code}` "
                    "(the build stops with TemplateNotFound): copy overrides/partials/languages/"
                    "ku.html and translate it",
                    "strings",
                    lang.code,
                    "error",
                )
            continue
        entries = partial_entries(path.read_text(encoding="utf-8"))
        for key, (english, _) in reference.items():
            if key not in entries:
                yield _finding(
                    site.root,
                    path,
                    1,
                    f"theme text `{key}` is missing (English: {english!r})",
                    "strings",
                    lang.code,
                )
            elif not entries[key][0].strip() and not key.startswith("search.config."):
                yield _finding(
                    site.root,
                    path,
                    entries[key][1],
                    f"theme text `{key}` is empty (English: {english!r})",
                    "strings",
                    lang.code,
                )


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


def check_data_texts(site: Site, langs: list[Language]) -> Iterator[Finding]:
    """Calendar and help-directory texts: each German text has a non-empty text in every language."""
    for function in _text_sources():
        try:
            texts = list(function(site.root))
        except InputError as exc:
            for problem in exc.problems:
                yield _finding(
                    site.root, problem.path, problem.line, problem.message, "texts", site.source, "error"
                )
            continue
        for path, line, key, values in texts:
            german = values.get(site.source, "")
            if not str(german or "").strip():
                continue
            for lang in langs:
                if not str(values.get(lang.code) or "").strip():
                    yield _finding(
                        site.root,
                        path,
                        line,
                        f"`{key}` is untranslated in `{lang.code}` (German: {str(german).strip()!r})",
                        "texts",
                        lang.code,
                    )


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
    findings: list[Finding]
    checks: tuple[str, ...] = tuple(CHECKS)


def _page_findings(
    site: Site,
    lang: Language,
    sources: dict[str, Page],
    report: LanguageReport,
    wanted: dict[str, list[SafetyItem]],
) -> Iterator[Finding]:
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
                f"python -m scripts.status new {lang.code} {name}",
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
                f"`python -m scripts.status stamp {lang.code}/{name}`",
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
                f"`python -m scripts.status stamp {lang.code}/{name}`",
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
                f"`python -m scripts.status diff {lang.code}/{name}`, update the text, then run "
                f"`python -m scripts.status stamp {lang.code}/{name}`",
                "outdated",
                lang.code,
            )
        else:
            state = "current"
        report.pages.append(PageStatus(name, state, page.title, source.title, words, rel, source_rel, stamp))
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
    findings: list[Finding] = []
    reports: list[LanguageReport] = []
    for lang in selected:
        report = LanguageReport(lang.code, lang.name, lang.direction)
        findings.extend(_page_findings(site, lang, sources, report, wanted))
        reports.append(report)
    findings.extend(check_site_strings(site, selected))
    findings.extend(check_theme_partials(site, selected))
    findings.extend(check_data_texts(site, selected))
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
            "(`python -m scripts.status diff <sprache>/<datei>` zeigt die Änderungen)."
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
        notes = [f for f in report.findings if f.lang == lang.code and f.check not in ("missing",)]
        if notes:
            out += ["", "Hinweise:", ""]
            out += [
                f"- `{_md_cell(f.path)}:{f.line}` ({f.check}, {f.severity}): {_md_cell(f.message)}"
                for f in notes
            ]
    return "\n".join(out) + "\n"


def _anchor(code: str) -> str:
    return f"lang-{code.lower()}"


# ---- terminal output -------------------------------------------------------------------------

_COLOURS = {"red": "31", "yellow": "33", "green": "32", "dim": "2", "bold": "1"}
TABLE_COLUMNS = ("missing", "outdated", "orphan", "untranslated", "strings", "texts", "structure", "safety")


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
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)) + "  " + headers[-1]]
    lines[0] = _paint(lines[0], "bold", colour)
    for cells, colours in rows:
        parts = [
            _paint(c.ljust(w) if i == 0 else c.rjust(w), colours[i], colour)
            for i, (c, w) in enumerate(zip(cells, widths))
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


# ---- git history (diff) -----------------------------------------------------------------------


class HistoryUnavailable(Exception):
    pass


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args],
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
    )
    if result.returncode != 0:
        raise HistoryUnavailable(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def find_source_version(root: Path, source: Path, wanted: str) -> tuple[str, str, str]:
    """(commit, one-line description, text) of the German source version whose hash is `wanted`."""
    if shutil.which("git") is None:
        raise HistoryUnavailable("git is not installed, so the history of the German source is not available")
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except HistoryUnavailable:
        raise HistoryUnavailable(f"{root} is not a git repository (no history to look in)") from None
    rel = source.resolve().relative_to(top.resolve()).as_posix()
    log = _git(top, "log", "--format=%H", "--name-only", "--follow", "--", rel)
    commit = ""
    for line in log.splitlines():
        line = line.strip()
        if re.fullmatch(r"[0-9a-f]{40}", line):
            commit = line
        elif line and commit:
            try:
                text = _git(top, "show", f"{commit}:{line}")
            except HistoryUnavailable:
                commit = ""
                continue
            if source_hash(text) == wanted:
                description = _git(top, "log", "-1", "--format=%h %ad %s", "--date=short", commit).strip()
                return commit, description, text
            commit = ""
    shallow = _git(top, "rev-parse", "--is-shallow-repository").strip() == "true"
    hint = (
        " (this clone is shallow: `git fetch --unshallow` may find it)"
        if shallow
        else " (was the translation stamped against an uncommitted version?)"
    )
    raise HistoryUnavailable(f"no committed version of {rel} has the hash {wanted}{hint}")


# ---- commands --------------------------------------------------------------------------------


def _split_list(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _translation_arg(site: Site, value: str) -> tuple[Language, str, Path]:
    """`fa/hilfe.md` (also `docs/fa/hilfe.md` or without .md) -> (language, name, path)."""
    parts = Path(value).as_posix().split("/")
    if parts and parts[0] == site.docs.name and len(parts) > 2:
        parts = parts[1:]
    if len(parts) < 2:
        raise UsageError(f"`{value}`: expected <lang>/<file>, for example fa/hilfe.md")
    code, name = parts[0], "/".join(parts[1:])
    name = name if name.endswith(".md") else name + ".md"
    known = {lang.code: lang for lang in site.targets}
    if code not in known:
        raise UsageError(f"`{value}`: `{code}` is not a translation language ({', '.join(known)})")
    return known[code], name, site.docs / code / name


def cmd_check(args: argparse.Namespace) -> int:
    checks = _split_list(args.check)
    unknown = [c for c in checks or [] if c not in CHECKS]
    if unknown:
        raise UsageError(f"unknown check {', '.join(unknown)}; checks: {', '.join(CHECKS)}")
    report = collect(args.root, _split_list(args.lang), checks)
    threshold = SEVERITIES.index(args.min_severity)
    failing = [f for f in report.findings if SEVERITIES.index(f.severity) >= threshold]
    below = [
        lang for lang in report.languages if args.fail_under is not None and lang.complete < args.fail_under
    ]
    if args.format == "json":
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    else:
        colour = _use_colour(sys.stdout)
        tint = {"error": "red", "warning": "yellow", "info": ""}
        for finding in sorted(failing, key=lambda f: (f.path, f.line)):
            print(_paint(str(finding), tint[finding.severity], colour))
        if failing:
            print()
        print(render_table(report, colour))
        hidden = len(report.findings) - len(failing)
        if hidden:
            print(
                f"\n{hidden} finding{'' if hidden == 1 else 's'} below {args.min_severity} not listed "
                "(--min-severity info lists them)"
            )
    for lang in below:
        print(
            f"{lang.code}: {lang.complete:g}% complete, below --fail-under {args.fail_under:g}",
            file=sys.stderr,
        )
    return 1 if failing or below else 0


def cmd_stamp(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    sources = site.source_pages()
    todo: list[tuple[str, Path, str]] = []
    if args.all_current:
        if args.files:
            raise UsageError("give either files or --all-current, not both")
        for lang in _select(site, _split_list(args.lang)):
            for name, path in site.translations(lang.code).items():
                if name not in sources:
                    print(f"skipped {_rel(site.root, path)}: no German source (orphan)", file=sys.stderr)
                elif read_page(path).todo:
                    print(
                        f"skipped {_rel(site.root, path)}: still marked `translation: todo`", file=sys.stderr
                    )
                else:
                    todo.append((name, path, f"{lang.code}/{name}"))
    else:
        if not args.files:
            raise UsageError("name the translations to stamp (fa/hilfe.md ...) or use --all-current")
        for value in args.files:
            lang, name, path = _translation_arg(site, value)
            if not path.is_file():
                raise UsageError(f"{_rel(site.root, path)}: no such translation")
            if name not in sources:
                raise UsageError(
                    f"{_rel(site.root, path)}: no German source {site.source}/{name} to stamp against"
                )
            if read_page(path).todo:
                raise UsageError(
                    f"{_rel(site.root, path)}: still marked `translation: todo` / `translate me`: "
                    "translate it and delete both markers first"
                )
            todo.append((name, path, f"{lang.code}/{name}"))
    for name, path, label in todo:
        digest = source_hash(sources[name].read_text(encoding="utf-8"))
        text = path.read_text(encoding="utf-8")
        new = set_front_matter_key(text, STAMP_KEY, f'"{digest}"')
        if new != text:
            path.write_text(new, encoding="utf-8", newline="")
            print(f"stamped {_rel(site.root, path)} ({STAMP_KEY} {digest})")
        elif not args.quiet:
            print(f"already current: {_rel(site.root, path)}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    lang, name, path = _translation_arg(site, f"{args.lang_code}/{args.file}")
    source = site.docs / site.source / name
    if not source.is_file():
        raise UsageError(f"{_rel(site.root, source)}: no such German page")
    if path.exists():
        raise UsageError(f"{_rel(site.root, path)} already exists")
    text = source.read_text(encoding="utf-8")
    new = set_front_matter_key(text, STAMP_KEY, f'"{source_hash(text)}"')
    new = set_front_matter_key(new, TODO_KEY, TODO_VALUE)
    front, body, _ = split_front_matter(new)
    marker = TODO_MARKER.format(lang=lang.code, name=name)
    content = "\n".join(["---", *front, "---", marker, *body]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    print(
        f"created {_rel(site.root, path)} from {_rel(site.root, source)}: translate it, delete the "
        "`translate me` line and `translation: todo`, then run "
        f"`python -m scripts.status stamp {lang.code}/{name}`"
    )
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    _, name, path = _translation_arg(site, args.file)
    source = site.docs / site.source / name
    if not path.is_file():
        raise UsageError(f"{_rel(site.root, path)}: no such translation")
    if not source.is_file():
        raise UsageError(
            f"{_rel(site.root, path)}: its German source {_rel(site.root, source)} no longer exists"
        )
    stamp = read_page(path).stamp
    current_text = source.read_text(encoding="utf-8")
    if stamp is None:
        raise UsageError(
            f"{_rel(site.root, path)} has no `{STAMP_KEY}` stamp, so the German version it was made "
            f"from is unknown: compare it with {_rel(site.root, source)} by hand, then stamp it"
        )
    if stamp == source_hash(current_text):
        print(
            f"{_rel(site.root, path)} is up to date: the German source has not changed since it was stamped"
        )
        return 0
    try:
        commit, description, old_text = find_source_version(site.root, source, stamp)
    except HistoryUnavailable as exc:
        print(
            f"cannot show what changed in {_rel(site.root, source)} since {_rel(site.root, path)} "
            f"was stamped ({stamp}): {exc}",
            file=sys.stderr,
        )
        return 2
    rel_source = _rel(site.root, source)
    print(f"{_rel(site.root, path)} was made from {rel_source} as of {description}; changes since then:")
    diff = difflib.unified_diff(
        old_text.splitlines(),
        current_text.splitlines(),
        f"{rel_source} @ {commit[:10]}",
        f"{rel_source} (now)",
        lineterm="",
    )
    colour = _use_colour(sys.stdout)
    for line in diff:
        tint = (
            "green"
            if line.startswith("+") and not line.startswith("+++")
            else "red"
            if line.startswith("-") and not line.startswith("---")
            else ""
        )
        print(_paint(line, tint, colour))
    return 0


COMMANDS = {"check": cmd_check, "stamp": cmd_stamp, "new": cmd_new, "diff": cmd_diff}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this repository)")
    parser = argparse.ArgumentParser(
        prog="python -m scripts.status",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    sub = parser.add_subparsers(dest="command", metavar="{check,stamp,new,diff}")
    check = sub.add_parser("check", parents=[common], help="report the status (default command)")
    check.add_argument("--lang", action="append", help="only these languages (comma-separated or repeated)")
    check.add_argument("--check", action="append", help=f"only these checks: {', '.join(CHECKS)}")
    check.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="warning",
        help="exit 1 for findings at or above this severity (default: warning)",
    )
    check.add_argument(
        "--fail-under",
        type=float,
        metavar="PCT",
        help="exit 1 if a language has less than PCT %% of its pages current",
    )
    check.add_argument("--format", choices=("table", "json"), default="table")
    stamp = sub.add_parser("stamp", parents=[common], help="mark reviewed translations as current")
    stamp.add_argument("files", nargs="*", metavar="LANG/FILE")
    stamp.add_argument("--all-current", action="store_true", help="stamp every existing translation")
    stamp.add_argument("--lang", action="append", help="with --all-current: only these languages")
    stamp.add_argument(
        "--quiet", action="store_true", help="do not list translations that were already current"
    )
    new = sub.add_parser("new", parents=[common], help="scaffold a translation from the German source")
    new.add_argument("lang_code", metavar="LANG")
    new.add_argument("file", metavar="FILE")
    diff = sub.add_parser("diff", parents=[common], help="German changes since a translation was stamped")
    diff.add_argument("file", metavar="LANG/FILE")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "check")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    args.root = args.root.resolve()
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
