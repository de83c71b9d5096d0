"""Release gate: what must not go live. `make release` runs it before the build; `make build` does not.

Refused (stage "release", every problem as `file:line: message` + `fix:`):
  placeholders  starter contacts and addresses in docs/**/*.md and data/**/*.yml (see PLACEHOLDERS),
                bracketed placeholders like `[Name der Stelle]`, TODO/FIXME/Platzhalter/Lorem ipsum,
                and an about page whose imprint section gives no postal address and no https:// link
  site-url      an empty (or non-https, or placeholder) site_url in mkdocs.yml / SITE_URL
  checked       a `checked:` date older than 12 months in data/help.yml and data/facts.yml (if present)

`python -m scripts.checks.release [--config mkdocs.yml] [--today YYYY-MM-DD]`; exit 0 nothing found,
1 problems (the preflight errors of `make build` included), 2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from scripts.core.checks import check
from scripts.core.pages import cached_page
from scripts.core.problems import InputError, Problem, display_path
from scripts.core.project import Project, repository_root
from scripts.core.yamlsrc import load, read_text, scalars

# Set by `main(--today)`; the checks also take `today=` directly (tests).
TODAY: dt.date | None = None
MAX_AGE_MONTHS = 12

_FIX_CONTACT = "replace it with the real contact (or delete the line) before publishing"
_FIX_PLACE = "replace it with the real name or address (or delete the line) before publishing"
_FIX_TEXT = "finish the text and remove the marker before publishing"

# (pattern, fix) for every text line that goes live. Digits are compared as ASCII (١٢٣ = 123).
PLACEHOLDERS: tuple[tuple[re.Pattern[str], str], ...] = (
    # reserved example domains (RFC 2606): anything@stadt.example, www.example.org, example.com
    (re.compile(r"(?:[\w.+-]+@)?(?:[\w-]+\.)*(?:example\.(?:com|org|net)|[\w-]+\.example)(?![\w-])", re.I),
     _FIX_CONTACT),
    # dummy phone numbers 0123 …: "0123 4567890", "0123 456789", "0123/45678", tel:0123456789 (no real
    # German number starts with 0123)
    (re.compile(r"(?<![\d+])0123(?:[ /-]?\d){4,}"), _FIX_CONTACT),
    (re.compile(r"\b(?:Frau|Herr)\s+Beispiel\b|\bBeispiel(?:stadt|stra(?:ß|ss)e|weg|platz)\b"
                r"|\bMuster(?:stadt|stra(?:ß|ss)e|mann)\b", re.I), _FIX_PLACE),
    (re.compile(r"\b(?:TODO|FIXME)\b|\bPlatzhalter\b|\blorem ipsum\b", re.I), _FIX_TEXT),
)
# `[Name der Stelle]`: square brackets around words that are no link (`[text](…)`, `[text][ref]`,
# `[ref]: …`), no footnote (`[^1]`) and no checkbox (`[ ]`, `[x]`)
_BRACKETS = re.compile(r"(?<![\]\\])\[(?!\^)([^\[\]\n]*[^\W\d_][^\[\]\n]*)\](?![(\[:])")
_REF_LABEL = re.compile(r"^\s{0,3}\[([^\]]+)\]:")
_INLINE_CODE = re.compile(r"`[^`\n]*`")
_FIX_BRACKETS = "replace the bracketed placeholder with the real text before publishing"
_FENCE = re.compile(r"^\s*(```|~~~)")
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")


def current_date() -> dt.date:
    """Today, or the date given with `--today`."""
    return TODAY or dt.date.today()


def _ascii_digits(line: str) -> str:
    """The line with every decimal digit (Arabic-Indic, Persian, …) as ASCII; same length."""
    if line.isascii():
        return line
    return _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m[0])), line)


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _problem(path: Path, line: int, found: list[str], fixes: list[str]) -> Problem:
    shown = ", ".join(f"`{text.strip()}`" for text in _dedupe(found))
    return Problem(str(path), line, f"placeholder {shown} must not go live", "; ".join(_dedupe(fixes)))


def line_placeholders(line: str) -> tuple[list[str], list[str]]:
    """(texts found, fixes) of the literal placeholder patterns in one line."""
    found: list[str] = []
    fixes: list[str] = []
    text = _ascii_digits(line)
    for pattern, fix in PLACEHOLDERS:
        for match in pattern.finditer(text):
            found.append(line[match.start():match.end()])
            fixes.append(fix)
    return found, fixes


def bracket_placeholders(text: str, labels: Collection[str] = ()) -> list[str]:
    """`[Name der Stelle]`-style placeholders in one line of text (inline code ignored)."""
    text = _INLINE_CODE.sub(lambda m: " " * len(m[0]), text)
    return [m[0] for m in _BRACKETS.finditer(text)
            if m[1].strip().casefold() not in ("x", *labels)]


def markdown_placeholders(path: Path) -> Iterator[Problem]:
    """Placeholders in one Markdown page, line by line (front matter included: titles go live)."""
    try:
        lines = read_text(path, "page").splitlines()
    except InputError:
        return  # reported by the content check
    labels = {m[1].strip().casefold() for line in lines if (m := _REF_LABEL.match(line))}
    fenced = False
    for number, line in enumerate(lines, 1):
        found, fixes = line_placeholders(line)
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            brackets = bracket_placeholders(line, labels)
            found += brackets
            fixes += [_FIX_BRACKETS] * len(brackets)
        if found:
            yield _problem(path, number, found, fixes)


def yaml_placeholders(path: Path) -> Iterator[Problem]:
    """Placeholders in one data file: every line except whole-line comments (they are never shown), and
    bracketed placeholders in its texts (a YAML `[de, en]` is a list, not a text)."""
    try:
        lines = read_text(path, "data file").splitlines()
    except InputError:
        return  # reported by the file's own check
    by_line: dict[int, tuple[list[str], list[str]]] = {}
    for number, line in enumerate(lines, 1):
        if not line.lstrip().startswith("#"):
            found, fixes = line_placeholders(line)
            if found:
                by_line[number] = (found, fixes)
    try:
        source = load(path, plain_times=True)
    except InputError:
        source = None  # reported by the file's own check; the line patterns above still apply
    if source is not None:
        for at, value in scalars(source.data):
            if isinstance(value, str) and (brackets := bracket_placeholders(value)):
                found, fixes = by_line.setdefault(source.line(*at), ([], []))
                found += brackets
                fixes += [_FIX_BRACKETS] * len(brackets)
    for number in sorted(by_line):
        yield _problem(path, number, *by_line[number])


def data_files(project: Project) -> list[Path]:
    """Every YAML file under data/."""
    if not project.data.is_dir():
        return []
    return sorted(p for p in project.data.rglob("*") if p.suffix in (".yml", ".yaml") and p.is_file())


@check("release-placeholders", "error", "release")
def placeholders(project: Project) -> Iterator[Problem]:
    """Starter contacts, addresses and placeholder texts in docs/**/*.md and data/**/*.yml."""
    if project.docs.is_dir():
        for page in sorted(project.docs.rglob("*.md")):
            yield from markdown_placeholders(page)
    for path in data_files(project):
        yield from yaml_placeholders(path)


# --- the about page's imprint -------------------------------------------------------------------------

_H2 = re.compile(r"^##\s+(.*?)\s*#*\s*$")
_H1_OR_H2 = re.compile(r"^#{1,2}\s")
_POSTAL_ADDRESS = re.compile(r"\b\d{5}\s+\w")  # "70173 Stuttgart"
_IMPRINT_LINK = re.compile(r"https://\S+")
IMPRINT_PAGE = "about.md"


def h2_sections(lines: list[str]) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """(line, heading text, body lines with their numbers) of every `## ` section, outside front matter
    and code blocks."""
    start = 0
    if lines and lines[0].strip() == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), 0)
    sections: list[tuple[int, str, list[tuple[int, str]]]] = []
    fenced = False
    current: list[tuple[int, str]] | None = None
    for index in range(start, len(lines)):
        line, number = lines[index], index + 1
        if _FENCE.match(line):
            fenced = not fenced
        if not fenced and _H1_OR_H2.match(line):
            heading = _H2.match(line)
            current = None
            if heading:
                current = []
                sections.append((number, heading[1], current))
            continue
        if current is not None:
            current.append((number, line))
    return sections


def _imprint_index(sections: list[tuple[int, str, list[tuple[int, str]]]]) -> int | None:
    return next((i for i, (_, title, _) in enumerate(sections) if "impressum" in title.casefold()), None)


def imprint_problems(project: Project) -> Iterator[Problem]:
    """The imprint section of docs/<lang>/about.md (German: the `## …Impressum…` heading; a translation:
    the heading at the same position, else its `## …Impressum…` heading) must give a postal address with
    a five-digit postcode (`70173 Stuttgart`) or an https:// link to the publisher's imprint."""
    source = project.docs / project.default / IMPRINT_PAGE
    if not source.is_file():
        return
    try:
        german = h2_sections(read_text(source, "page").splitlines())
    except InputError:
        return
    position = _imprint_index(german)
    if position is None:
        return
    for code in project.codes:
        page = project.docs / code / IMPRINT_PAGE
        if not page.is_file():
            continue
        try:
            sections = german if code == project.default else h2_sections(read_text(page, "page").splitlines())
        except InputError:
            continue
        index = position if len(sections) == len(german) else _imprint_index(sections)
        if index is None:
            continue
        heading_line, title, body = sections[index]
        text = "\n".join(_ascii_digits(line) for _, line in body)
        if _POSTAL_ADDRESS.search(text) or _IMPRINT_LINK.search(text):
            continue
        line = next((number for number, text in body if text.strip()), heading_line)
        fix = ("write the publisher's name, street, postcode and town and who is responsible, or link the city's "
               "imprint (https://…)" if code == project.default else
               f"translate the finished imprint of docs/{project.default}/{IMPRINT_PAGE} into this page")
        yield Problem(str(page), line, f"imprint placeholder: the section „{title}“ gives no postal address "
                      "(postcode and town) and no https:// link to an imprint", fix)


