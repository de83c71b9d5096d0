"""The hosting recipes in deploy/: the real Debian nginx serves a built site under /gewaltschutz/ through
deploy/nginx/gewaltschutz.conf (included as it is) and the CSP map deploy/csp-header.py generates; then
headers, types, compression, cache times, the 404 page, no access log, and Chromium at 360 px against it."""

from __future__ import annotations

import gzip
import html
import http.client
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_build
from tests.test_browser import _search, _search_term

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PREFIX = "/gewaltschutz/"
RECIPE = ROOT / "deploy" / "nginx" / "gewaltschutz.conf"
CSP_SCRIPT = ROOT / "deploy" / "csp-header.py"
_META_CSP = re.compile(r"<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]*)\">")
HTML_CACHE, FONT_CACHE, HASHED_CACHE = "max-age=300", "max-age=2592000", "max-age=31536000"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """The Debian nginx binary in the foreground, one process as the current user, everything in `base`."""

    def __init__(self, base: Path, site: Path):
        self.base, self.site, self.port = base, site, _free_port()
        self.access_log, self.error_log = base / "access.log", base / "error.log"
        (base / "temp").mkdir()
        csp = subprocess.run([sys.executable, str(CSP_SCRIPT), "nginx", str(site), "--prefix", PREFIX],
                             capture_output=True, text=True, timeout=60)
        assert csp.returncode == 0, csp.stderr
        (base / "gewaltschutz-csp.conf").write_text(csp.stdout, encoding="utf-8")
        temp = " ".join(f"{kind}_temp_path {base}/temp/{kind};" for kind in ("client_body", "proxy", "fastcgi",
                                                                              "uwsgi", "scgi"))
        # the http-level access log is on, so the test sees that the recipe switches it off
        self.conf = base / "nginx.conf"
        self.conf.write_text(f"""daemon off;
master_process off;
pid {base}/nginx.pid;
error_log {self.error_log} info;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    {temp}
    access_log {self.access_log};
    include {base}/gewaltschutz-csp.conf;
    server {{
        listen 127.0.0.1:{self.port};
        root {site.parent};
        include {RECIPE};
    }}
}}
""", encoding="utf-8")

    def __enter__(self) -> Nginx:
        cmd = [NGINX, "-p", f"{self.base}/", "-c", str(self.conf), "-e", str(self.error_log)]
        check = subprocess.run([*cmd, "-t"], capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"nginx stopped: {self.process.stderr.read()}\n{self.error_log.read_text()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        pytest.fail("nginx did not start listening within 10 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{PREFIX}"

    def get(self, path: str, **headers: str) -> tuple[int, http.client.HTTPMessage, bytes]:
        """GET without following redirects or decoding: (status, headers, body as sent)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path, headers={k.replace("_", "-"): v for k, v in headers.items()})
            response = conn.getresponse()
            return response.status, response.headers, response.read()
        finally:
            conn.close()


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.fail("Debian nginx is not installed: run `make test`, which installs it (make sysdeps-test)")
    base = tmp_path_factory.mktemp("deploy")
    site = base / "www" / PREFIX.strip("/")
    site.parent.mkdir()
    # the 404 page works at any depth through <base href>, the path of SITE_URL (host and port do not matter)
    result = run_build(ROOT / "mkdocs.yml", site, env={"SKIP_PDF": "1", "SITE_URL": f"http://127.0.0.1{PREFIX}"})
    assert result.returncode == 0, result.stderr + result.stdout
    # files the recipe types but this build need not contain, and a hidden file
    (site / "deploy-test.zim").write_bytes(b"ZIM\x04" + bytes(60))
    (site / "deploy-test.webmanifest").write_text('{"name": "Test", "start_url": "./"}\n', encoding="utf-8")
    (site / ".deploy-test").write_text("hidden\n", encoding="utf-8")
    with Nginx(base, site) as server:
        yield server


def _meta_csp(body: bytes) -> str:
    found = _META_CSP.findall(body.decode("utf-8"))
    assert len(found) == 1, found
    return html.unescape(found[0])


def _pages(site: Path) -> list[str]:
    """URL paths of every page below the prefix; a folder's index page also as the folder ("ar/")."""
    paths = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site).as_posix()
        if rel != "404.html":
            paths.append(PREFIX + rel)
            if page.name == "index.html":
                paths.append(PREFIX + rel[: -len("index.html")])
    return paths


def _common_headers(headers) -> None:
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_every_page_sends_its_own_meta_csp_as_header(nginx):
    paths = _pages(nginx.site)
    assert len(paths) > 100 and f"{PREFIX}ar/" in paths
    policies = set()
    for path in paths:
        status, headers, body = nginx.get(path)
        assert status == 200, path
        assert headers.get_all("Content-Security-Policy") == [_meta_csp(body)], path
        policies.add(headers["Content-Security-Policy"])
        _common_headers(headers)
        assert headers["Content-Type"] == "text/html; charset=utf-8", path
        assert headers["Cache-Control"] == HTML_CACHE, path
    assert len(policies) > 1  # per folder: the theme's inline scripts differ (see deploy/csp-header.py)


