"""Help directory and emergency numbers: validation (one bad input per error) and rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scripts import helpdir
from scripts.core.problems import InputError
from scripts.core.project import Project

PROJECT = Project.load()

GOOD = """entries:
  - name: Beratungsstelle
    kind: counselling
    phone: "0211 123456"
    hours: ["mo-fr 09:00-17:00", "tu,th 17:00-19:00"]
    languages: [de, ar, ti]
    website: https://example.org/beratung
    address: Marktplatz 1, 40000 Stadt
    public: true
    about: {de: "Hilfe", en: "Help"}
    checked: 2026-11-01
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "help.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_entry_is_read(tmp_path):
    [entry] = helpdir.load_directory(_write(tmp_path, GOOD))
    assert entry.kind == "counselling" and entry.tel == "0211123456" and entry.checked == dt.date(2026, 11, 1)
    assert [s.days for s in entry.hours] == [(0, 1, 2, 3, 4), (1, 3)]
    assert entry.shown_address == "Marktplatz 1, 40000 Stadt"


@pytest.mark.parametrize("old,new,line,message", [
    ('    phone: "0211 123456"\n', "", 2, "entry is missing the field `phone`"),
    ('    phone: "0211 123456"\n', '    phone: "call me"\n', 4, "field `phone`: 'call me' is not a phone number"),
    ("    checked: 2026-11-01\n", "    checked: 2026-13-45\n", 11, "field `checked`: '2026-13-45' is not a date"),
    ("    kind: counselling\n", "    kind: shelterr\n", 3, "field `kind`: unknown kind 'shelterr'"),
    ("    languages: [de, ar, ti]\n", "    languages: [de, arabic]\n", 6, "unknown language code 'arabic'"),
    ('    hours: ["mo-fr 09:00-17:00", "tu,th 17:00-19:00"]\n', '    hours: ["weekdays 9-5"]\n', 5,
     "field `hours`: cannot read 'weekdays 9-5'"),
    ("    website: https://example.org/beratung\n", "    website: www.example.org\n", 7,
     "field `website`: 'www.example.org' is not an https:// address"),
    ("    public: true\n", "    public: true\n    secret: 1\n", 10, "unknown field `secret`"),
])
def test_each_bad_entry_names_line_and_field(tmp_path, old, new, line, message):
    path = _write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(InputError) as info:
        helpdir.load_directory(path)
    [problem] = info.value.problems
    assert problem.line == line and message in problem.message and problem.fix


def test_bad_yaml_and_shape(tmp_path):
    with pytest.raises(InputError) as info:
        helpdir.load_directory(_write(tmp_path, "entries:\n  - name: [x\n"))
    assert "invalid YAML" in str(info.value)
    with pytest.raises(InputError) as info:
        helpdir.load_directory(_write(tmp_path, "- name: x\n"))
    assert "expected a list under `entries:`" in str(info.value)


def test_real_directory_and_emergency_numbers_are_valid():
    entries = helpdir.load_directory(PROJECT.data / "help.yml")
    assert {e.phone for e in entries} >= {"110", "112", "116 016", "0800 1239900", "116 111"}
    numbers = helpdir.load_emergency(PROJECT.data / "emergency.yml", label_keys=PROJECT.strings("de").keys())
    assert [n.tel for n in numbers] == ["110", "112", "116016", "08001239900", "116111"]


def test_emergency_label_must_be_a_string_key(tmp_path):
    path = tmp_path / "emergency.yml"
    path.write_text('- label: emergency_polize\n  phone: "110"\n', encoding="utf-8")
    with pytest.raises(InputError) as info:
        helpdir.load_emergency(path, label_keys={"emergency_police"})
    assert "not a UI string key" in str(info.value) and ":1:" in str(info.value)


@pytest.mark.parametrize("lang", ["de", "en", "fr", "ar", "fa", "ps", "ku", "tr", "ru", "ti"])
def test_render_in_every_language(tmp_path, lang):
    entries = helpdir.load_directory(_write(tmp_path, GOOD))
    strings = PROJECT.strings(lang)
    html = helpdir.render_directory(entries, lang, strings, {"de": "Deutsch", "ar": "العربية", "ti": "ትግርኛ"})
    assert 'href="tel:0211123456" dir="ltr"' in html
    assert strings["kind_counselling"] in html and strings["directory_phone"] in html
    assert '<span lang="ar">العربية</span>' in html and '<span lang="ti">ትግርኛ</span>' in html
    assert "Marktplatz 1" in html


def test_hidden_address_and_hours_formatting(tmp_path):
    text = GOOD.replace("    public: true\n", "").replace("kind: counselling", "kind: shelter")
    [entry] = helpdir.load_directory(_write(tmp_path, text))
    html = helpdir.render_directory([entry], "de", PROJECT.strings("de"), {})
    assert "Marktplatz" not in html and PROJECT.strings("de")["directory_address_hidden"] in html
    assert "Mo.–Fr." in html and "09:00–17:00" in html
