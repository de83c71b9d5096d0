"""German source history from git: the version a translation was stamped against, and when a page changed.

Dates are commit dates (reproducible: the same commit gives the same dates). Without git, in a shallow clone
or for uncommitted changes the answers are None / HistoryUnavailable, never a traceback."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from scripts.core.pages import (
    source_hash,
)

# ---- git history (diff) -----------------------------------------------------------------------


class HistoryUnavailable(Exception):
    pass


def _git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(root), *args],
        check=False,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
    )
    if result.returncode != 0:
        raise HistoryUnavailable(result.stderr.strip() or f"git {' '.join(args)} failed")
    return result.stdout


def find_source_version(root: Path, source: Path, wanted: str) -> tuple[str, str, str]:
    """(commit, one-line description, text) of the German source version whose hash is `wanted`."""
    return _find_source_version(root.resolve(), source.resolve(), wanted)


@lru_cache(maxsize=512)
def _find_source_version(root: Path, source: Path, wanted: str) -> tuple[str, str, str]:
    if shutil.which("git") is None:
        raise HistoryUnavailable("git is not installed, so the history of the German source is not available")
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except HistoryUnavailable:
        raise HistoryUnavailable(f"{root} is not a git repository (no history to look in)") from None
    rel = source.resolve().relative_to(top.resolve()).as_posix()
    log = _git(top, "log", "--format=%H", "--name-only", "--follow", "--", rel)
    commit = ""
    for line in log.splitlines():
        line = line.strip()
        if re.fullmatch(r"[0-9a-f]{40}", line):
            commit = line
        elif line and commit:
            try:
                text = _git(top, "show", f"{commit}:{line}")
            except HistoryUnavailable:
                commit = ""
                continue
            if source_hash(text) == wanted:
                description = _git(top, "log", "-1", "--format=%h %ad %s", "--date=short", commit).strip()
                return commit, description, text
            commit = ""
    shallow = _git(top, "rev-parse", "--is-shallow-repository").strip() == "true"
    hint = (
        " (this clone is shallow: `git fetch --unshallow` may find it)"
        if shallow
        else " (was the translation stamped against an uncommitted version?)"
    )
    raise HistoryUnavailable(f"no committed version of {rel} has the hash {wanted}{hint}")




def commit_date(root: Path, commit: str) -> dt.date | None:
    """The commit date of a commit, or None."""
    try:
        return dt.date.fromisoformat(_git(root, "log", "-1", "--format=%cs", commit).strip())
    except (HistoryUnavailable, ValueError):
        return None


def last_change(root: Path, path: Path) -> dt.date | None:
    """Commit date of the last committed change to `path`; None when it has uncommitted changes (the date of
    the change is then unknown), when it was never committed, or without git."""
    if shutil.which("git") is None:
        return None
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        rel = path.resolve().relative_to(top.resolve()).as_posix()
        if _git(top, "status", "--porcelain", "--", rel).strip():
            return None
        stamp = _git(top, "log", "-1", "--format=%cs", "--", rel).strip()
    except (HistoryUnavailable, ValueError):
        return None
    try:
        return dt.date.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def previous_version(root: Path, path: Path) -> str | None:
    """The text of `path` before its latest change: HEAD's version when the working copy differs from it,
    else the version before the last commit that changed it. None without such a version."""
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
        rel = path.resolve().relative_to(top.resolve()).as_posix()
        if _git(top, "status", "--porcelain", "--", rel).strip():
            return _git(top, "show", f"HEAD:{rel}")
        commits = _git(top, "log", "-2", "--format=%H", "--", rel).split()
        return _git(top, "show", f"{commits[1]}:{rel}") if len(commits) > 1 else None
    except (HistoryUnavailable, ValueError):
        return None
