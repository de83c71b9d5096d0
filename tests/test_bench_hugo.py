"""The Hugo yardstick of the bench: the mirror of the real docs builds with Hugo, one HTML page per Markdown page
per language (German fallbacks included), every nav and language-switcher link leads to a file that exists."""

from __future__ import annotations

import functools
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from scripts.core.project import Project, language_root
from scripts.tools import bench_hugo

needs_hugo = pytest.mark.skipif(bench_hugo.hugo_binary() is None, reason="hugo is not installed (apt-get install hugo)")


class Links(HTMLParser):
    """The <html> lang/dir, and the hrefs inside <nav class="languages"> and <nav class="pages">."""

    def __init__(self) -> None:
        super().__init__()
        self.html: dict[str, str | None] = {}
        self.nav: str | None = None
        self.links: dict[str, list[tuple[str, str | None]]] = {"languages": [], "pages": []}
        self.refresh = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag == "html":
            self.html = attr
        elif tag == "nav":
            self.nav = attr.get("class")
        elif tag == "a" and self.nav in self.links:
            self.links[self.nav].append((attr.get("href") or "", attr.get("hreflang")))
        elif tag == "meta" and attr.get("http-equiv") == "refresh":
            self.refresh = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav":
            self.nav = None


@functools.cache
def parse(page: Path) -> Links:
    links = Links()
    links.feed(page.read_text(encoding="utf-8"))
    return links


@pytest.fixture(scope="module")
def project() -> Project:
    return Project.load()


