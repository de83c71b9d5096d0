"""The whole site as one Kiwix file (ZIM, written with libzim): readable offline in the Kiwix apps.

Contents: every file of the all-languages copy (pages, PDFs, assets, search indexes) at its site path, plus
`start.html`, the main page, which lists every language's home page (the per-language entry pages). Titles
come from each page's <title>. Metadata: Name, Title, Description, LongDescription, Language (ISO 639-3
list), Creator, Publisher, Date, Source, Tags, and a 48x48 illustration (favicon-48.png, drawn from
docs/assets/favicon.svg by `python -m scripts.offline.illustration`).

Full-text index (Xapian, inside the file): the text of each page's <article> with its title; pages that only
show the German text (untranslated fallbacks) and pages marked `noindex` are neither indexed nor listed as
articles, so a search finds each text once. Words are split on Unicode word boundaries and compared without
case and accents (Arabic harakat, Latin diacritics), Arabic-script words also in the other keyboard's spelling
of yeh and kaf (ي/ی, ك/ک), and German words are also matched by their stem.

Cost: a ZIM is cached in .cache/zim/ by the sha256 of everything that goes into it (files, titles, metadata,
libzim version), so a rebuild of an unchanged site copies the cached file (and stays byte-identical; libzim
itself gives every new file a random UUID).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import os
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from importlib import metadata
from pathlib import Path

from scripts.core.problems import InputError, Problem
from scripts.core.project import Project

FORMAT_VERSION = "2"          # bump when the layout below changes (invalidates the cache)
MAIN_PAGE = "start.html"
ILLUSTRATION = Path(__file__).with_name("favicon-48.png")
INDEX_LANGUAGE = "deu"        # stemmer for the full-text index (the source language)
# ISO 639-3 for the site's language codes (Kiwix filters its library by these)
ISO639_3 = {"de": "deu", "en": "eng", "fr": "fra", "ar": "ara", "fa": "fas", "fa-AF": "prs", "ps": "pus",
            "ku": "kmr", "ku-IQ": "ckb", "tr": "tur", "ru": "rus", "ti": "tir", "uk": "ukr", "so": "som",
            "sq": "sqi", "am": "amh", "es": "spa", "it": "ita", "pl": "pol", "ro": "ron", "bg": "bul",
            "sr": "srp", "ur": "urd", "prs": "prs", "ckb": "ckb", "kmr": "kmr"}
MIMETYPES = {".html": "text/html", ".css": "text/css", ".js": "application/javascript", ".json": "application/json",
             ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".woff2": "font/woff2",
             ".woff": "font/woff", ".pdf": "application/pdf", ".ics": "text/calendar", ".txt": "text/plain",
             ".xml": "application/xml", ".webmanifest": "application/manifest+json"}
_COMPRESSED = {"image/png", "image/jpeg", "font/woff2", "font/woff", "application/pdf"}
_TITLE = re.compile(r"<title>(.*?)</title>", re.S | re.I)
_NOINDEX = re.compile(r'<meta name="robots" content="[^"]*noindex', re.I)
_FALLBACK = 'class="site-fallback"'


@dataclass(frozen=True)
class Entry:
    path: str
    data: bytes
    mimetype: str
    title: str = ""
    front: bool = False                # an article (listed, suggested), not a resource
    index_text: str | None = None      # normalized text for the full-text index; None: not indexed


class _ArticleText(HTMLParser):
    """The visible text inside <article> (scripts and styles left out)."""

    _BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "td", "th", "dt", "dd", "br", "div", "section", "tr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.depth = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif tag in ("script", "style", "template"):
            self.skip += 1
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth = max(0, self.depth - 1)
        elif tag in ("script", "style", "template"):
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.parts.append(data)


def article_text(page: str) -> str:
    # only the text inside <article> counts: the parser reads just that stretch (header, navigation and
    # footer make up most of a page)
    start, end = page.find("<article"), page.rfind("</article>")
    if start < 0 or end < start:
        return ""
    parser = _ArticleText()
    parser.feed(page[start:end + len("</article>")])
    parser.close()
    return " ".join("".join(parser.parts).split())


def fold(text: str) -> str:
    """Lower case without accents, as libzim folds search words (its own index data is folded the same way;
    index data given by the creator must be folded by the creator)."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.category(c).startswith("M")))


