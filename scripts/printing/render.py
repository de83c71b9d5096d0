"""HTML documents for the PDFs (handout, language pack, event poster, bilingual handout and pack, QR poster),
ready for WeasyPrint; the filter for WeasyPrint's log and the check that every character has a font.

Everything a PDF depends on ends up in the one HTML string built here (content, labels, URLs, QR code,
stylesheet, font paths), so `scripts.pdf` can cache a PDF by the hash of that string plus the fonts.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass
from functools import lru_cache
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


def stylesheets() -> dict[str, str]:
    """The stylesheets `_document` writes into every document's one <style> element, by name, in cascade
    order: "pdf" always, "rtl" after it in right-to-left documents."""
    return {"pdf": stylesheet(), "rtl": RTL_PAGE}


def split_styles(document: str) -> tuple[str, tuple[str, ...]] | None:
    """(`document` without its <style> element, the names of the `stylesheets()` it held) when that element
    holds exactly what `_document` writes, so a renderer can apply stylesheets it parsed once; else None."""
    start = document.find("<style>")
    end = document.find("</style>", start)
    if start < 0 or end < 0 or document.find("<style", end) >= 0:
        return None
    inner = document[start + len("<style>"):end]
    sheets = stylesheets()
    for names in (("pdf",), ("pdf", "rtl")):
        if inner == "".join(sheets[name] for name in names):
            return document[:start] + document[end + len("</style>"):], names
    return None


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
