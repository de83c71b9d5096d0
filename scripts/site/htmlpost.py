"""Post-processing of rendered HTML pages: `dir` on <html>, Content-Security-Policy, relative links.

Works on the HTML text produced by the theme; no MkDocs import so it is testable alone.
"""

from __future__ import annotations

import base64
import hashlib
import re

_HTML_TAG = re.compile(r"<html\b[^>]*>", re.I)
_BODY_DIR = re.compile(r"<body\b[^>]*?\sdir=\"(ltr|rtl)\"", re.I)
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.I | re.S)
_META_CHARSET = re.compile(r"<meta charset=\"utf-8\">", re.I)
_CSP_META = re.compile(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>\s*", re.I)
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def copy_dir_to_html(html: str) -> str:
    """Material writes `dir` only on <body>; screen readers and CSS :dir() want it on <html>."""
    body = _BODY_DIR.search(html)
    tag = _HTML_TAG.search(html)
    if not body or not tag:
        return html
    old = tag.group(0)
    new = re.sub(r"\sdir=\"[^\"]*\"", "", old)
    new = new[:-1] + f' dir="{body.group(1)}">'
    return html[: tag.start()] + new + html[tag.end():]


# The theme's own inline scripts (Material 9.8: scope/hash helpers, anchor restore). Only these are
# allowed by hash: a script that reached a page from content must never be whitelisted.
THEME_SCRIPTS = (re.compile(r'__md_scope=new URL\("[^"<]*",location\),__md_hash='),
                 re.compile(r"var target=document\.getElementById\(location\.hash\.slice\(1\)\);"))


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-...') for the theme's executable inline scripts."""
    hashes = []
    for match in _INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs") or ""
        if re.search(r"\ssrc=", attrs, re.I):
            continue
        type_match = re.search(r"\stype=\"([^\"]*)\"", attrs, re.I)
        if (type_match.group(1).strip().lower() if type_match else "") not in _EXECUTABLE_TYPES:
            continue
        if not any(pattern.match(match.group("body")) for pattern in THEME_SCRIPTS):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.append(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return sorted(set(hashes))


def content_security_policy(script_hashes: list[str]) -> str:
    """Same-origin only: nothing from any other host, no plugins, no inline code except hashed scripts."""
    script_src = " ".join(["'self'", *script_hashes])
    return (
        "default-src 'self'; "
        f"script-src {script_src}; "
        "style-src 'self'; "
        "img-src 'self' data:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        "worker-src 'self'; "
        "frame-src 'self'; "
        "object-src 'none'; "
        "base-uri 'self'; "
        "form-action 'self'"
    )


def add_csp(html: str) -> str:
    """Insert (or replace) a CSP meta tag right after <meta charset>, before any script runs."""
    html = _CSP_META.sub("", html)
    policy = content_security_policy(inline_script_hashes(html))
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    match = _META_CHARSET.search(html)
    if not match:
        return html.replace("<head>", "<head>" + meta, 1)
    return html[: match.end()] + "\n    " + meta + html[match.end():]


_ALTERNATE_LINK = re.compile(r"<link rel=\"alternate\" href=\"[^\"]*\" hreflang=\"[^\"]*\">[ \t]*\n?")


def drop_alternate_links(html: str) -> str:
    """Remove <link rel=alternate hreflang> from <head>.

    Material's bundle fetches `sitemap.xml` next to every such link on each page view (one
    request per language, all failing from file://). Readers on paid data must not pay for that;
    the hreflang alternates are in sitemap.xml for search engines, and the visible language
    switcher links to the same page in every language.
    """
    return _ALTERNATE_LINK.sub("", html)


_TOGGLE_AUTOCOMPLETE = re.compile(r"(<input class=\"md-toggle\"[^>]*?type=\"checkbox\"[^>]*?)\s+autocomplete=\"off\"")


def drop_checkbox_autocomplete(html: str) -> str:
    """`autocomplete` is not allowed on checkboxes (Nu HTML Checker error from Material's toggles)."""
    return _TOGGLE_AUTOCOMPLETE.sub(r"\1", html)


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
_SEARCH_LABEL = re.compile(r'class="md-search__input" name="query" aria-label="([^"]*)"')


def name_search_dialog(html: str) -> str:
    """Give Material's search dialog an accessible name (axe: aria-dialog-name), in the page's language."""
    label = _SEARCH_LABEL.search(html)
    if not label or _SEARCH_DIALOG not in html:
        return html
    return html.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{label.group(1)}">', 1)


TABLE_CLASS = "site-table"
_TABLE_TAG = re.compile(r"<table\b[^>]*>|</table>", re.I)


def wrap_tables(html: str) -> str:
    """Wrap each plain `<table>` (Markdown's) in Material's scroll wrapper at build time.

    Material's script does it on every page view for `table:not([class])`: a late change of the layout
    (content below moves) and, on a page with many tables, a long task (the status page: over 1 s of
    blocking time on a throttled phone). The class keeps the script off these tables; site.css gives
    `table.site-table` Material's table style (Material's own rules only match tables without a class).
    """
    out: list[str] = []
    position = 0
    depth = 0  # open tables, counting those inside a wrapped one
    wrapped: list[int] = []  # depths at which a wrapped table was opened
    for match in _TABLE_TAG.finditer(html):
        tag = match.group(0)
        out.append(html[position:match.start()])
        position = match.end()
        if tag.lower() == "</table>":
            out.append(tag)
            if wrapped and wrapped[-1] == depth:
                wrapped.pop()
                out.append("</div></div>")
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if tag.lower() == "<table>":
            wrapped.append(depth)
            out.append(f'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                       f'<table class="{TABLE_CLASS}">')
        else:
            out.append(tag)
    out.append(html[position:])
    return "".join(out)


def finalize_page(html: str, csp: bool = True) -> str:
    """Everything a built page needs after rendering (no CSP for the live preview of `mkdocs serve`)."""
    html = copy_dir_to_html(name_search_dialog(drop_checkbox_autocomplete(drop_alternate_links(html))))
    html = wrap_tables(html)
    return add_csp(html) if csp else html


def relativize_root_links(html: str, site_path: str = "/") -> str:
    """Turn root-absolute href/src values ("/en/", "/assets/x.css") into links relative to the site root.

    Used for 404.html, which MkDocs renders with root-absolute links that start with the path of
    `site_url` (`site_path`, e.g. "/gewaltschutz/").
    """
    prefix = "/" + site_path.strip("/") + "/" if site_path.strip("/") else "/"

    def fix(match: re.Match[str]) -> str:
        attr, quote, url = match.group(1), match.group(2), match.group(3)
        if url.startswith("//"):
            return match.group(0)
        path = url[len(prefix):] if url.startswith(prefix) else url.lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        return f"{attr}={quote}{path}{quote}"

    return re.sub(r"\b(href|src)=([\"'])(/[^\"']*)\2", fix, html)


def add_base(html: str, site_url: str) -> str:
    """<base href> with the path of site_url (for 404.html); unchanged when site_url is empty."""
    from urllib.parse import urlsplit

    if not site_url:
        return html
    path = urlsplit(site_url).path.rstrip("/") + "/"
    match = _META_CHARSET.search(html)
    if not match:
        return html
    return html[: match.end()] + f'\n    <base href="{path}">' + html[match.end():]


_BODY_OPEN = re.compile(r"<body\b[^>]*>")


def add_exit_skip_link(html: str, url: str, label: str) -> str:
    """The quick exit as the very first focusable element, before Material's "skip to content" link;
    both sit in one navigation landmark (axe: region)."""
    from html import escape

    if "site-exit-skip" in html:
        return html
    link = (f'<a class="md-skip site-exit-skip" href="{escape(url)}" rel="noreferrer" data-site-exit>'
            f"{escape(label)}</a>")
    match = _SKIP_DIV.search(html)
    if match:
        return (html[: match.start()] + f'<nav class="site-skip" aria-label="{escape(label)}">' + link
                + match.group(0) + "</nav>" + html[match.end():])
    body = _BODY_OPEN.search(html)
    if not body:
        return html
    return html[: body.end()] + f'<nav class="site-skip" aria-label="{escape(label)}">{link}</nav>' + html[body.end():]


_SKIP_DIV = re.compile(r'<div data-md-component="skip">.*?</div>', re.S)


_REMOTE = re.compile(r"""<(?:img|script|iframe|audio|video|source|embed|object|input)\b[^>]*?"""
                     r"""\s(?:src|data|poster|srcset)=["']?((?:https?:)?//[^"' >]+)"""
                     r"""|<link\b[^>]*?rel=["'](?:stylesheet|icon|preload|prefetch|modulepreload|manifest)["']"""
                     r"""[^>]*?href=["']((?:https?:)?//[^"']+)""",
                     re.I)


def remote_resources(html: str) -> list[str]:
    """URLs on other hosts that the page would load by itself (images, scripts, styles, frames)."""
    return [m.group(1) or m.group(2) for m in _REMOTE.finditer(html)]


def add_noindex(html: str) -> str:
    """Keep a page out of search engines (pages for coordinators)."""
    match = _META_CHARSET.search(html)
    if not match or 'name="robots"' in html:
        return html
    return html[: match.end()] + '\n    <meta name="robots" content="noindex, nofollow">' + html[match.end():]

