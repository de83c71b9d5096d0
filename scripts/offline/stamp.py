"""The version stamp of an offline copy: a date and a short digest of the built site.

The date is SOURCE_DATE_EPOCH when set, else the date of the latest git commit, else the newest source file
(docs/, data/, mkdocs.yml). The digest covers every file of the built site (without download/), so the same
inputs always give the same stamp, and any change in what readers see gives another version.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from scripts.core.project import Project

ZIP_EPOCH_MIN = 315532800  # 1980-01-01: the earliest date a ZIP entry can carry


@dataclass(frozen=True)
class Stamp:
    epoch: int       # seconds since 1970 (UTC)
    source: str      # where the date comes from: SOURCE_DATE_EPOCH, git, files
    digest: str      # sha256 (hex) of the built site's files

    @property
    def moment(self) -> datetime:
        return datetime.fromtimestamp(self.epoch, UTC)

    @property
    def date(self) -> str:
        """YYYY-MM-DD (UTC)."""
        return self.moment.strftime("%Y-%m-%d")

    @property
    def version(self) -> str:
        """What a mediator compares: `2026-05-10-3f9a1c2b`."""
        return f"{self.date}-{self.digest[:8]}"

    @property
    def zip_time(self) -> tuple[int, int, int, int, int, int]:
        """The same timestamp for every ZIP entry (ZIP dates start in 1980; seconds are stored halved)."""
        moment = datetime.fromtimestamp(max(self.epoch, ZIP_EPOCH_MIN), UTC)
        return (moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second // 2 * 2)


def source_epoch(project: Project) -> tuple[int, str]:
    """(seconds, source) of the date the offline copies carry; see module doc."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value), "SOURCE_DATE_EPOCH"
    if shutil.which("git"):
        try:
            result = subprocess.run(["git", "-C", str(project.root), "log", "-1", "--format=%ct"],
                                    capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            result = None
        if result is not None and result.returncode == 0 and result.stdout.strip().isdigit():
            return int(result.stdout.strip()), "git"
    newest = 0.0
    for folder in (project.docs, project.data):
        for path in folder.rglob("*") if folder.is_dir() else []:
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    newest = max(newest, project.config_file.stat().st_mtime)
    return int(newest), "files"


def digest_files(files: dict[str, bytes]) -> str:
    """sha256 over the sorted (path, content) pairs."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(name.encode("utf-8") + b"\0" + str(len(data)).encode("ascii") + b"\0")
        digest.update(data)
    return digest.hexdigest()


def make_stamp(project: Project, files: dict[str, bytes]) -> Stamp:
    epoch, source = source_epoch(project)
    return Stamp(epoch, source, digest_files(files))


def read_site(site: Path, skip: tuple[str, ...]) -> dict[str, bytes]:
    """Every file of a built site by its relative path, without the top-level folders/files in `skip`."""
    files = {}
    for path in site.rglob("*"):
        rel = path.relative_to(site).as_posix()
        top = rel.split("/")[0]
        if top in skip or top.startswith(".") or not path.is_file():
            continue
        files[rel] = path.read_bytes()
    return files
