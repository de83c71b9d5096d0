"""ZIP copies of the built site for a USB stick: one with every language, one per language.

Each ZIP holds one folder, e.g. `leben-ohne-gewalt-ar/`, with
  index.html     the start page: leads to the language's home page (all languages: a language list)
  VERSION.txt    version, date, contents, and how to check whether the copy is current
  site/          the site files (the same relative layout as online, so every link and the search work)

What each copy contains (site/ inside the ZIP):
  all languages  every file of the built site except download/
  language xx    xx/ (its pages, its search index, its PDFs and calendar files), assets/ (styles, scripts,
                 fonts), and the German pages with their search index and calendar files (every untranslated
                 page links its German original; the language switcher offers German); no PDFs of any other
                 language, no other language's pages
  German (de)    the German pages, search index, PDFs and calendar files, assets/

Links to what a language copy leaves out (other languages, their PDFs) lead to `site/not-in-this-copy.html`,
which says so in the copy's language and in German. The "offline copies" section of the print pages is
replaced by a note with the copy's version (the copies do not contain the download folder).

Reproducible: entries sorted by name, one fixed timestamp (the stamp's date), fixed permissions, no extra
fields; the same built site and stamp give the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import posixpath
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scripts.core.project import Project, language_path
from scripts.offline import pages
from scripts.offline.stamp import Stamp

MISSING_PAGE = "not-in-this-copy.html"
SITE_FOLDER = "site"
ALL = "all"
# already compressed: stored as they are (deflating them again costs time and gains nothing)
STORED_SUFFIXES = (".pdf", ".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".zip", ".gz", ".zim")

_LINK = re.compile(r'(<(?:a|link)\b[^>]*?\shref=")([^"]*)(")', re.I)
_SECTION = re.compile(r'<section class="site-offline"[^>]*?data-offline-lang="([^"]+)"[^>]*>.*?</section>', re.S)


def slug(project: Project) -> str:
    """File-name stem of the downloads, from mkdocs.yml `site_name`: `leben-ohne-gewalt`."""
    text = unicodedata.normalize("NFKD", str(project.config.get("site_name") or ""))
    text = text.replace("ß", "ss").encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "site"


def zip_name(project: Project, code: str | None) -> str:
    """`leben-ohne-gewalt-ar.zip`; every language: `leben-ohne-gewalt-all.zip`."""
    return f"{slug(project)}-{code or ALL}.zip"


def zim_name(project: Project) -> str:
    return f"{slug(project)}.zim"


@dataclass(frozen=True)
class Copy:
    code: str | None            # the language; None: every language
    name: str                   # the ZIP's file name
    files: tuple[str, ...]      # site-relative paths it contains (sorted)

    @property
    def folder(self) -> str:
        """The one folder inside the ZIP (its name without .zip)."""
        return self.name.removesuffix(".zip")


def plan(project: Project, files: list[str]) -> list[Copy]:
    """Every copy: all languages first, then one per language in the configured order."""
    default, codes = project.default, project.codes
    others = set(codes) - {default}
    copies = [Copy(None, zip_name(project, None), tuple(sorted(files)))]
    for code in codes:
        chosen = []
        for rel in files:
            top = rel.split("/")[0] if "/" in rel else ""
            if top in others and top != code:
                continue                        # another language's pages and PDFs
            if top == "pdf" and code != default:
                continue                        # the German PDFs
            chosen.append(rel)
        copies.append(Copy(code, zip_name(project, code), tuple(sorted(chosen))))
    return copies


def relink(text: str, rel: str, present: set[str]) -> str:
    """Point links (<a>, <link>) to files this copy leaves out at the not-in-this-copy page."""
    here = posixpath.dirname(rel)
    missing = posixpath.relpath(MISSING_PAGE, here or ".")

    def fix(match: re.Match[str]) -> str:
        value = html.unescape(match.group(2))
        parts = urlsplit(value)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return match.group(0)
        target = posixpath.normpath(posixpath.join(here, unquote(parts.path)))
        if target.startswith("../") or target in present:
            return match.group(0)
        return f"{match.group(1)}{missing}{match.group(3)}"

    return _LINK.sub(fix, text)


def replace_section(text: str, project: Project, stamp: Stamp) -> str:
    """The print page's download section becomes a note with this copy's version."""
    return _SECTION.sub(lambda m: pages.copy_note(m.group(1), project, stamp), text)


def copy_files(copy: Copy, files: dict[str, bytes], project: Project, stamp: Stamp) -> dict[str, bytes]:
    """The site files of one copy, HTML adjusted for being offline (see module doc), plus its extra pages."""
    present = set(copy.files)
    out: dict[str, bytes] = {}
    if copy.code is not None:
        present.add(MISSING_PAGE)
        out[MISSING_PAGE] = pages.missing_page(copy.code, project, zip_name(project, None)).encode("utf-8")
    for rel in copy.files:
        data = files[rel]
        if rel.endswith(".html"):
            text = data.decode("utf-8")
            new = replace_section(text, project, stamp) if "site-offline" in text else text
            if copy.code is not None:
                new = relink(new, rel, present)
            if new != text:
                data = new.encode("utf-8")
        out[rel] = data
    return out


def start_target(copy: Copy, project: Project) -> str:
    """Site-relative page the ZIP's index.html leads to ("" for the language list)."""
    if copy.code is None:
        return ""
    return f"{language_path(copy.code, project.default)}index.html"