@check("release-imprint", "error", "release")
def imprint(project: Project) -> Iterator[Problem]:
    """The about page's imprint names a real postal address or links a real imprint (every language)."""
    yield from imprint_problems(project)


# --- site_url -----------------------------------------------------------------------------------------

def config_line(project: Project, key: str) -> int:
    """Line of a top-level key in mkdocs.yml (1 when it is missing)."""
    try:
        lines = read_text(project.config_file, "site configuration (mkdocs.yml)").splitlines()
    except InputError:
        return 1
    pattern = re.compile(rf"^{re.escape(key)}\s*:")
    return next((number for number, line in enumerate(lines, 1) if pattern.match(line)), 1)


@check("release-site-url", "error", "release")
def site_url(project: Project) -> Iterator[Problem]:
    """site_url (mkdocs.yml or SITE_URL) is the public https:// address."""
    url = project.site_url.strip()
    line = config_line(project, "site_url")
    fix = "set `site_url: https://…/` in mkdocs.yml (the public address, with sub-path), or run " \
          "`SITE_URL=https://…/ make release`"
    if not url:
        yield Problem(str(project.config_file), line, "site_url is empty: sitemap.xml, the 404 page and the PDFs' "
                      "QR codes and web addresses need the public address", fix)
    elif not url.startswith("https://"):
        yield Problem(str(project.config_file), line, f"site_url `{url}` is not an https:// address", fix)
    else:
        found, _ = line_placeholders(url)
        if found:
            yield Problem(str(project.config_file), line, f"site_url `{url}` is a placeholder address", fix)


