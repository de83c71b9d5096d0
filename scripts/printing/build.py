"""Print material: one PDF per handout and language, one language pack per language, event posters,
and the "Print material" page listing them. WeasyPrint renders; `scripts.pdf_render` builds the HTML.

Output, per language root (the site root for German, site/<lang>/ otherwise):
  pdf/<handout>.pdf   the handout with header, QR code to the online page and emergency numbers
  pdf/pack.pdf        cover page, table of contents and all handouts
  pdf/poster-<id>.pdf A4 poster for each upcoming, not cancelled event held in that language
                      (German root: every such event)
  bilingual handouts and packs (<lang>/pdf/<handout>-de.pdf, pack-de.pdf) and QR posters (pdf/qr-wall.pdf,
  pdf/qr-<handout>.pdf): see scripts/printing/multilingual.py

Cost: each PDF is cached in .cache/pdf/ by the sha256 of its complete input (HTML, stylesheet, fonts,
WeasyPrint version), so a rebuild after editing one handout renders only that handout and its pack.
Rendering runs in a pool of `jobs` processes (one per core), the longest documents first; each process
renders all its documents with one `weasy.Renderer` (stylesheets parsed and fonts loaded once, not per
PDF). A progress line is shown on a terminal.

`python -m scripts pdf [--site site] [--lang ar] [--no-cache] [--jobs N]`: generate from an already
built site. Exit 0 ok, 1 problems, 2 usage error. Set SKIP_PDF=1 to skip PDFs in `make build`.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import html
import importlib.metadata
import multiprocessing
import multiprocessing.util
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

from scripts.core.pages import page_title
from scripts.core.problems import InputError, display_path
from scripts.core.project import Project, language_path, language_root
from scripts.events.model import Event, load_events
from scripts.helpdir import load_emergency
from scripts.printing import multilingual, weasy
from scripts.printing import render as pdf_render

NOT_HANDOUTS = frozenset({"index", "about", "events", "status", "drucken"})
PDF_DIR = "pdf"
PACK = "pack"
SKIP_ENV = "SKIP_PDF"


def skip_requested() -> bool:
    """True when the environment asks for a fast build without PDFs (SKIP_PDF=1)."""
    return os.environ.get(SKIP_ENV, "").strip().lower() not in ("", "0", "false", "no")


# ---- strings -----------------------------------------------------------------------------------------

def print_strings(lang: str, project: Project) -> dict[str, str]:
    """UI texts for PDFs and the print page in `lang`, German filling gaps (read once, cached)."""
    return project.strings(lang, "strings-print")


def download_label(lang: str, project: Project) -> str:
    """Text of the "Download PDF" link on handout pages."""
    return print_strings(lang, project)["download_pdf"]


def _labels(lang: str, project: Project) -> pdf_render.Labels:
    """The project's own names, UI texts and emergency numbers for one language's PDFs."""
    strings = project.strings(lang)
    numbers = load_emergency(project.data / "emergency.yml")
    return pdf_render.Labels(
        lang=lang, site_name=strings["site_name"], language_name=strings["language_name"],
        emergency_label=strings["emergency_label"],
        emergency=tuple((strings.get(n.label, n.label), n.phone) for n in numbers),
        strings=print_strings(lang, project))


# ---- paths and URLs ----------------------------------------------------------------------------------

def handout_stems(project: Project) -> list[str]:
    """Handouts in nav order (mkdocs.yml), else every German Markdown file; minus the non-handout pages."""
    stems: list[str] = []
    for item in project.config.get("nav") or []:
        value = item if isinstance(item, str) else next(iter(item.values())) if isinstance(item, dict) else ""
        if isinstance(value, str) and value.endswith(".md"):
            stems.append(Path(value).stem)
    if not stems:
        stems = sorted(p.stem for p in (project.docs / project.default).glob("*.md"))
    return [s for s in stems if s not in NOT_HANDOUTS]


def poster_events(project: Project, today: date) -> list[Event]:
    """Upcoming, not cancelled events, soonest first."""
    path = project.data / "events.yml"
    if not path.exists():
        return []
    events = load_events(path, project.codes, None)
    return sorted((e for e in events if e.status != "cancelled" and not e.is_past(today)),
                  key=lambda e: (e.start, e.id))


def posters_for(lang: str, default: str, events: list[Event]) -> list[Event]:
    return [e for e in events if lang == default or lang in e.languages]


# ---- report ------------------------------------------------------------------------------------------

@dataclass
class PdfReport:
    generated: int = 0
    cached: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    files: list[tuple[Path, int]] = field(default_factory=list)      # written file, size in bytes
    timings: dict[str, float] = field(default_factory=dict)          # rendered file -> seconds

    def summary(self) -> str:
        slowest = max(self.timings.items(), key=lambda kv: kv[1], default=None)
        text = (f"PDFs: {len(self.files)} files, {self.generated} generated, {self.cached} from cache, "
                f"{self.seconds:.1f} s")
        if slowest:
            text += f" (slowest: {slowest[0]} {slowest[1]:.2f} s)"
        return text


@dataclass(frozen=True)
class _Job:
    name: str            # e.g. "ar/pdf/rechte.pdf", relative to the site
    key: str
    document: str        # full HTML
    base_url: str
    langs: tuple[str, ...] = ()   # languages of its text (the font check names them)


@lru_cache(maxsize=1)
def _weasyprint_version() -> str:
    """WeasyPrint's version, read without importing WeasyPrint (~0.5 s) when every PDF is in the cache."""
    try:
        return importlib.metadata.version("weasyprint")
    except importlib.metadata.PackageNotFoundError:
        import weasyprint

        return weasyprint.__version__


