"""One problem type for everything the project reports: `file:line: what is wrong` + `fix: what to do`.

Content checks, the translation status, data loaders and the link check of a built site all report
`Problem`s; `InputError` carries them out of a loader. Exit codes: 0 ok, 1 problems, 2 usage error.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

SEVERITIES = ("info", "warning", "error")


def display_path(path: Path | str, base: Path | None = None) -> str:
    """A path as editors see it: relative to `base` (default: the working directory) when inside it."""
    p = Path(path)
    if not p.is_absolute():
        return p.as_posix()
    try:
        return p.resolve().relative_to((base or Path.cwd()).resolve()).as_posix()
    except ValueError:
        return p.as_posix()


@dataclass(frozen=True)
class Problem:
    """One finding. `check` names the check that found it (shown in brackets), `lang` the language."""

    path: str
    line: int
    message: str
    fix: str = ""
    severity: str = "error"  # "warning" / "info": reported, the site still builds
    check: str = ""
    lang: str = ""

    def __str__(self) -> str:
        text = f"{display_path(self.path)}:{self.line}: {self.message}"
        if self.check:
            text += f" ({self.check})"
        return f"{text}\n    fix: {self.fix}" if self.fix else text

    def relative_to(self, root: Path) -> Problem:
        """The same problem with its path relative to `root` (for reports about another folder)."""
        return replace(self, path=display_path(self.path, root))


class InputError(Exception):
    """One or more problems in user content; str() is the full, readable report."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class UsageError(Exception):
    """Bad command line or unusable input (exit 2)."""
