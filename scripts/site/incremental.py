"""Incremental builds that are always correct: reuse what MkDocs made for a language when nothing it
depends on has changed, and skip the whole build when nothing at all has changed.

Every input is hashed, never trusted by date: the content (docs/<lang>/), the German source (every
language falls back to it and compares itself with it), the list of pages in every language (the
language switcher), data and UI strings, templates and assets, mkdocs.yml with the environment variables
it reads, this program's own code, the installed packages, the git commit (translation notices quote
git dates), today's date (upcoming and past events) and the calendar file's time (calendar stamps).

- A language other than the default one depends on everything common, the German source, its own
  folder and the page list. The default language's part also holds the status page and the merged
  search data of all languages, so it depends on every language's content.
- What MkDocs made for a part is kept in .cache/build/parts/<lang>/ with a list of the SHA-256 of every
  file; a part whose files do not match that list is thrown away and rebuilt.
- After MkDocs, the rest of the build (PDFs, downloads, sitemap, link check) runs on the assembled site
  as in a clean build, each with its own content-keyed cache, so the result is byte-identical to a
  clean build (tests/test_incremental.py edits each kind of input and compares).
- The finished site is recorded (size and modification time of every file); the next build with the
  same inputs and an untouched site/ stops at once ("up to date").

Standard library only (and the Project): the "nothing changed" answer must come before MkDocs is loaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from scripts.core.project import Project

FORMAT = 1  # bump when the cache layout or what a key covers changes
CACHE = Path(".cache") / "build"
PDF_FONT_DIR = Path("/usr/share/fonts/truetype/noto")  # scripts.printing.render.FONT_DIR (tested)
EVENTS_ZONE = "Europe/Berlin"  # scripts.events.schema.DEFAULT_TIMEZONE (a test keeps them equal)
# environment variables that change what a build makes
BUILD_ENV = ("SKIP_PDF", "SKIP_ZIM", "SOURCE_DATE_EPOCH", "TZ")
_SKIP_DIRS = {"__pycache__", ".git", ".pytest_cache", ".mypy_cache", ".ruff_cache"}


def _files(folder: Path) -> list[Path]:
    """Every file below folder (sorted, hidden caches left out), through linked folders as MkDocs reads
    them (each real folder once, so a link loop ends)."""
    if not folder.is_dir():
        return []
    found = []
    seen = {os.path.realpath(folder)}
    for path, dirs, names in os.walk(folder, followlinks=True):
        keep = []
        for name in sorted(dirs):
            real = os.path.realpath(os.path.join(path, name))
            if name not in _SKIP_DIRS and real not in seen:
                seen.add(real)
                keep.append(name)
        dirs[:] = keep
        found += [Path(path) / n for n in sorted(names) if not n.endswith((".pyc", ".pyo"))]
    return found


class _Digest:
    def __init__(self, *parts: object) -> None:
        self._h = hashlib.sha256()
        for part in parts:
            self.text(str(part))

    def text(self, value: str) -> _Digest:
        data = value.encode("utf-8", "surrogateescape")
        self._h.update(len(data).to_bytes(8, "little") + data)
        return self

    def file(self, path: Path, base: Path) -> _Digest:
        self.text(path.relative_to(base).as_posix())
        try:
            self.text(hashlib.sha256(path.read_bytes()).hexdigest())
        except OSError as exc:
            self.text(f"unreadable {exc.errno}")
        return self

    def tree(self, folder: Path, base: Path | None = None) -> _Digest:
        self.text(f"tree {folder.name}")
        for path in _files(folder):
            self.file(path, base or folder)
        return self

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def _installed_packages() -> list[str]:
    """Names and versions of the installed Python packages (their .dist-info folders)."""
    names: set[str] = set()
    for key in ("purelib", "platlib"):
        folder = Path(sysconfig.get_paths()[key])
        if folder.is_dir():
            names.update(n for n in os.listdir(folder) if n.endswith((".dist-info", ".egg-info", ".egg-link")))
    return sorted(names)


def git_commit(root: Path) -> str:
    """The checked-out commit, or "" outside git (translation notices then show no dates)."""
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def _env_names(config_text: str) -> list[str]:
    """Environment variables mkdocs.yml reads with `!ENV NAME` or `!ENV [NAME, ...]`."""
    names: set[str] = set()
    for match in re.finditer(r"!ENV\s+(\[[^\]\n]*\]|\S+)", config_text):
        names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", match.group(1)))
    return sorted(names)


@dataclass(frozen=True)
class Keys:
    """What a build would make, as hashes: one per language part, one for the whole site."""

    parts: dict[str, str]
    site: str


def compute_keys(project: Project, code_dir: Path | None = None) -> Keys:
    """The keys of every part and of the whole site for the inputs as they are now."""
    code_dir = code_dir or Path(__file__).resolve().parents[1]
    docs = project.docs
    config_text = project.config_file.read_text(encoding="utf-8", errors="surrogateescape")
    common = _Digest(f"format {FORMAT}", sys.version, *_installed_packages())
    common.text("code").tree(code_dir)
    common.text("config").file(project.config_file, project.config_file.parent)
    for name in _env_names(config_text) + list(BUILD_ENV):
        common.text(f"env {name}={os.environ.get(name, '')}")
    for label, folder in (("data", project.data), ("overrides", project.overrides)):
        common.text(label).tree(folder)
    codes = project.codes
    # docs outside the language folders (assets, images) belong to every language
    for path in _files(docs):
        rel = path.relative_to(docs)
        if rel.parts[0] not in codes:
            common.file(path, docs)
    events_file = project.data / "events.yml"
    if events_file.exists():  # the calendar stamp is this file's time when SOURCE_DATE_EPOCH is not set
        common.text(f"events mtime {int(events_file.stat().st_mtime)}")
    common.text(f"today {today()}")
    common.text(f"git {git_commit(project.root)}")
    common_key = common.hexdigest()

    per_language = {code: _Digest("lang", code).tree(docs / code, docs).hexdigest() for code in codes}
    listing = _Digest("listing", *[p.relative_to(docs).as_posix() for c in codes for p in _files(docs / c)])
    listing_key = listing.hexdigest()
    default = project.default
    everything = _Digest("all", common_key, listing_key, *[per_language[c] for c in codes]).hexdigest()
    parts = {}
    for code in codes:
        if code == default:
            parts[code] = everything
        else:
            parts[code] = _Digest("part", code, common_key, listing_key, per_language[default],
                                  per_language[code]).hexdigest()
    return Keys(parts, _Digest("site", everything, *sorted(parts.items()), *_fonts()).hexdigest())


def _fonts() -> list[str]:
    """The system fonts the PDFs use (name, size, time): installing or updating them changes the PDFs."""
    try:
        return sorted(f"{e.name} {e.stat().st_size} {e.stat().st_mtime_ns}" for e in os.scandir(PDF_FONT_DIR))
    except OSError:
        return ["no fonts"]


def today() -> str:
    """Today here and where the events take place (which events are upcoming; the print pages' date)."""
    return f"{dt.date.today().isoformat()} {_today_in(EVENTS_ZONE)}"


def _today_in(zone: str) -> str:
    try:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo(zone)).date().isoformat()
    except Exception:  # noqa: BLE001 - no time zone data: the local date (above) still counts
        return "?"