def _key(document: str) -> str:
    digest = hashlib.sha256()
    for part in (pdf_render.FORMAT_VERSION, _weasyprint_version(), pdf_render.fonts_digest(), document):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


_RENDERER: weasy.Renderer | None = None      # a pool worker's renderer, for all its documents


def _start_worker() -> None:
    """Pool initializer: the worker's renderer (stylesheets parsed, fonts loaded), freed when the worker ends."""
    global _RENDERER
    _RENDERER = weasy.Renderer()
    multiprocessing.util.Finalize(None, _RENDERER.close, exitpriority=0)
    # WeasyPrint makes many short-lived objects: fewer collections, and none of them over the modules and
    # stylesheets loaded so far (~2 % of the worker's time; the PDFs are the same)
    gc.freeze()
    gc.set_threshold(10_000, 50, 50)


def _render(job_and_dir: tuple[_Job, str], renderer: weasy.Renderer | None = None) -> tuple[str, str, float, list[str]]:
    """Worker: HTML -> PDF into the cache folder (atomic rename). Returns (name, key, seconds, warnings),
    the warnings without WeasyPrint's noise (`weasy.is_noise`)."""
    job, cache_dir = job_and_dir
    started = time.perf_counter()
    renderer = renderer or _RENDERER
    assert renderer is not None, "_render runs in a pool started with _start_worker, or is given a renderer"
    target = Path(cache_dir) / f"{job.key}.pdf"
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    messages = renderer.write_pdf(job.document, job.base_url, tmp)
    tmp.replace(target)
    return job.name, job.key, time.perf_counter() - started, messages


def _progress(done: int, total: int, name: str, enabled: bool) -> None:
    if enabled:
        line = f"PDF {done}/{total} {name}"
        sys.stderr.write("\r" + line[:100].ljust(100))
        sys.stderr.flush()


# ---- planning the jobs -------------------------------------------------------------------------------

