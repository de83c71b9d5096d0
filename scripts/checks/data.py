"""Preflight checks of the data files: UI strings, help directory, emergency numbers, event calendar."""

from __future__ import annotations

from scripts.core.checks import check
from scripts.core.problems import Problem
from scripts.core.project import Project
from scripts.core.strings import REQUIRED_KEYS, check_strings
from scripts.events.model import load_events
from scripts.helpdir import load_directory, load_emergency


@check("ui-strings", "error", "preflight")
def ui_strings(project: Project) -> list[Problem]:
    """data/strings/<lang>.yml readable, the German file complete (gaps in translations are warnings)."""
    return check_strings(project.strings_dir(), project.codes, REQUIRED_KEYS)


@check("help-directory", "error", "preflight")
def help_directory(project: Project) -> list[Problem]:
    """data/help.yml: every entry valid (phone, hours, languages, https website, checked date)."""
    load_directory(project.data / "help.yml")
    return []


@check("events", "error", "preflight")
def event_calendar(project: Project) -> list[Problem]:
    """data/events.yml: every event valid, its topic a German handout."""
    load_events(project.data / "events.yml", project.codes, project.handout_stems())
    return []


@check("emergency-numbers", "error", "preflight")
def emergency_numbers(project: Project) -> list[Problem]:
    """data/emergency.yml: numbers that dial, labels that are UI string keys."""
    load_emergency(project.data / "emergency.yml", project.strings(project.default).keys())
    return []
