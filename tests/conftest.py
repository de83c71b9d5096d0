"""Shared fixtures: real builds of fixture sites and of the real site, a local HTTP server, Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

from scripts.core.strings import REQUIRED_KEYS as STRING_KEYS  # noqa: E402

FIXTURE_EVENTS = """events:
  - id: fixture-frauen-ar
    start: 2030-05-04 17:00
    duration: 2 h
    languages: [ar]
    audience: women
    topic: rechte
    venue:
      name: Unterkunft (Ost)
      kind: refugee-shelter
      address: Verborgener Weg 9, 12345 Beispielstadt
      public: false
    title:
      de: Ihre Rechte
      ar: حقوقكم
  - id: fixture-eltern-de
    start: 2020-01-10 10:00
    end: "12:00"
    languages: [de]
    audience: parents
    topic: kinder
    status: cancelled
    venue:
      name: Familienzentrum
      kind: parents-venue
      address: Marktplatz 2, 12345 Beispielstadt
    title:
      de: Kinder stärken
"""


def run_build(config: Path, site_dir: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Build through the real command line, as `make build` does."""
    cmd = [sys.executable, "-m", "scripts", "build", "--config", str(config), "--quiet"]
    if site_dir:
        cmd += ["--site-dir", str(site_dir)]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=600)


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml as data. `!ENV [NAME, default]` gives the file's default, never the caller's
    environment, so a developer's SITE_URL or BUILD_ONLY_LOCALE cannot change a fixture build."""


def _env_default(loader: yaml.SafeLoader, node: yaml.Node):
    if isinstance(node, yaml.SequenceNode):
        items = loader.construct_sequence(node)
        return items[-1] if len(items) > 1 else None
    return None


_ConfigLoader.add_constructor("!ENV", _env_default)


class _ConfigDumper(yaml.SafeDumper):
    """Writes YAML as mkdocs.yml is written: lists indented under their key, multi-line texts as `|`."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)

    def represent_str(self, data):
        return self.represent_scalar("tag:yaml.org,2002:str", data, style="|" if "\n" in data else None)


_ConfigDumper.add_representer(str, _ConfigDumper.represent_str)


def fixture_config(root: Path, languages: list[tuple[str, str]], nav: list[str] | None = None) -> dict:
    """The production mkdocs.yml as data, changed only where a fixture site in `root` must differ."""
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as fh:
        config = yaml.load(fh, Loader=_ConfigLoader)
    # settings taken from the environment whose default is empty (site_url, ...) are left out, as MkDocs
    # treats an empty value like an unset one; tests that need a site_url add it
    for key in [k for k, v in config.items() if v in (None, "")]:
        del config[key]
    config["site_name"] = "Fixture"
    # docs/, data/ and site/ are relative to the config file, so they are the fixture's own folders
    for key in ("docs_dir", "site_dir"):
        assert not Path(config.get(key, key[:4])).is_absolute(), f"mkdocs.yml: {key} must be relative"
    # the theme overrides and the hook are the project's real ones
    config["theme"]["custom_dir"] = str(ROOT / config["theme"].get("custom_dir", "overrides"))
    config["theme"]["language"] = languages[0][0]
    config["hooks"] = [str(ROOT / hook) for hook in config.get("hooks", [])]
    config["watch"] = [item if (root / item).exists() else str(ROOT / item) for item in config.get("watch", [])]
    [i18n] = [p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p]
    i18n.pop("build_only_locale", None)
    i18n["languages"] = [{"locale": code, "name": name, "build": True, **({"default": True} if i == 0 else {})}
                         for i, (code, name) in enumerate(languages)]
    if nav:
        config["nav"] = list(nav)
    else:
        config.pop("nav", None)
    return config


def make_fixture_site(root: Path, languages: list[tuple[str, str]], pages: dict[str, str],
                      nav: list[str] | None = None) -> Path:
    """A small site with the production mkdocs.yml (see fixture_config), the real theme overrides and
    hook, and the real assets. pages: {"de/index.md": "..."}; languages: [(code, name)], default first."""
    (root / "docs" / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "docs" / "assets", root / "docs" / "assets", dirs_exist_ok=True)
    for rel, text in pages.items():
        path = root / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    strings = root / "data" / "strings"
    strings.mkdir(parents=True, exist_ok=True)
    for name in ("help.yml", "emergency.yml"):
        shutil.copy(ROOT / "data" / name, root / "data" / name)
    for folder in sorted((ROOT / "data").glob("strings-*")):      # events, print, ...: all languages
        shutil.copytree(folder, root / "data" / folder.name, dirs_exist_ok=True)
    shutil.copytree(ROOT / "data" / "strings-print", root / "data" / "strings-print", dirs_exist_ok=True)
    if not (root / "data" / "events.yml").exists():
        codes = [code for code, _ in languages]
        text = FIXTURE_EVENTS if "ar" in codes else FIXTURE_EVENTS.replace("[ar]", "[de]").replace(
            "      ar: حقوقكم\n", "")
        (root / "data" / "events.yml").write_text(text, encoding="utf-8")
    for code, name in languages:
        real = ROOT / "data" / "strings" / f"{code}.yml"
        if real.exists():
            shutil.copy(real, strings / f"{code}.yml")
        else:
            (strings / f"{code}.yml").write_text(
                "".join(f"{key}: {name} {key}\n" for key in STRING_KEYS), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        yaml.dump(fixture_config(root, languages, nav), Dumper=_ConfigDumper, sort_keys=False, allow_unicode=True,
                  width=1000),
        encoding="utf-8")
    return root / "mkdocs.yml"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real site, built once per test session through the real command."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = run_build(ROOT / "mkdocs.yml", site)
    assert result.returncode == 0, result.stderr + result.stdout
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


class StaticServer:
    """Serves a folder on 127.0.0.1 under an optional sub-path (like a city web server)."""

    def __init__(self, folder: Path, prefix: str = ""):
        self.folder, self.prefix = folder, prefix.strip("/")
        parent = folder.parent if self.prefix else folder
        if self.prefix:
            # serve <tmp>/<prefix>/ -> folder via a symlinked tree
            mount = folder.parent / f"_mount_{self.prefix.replace('/', '_')}"
            link = mount / self.prefix
            link.parent.mkdir(parents=True, exist_ok=True)
            if not link.exists():
                link.symlink_to(folder, target_is_directory=True)
            parent = mount
        handler = functools.partial(_QuietHandler, directory=str(parent))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        return base + (self.prefix + "/" if self.prefix else "")

    def __enter__(self) -> StaticServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """The real Debian Chromium through Playwright; no background networking."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian chromium is not installed: run `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser) -> Iterator:
    """A 360x800 phone-sized page that records every request and console error."""
    context = browser.new_context(viewport={"width": 360, "height": 800}, device_scale_factor=2,
                                  service_workers="block")
    page = context.new_page()
    page.requests = []
    page.problems = []
    page.on("request", lambda req: page.requests.append(req.url))
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    page.on("pageerror", lambda err: page.problems.append(str(err)))
    yield page
    context.close()
