"""Event calendar: schema, validation and loading of `data/events.yml`; `python -m scripts events validate`.

Trained native-speaker mediators hold information events in one or more languages. The calendar is one
YAML file. The model and loading live in `scripts.events.model` (schema in `scripts.events.schema`), HTML and JSON-LD in
`scripts.events.render`, iCalendar files in `scripts.events.ics`; this module re-exports the public API
(`from scripts.events import load_events, render_events_html, ...`) and is the command line.

The calendar file, field by field
---------------------------------
Top level: `events:` (required), a list of events; `timezone:` (optional, default `Europe/Berlin`) for
events that do not name their own.

Each event:

- `id` (required): stable name of lower-case letters, digits and `-` (`2026-10-frauen-ar`), unique.
  Never change it once published: it is the calendar UID and the file name `events/<id>.ics`.
- `start` (required): local date and time `YYYY-MM-DD HH:MM` (`2026-10-08 17:00`).
- `end` or `duration` (exactly one): `end` as `"HH:MM"` on the same day or `YYYY-MM-DD HH:MM`, after
  `start`; `duration` as `90 min`, `2 h` or `1 h 30 min`.
- `timezone`: IANA name; default the file's `timezone:`, else `Europe/Berlin`.
- `status`: `scheduled` (default), `cancelled` (stays listed, marked), `postponed` (new date to follow;
  listed by its original date).
- `languages` (required): codes of the languages spoken at the event: any site language from
  mkdocs.yml or one of `EXTRA_LANGUAGES` (below). They may differ from the languages of the texts.
- `audience` (required): `women`, `men`, `parents` or `everyone`.
- `topic` (required): file name (without `.md`) of a German handout in `docs/de/`, e.g. `rechte`.
- `venue` (required): `name` (required; published everywhere, so give shelters a neutral name),
  `kind` (`refugee-shelter`, `migrant-centre`, `parents-venue`, `counselling-centre`, `other`),
  `address` (street, postcode and town on one line), `public` (default `true`; `false` hides the
  address on pages, in calendar files and in structured data; a shelter with an address must say
  `public: false`).
- `title` (required): one text per site language; `de:` required, the others optional (a missing
  translation shows the German text, marked as German, with a "not translated yet" notice).
- `description`: like `title`, one or two sentences.
- `contact`: registration contact: `name`, `phone` (digits, spaces, `+`, `/`, `-`; quoted), `email`;
  at least a phone or an e-mail address.
- `accessibility`: like `title`: step-free access, childcare, interpreters, ...

`EXTRA_LANGUAGES` in scripts/events/schema.py: event languages that are not site languages (shown by
their own name from Babel):
uk Ukrainian, so Somali, sq Albanian, ro Romanian, bg Bulgarian, pl Polish, ur Urdu, am Amharic,
ckb Kurdish (Sorani), fa-AF Dari. Extend the tuple to allow more; codes must be known to Babel.

Example::

    timezone: Europe/Berlin
    events:
      - id: 2026-10-frauen-ar
        start: 2026-10-08 17:00
        end: "19:00"
        languages: [ar]
        audience: women
        topic: rechte
        venue:
          name: Unterkunft (Ost)
          kind: refugee-shelter
          public: false
        title:
          de: Ihre Rechte bei Gewalt in der Familie
          ar: حقوقك عند العنف في الأسرة
        description:
          de: Eine Mediatorin erklärt, welche Hilfe es gibt. Kinderbetreuung vor Ort.
        contact:
          name: Frau Beispiel
          phone: "0123 456789"
          email: termine@example.org
        accessibility:
          de: Erdgeschoss, stufenlos erreichbar.

Write phone numbers in quotes (`"0123 456789"`), so YAML never reads them as numbers.

Errors name the file, the line and the field, and say how to fix it; all errors are reported at once.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from scripts.core.problems import InputError, display_path
from scripts.core.project import Project
from scripts.events.ics import event_ics, feed_ics, language_calendars
from scripts.events.model import Contact, Event, Venue, load_events, split_events, translatable_texts
from scripts.events.render import (
    EVENTS_PAGE,
    FEED_NAME,
    ICS_DIR,
    event_jsonld,
    format_when,
    render_events_html,
)
from scripts.events.schema import (
    AUDIENCES,
    DEFAULT_TIMEZONE,
    EXTRA_LANGUAGES,
    SOURCE_LANGUAGE,
    STATUSES,
    VENUE_KINDS,
    event_languages,
)

__all__ = [
    "AUDIENCES", "DEFAULT_TIMEZONE", "EVENTS_PAGE", "EXTRA_LANGUAGES", "FEED_NAME", "ICS_DIR",
    "SOURCE_LANGUAGE", "STATUSES", "VENUE_KINDS", "Contact", "Event", "Venue", "event_ics",
    "event_jsonld",
    "event_languages", "feed_ics", "format_when", "language_calendars", "load_events", "main",
    "render_events_html", "today", "calendar_stamp",
    "split_events", "translatable_texts",
]


# ---- build date and calendar stamp ------------------------------------------------------------------------

def today(zone: str = DEFAULT_TIMEZONE) -> date:
    """Today where the events take place (which events are upcoming, which are past)."""
    return datetime.now(ZoneInfo(zone)).date()


def calendar_stamp(path: Path) -> datetime:
    """DTSTAMP of the calendar files: SOURCE_DATE_EPOCH, else when the calendar file last changed
    (reproducible builds: the same file gives the same bytes)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    seconds = int(epoch) if epoch and epoch.isdigit() else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, UTC)


# ---- command line ----------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """`validate [file]`: 0 valid, 1 problems found, 2 usage error."""
    args = list(sys.argv[1:] if argv is None else argv)
    usage = "usage: python -m scripts events validate [data/events.yml]"
    if not args or args[0] in ("-h", "--help"):
        print(usage, file=sys.stderr if not args else sys.stdout)
        return 2 if not args else 0
    if args[0] != "validate" or len(args) > 2:
        print(usage, file=sys.stderr)
        return 2
    try:
        project = Project.load()
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    path = Path(args[1]) if len(args) == 2 else project.data / "events.yml"
    if not path.is_file():
        print(f"{display_path(path)}: no such file\n{usage}", file=sys.stderr)
        return 2
    try:
        events = load_events(path, project.codes, project.handout_stems() or None)
    except InputError as exc:
        print(str(exc))
        count = len(exc.problems)
        print(f"\n{count} problem{'s' if count != 1 else ''} in {display_path(path)}")
        return 1
    cancelled = sum(e.status == "cancelled" for e in events)
    print(f"{display_path(path)}: {len(events)} events OK ({cancelled} cancelled), "
          f"languages: {' '.join(sorted({code for e in events for code in e.languages}))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