# --- check dates --------------------------------------------------------------------------------------

def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it is shorter: 31 March -> 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for last in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _label(data: Any, at: tuple[Any, ...]) -> str:
    """The name, id or title of the entry that holds a `checked` date."""
    entry = data
    for key in at[:-1]:
        entry = entry[key]
    for key in ("name", "id", "title", "fact"):
        value = entry.get(key) if isinstance(entry, dict) else None
        if isinstance(value, dict):
            value = value.get("de") or next(iter(value.values()), None)
        if isinstance(value, (str, int)) and str(value).strip():
            return f" („{str(value).strip()[:60]}“)"
    return ""


def stale_dates(path: Path, today: dt.date, what: str, report_invalid: bool) -> Iterator[Problem]:
    """Every `checked:` date in a YAML file that is older than MAX_AGE_MONTHS before `today`."""
    if not path.is_file():
        return
    try:
        source = load(path, what=what)
    except InputError as exc:
        if report_invalid:
            yield from exc.problems
        return
    oldest = months_before(today, MAX_AGE_MONTHS)
    for at, value in scalars(source.data):
        if not at or at[-1] != "checked":
            continue
        day = _as_date(value)
        line = source.line(*at)
        if day is None:
            if report_invalid:
                yield Problem(str(path), line, f"`checked`: {value!r} is not a date",
                              "write the date it was last checked as YYYY-MM-DD, e.g. "
                              f"`checked: {today.isoformat()}`")
        elif day < oldest:
            yield Problem(str(path), line, f"checked {day.isoformat()}{_label(source.data, at)} is more than "
                          f"{MAX_AGE_MONTHS} months ago (before {oldest.isoformat()}): it may be out of date",
                          "check it again (call the service or read the source), correct what changed, and set "
                          f"`checked: {today.isoformat()}`; or remove the entry")