def zip_entries(copy: Copy, files: dict[str, bytes], project: Project, stamp: Stamp) -> dict[str, bytes]:
    """Every entry of one ZIP by its name inside the ZIP."""
    site = copy_files(copy, files, project, stamp)
    top = copy.folder
    entries = {f"{top}/{SITE_FOLDER}/{rel}": data for rel, data in site.items()}
    target = start_target(copy, project)
    if target:
        start = pages.redirect_page(copy.code or project.default, project, f"{SITE_FOLDER}/{target}")
    else:
        start = pages.language_list(project, prefix=f"{SITE_FOLDER}/")
    entries[f"{top}/index.html"] = start.encode("utf-8")
    entries[f"{top}/VERSION.txt"] = pages.version_text(copy, project, stamp).encode("utf-8")
    return entries


class Deflated:
    """Raw deflate streams by content (SHA-256), shared by the eleven ZIPs of a build (the same assets and
    German pages are in each) and kept on disk for the next build: a file is compressed once."""

    MAGIC = b"deflate-pack 1 level 6\n"

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self.blobs: dict[bytes, bytes] = {}
        self.used: set[bytes] = set()
        if path is not None:
            self._read(path)

    def _read(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            return
        if not data.startswith(self.MAGIC):
            return
        pos, blobs = len(self.MAGIC), {}
        while pos < len(data):
            key, size = data[pos:pos + 32], int.from_bytes(data[pos + 32:pos + 36], "little")
            blob = data[pos + 36:pos + 36 + size]
            if len(key) != 32 or len(blob) != size:
                return                                  # damaged: compress everything again
            blobs[key] = blob
            pos += 36 + size
        self.blobs = blobs

    def get(self, data: bytes) -> bytes:
        key = hashlib.sha256(data).digest()
        self.used.add(key)
        blob = self.blobs.get(key)
        if blob is None:
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            blob = self.blobs[key] = compressor.compress(data) + compressor.flush()
        return blob

    def save(self) -> None:
        """Keep the streams this build used (only those)."""
        if self.path is None:
            return
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with tmp.open("wb") as out:
                out.write(self.MAGIC)
                for key in sorted(self.used):
                    blob = self.blobs[key]
                    out.write(key + len(blob).to_bytes(4, "little") + blob)
            tmp.replace(self.path)
        except OSError:  # no cache this time (read-only or full disk): the next build compresses again
            with contextlib.suppress(OSError):
                tmp.unlink()


def write_zip(entries: dict[str, bytes], stamp: Stamp, deflated: Deflated | None = None) -> bytes:
    """A reproducible ZIP: sorted entries, one timestamp, fixed attributes (Unix, 0644), the version as
    comment. Written here rather than with zipfile so compressed data can be reused (`Deflated`)."""
    deflated = deflated or Deflated()
    year, month, day, hour, minute, second = stamp.zip_time
    dos_time = hour << 11 | minute << 5 | second // 2
    dos_date = (year - 1980) << 9 | month << 5 | day
    out, central = BytesIO(), BytesIO()
    names = sorted(entries)
    if len(names) >= 0xFFFF:
        raise ValueError("too many files for a ZIP without zip64")
    for name in names:
        data = entries[name]
        stored = name.lower().endswith(STORED_SUFFIXES)
        body = data if stored else deflated.get(data)
        raw = name.encode("utf-8")
        flags = 0 if raw.isascii() else 0x800           # names in UTF-8
        method = 0 if stored else 8
        crc = zlib.crc32(data)
        offset = out.tell()
        if max(offset, len(body), len(data)) >= 0xFFFFFFFF:
            raise ValueError("offline copy too large for a ZIP without zip64")
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, method, dos_time, dos_date, crc, len(body),
                              len(data), len(raw), 0) + raw)
        out.write(body)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 3 << 8 | 20, 20, flags, method, dos_time, dos_date,
                                  crc, len(body), len(data), len(raw), 0, 0, 0, 0, 0o100644 << 16, offset) + raw)
    comment = f"version {stamp.version}".encode("ascii")
    start = out.tell()
    out.write(central.getvalue())
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(names), len(names), len(central.getvalue()), start,
                          len(comment)) + comment)
    return out.getvalue()


def describe(copy: Copy, project: Project) -> str:
    """One line on what a copy contains (MANIFEST.txt, VERSION.txt; English and German)."""
    if copy.code is None:
        return "all languages: every page, search index and PDF / alle Sprachen: alle Seiten, Suche und PDFs"
    name = project.strings(copy.code)["language_name"]
    if copy.code == project.default:
        return f"{name} ({copy.code}): pages, search, PDFs / Seiten, Suche, PDFs"
    return (f"{name} ({copy.code}): its pages, search and PDFs, plus the pages of the source language "
            f"({project.default}) / Seiten, Suche und PDFs in dieser Sprache, dazu die deutschen Seiten")
