"""Hugo as a yardstick for the bench: the same Markdown built by the fastest static site generator.

`python -m scripts.tools.bench_hugo [--runs 5] [--handouts 30] [--words 900] [--keep DIR]` writes a Hugo mirror
of the real site (every language, the same pages, German fallbacks where static-i18n adds them) and of the
synthetic bench site (made as `scripts.tools.bench` makes it), and prints Hugo's version and the median wall
time of `runs` full builds of each. Prints `skipped: <why>` and exits 0 when Debian's `hugo` is not installed;
exit 1 when Hugo fails. `bench_hugo()` is the same as a stage of `python -m scripts bench`.
The mirror's layout is minimal on purpose (title, nav of the language's pages, language switcher, content):
it measures Hugo's floor, not a theme. Hugo has no incremental build outside `hugo server`, so there is no
"rebuild with nothing changed" figure: every `hugo` run is a full build.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from scripts.core.project import Project, direction
from scripts.tools.bench import StageFailed, line, make_content

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.S)
FIRST_HEADING = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
# `{{<` and `{{%` open a Hugo shortcode (a build error when no such shortcode exists); `{{ fact:x }}` is plain text
SHORTCODE_OPENER = re.compile(r"\{\{(?=\s*[<%])")
# Python-Markdown's `{: #id .class }` attribute list; Goldmark reads it without the colon
COLON_ATTRIBUTES = re.compile(r"\{:[ \t]*([#.][^}\n]*)\}[ \t]*$", re.M)

CONFIG = """\
# Hugo mirror of the handout site, written by scripts/tools/bench_hugo.py (a bench yardstick, not a site)
baseURL = "/"
title = "Bench mirror"
# page.html, like our `use_directory_urls: false`; every link relative, like ours (file:// works)
uglyURLs = true
relativeURLs = true
defaultContentLanguage = DEFAULT
# German at the site root, the other languages in <code>/ (as in the real site); Hugo adds a redirect stub
# de/index.html -> / that no setting turns off (not a page: the tests and the page count leave it out)
defaultContentLanguageInSubdir = false
# only the pages our site has: no taxonomies, feeds, sitemap, robots.txt or 404 page
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]

[markup.goldmark.renderer]
# our Markdown may hold raw HTML (and HTML comments the site hook replaces); MkDocs passes it through
unsafe = true

