"""iCalendar (RFC 5545) files with the icalendar library: one file per event and one feed per language.

Texts are in the feed's language where translated (German otherwise), each with a LANGUAGE parameter
naming the language it is really in. Hidden venue addresses never appear. Times carry TZID with a
VTIMEZONE built from the tz database (tzdata), so every calendar shows the same local time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Calendar, Timezone, vText
from icalendar import Event as VEvent

from scripts.events.model import Event

PRODID = "-//Leben ohne Gewalt//Termine//DE"
UID_SUFFIX = "@leben-ohne-gewalt"    # UID = <event id>@leben-ohne-gewalt: stable across builds and languages
ICS_STATUS = {"scheduled": "CONFIRMED", "cancelled": "CANCELLED", "postponed": "TENTATIVE"}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _vevent(event: Event, lang: str, strings: dict[str, str], stamp: datetime) -> VEvent:
    vevent = VEvent()
    vevent.add("uid", event.id + UID_SUFFIX)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    title = event.text("title", lang)
    summary, summary_lang = title if title else (event.id, "de")
    if event.status != "scheduled":
        # clients that ignore STATUS still show "Cancelled: ..." (label in the feed language)
        summary = f"{strings['status_' + event.status]}: {summary}"
    vevent.add("summary", summary, parameters={"LANGUAGE": summary_lang})
    description = event.text("description", lang)
    if description:
        vevent.add("description", description[0], parameters={"LANGUAGE": description[1]})
    location = event.venue.name
    if event.venue.shown_address:
        location += ", " + event.venue.shown_address
    vevent.add("location", location)
    vevent.add("status", ICS_STATUS[event.status])
    vevent.add("transp", "OPAQUE")
    if event.contact:
        parts = [p for p in (event.contact.name, event.contact.phone, event.contact.email) if p]
        vevent.add("contact", ", ".join(parts))
    return vevent


def _timezones(events: list[Event]) -> bytes:
    """One VTIMEZONE per zone used, limited to the years of the events (keeps files small), serialized."""
    if not events:
        return b""
    first = min(e.start.year for e in events)
    last = max(e.end.year for e in events) + 1
    return _timezone_bytes(tuple(sorted({e.timezone for e in events})), first, last)


@lru_cache(maxsize=64)
def _timezone_bytes(names: tuple[str, ...], first: int, last: int) -> bytes:
    return b"".join(Timezone.from_tzinfo(ZoneInfo(name), tzid=name, first_date=date(first, 1, 1),
                                         last_date=date(last, 1, 1)).to_ical() for name in names)


_END = b"END:VCALENDAR\r\n"


def _calendar(events: list[Event], lang: str, strings: dict[str, str], name: str,
              stamp: datetime | None, vevents: dict[str, bytes] | None = None) -> bytes:
    """The calendar's own lines (icalendar), then the time zones and events, each serialized once per build
    where they are shared (`vevents`: event id -> VEVENT already made for this language and stamp)."""
    stamp = stamp or _now()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name, parameters={"LANGUAGE": lang})            # RFC 7986
    cal.add("x-wr-calname", vText(name))                              # older clients
    if events:
        cal.add("x-wr-timezone", events[0].timezone)
    head = cal.to_ical()
    assert head.endswith(_END)
    body = [_timezones(events)]
    for event in sorted(events, key=lambda e: (e.start, e.id)):
        made = vevents.get(event.id) if vevents is not None else None
        if made is None:
            made = _vevent(event, lang, strings, stamp).to_ical()
            if vevents is not None:
                vevents[event.id] = made
        body.append(made)
    return head[: -len(_END)] + b"".join(body) + _END


def event_ics(event: Event, lang: str, strings: dict[str, str], *, stamp: datetime | None = None,
              vevents: dict[str, bytes] | None = None) -> bytes:
    """One event as a calendar file (the page's "Add to calendar" link: <lang root>/events/<id>.ics).

    `strings`: the events-page UI strings of `lang` (data/strings-events/<lang>.yml). `vevents`: see
    `language_calendars`."""
    title = event.text("title", lang)
    return _calendar([event], lang, strings, title[0] if title else event.id, stamp, vevents)


def feed_ics(events: Iterable[Event], lang: str, strings: dict[str, str], *,
             stamp: datetime | None = None, vevents: dict[str, bytes] | None = None) -> bytes:
    """All events (past, upcoming, cancelled) for one language: <lang root>/events.ics.

    `stamp` (DTSTAMP, UTC) defaults to now; pass a fixed value for byte-identical rebuilds.
    """
    return _calendar(list(events), lang, strings, strings["calendar_name"], stamp, vevents)


def language_calendars(events: list[Event], lang: str, strings: dict[str, str], *,
                       stamp: datetime | None = None) -> tuple[bytes, dict[str, bytes]]:
    """The feed and every event's own file for one language, each event serialized once for both."""
    stamp = stamp or _now()
    vevents: dict[str, bytes] = {}
    feed = feed_ics(events, lang, strings, stamp=stamp, vevents=vevents)
    return feed, {event.id: event_ics(event, lang, strings, stamp=stamp, vevents=vevents) for event in events}


__all__ = ["ICS_STATUS", "PRODID", "UID_SUFFIX", "event_ics", "feed_ics", "language_calendars"]
