"""Every check of the project, registered in `scripts.core.checks`: `load_all()` imports their modules."""

from __future__ import annotations

import importlib

from scripts.core.checks import REGISTRY, Check, checks, run

# modules that register checks (order = the order problems are reported in)
CHECK_MODULES = (
    "scripts.checks.content",
    "scripts.checks.markup",
    "scripts.checks.data",
    "scripts.site.theme",
    "scripts.translations.safety",
    "scripts.site.linkcheck",
    "scripts.checks.release",
)


def load_all() -> dict[str, Check]:
    """Import every module that registers checks; return the registry."""
    for name in CHECK_MODULES:
        importlib.import_module(name)
    return REGISTRY


__all__ = ["CHECK_MODULES", "Check", "checks", "load_all", "run"]