def _plan(site: Path, project: Project, *, site_url: str, languages: list[str],
          today: date, handouts: list[str] | None, report: PdfReport, extras: bool = False) -> list[_Job]:
    base = site_url.rstrip("/") + "/" if site_url else ""
    default = project.default
    stems = handouts if handouts is not None else handout_stems(project)
    events = poster_events(project, today)
    jobs: list[_Job] = []
    labels_by_lang = {lang: _labels(lang, project) for lang in set(languages) | {default}}
    es_by_lang = {lang: project.strings(lang, "strings-events") for lang in labels_by_lang}
    for lang in languages:
        labels = labels_by_lang[lang]
        folder = language_root(site, lang, default)
        prefix = language_path(lang, default)
        url_base = base + prefix if base else ""
        pack_parts = []
        for stem in stems:
            page = folder / f"{stem}.html"
            if not page.exists():
                report.warnings.append(f"{display_path(page)}: page missing, no PDF for it")
                continue
            article = pdf_render.extract_article(page.read_text(encoding="utf-8"))
            title = pdf_render.page_title(article) or stem
            url = f"{url_base}{stem}.html" if base else ""
            content = pdf_render.prepare_content(article, page_url_base=url_base, page_file=page)
            jobs.append(_Job(f"{prefix}{PDF_DIR}/{stem}.pdf", "",
                             pdf_render.handout_document(labels, title, content, url), page.as_uri(), (lang,)))
            pack_parts.append((stem, title, pdf_render.prepare_content(
                article, page_url_base=url_base, page_file=page, id_prefix=f"{stem}-")))
        if pack_parts:
            as_of = today.strftime("%d.%m.%Y")
            jobs.append(_Job(f"{prefix}{PDF_DIR}/{PACK}.pdf", "", pdf_render.pack_document(
                labels, pack_parts, f"{url_base}index.html" if base else "", as_of), folder.as_uri() + "/", (lang,)))
        for event in posters_for(lang, default, events):
            order = ([lang] if lang in event.languages else []) + \
                    [c for c in event.languages if c in labels_by_lang and c != lang] + [default]
            missing = [c for c in event.languages if c not in labels_by_lang and c in project.codes]
            for code in missing:
                labels_by_lang[code] = _labels(code, project)
                es_by_lang[code] = project.strings(code, "strings-events")
                order.insert(-1, code)
            order = list(dict.fromkeys(order))
            blocks = [pdf_render.PosterLanguage(labels_by_lang[c], es_by_lang[c]) for c in order]
            url = f"{url_base}events.html#ev-{event.id}" if base else ""
            jobs.append(_Job(f"{prefix}{PDF_DIR}/poster-{event.id}.pdf", "",
                             pdf_render.poster_document(event, blocks, labels, es_by_lang[lang], url),
                             folder.as_uri() + "/", tuple(order)))
    if extras:
        def labels_for(code: str) -> pdf_render.Labels:
            if code not in labels_by_lang:
                labels_by_lang[code] = _labels(code, project)
            return labels_by_lang[code]
        jobs += [_Job(p.name, "", p.document, p.base_url, p.langs) for p in multilingual.plan(
            site, project, site_url=site_url, languages=languages, stems=stems, today=today, labels=labels_for,
            warnings=report.warnings)]
    return [_Job(j.name, _key(j.document), j.document, j.base_url, j.langs) for j in jobs]


# ---- public API --------------------------------------------------------------------------------------

