"""User-facing input errors: always name the file, the line, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.core.project import ROOT


def display_path(path: Path | str) -> str:
    """Path relative to the repository when possible, as editors see it."""
    p = Path(path)
    try:
        return p.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return p.as_posix()


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str
    fix: str = ""
    severity: str = "error"  # "warning": reported, but the site still builds

    def __str__(self) -> str:
        text = f"{display_path(self.path)}:{self.line}: {self.message}"
        return f"{text}\n    fix: {self.fix}" if self.fix else text


class InputError(Exception):
    """One or more problems in user content; str() is the full, readable report."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
