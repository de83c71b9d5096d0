"""Thin MkDocs glue: adapts the plain-Python logic in scripts/ to MkDocs and static-i18n events.

static-i18n runs the whole build once per language from its on_post_build (priority -100), so
every event here runs ten times; keep per-event work small and per-language.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

import jinja2
import jinja2.bccache

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from scripts import htmlpost, searchindex, sitestrings  # noqa: E402
from scripts.errors import InputError  # noqa: E402

_state: dict[str, Any] = {"search": {}, "404": None}


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates shared by the ten per-language builds (keyed by source checksum)."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


class _ListingCacheLoader(jinja2.FileSystemLoader):
    """FileSystemLoader that lists the theme folders (thousands of icons) once per build, not ten times."""

    listings: dict[tuple[str, ...], list[str]] = {}

    def list_templates(self) -> list[str]:
        key = tuple(str(p) for p in self.searchpath)
        if key not in self.listings:
            self.listings[key] = super().list_templates()
        return self.listings[key]


_BYTECODE = _MemoryBytecodeCache()


def _fast_env(theme) -> jinja2.Environment:
    env = type(theme).get_env(theme)
    # static-i18n inserts its sitemap folder into theme.dirs once per language: drop repeats
    theme.dirs[:] = list(dict.fromkeys(theme.dirs))
    loader = _ListingCacheLoader(theme.dirs)
    env.loader = loader
    env.bytecode_cache = _BYTECODE
    return env


def _i18n(config: MkDocsConfig):
    return config.plugins["i18n"]


def _strings_dir(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent / "data" / "strings"


def _codes(config: MkDocsConfig) -> list[str]:
    return [lang.locale for lang in _i18n(config).config.languages if lang.build]


@event_priority(-150)  # after static-i18n's on_config has switched the language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    i18n = _i18n(config)
    lang = i18n.current_language or i18n.default_language
    if not i18n.building:
        problems = sitestrings.check_strings(_strings_dir(config), languages=_codes(config))
        if problems:
            raise PluginError("UI strings are incomplete:\n" + "\n".join(str(p) for p in problems))
    try:
        strings = sitestrings.load_strings(lang, _strings_dir(config))
    except InputError as exc:
        raise PluginError(str(exc)) from None
    config.site_name = strings["site_name"]
    config.site_description = strings["site_description"]
    _state["lang"] = lang
    _state["strings_dir"] = _strings_dir(config)
    # Speed: each language build makes a new Jinja environment; share compiled templates and the
    # theme file listing across them, and render sitemap/404 only once (in the default language).
    if not i18n.building:
        _ListingCacheLoader.listings.clear()
    config.theme.get_env = functools.partial(_fast_env, config.theme)
    static = config.theme.static_templates
    if i18n.building:
        static.discard("sitemap.xml")
        static.discard("404.html")
    else:
        static.update({"sitemap.xml", "404.html"})
    return config


def on_env(env, config: MkDocsConfig, files):
    # the theme's own search settings for this language (lunr language, separator, pipeline)
    lang_module = env.get_template("partials/language.html", None, {"config": config}).module
    pipeline = tuple(p.strip() for p in lang_module.t("search.config.pipeline").split(","))
    _state["search"][_state["lang"]] = searchindex.SearchSettings(
        lang=lang_module.t("search.config.lang") or "en",
        separator=lang_module.t("search.config.separator") or "[\\s\\-]+",
        pipeline=pipeline,
    )
    env.globals["site_strings_all"] = {code: sitestrings.load_strings(code, _strings_dir(config)) for code in _codes(config)}
    env.globals["site_languages"] = [(lang.locale, lang.name) for lang in _i18n(config).config.languages
                                     if lang.build]
    return env


@event_priority(0)  # after static-i18n's on_page_context (50)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    i18n = _i18n(config)
    default = i18n.default_language
    lang = context.get("i18n_page_locale", _state["lang"])
    context["site_strings"] = sitestrings.load_strings(lang, _strings_dir(config))
    # Language switcher: same page in every language, site-root-relative so `| url` makes it relative
    alternates = getattr(page.file, "alternates", {}) or {}
    for alternate in config.extra.get("alternate", []):
        code = alternate["lang"]
        if code in alternates:
            alternate["link"] = alternates[code].url
        else:
            alternate["link"] = "index.html" if code == default else f"{code}/index.html"
    german = alternates.get(default)
    context["source_url"] = german.url if german else "index.html"
    # Material fetches search/search_index.json relative to `base_url`: point it at this language
    depth = page.url.count("/")
    root = "../" * depth
    context["base_url"] = root if lang == default else f"{root}{lang}/"
    if context["base_url"] == "":
        context["base_url"] = "./"
    return context


@event_priority(-200)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return htmlpost.finalize_page(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name != "404.html":
        return output
    # rendered once per language into the same file: keep the default language's multilingual page
    if _state["404"] is None:
        html = htmlpost.relativize_root_links(output)
        _state["404"] = htmlpost.finalize_page(html)
    return _state["404"]


@event_priority(-200)  # after static-i18n has merged every language's index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    if i18n.building:
        return
    site = Path(config.site_dir)
    codes = _codes(config)
    if (site / "search" / "search_index.json").exists():
        searchindex.write_indexes(site, codes, i18n.default_language, _state["search"])
    _state["404"] = None
