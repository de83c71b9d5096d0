"""Incremental builds are byte-identical to clean builds.

One fixture project (in git, so translation notices carry git dates) is edited step by step, one kind of
input per test; after each edit the incremental build (reusing .cache/build) is compared file by file with a
clean build (`--clean`) of a fresh copy of the same project. The tests run in order and share the project.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts.core.project import Project
from scripts.events.schema import DEFAULT_TIMEZONE
from scripts.printing import render as pdf_render
from scripts.site import incremental
from scripts.tools.treediff import compare
from tests.conftest import ROOT, make_fixture_site

LANGS = [("de", "Deutsch"), ("en", "English"), ("ar", "العربية")]
PAGES = {
    "de/index.md": "---\ntitle: Start\n---\n# Start\n\nWillkommen. [Rechte](rechte.md)\n",
    "de/rechte.md": "---\ntitle: Ihre Rechte\nchecked: 2026-11-01\n---\n# Ihre Rechte\n\n## Schutz\n\n"
                    "Das Gewaltschutzgesetz schützt Sie. Notruf: [110](tel:110)\n",
    "de/kinder.md": "# Kinder\n\nKinder haben ein Recht auf gewaltfreie Erziehung.\n",
    "en/index.md": "# Home\n\nWelcome. [Rights](rechte.md)\n",
    "en/rechte.md": "# Your rights\n\n## Protection\n\nThe Violence Protection Act protects you. "
                    "Emergency: [110](tel:110)\n",
    "ar/index.md": "# الصفحة الرئيسية\n\nمرحبا بكم. [حقوقك](rechte.md)\n",
    "ar/rechte.md": "# حقوقك\n\n## الحماية\n\nالعنف الأسري جريمة في ألمانيا. الطوارئ: [110](tel:110)\n",
}
NAV = ["index.md", "rechte.md", "kinder.md"]
FAST = {"SKIP_PDF": "1", "SKIP_ZIM": "1", "SOURCE_DATE_EPOCH": "1764460800"}
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_AUTHOR_DATE": "2026-11-01T10:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-11-01T10:00:00+00:00"}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**os.environ, **GIT_ENV})


def _build(root: Path, site: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "scripts", "build", "--config", str(root / "mkdocs.yml"), "--site-dir", str(site),
           *extra]
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **FAST, **(env or {})})


def _finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err + out
    return out + err


def _same(a: Path, b: Path) -> None:
    only_a, only_b, changed = compare(a, b)
    assert (only_a, only_b, changed) == ([], [], []), f"incremental vs clean: {only_a=} {only_b=} {changed=}"


class Project_:
    """The shared fixture project and its incrementally built site."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.site = root / "site"
        self.count = 0

    def rebuild_and_compare(self, env: dict | None = None, zim: bool = False) -> str:
        """Incremental build of the project and, side by side, a clean build of a fresh copy; both equal.

        `zim`: the Kiwix file is made too. libzim gives every new file a random UUID (also inside its search
        index), so a ZIM is reproducible only through its content-keyed cache (.cache/zim): the clean copy
        then starts after the incremental build, with that cache."""
        self.count += 1
        copy = self.root.parent / f"clean{self.count}"

        def fresh_copy() -> None:
            shutil.copytree(self.root, copy, symlinks=True,
                            ignore=shutil.ignore_patterns(".cache", "site", ".site-*"))
            if zim:
                shutil.copytree(self.root / ".cache" / "zim", copy / ".cache" / "zim")

        if zim:
            output = _finish(_build(self.root, self.site, env=env))
            fresh_copy()
            _finish(_build(copy, copy / "site", "--clean", env=env))
        else:
            fresh_copy()
            incremental_build = _build(self.root, self.site, env=env)
            clean_build = _build(copy, copy / "site", "--clean", env=env)
            output = _finish(incremental_build)
            _finish(clean_build)
        _same(self.site, copy / "site")
        shutil.rmtree(copy)
        return output


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project_:
    root = tmp_path_factory.mktemp("incremental") / "project"
    root.mkdir()
    make_fixture_site(root, LANGS, PAGES, NAV)
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "start")
    shared = Project_(root)
    output = shared.rebuild_and_compare()
    assert "3 of 3 languages rebuilt" in output
    return shared


