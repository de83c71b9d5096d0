"""Bench stages in the browser: a gzip-serving local server, search index sizes and query time, Lighthouse."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
from pathlib import Path

from scripts.core.project import Project, language_path, language_root, repository_root
from scripts.tools.bench import StageFailed, line

REPO = repository_root()
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


SEARCH_QUERIES = {"de": "Aerztin", "ar": "محكمه", "fa": "كودك", "ti": "ኣለዎ", "tr": "siddet"}


def bench_search(site: Path, project: Project) -> None:
    """Per-language index sizes against the naive merged one, and query time in Chromium at 4x CPU slowdown
    (a mid-range phone): from the key press to the rendered results, median of 5 queries per language."""
    import statistics

    merged = sum(p.stat().st_size for p in site.rglob("search/search_index.json"))
    for code in project.codes:
        index = language_root(site, code, project.default) / "search" / "search_index.json"
        size = index.stat().st_size
        line(f"search index {code}", f"{size / 1024:7.1f} KB raw = 1/{merged / size:.1f} of all languages together")
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        line("search query time", "skipped: chromium not found (make test installs it)")
        return
    from playwright.sync_api import sync_playwright

    server = _gzip_server(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 360, "height": 800})
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            for code, query in SEARCH_QUERIES.items():
                if code not in project.codes:
                    continue
                page.goto(base + language_path(code, project.default) + "index.html")
                page.locator("label[for=__search]").first.click()
                box = page.locator("input[data-md-component=search-query]")
                box.fill(query[:2])
                box.press("End")
                page.wait_for_selector(".md-search-result__meta", timeout=20_000)
                page.wait_for_timeout(1500)  # the worker has loaded and built the index
                times = []
                for _ in range(5):
                    box.fill("")
                    box.press("End")
                    page.wait_for_timeout(200)
                    box.fill(query)
                    started = page.evaluate("performance.now()")
                    box.press("End")
                    page.wait_for_selector(".md-search-result__item", timeout=20_000)
                    times.append(page.evaluate("performance.now()") - started)
                line(f"search query {code} ({query})", f"{statistics.median(times):6.0f} ms median at 4x CPU slowdown")
            browser.close()
    finally:
        server.shutdown()


def lighthouse_binary() -> tuple[Path | None, str]:
    """(lighthouse executable, "") or (None, why not): npm installs it once into .cache/bench-node."""
    if not shutil.which("chromium"):
        return None, "chromium not found (Debian: apt-get install chromium)"
    npm = shutil.which("npm")
    if not npm:
        return None, "npm not found (Debian: apt-get install npm)"
    tools = REPO / ".cache" / "bench-node"
    binary = tools / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        tools.mkdir(parents=True, exist_ok=True)
        try:
            result = subprocess.run([npm, "install", "--no-save", "--silent", "--prefix", str(tools), LIGHTHOUSE],
                                    check=False, capture_output=True, text=True, timeout=600)
        except subprocess.TimeoutExpired:
            return None, f"npm install {LIGHTHOUSE} took over 10 minutes"
        if result.returncode != 0 or not binary.exists():
            why = (result.stderr.strip().splitlines() or ["no output"])[-1]
            return None, f"npm install {LIGHTHOUSE} failed ({why})"
    return binary, ""


# Every page type, in the languages whose pages carry a web font (Arabic script, Ethiopic); German-only pages once
LIGHTHOUSE_PAGES = [("ar", "index"), ("ar", "about"), ("ar", "events"), ("fa", "verzeichnis"), ("ps", "rechte"),
                    ("ti", "index"), ("ti", "rechte"), ("ti", "events"), ("ti", "drucken"), ("de", "404"),
                    ("de", "status")]


def bench_lighthouse(site: Path, project: Project, binary: Path) -> None:
    """Lighthouse mobile scores of every page type (npm lighthouse + Debian Chromium, gzip server): performance,
    cumulative layout shift and the first view's transfer size (HTML, CSS, JS, fonts)."""
    server = _gzip_server(site)
    port = server.server_address[1]
    pages = [("404.html" if stem == "404" else f"{language_path(code, project.default)}{stem}.html")
             for code, stem in LIGHTHOUSE_PAGES if code in project.codes]
    pages = [page for page in pages if (site / page).is_file()]
    if not pages:
        raise StageFailed("none of the Lighthouse pages is in the built site")
    try:
        for page in pages:
            out = site.parent / "lighthouse.json"
            try:
                subprocess.run([str(binary), f"http://127.0.0.1:{port}/{page}", "--quiet", "--form-factor=mobile",
                                "--only-categories=performance,accessibility,best-practices,seo",
                                "--output=json", f"--output-path={out}",
                                ("--chrome-flags=--headless=new --no-sandbox --disable-gpu "
                                 "--disable-background-networking --disable-component-update --disable-sync")],
                               env={**os.environ, "CHROME_PATH": shutil.which("chromium") or "chromium"},
                               check=False, capture_output=True, text=True, timeout=300)
            except subprocess.TimeoutExpired:
                pass
            if not out.exists():
                raise StageFailed(f"lighthouse wrote no report for {page}")
            data = json.loads(out.read_text(encoding="utf-8"))
            scores = {k: round((v.get("score") or 0) * 100) for k, v in data["categories"].items()}
            audits = data["audits"]
            first_view = sum(item.get("transferSize", 0) for item in audits["network-requests"]["details"]["items"]
                             if item.get("resourceType") in ("Document", "Stylesheet", "Script", "Font"))
            line(f"Lighthouse mobile {page}", f"perf {scores.get('performance')}, CLS "
                 f"{audits['cumulative-layout-shift']['numericValue']:.3f}, first view {first_view / 1024:.1f} KB, "
                 f"a11y {scores.get('accessibility')}, best practices {scores.get('best-practices')}, "
                 f"SEO {scores.get('seo')} (FCP {audits['first-contentful-paint']['displayValue']})")
            out.unlink()
    finally:
        server.shutdown()
