"""MkDocs glue: adapts the plain-Python logic in scripts/ to MkDocs and static-i18n events.

static-i18n runs the whole build once per language from its on_post_build (priority -100), so
every event here runs ten times; keep per-event work small and per-language.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from scripts import checks, events, facts, helpdir, offline
from scripts.core import strings as sitestrings
from scripts.core.pages import cached_page, is_german_only, page_title
from scripts.core.problems import InputError
from scripts.core.project import RTL_LANGUAGES, Project, babel_locale, language_path, language_root
from scripts.printing import build as pdf
from scripts.site import htmlpost, searchindex, templates
from scripts.translations import trust
from scripts.translations.render import render_status_markdown
from scripts.translations.report import collect
from scripts.translations.safety import safety_items


@dataclass
class BuildState:
    """What the hooks keep between MkDocs events of one `mkdocs build`/`serve` run (one per process).

    static-i18n runs one nested build per language in the same process: data files are read once (by
    the default language's on_config) and shared; per-language values are replaced by each build."""

    project: Project | None = None
    serve: bool = False
    lang: str = ""
    emergency: list[Any] = field(default_factory=list)
    directory: list[Any] = field(default_factory=list)
    events: list[Any] = field(default_factory=list)
    events_stamp: dt.datetime | None = None
    titles: dict[str, dict[str, str]] = field(default_factory=dict)
    handouts: set[str] | None = None
    has_safety: bool = False
    has_events: bool = False
    validation: tuple[int, int] | None = None
    not_found_page: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    page_facts: dict[str, list[Any]] = field(default_factory=dict)


_state = BuildState()
SECONDARY_ENV = "SITE_BUILD_SECONDARY"
SAFETY_PAGE = "sicherheit.md"  # set by scripts.build in its extra worker processes


def on_startup(command: str, dirty: bool) -> None:
    # `mkdocs serve` injects an inline live-reload script into every page; a CSP would block it
    _state.serve = command == "serve"


def _skip_pdf() -> bool:
    """No PDFs in this build: asked for (SKIP_PDF=1), or the live preview (it never makes PDFs)."""
    return pdf.skip_requested() or bool(_state.serve)


def _finalize(html: str) -> str:
    return htmlpost.finalize_page(html, csp=not _state.serve)


def _project() -> Project:
    """The project being built (loaded by the default language's on_config)."""
    assert _state.project is not None, "on_config has not run"
    return _state.project


def _i18n(config: MkDocsConfig):
    return config.plugins["i18n"]


def _codes(config: MkDocsConfig) -> list[str]:
    """Languages built by this process (scripts.build may split them across processes)."""
    return [lang.locale for lang in _i18n(config).config.languages if lang.build]


def _all_languages(config: MkDocsConfig) -> list[tuple[str, str]]:
    """(code, native name) of every configured language, built here or not."""
    return [(lang.locale, lang.name) for lang in _i18n(config).config.languages if lang.locale != "null"]


@event_priority(-150)  # after static-i18n's on_config has switched the language
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    i18n = _i18n(config)
    lang = i18n.current_language or i18n.default_language
    if not i18n.building:
        # a new run (`mkdocs serve` rebuilds in the same process): forget everything read before
        global _state
        _state = BuildState(serve=_state.serve)
        sitestrings.clear_cache()
        checks.load_all()  # the status page runs the registered translation checks
        try:
            _state.project = Project.load(Path(config.config_file_path))
        except InputError as exc:
            raise PluginError(str(exc)) from None
        problems = sitestrings.check_strings(_project().strings_dir(), [c for c, _ in _all_languages(config)],
                                             sitestrings.REQUIRED_KEYS)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise PluginError("UI strings cannot be read:\n" + "\n".join(str(p) for p in errors))
    data = _project().data
    try:
        strings = _project().strings(lang)
        if not i18n.building:
            german = _project().strings(i18n.default_language)
            _state.emergency = helpdir.load_emergency(data / "emergency.yml", german.keys())
            _state.directory = helpdir.load_directory(data / "help.yml")
            _state.facts = facts.load_facts(data / "facts.yml", i18n.default_language)
            docs = Path(config.docs_dir)
            stems = {p.stem for p in (docs / i18n.default_language).glob("*.md")}
            _state.events = events.load_events(data / "events.yml", [c for c, _ in _all_languages(config)], stems)
            _state.events_stamp = events.calendar_stamp(data / "events.yml")
    except InputError as exc:
        raise PluginError(str(exc)) from None
    exit_url = str(config.extra.get("quick_exit_url") or "")
    if not exit_url.startswith("https://"):
        raise PluginError(f"{Path(config.config_file_path).name}: extra.quick_exit_url must be an https:// "
                          f"address of a neutral site (got {exit_url!r})")
    config.site_name = strings["site_name"]
    config.site_description = strings["site_description"]
    _state.lang = lang
    # Speed: each language build makes a new Jinja environment; share compiled templates and the
    # theme file listing across them, and render 404 only once (in the default language).
    if not i18n.building:
        templates.ListingCacheLoader.listings.clear()
    config.theme.get_env = functools.partial(templates.fast_env, config.theme)
    # static-i18n's per-file alternates cost O(files x languages) per language build; the switcher
    # below derives them from the path (fallback guarantees every page exists in every language)
    i18n.reconfigure_files_alternates = _no_alternates
    static = config.theme.static_templates
    static.discard("sitemap.xml")  # written by scripts.sitemap with every language's alternates
    if i18n.building:
        static.discard("404.html")
    else:
        static.add("404.html")
    return config


def _no_alternates(*args, **kwargs) -> None:
    return None


def _handout_titles(config: MkDocsConfig, lang: str) -> dict[str, str]:
    """Title of each handout in `lang` (German where not translated), read once per language."""
    cache = _state.titles
    if lang not in cache:
        docs = Path(config.docs_dir)
        cache[lang] = {source.stem: page_title(docs / lang / source.name if (docs / lang / source.name).exists()
                                                      else source)
                       for source in sorted((docs / _i18n(config).default_language).glob("*.md"))}
    return cache[lang]


def _handouts(config: MkDocsConfig) -> set[str]:
    if _state.handouts is None:
        _state.handouts = set(pdf.handout_stems(_project()))
    return _state.handouts


def _language_names(config: MkDocsConfig) -> dict[str, str]:
    """Every language's own name, from its UI strings."""
    return {code: _project().strings(code)["language_name"]
            for code, _ in _all_languages(config)}


def _events_html(config: MkDocsConfig, lang: str, **kwargs) -> str:
    return events.render_events_html(_state.events, lang, events.today(), _project().strings(lang, "strings-events"),
                                     page_depth=0, language_names=_language_names(config),
                                     handout_titles=_handout_titles(config, lang), **kwargs)


def stem_of(rel: str) -> str:
    """`rechte` for `rechte.html` (pages at a language root only)."""
    return rel[:-5] if rel.endswith(".html") and "/" not in rel else ""


def _set_switcher(config: MkDocsConfig, links: dict[str, str], fallback: frozenset[str] = frozenset()) -> None:
    """Language switcher entries (site-root-relative links; Material's `| url` makes them relative).
    `fallback`: languages in which this page is only the German text (the switcher says so).
    static-i18n sets `extra.alternate` as an attribute (which Jinja reads first) and as an item."""
    alternates = [{"name": name, "lang": code, "link": links[code], "fallback": code in fallback}
                  for code, name in _all_languages(config)]
    config.extra["alternate"] = alternates
    config.extra.alternate = alternates


@event_priority(-150)  # after static-i18n has chosen this language's files
def on_files(files, config: MkDocsConfig):
    # scripts.build runs language groups in parallel processes; each must build the default
    # language first (static-i18n starts from it) but only the first process keeps its output.
    # In the others, build just the default home page: the nested language builds follow as usual.
    i18n = _i18n(config)
    # the safety page is linked from the emergency bar on every page, when it exists
    _state.has_safety = any(f.src_uri.endswith("/" + SAFETY_PAGE) for f in files.documentation_pages())
    _state.has_events = any(f.src_uri.endswith("/" + events.EVENTS_PAGE.replace(".html", ".md"))
                               for f in files.documentation_pages())
    if i18n.building:  # German-only pages (the coordinators' status page) get no fallback copies
        default = i18n.default_language
        for file in [f for f in files.documentation_pages()
                     if f.src_uri.startswith(f"{default}/") and is_german_only(Path(config.docs_dir) / f.src_uri)]:
            files.remove(file)
    if os.environ.get(SECONDARY_ENV) == "1" and not i18n.building:
        for file in [f for f in files if f.is_documentation_page() and f.dest_uri != "index.html"]:
            files.remove(file)
        # links and nav entries to the skipped pages are expected here, not in the real builds
        _state.validation = (config.validation.nav.not_found, config.validation.links.not_found)
        config.validation.nav.not_found = config.validation.links.not_found = logging.DEBUG
    elif i18n.building and _state.validation is not None:
        config.validation.nav.not_found, config.validation.links.not_found = _state.validation
        _state.validation = None
    return files


def on_env(env, config: MkDocsConfig, files):
    languages = _all_languages(config)
    env.globals["site_emergency"] = _state.emergency
    # pages get their own language's strings in on_page_context; 404.html uses the default's
    env.globals["site_strings"] = _project().strings(_i18n(config).default_language)
    env.globals["safety_url"] = SAFETY_PAGE.replace(".md", ".html") if _state.has_safety else None
    env.globals["site_strings_all"] = {code: _project().strings(code)
                                       for code, _ in languages}
    env.globals["site_languages"] = languages
    env.globals["site_default_language"] = _i18n(config).default_language
    env.globals["site_rtl"] = RTL_LANGUAGES
    # for 404.html (rendered before any page): every language's home page
    default = _i18n(config).default_language
    _set_switcher(config, {code: f"{language_path(code, default)}index.html" for code, _ in languages})
    return env


@event_priority(0)  # after static-i18n's on_page_context (50)
def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    i18n = _i18n(config)
    default = i18n.default_language
    lang = _state.lang
    context["site_strings"] = _project().strings(lang)
    # Language switcher: the same page in every language (fallback makes sure it exists); a
    # German-only page links to the other languages' home pages
    here = language_path(lang, default)
    rel = page.file.dest_uri.removeprefix(here)
    other = "index.html" if page.meta.get("translate") is False else rel
    source_name = rel[:-5] + ".md" if rel.endswith(".html") else ""
    docs = Path(config.docs_dir)
    fallback = frozenset(code for code, _ in _all_languages(config) if code != default and other == rel
                         and source_name and not (docs / code / source_name).is_file())
    _set_switcher(config, {code: language_path(code, default) + (rel if code == default else other)
                           for code, _ in _all_languages(config)}, fallback)
    context["source_url"] = rel
    if stem_of(rel) in _handouts(config) and (docs / default / source_name).is_file():
        german = cached_page(docs / default / source_name)
        laws = [item.shown for item in safety_items(german.body, german.body_line) if item.kind == "law"]
        when = facts.as_of(german.meta.get("checked"), _state.page_facts.get(page.file.src_uri, []), laws)
        context["site_asof"] = facts.as_of_texts(when, context["site_strings"], babel_locale(lang))
    if lang != default and source_name and (docs / lang / source_name).is_file() \
            and (docs / default / source_name).is_file():
        # how current and how checked this translation is, in the reader's language (also in the PDF)
        review, fresh = trust.page_trust(_project().root, docs, default, lang, source_name)
        context["site_trust"] = trust.reader_notice(review, fresh, context["site_strings"], babel_locale(lang))
    stem = stem_of(rel)
    if stem and not _skip_pdf() and stem in _handouts(config):
        context["site_pdf"] = {"url": f"{here}pdf/{stem}.pdf", "label": pdf.download_label(lang, _project())}
    if (page.is_homepage or rel == "index.html") and _state.has_events:
        # the next events on each language's home page (below the page's own text)
        context["site_next_events"] = _events_html(config, lang, limit=3, heading_level=2)
        event_strings = _project().strings(lang, "strings-events")
        context["site_events_title"] = event_strings.get("next_events") or event_strings["upcoming"]
    safety = SAFETY_PAGE.replace(".md", ".html")
    context["safety_url"] = here + safety if _state.has_safety else None
    # Material fetches search/search_index.json relative to `base_url`: point it at this language
    context["base_url"] = ("../" * page.url.count("/") + here) or "./"
    context["site_german_root"] = "../" * page.url.count("/") or "./"
    return context


DIRECTORY_MARKER = "<!-- site:help-directory -->"
STATUS_MARKER = "<!-- site:translation-status -->"
EVENTS_MARKER = "<!-- site:events -->"
PRINT_MARKER = "<!-- site:print-material -->"


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files) -> str:
    # facts held once (data/facts.yml): the value in this page's language
    if _state.facts:
        _state.page_facts[page.file.src_uri] = facts.used_facts(markdown, _state.facts)
        markdown = facts.expand(markdown, _state.facts, _state.lang, _i18n(config).default_language)
    # pages may embed generated content with a marker line (the page itself carries title and intro)
    if DIRECTORY_MARKER in markdown:
        lang = _state.lang
        strings = _project().strings(lang)
        body = helpdir.render_directory(_state.directory, lang, strings, _language_names(config),
                                        _i18n(config).default_language)
        markdown = markdown.replace(DIRECTORY_MARKER, body)
    if EVENTS_MARKER in markdown:
        markdown = markdown.replace(EVENTS_MARKER, _events_html(config, _state.lang))
    if PRINT_MARKER in markdown:
        lang = _state.lang
        if _skip_pdf():
            body = f"<p>{pdf.print_strings(lang, _project()).get('skipped', 'PDF: SKIP_PDF=1')}</p>"
        else:
            body = pdf.render_print_page(lang, _project(), events_today=events.today(),
                                         extra=[offline.render_section(lang, _project())])
        markdown = markdown.replace(PRINT_MARKER, body)
    if STATUS_MARKER in markdown:
        # the page has its own title: the report's heading would be a second <h1>
        body = re.sub(r"\A# [^\n]*\n+", "", render_status_markdown(collect(_project().root)))
        # links to built pages (.html) as HTML, so MkDocs does not check them as Markdown sources
        body = re.sub(r"\[([^\]]+)\]\(([^)\s]+\.html(?:#[^)\s]*)?)\)", r'<a href="\2">\1</a>', body)
        markdown = markdown.replace(STATUS_MARKER, body)
    return markdown


