"""Event calendar model: the events as plain dataclasses, loaded and validated from data/events.yml with
file/line/field errors (the schema is in scripts/events/schema.py; the YAML form in scripts/events/__init__.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scripts.core.problems import InputError, Problem
from scripts.core.yamlsrc import Key, YamlSource, load
from scripts.events.schema import (
    _TIME_RE,
    DEFAULT_TIMEZONE,
    MAX_EVENTS,
    SOURCE_LANGUAGE,
    TEXT_FIELDS,
    EventIn,
    _field_name,
    _fix_for,
    _readable,
    _zone,
    event_languages,
    parse_duration,
    parse_local,
)

# ---- result types ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Venue:
    name: str
    kind: str
    address: str | None
    public: bool

    @property
    def shown_address(self) -> str | None:
        """The address as it may be published: None when hidden (shelters) or unknown."""
        return self.address if self.public else None


@dataclass(frozen=True)
class Contact:
    name: str | None = None
    phone: str | None = None
    email: str | None = None

    @property
    def phone_digits(self) -> str | None:
        """Phone number for a `tel:` link: only `+` and digits."""
        return re.sub(r"[^0-9+]", "", self.phone) if self.phone else None


@dataclass(frozen=True)
class Event:
    id: str
    start: datetime                      # timezone-aware, in the event's own time zone
    end: datetime
    timezone: str
    languages: tuple[str, ...]
    audience: str
    topic: str
    venue: Venue
    title: dict[str, str]
    status: str = "scheduled"
    description: dict[str, str] = field(default_factory=dict)
    contact: Contact | None = None
    accessibility: dict[str, str] = field(default_factory=dict)
    line: int = 0

    def text(self, name: str, lang: str) -> tuple[str, str] | None:
        """(text, language of that text) for `title`/`description`/`accessibility`; German as fallback."""
        texts: dict[str, str] = getattr(self, name)
        if lang in texts:
            return texts[lang], lang
        if SOURCE_LANGUAGE in texts:
            return texts[SOURCE_LANGUAGE], SOURCE_LANGUAGE
        return None

    def is_past(self, today: date) -> bool:
        """Past once the day of its end is over (the browser refines this to the minute)."""
        return self.end.date() < today



# ---- YAML with line numbers -------------------------------------------------------------------------------

Path_ = Key


def _read_yaml(path: Path) -> tuple[Any, dict[Path_, int], list[Problem]]:
    """Plain data (dates and times kept as text), the line of every data path, and problems."""
    try:
        source = load(path, what="calendar file", plain_times=True)
    except InputError as exc:
        return None, {}, exc.problems
    return source.data, source.lines, []


def _line_of(lines: dict[Path_, int], at: Path_) -> int:
    """Line of the deepest known part of a data path."""
    return YamlSource(Path(), None, lines).line(*at)


def _exact_line(lines: dict[Path_, int], raw: dict[str, Any], at: Path_, message: str) -> int:
    """Line of the offending item when the message names it (`xx` in a language list or text keys)."""
    match = re.search(r"`([^`]+)`", message)
    if match and "language code" in message:
        code = match[1]
        if (*at, code) in lines:                                   # text key: title: {xx: ...}
            return lines[(*at, code)]
        value = raw.get(str(at[2])) if len(at) == 3 else None
        if isinstance(value, list) and code in value:              # languages: [ar, xx]
            return _line_of(lines, (*at, value.index(code)))
    return _line_of(lines, at)



# ---- loading ---------------------------------------------------------------------------------------------

def load_events(path: Path, languages: list[str], handouts: set[str] | None) -> list[Event]:
    """Read and validate the calendar; raise InputError with every problem (file, line, field, fix).

    `languages`: the site language codes (from mkdocs.yml); `handouts`: German handout file stems
    (None skips that check, for `validate` without a docs folder).
    """
    data, lines, problems = _read_yaml(path)
    name = str(path)
    if problems and data is None:
        raise InputError(problems)
    if data is None:
        return []
    if not isinstance(data, dict) or not isinstance(data.get("events", []), list):
        raise InputError([Problem(name, 1, "expected `events:` followed by a list of events (`- id: ...`)",
                                  "see the example at the top of scripts/events/__init__.py")])
    for key in data.keys() - {"events", "timezone"}:
        problems.append(Problem(name, _line_of(lines, (key,)), f"unknown top-level field `{key}`",
                                "only `timezone:` and `events:` belong at the top"))
    default_tz = data.get("timezone") or DEFAULT_TIMEZONE
    try:
        _zone(str(default_tz))
    except ValueError as exc:
        problems.append(Problem(name, _line_of(lines, ("timezone",)), f"`timezone`: {exc}",
                                "use an IANA name such as `Europe/Berlin`"))
        default_tz = DEFAULT_TIMEZONE
    context = {"site_languages": list(languages), "event_languages": event_languages(languages),
               "handouts": handouts}
    events: list[Event] = []
    seen: dict[str, int] = {}
    if len(data.get("events") or []) > MAX_EVENTS:
        raise InputError([Problem(name, _line_of(lines, ("events",)), f"{len(data['events'])} events; the calendar "
                                  f"takes at most {MAX_EVENTS}", "remove past events that are no longer needed")])
    for index, raw in enumerate(data.get("events") or []):
        at: Path_ = ("events", index)
        label = f"event {index + 1}"
        if isinstance(raw, dict) and isinstance(raw.get("id"), (str, int)):
            label = f"event `{raw['id']}`"
        if not isinstance(raw, dict):
            problems.append(Problem(name, _line_of(lines, at), f"{label}: expected `id:`, `start:`, ...",
                                    "start each event with `- id: ...` and indent its fields"))
            continue
        try:
            model = EventIn.model_validate(raw, context=context)
        except ValidationError as exc:
            failed = set()
            for error in exc.errors():
                loc = tuple(error["loc"])
                failed.add(loc[0] if loc else "")
                field_path = _field_name(loc)
                message = _readable(error)
                problems.append(Problem(name, _exact_line(lines, raw, (*at, *loc), message),
                                        f"{label}, field `{field_path}`: {message}",
                                        _fix_for(field_path, error["type"], message)))
            times = {key: raw.get(key) for key in ("start", "end", "duration")}
            if not failed & set(times) and all(v is None or isinstance(v, str) for v in times.values()):
                problems.extend(_times(str(times["start"]), times["end"], times["duration"], name, lines, at,
                                       label)[2])
            continue
        event, event_problems = _finish(model, str(default_tz), name, lines, at, label)
        problems.extend(event_problems)
        if event is None:
            continue
        if event.id in seen:
            problems.append(Problem(name, _line_of(lines, (*at, "id")),
                                    f"{label}, field `id`: duplicate id (first used on line "
                                    f"{seen[event.id]})",
                                    "give every event its own id"))
            continue
        seen[event.id] = _line_of(lines, (*at, "id"))
        events.append(event)
    if problems:
        raise InputError(sorted(problems, key=lambda problem: problem.line))
    return events


def _times(start_text: str, end_text: str | None, duration_text: str | None, name: str,
           lines: dict[Path_, int], at: Path_,
           label: str) -> tuple[datetime | None, datetime | None, list[Problem]]:
    """Naive (start, end) from the texts, or problems: end/duration missing, both, bad, or before start."""
    problems: list[Problem] = []
    try:
        start = parse_local(start_text)
    except ValueError:
        return None, None, problems          # reported by the schema
    end: datetime | None = None
    if end_text is not None and duration_text is not None:
        problems.append(Problem(name, _line_of(lines, (*at, "duration")),
                                f"{label}, field `duration`: give either `end` or `duration`, not both",
                                "remove one of them"))
    elif end_text is not None:
        text = end_text.strip()
        match = _TIME_RE.match(text)
        try:
            end = start.replace(hour=int(match[1]), minute=int(match[2])) if match else parse_local(text)
        except ValueError as exc:
            message = str(exc) if "bad date" in str(exc) else f"bad date `{text}`: {exc}"
            problems.append(Problem(name, _line_of(lines, (*at, "end")), f"{label}, field `end`: {message}",
                                    "write `end:` as `\"HH:MM\"` (same day) or `YYYY-MM-DD HH:MM`"))
    elif duration_text is not None:
        try:
            end = start + parse_duration(duration_text)
        except ValueError:
            return start, None, problems     # reported by the schema
    else:
        problems.append(Problem(name, _line_of(lines, at), f"{label}: `end` or `duration` is missing",
                                'add `end: "19:00"` or `duration: 2 h`'))
    if end is not None and end <= start:
        problems.append(Problem(name, _line_of(lines, (*at, "end")),
                                f"{label}, field `end`: end before start "
                                f"({end_text} is not after {start_text})",
                                "check the times; an event over midnight needs the full date in `end`"))
        end = None
    return start, end, problems


def _finish(model: EventIn, default_tz: str, name: str, lines: dict[Path_, int], at: Path_,
            label: str) -> tuple[Event | None, list[Problem]]:
    """Cross-field checks (times, shelter address, contact) and conversion into an Event."""
    tz_name = model.timezone or default_tz
    zone = _zone(tz_name)
    start, end, problems = _times(model.start, model.end, model.duration, name, lines, at, label)
    if model.venue.kind == "refugee-shelter" and model.venue.public and model.venue.address:
        problems.append(Problem(name, _line_of(lines, (*at, "venue")),
                                f"{label}, field `venue.public`: a shelter address would be published",
                                "add `public: false` under `venue:`, or remove the address"))
    if model.contact is not None and not (model.contact.phone or model.contact.email):
        problems.append(Problem(name, _line_of(lines, (*at, "contact")),
                                f"{label}, field `contact`: give a `phone` or an `email` for registration",
                                'add `phone: "0123 456789"` or `email: ...`'))
    if problems or start is None or end is None:
        return None, problems
    venue = Venue(model.venue.name, model.venue.kind, model.venue.address, model.venue.public)
    contact = Contact(model.contact.name, model.contact.phone, model.contact.email) if model.contact else None
    return Event(id=model.id, start=start.replace(tzinfo=zone), end=end.replace(tzinfo=zone),
                 timezone=tz_name,
                 languages=tuple(model.languages), audience=model.audience, topic=model.topic, venue=venue,
                 title=dict(model.title), status=model.status, description=dict(model.description),
                 contact=contact, accessibility=dict(model.accessibility),
                 line=_line_of(lines, at)), problems


def split_events(events: Iterable[Event], today: date) -> tuple[list[Event], list[Event]]:
    """(upcoming soonest first, past most recent first) as seen on `today`."""
    events = list(events)
    upcoming = sorted((e for e in events if not e.is_past(today)), key=lambda e: (e.start, e.id))
    past = sorted((e for e in events if e.is_past(today)), key=lambda e: (e.start, e.id), reverse=True)
    return upcoming, past


# ---- texts for translators and UI strings ----------------------------------------------------------------

def translatable_texts(root: Path) -> Iterable[tuple[str, int, str, dict[str, str]]]:
    """(path, line, key like `<id>.title`, {lang: text}) for every translatable event text.

    `root` is the repository (reads data/events.yml) or the calendar file itself. Raises InputError
    only when the file is not readable YAML; schema problems are the validator's business.
    """
    path = root / "data" / "events.yml" if root.is_dir() else root
    data, lines, problems = _read_yaml(path)
    if data is None and problems:
        raise InputError(problems)
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        return
    for index, raw in enumerate(data["events"]):
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), (str, int)):
            continue
        for name in TEXT_FIELDS:
            texts = raw.get(name)
            if isinstance(texts, dict):
                yield (str(path), _line_of(lines, ("events", index, name)), f"{raw['id']}.{name}",
                       {str(k): str(v) for k, v in texts.items()})