# Arabic and Persian keyboards write yeh and kaf differently (ي/ی, ك/ک); Afghan and Iranian readers often type
# the Arabic forms. Each Arabic-script word is also indexed in the other spelling (as a keyword).
_TO_ARABIC = str.maketrans({"ی": "ي", "ى": "ي", "ک": "ك"})
_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_VARIANT_LETTERS = re.compile("[يیىكک]")


def spelling_variants(text: str) -> str:
    """The words of `text` with yeh/kaf in the other keyboard's form (space-separated, each once)."""
    variants: dict[str, None] = {}
    for word in dict.fromkeys(text.split()):
        if _VARIANT_LETTERS.search(word):
            for other in (word.translate(_TO_ARABIC), word.translate(_TO_PERSIAN)):
                if other != word:
                    variants[other] = None
    return " ".join(variants)


def page_title(page: str, fallback: str) -> str:
    match = _TITLE.search(page)
    return " ".join(html.unescape(match.group(1)).split()) if match else fallback


def entries(files: dict[str, bytes], main_page: str, texts: dict[str, list] | None = None) -> list[Entry]:
    """What goes into the ZIM, in path order; `files`: the all-languages copy's site files. `texts`: what
    earlier builds read from pages (title, article?, index text) by the page's SHA-256; afterwards it holds
    exactly this ZIM's pages."""
    if MAIN_PAGE in files:
        raise InputError([Problem(MAIN_PAGE, 1, f"the site has a page `{MAIN_PAGE}`, the name of the Kiwix main page",
                                  "rename the page")])
    texts = {} if texts is None else texts
    seen: set[str] = set()
    out = []
    for path in sorted([*files, MAIN_PAGE]):
        data = main_page.encode("utf-8") if path == MAIN_PAGE else files[path]
        suffix = os.path.splitext(path)[1].lower()
        mimetype = MIMETYPES.get(suffix, "application/octet-stream")
        if mimetype != "text/html":
            out.append(Entry(path, data, mimetype))
            continue
        key = hashlib.sha256(f"{path}\0".encode() + data).hexdigest()
        if key not in texts:
            text = data.decode("utf-8")
            title = page_title(text, path)
            article = path != "404.html" and _FALLBACK not in text and not _NOINDEX.search(text)
            index = fold(f"{title} {article_text(text)}") if article and path != MAIN_PAGE else None
            texts[key] = [title, article, index]
        seen.add(key)
        title, article, index = texts[key]
        out.append(Entry(path, data, mimetype, title, front=article, index_text=index))
    for key in set(texts) - seen:
        del texts[key]
    return out


def languages_iso(project: Project) -> tuple[str, list[str]]:
    """(comma-separated ISO 639-3 codes, site codes without one)."""
    known, unknown = [], []
    for code in project.codes:
        iso = ISO639_3.get(code) or ISO639_3.get(code.split("-")[0])
        (known if iso else unknown).append(iso or code)
    return ",".join(dict.fromkeys(known)), unknown


