"""sitemap.xml with every page in every language and its hreflang alternates.

Written only when `site_url` is set: a sitemap needs absolute addresses, and the site itself
never does (it also works from file:// and any sub-path).
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from scripts.core.project import language_path


def pages(site: Path, codes: list[str], default: str) -> list[str]:
    """Paths of the default language's pages, relative to the site root (the same in every language)."""
    others = {c for c in codes if c != default}
    result = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or rel.split("/", 1)[0] in others:
            continue
        result.append(rel)
    return result


def render(site_url: str, rels: list[str], codes: list[str], default: str) -> str:
    base = site_url.rstrip("/") + "/"

    def url(code: str, rel: str) -> str:
        return base + language_path(code, default) + rel

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for rel in rels:
        links = "".join(f'\n    <xhtml:link rel="alternate" hreflang="{code}" href={quoteattr(url(code, rel))}/>'
                        for code in codes)
        for code in codes:
            out.append(f"  <url>\n    <loc>{escape(url(code, rel))}</loc>{links}\n  </url>")
    out.append("</urlset>\n")
    return "\n".join(out)


def write(site: Path, site_url: str, codes: list[str], default: str) -> Path | None:
    for stale in (site / "sitemap.xml", site / "sitemap.xml.gz"):
        stale.unlink(missing_ok=True)
    if not site_url:
        return None
    target = site / "sitemap.xml"
    target.write_text(render(site_url, pages(site, codes, default), codes, default), encoding="utf-8")
    return target
