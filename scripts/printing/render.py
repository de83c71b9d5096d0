"""HTML documents for the PDFs (handout, language pack, event poster, bilingual handout and pack, QR poster),
ready for WeasyPrint; the filter for WeasyPrint's log and the check that every character has a font.

Everything a PDF depends on ends up in the one HTML string built here (content, labels, URLs, QR code,
stylesheet, font paths), so `scripts.pdf` can cache a PDF by the hash of that string plus the fonts.
"""

from __future__ import annotations

import hashlib
import html
import logging
import math
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import segno

from scripts.core.project import direction
from scripts.events.model import Event
from scripts.events.render import format_when, native_name

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT_DIR = Path("/usr/share/fonts/truetype/noto")
# (family in pdf.css, file stem in fonts-noto-core); Regular and Bold of each
FONTS: tuple[tuple[str, str], ...] = (
    ("PDF Sans", "NotoSans"), ("PDF Arabic", "NotoSansArabic"), ("PDF Ethiopic", "NotoSansEthiopic"))
FORMAT_VERSION = "1"   # bump when the way HTML becomes a PDF changes without the HTML changing

RTL_PAGE = """
@page { @bottom-left { content: counter(page) " / " counter(pages); font: 8.5pt var(--pdf-font); color: #555;
                       width: 18mm; vertical-align: top; padding-top: 3mm; text-align: left; direction: ltr; }
        @bottom-right { content: element(pagefooter); width: 160mm; vertical-align: top; padding-top: 2mm;
                        font: inherit; color: inherit; text-align: right; }
        @top-left { content: string(doc-title); } @top-right { content: string(site-name); } }
@page :first { @top-left { content: none; } @top-right { content: none; } }
@page cover { @bottom-left { content: none; } @bottom-right { content: none; } }
@page poster { @bottom-left { content: none; } @bottom-right { content: element(pagefooter); width: 178mm; } }
"""
_ARTICLE_OPEN = '<article class="md-content__inner md-typeset">'
_TAG = re.compile(r"(<[^>]+>)")
_PHONE_RUN = re.compile(r"(?<![\w.,])(\+?\d{1,6}(?:[ /-]\d{1,9})+)(?![\w])")
_LINK = re.compile(r'<a\s+href="([^"]*)"([^>]*)>(.*?)</a>', re.S)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def dir_of(lang: str) -> str:
    """`rtl` or `ltr`."""
    return direction(lang)


# ---- fonts and stylesheet ----------------------------------------------------------------------------

def font_files() -> list[tuple[str, int, Path]]:
    """(family, weight, path) of every font the PDFs use; missing files are left out (checked by caller)."""
    out = []
    for family, stem in FONTS:
        for weight, style in ((400, "Regular"), (700, "Bold")):
            path = FONT_DIR / f"{stem}-{style}.ttf"
            if path.exists():
                out.append((family, weight, path))
    return out


