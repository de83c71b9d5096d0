"""Checks of the Markdown content tree before a build: folders, encoding, front matter.

Every problem names the file and line, says what is wrong and how to fix it. Run alone with
`python -m scripts content` (exit 0 clean, 1 problems found, 2 usage error).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from scripts.core.checks import check
from scripts.core.pages import page_from_text, split_lines
from scripts.core.problems import InputError, Problem, display_path
from scripts.core.project import Project
from scripts.core.yamlsrc import read_text

# static-i18n takes any docs/ folder named like a locale for a language
LOCALE_FOLDER = re.compile(r"^[a-z]{2}([-_][A-Za-z]{2,4})?$")
NON_LANGUAGE_FOLDERS = {"assets"}
GOOD_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*\.md$")
_SCRIPT_TAG = re.compile(r"<\s*script\b", re.I)
# the longest German handout is about 10 KB; a page 50 times that is a paste error, and would take
# minutes to render in ten languages
MAX_PAGE_BYTES = 500_000


def check_folders(docs: Path, codes: list[str]) -> Iterator[Problem]:
    """Every folder in docs/ is a configured language or assets; no pages at the top level."""
    for entry in sorted(docs.iterdir()):
        if entry.is_dir():
            if entry.name in codes or entry.name in NON_LANGUAGE_FOLDERS:
                continue
            if LOCALE_FOLDER.match(entry.name):
                yield Problem(str(entry), 1, f"folder `{entry.name}` is not a language of this site",
                              f"add `{entry.name}` to plugins.i18n.languages in mkdocs.yml, or rename the "
                              f"folder to one of: {', '.join(codes)}")
            elif any(entry.rglob("*.md")):
                yield Problem(str(entry), 1, f"folder `{entry.name}` with pages is outside every language folder",
                              "move the pages into docs/<language>/ (for example docs/de/)")
        elif entry.suffix == ".md":
            yield Problem(str(entry), 1, "page is outside every language folder",
                          f"move it to docs/de/{entry.name} (German source) or docs/<language>/")


def check_names(docs: Path, codes: list[str], default: str) -> Iterator[Problem]:
    """File names work in every browser and on every server, and each translation has a German source."""
    source = docs / default
    for code in codes:
        folder = docs / code
        if not folder.is_dir():
            continue
        for page in sorted(folder.rglob("*.md")):
            rel = page.relative_to(folder)
            if not all(GOOD_NAME.match(part + (".md" if i < len(rel.parts) - 1 else ""))
                       for i, part in enumerate(rel.parts)):
                yield Problem(str(page), 1, "file name must use only lower-case letters a-z, digits and hyphens",
                              "rename it, e.g. `ueber-uns.md` instead of `Über uns.md`")
            elif code != default and not (source / rel).exists():
                yield Problem(str(page), 1, f"translation has no German source {default}/{rel.as_posix()}",
                              "give it the same file name as the German page it translates, "
                              "or delete it if the German page was removed")


def check_page(path: Path) -> Iterator[Problem]:
    """One Markdown page: valid UTF-8, a YAML front matter that parses to a mapping, no scripts."""
    size = path.stat().st_size
    if size > MAX_PAGE_BYTES:
        yield Problem(str(path), 1, f"page is {size / 1_000_000:.1f} MB; a handout is a few KB "
                      f"(limit {MAX_PAGE_BYTES // 1000} KB)", "split it into several pages, or remove pasted data")
        return
    try:
        page = page_from_text(path, read_text(path, "page"))
    except InputError as exc:
        yield from exc.problems
        return
    for number, line in enumerate(split_lines(page.text), 1):
        if _SCRIPT_TAG.search(line):
            yield Problem(str(path), number, "handouts may not contain <script> (the site allows no page scripts)",
                          "remove the script; ask a developer if the page needs interaction")
    for problem in page.problems:
        if problem.message.startswith("invalid YAML"):
            message = problem.message.replace("invalid YAML", "front matter is not valid YAML")
            problem = Problem(problem.path, problem.line, message,
                              'write `key: value` per line; put values containing ": " or "#" in double quotes')
        yield problem
    for key in ("title", "description"):
        value = page.meta.get(key)
        line = page.front_line(key) if key in page.meta else 2
        if value is not None and not isinstance(value, str):
            yield Problem(str(path), line, f"front matter `{key}` must be text",
                          f'put the {key} in double quotes')
        elif isinstance(value, str) and re.search(r'["<>]', value):
            # the theme writes title and description into HTML attributes without escaping
            yield Problem(str(path), line, f'front matter `{key}` may not contain " < or >',
                          "use typographic quotes („…“, “…”, «…») instead of \"")


def check_tree(docs: Path, codes: list[str]) -> list[Problem]:
    """Every problem of the content tree: folders, file names, every page of every language."""
    problems = list(check_folders(docs, codes))
    if codes:
        problems.extend(check_names(docs, codes, codes[0]))
    for code in codes:
        folder = docs / code
        if folder.is_dir():
            for page in sorted(folder.rglob("*.md")):
                problems.extend(check_page(page))
    return problems


@check("content", "error", "preflight")
def content_problems(project: Project) -> list[Problem]:
    """Folders, file names, encoding, front matter and scripts of every page."""
    return check_tree(project.docs, project.codes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts content", description=__doc__.splitlines()[0])
    parser.add_argument("docs", nargs="?", type=Path, default=None, help="docs folder (default: this site's)")
    args = parser.parse_args(argv)
    try:
        project = Project.load()
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    docs = args.docs or project.docs
    if not docs.is_dir():
        print(f"error: {display_path(docs)} is not a folder", file=sys.stderr)
        return 2
    problems = check_tree(docs, project.codes)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
