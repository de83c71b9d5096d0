"""HTML and text the offline copies add: the print page's download section, the note that replaces it inside
a copy, the copies' start pages, the not-in-this-copy page and VERSION.txt. Texts come from
data/strings-print/<lang>.yml (keys `offline_*`), German filling gaps."""

from __future__ import annotations

import os
from html import escape
from typing import TYPE_CHECKING

from scripts.core.project import Project, direction, language_path

if TYPE_CHECKING:
    from scripts.offline.copies import Copy
    from scripts.offline.stamp import Stamp

DOWNLOAD_DIR = "download"
SUMS_FILE = "SHA256SUMS"
MANIFEST_FILE = "MANIFEST.txt"
SKIP_ENV = "SKIP_ZIM"
# pages the offline copies add carry their own policy: nothing but the site's own styles and fonts
_CSP = "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'"


def skip_zim() -> bool:
    """True when the environment asks for a build without the Kiwix file (SKIP_ZIM=1)."""
    return os.environ.get(SKIP_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _strings(lang: str, project: Project) -> dict[str, str]:
    return project.strings(lang, "strings-print")


def _name(code: str, project: Project) -> str:
    return project.strings(code)["language_name"]


def _item(href: str, title: str, note: str, kind: str, title_lang: str = "") -> str:
    """One download, as the print page shows PDFs: the size is filled in after the build (`data-pdf-size`)."""
    attrs = f' lang="{title_lang}" dir="{direction(title_lang)}"' if title_lang else ""
    note_html = f'<span class="site-print__note">{_e(note)}</span>' if note else ""
    return (f'<li class="site-print__item"><a href="{_e(href)}" download><span class="site-print__title"{attrs}>'
            f'{_e(title)}</span></a>{note_html}<span class="site-print__meta">{kind}, '
            f'<span data-pdf-size="{_e(href)}">…</span></span></li>')


def render_section(lang: str, project: Project) -> str:
    """The "offline copies" section of the print page of `lang` (links relative to that language's folder)."""
    from scripts.offline.copies import zim_name, zip_name

    s = _strings(lang, project)
    down = ("../" if lang != project.default else "") + f"{DOWNLOAD_DIR}/"
    own = _item(down + zip_name(project, lang), _name(lang, project), s["offline_language_hint"], "ZIP")
    items = [own, _item(down + zip_name(project, None), s["offline_all"], s["offline_all_hint"], "ZIP")]
    if not skip_zim():
        items.append(_item(down + zim_name(project), s["offline_zim"], s["offline_zim_hint"], "ZIM"))
    others = [_item(down + zip_name(project, code), _name(code, project), "", "ZIP", title_lang=code)
              for code in project.codes if code != lang]
    out = [f'<section class="site-offline" data-offline-lang="{lang}">',
           f'<h2 id="offline">{_e(s["offline_title"])}</h2>',
           f'<p>{_e(s["offline_intro"])}</p>',
           '<ul class="site-print__grid">', *items, "</ul>",
           f'<p>{_e(s["offline_check"])}</p>',
           f'<p>{_e(s["as_of"])} <bdi data-offline-date>…</bdi> · {_e(s["offline_version"])} '
           f'<bdi data-offline-version>…</bdi></p>',
           f'<p><a href="{down}{SUMS_FILE}">{_e(s["offline_checksums"])}</a> · '
           f'<a href="{down}{MANIFEST_FILE}">{_e(s["offline_manifest"])}</a></p>']
    if others:
        out += [f'<h3 id="offline-other">{_e(s["offline_other"])}</h3>', '<ul class="site-print__grid">', *others,
                "</ul>"]
    out.append("</section>")
    return "\n".join(out)


def copy_note(lang: str, project: Project, stamp: Stamp) -> str:
    """What an offline copy shows instead of the download section: that it is one, and its version."""
    s = _strings(lang, project)
    url = project.site_url
    link = f' <a href="{_e(url)}">{_e(url)}</a>' if url.startswith(("https://", "http://")) else ""
    return (f'<section class="site-offline"><h2 id="offline">{_e(s["offline_title"])}</h2>'
            f'<p>{_e(s["offline_copy"])}{link}</p>'
            f'<p>{_e(s["as_of"])} <bdi>{stamp.date}</bdi> · {_e(s["offline_version"])} <bdi>{stamp.version}</bdi>'
            f'</p></section>')


def _document(lang: str, title: str, body: str, css: str | None = None, refresh: str = "") -> str:
    """A small page; `css`: path prefix to the site root for the site's font stylesheet (None: no stylesheet)."""
    head = [f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            '<meta name="viewport" content="width=device-width,initial-scale=1">']
    if refresh:
        head.append(f'<meta http-equiv="refresh" content="0; url={_e(refresh)}">')
    if css is not None:
        head.append(f'<link rel="stylesheet" href="{_e(css)}assets/stylesheets/fonts.css">')
    return (f'<!doctype html>\n<html lang="{lang}" dir="{direction(lang)}">\n<head>\n<meta charset="utf-8">\n'
            + "\n".join(head) + f"\n<title>{_e(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def redirect_page(lang: str, project: Project, target: str) -> str:
    """A copy's index.html: opens the language's home page at once (a link if the browser does not)."""
    site = project.strings(lang)["site_name"]
    body = f'<p><a href="{_e(target)}">{_e(site)} – {_e(_name(lang, project))}</a></p>'
    return _document(lang, site, body, refresh=target)


def language_list(project: Project, prefix: str = "") -> str:
    """Every language's home page, each named in its own language (start page of the all-languages copy and
    main page of the Kiwix file)."""
    default = project.default
    strings = project.strings(default)
    items = []
    for lang in project.languages:
        own = project.strings(lang.code)
        href = f"{prefix}{language_path(lang.code, default)}index.html"
        items.append(f'<li lang="{lang.code}" dir="{lang.direction}"><a href="{_e(href)}" hreflang="{lang.code}">'
                     f'{_e(own["language_name"])}</a> – {_e(own["site_name"])}</li>')
    body = (f'<h1>{_e(strings["site_name"])}</h1>\n<p>{_e(strings["site_description"])}</p>\n<ul>\n'
            + "\n".join(items) + "\n</ul>")
    return _document(default, strings["site_name"], body, css=prefix)


def missing_page(lang: str, project: Project, full_copy: str) -> str:
    """site/not-in-this-copy.html of a language copy: in its language, and in German below."""
    default = project.default
    blocks = []
    for code in dict.fromkeys([lang, default]):
        s = _strings(code, project)
        home = f"{language_path(code, default)}index.html"
        blocks.append(f'<section lang="{code}" dir="{direction(code)}">\n<h1>{_e(s["offline_not_included"])}</h1>\n'
                      f'<p>{_e(s["offline_not_included_hint"])} <bdi>{_e(full_copy)}</bdi></p>\n'
                      f'<p><a href="{home}">{_e(project.strings(code)["site_name"])} – {_e(_name(code, project))}'
                      f'</a></p>\n</section>')
    return _document(lang, project.strings(lang)["site_name"], "\n".join(blocks), css="")


def version_text(copy: Copy, project: Project, stamp: Stamp) -> str:
    """VERSION.txt inside a copy: what a mediator compares with the website."""
    from scripts.offline.copies import describe

    lang = copy.code or project.default
    s = _strings(lang, project)
    site = project.strings(project.default)["site_name"]
    where = (f"{project.site_url.rstrip('/')}/{DOWNLOAD_DIR}/{MANIFEST_FILE}" if project.site_url
             else f"{DOWNLOAD_DIR}/{MANIFEST_FILE} of the website / der Website")
    lines = [f"{site} – offline copy / Offline-Kopie",
             "",
             f"Version: {stamp.version}",
             f"Stand / as of: {stamp.date} (date from {stamp.source})",
             f"Inhalt / contents: {describe(copy, project)}",
             "Öffnen / open: index.html",
             f"Aktuell? / current? Compare the version with {where}",
             "",
             f"{s['as_of']} {stamp.date} · {s['offline_version']} {stamp.version}",
             ""]
    return "\n".join(lines)