@event_priority(-200)
def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    if page.meta.get("noindex"):
        output = htmlpost.add_noindex(output)
    remote = htmlpost.remote_resources(output)
    if remote:
        raise PluginError(f"docs/{page.file.src_uri}: loads {remote[0]} from another host; the site may "
                          f"load nothing from other servers (privacy, and the browser blocks it).\n"
                          f"    fix: save the file under docs/assets/ and link it relatively")
    strings = _project().strings(_state.lang)
    output = htmlpost.add_exit_skip_link(output, config.extra["quick_exit_url"], strings["quick_exit_skip"])
    return _finalize(output)


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name != "404.html":
        return output
    # rendered once per language into the same file: keep the default language's multilingual page
    if _state.not_found_page is None:
        html = htmlpost.relativize_root_links(output, urlsplit(config.site_url or "").path)
        # links are relative to the site root; with a known site_url a <base> makes them work at
        # whatever depth the server shows this page
        html = htmlpost.add_base(html, config.site_url or "")
        strings = _project().strings(_i18n(config).default_language)
        html = htmlpost.add_exit_skip_link(html, config.extra["quick_exit_url"], strings["quick_exit_skip"])
        _state.not_found_page = _finalize(html)
    return _state.not_found_page


@event_priority(-200)  # after static-i18n has merged every language's index
def on_post_build(config: MkDocsConfig) -> None:
    i18n = _i18n(config)
    # the default language's post-build runs last, after all nested language builds
    _write_calendars(config, _state.lang if i18n.building else i18n.default_language)
    if i18n.building:
        return
    site = Path(config.site_dir)
    codes = _codes(config)
    if (site / "search" / "search_index.json").exists():
        searchindex.write_indexes(site, codes, i18n.default_language)
        searchindex.write_lunr_plugins(site, [c for c, _ in _all_languages(config)])
    _state.not_found_page = None


def _write_calendars(config: MkDocsConfig, lang: str) -> None:
    """iCalendar feed and one file per event for this language, next to its events page."""
    root = language_root(Path(config.site_dir), lang, _i18n(config).default_language)
    stamp = _state.events_stamp
    (root / events.ICS_DIR).mkdir(parents=True, exist_ok=True)
    strings = _project().strings(lang, "strings-events")
    feed, each = events.language_calendars(_state.events, lang, strings, stamp=stamp)
    (root / events.FEED_NAME).write_bytes(feed)
    for event_id, data in each.items():
        (root / events.ICS_DIR / f"{event_id}.ics").write_bytes(data)
