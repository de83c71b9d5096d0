"""Event calendar: schema and validation, Babel dates in ten locales, upcoming/past, HTML, JSON-LD, .ics."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.dates import get_day_names, get_month_names
from icalendar import Calendar

from scripts import events as ev
from scripts.core.problems import InputError
from scripts.core.project import Project
from scripts.core.strings import check_strings
from scripts.events.render import babel_locale
from tests.conftest import ROOT

PROJECT = Project.load()

FIXTURES = Path(__file__).parent / "fixtures" / "events"
SITE = ["de", "en", "fr", "ar", "fa", "ps", "ku", "tr", "ru", "ti"]
HANDOUTS = {"gewalt", "rechte", "hilfe", "kinder", "maenner", "sicherheitsplan"}
TODAY = date(2026, 11, 25)
STAMP = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def load(name: str) -> list[ev.Event]:
    return ev.load_events(FIXTURES / name, SITE, HANDOUTS)


def problems(name: str) -> list:
    with pytest.raises(InputError) as info:
        load(name)
    return info.value.problems


@pytest.fixture(scope="module")
def good() -> dict[str, ev.Event]:
    return {event.id: event for event in load("good.yml")}


# ---- model ----------------------------------------------------------------------------------------------

def test_good_file_loads_with_time_zone_and_defaults(good):
    a, b, c = good["a-frauen"], good["b-offen"], good["c-eltern"]
    assert a.start.isoformat() == "2026-12-03T18:30:00+01:00"
    assert a.end.isoformat() == "2026-12-03T20:00:00+01:00"
    assert a.status == "scheduled" and a.languages == ("ar", "so") and a.venue.shown_address is None
    assert a.contact and a.contact.phone_digits == "0123456789"
    assert b.end.hour == 11 and b.end.minute == 30 and b.status == "cancelled"      # duration: 1 h 30 min
    assert c.status == "postponed" and c.description == {}
    assert a.text("title", "ar") == ("حقوقك", "ar") and a.text("title", "fa") == ("Ihre Rechte", "de")


def test_summer_time_offset():
    events = ev.load_events(ROOT / "data" / "events.yml", SITE, HANDOUTS)
    [event] = [e for e in events if e.id == "2026-09-frauen-ar"]
    assert event.start.utcoffset().total_seconds() == 7200


@pytest.mark.parametrize("fixture, line, message, fix", [
    ("unknown_language.yml", 5, "event `x`, field `languages`: unknown language code `xx`", "mkdocs.yml"),
    ("end_before_start.yml", 4, "field `end`: end before start", "check the times"),
    ("bad_date.yml", 3, "field `start`: bad date `2026-13-03 18:30`", "YYYY-MM-DD HH:MM"),
    ("duplicate_id.yml", 10, "event `same`, field `id`: duplicate id (first used on line 2)", "its own id"),
    ("unknown_venue_kind.yml", 10, "field `venue.kind`: unknown venue kind `shelter`", "refugee-shelter"),
    ("unknown_handout.yml", 7, "field `topic`: unknown handout `wohnung`", "docs/de/"),
    ("bad_yaml.yml", 5, "invalid YAML", "double quotes"),
    ("public_shelter.yml", 8, "field `venue.public`: a shelter address would be published", "public: false"),
])
def test_each_error_names_file_line_field_and_fix(fixture, line, message, fix):
    [problem] = problems(fixture)
    assert problem.path.endswith(f"fixtures/events/{fixture}")
    assert problem.line == line, str(problem)
    assert message in problem.message, str(problem)
    assert fix in problem.fix, str(problem)
    assert f"{fixture}:{line}: " in str(problem)


def test_wrong_types_are_readable_not_tracebacks():
    found = {(p.line, p.message.split(": ", 1)[0]) for p in problems("wrong_types.yml")}
    assert found == {(5, "event `x`, field `languages`"), (6, "event `x`, field `audience`"),
                     (8, "event `x`, field `venue.public`"), (10, "event `x`, field `colour`")}
    texts = " ".join(str(p) for p in problems("wrong_types.yml"))
    assert "valid list" in texts and "`kids` is not allowed" in texts and "unknown field" in texts
    assert "women, men, parents, everyone" in texts


def test_missing_fields_and_german_title_required():
    found = problems("missing_fields.yml")
    assert [(p.line, p.message) for p in found] == [
        (2, "event `x`, field `topic`: is missing"),
        (2, "event `x`: `end` or `duration` is missing"),
        (7, "event `x`, field `title`: the German text (`de:`) is missing"),
    ]


def test_all_problems_reported_at_once_sorted_by_line():
    found = problems("many_problems.yml")
    assert [p.line for p in found] == [4, 5, 8, 11, 15, 17]
    assert "end before start" in found[0].message and "castle" in found[2].message
    assert "unknown language code `zz`" in found[-1].message and "site languages" in found[-1].fix


def test_extra_event_languages_allowed_but_not_for_texts(tmp_path):
    path = tmp_path / "e.yml"
    text = FIXTURES.joinpath("good.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("ar: حقوقك", "so: Xuquuq"), encoding="utf-8")
    [problem] = problems_of(path)
    assert "unknown language code `so`" in problem.message and problem.line == 15


def problems_of(path: Path) -> list:
    with pytest.raises(InputError) as info:
        ev.load_events(path, SITE, HANDOUTS)
    return info.value.problems


def test_empty_and_odd_files(tmp_path):
    empty = tmp_path / "empty.yml"
    empty.write_text("", encoding="utf-8")
    assert ev.load_events(empty, SITE, HANDOUTS) == []
    odd = tmp_path / "odd.yml"
    odd.write_text("- just\n- a list\n", encoding="utf-8")
    [problem] = problems_of(odd)
    assert "expected `events:`" in problem.message
    latin1 = tmp_path / "latin1.yml"
    latin1.write_bytes("events:\n  - id: x\n    title: {de: Männer}\n".encode("latin-1"))
    [problem] = problems_of(latin1)
    assert problem.line == 3 and "UTF-8" in problem.message


def test_real_calendar_is_valid_and_realistic():
    site = [lang.code for lang in Project.load().languages]
    handouts = {p.stem for p in (ROOT / "docs" / "de").glob("*.md")}
    events = ev.load_events(ROOT / "data" / "events.yml", site, handouts)
    assert 18 <= len(events) <= 25
    assert {e.status for e in events} == {"scheduled", "cancelled", "postponed"}
    upcoming, past = ev.split_events(events, TODAY)
    assert len(past) >= 3 and len(upcoming) > len(past)
    assert all(not e.venue.public for e in events if e.venue.kind == "refugee-shelter")
    assert set(site) - {"de"} <= {code for e in events for code in e.languages}


# ---- command line ---------------------------------------------------------------------------------------

def test_validate_command_exit_codes(capsys):
    assert ev.main(["validate", str(FIXTURES / "good.yml")]) == 0
    assert "3 events OK" in capsys.readouterr().out
    assert ev.main(["validate", str(FIXTURES / "many_problems.yml")]) == 1
    out = capsys.readouterr().out
    assert "many_problems.yml:4: " in out and "fix: " in out and "6 problems" in out
    assert ev.main(["validate", str(FIXTURES / "missing.yml")]) == 2
    assert ev.main([]) == 2
    assert ev.main(["frobnicate"]) == 2


# ---- dates in all ten locales ---------------------------------------------------------------------------

H24 = {"de", "fr", "fa", "ps", "ku", "tr", "ru"}


@pytest.mark.parametrize("lang", SITE)
def test_babel_dates_in_every_locale(good, lang):
    day, time_range = ev.format_when(good["a-frauen"], lang)
    locale = babel_locale(lang)
    assert get_day_names("wide", "format", locale=locale)[3] in day        # Thursday
    assert any(name in day for name in (get_month_names("wide", "format", locale=locale)[12],
                                        get_month_names("wide", "stand-alone", locale=locale)[12]))
    assert "2026" in day and "3" in day
    if lang in H24:
        assert "18:30" in time_range and "20:00" in time_range
    else:
        assert "6:30" in time_range and "8:00" in time_range


def test_babel_dates_exact_german_and_english(good):
    assert ev.format_when(good["a-frauen"], "de") == ("Donnerstag, 3. Dezember 2026", "18:30–20:00 Uhr")
    assert ev.format_when(good["a-frauen"], "en")[0] == "Thursday, December 3, 2026"


# ---- upcoming / past and HTML ---------------------------------------------------------------------------

def test_split_with_fixed_today(good):
    upcoming, past = ev.split_events(good.values(), TODAY)
    assert [e.id for e in upcoming] == ["c-eltern", "a-frauen"]      # today's event is still upcoming
    assert [e.id for e in past] == ["b-offen"]
    upcoming, past = ev.split_events(good.values(), date(2026, 12, 4))
    assert upcoming == [] and [e.id for e in past] == ["a-frauen", "c-eltern", "b-offen"]


class _Checker(HTMLParser):
    VOID = {"br", "input", "meta", "link", "img", "hr"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(tag)
        if tag == "script":
            assert dict(attrs).get("type") == "application/ld+json"
            self._in_script = True
        assert not any(name == "style" or name.startswith("on") for name, _ in attrs)

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"unbalanced </{tag}>"
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def render(events, lang="de", **kwargs):
    names = {"ar": "العربية", "de": "Deutsch", "tr": "Türkçe"}
    options = {"page_depth": 0, "language_names": names, **kwargs}
    return ev.render_events_html(list(events), lang, TODAY, PROJECT.strings(lang, "strings-events"), **options)


def test_html_sections_order_and_attributes(good):
    html = render(good.values())
    checker = _Checker()
    checker.feed(html)
    assert checker.stack == []
    upcoming_part, past_part = html.split('id="ev-past"')
    assert upcoming_part.index('id="ev-c-eltern"') < upcoming_part.index('id="ev-a-frauen"')
    assert 'id="ev-b-offen"' in past_part
    assert 'data-start="2026-12-03T18:30+01:00" data-end="2026-12-03T20:00+01:00"' in html
    assert 'data-languages="ar so" data-audience="women"' in html
    assert '<time datetime="2026-12-03T18:30+01:00">Donnerstag, 3. Dezember 2026</time>' in html
    assert '<span lang="ar" dir="rtl">العربية</span>, <span lang="so" dir="ltr">Soomaali</span>' in html
    assert '<a href="rechte.html">' in html and '<a href="events/a-frauen.ics" type="text/calendar">' in html
    assert "Geheimweg" not in html and "Die Adresse wird nicht veröffentlicht" in html
    assert "Nordring 40" in html
    assert '<a href="tel:0123456789" dir="ltr">0123 456789</a>' in html
    assert "data-ev-filter hidden" in html                          # filters appear only with events.js


def test_cancelled_and_postponed_are_marked_in_words(good):
    html = render(good.values(), "en")
    assert 'ev-item--cancelled' in html
    assert '<strong class="ev-status ev-status--cancelled">Cancelled</strong>' in html
    assert "Postponed – new date to follow" in html


def test_fallback_texts_marked_german_with_notice(good):
    html = render(good.values(), "fa")
    assert '<span lang="de" dir="ltr">Ihre Rechte</span> <span class="ev-fallback">(هنوز ترجمه نشده' in html
    assert '<span class="ev-item__name">حقوقك</span>' in render(good.values(), "ar")
    assert "ev-fallback" not in render(good.values(), "de")


def test_page_depth_and_handout_titles(good):
    html = render(good.values(), page_depth=1, handout_titles={"rechte": "Ihre Rechte"})
    assert '<a href="../rechte.html">Infoblatt zum Thema: Ihre Rechte</a>' in html
    assert 'href="../events/a-frauen.ics"' in html and 'href="../events.ics"' in html


def test_home_teaser_limit(good):
    html = render(good.values(), limit=1, show_filters=False)
    assert 'data-ev-limit="1"' in html and "ev-filter" not in html and "ev-past" not in html
    assert 'id="ev-c-eltern"' in html and 'id="ev-a-frauen"' in html and "ev-b-offen" not in html
    assert re.search(r'id="ev-a-frauen"[^>]* hidden>', html)          # spare for events.js
    assert 'href="events.html"' in html and "application/ld+json" not in html


def test_empty_calendar_says_so():
    html = render([])
    assert "Zurzeit sind keine Termine geplant." in html and 'data-ev-none>' in html


def test_jsonld_per_event_hides_address(good):
    checker = _Checker()
    checker.feed(render(good.values(), "ar"))
    data = {item["identifier"]: item for item in map(json.loads, checker.scripts)}
    assert set(data) == {"a-frauen", "b-offen", "c-eltern"}
    a = data["a-frauen"]
    assert a["@type"] == "Event" and a["inLanguage"] == ["ar", "so"] and a["name"] == "حقوقك"
    assert a["eventStatus"] == "https://schema.org/EventScheduled" and "address" not in a["location"]
    assert a["startDate"] == "2026-12-03T18:30+01:00"
    assert data["b-offen"]["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["b-offen"]["location"]["address"]["streetAddress"].startswith("Nordring 40")
    assert data["c-eltern"]["eventStatus"] == "https://schema.org/EventPostponed"


def test_jsonld_cannot_close_its_script(good):
    event = good["a-frauen"]
    evil = ev.Event(**{**event.__dict__, "title": {"de": "</script><script>alert(1)</script>"}})
    html = render([evil])
    assert "</script><script>alert" not in html and html.count("</script>") == 1


# ---- iCalendar ------------------------------------------------------------------------------------------

def _unfold(data: bytes) -> list[str]:
    """A second, independent reading of the file: RFC 5545 line rules done by hand."""
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def test_event_ics_round_trip(good):
    data = ev.event_ics(good["a-frauen"], "ar", PROJECT.strings("ar", "strings-events"), stamp=STAMP)
    cal = Calendar.from_ical(data)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["UID"]) == "a-frauen@leben-ohne-gewalt"
    assert vevent.decoded("DTSTART") == good["a-frauen"].start
    assert vevent["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert vevent.decoded("DTSTAMP") == STAMP
    assert vevent["SUMMARY"].params["LANGUAGE"] == "ar" and str(vevent["SUMMARY"]) == "حقوقك"
    assert vevent["DESCRIPTION"].params["LANGUAGE"] == "de"                # German fallback, labelled
    assert str(vevent["STATUS"]) == "CONFIRMED" and str(vevent["LOCATION"]) == "Unterkunft Ost"
    [tz] = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/Berlin"
    lines = _unfold(data)
    assert "Geheimweg" not in data.decode("utf-8")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "DTSTART;TZID=Europe/Berlin:20261203T183000" in lines
    assert "UID:a-frauen@leben-ohne-gewalt" in lines


def test_feed_per_language_with_status_and_languages(good):
    data = ev.feed_ics(good.values(), "tr", PROJECT.strings("tr", "strings-events"), stamp=STAMP)
    cal = Calendar.from_ical(data)
    by_uid = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(by_uid) == {f"{i}@leben-ohne-gewalt" for i in good}
    cancelled = by_uid["b-offen@leben-ohne-gewalt"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled["SUMMARY"].params["LANGUAGE"] == "tr" and "Şehirde yardım" in str(cancelled["SUMMARY"])
    assert "Nordring 40" in str(cancelled["LOCATION"])
    assert str(by_uid["c-eltern@leben-ohne-gewalt"]["STATUS"]) == "TENTATIVE"
    assert by_uid["a-frauen@leben-ohne-gewalt"]["SUMMARY"].params["LANGUAGE"] == "de"
    assert len(cal.walk("VTIMEZONE")) == 1
    lines = _unfold(data)
    assert sum(line == "BEGIN:VEVENT" for line in lines) == 3
    assert any(line.startswith("STATUS:CANCELLED") for line in lines)
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()   # stable round trip


def render_all_outputs() -> bytes:
    """Every calendar output for good.yml in every language, as a build writes them; DTSTAMP comes from
    SOURCE_DATE_EPOCH as in the site hook. Run in fresh processes by the test below."""
    stamp = datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), UTC)
    found = load("good.yml")
    out = []
    for lang in SITE:
        strings = PROJECT.strings(lang, "strings-events")
        out.append(ev.feed_ics(found, lang, strings, stamp=stamp))
        out += [ev.event_ics(event, lang, strings, stamp=stamp) for event in found]
        out.append(render(found, lang).encode("utf-8"))
    return b"".join(out)


def _outputs_in_new_process(hash_seed: str, tz: str) -> bytes:
    code = "import sys; from tests.test_events import render_all_outputs; sys.stdout.buffer.write(render_all_outputs())"
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(STAMP.timestamp())), "PYTHONHASHSEED": hash_seed, "TZ": tz}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return result.stdout


def test_calendar_outputs_are_byte_identical_across_processes():
    # two fresh interpreters that differ in hash seed (set and dict order) and in system time zone
    first = _outputs_in_new_process("1", "UTC")
    second = _outputs_in_new_process("2", "America/Los_Angeles")
    assert first.count(b"BEGIN:VCALENDAR") == len(SITE) * 4           # a feed and three event files per language
    assert first.count(b'id="ev-a-frauen"') == len(SITE)              # and the events HTML
    assert b"DTSTAMP:20261101T120000Z" in first                         # the stamp is SOURCE_DATE_EPOCH
    assert first == second


# ---- UI strings, translatable texts, browser files ---------------------------------------------------------

def test_event_strings_complete_in_all_ten_languages():
    problems = check_strings(PROJECT.strings_dir("strings-events"), SITE)
    assert problems == [], "\n".join(map(str, problems))
    german = PROJECT.strings("de", "strings-events")
    for lang in SITE:
        strings = PROJECT.strings(lang, "strings-events")
        assert strings.keys() == german.keys()
        assert lang == "de" or strings["upcoming"] != german["upcoming"]
    assert re.search("[\u1200-\u137f]", PROJECT.strings("ti", "strings-events")["upcoming"])        # Ge'ez script
    assert re.fullmatch(r"[A-Za-zÇçÊêÎîÛûŞş ]+", PROJECT.strings("ku", "strings-events")["upcoming"])  # Kurmanji, Latin


def test_translatable_texts():
    items = list(ev.translatable_texts(FIXTURES / "good.yml"))
    keys = {key: (line, texts) for _, line, key, texts in items}
    assert keys["a-frauen.title"] == (13, {"de": "Ihre Rechte", "ar": "حقوقك"})
    assert keys["a-frauen.accessibility"][1] == {"de": "Stufenlos erreichbar."}
    assert "c-eltern.description" not in keys
    assert any(key.endswith(".title") for _, _, key, _ in ev.translatable_texts(ROOT))


def test_browser_files_store_nothing_and_are_rtl_aware():
    js = (ROOT / "docs" / "assets" / "javascripts" / "events.js").read_text(encoding="utf-8")
    js = re.sub(r"/\*.*?\*/", "", js, flags=re.S)                              # code only, not comments
    for forbidden in ("localStorage", "sessionStorage", "document.cookie", "history.", "fetch(", "eval("):
        assert forbidden not in js
    css = (ROOT / "docs" / "assets" / "stylesheets" / "events.css").read_text(encoding="utf-8")
    assert "min-height: 44px" in css and "inline-start" in css
    assert not re.search(r"(margin|padding)-(left|right)|[^-]\b(left|right):", css)
