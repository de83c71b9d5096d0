"""Benchmark: synthetic 10-language site (30 handouts x ~900 words each, real scripts), ours vs naive.

`python -m scripts bench [--handouts 30] [--words 900] [--keep DIR] [--quick]`. Prints figures; exit 0 when
every stage ran (a stage whose tool is missing prints `skipped: <why>`), 1 when a stage failed.
Naive = Material + static-i18n defaults on the same content (plus the UI partials Material lacks,
without which it cannot build ps/ku/ti at all).
`--quick` (a smoke run for the tests): one build of each kind instead of best of three, PDFs of the synthetic
Arabic pages instead of the whole real site, no Lighthouse.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from scripts.core.project import Project, language_root, repository_root

REPO = repository_root()
LABEL_WIDTH = 39  # "full build, naive Material+static-i18n " and friends line up at the colon

FALLBACK_WORDS = {
    "de": "Gewalt Schutz Hilfe Beratung Polizei Recht Familie Kinder Frauen Männer Wohnung Gericht",
    "ar": "العنف الحماية المساعدة الاستشارة الشرطة حق الأسرة الأطفال النساء الرجال المنزل المحكمة",
    "ti": "ዓመጽ ሓለዋ ሓገዝ ምኽሪ ፖሊስ መሰል ስድራቤት ቆልዑ ደቂ ኣንስቲዮ ደቂ ተባዕትዮ ገዛ ቤት ፍርዲ",
}


def line(label: str, text: str) -> None:
    print(f"{label:<{LABEL_WIDTH}}: {text}", flush=True)


class StageFailed(Exception):
    """A bench stage could not produce its figures (the message says why)."""


def _vocabulary(docs: Path, code: str) -> list[str]:
    words: list[str] = []
    folder = docs / code
    for path in sorted(folder.glob("*.md")) if folder.is_dir() else []:
        text = re.sub(r"\(.*?\)|[#*<>\[\]|`\"-]", " ", path.read_text(encoding="utf-8"))
        # no digits, law signs, addresses: synthetic German would otherwise "contain" phone numbers
        # and law references the synthetic translations lack (the safety check would stop the build)
        words += [w for w in text.split() if len(w) > 1 and not re.search(r"[\d§@/:]|\.[a-z]{2,3}$", w)]
    if len(words) < 50:
        words = FALLBACK_WORDS.get(code, FALLBACK_WORDS["de"]).split() * 20
    return words


def _handout(rng: random.Random, words: list[str], n_words: int, title: str) -> str:
    description = json.dumps(" ".join(rng.choices(words, k=12)), ensure_ascii=False)
    out = [f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\ndescription: {description}\n---\n\n# {title}\n"]
    written = 0
    while written < n_words:
        out.append(f"\n## {' '.join(rng.choices(words, k=3))}\n")
        for _ in range(3):
            sentence = " ".join(rng.choices(words, k=60))
            out.append(f"\n{sentence}\n")
            written += 60
        out.append("\n" + "".join(f"- {' '.join(rng.choices(words, k=8))}\n" for _ in range(4)))
        written += 32
    return "".join(out)


def make_content(root: Path, project: Project, handouts: int, n_words: int) -> list[str]:
    rng = random.Random(20261125)
    names = [f"handout-{i:02d}.md" for i in range(1, handouts + 1)]
    for code in project.codes:
        words = _vocabulary(project.docs, code)
        folder = root / "docs" / code
        folder.mkdir(parents=True)
        (folder / "index.md").write_text("# " + " ".join(words[:3]) + "\n\n" + " ".join(words[:200]) + "\n",
                                         encoding="utf-8")
        for name in names:
            title = " ".join(rng.choices(words, k=3)).replace(":", " ")
            (folder / name).write_text(_handout(rng, words, n_words, title), encoding="utf-8")
    shutil.copytree(project.docs / "assets", root / "docs" / "assets")
    return names


def write_configs(root: Path, project: Project, names: list[str]) -> tuple[Path, Path]:
    """The synthetic site's mkdocs.yml (the real one, real theme and hook, synthetic nav) and the naive one."""
    overrides, hook = project.root / "overrides", project.root / "overrides" / "hooks" / "site_glue.py"
    ours = project.config_file.read_text(encoding="utf-8")
    for old, new in (("custom_dir: overrides", f"custom_dir: {overrides}"),
                     ("- overrides/hooks/site_glue.py", f"- {hook}"),
                     ("  - overrides\n", f"  - {overrides}\n")):
        if old not in ours:
            raise StageFailed(f"mkdocs.yml no longer contains {old.strip()!r}; update write_configs()")
        ours = ours.replace(old, new)
    ours = ours.split("\nnav:")[0] + "\nnav:\n  - index.md\n" + "".join(f"  - {n}\n" for n in names)
    (root / "mkdocs.yml").write_text(ours, encoding="utf-8")
    shutil.copytree(project.data, root / "data")
    (root / "data" / "events.yml").write_text(
        "events:\n  - id: bench-event\n    start: 2030-01-10 17:00\n    duration: 2 h\n    languages: [ar]\n"
        "    audience: everyone\n    topic: handout-01\n    venue: {name: Zentrum, kind: other}\n"
        "    title: {de: Termin}\n", encoding="utf-8")
    # naive: Material + static-i18n defaults; only the partials Material lacks
    naive_dir = root / "naive"
    (naive_dir / "overrides" / "partials" / "languages").mkdir(parents=True)
    for partial in (overrides / "partials" / "languages").glob("*.html"):
        shutil.copy(partial, naive_dir / "overrides" / "partials" / "languages")
    langs = "\n".join(f"        - locale: {lang.code}\n          name: {lang.name}\n          build: true"
                      + ("\n          default: true" if lang.default else "") for lang in project.languages)
    (naive_dir / "mkdocs.yml").write_text(
        f"site_name: Naive\ndocs_dir: {root / 'docs'}\ntheme:\n  name: material\n  custom_dir: overrides\n"
        f"plugins:\n  - search\n  - i18n:\n      docs_structure: folder\n      languages:\n{langs}\n",
        encoding="utf-8")
    return root / "mkdocs.yml", naive_dir / "mkdocs.yml"


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in KB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as fh:
                total += next((int(row.split()[1]) for row in fh if row.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak resident MB of the whole process tree, sampled every 50 ms)."""
    start = time.perf_counter()
    # stderr to a file, not a pipe: a chatty child must never block on it
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SKIP_PDF": "1",
                                                   **(env or {})},
                                stdout=subprocess.DEVNULL, stderr=errors)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, _tree_rss_kb(proc.pid))
            time.sleep(0.05)
        wall = time.perf_counter() - start
        if proc.returncode != 0:
            errors.seek(0)
            raise StageFailed(f"exit {proc.returncode}: {' '.join(cmd)}\n"
                              f"{errors.read().decode(errors='replace')[-2000:]}")
    return wall, peak / 1024


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def first_view_weight(site: Path, page: Path) -> tuple[int, dict[str, int]]:
    """gzip bytes of a page's HTML + stylesheets + scripts + the fonts it preloads (its script's core font)."""
    html = page.read_text(encoding="utf-8")
    parts = {"html": gzip_size(page)}
    patterns = (("css", r'<link rel="stylesheet" href="([^"]+)"(?![^>]*media="print")'),
                ("js", r'<script src="([^"]+)"'), ("fonts", r'<link rel="preload" href="([^"]+\.woff2)"'))
    for kind, pattern in patterns:
        parts.setdefault(kind, 0)
        for href in re.findall(pattern, html):
            parts[kind] += gzip_size((page.parent / href.split("?")[0]).resolve())
    return sum(parts.values()), parts


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _runs_text(values: list[float]) -> str:
    return f"median of {len(values)}, min {min(values):.2f} s" if len(values) > 1 else "1 run"


def time_rebuilds(root: Path, config: Path, edited: Path, runs: int, what: str, figures: dict[str, float],
                  zim_too: bool = False) -> None:
    """Our build of one project, as an editor meets it (no PDFs): clean (no cache, no site), again with
    nothing changed, and after editing one page (a different text each run)."""
    py = sys.executable
    cmd = [py, "-m", "scripts", "build", "--quiet", "--config", str(config)]
    clean, peak = [], 0.0
    for _ in range(runs):
        for folder in (root / ".cache", root / "site"):
            shutil.rmtree(folder, ignore_errors=True)
        wall, mem = timed(cmd, REPO)
        clean.append(wall)
        peak = max(peak, mem)
    unchanged = [timed(cmd, REPO)[0] for _ in range(runs)]
    original = edited.read_text(encoding="utf-8")
    one_edit, without_zim = [], []
    try:
        for run in range(runs):
            edited.write_text(original + f"\nتعديل {run + 1}\n", encoding="utf-8")
            one_edit.append(timed(cmd, REPO)[0])
        if zim_too:  # the Kiwix file is made anew after every change (libzim cannot update one)
            timed(cmd, REPO, {"SKIP_ZIM": "1"})
            for run in range(runs):
                edited.write_text(original + f"\nتعديل {run + 1} ب\n", encoding="utf-8")
                without_zim.append(timed(cmd, REPO, {"SKIP_ZIM": "1"})[0])
    finally:
        edited.write_text(original, encoding="utf-8")
    figures[f"{what} full"], figures[f"{what} unchanged"] = _median(clean), _median(unchanged)
    figures[f"{what} one edit"] = _median(one_edit)
    line(f"full build, {what}", f"{_median(clean):6.2f} s   peak {peak:6.0f} MB   ({_runs_text(clean)}; "
                                f"no cache, no PDFs)")
    line(f"rebuild, nothing changed, {what}", f"{_median(unchanged):6.2f} s   ({_runs_text(unchanged)})")
    rel = edited.relative_to(root / "docs").as_posix()
    line(f"rebuild, 1 page edited, {what}", f"{_median(one_edit):6.2f} s   ({_runs_text(one_edit)}; {rel})")
    if without_zim:
        figures[f"{what} one edit, no ZIM"] = _median(without_zim)
        line("  the same with SKIP_ZIM=1", f"{_median(without_zim):6.2f} s   ({_runs_text(without_zim)}; "
                                          f"no Kiwix file)")


def bench_builds(root: Path, project: Project, names: list[str], runs: int, figures: dict[str, float]) -> Path:
    """Build times and memory, page weight and search index sizes; returns the synthetic site built by us."""
    ours_cfg, naive_cfg = write_configs(root, project, names)
    py = sys.executable
    naive_cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(naive_cfg), "-d", str(root / "naive-site")]
    naive_runs = [timed(naive_cmd, REPO) for _ in range(runs)]
    naive_wall, naive_mem = _median([r[0] for r in naive_runs]), max(r[1] for r in naive_runs)
    figures["naive"] = naive_wall
    line("full build, naive Material+static-i18n", f"{naive_wall:6.2f} s   peak {naive_mem:6.0f} MB   "
                                                   f"({_runs_text([r[0] for r in naive_runs])})")
    time_rebuilds(root, ours_cfg, root / "docs" / "ar" / names[0], runs, "synthetic", figures)
    line("full build, synthetic, vs naive", f"{figures['synthetic full'] / naive_wall:6.2f} x   (2 processes)")

    site, default, codes = root / "site", project.default, project.codes
    page = names[0].replace(".md", ".html")
    for code in ("ar", "ti", default):
        if code not in codes:
            continue
        total, parts = first_view_weight(site, language_root(site, code, default) / page)
        detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in parts.items())
        line(f"first view {code} handout (gzip)", f"{total / 1024:6.1f} KB  ({detail})")
    naive_index = root / "naive-site" / "search" / "search_index.json"
    naive_size = naive_index.stat().st_size
    line("search index, naive (all languages)", f"{naive_size / 1024:6.1f} KB raw, "
                                                f"{gzip_size(naive_index) / 1024:.1f} KB gzip")
    for code in codes:
        index = language_root(site, code, default) / "search" / "search_index.json"
        docs = len(json.loads(index.read_text(encoding="utf-8"))["docs"])
        line(f"search index {code}", f"{index.stat().st_size / 1024:6.1f} KB raw, "
                                     f"{gzip_size(index) / 1024:5.1f} KB gzip, {docs} entries, "
                                     f"1/{naive_size / index.stat().st_size:.1f} of naive")
    return site


def bench_real_builds(root: Path, project: Project, runs: int, figures: dict[str, float]) -> None:
    """The real site's builds (full, unchanged, one Arabic handout edited) on a clone of the committed
    repository (its own cache and site/, with the git history the translation notices read)."""
    clone = root / "real-clone"
    result = subprocess.run(["git", "clone", "--quiet", "--local", str(project.root), str(clone)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise StageFailed(f"git clone failed (the real-site figures need the repository): {result.stderr.strip()}")
    stems = sorted(p.name for p in (clone / "docs" / "ar").glob("*.md") if p.name not in ("index.md",))
    edited = clone / "docs" / "ar" / ("rechte.md" if "rechte.md" in stems else stems[0])
    time_rebuilds(clone, clone / "mkdocs.yml", edited, runs, "real site", figures, zim_too=True)


def print_targets(figures: dict[str, float]) -> None:
    """The issue-15 targets as ratios measured in this run."""
    hugo_real, hugo_synthetic = figures.get("hugo real-site"), figures.get("hugo synthetic")
    rows = [("real site full vs hugo", "real site full", hugo_real, 6),
            ("real site 1 edit vs hugo", "real site one edit", hugo_real, 3),
            ("1 edit, no ZIM, vs hugo", "real site one edit, no ZIM", hugo_real, 3),
            ("real site unchanged vs hugo", "real site unchanged", hugo_real, 2),
            ("synthetic full vs hugo", "synthetic full", hugo_synthetic, 4)]
    for label, key, base, target in rows:
        if key not in figures:
            line(f"target: {label}", "skipped: not measured")
        elif not base:
            line(f"target: {label}", f"skipped: no hugo figure (ours {figures[key]:.2f} s)")
        else:
            ratio = figures[key] / base
            verdict = "met" if ratio <= target else "NOT met"
            line(f"target: {label}", f"{ratio:6.1f} x   (target <= {target} x: {verdict}; "
                                     f"{figures[key]:.2f} s vs {base:.2f} s)")


def build_real_site(site: Path) -> None:
    """The real site without PDFs (for the PDF and Lighthouse figures)."""
    timed([sys.executable, "-m", "scripts", "build", "--quiet", "--site-dir", str(site)], REPO)


def bench_first_view(site: Path, project: Project) -> None:
    """First-view weight (gzip) of every page type of the real site: the heaviest language of each type."""
    default = project.default
    types = sorted(p.stem for p in (project.docs / default).glob("*.md"))
    over = []
    for kind in [*types, "404"]:
        weights = {}
        for code in project.codes:
            page = site / "404.html" if kind == "404" else language_root(site, code, default) / f"{kind}.html"
            if page.exists():
                weights[code] = first_view_weight(site, page)
            if kind == "404":
                break
        if not weights:
            continue
        code, (total, parts) = max(weights.items(), key=lambda item: item[1][0])
        over += [f"{c}/{kind}" for c, (t, _) in weights.items() if t > 100 * 1024]
        detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in parts.items())
        line(f"first view {kind} (heaviest: {code})", f"{total / 1024:6.1f} KB  ({detail})")
    line("first view over 100 KB gz", ", ".join(over) if over else "none")


def bench_pdfs(site: Path, project: Project, cache: Path, languages: list[str], what: str) -> None:
    """PDF generation: cold cache, warm cache, and after editing one handout (the first handout of the first
    right-to-left language, else of the first language)."""
    from scripts.printing import build as pdf

    kwargs = {"site_url": "https://example.org/", "languages": languages, "jobs": min(2, os.cpu_count() or 1),
              "cache_dir": cache, "progress": False}
    cold = pdf.build_pdfs(site, project, **kwargs)
    if not cold.files:
        raise StageFailed(f"no PDF written ({'; '.join(cold.warnings) or 'no handouts found'})")
    warm = pdf.build_pdfs(site, project, **kwargs)
    handouts = [t for name, t in cold.timings.items() if f"/{pdf.PACK}.pdf" not in name and "poster-" not in name]
    stems = pdf.handout_stems(project)
    lang = next((c for c in languages if project.language(c) and project.language(c).direction == "rtl"),
                languages[0])
    page = language_root(site, lang, project.default) / f"{stems[0]}.html"
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>x</p></article>", 1),
                    encoding="utf-8")
    edited = pdf.build_pdfs(site, project, **kwargs)
    line(f"PDFs, {what}, cold cache", f"{cold.seconds:6.2f} s for {cold.generated} files "
         f"(handout avg {sum(handouts) / max(1, len(handouts)):.2f} s, max {max(handouts, default=0):.2f} s)")
    line("PDFs, nothing changed (cache)", f"{warm.seconds:6.2f} s, {warm.generated} rendered")
    line(f"PDFs, 1 handout edited ({lang}/{stems[0]})", f"{edited.seconds:6.2f} s, {edited.generated} rendered")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts bench", description=__doc__.splitlines()[0])
    parser.add_argument("--handouts", type=int, default=30, help="synthetic handouts per language (default 30)")
    parser.add_argument("--words", type=int, default=900, help="words per synthetic handout (default 900)")
    parser.add_argument("--keep", type=Path, help="keep the synthetic site in this (new or empty) folder")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: one build each, PDFs of the synthetic Arabic pages, no Lighthouse")
    args = parser.parse_args(argv)
    if args.handouts < 1 or args.words < 1:
        parser.error("--handouts and --words must be at least 1")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: folder is not empty")
    project = Project.load()
    root = args.keep or Path(tempfile.mkdtemp(prefix="handout-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    figures: dict[str, float] = {}

    def stage(label: str, run, *params) -> bool:
        """Run one stage; a failure is printed and counted, and the remaining stages still run."""
        try:
            run(*params)
            return True
        except StageFailed as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001  (a broken stage must not hide the other figures)
            message = "".join(traceback.format_exception(exc)).rstrip()
        failed.append(label)
        line(label, "FAILED\n" + message)
        return False

    try:
        names = make_content(root, project, args.handouts, args.words)
        print(f"synthetic site: {len(project.codes)} languages x {args.handouts} handouts x ~{args.words} words"
              + (" (--quick)" if args.quick else ""), flush=True)
        runs = 1 if args.quick else 5
        synthetic_ok = stage("synthetic site builds", bench_builds, root, project, names, runs, figures)
        from scripts.tools import bench_hugo

        stage("real site builds", bench_real_builds, root, project, runs, figures)

        def hugo() -> None:
            medians = bench_hugo.bench_hugo(project, root, runs, root / "docs", ["index.md", *names])
            figures.update({f"hugo {k}": v for k, v in medians.items()})

        stage("hugo", hugo)
        print_targets(figures)
        if args.quick:
            if synthetic_ok:
                stage("PDFs", bench_pdfs, root / "site", Project.load(root / "mkdocs.yml"), root / "pdf-cache",
                      [c for c in ("ar",) if c in project.codes] or project.codes[:1], "synthetic ar")
            else:
                line("PDFs", "skipped: the synthetic site did not build")
            line("Lighthouse", "skipped: --quick")
        else:
            real = root / "real-site"
            if stage("real site build (no PDFs)", build_real_site, real):
                stage("first view", bench_first_view, real, project)
                stage("PDFs", bench_pdfs, real, project, root / "pdf-cache", project.codes, "real content")
                from scripts.tools import bench_browser

                stage("search", bench_browser.bench_search, real, project)
                binary, why = bench_browser.lighthouse_binary()
                if binary:
                    stage("Lighthouse", bench_browser.bench_lighthouse, real, project, binary)
                else:
                    line("Lighthouse", f"skipped: {why}")
            else:
                line("PDFs", "skipped: the real site did not build")
                line("Lighthouse", "skipped: the real site did not build")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    if failed:
        print(f"bench: {len(failed)} stage(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
