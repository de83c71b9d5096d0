"""Translation status: missing, outdated, orphaned, untranslated and unsafe translations.

`python -m scripts status [check] [--lang fa,ar] [--check safety] [--min-severity warning]
[--fail-under PCT] [--format table|json] [--root DIR]` prints one `path:line: message (check)`
line per finding and a table per language; exit 0 clean, 1 findings at or above --min-severity
(default: warning) or a language below --fail-under, 2 usage or input error.

Other commands (paths relative to docs/, options after the command):
  stamp <lang>/<file>... | --all-current   mark reviewed translations as made from today's source
        [--method machine-assisted|human] [--reviewed-by WHO [--reviewed-on DATE]]   also record the review
  minor <file>                             the last edit of a German page was a typo/format fix: translations
                                           that were current stay current (refused if numbers/links/laws changed)
  new <lang> <file>                        scaffold a missing translation from the German source
  diff <lang>/<file>                       show what changed in the German source since the stamp

Conventions in a translation's front matter:
  source_hash: "<16 hex>"   first 16 hex digits of the SHA-256 of the German source it was made
                            from, normalized: front matter removed, Unicode NFC, every run of
                            whitespace collapsed to one space. Changing the source makes it outdated.
  translation: todo         written by `new` together with a first body line
                            `<!-- translate me: ... -->`; either one makes the page `untranslated`.
                            Delete both when the text is translated, then run `stamp`.

Checks (severity): missing (info), outdated (warning), untranslated (warning), orphan (warning),
structure (warning), strings (warning: data/strings and theme partials), texts (info: calendar
and help-directory texts; like missing pages they fall back to German with a notice), safety
(error: phone numbers, tel:/mailto: targets, e-mail addresses, URLs, domains and `§`
references of the source must appear in the translation; Arabic-Indic and Persian digits count
as ASCII digits). The build calls `safety_findings()`; the status page uses `collect()` and
`render_status_markdown()`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import sys
from pathlib import Path

from scripts import checks
from scripts.core.pages import (
    STAMP_KEY,
    TODO_KEY,
    TODO_MARKER,
    TODO_VALUE,
    UsageError,
    read_page,
    set_front_matter_key,
    source_hash,
    split_front_matter,
)
from scripts.core.project import Language, repository_root
from scripts.translations.history import HistoryUnavailable, find_source_version, previous_version
from scripts.translations.model import (
    CHECKS,
    SEVERITIES,
    Site,
    _rel,
    _select,
    load_site,
)
from scripts.translations.render import _paint, _use_colour, render_pages, render_table
from scripts.translations.report import collect, report_to_json
from scripts.translations.safety import normalize_digits, safety_items
from scripts.translations.trust import METHODS

# ---- commands --------------------------------------------------------------------------------


def _split_list(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _translation_arg(site: Site, value: str) -> tuple[Language, str, Path]:
    """`fa/hilfe.md` (also `docs/fa/hilfe.md` or without .md) -> (language, name, path)."""
    parts = Path(value).as_posix().split("/")
    if parts and parts[0] == site.docs.name and len(parts) > 2:
        parts = parts[1:]
    if len(parts) < 2:
        raise UsageError(f"`{value}`: expected <lang>/<file>, for example fa/hilfe.md")
    code, name = parts[0], "/".join(parts[1:])
    name = name if name.endswith(".md") else name + ".md"
    known = {lang.code: lang for lang in site.targets}
    if code not in known:
        raise UsageError(f"`{value}`: `{code}` is not a translation language ({', '.join(known)})")
    return known[code], name, site.docs / code / name


def cmd_check(args: argparse.Namespace) -> int:
    checks = _split_list(args.check)
    unknown = [c for c in checks or [] if c not in CHECKS]
    if unknown:
        raise UsageError(f"unknown check {', '.join(unknown)}; checks: {', '.join(CHECKS)}")
    report = collect(args.root, _split_list(args.lang), checks)
    threshold = SEVERITIES.index(args.min_severity)
    failing = [f for f in report.findings if SEVERITIES.index(f.severity) >= threshold]
    below = [
        lang for lang in report.languages if args.fail_under is not None and lang.complete < args.fail_under
    ]
    if args.format == "json":
        print(json.dumps(report_to_json(report), ensure_ascii=False, indent=2))
    else:
        colour = _use_colour(sys.stdout)
        tint = {"error": "red", "warning": "yellow", "info": ""}
        for finding in sorted(failing, key=lambda f: (f.path, f.line)):
            print(_paint(str(finding), tint[finding.severity], colour))
        if failing:
            print()
        pages = render_pages(report)
        if pages:
            print(pages + "\n")
        print(render_table(report, colour))
        hidden = len(report.findings) - len(failing)
        if hidden:
            print(
                f"\n{hidden} finding{'' if hidden == 1 else 's'} below {args.min_severity} not listed "
                "(--min-severity info lists them)"
            )
    for lang in below:
        print(
            f"{lang.code}: {lang.complete:g}% complete, below --fail-under {args.fail_under:g}",
            file=sys.stderr,
        )
    return 1 if failing or below else 0


def cmd_stamp(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    sources = site.source_pages()
    todo: list[tuple[str, Path, str]] = []
    if args.all_current:
        if args.files:
            raise UsageError("give either files or --all-current, not both")
        for lang in _select(site, _split_list(args.lang)):
            for name, path in site.translations(lang.code).items():
                if name not in sources:
                    print(f"skipped {_rel(site.root, path)}: no German source (orphan)", file=sys.stderr)
                elif read_page(path).todo:
                    print(
                        f"skipped {_rel(site.root, path)}: still marked `translation: todo`", file=sys.stderr
                    )
                else:
                    todo.append((name, path, f"{lang.code}/{name}"))
    else:
        if not args.files:
            raise UsageError("name the translations to stamp (fa/hilfe.md ...) or use --all-current")
        for value in args.files:
            lang, name, path = _translation_arg(site, value)
            if not path.is_file():
                raise UsageError(f"{_rel(site.root, path)}: no such translation")
            if name not in sources:
                raise UsageError(
                    f"{_rel(site.root, path)}: no German source {site.source}/{name} to stamp against"
                )
            if read_page(path).todo:
                raise UsageError(
                    f"{_rel(site.root, path)}: still marked `translation: todo` / `translate me`: "
                    "translate it and delete both markers first"
                )
            todo.append((name, path, f"{lang.code}/{name}"))
    review = _review_values(args)
    for name, path, _label in todo:
        digest = source_hash(sources[name].read_text(encoding="utf-8"))
        text = path.read_bytes().decode("utf-8")  # keep the file's own line ends
        new = set_front_matter_key(text, STAMP_KEY, f'"{digest}"')
        page = read_page(path)
        if page.stamp != digest and not args.reviewed_by and "reviewed_on" in page.meta:
            # the text was updated for a changed German page: the earlier review does not cover it
            new = set_front_matter_key(set_front_matter_key(new, "reviewed_on", None), "reviewed_by", None)
            print(f"review cleared: {_rel(site.root, path)} (updated since it was checked; add --reviewed-by "
                  "when a native speaker has checked it again)")
        for key, value in review.items():  # review state: kept unless given
            new = set_front_matter_key(new, key, value)
        if new != text:
            path.write_text(new, encoding="utf-8", newline="")
            print(f"stamped {_rel(site.root, path)} ({STAMP_KEY} {digest})")
        elif not args.quiet:
            print(f"already current: {_rel(site.root, path)}")
    return 0


def _review_values(args: argparse.Namespace) -> dict[str, str]:
    """Front matter lines for the review options of `stamp` (empty: keep what the page says)."""
    values: dict[str, str] = {}
    if args.method:
        values["translation_method"] = args.method
    if args.reviewed_by:
        if re.search(r"[\"\\\n<>]", args.reviewed_by):
            raise UsageError("--reviewed-by: initials or a role, without quotes, backslashes or line breaks")
        values["reviewed_by"] = f'"{args.reviewed_by.strip()}"'
        on = args.reviewed_on or dt.date.today().isoformat()
        try:
            dt.date.fromisoformat(on)
        except ValueError:
            raise UsageError(f"--reviewed-on {on!r}: write the date as YYYY-MM-DD") from None
        values["reviewed_on"] = on
    elif args.reviewed_on:
        raise UsageError("--reviewed-on needs --reviewed-by (initials or role of the reviewer)")
    return values


def cmd_minor(args: argparse.Namespace) -> int:
    """A typo or formatting fix in German: translations that were current stay current (never for numbers)."""
    site = load_site(args.root)
    name = args.file.removeprefix(f"{site.docs.name}/").removeprefix(f"{site.source}/")
    name = name if name.endswith(".md") else name + ".md"
    source = site.docs / site.source / name
    if not source.is_file():
        raise UsageError(f"{_rel(site.root, source)}: no such German page")
    current = source.read_text(encoding="utf-8")
    old = previous_version(site.root, source)
    if old is None:
        raise UsageError(f"{_rel(site.root, source)}: no earlier committed version to compare with "
                         "(commit the page before the edit, or there is nothing to mark)")
    old_hash, new_hash = source_hash(old), source_hash(current)
    if old_hash == new_hash:
        print(f"{_rel(site.root, source)}: the text did not change (only front matter or white space)")
        return 0
    before = safety_items(split_front_matter(old)[1])
    after = safety_items(split_front_matter(current)[1])
    changed = {(i.kind, i.key) for i in before} ^ {(i.kind, i.key) for i in after}
    # every number counts here, also short ones ("4 Wochen" -> "12 Wochen" is never a typo fix)
    numbers_before = sorted(re.findall(r"\d+", normalize_digits(" ".join(split_front_matter(old)[1]))))
    numbers_after = sorted(re.findall(r"\d+", normalize_digits(" ".join(split_front_matter(current)[1]))))
    if changed or numbers_before != numbers_after:
        shown = ", ".join(sorted({i.shown for i in before + after if (i.kind, i.key) in changed}
                                 | set(numbers_before).symmetric_difference(numbers_after)))
        print(f"error: {_rel(site.root, source)}: the edit changes numbers, links or law references ({shown}); "
              "that is never a minor edit: update every translation (`make check` lists them)", file=sys.stderr)
        return 1
    kept = 0
    for lang in site.targets:
        path = site.docs / lang.code / name
        if path.is_file() and read_page(path).stamp == old_hash:
            text = path.read_bytes().decode("utf-8")
            path.write_text(set_front_matter_key(text, STAMP_KEY, f'"{new_hash}"'), encoding="utf-8", newline="")
            print(f"kept current: {_rel(site.root, path)}")
            kept += 1
    print(f"{_rel(site.root, source)}: minor edit; {kept} translation(s) stay current")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    lang, name, path = _translation_arg(site, f"{args.lang_code}/{args.file}")
    source = site.docs / site.source / name
    if not source.is_file():
        raise UsageError(f"{_rel(site.root, source)}: no such German page")
    if path.exists():
        raise UsageError(f"{_rel(site.root, path)} already exists")
    text = source.read_text(encoding="utf-8")
    new = set_front_matter_key(text, STAMP_KEY, f'"{source_hash(text)}"')
    new = set_front_matter_key(new, TODO_KEY, TODO_VALUE)
    front, body, _ = split_front_matter(new)
    marker = TODO_MARKER.format(lang=lang.code, name=name)
    content = "\n".join(["---", *front, "---", marker, *body]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    print(
        f"created {_rel(site.root, path)} from {_rel(site.root, source)}: translate it, delete the "
        "`translate me` line and `translation: todo`, then run "
        f"`python -m scripts status stamp {lang.code}/{name}`"
    )
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    site = load_site(args.root)
    _, name, path = _translation_arg(site, args.file)
    source = site.docs / site.source / name
    if not path.is_file():
        raise UsageError(f"{_rel(site.root, path)}: no such translation")
    if not source.is_file():
        raise UsageError(
            f"{_rel(site.root, path)}: its German source {_rel(site.root, source)} no longer exists"
        )
    stamp = read_page(path).stamp
    current_text = source.read_text(encoding="utf-8")
    if stamp is None:
        raise UsageError(
            f"{_rel(site.root, path)} has no `{STAMP_KEY}` stamp, so the German version it was made "
            f"from is unknown: compare it with {_rel(site.root, source)} by hand, then stamp it"
        )
    if stamp == source_hash(current_text):
        print(
            f"{_rel(site.root, path)} is up to date: the German source has not changed since it was stamped"
        )
        return 0
    try:
        commit, description, old_text = find_source_version(site.root, source, stamp)
    except HistoryUnavailable as exc:
        print(
            f"cannot show what changed in {_rel(site.root, source)} since {_rel(site.root, path)} "
            f"was stamped ({stamp}): {exc}",
            file=sys.stderr,
        )
        return 2
    rel_source = _rel(site.root, source)
    print(f"{_rel(site.root, path)} was made from {rel_source} as of {description}; changes since then:")
    diff = difflib.unified_diff(
        old_text.splitlines(),
        current_text.splitlines(),
        f"{rel_source} @ {commit[:10]}",
        f"{rel_source} (now)",
        lineterm="",
    )
    colour = _use_colour(sys.stdout)
    for line in diff:
        tint = (
            "green"
            if line.startswith("+") and not line.startswith("+++")
            else "red"
            if line.startswith("-") and not line.startswith("---")
            else ""
        )
        print(_paint(line, tint, colour))
    return 0


COMMANDS = {"check": cmd_check, "stamp": cmd_stamp, "new": cmd_new, "diff": cmd_diff, "minor": cmd_minor}


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--root", type=Path, default=repository_root(),
                        help="repository root (default: this repository)")
    parser = argparse.ArgumentParser(
        prog="python -m scripts status",
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n".join(__doc__.splitlines()[2:]),
    )
    sub = parser.add_subparsers(dest="command", metavar="{check,stamp,new,diff,minor}")
    check = sub.add_parser("check", parents=[common], help="report the status (default command)")
    check.add_argument("--lang", action="append", help="only these languages (comma-separated or repeated)")
    check.add_argument("--check", action="append", help=f"only these checks: {', '.join(CHECKS)}")
    check.add_argument(
        "--min-severity",
        choices=SEVERITIES,
        default="warning",
        help="exit 1 for findings at or above this severity (default: warning)",
    )
    check.add_argument(
        "--fail-under",
        type=float,
        metavar="PCT",
        help="exit 1 if a language has less than PCT %% of its pages current",
    )
    check.add_argument("--format", choices=("table", "json"), default="table")
    stamp = sub.add_parser("stamp", parents=[common], help="mark reviewed translations as current")
    stamp.add_argument("files", nargs="*", metavar="LANG/FILE")
    stamp.add_argument("--all-current", action="store_true", help="stamp every existing translation")
    stamp.add_argument("--lang", action="append", help="with --all-current: only these languages")
    stamp.add_argument(
        "--quiet", action="store_true", help="do not list translations that were already current"
    )
    stamp.add_argument("--method", choices=METHODS, help="how the translation was made (front matter "
                       "translation_method)")
    stamp.add_argument("--reviewed-by", metavar="WHO", help="initials or role of the native speaker who checked it")
    stamp.add_argument("--reviewed-on", metavar="YYYY-MM-DD", help="date of the check (default: today)")
    new = sub.add_parser("new", parents=[common], help="scaffold a translation from the German source")
    new.add_argument("lang_code", metavar="LANG")
    new.add_argument("file", metavar="FILE")
    diff = sub.add_parser("diff", parents=[common], help="German changes since a translation was stamped")
    diff.add_argument("file", metavar="LANG/FILE")
    minor = sub.add_parser("minor", parents=[common], help="mark the last German edit as minor (typo, format)")
    minor.add_argument("file", metavar="FILE", help="the German page, e.g. rechte.md")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in COMMANDS and argv[0] not in ("-h", "--help")):
        argv.insert(0, "check")
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    args.root = args.root.resolve()
    checks.load_all()
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