def zim_metadata(project: Project, date: str) -> dict[str, str]:
    from scripts.offline.copies import slug

    default = project.strings(project.default)
    title = default["site_name"]
    description = default["site_description"]
    if len(description) > 80:
        description = description[:79].rstrip() + "…"
    long = "\n".join(dict.fromkeys(f"{project.strings(c)['language_name']}: {project.strings(c)['site_description']}"
                                   for c in project.codes))
    edition = project.edition
    author = str(project.config.get("site_author") or title)
    publisher = f"{author} ({edition['city']})" if edition.get("city") else author
    data = {"Name": f"{slug(project)}_mul_all", "Title": title[:30], "Description": description,
            "LongDescription": long[:4000], "Language": languages_iso(project)[0], "Creator": author,
            "Publisher": publisher, "Date": date, "Tags": "_ftindex:yes;_pictures:no;_videos:no;_details:yes"}
    if project.site_url:
        data["Source"] = project.site_url
    return data


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """libzim prints its progress to the process's stdout/stderr: keep the build output short."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            yield
        except Exception as exc:
            sink.seek(0)
            said = sink.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise RuntimeError(f"libzim: {exc}" + ("\n" + "\n".join(said) if said else "")) from exc
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def _write(target: Path, items: list[Entry], meta: dict[str, str], illustration: bytes) -> None:
    from libzim.writer import Creator, Hint, IndexData, Item, StringProvider

    class Index(IndexData):
        def __init__(self, title: str, text: str) -> None:
            super().__init__()
            self.title, self.text = title, text

        def has_indexdata(self) -> bool:
            return True

        def get_title(self) -> str:
            return self.title

        def get_content(self) -> str:
            return self.text

        def get_keywords(self) -> str:
            return spelling_variants(self.text)

        def get_wordcount(self) -> int:
            return len(self.text.split())

        def get_geoposition(self) -> tuple[float, float] | None:
            return None

    class File(Item):
        def __init__(self, entry: Entry) -> None:
            super().__init__()
            self.entry = entry

        def get_path(self) -> str:
            return self.entry.path

        def get_title(self) -> str:
            return self.entry.title

        def get_mimetype(self) -> str:
            return self.entry.mimetype

        def get_contentprovider(self) -> StringProvider:
            return StringProvider(self.entry.data)

        def get_hints(self) -> dict:
            return {Hint.FRONT_ARTICLE: self.entry.front, Hint.COMPRESS: self.entry.mimetype not in _COMPRESSED}

        def get_indexdata(self) -> IndexData | None:
            text = self.entry.index_text
            return Index(fold(self.entry.title), text) if text is not None else None

    creator = Creator(target).config_indexing(True, INDEX_LANGUAGE).config_verbose(False)
    with creator:
        creator.set_mainpath(MAIN_PAGE)
        creator.add_illustration(48, illustration)
        for name, value in meta.items():
            creator.add_metadata(name, value)
        for entry in items:
            creator.add_item(File(entry))


def input_key(files: dict[str, bytes], main_page: str, meta: dict[str, str], illustration: bytes) -> str:
    """The cache key of a ZIM from what it is made of (and this module's code), read without parsing a page."""
    digest = hashlib.sha256()
    try:
        libzim_version = metadata.version("libzim")
    except metadata.PackageNotFoundError:
        libzim_version = "?"
    for part in (FORMAT_VERSION, libzim_version, INDEX_LANGUAGE, repr(sorted(meta.items())), main_page):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(_code_digest().encode())
    digest.update(illustration)
    for path in sorted(files):
        digest.update(f"{path}\0{len(files[path])}\0".encode())
        digest.update(files[path])
    return digest.hexdigest()


def build_zim(target: Path, project: Project, files: dict[str, bytes], main_page: str, date: str,
              cache_dir: Path) -> bool:
    """Write the ZIM to `target`; True when it came from the cache. InputError when libzim is missing."""
    meta = zim_metadata(project, date)
    illustration = ILLUSTRATION.read_bytes()
    key = input_key(files, main_page, meta, illustration)
    cache_dir.mkdir(parents=True, exist_ok=True)
    cached = cache_dir / f"{key}.zim"
    hit = cached.exists()
    if not hit:
        try:
            import libzim  # noqa: F401
        except ImportError:
            raise InputError([Problem(str(project.config_file), 1, "the Kiwix file needs the Python package libzim",
                                      "run `make build` (it installs it), or build without it: SKIP_ZIM=1 make build")]
                             ) from None
        texts = _read_texts(cache_dir / TEXTS_FILE)
        items = entries(files, main_page, texts)
        tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
        try:
            with _quiet():
                _write(tmp, items, meta, illustration)
            try:
                os.link(tmp, cached)      # atomic; a parallel build may have made the same file meanwhile
            except FileExistsError:
                pass
        finally:
            tmp.unlink(missing_ok=True)
        _write_texts(cache_dir / TEXTS_FILE, texts)
        _prune(cache_dir, keep=cached)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(cached.read_bytes())
    return hit


TEXTS_FILE = "page-texts.json"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """This module's code: what it reads from pages and writes depends on it."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _read_texts(path: Path) -> dict[str, list]:
    """Page texts of earlier builds (a damaged file is ignored: the pages are read again)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("code") != _code_digest():
        return {}
    texts = data.get("texts")
    return texts if isinstance(texts, dict) else {}


def _write_texts(path: Path, texts: dict[str, list]) -> None:
    tmp = path.with_suffix(f".tmp{os.getpid()}")
    tmp.write_text(json.dumps({"code": _code_digest(), "texts": texts}, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _prune(cache_dir: Path, keep: Path, newest: int = 4) -> None:
    """Keep the few newest ZIMs (each build of a changed site makes one)."""
    old = sorted((p for p in cache_dir.glob("*.zim") if p != keep), key=lambda p: p.stat().st_mtime, reverse=True)
    for path in old[newest:]:
        path.unlink(missing_ok=True)