def _rebuilt(output: str) -> int:
    match = re.search(r"(\d+) of \d+ languages rebuilt", output)
    assert match, output
    return int(match.group(1))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_nothing_changed_stops_at_once(project):
    before = {p: p.stat().st_mtime_ns for p in project.site.rglob("*") if p.is_file()}
    output = _finish(_build(project.root, project.site))
    assert "up to date" in output
    assert {p: p.stat().st_mtime_ns for p in project.site.rglob("*") if p.is_file()} == before


def test_translated_page_rebuilds_its_language_and_the_default_only(project):
    _edit(project.root / "docs/ar/rechte.md", "جريمة في ألمانيا.", "جريمة في ألمانيا. اطلبي المساعدة.")
    output = project.rebuild_and_compare()
    assert _rebuilt(output) == 2                          # ar, and de (status and search of all languages)
    assert "اطلبي المساعدة" in (project.site / "ar/rechte.html").read_text(encoding="utf-8")


def test_german_page(project):
    _edit(project.root / "docs/de/kinder.md", "Erziehung.", "Erziehung (§ 1631 BGB).")
    assert _rebuilt(project.rebuild_and_compare()) == 3
    # the English fallback copy of the German page follows
    assert "1631" in (project.site / "en/kinder.html").read_text(encoding="utf-8")


def test_new_and_removed_translation(project):
    new = project.root / "docs/en/kinder.md"
    new.write_text("# Children\n\nChildren have a right to be raised without violence (§ 1631 BGB).\n",
                   encoding="utf-8")
    assert _rebuilt(project.rebuild_and_compare()) == 3       # every switcher knows the page is translated now
    new.unlink()
    project.rebuild_and_compare()
    assert "Children have" not in (project.site / "en/kinder.html").read_text(encoding="utf-8")


def test_ui_strings(project):
    _edit(project.root / "data/strings/en.yml", "site_description:", "site_description: New. ")
    project.rebuild_and_compare()


def test_event_calendar(project):
    _edit(project.root / "data/events.yml", "de: Ihre Rechte", "de: Ihre Rechte heute")
    project.rebuild_and_compare()
    assert "Ihre Rechte heute" in (project.site / "events.ics").read_text(encoding="utf-8")


def test_help_directory_data(project):
    path = project.root / "data/help.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n# reviewed again\n", encoding="utf-8")
    project.rebuild_and_compare()


def test_config(project):
    _edit(project.root / "mkdocs.yml", "quick_exit_url: https://www.wetter.de/", "quick_exit_url: https://www.dwd.de/")
    assert _rebuilt(project.rebuild_and_compare()) == 3
    assert "https://www.dwd.de/" in (project.site / "ar/index.html").read_text(encoding="utf-8")


def test_asset(project):
    path = project.root / "docs/assets/stylesheets/site.css"
    path.write_text(path.read_text(encoding="utf-8") + "\n.site-test { color: inherit; }\n", encoding="utf-8")
    assert _rebuilt(project.rebuild_and_compare()) == 3


def test_commit(project):
    """Translation notices quote git dates: a new commit is an input."""
    _git(project.root, "add", "-A")
    _git(project.root, "commit", "-q", "-m", "edits")
    assert _rebuilt(project.rebuild_and_compare()) == 3


def test_hand_edited_site_is_repaired(project):
    page = project.site / "en/index.html"
    page.write_text("<p>changed by hand</p>", encoding="utf-8")
    (project.site / "ar/rechte.html").unlink()
    output = project.rebuild_and_compare()
    assert "up to date" not in output and _rebuilt(output) == 0     # every language came from the cache


def test_damaged_cache_is_thrown_away(project):
    cached = project.root / ".cache/build/parts/ar/files/ar/index.html"
    assert cached.is_file()
    cached.write_text("<p>damaged</p>", encoding="utf-8")
    (project.site / "ar/index.html").unlink()                       # so the build has to use the cache
    output = project.rebuild_and_compare()
    assert _rebuilt(output) == 2
    assert "damaged" not in (project.site / "ar/index.html").read_text(encoding="utf-8")


def test_build_environment(project):
    """SOURCE_DATE_EPOCH changes the dates in calendars and downloads."""
    project.rebuild_and_compare(env={"SOURCE_DATE_EPOCH": "1767225600"})


