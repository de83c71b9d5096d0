"""Event lists as HTML fragments (one per page language) with schema.org JSON-LD; dates by Babel.

Dates and times follow the reader's locale (CLDR via Babel): full weekday and month names, the
locale's own clock (24 h for de fr fa ps ku tr ru; 12 h with the locale's day-period marker for en ar ti).
Gregorian calendar and ASCII digits in every locale (what Babel gives; also what German letters use).

Persian (`fa`): the site's Persian pages serve Farsi (Iran) and Dari (Afghanistan) readers with one text.
core.project.BABEL_LOCALES maps `fa` to CLDR `fa` (Iranian month names: دسامبر، ژانویه). CLDR `fa_AF` would give the
Afghan forms (دسمبر، جنوری) with the same weekdays and digits. If Dari readers should see Afghan month
names, set BABEL_LOCALES["fa"] = "fa_AF"; a separate Dari site language `fa-AF` gets `fa_AF` automatically.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from datetime import date, datetime
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_time, get_time_format

from scripts.core.project import BABEL_LOCALES, babel_locale, direction
from scripts.events.model import Event, split_events
from scripts.events.schema import AUDIENCES, SOURCE_LANGUAGE

EVENTS_PAGE = "events.html"          # the full list, relative to a language root
FEED_NAME = "events.ics"             # the per-language feed, relative to a language root
ICS_DIR = "events"                   # per-event files: <language root>/events/<id>.ics
SCHEMA_STATUS = {
    "scheduled": "https://schema.org/EventScheduled",
    "cancelled": "https://schema.org/EventCancelled",
    "postponed": "https://schema.org/EventPostponed",
}


def _e(text: str) -> str:
    return html.escape(text, quote=True)


@cache
def native_name(code: str) -> str:
    """A language's name in that language (Babel), or the code when Babel does not know it."""
    try:
        locale = Locale.parse(code, sep="-" if "-" in code else "_")
        name = locale.get_display_name(babel_locale(code)) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]     # CLDR names are lower-case in running text; this is a list


@cache
def _uses_24h(locale: str) -> bool:
    return "H" in get_time_format("short", locale=locale).pattern


def format_when(event: Event, lang: str) -> tuple[str, str]:
    """(date, times) in the page language, e.g. ("Donnerstag, 8. Oktober 2026", "17:00–19:00 Uhr")."""
    locale = babel_locale(lang)
    start, end = event.start, event.end
    if start.date() == end.date():
        skeleton = "Hm" if _uses_24h(locale) else "hm"
        return (format_date(start.date(), "full", locale=locale),
                format_interval(start.time(), end.time(), skeleton, locale=locale))
    days = [format_date(moment.date(), "full", locale=locale) for moment in (start, end)]
    times = [format_time(moment.time(), "short", locale=locale) for moment in (start, end)]
    return " – ".join(days), " – ".join(times)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


# ---- JSON-LD ----------------------------------------------------------------------------------------------

def event_jsonld(event: Event, lang: str) -> dict[str, Any]:
    """schema.org Event for one page language; hidden addresses are never included."""
    title = event.text("title", lang)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "identifier": event.id,
        "name": title[0] if title else event.id,
        "startDate": _iso(event.start),
        "endDate": _iso(event.end),
        "eventStatus": SCHEMA_STATUS[event.status],
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "inLanguage": list(event.languages),
        "audience": {"@type": "PeopleAudience", "audienceType": event.audience},
        "location": {"@type": "Place", "name": event.venue.name},
    }
    description = event.text("description", lang)
    if description:
        data["description"] = description[0]
    if event.venue.shown_address:
        data["location"]["address"] = {"@type": "PostalAddress", "streetAddress": event.venue.shown_address}
    return data


def _jsonld_script(event: Event, lang: str) -> str:
    text = json.dumps(event_jsonld(event, lang), ensure_ascii=False, separators=(",", ":"))
    # "</script>" and "<!--" can never appear inside the element
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


# ---- HTML ------------------------------------------------------------------------------------------------

def _text(event: Event, name: str, lang: str, strings: dict[str, str], tag: str, cls: str) -> str:
    """One translatable text; the German fallback is marked lang="de" dir="ltr" with a notice."""
    found = event.text(name, lang)
    if not found:
        return ""
    text, used = found
    if used == lang:
        return f'<{tag} class="{cls}">{_e(text)}</{tag}>'
    notice = f' <span class="ev-fallback">({_e(strings["not_translated"])})</span>'
    return (f'<{tag} class="{cls}"><span lang="{used}" dir="{direction(used)}">{_e(text)}</span>'
            f'{notice}</{tag}>')


