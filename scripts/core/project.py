"""Project facts read from mkdocs.yml without importing MkDocs: paths and the language table."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Right-to-left languages, for pages this project renders itself (events, status). The theme takes
# a language's direction from its partial (overrides/partials/languages/<code>.html or Material's).
RTL_LANGUAGES = frozenset({"ar", "fa", "ps", "he", "ur", "ku-IQ", "ckb", "sd", "ug", "yi", "dv"})


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
        return "rtl" if self.code in RTL_LANGUAGES or self.code.split("-")[0] in RTL_LANGUAGES else "ltr"


def load_mkdocs_config(path: Path | None = None) -> dict[str, Any]:
    path = path or ROOT / "mkdocs.yml"
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_ConfigLoader) or {}


def _i18n_plugin(config: dict[str, Any]) -> dict[str, Any]:
    for plugin in config.get("plugins", []):
        if isinstance(plugin, dict) and "i18n" in plugin:
            return plugin["i18n"] or {}
    return {}


def languages(config: dict[str, Any] | None = None) -> list[Language]:
    """The languages configured for static-i18n, default language first."""
    config = config if config is not None else load_mkdocs_config()
    langs = [
        Language(code=item["locale"], name=item.get("name", item["locale"]), default=bool(item.get("default")))
        for item in _i18n_plugin(config).get("languages", [])
    ]
    return sorted(langs, key=lambda lang: not lang.default)


def language_path(code: str, default: str) -> str:
    """Where a language lives, relative to the site root: "" for the default language, else "<code>/"."""
    return "" if code == default else f"{code}/"


def language_root(site: Path, code: str, default: str) -> Path:
    """A language's root folder in a built site."""
    return site / language_path(code, default) if code != default else site


def default_language(config: dict[str, Any] | None = None) -> str:
    langs = languages(config)
    return langs[0].code if langs else "de"
