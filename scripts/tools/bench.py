"""Benchmark: synthetic 10-language site (30 handouts x ~900 words each, real scripts), ours vs naive.

`python -m scripts.bench [--handouts 30] [--words 900] [--keep DIR]`. Prints figures only; no pass/fail.
Naive = Material + static-i18n defaults on the same content (plus the UI partials Material lacks,
without which it cannot build ps/ku/ti at all).
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
from pathlib import Path

from scripts.core.project import ROOT, languages, load_mkdocs_config

FALLBACK_WORDS = {
    "de": "Gewalt Schutz Hilfe Beratung Polizei Recht Familie Kinder Frauen Männer Wohnung Gericht",
    "ar": "العنف الحماية المساعدة الاستشارة الشرطة حق الأسرة الأطفال النساء الرجال المنزل المحكمة",
    "ti": "ዓመጽ ሓለዋ ሓገዝ ምኽሪ ፖሊስ መሰል ስድራቤት ቆልዑ ደቂ ኣንስቲዮ ደቂ ተባዕትዮ ገዛ ቤት ፍርዲ",
}


def _vocabulary(code: str) -> list[str]:
    words: list[str] = []
    folder = ROOT / "docs" / code
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


def make_content(root: Path, codes: list[str], handouts: int, n_words: int) -> list[str]:
    rng = random.Random(20261125)
    names = [f"handout-{i:02d}.md" for i in range(1, handouts + 1)]
    for code in codes:
        words = _vocabulary(code)
        folder = root / "docs" / code
        folder.mkdir(parents=True)
        (folder / "index.md").write_text("# " + " ".join(words[:3]) + "\n\n" + " ".join(words[:200]) + "\n",
                                         encoding="utf-8")
        for name in names:
            title = " ".join(rng.choices(words, k=3)).replace(":", " ")
            (folder / name).write_text(_handout(rng, words, n_words, title), encoding="utf-8")
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets")
    return names


def write_configs(root: Path, names: list[str]) -> tuple[Path, Path]:
    ours = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    ours = ours.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    ours = ours.replace("- overrides/hooks/site_glue.py", f"- {ROOT / 'overrides/hooks/site_glue.py'}")
    ours = ours.replace("  - overrides\n", f"  - {ROOT / 'overrides'}\n")
    ours = ours.split("\nnav:")[0] + "\nnav:\n  - index.md\n" + "".join(f"  - {n}\n" for n in names)
    (root / "mkdocs.yml").write_text(ours, encoding="utf-8")
    shutil.copytree(ROOT / "data", root / "data")
    (root / "data" / "events.yml").write_text(
        "events:\n  - id: bench-event\n    start: 2030-01-10 17:00\n    duration: 2 h\n    languages: [ar]\n"
        "    audience: everyone\n    topic: handout-01\n    venue: {name: Zentrum, kind: other}\n"
        "    title: {de: Termin}\n", encoding="utf-8")
    # naive: Material + static-i18n defaults; only the partials Material lacks
    naive_dir = root / "naive"
    (naive_dir / "overrides" / "partials" / "languages").mkdir(parents=True)
    for partial in (ROOT / "overrides" / "partials" / "languages").glob("*.html"):
        shutil.copy(partial, naive_dir / "overrides" / "partials" / "languages")
    config = load_mkdocs_config()
    langs = "\n".join(f"        - locale: {lang.code}\n          name: {lang.name}\n          build: true"
                      + ("\n          default: true" if lang.default else "") for lang in languages(config))
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
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children", encoding="ascii") as fh:
                    stack += [int(c) for c in fh.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def timed(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak resident MB of the whole process tree, sampled every 50 ms)."""
    start = time.perf_counter()
    errors = tempfile.TemporaryFile()  # a file, not a pipe: a chatty child must never block on it
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
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{errors.read().decode(errors='replace')[-2000:]}")
    return wall, peak / 1024


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def first_view_weight(site: Path, page: Path, font_prefix: str) -> tuple[int, dict[str, int]]:
    """gzip bytes of a page's HTML + stylesheets + scripts + the fonts its script needs."""
    html = page.read_text(encoding="utf-8")
    parts = {"html": gzip_size(page)}
    for kind, pattern in (("css", r'<link rel="stylesheet" href="([^"]+)"'), ("js", r'<script src="([^"]+)"')):
        for href in re.findall(pattern, html):
            parts[kind] = parts.get(kind, 0) + gzip_size((page.parent / href.split("?")[0]).resolve())
    fonts = sorted((site / "assets" / "fonts").glob(f"{font_prefix}-core.woff2"))
    parts["fonts"] = sum(gzip_size(f) for f in fonts)
    return sum(parts.values()), parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--handouts", type=int, default=30)
    parser.add_argument("--words", type=int, default=900)
    parser.add_argument("--keep", type=Path, help="keep the synthetic site in this folder")
    args = parser.parse_args(argv)
    codes = [lang.code for lang in languages()]
    root = Path(tempfile.mkdtemp(prefix="handout-bench-")) if not args.keep else args.keep
    root.mkdir(parents=True, exist_ok=True)
    try:
        names = make_content(root, codes, args.handouts, args.words)
        ours_cfg, naive_cfg = write_configs(root, names)
        py = sys.executable
        print(f"synthetic site: {len(codes)} languages x {args.handouts} handouts x ~{args.words} words")
        naive_cmd = [py, "-m", "mkdocs", "build", "-q", "-f", str(naive_cfg), "-d", str(root / "naive-site")]
        ours_cmd = [py, "-m", "scripts", "build", "--quiet", "--config", str(ours_cfg)]
        # best of three each, alternating, so a busy moment on the machine hits both alike
        naive_runs, ours_runs = [], []
        for _ in range(3):
            naive_runs.append(timed(naive_cmd, ROOT))
            ours_runs.append(timed(ours_cmd, ROOT))
        naive_wall, naive_mem = min(r[0] for r in naive_runs), max(r[1] for r in naive_runs)
        ours_wall, ours_mem = min(r[0] for r in ours_runs), max(r[1] for r in ours_runs)
        single_wall, _ = timed(ours_cmd + ["--jobs", "1"], ROOT)
        print(f"full build, naive Material+static-i18n : {naive_wall:6.2f} s   peak {naive_mem:6.0f} MB")
        print(f"full build, this site                  : {ours_wall:6.2f} s   peak {ours_mem:6.0f} MB"
              f"   ({ours_wall / naive_wall:.2f} x naive; 2 processes)")
        print(f"full build, this site, one process     : {single_wall:6.2f} s"
              f"                  ({single_wall / naive_wall:.2f} x naive)")
        # edit one Arabic handout, rebuild Arabic only (the editors' preview)
        edited = root / "docs" / "ar" / names[0]
        edited.write_text(edited.read_text(encoding="utf-8") + "\nتعديل\n", encoding="utf-8")
        one_wall, one_mem = timed([py, "-m", "mkdocs", "build", "-q", "-f", str(ours_cfg),
                                   "-d", str(root / "one-site")], ROOT, {"BUILD_ONLY_LOCALE": "ar"})
        print(f"one-language rebuild (ar, 1 edited)    : {one_wall:6.2f} s   peak {one_mem:6.0f} MB")
        site = root / "site"
        for code, prefix in (("ar", "noto-sans-arabic"), ("ti", "noto-sans-ethiopic"), ("de", "none")):
            total, parts = first_view_weight(site, (site / code if code != "de" else site) / names[0].replace(".md", ".html"),
                                             prefix)
            detail = ", ".join(f"{k} {v / 1024:.1f}" for k, v in parts.items())
            print(f"first view {code} handout (gzip)          : {total / 1024:6.1f} KB  ({detail})")
        naive_index = root / "naive-site" / "search" / "search_index.json"
        naive_size = naive_index.stat().st_size
        print(f"search index, naive (all languages)    : {naive_size / 1024:6.1f} KB raw, "
              f"{gzip_size(naive_index) / 1024:.1f} KB gzip")
        for code in codes:
            index = (site / "search" if code == codes[0] else site / code / "search") / "search_index.json"
            docs = len(json.loads(index.read_text(encoding="utf-8"))["docs"])
            print(f"search index {code:<3}                       : {index.stat().st_size / 1024:6.1f} KB raw, "
                  f"{gzip_size(index) / 1024:5.1f} KB gzip, {docs} entries, "
                  f"1/{naive_size / index.stat().st_size:.1f} of naive")
        bench_pdfs(root)
        bench_lighthouse(root / "real-site")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def bench_pdfs(tmp: Path) -> None:
    """PDF generation on the real content: cold cache, warm cache, and after editing one handout."""
    from scripts.printing import build as pdf

    site = tmp / "real-site"
    result = subprocess.run([sys.executable, "-m", "scripts", "build", "--quiet", "--site-dir", str(site)],
                            cwd=ROOT, env={**os.environ, "SKIP_PDF": "1", "NO_MKDOCS_2_WARNING": "1"},
                            capture_output=True, text=True)
    if result.returncode != 0:
        print(f"PDF bench skipped: the real site did not build\n{result.stderr[-1000:]}")
        return
    codes = [lang.code for lang in languages()]
    cache = tmp / "pdf-cache"
    kwargs = dict(site_url="https://example.org/", languages=codes, default=codes[0], jobs=os.cpu_count() or 2,
                  cache_dir=cache, progress=False)
    cold = pdf.build_pdfs(site, ROOT, **kwargs)
    warm = pdf.build_pdfs(site, ROOT, **kwargs)
    handouts = [t for name, t in cold.timings.items() if "/pdf/pack" not in name and "poster-" not in name]
    page = (site / "ar" / "rechte.html")
    page.write_text(page.read_text(encoding="utf-8").replace("</article>", "<p>x</p></article>", 1), encoding="utf-8")
    edited = pdf.build_pdfs(site, ROOT, **kwargs)
    print(f"PDFs, real content, cold cache           : {cold.seconds:6.2f} s for {cold.generated} files "
          f"(handout avg {sum(handouts) / max(1, len(handouts)):.2f} s, max {max(handouts, default=0):.2f} s)")
    print(f"PDFs, nothing changed (cache)            : {warm.seconds:6.2f} s, {warm.generated} rendered")
    print(f"PDFs, one handout edited (ar/rechte)     : {edited.seconds:6.2f} s, {edited.generated} rendered")