[markup.goldmark.parser.attribute]
# `{ #id }` attribute lists on headings (default) and blocks, like Python-Markdown's attr_list
block = true
title = true
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}" dir="{{ .Site.Language.LanguageDirection | default "ltr" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ .Site.Title }}</title>
</head>
<body>
<header>
<nav class="languages" aria-label="Languages">
<span lang="{{ .Language.Lang }}">{{ .Language.LanguageName }}</span>
{{- range .Translations }}
<a href="{{ partial "href.html" . }}" hreflang="{{ .Language.Lang }}" lang="{{ .Language.Lang }}">\
{{ .Language.LanguageName }}</a>
{{- end }}
</nav>
<nav class="pages" aria-label="Pages">
<ul>
{{- $current := . }}
<li><a href="{{ partial "href.html" .Site.Home }}"{{ if .IsHome }} aria-current="page"{{ end }}>\
{{ .Site.Home.Title }}</a></li>
{{- range .Site.RegularPages }}
<li><a href="{{ partial "href.html" . }}"{{ if eq . $current }} aria-current="page"{{ end }}>{{ .Title }}</a></li>
{{- end }}
</ul>
</nav>
</header>
<main>
{{ block "main" . }}{{ end }}
</main>
</body>
</html>
"""

MAIN = '{{ define "main" }}\n{{ .Content }}\n{{ end }}\n'
# a page's link; a home page's ends in `/` even with uglyURLs: name the file (file:// opens no folders)
HREF = """\
{{- $href := .RelPermalink }}
{{- if hasSuffix $href "/" }}{{ $href = print $href "index.html" }}{{ end }}
{{- return $href -}}
"""


class HugoFailed(StageFailed):
    """Hugo is missing or did not build the mirror (the message holds Hugo's own words)."""


def hugo_binary() -> Path | None:
    """The `hugo` on PATH (Debian's package installs /usr/bin/hugo), or None."""
    found = shutil.which("hugo")
    return Path(found) if found else None


def _binary() -> Path:
    binary = hugo_binary()
    if binary is None:
        raise HugoFailed("hugo not installed (Debian: apt-get install hugo)")
    return binary


def hugo_version() -> str:
    """Hugo's version line, e.g. `hugo v0.111.3+extended linux/amd64 BuildDate=... VendorInfo=debian:0.111.3-1`."""
    result = subprocess.run([str(_binary()), "version"], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        raise HugoFailed(f"`hugo version` exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else "hugo (unknown version)"


def _title(front: dict, body: str, fallback: str) -> str:
    title = front.get("title")
    if isinstance(title, str) and title.strip():
        return title
    heading = FIRST_HEADING.search(body)
    return heading.group(1).strip() if heading else fallback


def prepare_markdown(text: str, fallback_title: str, weight: int | None = None) -> str:
    """One of our Markdown pages as Hugo reads it: a `title` in the front matter (MkDocs takes the first `# `
    heading when there is none), an optional nav `weight`, text that would open a Hugo shortcode defused, and
    Python-Markdown's `{: #id }` attribute lists in Goldmark's spelling. Everything else is left as it is:
    MkDocs-only syntax (`!!! note`, `{{ fact:id }}`) is plain text to Hugo, unknown front matter keys are kept."""
    match = FRONT_MATTER.match(text)
    front_text, body = (match.group(1) or "", text[match.end():]) if match else ("", text)
    try:
        front = yaml.safe_load(front_text) if front_text else {}
    except yaml.YAMLError:
        front = {}
    front = front if isinstance(front, dict) else {}
    extra = ""
    if not (isinstance(front.get("title"), str) and front["title"].strip()):
        # a title key that is missing, empty or not text is replaced (YAML takes the last of duplicate keys)
        extra += f"title: {json.dumps(_title(front, body, fallback_title), ensure_ascii=False)}\n"
    if weight is not None and "weight" not in front:
        extra += f"weight: {weight}\n"
    body = COLON_ATTRIBUTES.sub(r"{\1}", SHORTCODE_OPENER.sub("{&#123;", body))
    return f"---\n{front_text}{extra}---\n{body}"


def _target(rel: Path) -> Path:
    """Where a page goes in a Hugo content folder: `index.md` is a folder's home page, `_index.md` to Hugo."""
    return rel.with_name("_index.md") if rel.name == "index.md" else rel


def write_mirror(docs: Path, codes: list[str], default: str, out: Path, *, names: dict[str, str] | None = None,
                 nav: list[str] | None = None, fallback: bool = True) -> Path:
    """A Hugo project in `out` mirroring docs/<code>/**/*.md for every code (the real docs or the synthetic
    bench site's): hugo.toml (one language per code, `default` at the root), content/<code>/, a minimal layout.
    `names`: language names for the switcher (default: the codes). `nav`: page order, e.g. mkdocs.yml's nav
    (default: index first, then by file name). `fallback`: a language lacking one of the default language's
    pages gets the default language's page, as static-i18n's `fallback_to_default` does. Returns `out`."""
    if default not in codes:
        raise ValueError(f"default language {default!r} is not one of {codes}")
    missing = [code for code in codes if not (docs / code).is_dir()]
    if missing:
        raise FileNotFoundError(f"{docs}: no language folder for {', '.join(missing)}")
    out.mkdir(parents=True, exist_ok=True)
    pages = {code: {p.relative_to(docs / code) for p in (docs / code).rglob("*.md")} for code in codes}
    listed = [rel for rel in nav or [] if isinstance(rel, str)]
    rest = sorted({rel.as_posix() for found in pages.values() for rel in found} - set(listed),
                  key=lambda rel: (Path(rel).name != "index.md", rel))
    weights = {rel: i for i, rel in enumerate(dict.fromkeys(listed + rest), start=1)}

    config = [CONFIG.replace("DEFAULT", json.dumps(default), 1)]
    for i, code in enumerate(codes, start=1):
        config.append(f"\n[languages.{json.dumps(code)}]\nweight = {i}\ncontentDir = \"content/{code}\"\n"
                      f"languageName = {json.dumps((names or {}).get(code, code), ensure_ascii=False)}\n"
                      f"languageDirection = \"{direction(code)}\"\n")
        sources = {rel: docs / code / rel for rel in pages[code]}
        if fallback and code != default:
            sources = {rel: docs / default / rel for rel in pages[default]} | sources
        folder = out / "content" / code
        if folder.exists():
            shutil.rmtree(folder)
        for rel, source in sorted(sources.items()):
            target = folder / _target(rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = prepare_markdown(source.read_text(encoding="utf-8"), rel.stem, weights[rel.as_posix()])
            target.write_text(text, encoding="utf-8")
    (out / "hugo.toml").write_text("".join(config), encoding="utf-8")
    layouts = out / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    for name in ("single.html", "list.html"):
        (layouts / name).write_text(MAIN, encoding="utf-8")
    (out / "layouts" / "index.html").write_text(MAIN, encoding="utf-8")
    (out / "layouts" / "partials").mkdir(exist_ok=True)
    (out / "layouts" / "partials" / "href.html").write_text(HREF, encoding="utf-8")
    return out


def write_real_mirror(project: Project, out: Path) -> Path:
    """The real site's mirror: its languages (names, order), pages and nav order from mkdocs.yml."""
    nav = [item for item in project.config.get("nav") or [] if isinstance(item, str)]
    return write_mirror(project.docs, project.codes, project.default, out,
                        names={lang.code: lang.name for lang in project.languages}, nav=nav)


def write_synthetic_mirror(root: Path, project: Project, handouts: int, n_words: int) -> Path:
    """The synthetic bench site (root/docs/<code>/, made by bench.make_content; root must not hold docs/ yet)
    and its mirror in root/hugo/; returns the mirror. With an existing root/docs/ from `python -m scripts
    bench --keep DIR`, call write_mirror(DIR / "docs", ...) instead."""
    names = make_content(root, project, handouts, n_words)
    return write_mirror(root / "docs", project.codes, project.default, root / "hugo",
                        names={lang.code: lang.name for lang in project.languages}, nav=["index.md", *names])


def build(project_dir: Path, destination: Path) -> float:
    """One full `hugo` build of project_dir into destination (emptied first); the wall time in seconds.
    HugoFailed with Hugo's stderr when it exits non-zero."""
    cmd = [str(_binary()), "--quiet", "--source", str(project_dir), "--destination", str(destination),
           "--cleanDestinationDir"]
    start = time.perf_counter()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        raise HugoFailed(f"hugo exited {result.returncode} building {project_dir}:\n"
                         f"{(result.stderr or result.stdout).strip()[-3000:]}")
    return wall


def time_hugo(project_dir: Path, runs: int) -> list[float]:
    """Wall seconds of `runs` full builds, each into a fresh temporary destination (removed afterwards)."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    walls = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="hugo-bench-") as tmp:
            walls.append(build(project_dir, Path(tmp) / "public"))
    return walls


def _pages(project_dir: Path) -> int:
    return sum(1 for _ in (project_dir / "content").rglob("*.md"))


def bench_hugo(project: Project, work: Path, runs: int = 5, synthetic_docs: Path | None = None,
               synthetic_nav: list[str] | None = None) -> dict[str, float]:
    """The bench stage: Hugo's version, then the median of `runs` builds of the real-site mirror and, when
    `synthetic_docs` (a bench site's docs/) is given, of its mirror. Mirrors are written below `work`.
    Returns the medians by mirror ("real-site", "synthetic"); empty when Hugo is not installed."""
    medians: dict[str, float] = {}
    if hugo_binary() is None:
        line("hugo", "skipped: hugo not installed (Debian: apt-get install hugo; `make bench` installs it)")
        return medians
    line("hugo version", hugo_version().removeprefix("hugo ").split(" BuildDate")[0])
    mirrors = [("real-site", write_real_mirror(project, work / "hugo-real"))]
    if synthetic_docs is not None:
        mirrors.append(("synthetic", write_mirror(
            synthetic_docs, project.codes, project.default, work / "hugo-synthetic",
            names={lang.code: lang.name for lang in project.languages}, nav=synthetic_nav)))
    for what, mirror in mirrors:
        walls = time_hugo(mirror, runs)
        medians[what] = statistics.median(walls)
        detail = f"median of {runs}, min {min(walls):.2f} s" if runs > 1 else "1 run"
        line(f"full build, hugo, {what} mirror", f"{statistics.median(walls):6.2f} s   "
                                                 f"({_pages(mirror)} pages, {detail})")
    line("hugo rebuild, nothing changed", "n/a: Hugo rebuilds only inside `hugo server` (every run is full)")
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.tools.bench_hugo",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="builds per mirror, the median is shown (default 5)")
    parser.add_argument("--handouts", type=int, default=30, help="synthetic handouts per language (default 30)")
    parser.add_argument("--words", type=int, default=900, help="words per synthetic handout (default 900)")
    parser.add_argument("--keep", type=Path, help="keep the mirrors in this (new or empty) folder")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.handouts < 1 or args.words < 1:
        parser.error("--runs, --handouts and --words must be at least 1")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: folder is not empty")
    project = Project.load()
    root = args.keep or Path(tempfile.mkdtemp(prefix="hugo-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        names = make_content(root / "synthetic", project, args.handouts, args.words)
        bench_hugo(project, root, args.runs, root / "synthetic" / "docs", ["index.md", *names])
    except StageFailed as exc:
        line("hugo", f"FAILED\n{exc}")
        return 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
