"""Help directory (data/help.yml) and emergency numbers (data/emergency.yml): load, validate, render.

Validation names the file, the line and the field. `python -m scripts helpdir [data/help.yml]`
checks the directory alone (exit 0 ok, 1 problems, 2 usage error).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time, get_day_names

from scripts.core.problems import InputError, Problem, display_path
from scripts.core.project import babel_locale, repository_root
from scripts.core.yamlsrc import Key, YamlSource, load

KINDS = ("emergency", "helpline", "counselling", "shelter", "men", "youth_office", "police", "victim_support")
DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
_PHONE = re.compile(r"^\+?[0-9][0-9 /-]{1,22}[0-9]$")
_HOURS = re.compile(r"^(?P<days>[a-z,\-]+)\s+(?P<start>\d{2}:\d{2})-(?P<end>\d{2}:\d{2})$")
FIELDS = {"name", "kind", "phone", "free", "hours", "languages", "website", "address", "public", "about", "checked"}


@dataclass(frozen=True)
class Slot:
    days: tuple[int, ...]  # 0 = Monday
    start: dt.time
    end: dt.time


@dataclass
class Entry:
    name: str
    kind: str
    phone: str
    checked: dt.date
    line: int
    free: bool = False
    always: bool = False
    hours: list[Slot] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    website: str = ""
    address: str = ""
    public: bool = False
    about: dict[str, str] = field(default_factory=dict)

    @property
    def tel(self) -> str:
        return tel_target(self.phone)

    @property
    def shown_address(self) -> str:
        """The address only when it may be published."""
        return self.address if self.public else ""


@dataclass(frozen=True)
class EmergencyNumber:
    label: str
    phone: str

    @property
    def tel(self) -> str:
        return tel_target(self.phone)


def tel_target(phone: str) -> str:
    return ("+" if phone.strip().startswith("+") else "") + re.sub(r"\D", "", phone)


def is_language_code(code: str) -> bool:
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError, TypeError):
        return False
    return bool(re.fullmatch(r"[a-z]{2,3}", code))


def _parse_hours(value: object, path: Path, line: int, problems: list[Problem]) -> tuple[bool, list[Slot]]:
    if value == "always":
        return True, []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(Problem(str(path), line, "field `hours` must be `always` or a list of texts",
                                'write for example hours: ["mo-fr 09:00-17:00"]'))
        return False, []
    slots = []
    for text in value:
        match = _HOURS.match(text.strip().lower())
        days: list[int] = []
        ok = bool(match)
        if match:
            for part in match.group("days").split(","):
                first, _, last = part.partition("-")
                if first not in DAYS or (last and last not in DAYS):
                    ok = False
                    break
                a, b = DAYS.index(first), DAYS.index(last or first)
                days.extend(range(a, b + 1) if a <= b else [])
            try:
                start = dt.time.fromisoformat(match.group("start"))
                end = dt.time.fromisoformat(match.group("end"))
            except ValueError:
                ok = False
        if not ok or not days or start >= end:
            problems.append(Problem(str(path), line, f"field `hours`: cannot read {text!r}",
                                    'write days (mo tu we th fr sa su, ranges with "-") and a time range, '
                                    'e.g. "mo-fr 09:00-17:00"'))
            continue
        slots.append(Slot(tuple(sorted(set(days))), start, end))
    return False, slots


def _entry(raw: dict, source: YamlSource, at: Key, problems: list[Problem]) -> Entry | None:
    path = source.path
    line = source.line(*at)
    values: dict[str, object] = {}
    lines: dict[str, int] = {}
    for key, value in raw.items():
        key = str(key)
        lines[key] = source.line(*at, key)
        if key not in FIELDS:
            problems.append(Problem(str(path), lines[key], f"unknown field `{key}`",
                                    f"use one of: {', '.join(sorted(FIELDS))}"))
            continue
        values[key] = value
    before = len(problems)

    def need(key: str) -> object:
        if values.get(key) in (None, ""):
            problems.append(Problem(str(path), line, f"entry is missing the field `{key}`",
                                    f"add `{key}:` to this entry"))
        return values.get(key)

    name, kind, phone, checked = need("name"), need("kind"), need("phone"), need("checked")
    if kind is not None and kind not in KINDS:
        problems.append(Problem(str(path), lines["kind"], f"field `kind`: unknown kind {kind!r}",
                                f"use one of: {', '.join(KINDS)}"))
    if phone is not None and not _PHONE.match(str(phone)):
        problems.append(Problem(str(path), lines["phone"], f"field `phone`: {phone!r} is not a phone number",
                                'write digits with spaces as people dial it, in quotes: "0800 1239900"'))
    if checked is not None and not isinstance(checked, dt.date):
        problems.append(Problem(str(path), lines["checked"], f"field `checked`: {checked!r} is not a date",
                                "write the date as YYYY-MM-DD, e.g. 2026-11-25"))
    languages = values.get("languages") or []
    if not isinstance(languages, list):
        problems.append(Problem(str(path), lines["languages"], "field `languages` must be a list",
                                "write for example languages: [de, en, ar]"))
        languages = []
    for code in languages:
        if not isinstance(code, str) or not is_language_code(code):
            problems.append(Problem(str(path), lines["languages"], f"field `languages`: unknown language code {code!r}",
                                    "use two-letter ISO 639-1 codes such as de, en, ar, fa, ps, ku, tr, ru, ti"))
    website = values.get("website") or ""
    if website and not str(website).startswith("https://"):
        problems.append(Problem(str(path), lines["website"], f"field `website`: {website!r} is not an https:// address",
                                "copy the full address from the browser, starting with https://"))
    about = values.get("about") or {}
    if not isinstance(about, dict) or not all(isinstance(v, str) for v in about.values()):
        problems.append(Problem(str(path), lines["about"], "field `about` must map language codes to texts",
                                'write for example about: {de: "…", en: "…"}'))
        about = {}
    public = values.get("public", False)
    if values.get("address") and public is not True and not isinstance(public, bool):
        problems.append(Problem(str(path), lines["public"], "field `public` must be true or false",
                                "write public: true only if the address may be published"))
    always, slots = (False, [])
    if "hours" in values:
        always, slots = _parse_hours(values["hours"], path, lines["hours"], problems)
    if len(problems) > before:
        return None
    return Entry(name=str(name), kind=str(kind), phone=str(phone), checked=checked, line=line,  # type: ignore[arg-type]
                 free=bool(values.get("free")), always=always, hours=slots, languages=list(languages),
                 website=str(website), address=str(values.get("address") or ""), public=public is True,
                 about={str(k): str(v) for k, v in about.items()})


def load_directory(path: Path) -> list[Entry]:
    """All entries, or InputError with every problem (file, line, field)."""
    source = load(path, what="help directory")
    entries_raw = source.data.get("entries") if isinstance(source.data, dict) else None
    if not isinstance(entries_raw, list):
        raise InputError([Problem(str(path), 1, "expected a list under `entries:`",
                                  "start the file with `entries:` and one `- name: …` block per service")])
    problems: list[Problem] = []
    entries = []
    for index, item in enumerate(entries_raw):
        if not isinstance(item, dict):
            problems.append(Problem(str(path), source.line("entries", index), "entry must be `field: value` lines",
                                    "see the comment at the top of data/help.yml"))
            continue
        entry = _entry(item, source, ("entries", index), problems)
        if entry:
            entries.append(entry)
    if problems:
        raise InputError(problems)
    return entries


def load_emergency(path: Path, label_keys: Iterable[str] | None = None) -> list[EmergencyNumber]:
    """Numbers for the emergency bar; labels must be keys of the German UI strings."""
    source = load(path, what="emergency numbers file")
    problems: list[Problem] = []
    numbers = []
    if not isinstance(source.data, list):
        raise InputError([Problem(str(path), 1, "expected a list of `- label: …` / `phone: …` items",
                                  "see the comment at the top of data/emergency.yml")])
    keys = set(label_keys) if label_keys is not None else None
    for index, data in enumerate(source.data):
        line = source.line(index)
        if not isinstance(data, dict) or not data.get("label") or not data.get("phone"):
            problems.append(Problem(str(path), line, "each item needs `label` and `phone`",
                                    '- label: emergency_police\n      phone: "110"'))
            continue
        if not _PHONE.match(str(data["phone"])):
            problems.append(Problem(str(path), line, f"field `phone`: {data['phone']!r} is not a phone number",
                                    'write digits with spaces in quotes, e.g. "116 016"'))
            continue
        if keys is not None and data["label"] not in keys:
            problems.append(Problem(str(path), line, f"field `label`: {data['label']!r} is not a UI string key",
                                    "add it to data/strings/de.yml (and the other languages)"))
            continue
        numbers.append(EmergencyNumber(str(data["label"]), str(data["phone"])))
    if problems:
        raise InputError(problems)
    return numbers


# ---- rendering ----------------------------------------------------------------------------------


def autonym(code: str, site_names: dict[str, str], reader: str | None = None) -> str:
    """A site language by its own name (readers look for their language); any other language in
    the reader's language (no need for a font of a script the reader may not have), from Babel."""
    if code in site_names:
        return site_names[code]
    try:
        if reader:
            name = Locale.parse(babel_locale(reader)).languages.get(code)
            if name:
                return name
        locale = Locale.parse(code)
        return (locale.get_display_name(locale) or code).split(" (")[0]
    except (ValueError, UnknownLocaleError):
        return code