if __name__ == "__main__":
    sys.exit(main())


LIGHTHOUSE = "lighthouse@12.2.3"


def _gzip_server(folder: Path):
    """A local static server that compresses text like any production server (Lighthouse measures bytes)."""
    import functools
    import http.server
    import io
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send_head(self):
            path = self.translate_path(self.path)
            if "gzip" in self.headers.get("Accept-Encoding", "") and path.endswith(
                    (".html", ".css", ".js", ".json", ".svg")) and Path(path).is_file():
                data = gzip.compress(Path(path).read_bytes(), 6)
                self.send_response(200)
                self.send_header("Content-Type", self.guess_type(path))
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return io.BytesIO(data)
            return super().send_head()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bench_lighthouse(site: Path) -> None:
    """Lighthouse mobile scores of an Arabic and a Tigrinya handout (npm lighthouse + Debian Chromium)."""
    chromium = shutil.which("chromium")
    npm = shutil.which("npm")
    if not site.is_dir() or not chromium or not npm:
        print("Lighthouse                               : skipped (needs the built site, chromium and npm)")
        return
    tools = ROOT / ".cache" / "bench-node"
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        tools.mkdir(parents=True, exist_ok=True)
        result = subprocess.run([npm, "install", "--no-save", "--silent", "--prefix", str(tools), LIGHTHOUSE],
                                capture_output=True, text=True)
        if result.returncode != 0 or not binary.exists():
            print(f"Lighthouse                               : skipped (npm install {LIGHTHOUSE} failed)")
            return
    server = _gzip_server(site)
    port = server.server_address[1]
    try:
        for page in ("ar/rechte.html", "ti/rechte.html"):
            out = site.parent / "lighthouse.json"
            subprocess.run([str(binary), f"http://127.0.0.1:{port}/{page}", "--quiet", "--form-factor=mobile",
                            "--only-categories=performance,accessibility,best-practices,seo",
                            "--output=json", f"--output-path={out}",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                            "--disable-background-networking --disable-component-update --disable-sync"],
                           env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, timeout=300)
            if not out.exists():
                print(f"Lighthouse {page:<30}: failed to run")
                continue
            data = json.loads(out.read_text(encoding="utf-8"))
            scores = {k: round((v.get("score") or 0) * 100) for k, v in data["categories"].items()}
            fcp = data["audits"]["first-contentful-paint"]["displayValue"]
            print(f"Lighthouse mobile {page:<22}: perf {scores.get('performance')}, a11y "
                  f"{scores.get('accessibility')}, best practices {scores.get('best-practices')}, "
                  f"SEO {scores.get('seo')} (FCP {fcp}, gzip server)")
            out.unlink()
    finally:
        server.shutdown()
