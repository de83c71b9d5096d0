"""Build the whole site into site/ safely: check the content, build into a temporary folder,
clean it, and only then swap it in. A failed build leaves the previous site/ untouched.

`python -m scripts build [--site-dir DIR] [--config mkdocs.yml]`; exit 0 ok, 1 content or build
error (printed as file:line: message), 2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from scripts.core.problems import InputError, Problem, display_path
from scripts.core.project import Project, repository_root
from scripts.site import incremental

# The checks, MkDocs, the PDF and offline steps are imported only when something is to be built: the
# answer "nothing changed" comes without loading them.

# Material's end-of-life banner
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def clean_output(site: Path) -> None:
    """No source maps in the published site, and no third-party URLs the theme's bundle could fetch."""
    for path in site.rglob("*.map"):
        path.unlink()
    for path in list(site.rglob("*.js")) + list(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        new = _strip_remote(text)
        if new != text:
            path.write_text(new, encoding="utf-8", errors="surrogateescape")


_REMOTE_FETCHES = {
    # Material's bundle fetches these from a CDN on old browsers / for diagrams we never use
    "https://unpkg.com/resize-observer-polyfill": "data:text/javascript,",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "data:text/javascript,",
}


def _strip_remote(text: str) -> str:
    text = re.sub(r"\n?//# sourceMappingURL=\S+", "", text)
    text = re.sub(r"/\*# sourceMappingURL=\S+ \*/", "", text)
    for url, replacement in _REMOTE_FETCHES.items():
        text = text.replace(url, replacement)
    return text


def preflight(config_path: Path, project: Project | None = None) -> tuple[list[str], list[str]]:
    """(errors, warnings) found before MkDocs runs: every registered preflight check, then the
    translation safety check (once the pages themselves are readable)."""
    try:
        project = project or Project.load(config_path)
    except InputError as exc:
        return [str(p) for p in exc.problems], []
    from scripts import checks

    checks.load_all()
    problems = checks.run("preflight", project)
    if not any(p.severity == "error" for p in problems):
        try:
            problems += checks.run("translations", project, only=["safety"])
        except Exception as exc:  # noqa: BLE001 - shown as a problem, never as a traceback
            problems.append(Problem(str(config_path), 1, f"translation safety check failed: {exc}",
                                    "run `make check` for details"))
    errors = [str(p) for p in problems if p.severity == "error"]
    return errors, summarize_warnings([p for p in problems if p.severity != "error"])


def summarize_warnings(problems: list[Problem], limit: int = 3) -> list[str]:
    """One line per file when a file has many warnings (e.g. a language missing new UI strings)."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.path, []).append(problem)
    lines = []
    for path, items in by_file.items():
        if len(items) <= limit:
            lines += [str(p) for p in items]
        else:
            keys = [p.message.split("`")[1] if "`" in p.message else p.message for p in items]
            lines.append(f"{display_path(path)}: {len(items)} UI strings missing or unknown, German is shown "
                         f"({', '.join(keys[:6])}{', …' if len(keys) > 6 else ''})\n"
                         f"    fix: translate them; `make check` lists each one")
    return lines


def run_mkdocs(config_path: Path, site_dir: Path, only: list[str] | None = None) -> None:
    """One MkDocs build. `only`: build just these languages (the default one is always built)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(str(config_path), site_dir=str(site_dir))
    if only is not None:
        for lang in config.plugins["i18n"].config.languages:
            lang.build = bool(lang.default) or lang.locale in only
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def _build_part(config_path: Path, site_dir: Path, only: list[str] | None, secondary: bool) -> str | None:
    """Worker: build some languages; return the error text instead of raising (it crosses processes)."""
    from mkdocs.exceptions import Abort, MkDocsException

    # the hook skips the default language's pages in secondary workers (the first one has them)
    if secondary:
        os.environ["SITE_BUILD_SECONDARY"] = "1"
    else:
        os.environ.pop("SITE_BUILD_SECONDARY", None)
    try:
        run_mkdocs(config_path, site_dir, only)
    except (MkDocsException, Abort) as exc:
        return str(exc) or exc.__class__.__name__
    except Exception as exc:  # noqa: BLE001 - reported to the editor without a traceback
        return f"build error ({exc.__class__.__name__}): {exc}"
    return None


def split_languages(codes: list[str], default: str, jobs: int) -> list[list[str]]:
    """Languages per worker; the first worker also builds the default language in full (and may have
    no other language: with one language to rebuild, the default and that language build side by side)."""
    others = [c for c in codes if c != default]
    jobs = max(1, min(jobs, len(others) + 1 if others else 1))
    parts: list[list[str]] = [[] for _ in range(jobs)]
    for i, code in enumerate(others):
        parts[(i + 1) % jobs].append(code)
    return parts[:1] + [p for p in parts[1:] if p]


def run_parallel(config_path: Path, site_dir: Path, codes: list[str], default: str, jobs: int) -> None:
    """Build the default language and `codes` (in language groups in parallel processes), then move
    every group's folders into site_dir."""
    parts = split_languages(codes, default, jobs)
    if len(parts) == 1:
        run_mkdocs(config_path, site_dir, parts[0])
        return
    import multiprocessing

    from mkdocs.exceptions import Abort

    dirs = [site_dir] + [site_dir.with_name(f"{site_dir.name}-part{i}") for i in range(1, len(parts))]
    try:
        # one fresh process per part (maxtasksperchild=1): no state carries over between parts
        with multiprocessing.get_context("fork").Pool(len(parts), maxtasksperchild=1) as pool:
            errors = pool.starmap(_build_part, [(config_path, d, part, i > 0)
                                                for i, (d, part) in enumerate(zip(dirs, parts, strict=True))])
        errors = [e for e in errors if e]
        if errors:
            raise Abort("\n".join(dict.fromkeys(errors)))
        for folder, part in zip(dirs[1:], parts[1:], strict=True):
            for code in part:
                target = site_dir / code
                if target.exists():
                    shutil.rmtree(target)
                (folder / code).rename(target)
    finally:
        for folder in dirs[1:]:
            shutil.rmtree(folder, ignore_errors=True)


def swap_in(new: Path, target: Path) -> None:
    """Replace target by new with two renames; the old copy is removed only afterwards."""
    old = target.with_name(f".{target.name}-old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


MARKER = ".built-by-scripts-build"


def unsafe_target(site_dir: Path, config_path: Path) -> str | None:
    """Why site_dir must not be replaced (it would delete sources), or None."""
    site_dir = site_dir.resolve()
    protected = [config_path.parent.resolve(), (config_path.parent / "docs").resolve(),
                 (config_path.parent / "data").resolve(), Path.home().resolve(), Path("/")]
    for path in protected:
        if site_dir == path or site_dir in path.parents:
            return f"{site_dir} is or contains {path}"
    if site_dir.exists() and any(site_dir.iterdir()):
        looks_built = (site_dir / MARKER).exists() or ((site_dir / "index.html").exists()
                                                        and (site_dir / "assets").is_dir())
        if not looks_built:
            return f"{site_dir} is a folder with other files (not a site built here)"
    return None


def _load_project(config_path: Path) -> Project | None:
    try:
        return Project.load(config_path)
    except InputError as exc:
        print("The site was not built; site/ is unchanged. Please fix:", file=sys.stderr)
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return None


def build_site(config_path: Path, site_dir: Path, quiet: bool = False, verbose: bool = False,
               jobs: int | None = 1, reuse: bool = True) -> int:
    """Check, build into a temporary folder, swap in. `reuse`: keep what did not change (see
    scripts/site/incremental.py); False builds everything and leaves the cache alone. `jobs`: processes;
    None: up to two, the second only when there are enough pages to build (`worth_parallel`)."""
    cores = min(2, os.cpu_count() or 1)
    started = time.perf_counter()
    project = _load_project(config_path)
    if project is None:
        return 1
    site_dir = site_dir.resolve()
    keys = incremental.compute_keys(project) if reuse else None
    record = incremental.SiteRecord(project.root, site_dir)
    if keys is not None:
        kept = record.up_to_date(keys.site)
        if kept is not None:
            for warning in kept:
                print(f"warning: {warning}", file=sys.stderr)
            if not quiet:
                print(f"{display_path(site_dir)}/ is up to date: nothing it is made from has changed "
                      f"({time.perf_counter() - started:.1f} s)")
            return 0
    from scripts import checks, offline
    from scripts.printing import build as pdf
    from scripts.site import linkcheck, sitemap

    problems, warnings = preflight(config_path, project)
    if problems:
        print("The site was not built; site/ is unchanged. Please fix:", file=sys.stderr)
        for problem in problems:
            print(problem, file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    reason = unsafe_target(site_dir, config_path)
    if reason:
        print(f"The site was not built: the output folder would be replaced, but {reason}.\n"
              f"    fix: choose a new or empty folder with --site-dir", file=sys.stderr)
        return 2
    try:
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
        stage = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-reuse-", dir=site_dir.parent))
    except OSError as exc:
        print(f"The site was not built: cannot write next to {site_dir} ({exc.strerror}).\n"
              f"    fix: build into a folder you can write to, then copy it (e.g. to the USB stick)",
              file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, format="%(levelname)-7s %(message)s")
    try:
        from mkdocs.exceptions import Abort, MkDocsException

        codes, default = project.codes, project.default
        try:
            built = make_parts(project, config_path, tmp, stage, keys, jobs)
        except (MkDocsException, Abort) as exc:
            print(f"The site was not built; {display_path(site_dir)}/ is unchanged.\n{exc}", file=sys.stderr)
            return 1
        clean_output(tmp)
        site_url = project.site_url
        if not pdf.skip_requested():
            try:
                report = pdf.build_pdfs(tmp, project, site_url=site_url, languages=codes, jobs=jobs or cores)
            except InputError as exc:
                print(f"The site was not built; {display_path(site_dir)}/ is unchanged.\n{exc}", file=sys.stderr)
                return 1
            pdf.fill_sizes(tmp, codes, default)
            for warning in report.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            warnings += report.warnings
            if not quiet:
                print(report.summary())
        # offline copies: ZIPs for USB sticks, the Kiwix file, checksums (site/download/)
        if not offline.build_step(tmp, project, fill_sizes=pdf.fill_sizes, quiet=quiet, warnings=warnings):
            return 1
        sitemap.write(tmp, site_url, codes, default)
        # the built site itself: every link and asset resolves, nothing loads from another host
        linkcheck.use_cache(project.root / ".cache" / "checks" / "links.json")
        broken = checks.run("postbuild", tmp)
        if broken:
            print(f"The site was not built; {display_path(site_dir)}/ is unchanged. The built pages have "
                  f"{len(broken)} broken link(s) or remote resource(s):", file=sys.stderr)
            for problem in broken[:20]:
                print(f"{problem} (in the built site)", file=sys.stderr)
            return 1
        (tmp / MARKER).write_text("This folder is replaced by every `make build`.\n", encoding="utf-8")
        swap_in(tmp, site_dir)
        if keys is not None and incremental.compute_keys(project).site == keys.site:
            record.save(keys.site, warnings)
        else:
            record.forget()
    finally:
        for folder in (tmp, stage):
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    if not quiet:
        again = f", {len(built)} of {len(codes)} languages rebuilt" if keys is not None else ""
        print(f"Site built into {display_path(site_dir)}/ in {time.perf_counter() - started:.1f} s{again}")
    return 0


# A second process costs about a second (imports, configuration, the default language's home page) and each
# page about 10-20 ms: below this many pages to build in other languages, one process is faster
PARALLEL_MIN_PAGES = 150


def worth_parallel(project: Project, codes: list[str]) -> bool:
    """Whether building these languages (each shows every German page) pays for a second process."""
    german = len(list((project.docs / project.default).glob("*.md")))
    pages = sum(max(german, len(list((project.docs / code).glob("*.md")))) for code in codes)
    return pages >= PARALLEL_MIN_PAGES


def make_parts(project: Project, config_path: Path, tmp: Path, stage: Path, keys: incremental.Keys | None,
               jobs: int | None) -> list[str]:
    """MkDocs' output of every language in tmp: reused from the cache where its key still matches, else
    built (and then kept for next time). Returns the languages built."""
    codes, default = project.codes, project.default
    cache = incremental.PartCache(project.root)
    restored = [] if keys is None else [c for c in codes
                                        if c != default and cache.restore(c, keys.parts[c], stage)]
    todo = [c for c in codes if c != default and c not in restored]
    if todo or keys is None or not cache.restore(default, keys.parts[default], tmp):
        if jobs is None:
            jobs = min(2, os.cpu_count() or 1) if worth_parallel(project, todo) else 1
        run_parallel(config_path, tmp, todo, default, jobs)
        built = [default, *todo]
        if keys is not None:
            # a file edited while MkDocs ran: what was built may be of either version, so it is not kept
            now = incremental.compute_keys(project).parts
            for code in built:
                if now.get(code) == keys.parts[code]:
                    cache.store(code, keys.parts[code], tmp, incremental.part_paths(tmp, code, codes, default))
    else:
        built = []
    for code in restored:
        (stage / code).rename(tmp / code)
    return built


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts build", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=repository_root() / "mkdocs.yml", help="mkdocs.yml to build")
    parser.add_argument("--site-dir", type=Path, default=None, help="output folder (default: site/)")
    parser.add_argument("--quiet", action="store_true", help="only print problems")
    parser.add_argument("--verbose", action="store_true", help="show MkDocs progress messages")
    parser.add_argument("--clean", action="store_true",
                        help="build everything anew (ignore and keep the cache of unchanged languages)")
    parser.add_argument("--jobs", type=int, default=None,
                        help="build processes (default: up to 2, the second only when enough pages are to be built)")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if not args.config.is_file():
        print(f"error: {args.config} not found", file=sys.stderr)
        return 2
    site_dir = args.site_dir or args.config.parent / "site"
    # a one-language preview setting from `make serve ONLY=..` must not leak into a full build
    os.environ.pop("BUILD_ONLY_LOCALE", None)
    return build_site(args.config.resolve(), site_dir, quiet=args.quiet, verbose=args.verbose, jobs=args.jobs,
                      reuse=not args.clean and os.environ.get("BUILD_CACHE", "1") != "0")


if __name__ == "__main__":
    sys.exit(main())
