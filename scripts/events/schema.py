"""Event calendar schema: the YAML fields as pydantic models, date/duration parsing, and every schema error
turned into editors' words (which field, what is wrong, how to fix it)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

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
                + " (EXTRA_LANGUAGES in scripts/events/schema.py)")
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
        return "remove it or fix the spelling (see the field list at the top of scripts/events/__init__.py)"
    if error_type == "missing":
        return f"add `{last}:`"
    if error_type == "literal_error":
        choices = {"status": STATUSES, "audience": AUDIENCES}.get(last, ())
        return "use one of: " + ", ".join(choices)
    if last == "phone":
        return 'write the number with digits, spaces or `/`, in quotes: `phone: "0123 456789"`'
    if last == "email":
        return "write the address as `name@example.org`"
    return "see the field list at the top of scripts/events/__init__.py"


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