# ---- the parts' cache --------------------------------------------------------------------------------

MANIFEST = "MANIFEST.json"


def part_paths(site: Path, code: str, codes: list[str], default: str) -> list[Path]:
    """The files of one part in a built site: a language folder, or for the default language everything
    outside the other languages' folders."""
    if code != default:
        return _files(site / code)
    others = set(codes) - {default}
    return [p for p in _files(site) if p.relative_to(site).parts[0] not in others]


class PartCache:
    """MkDocs' output per language part, kept under .cache/build/parts/<code>/."""

    def __init__(self, root: Path) -> None:
        self.root = root / CACHE / "parts"

    def _folder(self, code: str) -> Path:
        return self.root / code

    def restore(self, code: str, key: str, site: Path) -> bool:
        """Copy a part into site when the cache holds it for this key and every file is intact; a part that
        cannot be proved intact is deleted (and False returned, so it is built again)."""
        folder = self._folder(code)
        copied: list[Path] = []
        try:
            manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT or manifest.get("key") != key:
                return False
            files = manifest["files"]
            payload = folder / "files"
            if {p.relative_to(payload).as_posix() for p in _files(payload)} != set(files):
                raise ValueError("files missing or added")
            for rel, digest in sorted(files.items()):
                data = (payload / rel).read_bytes()
                if hashlib.sha256(data).hexdigest() != digest:
                    raise ValueError(f"{rel} changed")
                target = site / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                copied.append(target)
            return True
        except FileNotFoundError:
            return False
        except (OSError, ValueError, TypeError, AttributeError, KeyError):
            for path in copied:
                path.unlink(missing_ok=True)
            self.drop(code)
            return False

    def store(self, code: str, key: str, site: Path, paths: list[Path]) -> None:
        """Keep a freshly built part (replacing the previous one of this language). A cache that cannot be
        written (read-only folder, full disk) is no error: the next build builds again."""
        new = self.root / f".{code}-new-{os.getpid()}"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(new, ignore_errors=True)
            files = {}
            for path in paths:
                rel = path.relative_to(site).as_posix()
                data = path.read_bytes()
                files[rel] = hashlib.sha256(data).hexdigest()
                target = new / "files" / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            (new / MANIFEST).write_text(json.dumps({"format": FORMAT, "key": key, "files": files}, indent=0),
                                        encoding="utf-8")
            self.drop(code)
            new.rename(self._folder(code))
        except OSError:
            shutil.rmtree(new, ignore_errors=True)

    def drop(self, code: str) -> None:
        shutil.rmtree(self._folder(code), ignore_errors=True)


# ---- the finished site -------------------------------------------------------------------------------

def _site_listing(site: Path) -> dict[str, list[int]]:
    """Size and modification time (ns) of every file in a built site."""
    listing = {}
    for path in _files(site):
        stat = path.stat()
        listing[path.relative_to(site).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return listing


class SiteRecord:
    """The last finished build of one output folder: its key, its files, the warnings it printed."""

    def __init__(self, root: Path, site: Path) -> None:
        name = hashlib.sha256(str(site.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.path = root / CACHE / "sites" / f"{name}.json"
        self.site = site

    def up_to_date(self, key: str) -> list[str] | None:
        """The warnings of the recorded build when site/ is exactly what a build with this key made."""
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(record, dict) or record.get("format") != FORMAT or record.get("key") != key:
            return None
        try:
            if not self.site.is_dir() or record.get("files") != _site_listing(self.site):
                return None
        except OSError:
            return None
        warnings = record.get("warnings", [])
        return [str(w) for w in warnings] if isinstance(warnings, list) else None

    def save(self, key: str, warnings: list[str]) -> None:
        tmp = self.path.with_suffix(f".tmp{os.getpid()}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_text(json.dumps({"format": FORMAT, "key": key, "warnings": warnings,
                                       "files": _site_listing(self.site)}), encoding="utf-8")
            tmp.replace(self.path)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
