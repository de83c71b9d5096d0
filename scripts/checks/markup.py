"""Content cannot turn the site against its readers: an allowlist for the HTML a page produces, safe link
targets, phone links that dial what they show, and no invisible direction tricks.

Every page of every language is rendered with the site's own Markdown settings and the result is read
with an HTML parser, so raw HTML, Markdown links and `{: attribute }` lists are all checked the way the
browser will see them. What is refused stops the build with `file:line: what` + `fix:`.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown

from scripts.checks.content import MAX_PAGE_BYTES
from scripts.core.checks import check
from scripts.core.pages import page_from_text, split_lines
from scripts.core.problems import InputError, Problem
from scripts.core.project import Project
from scripts.core.yamlsrc import read_text
from scripts.facts import expand, load_facts
from scripts.translations.safety import normalize_digits

# What a handout may contain: the tags Markdown itself writes, plus a few for language and numbers
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "u", "s",
    "code", "pre", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "bdi",
    "span", "abbr", "sup", "sub", "small", "mark", "dl", "dt", "dd", "del", "ins", "kbd", "q", "cite", "img",
    "figure", "figcaption", "details", "summary", "div", "section",
})
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "lang", "dir", "title"})
TAG_ATTRIBUTES = {
    "a": {"href"}, "img": {"src", "alt", "width", "height"}, "abbr": {"title"}, "ol": {"start", "type"},
    "th": {"align", "colspan", "rowspan", "style"}, "td": {"align", "colspan", "rowspan", "style"},
    "details": {"open"},
}
URL_ATTRIBUTES = {"href", "src"}
SAFE_SCHEMES = ("https", "http", "tel", "mailto")
_TABLE_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center);?\s*$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
# Characters that reorder or hide text: refused everywhere (the templates add their own <bdi>)
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters that are invisible but allowed in running text (ZWNJ in Persian words, marks in rtl text),
# refused inside numbers and link targets
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\u061c\ufeff\u00ad"
_DIGIT_SCRIPTS = {"ascii": range(0x30, 0x3A), "arabic-indic": range(0x660, 0x66A), "persian": range(0x6F0, 0x6FA)}
_NUMBER_RUN = re.compile(r"\d(?:[\d/.-]*\d)?")
# control characters, and line separators that Python would split lines at but Markdown does not
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029]")
# markup that HTML parsers disagree about: the checker must read what the browser reads
_AMBIGUOUS = re.compile(r"<!---?>|--!>|<!\[|<\?|<!(?!--)[a-zA-Z]")


@dataclass(frozen=True)
class Refusal:
    """One refused thing in the rendered page, with the text to look for in the source."""

    message: str
    fix: str
    needle: str
    also: tuple[str, ...] = ()  # more texts to look for when `needle` is not in the source (entities, tabs)


def _name(char: str) -> str:
    return f"U+{ord(char):04X} {unicodedata.name(char, 'control character')}"


def digit_script(char: str) -> str | None:
    """`ascii`, `arabic-indic`, `persian`, `other` for a decimal digit, None for anything else."""
    if not char.isdecimal():
        return None
    for script, points in _DIGIT_SCRIPTS.items():
        if ord(char) in points:
            return script
    return "other"


def number_problems(text: str) -> Iterator[tuple[str, str]]:
    """(what is wrong, the run) for digit runs that mix digit scripts, use lookalike digits, or hide
    invisible characters between digits."""
    for match in _NUMBER_RUN.finditer(text):
        run = match.group(0)
        scripts = {digit_script(c) for c in run} - {None}
        if not scripts:
            continue
        if "other" in scripts:
            odd = next(c for c in run if digit_script(c) == "other")
            yield f"the number `{run}` uses a lookalike digit ({_name(odd)})", run
        elif len(scripts) > 1:
            yield f"the number `{run}` mixes digits of different scripts ({', '.join(sorted(scripts))})", run
    for match in re.finditer(rf"\d[{INVISIBLE}]+(?=\d)", text):
        yield f"invisible {_name(match.group(0)[1])} inside a number", match.group(0)


def plain_digits(text: str) -> str:
    """The digits of a text as ASCII (Arabic-Indic and Persian digits too, as the safety check counts them)."""
    return "".join(char for char in normalize_digits(text) if "0" <= char <= "9")


def dialled(number: str) -> str:
    """A phone number as dialled in Germany: `+49 30 …` and `0049 30 …` become `030 …`."""
    digits = plain_digits(number)
    if number.strip().startswith("+"):
        digits = "00" + digits
    return "0" + digits[4:] if digits.startswith("0049") else digits


def url_problem(url: str, attribute: str) -> tuple[str, str] | None:
    """(what is wrong, fix) for a link target that is not https/http/tel/mailto or relative."""
    if any(c in url for c in BIDI_CONTROLS + INVISIBLE) or _CONTROL.search(url):
        return ("the link target contains invisible or control characters",
                "type the address again by hand (pasted text can hide characters)")
    squeezed = re.sub(r"[\s\x00-\x20]", "", url)
    match = _SCHEME.match(squeezed)
    if match:
        scheme = match.group(1).lower()
        if scheme not in SAFE_SCHEMES:
            return (f"`{scheme}:` links are not allowed ({attribute}=\"{url[:60]}\")",
                    "link only to https://, http://, tel:, mailto: addresses or to pages of this site")
        if attribute == "src" and scheme != "https" and scheme != "http":
            return f"`{scheme}:` cannot be an image source", "save the image under docs/assets/ and link it relatively"
        if attribute == "src":
            return ("pages may not load images from other servers",
                    "save the image under docs/assets/ and link it relatively")
    elif squeezed.startswith("//") or squeezed.startswith("\\\\"):
        return (f"`{url[:60]}` is an address on another server without https://",
                "write the full address with https://")
    return None


class _PageReader(HTMLParser):
    """Collects every refusal in a rendered page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refusals: list[Refusal] = []
        self._tel: list[tuple[str, list[str]]] = []  # open tel: links: (target, text parts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.refusals.append(Refusal(f"the HTML tag <{tag}> is not allowed in handouts",
                                         "remove it; handouts may use Markdown and the tags listed in the README "
                                         "(bdi, span lang/dir, abbr, br, sup, sub, tables)", f"<{tag}"))
            return
        allowed = GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, set())
        names = [name for name, _ in attrs]
        for name in sorted({n for n in names if names.count(n) > 1}):
            self.refusals.append(Refusal(f"the attribute `{name}` is given twice on <{tag}> (browsers use the "
                                         "first, checkers the last)", "keep one", name))
        if self._tel and any(name == "dir" for name in names):
            self.refusals.append(Refusal("a phone link may not change the direction of its text (it would show "
                                         "the digits in another order than it dials)",
                                         "remove dir; the site shows numbers left to right itself", "dir="))
        for name, value in attrs:
            value = value or ""
            if name not in allowed:
                self.refusals.append(Refusal(f"the attribute `{name}` is not allowed on <{tag}>",
                                             "remove the attribute (event handlers, styles and forms are not "
                                             "allowed in handouts)", name))
            elif name == "style" and not _TABLE_STYLE.match(value):
                self.refusals.append(Refusal(f"the style `{value[:60]}` is not allowed",
                                             "remove it; only table column alignment is allowed", value[:40]))
            elif name in URL_ATTRIBUTES:
                problem = url_problem(value, name)
                if problem:
                    scheme = re.sub(r"[\s\x00-\x20]", "", value).split(":", 1)[0]
                    self.refusals.append(Refusal(*problem, needle=value.strip()[:40] or name,
                                                 also=(scheme[-6:] + ":", f"{name}=", f"({scheme[:4]}")))
            elif name == "dir" and value not in ("ltr", "rtl", "auto"):
                self.refusals.append(Refusal(f"dir=\"{value}\" is not a direction", "use ltr, rtl or auto", name))
        if tag == "a":
            href = next((value or "" for name, value in attrs if name == "href"), "")
            if href.strip().lower().startswith("tel:"):
                if "%" in href:
                    self.refusals.append(Refusal("a phone link target may not be percent-encoded",
                                                 "write the digits as they are dialled, e.g. tel:116016", "%"))
                self._tel.append((href.strip()[4:], []))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        for _, parts in self._tel:
            parts.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._tel:
            target, parts = self._tel.pop()
            shown = "".join(parts)
            if dialled(shown) != dialled(target) or not plain_digits(target):
                self.refusals.append(Refusal(
                    f"the phone link shows `{shown.strip()}` but dials `{target}`",
                    "write the same number in the link text and after tel: (spaces, +49/0 and "
                    "Arabic-Indic or Persian digits may differ)", target))

    def handle_decl(self, decl: str) -> None:
        self.refusals.append(Refusal("a <!DOCTYPE> or other declaration is not allowed in a handout",
                                     "remove it", "<!"))

    def handle_pi(self, data: str) -> None:
        self.refusals.append(Refusal("a processing instruction (<?…>) is not allowed in a handout",
                                     "remove it", "<?"))


