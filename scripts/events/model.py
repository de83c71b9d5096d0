"""Event calendar model: schema (pydantic), validation with file/line/field errors, loading, UI strings.

The YAML form is documented in `scripts/events.py`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator

from scripts.core.problems import InputError, Problem
from scripts.core.yamlsrc import Key, YamlSource, load

DEFAULT_TIMEZONE = "Europe/Berlin"
MAX_EVENTS = 1000  # about 20 events a year; each event is a page section and a calendar file per language
SOURCE_LANGUAGE = "de"
EXTRA_LANGUAGES: tuple[str, ...] = ("uk", "so", "sq", "ro", "bg", "pl", "ur", "am", "ckb", "fa-AF")
AUDIENCES: tuple[str, ...] = ("women", "men", "parents", "everyone")
VENUE_KINDS: tuple[str, ...] = (
    "refugee-shelter", "migrant-centre", "parents-venue", "counselling-centre", "other")
STATUSES: tuple[str, ...] = ("scheduled", "cancelled", "postponed")
TEXT_FIELDS: tuple[str, ...] = ("title", "description", "accessibility")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_DATETIME_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_DURATION_RE = re.compile(r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*min)?\s*$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9 /-]{3,30}$")
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


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


# ---- schema (pydantic) ------------------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _ctx(info: ValidationInfo) -> dict[str, Any]:
    return info.context or {}


def _check_texts(value: dict[str, str], info: ValidationInfo, required: bool) -> dict[str, str]:
    site = _ctx(info).get("site_languages", [])
    unknown = [code for code in value if code not in site]
    if unknown:
        raise ValueError(f"unknown language code `{unknown[0]}` (site languages: {', '.join(site)})")
    empty = [code for code, text in value.items() if not text]
    if empty:
        raise ValueError(f"the `{empty[0]}` text is empty")
    if required and SOURCE_LANGUAGE not in value:
        raise ValueError(f"the German text (`{SOURCE_LANGUAGE}:`) is missing")
    return value


class VenueIn(_Strict):
    name: str = Field(min_length=1)
    kind: str
    address: str | None = None
    public: bool = True

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in VENUE_KINDS:
            raise ValueError(f"unknown venue kind `{value}`")
        return value


class ContactIn(_Strict):
    name: str | None = None
    phone: str | None = None
    email: str | None = None

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not _PHONE_RE.match(value):
            raise ValueError(f"`{value}` is not a phone number")
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not _EMAIL_RE.match(value):
            raise ValueError(f"`{value}` is not an e-mail address")
        return value


class EventIn(_Strict):
    id: str
    start: str
    end: str | None = None
    duration: str | None = None
    timezone: str | None = None
    status: Literal["scheduled", "cancelled", "postponed"] = "scheduled"
    languages: list[str] = Field(min_length=1)
    audience: Literal["women", "men", "parents", "everyone"]
    topic: str
    venue: VenueIn
    title: dict[str, str]
    description: dict[str, str] = {}
    contact: ContactIn | None = None
    accessibility: dict[str, str] = {}

    @field_validator("id", mode="before")
    @classmethod
    def _id(cls, value: Any) -> Any:
        value = str(value) if isinstance(value, int) else value
        if isinstance(value, str) and not _ID_RE.match(value):
            raise ValueError(f"`{value}` is not a usable id")
        return value

    @field_validator("start", "end", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else value

    @field_validator("start")
    @classmethod
    def _start(cls, value: str) -> str:
        parse_local(value)
        return value

    @field_validator("duration", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Any:
        if value is not None:
            parse_duration(str(value))
        return None if value is None else str(value)

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str | None) -> str | None:
        if value is not None:
            _zone(value)
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str], info: ValidationInfo) -> list[str]:
        allowed = _ctx(info).get("event_languages", [])
        for code in value:
            if code not in allowed:
                raise ValueError(f"unknown language code `{code}`")
        if len(set(value)) != len(value):
            raise ValueError("a language is listed twice")
        return value

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str, info: ValidationInfo) -> str:
        handouts = _ctx(info).get("handouts")
        if handouts is not None and value not in handouts:
            raise ValueError(f"unknown handout `{value}`")
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        return _check_texts(value, info, required=True)

    @field_validator("description", "accessibility")
    @classmethod
    def _texts(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        return _check_texts(value, info, required=False)


# ---- parsing helpers --------------------------------------------------------------------------------------

def parse_local(text: str) -> datetime:
    """`YYYY-MM-DD HH:MM` -> naive datetime; ValueError with a readable message otherwise."""
    match = _DATETIME_RE.match(text.strip())
    if not match:
        raise ValueError(f"bad date `{text}`: expected `YYYY-MM-DD HH:MM`")
    try:
        return datetime(*(int(part) for part in match.groups()))  # type: ignore[misc]
    except ValueError as exc:
        raise ValueError(f"bad date `{text}`: {exc}") from None


def parse_duration(text: str) -> timedelta:
    """`90 min`, `2 h`, `1 h 30 min` -> timedelta."""
    match = _DURATION_RE.match(text)
    if not match or not any(match.groups()):
        raise ValueError(f"bad duration `{text}`: expected e.g. `90 min`, `2 h` or `1 h 30 min`")
    hours, minutes = (int(part or 0) for part in match.groups())
    if hours * 60 + minutes == 0:
        raise ValueError("the duration is zero")
    return timedelta(hours=hours, minutes=minutes)


@cache
def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone `{name}`") from None


def event_languages(site_languages: Iterable[str]) -> list[str]:
    """All codes allowed in an event's `languages`: the site languages plus EXTRA_LANGUAGES."""
    return list(dict.fromkeys([*site_languages, *EXTRA_LANGUAGES]))


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


