"""Safety check: every phone number, link target and law reference of the German source is in the translation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from scripts.core.checks import check
from scripts.core.pages import (
    FACT_PLACEHOLDER,
    Page,
    read_page,
)
from scripts.core.project import Project
from scripts.translations.model import (
    Problem,
    _finding,
    load_site,
)

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
_CANDIDATE = re.compile(r"[\d§@]|://|\w\.[A-Za-z]{2}|\{\{")
KIND_LABEL = {
    "phone": "phone number",
    "tel": "tel: link",
    "mailto": "mailto: link",
    "email": "e-mail address",
    "url": "web address",
    "domain": "web address",
    "law": "law reference",
    "fact": "fact placeholder",
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
        for found in FACT_PLACEHOLDER.finditer(line):
            items.append(SafetyItem("fact", found.group(1), found.group(0), number))
        line = FACT_PLACEHOLDER.sub(" ", line)

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
) -> Iterator[Problem]:
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


def safety_findings(root: Path) -> list[Problem]:
    """Only the safety errors, for every translation of every configured language (used by the build)."""
    site = load_site(root)
    findings: list[Problem] = []
    sources = {name: read_page(path) for name, path in site.source_pages().items()}
    wanted = {name: safety_items(page.body, page.body_line) for name, page in sources.items()}
    for lang in site.targets:
        for name, path in site.translations(lang.code).items():
            if name in sources:
                findings.extend(check_safety(root, lang.code, sources[name], read_page(path), wanted[name]))
    return findings



@check("safety", "error", "translations")
def safety_problems(project: Project) -> list[Problem]:
    """A translation never shows an emergency number, link or law that differs from the German source."""
    return [replace(p, fix="correct the translation, then mark it current: "
                           f"python -m scripts status stamp {p.lang}/{Path(p.path).name}")
            for p in safety_findings(project.root)]