def _markdown(project: Project) -> markdown.Markdown:
    """A Markdown converter with the site's own extensions (mkdocs.yml markdown_extensions)."""
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in project.config.get("markdown_extensions") or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, options in item.items():
                names.append(str(name))
                configs[str(name)] = options or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


def _line_of(lines: list[str], needles: tuple[str, ...], fallback: int) -> int:
    """First source line holding one of the needles (compared without case and white space)."""
    squeezed = [re.sub(r"\s+", "", line.lower()) for line in lines]
    for needle in needles:
        needle = re.sub(r"\s+", "", needle.lower())
        for number, line in enumerate(squeezed, 1):
            if needle and needle in line:
                return number
    return fallback


def text_problems(path: Path, lines: list[str], first: int = 1) -> Iterator[Problem]:
    """Bidi controls and control characters anywhere; mixed, lookalike or broken-up digits in numbers."""
    for offset, line in enumerate(lines):
        number = first + offset
        for char in dict.fromkeys(c for c in line if c in BIDI_CONTROLS):
            yield Problem(str(path), number, f"invisible direction control {_name(char)}",
                          "delete it (it can make text display in another order than it is read or dialled); "
                          "the site sets the direction of numbers itself")
        ambiguous = _AMBIGUOUS.search(line)
        if ambiguous:
            yield Problem(str(path), number, f"`{ambiguous.group(0)}` is markup that browsers and checkers read "
                          "differently (a broken comment, CDATA or a processing instruction)",
                          "write comments as `<!-- text -->`, or remove it")
        control = _CONTROL.search(line)
        if control:
            yield Problem(str(path), number, f"control character {_name(control.group(0))}",
                          "delete it (retype the line if you cannot see it)")
        for message, _ in number_problems(line):
            yield Problem(str(path), number, message,
                          "write the number with the digits of one script only, without hidden characters")


