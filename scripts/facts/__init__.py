"""Facts held once: numbers, durations and counts that change over time or differ by Land live in
data/facts.yml with their source and the date they were checked; pages write `{{ fact:<id> }}`.

A page in any language shows the fact's value in that language (German, marked as German, where a value
is missing), so changing a fact changes all ten languages at once and outdates no translation. The
translation safety check makes sure every placeholder of the German page is also in each translation.

data/facts.yml:
    facts:
      - id: police-ban-police            # lower-case letters, digits, `-`; used as {{ fact:police-ban-police }}
        source: Polizeigesetz Baden-Württemberg   # the law or the service the value comes from
        url: https://www.landesrecht-bw.de/        # optional, https://
        land: Baden-Württemberg                    # optional: the value holds for this Land only
        checked: 2026-11-30                        # when someone last checked the value
        value:                                     # the value as it reads in a sentence, per language
          de: 4 Werktage
          en: 4 working days
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from scripts.core.pages import FACT_PLACEHOLDER
from scripts.core.problems import InputError, Problem
from scripts.core.yamlsrc import load

PLACEHOLDER = FACT_PLACEHOLDER
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,60}$")
FIELDS = {"id", "source", "url", "land", "checked", "value"}


@dataclass(frozen=True)
class Fact:
    id: str
    values: dict[str, str]
    source: str
    checked: dt.date
    line: int
    url: str = ""
    land: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # line of each language's value

    def value(self, lang: str, default: str) -> tuple[str, str]:
        """(value, language of the value): German where the language has none."""
        if self.values.get(lang):
            return self.values[lang], lang
        return self.values.get(default, self.id), default


def load_facts(path: Path, default: str = "de") -> dict[str, Fact]:
    """Every fact by id; an absent file is no facts. InputError with every problem (file, line, field)."""
    if not path.exists():
        return {}
    source = load(path, what="facts file")
    raw = source.data.get("facts") if isinstance(source.data, dict) else None
    if source.data is None:
        return {}
    if not isinstance(raw, list):
        raise InputError([Problem(str(path), 1, "expected a list under `facts:`",
                                  "start the file with `facts:` and one `- id: …` block per fact")])
    facts: dict[str, Fact] = {}
    problems: list[Problem] = []
    for index, item in enumerate(raw):
        at = ("facts", index)
        line = source.line(*at)
        if not isinstance(item, dict):
            problems.append(Problem(str(path), line, "a fact must be `field: value` lines", "see the top of the file"))
            continue
        for key in item.keys() - FIELDS:
            problems.append(Problem(str(path), source.line(*at, key), f"unknown field `{key}`",
                                    f"use one of: {', '.join(sorted(FIELDS))}"))
        fact_id = str(item.get("id") or "")
        values = item.get("value")
        checked = item.get("checked")
        url = str(item.get("url") or "")
        before = len(problems)
        if not _ID.match(fact_id):
            problems.append(Problem(str(path), source.line(*at, "id"), f"`id` {fact_id!r} is not usable",
                                    "use lower-case letters, digits and `-`, e.g. police-ban-police"))
        elif fact_id in facts:
            problems.append(Problem(str(path), source.line(*at, "id"), f"fact `{fact_id}` is given twice",
                                    "give every fact its own id"))
        if not str(item.get("source") or "").strip():
            problems.append(Problem(str(path), line, f"fact `{fact_id}` has no `source`",
                                    "name the law or service the value comes from, e.g. `source: § 2 GewSchG`"))
        if not isinstance(checked, dt.date):
            problems.append(Problem(str(path), source.line(*at, "checked"), f"fact `{fact_id}`: `checked` must be a "
                                    "date", "write the date the value was last checked, e.g. `checked: 2026-11-30`"))
        if url and not url.startswith("https://"):
            problems.append(Problem(str(path), source.line(*at, "url"), f"fact `{fact_id}`: `url` must start with "
                                    "https://", "copy the full address from the browser"))
        if not isinstance(values, dict) or not all(isinstance(v, (str, int, float)) for v in values.values()):
            problems.append(Problem(str(path), source.line(*at, "value"), f"fact `{fact_id}`: `value` must give "
                                    "one text per language", "write for example `value: {de: 4 Werktage, en: …}`"))
        elif not str(values.get(default) or "").strip():
            problems.append(Problem(str(path), source.line(*at, "value"), f"fact `{fact_id}` has no German value",
                                    f"add `{default}: …` under `value:`"))
        if len(problems) > before:
            continue
        facts[fact_id] = Fact(fact_id, {str(k): str(v).strip() for k, v in values.items()},
                              str(item["source"]).strip(), checked, line, url, str(item.get("land") or ""),
                              {str(k): source.line(*at, "value", k) for k in values})
    if problems:
        raise InputError(problems)
    return facts


def placeholders(text: str) -> list[tuple[int, str]]:
    """(line, fact id) of every `{{ fact:id }}` in a text."""
    return [(text.count("\n", 0, m.start()) + 1, m.group(1)) for m in PLACEHOLDER.finditer(text)]


def expand(markdown: str, facts: dict[str, Fact], lang: str, default: str) -> str:
    """The Markdown with every known placeholder replaced by the value in `lang` (unknown ones stay visible;
    the preflight check refuses them)."""
    def value(match: re.Match[str]) -> str:
        fact = facts.get(match.group(1))
        if fact is None:
            return match.group(0)
        text, used = fact.value(lang, default)
        marked = f' lang="{used}"' if used != lang else ""
        return f'<span class="site-fact"{marked}>{escape(text)}</span>'
    return PLACEHOLDER.sub(value, markdown)


def used_facts(markdown: str, facts: dict[str, Fact]) -> list[Fact]:
    """The facts a page uses, in order of first use."""
    ids = dict.fromkeys(fact_id for _, fact_id in placeholders(markdown))
    return [facts[i] for i in ids if i in facts]


def translatable_texts(root: Path) -> Iterator[tuple[str, int, str, dict[str, str]]]:
    """(path, line, key, {lang: text}) of every fact value, for the translation status tool."""
    path = root / "data" / "facts.yml"
    for fact in load_facts(path).values():
        yield str(path), fact.line, f"{fact.id}.value", dict(fact.values)


@dataclass(frozen=True)
class AsOf:
    """What a handout says about how current its facts are: a date and the sources."""

    checked: dt.date | None
    sources: tuple[str, ...]


def as_of(page_checked: object, used: list[Fact], laws: list[str]) -> AsOf:
    """The page's own `checked:` date, else the oldest check of the facts it uses; sources: the facts'
    sources, then the laws the page cites (each once)."""
    checked = page_checked if isinstance(page_checked, dt.date) else None
    if checked is None and used:
        checked = min(fact.checked for fact in used)
    sources = [fact.source for fact in used] + list(laws)
    return AsOf(checked, tuple(dict.fromkeys(s for s in sources if s)))


def as_of_texts(when: AsOf, strings: dict[str, str], locale: str) -> dict[str, object]:
    """The "as of" line in the reader's language, the sources label, and the sources (German names of laws
    and services, shown as isolated left-to-right runs so they read right inside right-to-left text)."""
    from babel.dates import format_date

    return {"date": strings["asof"].format(date=format_date(when.checked, "long", locale=locale))
            if when.checked else "",
            "label": strings["asof_sources"], "sources": list(when.sources)}