def _field_name(loc: Iterable[str | int]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _fix_for(field_path: str, error_type: str, message: str) -> str:
    """How to fix one schema error, in editors' words."""
    last = field_path.rsplit(".", 1)[-1].split("[")[0]
    if "unknown language code" in message and last in TEXT_FIELDS:
        return "texts can only be in site languages (mkdocs.yml); remove the text or fix the code"
    if error_type == "list_type":
        return f"write a list in brackets, e.g. `{last}: [ar, fa]`"
    if error_type == "bool_type":
        return f"write `{last}: true` or `{last}: false`"
    if error_type in ("dict_type", "model_type"):
        return "indent the parts under the field name, one `key: value` per line (see the example)"
    if error_type == "string_type":
        return "write a text (put it in double quotes)"
    if "unknown language code" in message:
        return ("use a site language code from mkdocs.yml or one of " + " ".join(EXTRA_LANGUAGES)
                + " (EXTRA_LANGUAGES in scripts/events_model.py)")
    if "unknown venue kind" in message:
        return "use one of: " + ", ".join(VENUE_KINDS)
    if "unknown handout" in message:
        return "use the file name of a German handout in docs/de/ without `.md`"
    if "bad date" in message:
        return "write the date and time as `YYYY-MM-DD HH:MM`, e.g. `2026-10-08 17:00`"
    if "bad duration" in message or "duration is zero" in message:
        return "write e.g. `duration: 90 min` or `duration: 2 h`"
    if "time zone" in message:
        return "use an IANA name such as `Europe/Berlin`, or leave `timezone` out"
    if "usable id" in message:
        return "use lower-case letters, digits and `-` only, e.g. `2026-10-frauen-ar`"
    if "German text" in message:
        return "add `de: <German text>`"
    if error_type == "extra_forbidden":
        return "remove it or fix the spelling (see the field list at the top of scripts/events.py)"
    if error_type == "missing":
        return f"add `{last}:`"
    if error_type == "literal_error":
        choices = {"status": STATUSES, "audience": AUDIENCES}.get(last, ())
        return "use one of: " + ", ".join(choices)
    if last == "phone":
        return 'write the number with digits, spaces or `/`, in quotes: `phone: "0123 456789"`'
    if last == "email":
        return "write the address as `name@example.org`"
    return "see the field list at the top of scripts/events.py"


def _readable(error: dict[str, Any]) -> str:
    message = str(error["msg"])
    if message.startswith("Value error, "):
        return message[len("Value error, "):]
    if error["type"] == "missing":
        return "is missing"
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "literal_error":
        return f"`{error.get('input')}` is not allowed"
    return message[:1].lower() + message[1:]


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
                                  "see the example at the top of scripts/events.py")])
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