def list_separator(lang: str) -> str:
    """Comma of the page's script: Arabic comma on rtl pages, Ethiopic comma for Tigrinya."""
    return "، " if direction(lang) == "rtl" else "፣ " if lang == "ti" else ", "


def _language_list(event: Event, lang: str, language_names: dict[str, str]) -> str:
    return list_separator(lang).join(_language_name(code, language_names) for code in event.languages)


def _language_name(code: str, language_names: dict[str, str]) -> str:
    """A language's own name, marked with its own language and direction."""
    name = _e(language_names.get(code) or native_name(code))
    return f'<span lang="{code}" dir="{direction(code)}">{name}</span>'


def _article(event: Event, lang: str, strings: dict[str, str], prefix: str, language_names: dict[str, str],
             handout_titles: dict[str, str], level: int, hidden: bool, jsonld: bool) -> str:
    when_date, when_time = format_when(event, lang)
    status = ""
    if event.status != "scheduled":
        label = _e(strings["status_" + event.status])
        status = f'<strong class="ev-status ev-status--{event.status}">{label}</strong> '
    title = _text(event, "title", lang, strings, "span", "ev-item__name")
    venue = event.venue
    kind = _e(strings[f"venue_{venue.kind}"])
    if venue.shown_address:
        address = f'<span class="ev-item__address">{_e(venue.shown_address)}</span>'
    else:
        address = (f'<span class="ev-item__address ev-item__address--hidden">'
                   f'{_e(strings["address_hidden"])}</span>')
    facts = [
        (strings["language"], _language_list(event, lang, language_names)),
        (strings["audience"], _e(strings[f"audience_{event.audience}"])),
        (strings["venue"], f'<span class="ev-item__venue">{_e(venue.name)}</span> ({kind})<br>{address}'),
    ]
    if event.contact:
        parts = [_e(event.contact.name)] if event.contact.name else []
        if event.contact.phone:
            parts.append(f'<a href="tel:{_e(event.contact.phone_digits or "")}" dir="ltr">'
                         f'{_e(event.contact.phone)}</a>')
        if event.contact.email:
            email = _e(event.contact.email)
            parts.append(f'<a href="mailto:{email}" dir="ltr">{email}</a>')
        facts.append((strings["contact"], list_separator(lang).join(parts)))
    access = _text(event, "accessibility", lang, strings, "span", "ev-item__access")
    if access:
        facts.append((strings["accessibility"], access))
    facts_html = "".join(f"<dt>{_e(label)}</dt><dd>{value}</dd>" for label, value in facts)
    handout = handout_titles.get(event.topic)
    handout_text = f'{_e(strings["handout"])}: {_e(handout)}' if handout else _e(strings["handout"])
    attrs = (f' id="ev-{event.id}" data-start="{_iso(event.start)}" data-end="{_iso(event.end)}"'
             f' data-languages="{" ".join(event.languages)}" data-audience="{event.audience}"'
             f' data-status="{event.status}"' + (" hidden" if hidden else ""))
    return (
        f'<article class="ev-item ev-item--{event.status}"{attrs}>'
        f'<h{level} class="ev-item__title">{status}{title}</h{level}>'
        f'<p class="ev-item__when"><time datetime="{_iso(event.start)}">{_e(when_date)}</time><br>'
        f'<span class="ev-item__time">{_e(when_time)}</span></p>'
        + _text(event, "description", lang, strings, "p", "ev-item__desc")
        + f'<dl class="ev-item__facts">{facts_html}</dl>'
        f'<ul class="ev-item__links">'
        f'<li><a href="{prefix}{_e(event.topic)}.html">{handout_text}</a></li>'
        f'<li><a href="{prefix}{ICS_DIR}/{_e(event.id)}.ics" type="text/calendar">'
        f'{_e(strings["add_to_calendar"])}</a></li>'
        f'</ul>'
        + (_jsonld_script(event, lang) if jsonld else "")
        + "</article>"
    )