@lru_cache(maxsize=1)
def fonts_digest() -> str:
    digest = hashlib.sha256()
    for family, weight, path in font_files():
        digest.update(f"{family}{weight}{path.name}".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def stylesheet() -> str:
    faces = "".join(
        f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: normal; '
        f'src: url("{path.as_uri()}"); }}\n'
        for family, weight, path in font_files())
    return faces + (TEMPLATES / "pdf.css").read_text(encoding="utf-8")


# ---- content from the built site ---------------------------------------------------------------------

def extract_article(page_html: str) -> str:
    """The inner HTML of the page's content <article> (nested <article> elements are kept whole)."""
    start = page_html.find(_ARTICLE_OPEN)
    if start < 0:
        raise ValueError("no <article class=\"md-content__inner md-typeset\"> in page")
    pos = start + len(_ARTICLE_OPEN)
    depth = 1
    for match in re.finditer(r"<(/?)article\b", page_html[pos:]):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return page_html[pos:pos + match.start()].strip()
    raise ValueError("unclosed <article> in page")


def page_title(article: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else ""


def isolate_numbers(fragment: str) -> str:
    """Wrap phone numbers and other digit groups in text as left-to-right isolates (rtl text safety)."""
    parts = _TAG.split(fragment)
    for i in range(0, len(parts), 2):
        parts[i] = _PHONE_RUN.sub(r'<span class="ltr" dir="ltr">\1</span>', parts[i])
    return "".join(parts)


_TRAILING_NUMBERS = re.compile(r"<h2\b[^>]*>[^<]*</h2>\s*<ul>"
                               r"((?:\s*<li>(?:(?!</li>).)*?<a href=\"tel:[^\"]+\"(?:(?!</li>).)*</li>)+)"
                               r"\s*</ul>\s*$", re.S)


_TRAILING_NOTES = re.compile(r'(?:\s*(?:<footer class="site-asof">.*?</footer>|<p class="site-review">.*?</p>))+\s*$',
                             re.S)


def drop_trailing_emergency_list(article: str) -> str:
    """Without the page's closing "In an emergency" list (a heading and only phone links): every PDF page
    already shows all emergency numbers in its footer, and the handout keeps to one A4 sheet."""
    inner = article.rstrip()
    closing = ""
    if inner.endswith("</article>"):
        inner, closing = inner[: -len("</article>")].rstrip(), "</article>"
    # the "as of" footer and the review note stay, after the page's own text
    notes = _TRAILING_NOTES.search(inner)
    if notes:
        inner, closing = inner[: notes.start()].rstrip(), notes.group(0) + closing
    match = _TRAILING_NUMBERS.search(inner)
    return inner[: match.start()] + closing if match else article


def prepare_content(article: str, *, page_url_base: str, page_file: Path | None = None,
                    id_prefix: str = "") -> str:
    """Printable content: absolute links, web addresses shown as text, ltr phone numbers, unique ids."""
    def link(match: re.Match[str]) -> str:
        href, rest, text = match.group(1), match.group(2), match.group(3)
        plain = html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        extra = ""
        if href.startswith(("http://", "https://")):
            shown = re.sub(r"^https?://(www\.)?", "", href).rstrip("/")
            if shown.split("/")[0].lower() not in plain.lower():
                extra = f' class="pdf-showurl" data-url="{_e(shown)}"'
        elif href.startswith("mailto:"):
            if href[7:].lower() not in plain.lower():
                extra = f' class="pdf-showurl" data-url="{_e(href[7:])}"'
        elif href.startswith("#"):
            href = "#" + id_prefix + href[1:]
        elif not href.startswith(("tel:", "data:")) and not re.match(r"^[a-z]+:", href):
            href = page_url_base + href if page_url_base else ""
        attrs = f' href="{href}"' if href else ""
        return f"<a{attrs}{rest}{extra}>{text}</a>"

    body = _LINK.sub(link, drop_trailing_emergency_list(article))
    if id_prefix:
        body = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{id_prefix}{m.group(1)}"', body)
    if page_file is not None:
        body = re.sub(r'\bsrc="(?![a-z]+:)([^"]+)"',
                      lambda m: f'src="{(page_file.parent / m.group(1)).resolve().as_uri()}"', body)
    return isolate_numbers(body)


# ---- building blocks -----------------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def qr_data_uri(url: str) -> str:
    """An SVG QR code (cached: the same page's code is in its handout, pack, bilingual PDFs and QR poster)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4, dark="#000")


@dataclass(frozen=True)
class Labels:
    """Everything language-specific that is not content: names, UI texts, emergency numbers."""
    lang: str
    site_name: str
    language_name: str
    emergency_label: str
    emergency: tuple[tuple[str, str], ...]   # (label, phone)
    strings: dict[str, str]

    @property
    def dir(self) -> str:
        return dir_of(self.lang)


def _qr_block(url: str, caption: str, big: bool = False) -> str:
    if not url:
        return ""
    return (f'<div class="pdf-qr{" pdf-qr--big" if big else ""}"><img src="{qr_data_uri(url)}" alt="QR">'
            f'<div>{_e(caption)}<br><span class="pdf-qr__url">{_e(re.sub(r"^https?://", "", url))}</span></div></div>')


def _footer(labels: Labels, url: str) -> str:
    numbers = "".join(f'<span class="num">{_e(label)}: <b class="ltr" dir="ltr">{_e(phone)}</b></span> '
                      for label, phone in labels.emergency)
    address = f'<br><span class="pdf-footer__url" dir="ltr">{_e(url)}</span>' if url else ""
    return (f'<div class="pdf-footer" dir="{labels.dir}">'
            f'<span class="pdf-footer__label">{_e(labels.emergency_label)}:</span> '
            f'<span class="pdf-footer__numbers">{numbers}</span>{address}</div>')


def _emergency_box(labels: Labels) -> str:
    items = "".join(f'<li>{_e(label)}: <a href="tel:{re.sub(r"[^0-9+]", "", phone)}" class="ltr" dir="ltr">'
                    f'{_e(phone)}</a></li>' for label, phone in labels.emergency)
    return f'<section class="pdf-emergency"><h2>{_e(labels.emergency_label)}</h2><ul>{items}</ul></section>'


def _head(labels: Labels, url: str, qr_caption: str) -> str:
    return (f'<header class="pdf-head"><div><p class="pdf-head__brand site-name">{_e(labels.site_name)}</p>'
            f'<p class="pdf-head__lang">{_e(labels.language_name)}</p></div>'
            f'{_qr_block(url, qr_caption)}</header>')


def _document(labels: Labels, title: str, body: str, *, description: str = "") -> str:
    meta = f'<meta name="description" content="{_e(description)}">' if description else ""
    return (f'<!DOCTYPE html><html lang="{labels.lang}" dir="{labels.dir}"><head><meta charset="utf-8">'
            f'<title>{_e(title)}</title><meta name="author" content="{_e(labels.site_name)}">{meta}'
            f'<meta name="generator" content="scripts.pdf {FORMAT_VERSION}">'
            f'<style>{stylesheet()}{RTL_PAGE if labels.dir == "rtl" else ""}</style></head><body>{body}</body></html>')


# ---- the three kinds of PDF ----------------------------------------------------------------------------

def handout_document(labels: Labels, title: str, content: str, url: str) -> str:
    body = (_footer(labels, url) + _head(labels, url, labels.strings["scan_qr"])
            + f'<span class="doc-title" hidden>{_e(title)}</span>'
            + f'<main class="handout">{content}</main>')
    return _document(labels, title, body)


def pack_document(labels: Labels, handouts: list[tuple[str, str, str]], url: str, as_of: str) -> str:
    """handouts: (stem, title, prepared content with ids prefixed by `<stem>-`)."""
    title = f"{labels.site_name} – {labels.strings['pack']}"
    cover = (f'<section class="pack-cover"><p class="site-name" hidden>{_e(labels.site_name)}</p>'
             f'<h1>{_e(labels.site_name)}</h1>'
             f'<p class="pack-cover__sub">{_e(labels.strings["pack_subtitle"])}</p>'
             f'<p class="pack-cover__lang">{_e(labels.language_name)} · {_e(labels.strings["as_of"])} '
             f'<span class="ltr" dir="ltr">{_e(as_of)}</span></p>'
             f'{_qr_block(url, labels.strings["scan_qr"], big=True)}{_emergency_box(labels)}</section>')
    toc = "".join(f'<li><a href="#h-{stem}">{_e(name)}</a></li>' for stem, name, _ in handouts)
    toc_html = f'<section class="pack-toc"><h1>{_e(labels.strings["contents"])}</h1><ol>{toc}</ol></section>'
    parts = "".join(f'<section class="pack-handout" id="h-{stem}"><div class="handout">{content}</div></section>'
                    for stem, _, content in handouts)
    return _document(labels, title, _footer(labels, url) + cover + toc_html + parts)


@dataclass(frozen=True)
class PosterLanguage:
    labels: Labels
    event_strings: dict[str, str]


def poster_document(event: Event, blocks: list[PosterLanguage], main: Labels, es: dict[str, str],
                    url: str) -> str:
    """One A4 poster: title, date/time and description in every language of `blocks`, then the facts
    (labelled with `es`, the events-page strings of the poster's main language)."""
    first = blocks[0]
    status = ""
    if event.status != "scheduled":
        status = "".join(f'<p class="poster__status" lang="{b.labels.lang}" dir="{b.labels.dir}">'
                         f'{_e(b.event_strings.get("status_" + event.status, event.status))}</p>' for b in blocks)
    sections = []
    for block in blocks:
        lang = block.labels.lang
        title_text, title_lang = event.text("title", lang) or ("", lang)
        day, times = format_when(event, lang)
        desc = event.text("description", lang)
        desc_html = ""
        if desc:
            desc_html = (f'<p class="poster__desc" lang="{desc[1]}" dir="{direction(desc[1])}">'
                         f'{isolate_numbers(_e(desc[0]))}</p>')
        sections.append(
            f'<section class="poster__block" lang="{lang}" dir="{direction(lang)}">'
            f'<h1 class="poster__title" lang="{title_lang}" dir="{direction(title_lang)}">{_e(title_text)}</h1>'
            f'<p class="poster__when">{_e(day)}<br>{_e(times)}</p>'
            f'{desc_html}</section>')
    facts = [f'<dt>{_e(es["language"])}</dt><dd>'
             + ", ".join(f'<span lang="{c}">{_e(native_name(c))}</span>' for c in event.languages) + "</dd>"]
    venue = f'{_e(event.venue.name)}'
    if event.venue.shown_address:
        venue += f'<br>{_e(event.venue.shown_address)}'
    else:
        venue += f'<br><small>{_e(es["address_hidden"])}</small>'
    facts.append(f'<dt>{_e(es["venue"])}</dt><dd lang="de" dir="ltr">{venue}</dd>')
    if event.contact:
        lines = [_e(x) for x in (event.contact.name,) if x]
        if event.contact.phone:
            lines.append(f'<b class="ltr" dir="ltr">{_e(event.contact.phone)}</b>')
        if event.contact.email:
            lines.append(f'<span class="ltr" dir="ltr">{_e(event.contact.email)}</span>')
        facts.append(f'<dt>{_e(es["contact"])}</dt><dd>{"<br>".join(lines)}</dd>')
    access = event.text("accessibility", main.lang)
    if access:
        facts.append(f'<dt>{_e(es["accessibility"])}</dt><dd lang="{access[1]}" dir="{direction(access[1])}">'
                     f'{_e(access[0])}</dd>')
    size = " poster--many" if len(blocks) > 2 else ""
    body = (_footer(main, url) + f'<div class="poster{size}">{_head(main, "", "")}{status}{"".join(sections)}'
            f'<div class="poster__facts"><dl lang="{main.lang}" dir="{main.dir}">{"".join(facts)}</dl>'
            f'{_qr_block(url, main.strings["poster_scan"], big=True)}</div></div>')
    title = (event.text("title", first.labels.lang) or ("", ""))[0]
    return _document(main, title, body)


# ---- bilingual handouts and packs --------------------------------------------------------------------

_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


class _SectionCuts(HTMLParser):
    """Offsets where a new `##` section starts at the top level of a fragment: an <h2>, or a <section>/<div>
    whose first element is an <h2> (the help directory wraps each kind of help in a <section>)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.cuts: list[tuple[int, int]] = []
        self._container: tuple[int, int] | None = None

    def _start(self, tag: str, void: bool) -> None:
        pos = self.getpos()
        if self.depth == 0:
            self._container = None
            if tag == "h2":
                self.cuts.append(pos)
            elif tag in ("section", "div") and not void:
                self._container = pos
        elif self.depth == 1 and self._container is not None:
            if tag == "h2":
                self.cuts.append(self._container)
            self._container = None
        if not void:
            self.depth += 1

    def handle_starttag(self, tag: str, attrs) -> None:
        self._start(tag, tag in _VOID)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._start(tag, True)

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)


def split_sections(fragment: str) -> list[str]:
    """The fragment cut before every top-level `##` section: [title and introduction, section 1, ...]."""
    parser = _SectionCuts()
    parser.feed(fragment)
    parser.close()
    line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
    offsets = [line_starts[line - 1] + col for line, col in parser.cuts]
    bounds = [0, *offsets, len(fragment)]
    return [fragment[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False)]


def pair_sections(source: list[str], target: list[str]) -> tuple[list[tuple[str, str]], bool]:
    """Rows of (source section, target section). Translations mirror the German structure, so the n-th
    sections belong together; when the counts differ, the surplus goes into the last row (and the second
    value is True, for a warning)."""
    n = min(len(source), len(target))
    if n == 0:
        return [("\n".join(source), "\n".join(target))], len(source) != len(target)
    rows = list(zip(source[:n - 1], target[:n - 1], strict=True))
    rows.append(("\n".join(source[n - 1:]), "\n".join(target[n - 1:])))
    return rows, len(source) != len(target)


def is_fallback(article: str) -> bool:
    """True for a page that shows the German text because it has no translation yet."""
    return 'class="site-fallback"' in article


def _cell(labels: Labels, content: str, role: str) -> str:
    return f'<td class="bi__col bi__col--{role}" lang="{labels.lang}" dir="{labels.dir}">{content}</td>'


def _bi_table(src: Labels, dst: Labels, rows: list[tuple[str, str]]) -> str:
    """German and the translation side by side, one table row per section; a row may continue on the next
    page, the language names repeat at the top of every page."""
    head = (f'<thead><tr><th lang="{src.lang}" dir="{src.dir}">{_e(src.language_name)}</th>'
            f'<th lang="{dst.lang}" dir="{dst.dir}">{_e(dst.language_name)}</th></tr></thead>')
    body = "".join(f'<tr class="bi__row">{_cell(src, a, "src")}{_cell(dst, b, "dst")}</tr>' for a, b in rows)
    return f'<table class="bi"><colgroup><col><col></colgroup>{head}<tbody>{body}</tbody></table>'


def _bi_footer(dst: Labels, url: str) -> str:
    """The translation's emergency numbers (the numbers are the same in German) and the translated page's address."""
    footer = _footer(dst, url)
    return footer.replace('<div class="pdf-footer" ', f'<div class="pdf-footer pdf-footer--bi" lang="{dst.lang}" ', 1)


def _bi_head(src: Labels, dst: Labels, url: str) -> str:
    qr = _qr_block(url, dst.strings["scan_qr"])
    if qr:
        qr = qr.replace('<div class="pdf-qr">', f'<div class="pdf-qr" lang="{dst.lang}" dir="{dst.dir}">', 1)
    return (f'<header class="pdf-head"><div><p class="pdf-head__brand site-name">{_e(src.site_name)}</p>'
            f'<p class="pdf-head__brand" lang="{dst.lang}" dir="{dst.dir}">{_e(dst.site_name)}</p>'
            f'<p class="pdf-head__lang">{_e(src.language_name)} · <span lang="{dst.lang}" dir="{dst.dir}">'
            f'{_e(dst.language_name)}</span></p></div>{qr}</header>')


def bilingual_document(src: Labels, dst: Labels, titles: tuple[str, str], rows: list[tuple[str, str]],
                       url: str) -> str:
    """One handout in German (`src`, left column) and one translation (`dst`, right column), section by
    section; `url` is the translated page (QR code and footer)."""
    body = (_bi_footer(dst, url) + _bi_head(src, dst, url)
            + f'<main class="bi-doc">{_bi_table(src, dst, rows)}</main>')
    return _document(src, f"{titles[0]} / {titles[1]}", body)


def bilingual_pack_document(src: Labels, dst: Labels, handouts: list[tuple[str, str, str, list[tuple[str, str]]]],
                            url: str, as_of: str) -> str:
    """handouts: (stem, German title, translated title, rows) with ids prefixed by `<stem>-<lang>-`."""
    def cover_column(labels: Labels) -> str:
        return (f'<h1>{_e(labels.site_name)}</h1>'
                f'<p class="pack-cover__sub">{_e(labels.strings["pack_subtitle"])}</p>'
                f'<p class="pack-cover__lang">{_e(labels.strings["bilingual_pack"])} · {_e(labels.strings["as_of"])} '
                f'<span class="ltr" dir="ltr">{_e(as_of)}</span></p>{_emergency_box(labels)}')
    qr = _qr_block(url, dst.strings["scan_qr"], big=True)
    if qr:
        qr = f'<div class="bi-cover__qr" lang="{dst.lang}" dir="{dst.dir}">{qr}</div>'
    cover = (f'<section class="pack-cover bi-cover"><p class="site-name" hidden>{_e(src.site_name)}</p>'
             f'<table class="bi bi--cover"><colgroup><col><col></colgroup><tbody><tr>'
             f'{_cell(src, cover_column(src), "src")}{_cell(dst, cover_column(dst), "dst")}</tr></tbody></table>'
             f'{qr}</section>')
    toc = "".join(f'<tr><td lang="{src.lang}" dir="{src.dir}"><a href="#h-{stem}">{_e(a)}</a></td>'
                  f'<td lang="{dst.lang}" dir="{dst.dir}"><a href="#h-{stem}">{_e(b)}</a></td>'
                  f'<td class="bi-toc__page"><a href="#h-{stem}"></a></td></tr>'
                  for stem, a, b, _ in handouts)
    toc_html = (f'<section class="pack-toc bi-toc"><h1>{_e(src.strings["contents"])} · '
                f'<span lang="{dst.lang}" dir="{dst.dir}">{_e(dst.strings["contents"])}</span></h1>'
                f'<table>{toc}</table></section>')
    parts = "".join(f'<section class="pack-handout bi-doc" id="h-{stem}">{_bi_table(src, dst, rows)}</section>'
                    for stem, _, _, rows in handouts)
    title = f"{src.site_name} – {src.strings['bilingual_pack']} – {dst.language_name}"
    return _document(src, title, _bi_footer(dst, url) + cover + toc_html + parts)


# ---- QR posters --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class QrCell:
    lang: str
    name: str                   # the language's own name, in its own script
    lines: tuple[str, ...]      # e.g. (handout title, "scan: information in your language")
    url: str


def qr_poster_document(main: Labels, title: str, cells: list[QrCell], address: str) -> str:
    """One A4 page: a QR code per language, two per row, each labelled in its own language and script.
    Codes shrink as languages are added so the page stays one sheet."""
    rows = max(1, math.ceil(len(cells) / 2))
    cell_mm = min(62.0, 226.0 / rows)
    qr_mm = round(min(48.0, cell_mm - 7), 1)

    def cell(c: QrCell | None) -> str:
        if c is None:
            return '<td class="qrw__cell qrw__cell--empty"></td>'
        lines = "".join(f'<p class="qrw__line{" qrw__line--title" if i == 0 and len(c.lines) > 1 else ""}">'
                        f'{isolate_numbers(_e(text))}</p>' for i, text in enumerate(c.lines))
        return (f'<td class="qrw__cell" lang="{c.lang}" dir="{dir_of(c.lang)}" style="height: {cell_mm - 1:.1f}mm">'
                f'<div class="qrw__inner"><img src="{qr_data_uri(c.url)}" alt="QR" '
                f'style="width: {qr_mm}mm; height: {qr_mm}mm">'
                f'<div class="qrw__text"><p class="qrw__name">{_e(c.name)}</p>{lines}</div></div></td>')
    padded: list[QrCell | None] = [*cells, *([None] * (len(cells) % 2))]
    body_rows = "".join(f"<tr>{cell(padded[i])}{cell(padded[i + 1])}</tr>" for i in range(0, len(padded), 2))
    brand = f'<p class="pdf-head__brand">{_e(main.site_name)}</p>' if title != main.site_name else ""
    head = (f'<header class="qrw__head">{brand}<h1>{_e(title)}</h1>'
            f'<p class="qrw__address" dir="ltr">{_e(address)}</p></header>')
    body = (_footer(main, "") + f'<div class="qrw">{head}<table class="qrw__grid"><colgroup><col><col></colgroup>'
            f'<tbody>{body_rows}</tbody></table></div>')
    return _document(main, title, body)


# ---- WeasyPrint's log --------------------------------------------------------------------------------

# Messages nobody editing content can act on: CSS WeasyPrint does not support (the rule is there for the
# web), and notices about how fonts are subset. Everything else (fonts that cannot be loaded, images that
# cannot be read, too many missing glyphs) is shown.
_NOISE = (
    re.compile(r"^Ignored `unicode-bidi\s*:"),
    re.compile(r"HarfBuzz-Subset|Unable to subset|\bsubset(ting)?\b.*\bfont\b|NOT subset", re.I),
)


def is_noise(logger: str, message: str, level: int = logging.WARNING) -> bool:
    """True for a WeasyPrint or fontTools log message that is left out of the build output."""
    if logger.split(".")[0] == "fontTools" and level < logging.ERROR:
        return True
    return any(pattern.search(message) for pattern in _NOISE)


class _Collect(logging.Handler):
    def __init__(self, messages: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.messages = messages

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not is_noise(record.name, message, record.levelno) and message not in self.messages:
            self.messages.append(message)


@contextmanager
def captured_warnings() -> Iterator[list[str]]:
    """WeasyPrint's and fontTools' warnings while rendering, without the noise (see `is_noise`); nothing
    of theirs reaches the terminal directly."""
    messages: list[str] = []
    handler = _Collect(messages)
    loggers = [logging.getLogger("weasyprint"), logging.getLogger("fontTools")]
    saved = [(logger, logger.propagate) for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.propagate = False
    try:
        yield messages
    finally:
        for logger, propagate in saved:
            logger.removeHandler(handler)
            logger.propagate = propagate


# ---- every character needs a font --------------------------------------------------------------------

_NO_GLYPH_NEEDED = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})


@lru_cache(maxsize=4)
def _codepoints(paths: tuple[Path, ...]) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in paths:
        font = TTFont(path, lazy=True)
        covered |= set(font.getBestCmap() or {})
        font.close()
    return frozenset(covered)


def covered_codepoints() -> frozenset[int]:
    """Every character the PDF fonts (FONTS) have a glyph for."""
    return _codepoints(tuple(path for *_, path in font_files()))


def missing_glyphs(document: str) -> str:
    """The characters of a document's text that no PDF font has (they would print as empty boxes), sorted."""
    text = re.sub(r"<(style|script)\b.*?</\1>", " ", document, flags=re.S | re.I)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    covered = covered_codepoints()
    return "".join(sorted(c for c in set(text)
                          if ord(c) not in covered and unicodedata.category(c) not in _NO_GLYPH_NEEDED))
