"""HTML for the bilingual PDFs (German beside the reader's language, section by section) and the QR posters."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from scripts.printing.render import (
    Labels,
    _document,
    _e,
    _emergency_box,
    _footer,
    _qr_block,
    dir_of,
    isolate_numbers,
    qr_data_uri,
)

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