def test_csp_value_refuses_a_site_whose_pages_disagree(nginx):
    result = subprocess.run([sys.executable, str(CSP_SCRIPT), "value", str(nginx.site)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 1 and "different policies" in result.stderr


def test_csp_script_refuses_a_prefix_the_site_was_not_built_for(nginx):
    result = subprocess.run([sys.executable, str(CSP_SCRIPT), "nginx", str(nginx.site), "--prefix", "/other/"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and "SITE_URL" in result.stderr


def _first(site: Path, pattern: str) -> str:
    found = sorted(site.glob(pattern))
    assert found, pattern
    return PREFIX + found[0].relative_to(site).as_posix()


def test_types_and_cache_times(nginx):
    site = nginx.site
    cases = [  # path, Content-Type, Cache-Control
        (_first(site, "events/*.ics"), "text/calendar; charset=utf-8", HTML_CACHE),
        (PREFIX + "events.ics", "text/calendar; charset=utf-8", HTML_CACHE),
        (_first(site, "assets/fonts/*.woff2"), "font/woff2", FONT_CACHE),
        (_first(site, "assets/javascripts/bundle.*.min.js"), "application/javascript; charset=utf-8", HASHED_CACHE),
        (_first(site, "assets/stylesheets/main.*.min.css"), "text/css", HASHED_CACHE),
        (_first(site, "assets/javascripts/lunr/min/lunr.*.min.js"), "application/javascript; charset=utf-8",
         FONT_CACHE),
        (PREFIX + "assets/stylesheets/site.css", "text/css", HTML_CACHE),
        (PREFIX + "search/search_index.json", "application/json", HTML_CACHE),
        (PREFIX + "deploy-test.webmanifest", "application/manifest+json; charset=utf-8", HTML_CACHE),
        (PREFIX + "deploy-test.zim", "application/x-zim", HTML_CACHE),
    ]
    for path, content_type, cache in cases:
        status, headers, body = nginx.get(path)
        assert status == 200, path
        assert (headers["Content-Type"], headers["Cache-Control"]) == (content_type, cache), path
        _common_headers(headers)
        assert "Content-Security-Policy" not in headers, path  # only pages carry one
        assert body == (site / path[len(PREFIX):]).read_bytes(), path


def test_gzip_when_the_browser_accepts_it(nginx):
    site = nginx.site
    for path in (PREFIX, PREFIX + "ar/rechte.html", PREFIX + "events.ics", PREFIX + "search/search_index.json",
                 _first(site, "assets/javascripts/bundle.*.min.js"), _first(site, "assets/stylesheets/main.*.css")):
        original = (site / (path[len(PREFIX):] or "index.html")).read_bytes()
        status, headers, body = nginx.get(path, Accept_Encoding="gzip")
        assert status == 200 and headers["Content-Encoding"] == "gzip", path
        assert "Accept-Encoding" in headers["Vary"], path
        assert gzip.decompress(body) == original and len(body) < len(original), path
        status, headers, body = nginx.get(path)
        assert "Content-Encoding" not in headers and body == original, path


def test_missing_pages_folders_and_hidden_files_show_the_404_page(nginx):
    page = (nginx.site / "404.html").read_bytes()
    for path in ("nope.html", "ar/nope/", "assets/", "events/", "assets/fonts/nope.woff2", ".deploy-test"):
        status, headers, body = nginx.get(PREFIX + path)
        assert status == 404, path
        assert body == page, path
        assert headers["Content-Security-Policy"] == _meta_csp(page), path
        _common_headers(headers)


def test_sub_path_without_slash_redirects_relatively(nginx):
    for path in ("/gewaltschutz", "/gewaltschutz/ar"):
        status, headers, _ = nginx.get(path)
        assert (status, headers["Location"]) == (301, path + "/")


def test_no_access_log_and_no_not_found_lines(nginx):
    for path in ("", "rechte.html", "nope.html", "assets/fonts/nope.woff2?q=secret"):
        nginx.get(PREFIX + path)
    assert nginx.access_log.read_text() == ""
    assert "No such file or directory" not in nginx.error_log.read_text()
    assert "secret" not in nginx.error_log.read_text()


@pytest.mark.browser
def test_phone_loads_pages_and_searches_through_nginx(phone, nginx):
    base = nginx.url
    for path in ("", "ar/", "ti/rechte.html", "sicherheitsplan.html"):
        response = phone.goto(base + path)
        assert response.status == 200 and response.headers["content-security-policy"]
        phone.wait_for_load_state("networkidle")
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    for code in ("de", "ar"):
        phone.goto(base + ("" if code == "de" else f"{code}/"))
        phone.wait_for_load_state("networkidle")  # the search worker has its index (slow machines)
        hrefs = _search(phone, _search_term(code))
        assert hrefs and all(h.startswith(base if code == "de" else f"{base}{code}/") for h in hrefs), hrefs
    assert [u for u in phone.requests if not u.startswith(base) and not u.startswith("data:")] == []
    assert phone.problems == []  # CSP violations (header or meta) and script errors show up here


@pytest.mark.browser
def test_phone_gets_a_working_404_page_through_nginx(phone, nginx):
    response = phone.goto(nginx.url + "ar/nope/deeper.html")
    assert response.status == 404
    phone.wait_for_load_state("networkidle")
    # styled through <base href>: the theme's stylesheet applies, the quick exit is there
    assert phone.evaluate("getComputedStyle(document.body).fontFamily") != "" and phone.evaluate(
        "[...document.styleSheets].some(s => s.href && s.href.includes('/assets/stylesheets/main.'))")
    assert phone.locator("[data-site-exit]").count() >= 1
    assert [u for u in phone.requests if not u.startswith(nginx.url) and not u.startswith("data:")] == []
    assert [p for p in phone.problems if "status of 404" not in p] == []
