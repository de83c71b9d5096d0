"""The one registry of checks: each a small function `(project) -> problems`, registered with its name,
default severity and stage. The build, `make check` and the tests all run the same list.

Stages, in the order a build runs them:
  preflight     before MkDocs: content tree, data files, UI strings, theme texts (errors stop the build)
  translations  translation status and safety (safety errors stop the build; the rest is reported)
  postbuild     on the built site: links, assets, nothing from other hosts (errors fail the build)
  release       only for `make release`, before the build: placeholders, site_url, check dates
Capability packages register their checks here; `scripts.checks.load_all()` imports every one of them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scripts.core.problems import InputError, Problem

STAGES = ("preflight", "translations", "postbuild", "release")


@dataclass(frozen=True)
class Check:
    name: str
    severity: str
    stage: str
    run: Callable[..., Iterable[Problem]]

    @property
    def doc(self) -> str:
        return (self.run.__doc__ or "").strip().splitlines()[0] if self.run.__doc__ else ""


REGISTRY: dict[str, Check] = {}


def check(name: str, severity: str, stage: str) -> Callable[[Callable[..., Iterable[Problem]]],
                                                              Callable[..., Iterable[Problem]]]:
    """Register a check function under `name` for `stage`."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")

    def register(function: Callable[..., Iterable[Problem]]) -> Callable[..., Iterable[Problem]]:
        REGISTRY[name] = Check(name, severity, stage, function)
        return function

    return register


def load_providers() -> None:
    """Import the modules that register checks (listed in `scripts.checks`; imported by name, so the
    core depends on no capability package)."""
    importlib.import_module("scripts.checks").load_all()


def checks(stage: str) -> list[Check]:
    """The registered checks of one stage, in registration order."""
    return [item for item in REGISTRY.values() if item.stage == stage]


def run(stage: str, target: Any, only: Iterable[str] | None = None) -> list[Problem]:
    """Run every check of a stage on `target` (a Project, or the built site for postbuild).

    A check that meets unreadable input reports it as problems (InputError), never a traceback.
    """
    load_providers()
    wanted = set(only) if only is not None else None
    problems: list[Problem] = []
    for item in checks(stage):
        if wanted is not None and item.name not in wanted:
            continue
        try:
            problems.extend(item.run(target))
        except InputError as exc:
            problems.extend(exc.problems)
    return problems