def format_hours(entry: Entry, lang: str, strings: dict[str, str]) -> str:
    if entry.always:
        return strings["directory_always"]
    if not entry.hours:
        return strings["directory_hours_unknown"]
    locale = babel_locale(lang)
    names = get_day_names("abbreviated", locale=locale)
    parts = []
    for slot in entry.hours:
        days = slot.days
        if len(days) > 2 and list(days) == list(range(days[0], days[-1] + 1)):
            day_text = f"{names[days[0]]}–{names[days[-1]]}"
        else:
            day_text = ", ".join(names[d] for d in days)
        times = f"{format_time(slot.start, 'short', locale=locale)}–{format_time(slot.end, 'short', locale=locale)}"
        parts.append(f'{escape(day_text)} <bdi dir="ltr">{escape(times)}</bdi>')
    return "; ".join(parts)


def _phone_link(phone: str) -> str:
    return f'<a href="tel:{tel_target(phone)}" dir="ltr">{escape(phone)}</a>'


def render_directory(entries: list[Entry], lang: str, strings: dict[str, str], site_names: dict[str, str],
                     default: str = "de") -> str:
    """Markdown page body for one language: kinds as a jump list (works without JS), then entries."""
    kinds = [k for k in KINDS if any(e.kind == k for e in entries)]
    out = [escape(strings["directory_intro"]), ""]
    out.append(f'<nav class="site-directory__kinds" aria-label="{escape(strings["directory_kinds"])}">')
    out.append("<ul>" + "".join(f'<li><a href="#{k}">{escape(strings["kind_" + k])}</a></li>' for k in kinds) + "</ul>")
    out.append("</nav>")
    out.append("")
    locale = babel_locale(lang)
    for kind in kinds:
        out.append(f'<section class="site-directory__kind" id="{kind}">')
        out.append(f"<h2>{escape(strings['kind_' + kind])}</h2>")
        for entry in (e for e in entries if e.kind == kind):
            out.append('<article class="site-directory__entry">')
            out.append(f'<h3 lang="{default}" dir="auto">{escape(entry.name)}</h3>')
            about, about_lang = (entry.about.get(lang), lang) if entry.about.get(lang) else \
                (entry.about.get(default), default)
            if about:
                attrs = "" if about_lang == lang else f' lang="{default}" dir="ltr"'
                out.append(f"<p{attrs}>{escape(about)}</p>")
            out.append("<dl>")
            free = f" ({escape(strings['directory_free'])})" if entry.free else ""
            out.append(f"<dt>{escape(strings['directory_phone'])}</dt><dd>{_phone_link(entry.phone)}{free}</dd>")
            out.append(f"<dt>{escape(strings['directory_hours'])}</dt><dd>{format_hours(entry, lang, strings)}</dd>")
            if entry.languages:
                names = ", ".join(f'<span lang="{c}">{escape(autonym(c, site_names))}</span>' if c in site_names
                                  else escape(autonym(c, site_names, lang)) for c in entry.languages)
                out.append(f"<dt>{escape(strings['directory_languages'])}</dt><dd>{names}</dd>")
            if entry.shown_address:
                out.append(f"<dt>{escape(strings['directory_address'])}</dt><dd>{escape(entry.shown_address)}</dd>")
            elif entry.kind == "shelter":
                out.append(f"<dt>{escape(strings['directory_address'])}</dt>"
                           f"<dd>{escape(strings['directory_address_hidden'])}</dd>")
            if entry.website:
                shown = re.sub(r"^https://(www\.)?", "", entry.website).rstrip("/")
                out.append(f"<dt>{escape(strings['directory_website'])}</dt>"
                           f'<dd><a href="{escape(entry.website)}" rel="noreferrer" dir="ltr">{escape(shown)}</a></dd>')
            checked = format_date(entry.checked, "medium", locale=locale)
            out.append(f"<dt>{escape(strings['directory_checked'])}</dt><dd>{escape(checked)}</dd>")
            out.append("</dl>")
            out.append("</article>")
        out.append("</section>")
        out.append("")
    return "\n".join(out)


def translatable_texts(root: Path) -> Iterator[tuple[str, int, str, dict[str, str]]]:
    """(path, line, key, {lang: text}) of the per-language texts, for the translation status tool."""
    path = root / "data" / "help.yml"
    for entry in load_directory(path):
        if entry.about:
            yield (str(path), entry.line, f"{entry.name}.about", dict(entry.about))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts helpdir", description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=repository_root() / "data" / "help.yml")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"error: {args.file} not found", file=sys.stderr)
        return 2
    try:
        entries = load_directory(args.file)
    except InputError as exc:
        print(exc)
        return 1
    print(f"{display_path(args.file)}: {len(entries)} entries, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