def test_with_pdfs_and_kiwix_file(project):
    """The PDFs and the ZIM (their own caches) follow an edit like a clean build."""
    full = {"SKIP_PDF": "", "SKIP_ZIM": ""}
    project.rebuild_and_compare(env=full, zim=True)
    _edit(project.root / "docs/ar/rechte.md", "اطلبي المساعدة.", "اطلبي المساعدة الآن.")
    assert _rebuilt(project.rebuild_and_compare(env=full, zim=True)) == 2
    assert list((project.site / "ar" / "pdf").glob("*.pdf")) and list((project.site / "download").glob("*.zim"))


# ---- what the keys cover (without building) ------------------------------------------------------------

def test_keys_cover_code_date_environment_and_commit(tmp_path, monkeypatch):
    root = tmp_path / "p"
    root.mkdir()
    make_fixture_site(root, LANGS, PAGES, NAV)
    project = Project.load(root / "mkdocs.yml")
    code = tmp_path / "code"
    code.mkdir()
    (code / "a.py").write_text("x = 1\n", encoding="utf-8")
    first = incremental.compute_keys(project, code)
    assert first == incremental.compute_keys(project, code)
    (code / "a.py").write_text("x = 2\n", encoding="utf-8")
    assert incremental.compute_keys(project, code).parts["ar"] != first.parts["ar"]
    (code / "a.py").write_text("x = 1\n", encoding="utf-8")
    monkeypatch.setattr(incremental, "today", lambda: "2031-01-01 2031-01-01")
    assert incremental.compute_keys(project, code).site != first.site
    monkeypatch.undo()
    monkeypatch.setenv("SKIP_PDF", "1" if os.environ.get("SKIP_PDF") != "1" else "")
    assert incremental.compute_keys(project, code).site != first.site
    monkeypatch.undo()
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "start")
    assert incremental.compute_keys(project, code).parts["ar"] != first.parts["ar"]


def test_keys_per_language(tmp_path):
    root = tmp_path / "p"
    root.mkdir()
    make_fixture_site(root, LANGS, PAGES, NAV)
    project = Project.load(root / "mkdocs.yml")
    before = incremental.compute_keys(project)
    _edit(root / "docs/en/rechte.md", "protects you.", "protects you and your children.")
    after = incremental.compute_keys(project)
    assert [c for c in before.parts if before.parts[c] != after.parts[c]] == ["de", "en"]


def test_constants_match_the_code_they_mirror():
    assert incremental.EVENTS_ZONE == DEFAULT_TIMEZONE
    assert incremental.PDF_FONT_DIR == pdf_render.FONT_DIR


def test_unwritable_or_garbled_cache_is_no_error(tmp_path):
    """A cache folder that cannot be written (here .cache is a file) or a garbled manifest: no traceback,
    the part is simply built again."""
    site = tmp_path / "site"
    (site / "ar").mkdir(parents=True)
    (site / "ar" / "index.html").write_text("<p>ar</p>", encoding="utf-8")
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / ".cache").write_text("not a folder", encoding="utf-8")
    cache = incremental.PartCache(blocked)
    cache.store("ar", "k", site, [site / "ar" / "index.html"])
    assert cache.restore("ar", "k", tmp_path / "out") is False
    incremental.SiteRecord(blocked, site).save("k", [])
    assert incremental.SiteRecord(blocked, site).up_to_date("k") is None

    good = incremental.PartCache(tmp_path / "good")
    good.store("ar", "k", site, [site / "ar" / "index.html"])
    assert good.restore("ar", "k", tmp_path / "out1") is True
    manifest = tmp_path / "good" / incremental.CACHE / "parts" / "ar" / incremental.MANIFEST
    for garbage in ('{"format": 1, "key": "k", "files": ["ar/index.html"]}', '{"format": 1, "key": "k"}', "[1, 2",
                    '{"format": 1, "key": "k", "files": {"../../x": "0"}}'):
        good.store("ar", "k", site, [site / "ar" / "index.html"])
        manifest.write_text(garbage, encoding="utf-8")
        assert good.restore("ar", "k", tmp_path / "out2") is False
        assert not (tmp_path / "out2" / "ar" / "index.html").exists()