def build_pdfs(site: Path, project: Project, *, site_url: str, languages: list[str], jobs: int = 2,
               cache_dir: Path | None = None, today: date | None = None, progress: bool | None = None,
               handouts: list[str] | None = None, extras: bool | None = None) -> PdfReport:
    """Write every handout PDF, language pack and event poster into the built `site`; see module doc.
    `extras`: also the bilingual PDFs and QR posters (default: when all handouts are built). InputError when
    a character of any PDF has no font (the language is named)."""
    started = time.perf_counter()
    site = site.resolve()
    report = PdfReport()
    today = today or date.today()
    cache = cache_dir or project.root / ".cache" / "pdf"
    cache.mkdir(parents=True, exist_ok=True)
    if not site_url:
        report.warnings.append("site_url is empty: PDFs have no QR code and no web address "
                               "(set SITE_URL or site_url in mkdocs.yml)")
    missing_fonts = {stem for _, stem in pdf_render.FONTS} - {p.name.split("-")[0] for *_, p in
                                                              pdf_render.font_files()}
    if missing_fonts:
        report.warnings.append(f"fonts missing in {pdf_render.FONT_DIR}: {', '.join(sorted(missing_fonts))} "
                               "(install Debian fonts-noto-core)")
    extras = handouts is None if extras is None else extras
    if extras and not site_url:
        report.warnings.append("site_url is empty: no QR posters (pdf/qr-wall.pdf, pdf/qr-<handout>.pdf) "
                               "(set SITE_URL or site_url in mkdocs.yml)")
    planned = _plan(site, project, site_url=site_url, languages=languages, today=today,
                    handouts=handouts, report=report, extras=extras)
    no_font = multilingual.glyph_problems([(j.name, j.document, j.langs) for j in planned], project)
    if no_font:
        raise InputError(no_font)
    rendered: dict[str, list[str]] = {}   # WeasyPrint warning -> PDFs
    todo = [job for job in planned if not (cache / f"{job.key}.pdf").exists()]
    todo_keys: dict[str, _Job] = {}
    for job in todo:          # identical documents (same poster twice) are rendered once
        todo_keys.setdefault(job.key, job)
    show = sys.stderr.isatty() if progress is None else progress
    if todo_keys:
        import weasyprint  # noqa: F401  (imported before forking: workers start warm)

        # the longest documents first, so no worker is left with a big pack while the others are done
        work = [(job, str(cache)) for job in sorted(todo_keys.values(), key=lambda j: (-len(j.document), j.name))]
        total = len(work)
        if jobs > 1 and total > 1:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(min(jobs, total), initializer=_start_worker) as pool:
                for done, (name, _, seconds, messages) in enumerate(pool.imap_unordered(_render, work), 1):
                    report.timings[name] = seconds
                    for message in messages:
                        rendered.setdefault(message, []).append(name)
                    _progress(done, total, name, show)
                pool.close()      # the workers end normally and free their fonts (see `_start_worker`)
                pool.join()
        else:
            renderer = weasy.Renderer()
            try:
                for done, item in enumerate(work, 1):
                    _progress(done - 1, total, item[0].name, show)
                    name, _, seconds, messages = _render(item, renderer)
                    report.timings[name] = seconds
                    for message in messages:
                        rendered.setdefault(message, []).append(name)
            finally:
                renderer.close()
        if show:
            sys.stderr.write("\r" + " " * 100 + "\r")
    for message, names in rendered.items():
        more = f" (and {len(names) - 1} more PDFs)" if len(names) > 1 else ""
        report.warnings.append(f"{sorted(names)[0]}{more}: WeasyPrint: {message}")
    report.generated = len(todo_keys)
    report.cached = len(planned) - len(todo)
    for job in planned:
        target = site / job.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache / f"{job.key}.pdf", target)
        report.files.append((target, target.stat().st_size))
    report.seconds = time.perf_counter() - started
    return report


def human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


_SIZE_SPAN = re.compile(r'(<span data-pdf-size="([^"]+)"[^>]*>)(.*?)(</span>)', re.S)


def fill_sizes(site: Path, languages: list[str], default: str) -> int:
    """Replace the size placeholders of the print page(s) with real file sizes; returns how many."""
    count = 0
    for lang in languages:
        folder = language_root(site, lang, default)
        for page in folder.glob("*.html"):
            text = page.read_text(encoding="utf-8")
            if "data-pdf-size=" not in text:
                continue

            def size(match: re.Match[str], folder: Path = folder) -> str:
                nonlocal count
                target = (folder / html.unescape(match.group(2))).resolve()
                count += 1
                shown = human_size(target.stat().st_size) if target.exists() else "–"
                return f"{match.group(1)}{shown}{match.group(4)}"
            page.write_text(_SIZE_SPAN.sub(size, text), encoding="utf-8")
    return count


def _md_title(path: Path) -> str:
    return page_title(path) if path.exists() else ""


