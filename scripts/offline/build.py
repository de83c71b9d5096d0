"""Make site/download/ in a built site: the ZIP copies, the Kiwix file, SHA256SUMS and MANIFEST.txt, then fill
the version, date and sizes into the print pages' download section."""

from __future__ import annotations

import hashlib
import re
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scripts.core.problems import InputError
from scripts.core.project import Project
from scripts.offline import copies, illustration, pages, zim
from scripts.offline.stamp import Stamp, make_stamp, read_site

# not part of any copy: the downloads themselves, and the sitemap (absolute web addresses only)
NOT_COPIED = (pages.DOWNLOAD_DIR, "sitemap.xml")
_VERSION = re.compile(r"(<bdi data-offline-(version|date)>)(.*?)(</bdi>)")


@dataclass
class Download:
    name: str
    size: int
    sha256: str
    about: str


@dataclass
class OfflineReport:
    stamp: Stamp | None = None
    files: list[Download] = field(default_factory=list)
    zim_cached: bool | None = None          # None: no ZIM made (SKIP_ZIM)
    seconds: float = 0.0
    zim_seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        zips = [f for f in self.files if f.name.endswith(".zip")]
        sizes = sorted(f.size for f in zips[1:])
        text = f"Offline copies: {len(zips)} ZIPs"
        if zips:
            text += f" (all languages {_mb(zips[0].size)}"
            text += f", per language {_mb(sizes[0])}–{_mb(sizes[-1])})" if sizes else ")"
        zims = [f for f in self.files if f.name.endswith(".zim")]
        if zims:
            how = "from cache" if self.zim_cached else f"made in {self.zim_seconds:.1f} s"
            text += f", ZIM {_mb(zims[0].size)} ({how})"
        elif self.zim_cached is None:
            text += f", no ZIM ({pages.SKIP_ENV}=1)"
        if self.stamp:
            text += f", version {self.stamp.version}"
        return text + f", {self.seconds:.1f} s"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def build_downloads(site: Path, project: Project, *, fill_sizes: Callable[[Path, list[str], str], int] | None = None,
                    cache_dir: Path | None = None, make_zim: bool | None = None) -> OfflineReport:
    """Write site/download/ (see scripts/offline/__init__.py); `fill_sizes`: the print page's size filler."""
    started = time.perf_counter()
    report = OfflineReport()
    files = read_site(site, NOT_COPIED)
    stamp = report.stamp = make_stamp(project, files)
    out = site / pages.DOWNLOAD_DIR
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    everything: dict[str, bytes] = {}
    cache_dir = cache_dir or project.root / ".cache" / "zim"
    deflated = copies.Deflated(cache_dir.parent / "zip" / "deflated.pack")
    for copy in copies.plan(project, sorted(files)):
        entries = copies.zip_entries(copy, files, project, stamp)
        if copy.code is None:
            prefix = f"{copy.folder}/{copies.SITE_FOLDER}/"
            everything = {k[len(prefix):]: v for k, v in entries.items() if k.startswith(prefix)}
        data = copies.write_zip(entries, stamp, deflated)
        (out / copy.name).write_bytes(data)
        report.files.append(Download(copy.name, len(data), hashlib.sha256(data).hexdigest(),
                                     copies.describe(copy, project)))
    deflated.save()
    if make_zim if make_zim is not None else not pages.skip_zim():
        zim_started = time.perf_counter()
        target = out / copies.zim_name(project)
        report.zim_cached = zim.build_zim(target, project, everything, pages.language_list(project), stamp.date,
                                          cache_dir)
        report.zim_seconds = time.perf_counter() - zim_started
        data = target.read_bytes()
        report.files.append(Download(target.name, len(data), hashlib.sha256(data).hexdigest(),
                                     "Kiwix: all languages (pages, PDFs, full-text search) / alle Sprachen"))
        unknown = zim.languages_iso(project)[1]
        if unknown:
            report.warnings.append(f"mkdocs.yml: no ISO 639-3 code known for {', '.join(unknown)}; the Kiwix file "
                                   f"does not list them\n    fix: add them to ISO639_3 in scripts/offline/zim.py")
        warning = illustration.stale(project)
        if warning:
            report.warnings.append(warning)
    else:
        report.zim_cached = None
    write_manifest(out, project, stamp, report.files)
    fill_versions(site, files, stamp)
    if fill_sizes is not None:
        fill_sizes(site, project.codes, project.default)
    report.seconds = time.perf_counter() - started
    return report


def write_manifest(out: Path, project: Project, stamp: Stamp, downloads: list[Download]) -> None:
    """SHA256SUMS (for `sha256sum -c`) and MANIFEST.txt (the same for people)."""
    sums = "".join(f"{d.sha256}  {d.name}\n" for d in sorted(downloads, key=lambda d: d.name))
    (out / pages.SUMS_FILE).write_text(sums, encoding="utf-8")
    site = project.strings(project.default)["site_name"]
    lines = [f"{site} – offline copies / Offline-Kopien",
             "",
             f"Version: {stamp.version}",
             f"Stand / as of: {stamp.date} (date from {stamp.source})",
             "",
             "Is a USB stick current? Compare the version in VERSION.txt on the stick with the version above.",
             "Ist ein USB-Stick aktuell? Vergleichen Sie die Version in VERSION.txt auf dem Stick mit der",
             "Version oben.",
             "",
             "Check a download / eine Datei prüfen: `sha256sum -c SHA256SUMS` (Linux, macOS: `shasum -a 256 -c`),",
             "Windows: `certutil -hashfile <file> SHA256`, and compare with the sha256 below.",
             "Open / öffnen: unzip, then open index.html in the folder; Kiwix: open the .zim file in the Kiwix app.",
             ""]
    for d in downloads:
        lines += [f"{d.name}  ({_mb(d.size)}, {d.size} bytes)", f"    {d.about}", f"    sha256 {d.sha256}", ""]
    (out / pages.MANIFEST_FILE).write_text("\n".join(lines), encoding="utf-8")


def fill_versions(site: Path, files: dict[str, bytes], stamp: Stamp) -> int:
    """Put the date and version into the download section of the print pages; returns how many pages."""
    count = 0
    value = {"version": stamp.version, "date": stamp.date}
    for rel, data in files.items():
        if rel.endswith(".html") and b"data-offline-version" in data:
            text = data.decode("utf-8")
            new = _VERSION.sub(lambda m: f"{m.group(1)}{value[m.group(2)]}{m.group(4)}", text)
            (site / rel).write_text(new, encoding="utf-8")
            count += 1
    return count


def build_step(site: Path, project: Project, *, fill_sizes: Callable[[Path, list[str], str], int] | None = None,
               quiet: bool = False, warnings: list[str] | None = None) -> bool:
    """The build's offline step: False (problems printed) when the downloads could not be made; the
    warnings printed are added to `warnings`."""
    try:
        report = build_downloads(site, project, fill_sizes=fill_sizes)
    except InputError as exc:
        print(f"The site was not built; the previous site is unchanged.\n{exc}", file=sys.stderr)
        return False
    except (OSError, RuntimeError) as exc:
        print(f"The site was not built; the previous site is unchanged. The offline copies failed: {exc}\n"
              f"    fix: check the free disk space; build without the Kiwix file: SKIP_ZIM=1", file=sys.stderr)
        return False
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if warnings is not None:
        warnings += report.warnings
    if not quiet:
        print(report.summary())
    return True