def _filters(events: list[Event], strings: dict[str, str], language_names: dict[str, str]) -> str:
    """Filter form; hidden until events.js runs (without JS every event is simply listed)."""
    codes = list(dict.fromkeys(code for event in events for code in event.languages))
    codes.sort(key=lambda code: (language_names.get(code) or native_name(code)).casefold())

    def radio(name: str, value: str, label: str, checked: bool = False) -> str:
        return (f'<label class="ev-filter__choice"><input type="radio" name="{name}" value="{value}"'
                + (" checked" if checked else "") + f"> {label}</label>")

    lang_choices = radio("ev-language", "", _e(strings["all"]), True) + "".join(
        radio("ev-language", code, f'<span lang="{code}" dir="{direction(code)}">'
                                   f'{_e(language_names.get(code) or native_name(code))}</span>')
        for code in codes)
    audience_choices = radio("ev-audience", "", _e(strings["all"]), True) + "".join(
        radio("ev-audience", audience, _e(strings[f"audience_{audience}"]))
        for audience in AUDIENCES if audience != "everyone")
    return (
        f'<details class="ev-filter" data-ev-filter hidden><summary>{_e(strings["filter"])}</summary>'
        f'<form class="ev-filter__form">'
        f'<fieldset><legend>{_e(strings["filter_language"])}</legend>{lang_choices}</fieldset>'
        f'<fieldset><legend>{_e(strings["filter_audience"])}</legend>{audience_choices}'
        f'<p class="ev-filter__hint">{_e(strings["filter_audience_hint"])}</p></fieldset>'
        f'<button type="reset" class="ev-filter__reset">{_e(strings["show_all"])}</button>'
        f"</form></details>"
    )


def render_events_html(events: Iterable[Event], lang: str, today: date, strings: dict[str, str], *,
                       page_depth: int, language_names: dict[str, str], limit: int | None = None,
                       show_filters: bool = True, handout_titles: dict[str, str] | None = None,
                       heading_level: int = 2) -> str:
    """HTML fragment for one page language: filters, upcoming (soonest first), past (latest first).

    `page_depth`: number of `../` from the page to its language root. `limit`: home-page teaser with
    at most that many upcoming events, no past section, no filters, no JSON-LD (the full list has it),
    and a link to the full list. `events.js` corrects the build-time split by the reader's clock.
    """
    events = list(events)
    prefix = "../" * page_depth
    titles = handout_titles or {}
    upcoming, past = split_events(events, today)
    level = heading_level
    parts = ['<div class="ev" data-ev-root' + (f' data-ev-limit="{limit}"' if limit else "") + ">"]
    if limit is not None:
        shown = upcoming[: limit + 10]   # spares for events.js when some have ended since the build
        items = "".join(
            _article(e, lang, strings, prefix, language_names, titles, level + 1, i >= limit, False)
            for i, e in enumerate(shown))
        parts.append(f'<div class="ev-list" data-ev-upcoming>{items}</div>')
        parts.append(f'<p class="ev-empty" data-ev-none{"" if not upcoming else " hidden"}>'
                     f'{_e(strings["no_upcoming"])}</p>')
        parts.append(f'<p class="ev-more"><a href="{prefix}{EVENTS_PAGE}">'
                     f'{_e(strings["all_events"])}</a></p>')
        parts.append("</div>")
        return "".join(parts)
    if show_filters and events:
        parts.append(_filters(events, strings, language_names))
    parts.append(f'<p class="ev-empty" data-ev-nomatch hidden>{_e(strings["no_match"])}</p>')
    parts.append(f'<section class="ev-section" aria-labelledby="ev-upcoming"><h{level} id="ev-upcoming">'
                 f'{_e(strings["upcoming"])}</h{level}>')
    parts.append('<div class="ev-list" data-ev-upcoming>' + "".join(
        _article(e, lang, strings, prefix, language_names, titles, level + 1, False, True) for e in upcoming)
        + "</div>")
    parts.append(f'<p class="ev-empty" data-ev-none{"" if not upcoming else " hidden"}>'
                 f'{_e(strings["no_upcoming"])}</p></section>')
    parts.append(f'<section class="ev-section ev-section--past" aria-labelledby="ev-past"'
                 f' data-ev-past-section'
                 f'{"" if past else " hidden"}><h{level} id="ev-past">{_e(strings["past"])}</h{level}>')
    parts.append('<div class="ev-list" data-ev-past>' + "".join(
        _article(e, lang, strings, prefix, language_names, titles, level + 1, False, True) for e in past)
        + "</div></section>")
    parts.append(f'<p class="ev-feed"><a href="{prefix}{FEED_NAME}" type="text/calendar">'
                 f'{_e(strings["subscribe"])}</a></p>')
    parts.append("</div>")
    return "".join(parts)


__all__ = ["BABEL_LOCALES", "EVENTS_PAGE", "FEED_NAME", "ICS_DIR", "SOURCE_LANGUAGE", "babel_locale",
           "direction", "event_jsonld", "format_when", "native_name", "render_events_html"]
