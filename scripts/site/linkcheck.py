"""Check a built site: every internal link and asset resolves, and nothing loads from another host.

`python -m scripts linkcheck [site/]`; exit 0 clean, 1 problems, 2 usage error.
Only relative links are accepted inside the site (so it works from file:// and under a sub-path).
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts.core.checks import check
from scripts.core.problems import Problem

# tags/attributes whose URL the browser fetches by itself (as opposed to a link a person follows)
_FETCHING = {("script", "src"), ("img", "src"), ("iframe", "src"), ("source", "src"), ("audio", "src"),
             ("video", "src"), ("embed", "src"), ("object", "data"), ("input", "src")}
_FETCHING_REL = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "preconnect",
                 "dns-prefetch", "apple-touch-icon"}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)|@import\s+['\"]([^'\"]+)['\"]")
_IGNORED_SCHEMES = {"tel", "mailto", "data", "javascript", "sms", "blob"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str, bool, int]] = []  # (tag, attr, url, fetched, line)
        self.ids: set[str] = set()
        self.base: str | None = None  # <base href>: the 404 page's links are relative to the site root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        line = self.getpos()[0]
        if tag == "base" and self.base is None:
            self.base = a.get("href") or ""
            return
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag == "link" and a.get("href"):
            rels = set(a.get("rel", "").lower().split())
            self.urls.append((tag, "href", a["href"], bool(rels & _FETCHING_REL), line))
        elif tag == "a" and a.get("href"):
            self.urls.append((tag, "href", a["href"], False, line))
        for attr in ("src", "data", "poster"):
            if a.get(attr):
                self.urls.append((tag, attr, a[attr], (tag, attr) in _FETCHING or attr == "poster", line))
        if a.get("srcset"):
            for part in a["srcset"].split(","):
                if part.strip():
                    self.urls.append((tag, "srcset", part.strip().split()[0], True, line))
        if a.get("style"):
            for m in _CSS_URL.finditer(a["style"]):
                self.urls.append((tag, "style", m.group(1) or m.group(2), True, line))


def _parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


@check("links", "error", "postbuild")
def check_site(site: Path) -> list[Problem]:
    """Every internal link and asset of a built site resolves; nothing loads from another host."""
    findings: list[Problem] = []
    pages = sorted(site.rglob("*.html"))
    parsed = {page: _parse(page) for page in pages}
    for page, collector in parsed.items():
        rel = page.relative_to(site).as_posix()
        # with <base href="/sub/path/"> (404.html under a known site_url) links resolve from the site root
        origin = site / "index.html" if collector.base and not urlsplit(collector.base).netloc else page
        for tag, attr, url, fetched, line in collector.urls:
            findings.extend(_check_url(site, origin, rel, line, tag, attr, url, fetched, parsed))
    for css in sorted(site.rglob("*.css")):
        rel = css.relative_to(site).as_posix()
        text = css.read_text(encoding="utf-8")
        for match in _CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            line = text.count("\n", 0, match.start()) + 1
            findings.extend(_check_url(site, css, rel, line, "css", "url", url, True, parsed))
    return findings


def _check_url(site: Path, page: Path, rel: str, line: int, tag: str, attr: str, url: str, fetched: bool,
               parsed: dict[Path, _Collector]) -> list[Problem]:
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in _IGNORED_SCHEMES:
        return []
    if parts.scheme or parts.netloc:
        if fetched:
            return [_problem(rel, line, f"<{tag} {attr}> loads from another host: {url}")]
        return []  # a link a person may follow (e.g. to an external help site)
    if url.startswith("/"):
        return [_problem(rel, line, f"<{tag} {attr}> is root-absolute ({url}): breaks on file:// and sub-paths")]
    if not parts.path:
        target = page
    else:
        target = (page.parent / unquote(parts.path)).resolve()
        try:
            target.relative_to(site.resolve())
        except ValueError:
            return [_problem(rel, line, f"<{tag} {attr}> points outside the site: {url}")]
        if target.is_dir():
            return [_problem(rel, line, f"<{tag} {attr}> points to a folder ({url}); file:// needs index.html")]
        if not target.exists():
            return [_problem(rel, line, f"<{tag} {attr}> target does not exist: {url}")]
    if parts.fragment and target.suffix == ".html" and tag == "a":
        collector = parsed.get(target) or parsed.get(Path(target))
        if collector is None:
            collector = _parse(target)
        if unquote(parts.fragment) not in collector.ids:
            return [_problem(rel, line, f"<a href> anchor #{parts.fragment} not found in {url or rel}")]
    return []


def _problem(rel: str, line: int, message: str) -> Problem:
    fix = ("save the file under docs/assets/ and link it relatively" if "another host" in message
           else "link relatively to an existing page or file (e.g. `hilfe.md`, `../assets/x.css`)")
    return Problem(rel, line, message, fix, check="links")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts linkcheck", description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, default=Path("site"))
    args = parser.parse_args(argv)
    if not args.site.is_dir():
        print(f"error: {args.site} is not a folder (run `make build` first)", file=sys.stderr)
        return 2
    findings = check_site(args.site)
    for finding in findings:
        print(finding)
    print(f"{len(findings)} problem(s) in {args.site}", file=sys.stderr)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
