"""Nu HTML Checker (vnu-jar) and axe-core (in Chromium) on real pages of every language."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from scripts.core.project import Project
from tests.conftest import ROOT, StaticServer

CODES = [lang.code for lang in Project.load().languages]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = ("index.html", "rechte.html", "sicherheitsplan.html", "verzeichnis.html", "sicherheit.html", "events.html")


def _page(site, code, name):
    return (site if code == "de" else site / code) / name


def test_nu_html_checker_finds_no_errors(real_site):
    if not VNU.exists() or not shutil.which("java"):
        pytest.fail("vnu.jar or java missing: `make test` installs them (npm install, Debian java)")
    files = [str(_page(real_site, code, name)) for code in CODES for name in PAGES]
    files.append(str(real_site / "404.html"))
    result = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only", *files],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    problems = [f"{m.get('url', '').rsplit('/site/', 1)[-1]}:{m.get('lastLine')}: {m.get('message')}"
                for m in messages]
    assert problems == []


@pytest.fixture(scope="module")
def axe_server(real_site):
    with StaticServer(real_site) as server:
        yield server


@pytest.mark.browser
@pytest.mark.parametrize("code", CODES)
def test_axe_finds_no_violations(browser, axe_server, code):
    context = browser.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True)
    page = context.new_page()
    source = AXE.read_text(encoding="utf-8")
    try:
        violations = []
        for name in PAGES + (("404.html",) if code == "de" else ()):
            url = axe_server.url + (name if code == "de" else f"{code}/{name}")
            page.goto(url)
            page.wait_for_load_state("networkidle")
            page.evaluate(source)
            result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
            violations += [f"{name}: {v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                           for v in result["violations"]]
        assert violations == [], "\n".join(violations)
    finally:
        context.close()
