"""Check a built site: every internal link and asset resolves, and nothing loads from another host.

`python -m scripts linkcheck [site/]`; exit 0 clean, 1 problems, 2 usage error.
Only relative links are accepted inside the site (so it works from file:// and under a sub-path).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import os
import posixpath
import re
import sys
from dataclasses import dataclass
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


# (urls, ids, base) of a page by the SHA-256 of its bytes: what earlier builds found (see `use_cache`)
_Parsed = tuple[list[tuple[str, str, str, bool, int]], set[str], str | None]
_memo: dict[str, _Parsed] = {}
CACHE_FILE: Path | None = None
_CACHE_FORMAT = 1


def use_cache(path: Path | None) -> None:
    """Keep what pages contain (links, ids) in `path` between builds: only changed pages are parsed again."""
    global CACHE_FILE
    CACHE_FILE = path
    _memo.clear()
    if path is None:
        return
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _CACHE_FORMAT or data.get("code") != _code_digest():
            return
        for key, (urls, ids, base) in data["pages"].items():
            _memo[key] = ([tuple(u) for u in urls], set(ids), base)
    except (OSError, ValueError, KeyError, TypeError):
        _memo.clear()                      # damaged: every page is parsed again


def _save_cache(used: set[str]) -> None:
    if CACHE_FILE is None:
        return
    pages = {k: [v[0], sorted(v[1]), v[2]] for k, v in _memo.items() if k in used}
    tmp = CACHE_FILE.with_suffix(f".tmp{os.getpid()}")
    try:
        CACHE_FILE.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"format": _CACHE_FORMAT, "code": _code_digest(), "pages": pages}),
                       encoding="utf-8")
        tmp.replace(CACHE_FILE)
    except OSError:  # no cache this time: every page is parsed again next time
        with contextlib.suppress(OSError):
            tmp.unlink()


def _code_digest() -> str:
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _parse_bytes(data: bytes) -> tuple[str, _Parsed]:
    key = hashlib.sha256(data).hexdigest()
    if key not in _memo:
        collector = _Collector()
        collector.feed(data.decode("utf-8"))
        _memo[key] = (collector.urls, collector.ids, collector.base)
    return key, _memo[key]


def _parse(path: Path) -> _Parsed:
    return _parse_bytes(path.read_bytes())[1]


@check("links", "error", "postbuild")
def check_site(site: Path) -> list[Problem]:
    """Every internal link and asset of a built site resolves; nothing loads from another host."""
    findings: list[Problem] = []
    files: set[str] = set()
    folders: set[str] = set()
    for path, dirs, names in os.walk(site):
        here = Path(path).relative_to(site).as_posix()
        folders.update(posixpath.normpath(posixpath.join(here, d)) for d in dirs)
        files.update(posixpath.normpath(posixpath.join(here, n)) for n in names)
    tree = _Tree(files, folders, {})
    used: set[str] = set()
    for rel in sorted(f for f in files if f.endswith(".html")):
        key, tree.parsed[rel] = _parse_bytes((site / rel).read_bytes())
        used.add(key)
    for rel, (urls, _ids, base) in tree.parsed.items():
        # with <base href="/sub/path/"> (404.html under a known site_url) links resolve from the site root
        origin = "index.html" if base and not urlsplit(base).netloc else rel
        for tag, attr, url, fetched, line in urls:
            findings.extend(_check_url(tree, origin, rel, line, tag, attr, url, fetched))
    for rel in sorted(f for f in files if f.endswith(".css")):
        text = (site / rel).read_text(encoding="utf-8")
        for match in _CSS_URL.finditer(text):
            url = match.group(1) or match.group(2)
            line = text.count("\n", 0, match.start()) + 1
            findings.extend(_check_url(tree, rel, rel, line, "css", "url", url, True))
    _save_cache(used)
    return findings


@dataclass
class _Tree:
    """A built site's files and folders (site-relative, /-separated) and its parsed pages."""

    files: set[str]
    folders: set[str]
    parsed: dict[str, _Parsed]


def _check_url(tree: _Tree, origin: str, rel: str, line: int, tag: str, attr: str, url: str,
               fetched: bool) -> list[Problem]:
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
        target = origin
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(origin), unquote(parts.path)))
        if target == ".." or target.startswith("../"):
            return [_problem(rel, line, f"<{tag} {attr}> points outside the site: {url}")]
        if target in tree.folders or target == ".":
            return [_problem(rel, line, f"<{tag} {attr}> points to a folder ({url}); file:// needs index.html")]
        if target not in tree.files:
            return [_problem(rel, line, f"<{tag} {attr}> target does not exist: {url}")]
    if parts.fragment and target.endswith(".html") and tag == "a":
        parsed = tree.parsed.get(target)
        if parsed is not None and unquote(parts.fragment) not in parsed[1]:
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