@pytest.fixture(scope="module")
def real_site(project: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if bench_hugo.hugo_binary() is None:
        pytest.skip("hugo is not installed (apt-get install hugo)")
    root = tmp_path_factory.mktemp("hugo-real")
    mirror = bench_hugo.write_real_mirror(project, root / "mirror")
    bench_hugo.build(mirror, root / "public")  # HugoFailed (with Hugo's stderr) unless hugo exits 0
    return root / "public"


def test_prepare_markdown_gives_hugo_what_it_needs() -> None:
    text = ("---\ndescription: x\nsearch:\n  exclude: true\n---\n\n# Ihre Rechte\n\nAb {{ fact:flat-limit }} Euro.\n\n"
            "## Teil {: #teil }\n\n!!! note\n    Hinweis\n\nA {{< b >}} and {{% c %}}\n")
    out = bench_hugo.prepare_markdown(text, "rechte", weight=3)
    assert out.startswith("---\ndescription: x\nsearch:\n  exclude: true\ntitle: \"Ihre Rechte\"\nweight: 3\n---\n")
    assert "{{ fact:flat-limit }}" in out  # plain text to Hugo, left alone
    assert "## Teil {#teil }" in out
    assert "!!! note\n    Hinweis" in out
    assert "{{<" not in out and "{{%" not in out
    # no front matter and no heading: the file name is the title; a title of its own is kept
    assert bench_hugo.prepare_markdown("Text\n", "seite").startswith('---\ntitle: "seite"\n---\nText')
    kept = bench_hugo.prepare_markdown("---\ntitle: Eigen\n---\n# Anders\n", "x")
    assert kept == "---\ntitle: Eigen\n---\n# Anders\n"


def test_mirror_has_every_language_and_fallbacks(project: Project, tmp_path: Path) -> None:
    mirror = bench_hugo.write_real_mirror(project, tmp_path / "mirror")
    config = (mirror / "hugo.toml").read_text(encoding="utf-8")
    assert 'defaultContentLanguage = "de"' in config and "defaultContentLanguageInSubdir = false" in config
    assert "uglyURLs = true" in config
    german = {p.relative_to(project.docs / "de") for p in (project.docs / "de").rglob("*.md")}
    for code in project.codes:
        assert f'[languages."{code}"]' in config
        content = mirror / "content" / code
        got = {p.relative_to(content) for p in content.rglob("*.md")}
        assert got == {bench_hugo._target(rel) for rel in german}, code


@needs_hugo
def test_real_mirror_one_page_per_markdown_page(real_site: Path, project: Project) -> None:
    german = {p.relative_to(project.docs / "de") for p in (project.docs / "de").rglob("*.md")}
    expected: set[Path] = set()
    for code in project.codes:
        own = {p.relative_to(project.docs / code) for p in (project.docs / code).rglob("*.md")}
        assert own <= german, f"{code}: pages the German source lacks: {own - german}"
        root = language_root(real_site, code, project.default).relative_to(real_site)
        expected |= {root / rel.with_suffix(".html") for rel in german}  # own pages + German fallbacks
    built = {p.relative_to(real_site) for p in real_site.rglob("*.html")}
    # Hugo's redirect stub /de/index.html -> / is no page
    stubs = {p for p in built - expected if parse(real_site / p).refresh}
    assert built - stubs == expected


@needs_hugo
def test_real_mirror_nav_and_switcher_links_resolve(real_site: Path, project: Project) -> None:
    for code in project.codes:
        folder = language_root(real_site, code, project.default)
        for page in sorted(folder.glob("*.html")):
            links = parse(page)
            assert links.html.get("lang") == code, page
            assert links.html.get("dir") == ("rtl" if code in ("ar", "fa", "ps") else "ltr"), page
            switcher = links.links["languages"]
            assert sorted(lang or "" for _, lang in switcher) == sorted(c for c in project.codes if c != code), page
            for href, lang in switcher:
                target = (page.parent / href).resolve()
                assert target.is_file(), f"{page}: switcher link {href} leads nowhere"
                assert target.name == page.name and parse(target).html.get("lang") == lang, f"{page}: {href}"
            nav = [href for href, _ in links.links["pages"]]
            assert len(nav) == len(list(folder.glob("*.html"))), page
            for href in nav:
                assert re.fullmatch(r"[\w./-]+\.html", href), f"{page}: nav link {href} names no file"
                assert (page.parent / href).resolve().is_file(), f"{page}: nav link {href} leads nowhere"


@needs_hugo
def test_synthetic_mirror_builds_and_times(project: Project, tmp_path: Path) -> None:
    mirror = bench_hugo.write_synthetic_mirror(tmp_path, project, handouts=2, n_words=50)
    walls = bench_hugo.time_hugo(mirror, 2)
    assert len(walls) == 2 and all(w > 0 for w in walls)
    bench_hugo.build(mirror, tmp_path / "public")
    for code in project.codes:
        folder = language_root(tmp_path / "public", code, project.default)
        assert sorted(p.name for p in folder.glob("*.html")) == ["handout-01.html", "handout-02.html", "index.html"]
    # the synthetic index.md has no front matter: its title is its first heading
    home = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    heading = (tmp_path / "docs" / "de" / "index.md").read_text(encoding="utf-8").splitlines()[0][2:]
    assert f"<title>{heading} – " in home


@needs_hugo
def test_hugo_failure_is_reported_with_its_words(project: Project, tmp_path: Path) -> None:
    mirror = bench_hugo.write_mirror(project.docs, ["de"], "de", tmp_path / "mirror")
    (mirror / "content" / "de" / "kaputt.md").write_text("---\ntitle: x\n---\n{{< nosuchshortcode >}}\n",
                                                         encoding="utf-8")
    with pytest.raises(bench_hugo.HugoFailed, match="nosuchshortcode"):
        bench_hugo.time_hugo(mirror, 1)


@needs_hugo
def test_bench_stage_prints_its_figures(project: Project, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert bench_hugo.main(["--runs", "1", "--handouts", "2", "--words", "50"]) == 0
    out = capsys.readouterr().out
    pages = len(project.codes) * len(project.source_pages())  # with German fallbacks
    assert re.search(r"hugo version\s*: v0\.\d+", out), out
    assert re.search(rf"full build, hugo, real-site mirror\s*: +\d+\.\d+ s +\({pages} pages, 1 run\)", out), out
    assert re.search(r"full build, hugo, synthetic mirror\s*: +\d+\.\d+ s +\(\d+ pages, 1 run\)", out), out
    assert "hugo rebuild, nothing changed" in out