def render_print_page(lang: str, project: Project, *, events_today: date | None = None,
                      extra: Iterable[str] = ()) -> str:
    """HTML fragment for the "Print material" page of `lang`: all PDFs with size placeholders."""
    e = pdf_render._e
    default = project.default
    strings = print_strings(lang, project)
    today = events_today or date.today()
    codes = project.codes
    up = "" if lang == default else "../"

    def card(href: str, title: str, note: str = "", title_lang: str = "") -> str:
        attrs = f' lang="{title_lang}" dir="{pdf_render.dir_of(title_lang)}"' if title_lang else ""
        note_html = f'<span class="site-print__note">{e(note)}</span>' if note else ""
        return (f'<li class="site-print__item"><a href="{e(href)}" download><span class="site-print__title"{attrs}>'
                f'{e(title)}</span></a>{note_html}<span class="site-print__meta">PDF, '
                f'<span data-pdf-size="{e(href)}">…</span></span></li>')

    items = []
    for stem in handout_stems(project):
        own = _md_title(project.docs / lang / f"{stem}.md")
        title = own or _md_title(project.docs / default / f"{stem}.md") or stem
        items.append(card(f"{PDF_DIR}/{stem}.pdf", title, title_lang="" if own else default))
    out = [f'<div class="site-print" lang="{lang}" dir="{pdf_render.dir_of(lang)}">',
           f'<p>{e(strings["print_intro"])}</p>',
           f'<h2 id="pack">{e(strings["pack"])}</h2><ul class="site-print__grid">',
           card(f"{PDF_DIR}/{PACK}.pdf", strings["pack"], strings["pack_hint"]), "</ul>",
           f'<h2 id="handouts">{e(strings["handouts"])}</h2><ul class="site-print__grid">', *items, "</ul>",
           f'<h2 id="posters">{e(strings["posters"])}</h2>']
    try:
        events = posters_for(lang, default, poster_events(project, today))
    except InputError:
        events = []          # the events build step reports calendar problems
    if events:
        from scripts.events.render import format_when
        out.append('<ul class="site-print__grid">')
        for event in events:
            title, title_lang = event.text("title", lang) or (event.id, default)
            day, times = format_when(event, lang)
            out.append(card(f"{PDF_DIR}/poster-{event.id}.pdf", title, f"{day}, {times}",
                            title_lang if title_lang != lang else ""))
        out.append("</ul>")
    else:
        out.append(f'<p>{e(strings["no_posters"])}</p>')
    # bilingual PDFs and QR posters
    out.extend(multilingual.print_page_sections(lang, project, handout_stems(project), card))
    others = [c for c in codes if c != lang]
    if others:
        out.append(f'<h2 id="other-packs">{e(strings["other_packs"])}</h2><ul class="site-print__grid">')
        for code in others:
            href = f"{up}{language_path(code, default)}{PDF_DIR}/{PACK}.pdf"
            out.append(card(href, project.strings(code)["language_name"], print_strings(code, project)["pack"],
                            title_lang=code))
        out.append("</ul>")
    out.extend(extra)  # e.g. the offline copies (site/download/), composed by the site glue
    out.append("</div>")
    return "\n".join(out)


# ---- command line ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts pdf", description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, default=None, help="built site (default: site/)")
    parser.add_argument("--lang", action="append", help="only this language (repeatable)")
    parser.add_argument("--no-cache", action="store_true", help="render everything again")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--site-url", default=None, help="public address (default: SITE_URL / mkdocs.yml)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code == 0 else 2
    try:
        project = Project.load()
    except InputError as exc:
        print(exc, file=sys.stderr)
        return 2
    args.site = args.site or project.root / "site"
    if not (args.site / "index.html").exists():
        print(f"{display_path(args.site)}: no built site here; run `python -m scripts build` first",
              file=sys.stderr)
        return 2
    codes, default = project.codes, project.default
    chosen = args.lang or codes
    unknown = [c for c in chosen if c not in codes]
    if unknown:
        print(f"unknown language {unknown[0]!r}; configured: {' '.join(codes)}", file=sys.stderr)
        return 2
    site_url = args.site_url if args.site_url is not None else project.site_url
    cache = project.root / ".cache" / "pdf"
    if args.no_cache:
        import tempfile
        cache = Path(tempfile.mkdtemp(prefix="pdf-cache-"))
    try:
        report = build_pdfs(args.site, project, site_url=site_url, languages=chosen, jobs=args.jobs,
                            cache_dir=cache)
    except InputError as exc:
        print(str(exc))
        return 1
    finally:
        if args.no_cache:
            shutil.rmtree(cache, ignore_errors=True)
    fill_sizes(args.site, chosen, default)
    for warning in report.warnings:
        print(f"warning: {warning}")
    print(report.summary())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
