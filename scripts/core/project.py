"""The project: mkdocs.yml read without MkDocs, its paths, and the language table (code, name, direction,
Babel locale). Every path a tool uses comes from a `Project`, never from a module-level constant."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml
from babel import Locale, UnknownLocaleError

from scripts.core.problems import InputError, Problem
from scripts.core.yamlsrc import read_text, yaml_problem

# Right-to-left languages, for pages this project renders itself (events, status, PDFs). The theme takes
# a language's direction from its partial (overrides/partials/languages/<code>.html or Material's).
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "he", "ur", "ku-IQ", "ckb", "sd", "ug", "yi", "dv"})
# Babel locale per site language where it is not the code itself. Persian pages serve Farsi (Iran) and
# Dari (Afghanistan) readers with one text: CLDR `fa` gives Iranian month names, `fa_AF` the Afghan ones;
# a separate Dari site language `fa-AF` gets `fa_AF` automatically.
BABEL_LOCALES: dict[str, str] = {"fa": "fa"}
STRING_SETS = ("strings", "strings-events", "strings-print")


def direction(code: str) -> str:
    """`rtl` or `ltr` for a language code (`ar`, `fa-AF`, `ku-IQ`)."""
    return "rtl" if code in RTL_LANGUAGES or code.split("-")[0] in RTL_LANGUAGES else "ltr"


def babel_locale(code: str) -> str:
    """The Babel locale for a language code; `en` when Babel does not know the language."""
    name = BABEL_LOCALES.get(code, code.replace("-", "_"))
    try:
        Locale.parse(name)
    except (ValueError, UnknownLocaleError):
        return "en"
    return name


class _ConfigLoader(yaml.SafeLoader):
    """SafeLoader that understands MkDocs' `!ENV` and ignores `!!python/name` tags."""


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    # `!ENV NAME` or `!ENV [NAME, default]`: same semantics as pyyaml_env_tag
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = loader.construct_sequence(node)
        names, default = items[:-1] if len(items) > 1 else items, items[-1] if len(items) > 1 else None
    for name in names:
        if os.environ.get(str(name)):
            return yaml.safe_load(os.environ[str(name)])
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    default: bool

    @property
    def direction(self) -> str:
        return direction(self.code)

    @property
    def locale(self) -> str:
        return babel_locale(self.code)


def load_mkdocs_config(path: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (`!ENV` resolved); yaml.YAMLError when it is not valid YAML."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_ConfigLoader)
    return data if isinstance(data, dict) else {}


def _i18n_plugin(config: dict[str, Any]) -> dict[str, Any]:
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"] or {}
    return {}


def languages(config: dict[str, Any]) -> list[Language]:
    """The languages configured for static-i18n, default language first."""
    langs = [
        Language(code=str(item["locale"]), name=str(item.get("name", item["locale"])),
                 default=bool(item.get("default")))
        for item in _i18n_plugin(config).get("languages") or [] if isinstance(item, dict) and item.get("locale")
    ]
    return sorted(langs, key=lambda lang: not lang.default)


def language_path(code: str, default: str) -> str:
    """Where a language lives, relative to the site root: "" for the default language, else "<code>/"."""
    return "" if code == default else f"{code}/"


def language_root(site: Path, code: str, default: str) -> Path:
    """A language's root folder in a built site."""
    return site / language_path(code, default) if code != default else site


def repository_root() -> Path:
    """This repository (the default for command-line tools; libraries take a Project)."""
    return Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Project:
    """One site project: its mkdocs.yml, folders and languages."""

    config_file: Path
    config: dict[str, Any] = field(hash=False, compare=False)

    @classmethod
    def load(cls, config_file: Path | None = None) -> Project:
        """Read mkdocs.yml (default: this repository's); InputError when it is unreadable or has no languages."""
        path = (config_file or repository_root() / "mkdocs.yml").resolve()
        read_text(path, "site configuration (mkdocs.yml)")
        try:
            config = load_mkdocs_config(path)
        except yaml.YAMLError as exc:
            raise InputError([yaml_problem(exc, path)]) from None
        project = cls(path, config)
        if not project.languages:
            raise InputError([Problem(str(path), 1, "no languages configured under plugins: i18n: languages:",
                                      "restore the languages list (see README)")])
        return project

    @property
    def root(self) -> Path:
        return self.config_file.parent

    @cached_property
    def languages(self) -> list[Language]:
        """Every configured language, the default (source) language first."""
        return languages(self.config)

    @property
    def codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @property
    def default(self) -> str:
        """The source language (German)."""
        return self.languages[0].code if self.languages else "de"

    @property
    def targets(self) -> list[Language]:
        """The translation languages."""
        return [lang for lang in self.languages if lang.code != self.default]

    def language(self, code: str) -> Language | None:
        return next((lang for lang in self.languages if lang.code == code), None)

    @property
    def docs(self) -> Path:
        return self.root / str(self.config.get("docs_dir") or "docs")

    @property
    def data(self) -> Path:
        return self.root / "data"

    def strings_dir(self, kind: str = "strings") -> Path:
        """data/strings (site), data/strings-events (events page), data/strings-print (PDFs, print page)."""
        return self.data / kind

    def strings(self, lang: str, kind: str = "strings") -> dict[str, str]:
        """UI strings of one language and kind (see `strings_dir`), German filling gaps; read once."""
        from scripts.core.strings import load_strings

        return load_strings(lang, self.strings_dir(kind))

    @property
    def overrides(self) -> Path:
        return self.root / str((self.config.get("theme") or {}).get("custom_dir") or "overrides")

    @property
    def site_url(self) -> str:
        return str(self.config.get("site_url") or "")

    @property
    def edition(self) -> dict[str, str]:
        """The Land and city this edition's facts hold for (mkdocs.yml extra.edition: land, city)."""
        edition = (self.config.get("extra") or {}).get("edition") or {}
        return {str(k): str(v) for k, v in edition.items()} if isinstance(edition, dict) else {}

    @property
    def quick_exit_url(self) -> str:
        return str((self.config.get("extra") or {}).get("quick_exit_url") or "")

    def source_pages(self) -> list[Path]:
        """The default language's Markdown files."""
        folder = self.docs / self.default
        return sorted(folder.rglob("*.md")) if folder.is_dir() else []

    def handout_stems(self) -> set[str]:
        """File stems of the German pages (what events may name as `topic`)."""
        return {p.stem for p in (self.docs / self.default).glob("*.md")}