def check_page_markup(path: Path, text: str, md: markdown.Markdown, facts: dict | None = None,
                      lang: str = "de", default: str = "de") -> Iterator[Problem]:
    """One page: what its Markdown becomes (facts from data/facts.yml filled in for `lang`) must pass the
    allowlist; links and numbers tell the truth."""
    if facts:
        text = expand(text, facts, lang, default)
    page = page_from_text(path, text)
    lines = split_lines(page.text)
    yield from text_problems(path, lines)
    md.reset()
    reader = _PageReader()
    try:
        rendered = md.convert("\n".join(page.body))
    except RecursionError:
        yield Problem(str(path), page.body_line, "the page is nested too deeply (lists or quotes inside each "
                      "other hundreds of times) to be shown", "use at most a few levels of lists and quotes")
        return
    reader.feed(rendered)
    reader.close()
    seen: set[tuple[str, int]] = set()
    for refusal in reader.refusals:
        line = _line_of(lines, (refusal.needle, *refusal.also), page.body_line)
        if (refusal.message, line) in seen:
            continue
        seen.add((refusal.message, line))
        yield Problem(str(path), line, refusal.message, refusal.fix)


def _cache_key(project: Project) -> str:
    """What every cached result depends on besides the page text: this checker and the Markdown settings."""
    parts = [Path(__file__).read_text(encoding="utf-8"), markdown.__version__,
             json.dumps(project.config.get("markdown_extensions"), sort_keys=True, default=str)]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


@check("markup", "error", "preflight")
def markup_problems(project: Project) -> Iterator[Problem]:
    """Every page of every language: allowed HTML only, safe links, truthful phone links, no hidden text.

    Results are cached per page text in .cache/checks/ (the check renders every page, ~1 s for the site);
    the cache is keyed by this checker's source and the Markdown settings, and thrown away when either
    changes or the file cannot be read."""
    md = _markdown(project)
    try:
        facts = load_facts(project.data / "facts.yml", project.default)
    except InputError:
        facts = {}  # reported by the facts check
    cache_file = project.root / ".cache" / "checks" / "markup.json"
    facts_file = project.data / "facts.yml"
    key = _cache_key(project) + (hashlib.sha256(facts_file.read_bytes()).hexdigest() if facts_file.is_file() else "")
    try:
        stored = json.loads(cache_file.read_text(encoding="utf-8"))
        cache: dict[str, list[list]] = stored["pages"] if stored.get("key") == key else {}
    except (OSError, ValueError, KeyError, TypeError):
        cache = {}
    fresh: dict[str, list[list]] = {}
    for code in project.codes:
        folder = project.docs / code
        for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
            if path.stat().st_size > MAX_PAGE_BYTES:
                continue  # refused by the content check
            try:
                text = read_text(path, "page")
            except InputError:
                continue  # reported by the content check
            digest = hashlib.sha256(f"{path}\0{text}".encode()).hexdigest()
            if digest not in cache:
                cache[digest] = [[p.line, p.message, p.fix]
                                 for p in check_page_markup(path, text, md, facts, code, project.default)]
            fresh[digest] = cache[digest]
            for line, message, fix in fresh[digest]:
                yield Problem(str(path), line, message, fix)
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        cache_file.write_text(json.dumps({"key": key, "pages": fresh}), encoding="utf-8")
    except OSError:
        pass  # a read-only checkout still builds, just without the cache
