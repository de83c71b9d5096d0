"""German source history from git: the version a translation was stamped against."""

from __future__ import annotations

import re
import shutil
import subprocess
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


