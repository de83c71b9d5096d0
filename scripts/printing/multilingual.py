"""PDFs that combine languages: bilingual handouts and packs, QR posters; their part of the print page; the
check that every character of every PDF has a font.

Output (see `scripts.printing.build` for the others):
  <lang>/pdf/<handout>-de.pdf  German and <lang> side by side, section by section (only for handouts
                               translated into <lang>; a German fallback page gets none)
  <lang>/pdf/pack-de.pdf       every such handout, with a bilingual cover and table of contents
  pdf/qr-wall.pdf              one A4 page: a QR code per language to that language's home page
  pdf/qr-<handout>.pdf         one A4 page: a QR code per language to that handout
The QR posters need the public address (site_url); without it they are left out, with a warning.

Layout decision: the two languages share each page (two columns, one table row per `##` section, a row
may continue on the next page) rather than facing pages, so a section and its translation always start
side by side, also when printed single-sided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from scripts.core.pages import page_title as md_title
from scripts.core.problems import Problem
from scripts.core.project import Project, language_path, language_root
from scripts.printing import bilingual, weasy
from scripts.printing import render as pdf_render

PDF_DIR = "pdf"
QR_WALL = "qr-wall"


@dataclass(frozen=True)
class Planned:
    """One PDF to render: where it goes (relative to the site), its HTML, and the languages it holds."""
    name: str
    document: str
    base_url: str
    langs: tuple[str, ...]


def bilingual_name(stem: str, default: str) -> str:
    return f"{stem}-{default}.pdf"


def qr_name(stem: str) -> str:
    return f"qr-{stem}.pdf"


# ---- planning ----------------------------------------------------------------------------------------

def plan(site: Path, project: Project, *, site_url: str, languages: list[str], stems: list[str], today: date,
         labels: Callable[[str], pdf_render.Labels], warnings: list[str]) -> list[Planned]:
    """The bilingual handouts and packs of `languages`, and (with a site_url, when the German root is
    built) the QR posters for all languages."""
    base = site_url.rstrip("/") + "/" if site_url else ""
    default = project.default
    articles: dict[tuple[str, str], str | None] = {}

    def article(lang: str, stem: str) -> str | None:
        if (lang, stem) not in articles:
            page = language_root(site, lang, default) / f"{stem}.html"
            articles[lang, stem] = (pdf_render.extract_article(page.read_text(encoding="utf-8"))
                                    if page.exists() else None)
        return articles[lang, stem]

    out: list[Planned] = []
    src = labels(default)
    for lang in languages:
        if lang == default:
            continue
        dst = labels(lang)
        folder = language_root(site, lang, default)
        prefix = language_path(lang, default)
        url_base = base + prefix if base else ""
        pack = []
        for stem in stems:
            german, translated = article(default, stem), article(lang, stem)
            if german is None or translated is None or bilingual.is_fallback(translated):
                continue
            titles = (pdf_render.page_title(german) or stem, pdf_render.page_title(translated) or stem)
            url = f"{url_base}{stem}.html" if base else ""
            pages = ((german, base, site / f"{stem}.html", default),
                     (translated, url_base, folder / f"{stem}.html", lang))
            rows, mismatch = _rows(pages, "")
            if mismatch:
                warnings.append(f"{prefix}{stem}.html: its `##` sections do not match the German page's; the "
                                f"bilingual PDF pairs them in order (check the translation's headings)")
            out.append(Planned(f"{prefix}{PDF_DIR}/{bilingual_name(stem, default)}",
                               bilingual.bilingual_document(src, dst, titles, rows, url),
                               folder.as_uri() + "/", (default, lang)))
            pack.append((stem, *titles, _rows(pages, f"{stem}-")[0]))
        if pack:
            out.append(Planned(f"{prefix}{PDF_DIR}/{bilingual_name('pack', default)}",
                               bilingual.bilingual_pack_document(src, dst, pack, f"{url_base}index.html" if base
                                                                  else "", today.strftime("%d.%m.%Y")),
                               folder.as_uri() + "/", (default, lang)))
    if base and default in languages:
        out += _qr_posters(site, project, base, stems, labels, article)
    return out


def _rows(pages: tuple[tuple[str, str, Path, str], ...], id_prefix: str) -> tuple[list[tuple[str, str]], bool]:
    """(rows, sections differ) for pages = ((article, URL base, page file, lang) German, same translated)."""
    left, right = (pdf_render.prepare_content(article, page_url_base=url_base, page_file=page,
                                              id_prefix=f"{id_prefix}{lang}-")
                   for article, url_base, page, lang in pages)
    return bilingual.pair_sections(bilingual.split_sections(left), bilingual.split_sections(right))


def _qr_posters(site: Path, project: Project, base: str, stems: list[str],
                labels: Callable[[str], pdf_render.Labels],
                article: Callable[[str, str], str | None]) -> list[Planned]:
    default, codes = project.default, project.codes
    main = labels(default)
    address = base.split("://", 1)[-1].rstrip("/")
    where = site.as_uri() + "/"

    def scan(code: str) -> str:
        return labels(code).strings["qr_scan"]

    cells = [bilingual.QrCell(code, labels(code).language_name, (scan(code),),
                               f"{base}{language_path(code, default)}index.html") for code in codes]
    out = [Planned(f"{PDF_DIR}/{QR_WALL}.pdf", bilingual.qr_poster_document(main, main.site_name, cells, address),
                   where, tuple(codes))]
    for stem in stems:
        german = article(default, stem)
        if german is None:
            continue
        cells = []
        for code in codes:
            text = article(code, stem)
            if text is None:
                continue
            title = pdf_render.page_title(text) or stem
            cells.append(bilingual.QrCell(code, labels(code).language_name, (title, scan(code)),
                                           f"{base}{language_path(code, default)}{stem}.html"))
        out.append(Planned(f"{PDF_DIR}/{qr_name(stem)}", bilingual.qr_poster_document(
            main, pdf_render.page_title(german) or stem, cells, address), where, tuple(codes)))
    return out


# ---- fonts -------------------------------------------------------------------------------------------

def glyph_problems(jobs: list[tuple[str, str, tuple[str, ...]]], project: Project) -> list[Problem]:
    """A problem per language whose text has characters no PDF font covers. jobs: (name, HTML, languages).
    A character is blamed on the languages whose own (one-language) PDFs contain it; failing that, on the
    languages of the combined PDF it was found in."""
    single: dict[str, tuple[set[str], str]] = {}
    combined: dict[str, tuple[set[str], str]] = {}
    for name, document, langs in jobs:
        missing = weasy.missing_glyphs(document)
        if not missing:
            continue
        target = single if len(langs) == 1 else combined
        key = langs[0] if len(langs) == 1 else "/".join(langs)
        chars, first = target.setdefault(key, (set(), name))
        chars.update(missing)
    found = single or combined
    fonts = ", ".join(sorted({family for family, _ in pdf_render.FONTS}))
    problems = []
    for key, (chars, example) in sorted(found.items()):
        names = ", ".join(f"{code} ({project.language(code).name if project.language(code) else code})"
                          for code in key.split("/"))
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in sorted(chars)[:8])
        problems.append(Problem(
            example, 1,
            f"language {names}: {len(chars)} character(s) have no font in the PDF fonts ({fonts}), e.g. {shown} "
            f"(first seen in {example}); the PDFs would show empty boxes",
            "add a Noto font for this script to FONTS in scripts/printing/render.py and to the font lists in "
            "scripts/printing/templates/pdf.css (install it, e.g. Debian fonts-noto-core / fonts-noto-extra)"))
    return problems


# ---- the print page ----------------------------------------------------------------------------------

def print_page_sections(lang: str, project: Project, stems: list[str],
                        card: Callable[..., str]) -> list[str]:
    """HTML for the "Print material" page of `lang`: the bilingual PDFs (German page: one pack per language)
    and the QR posters, or why there are none. `card(href, title, note, title_lang)` draws one link."""
    e = pdf_render._e
    default = project.default
    strings = project.strings(lang, "strings-print")
    up = "" if lang == default else "../"

    def own_title(code: str, stem: str) -> str:
        path = project.docs / code / f"{stem}.md"
        return md_title(path) if path.exists() else ""

    out: list[str] = []
    if lang == default:
        cards = []
        for code in project.codes:
            if code != default and any(own_title(code, stem) for stem in stems):
                href = f"{language_path(code, default)}{PDF_DIR}/{bilingual_name('pack', default)}"
                cards.append(card(href, project.strings(code)["language_name"], strings["bilingual_pack"], code))
        if cards:
            out += [f'<h2 id="bilingual">{e(strings["bilingual"])}</h2>', f'<p>{e(strings["bilingual_hint"])}</p>',
                    '<ul class="site-print__grid">', *cards, "</ul>"]
    else:
        translated = [(stem, title) for stem in stems if (title := own_title(lang, stem))]
        if translated:
            out += [f'<h2 id="bilingual">{e(strings["bilingual"])}</h2>', f'<p>{e(strings["bilingual_hint"])}</p>',
                    '<ul class="site-print__grid">',
                    card(f"{PDF_DIR}/{bilingual_name('pack', default)}", strings["bilingual_pack"],
                         strings["pack_hint"]),
                    *(card(f"{PDF_DIR}/{bilingual_name(stem, default)}", title) for stem, title in translated),
                    "</ul>"]
    out.append(f'<h2 id="qr">{e(strings["qr_posters"])}</h2>')
    if not project.site_url:
        out.append(f'<p class="site-print__note">{e(strings["qr_missing"])}</p>')
        return out
    out += ['<ul class="site-print__grid">',
            card(f"{up}{PDF_DIR}/{QR_WALL}.pdf", strings["qr_wall"], strings["qr_wall_hint"])]
    for stem in stems:
        own = own_title(lang, stem)
        title = own or own_title(default, stem) or stem
        out.append(card(f"{up}{PDF_DIR}/{qr_name(stem)}", title, strings["qr_handout_hint"],
                        "" if own else default))
    out.append("</ul>")
    return out