@check("release-help-checked", "error", "release")
def help_checked(project: Project, today: dt.date | None = None) -> Iterator[Problem]:
    """Help directory entries checked within the last 12 months (data/help.yml `checked:`)."""
    yield from stale_dates(project.data / "help.yml", today or current_date(), "help directory", False)


@check("release-facts-checked", "error", "release")
def facts_checked(project: Project, today: dt.date | None = None) -> Iterator[Problem]:
    """Facts checked within the last 12 months (data/facts.yml, when it exists: every `checked:`)."""
    yield from stale_dates(project.data / "facts.yml", today or current_date(), "facts file", True)


@check("release-pages-checked", "error", "release")
def pages_checked(project: Project, today: dt.date | None = None) -> Iterator[Problem]:
    """German handouts whose facts were checked (front matter `checked:`, shown as "as of") within 12 months."""
    oldest = months_before(today or current_date(), MAX_AGE_MONTHS)
    for path in project.source_pages():
        page = cached_page(path)
        day = _as_date(page.meta.get("checked"))
        if day is not None and day < oldest:
            yield Problem(str(path), page.front_line("checked"), f"the facts of this page were checked on "
                          f"{day.isoformat()}, more than {MAX_AGE_MONTHS} months ago; every language shows this date",
                          "check the page against its sources again, correct what changed, then set `checked:` "
                          "to today's date")


# --- command line -------------------------------------------------------------------------------------

def _date_argument(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None


def gate(project: Project) -> list[Problem]:
    """Everything that stops a release: the build's preflight errors, then every release check."""
    from scripts.core import checks

    problems = [p for p in checks.run("preflight", project) if p.severity == "error"]
    problems += checks.run("release", project)
    seen: set[tuple[str, int, str]] = set()
    unique = []
    for problem in problems:
        key = (display_path(problem.path), problem.line, problem.message)
        if key not in seen:
            seen.add(key)
            unique.append(problem)
    return unique


def main(argv: list[str] | None = None) -> int:
    global TODAY
    parser = argparse.ArgumentParser(prog="python -m scripts.checks.release", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=repository_root() / "mkdocs.yml",
                        help="mkdocs.yml of the site to check (default: this repository's)")
    parser.add_argument("--today", type=_date_argument, default=None,
                        help="the date to count the 12 months from (default: today)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not args.config.is_file():
        print(f"error: {args.config} not found", file=sys.stderr)
        return 2
    try:
        project = Project.load(args.config)
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 1
    previous, TODAY = TODAY, args.today
    try:
        problems = gate(project)
    finally:
        TODAY = previous
    if problems:
        print(f"Not ready to publish: {len(problems)} problem(s) must be fixed first; nothing was built, "
              "site/ is unchanged.", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    print("Release gate passed: no placeholders, site_url set, every `checked` date within 12 months.")
    return 0


if __name__ == "__main__":
    # run the registered copy of this module (not __main__), so `--today` reaches the checks
    from scripts.checks import release

    sys.exit(release.main())
