"""Offline copies (scripts/offline/): ZIPs for a USB stick and the Kiwix file, from two real builds of the site
(without PDFs, with a fixed SOURCE_DATE_EPOCH)."""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from scripts.core.project import Project
from scripts.offline import build_downloads, copies, pages, stamp, zim
from scripts.printing import build as pdf
from scripts.site.linkcheck import check_site
from tests.conftest import ROOT, run_build

pytestmark = pytest.mark.slow
PROJECT = Project.load()
EPOCH = "1767225600"        # 2026-01-01 00:00 UTC
DATE = "2026-01-01"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> list[Path]:
    """The real site built twice, the same inputs each time."""
    tmp = tmp_path_factory.mktemp("offline")
    built = []
    for name in ("first", "second"):
        site = tmp / name / "site"
        result = run_build(ROOT / "mkdocs.yml", site, env={"SKIP_PDF": "1", "SOURCE_DATE_EPOCH": EPOCH})
        assert result.returncode == 0, result.stderr + result.stdout
        built.append(site)
    return built


@pytest.fixture(scope="module")
def site(sites) -> Path:
    return sites[0]


def _unzip(archive: Path, target: Path) -> Path:
    with zipfile.ZipFile(archive) as zf:
        tops = {name.split("/")[0] for name in zf.namelist()}
        assert tops == {archive.stem}, tops            # one clearly named folder
        zf.extractall(target)
    return target / archive.stem


def test_every_copy_and_checksum_is_listed(site):
    download = site / pages.DOWNLOAD_DIR
    expected = [copies.zip_name(PROJECT, None)] + [copies.zip_name(PROJECT, c) for c in PROJECT.codes]
    expected.append(copies.zim_name(PROJECT))
    sums = dict(reversed(line.split("  ")) for line in (download / "SHA256SUMS").read_text().splitlines())
    assert sorted(sums) == sorted(expected)
    manifest = (download / "MANIFEST.txt").read_text(encoding="utf-8")
    for name, digest in sums.items():
        assert hashlib.sha256((download / name).read_bytes()).hexdigest() == digest, name
        assert name in manifest and digest in manifest
    assert re.search(rf"Version: {DATE}-[0-9a-f]{{8}}", manifest)


def test_two_builds_give_byte_identical_downloads(sites):
    first, second = (s / pages.DOWNLOAD_DIR for s in sites)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_what_each_zip_contains(site):
    download = site / pages.DOWNLOAD_DIR
    with zipfile.ZipFile(download / copies.zip_name(PROJECT, "ar")) as zf:
        names = zf.namelist()
        infos = zf.infolist()
        version = zf.read("leben-ohne-gewalt-ar/VERSION.txt").decode("utf-8")
    assert names == sorted(names)
    assert {i.date_time for i in infos} == {(2026, 1, 1, 0, 0, 0)}
    top = "leben-ohne-gewalt-ar/site/"
    for needed in ("ar/index.html", "ar/search/search_index.js", "ar/search/search_index.json", "index.html",
                   "search/search_index.js", "assets/fonts/noto-sans-arabic-core.woff2", copies.MISSING_PAGE):
        assert top + needed in names, needed
    assert not [n for n in names if re.match(rf"{top}(en|fr|fa|ps|ku|tr|ru|ti|pdf|download)/", n)]
    assert f"Version: {DATE}-" in version and "ar" in version
    with zipfile.ZipFile(download / copies.zip_name(PROJECT, None)) as zf:
        everything = zf.namelist()
    assert "leben-ohne-gewalt-all/site/ti/index.html" in everything
    assert not [n for n in everything if "/download/" in n or n.endswith((".zip", ".zim"))]


def test_unpacked_language_copy_has_no_broken_links(site, tmp_path):
    folder = _unzip(site / pages.DOWNLOAD_DIR / copies.zip_name(PROJECT, "fa"), tmp_path)
    assert check_site(folder / copies.SITE_FOLDER) == []
    start = (folder / "index.html").read_text(encoding="utf-8")
    assert 'url=site/fa/index.html' in start
    switcher = (folder / "site" / "fa" / "rechte.html").read_text(encoding="utf-8")
    assert 'href="../not-in-this-copy.html"' in switcher and 'href="../ar/' not in switcher


@pytest.mark.browser
def test_language_copy_opens_and_searches_from_a_stick(site, tmp_path, phone):
    folder = _unzip(site / pages.DOWNLOAD_DIR / copies.zip_name(PROJECT, "ar"), tmp_path)
    phone.goto((folder / "index.html").as_uri())
    phone.wait_for_url("**/site/ar/index.html")
    heading = re.search(r"^# (.+)$", (ROOT / "docs" / "ar" / "rechte.md").read_text(encoding="utf-8"), re.M)
    term = max(re.findall(r"[^\W\d_]{4,}", heading.group(1)), key=len)
    phone.locator("label[for=__search]").first.click()
    box = phone.locator("input[data-md-component=search-query]")
    box.fill(term)
    box.press("End")  # Material reads the query on keyup
    phone.wait_for_selector(".md-search-result__item", timeout=10_000)
    hrefs = [a.get_attribute("href") for a in phone.query_selector_all(".md-search-result__item > a")]
    assert hrefs and all(h.startswith((folder / "site" / "ar").as_uri() + "/") for h in hrefs), hrefs
    assert all(u.startswith(("file://", "data:")) for u in phone.requests)


def test_print_page_links_the_downloads_with_sizes_and_version(site, tmp_path, monkeypatch):
    """As in a build with PDFs: the print page's section gets sizes and the version; copies get a note."""
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "ar" / "drucken.html"
    text = page.read_text(encoding="utf-8")
    assert ".zim" in pages.render_section("ar", PROJECT)
    monkeypatch.setenv("SKIP_ZIM", "1")
    section = pages.render_section("ar", PROJECT)
    assert ".zim" not in section
    page.write_text(text.replace("</article>", section + "</article>", 1), encoding="utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    build_downloads(copy, PROJECT, fill_sizes=pdf.fill_sizes)
    assert not list((copy / pages.DOWNLOAD_DIR).glob("*.zim"))
    shown = page.read_text(encoding="utf-8")
    assert re.search(r'data-pdf-size="../download/leben-ohne-gewalt-ar.zip">\d+(\.\d)? [KM]B<', shown)
    assert re.search(rf"<bdi data-offline-version>{DATE}-[0-9a-f]{{8}}</bdi>", shown)
    assert check_site(copy) == []
    with zipfile.ZipFile(copy / pages.DOWNLOAD_DIR / copies.zip_name(PROJECT, "ar")) as zf:
        inside = zf.read("leben-ohne-gewalt-ar/site/ar/drucken.html").decode("utf-8")
    assert "data-pdf-size=\"../download/" not in inside and f"<bdi>{DATE}</bdi>" in inside


def test_kiwix_file_opens_and_finds_words_in_several_scripts(site):
    from libzim.reader import Archive
    from libzim.search import Query, Searcher

    archive = Archive(site / pages.DOWNLOAD_DIR / copies.zim_name(PROJECT))
    assert archive.main_entry.get_item().path == zim.MAIN_PAGE
    main = bytes(archive.main_entry.get_item().content).decode("utf-8")
    assert all(f'href="{code}/index.html"' in main for code in PROJECT.codes if code != "de")
    for key in ("Name", "Title", "Description", "Language", "Creator", "Publisher", "Date"):
        assert archive.get_metadata(key), key
    assert archive.get_metadata("Language").decode() == "deu,eng,fra,ara,fas,pus,kmr,tur,rus,tir"
    assert archive.get_metadata("Date").decode() == DATE
    assert archive.has_illustration(48) and archive.has_fulltext_index
    assert bytes(archive.get_illustration_item(48).content)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "حقوقكم" in archive.get_entry_by_path("ar/rechte.html").title

    def found(word: str) -> list[str]:
        search = Searcher(archive).search(Query().set_query(word))
        return list(search.getResults(0, 20))

    assert "gewalt.html" in found("Gewalt")
    assert "ar/rechte.html" in found("الشرطة")           # Arabic
    assert "fa/rechte.html" in found("پلیس")              # Persian
    assert "fa/rechte.html" in found("پليس")              # ... typed on an Arabic keyboard (ي for ی)
    assert "ti/rechte.html" in found("ፖሊስ")              # Tigrinya (Ethiopic)
    assert "ru/rechte.html" in found("полиция")           # Russian
    assert "ku/rechte.html" in found("şîdet")             # Kurmanji, with the accents typed or not
    assert "ku/rechte.html" in found("sidet")


def test_kiwix_lists_untranslated_fallbacks_once():
    page = '<html><head><title>{}</title></head><body>{}<article><h1>Ihre Rechte</h1><p>Schutz</p></article></body>'
    files = {"rechte.html": page.format("Ihre Rechte", "").encode(),
             "ar/rechte.html": page.format("Ihre Rechte", '<aside class="site-fallback">').encode(),
             "assets/x.css": b"p{}"}
    items = {e.path: e for e in zim.entries(files, "<title>Start</title>")}
    assert items["rechte.html"].front and items["rechte.html"].index_text == "ihre rechte ihre rechte schutz"
    assert not items["ar/rechte.html"].front and items["ar/rechte.html"].index_text is None
    assert items["assets/x.css"].mimetype == "text/css" and not items["assets/x.css"].front
    assert items[zim.MAIN_PAGE].title == "Start" and items[zim.MAIN_PAGE].index_text is None


def test_stamp_date_comes_from_the_environment_or_git(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert stamp.source_epoch(PROJECT) == (int(EPOCH), "SOURCE_DATE_EPOCH")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    epoch, source = stamp.source_epoch(PROJECT)
    assert source in ("git", "files") and epoch > 1_600_000_000


def test_fold_matches_libzims_search_words():
    assert zim.fold("Şîdet Çocuk") == "sidet cocuk"
    assert zim.fold("مُحَمَّد") == "محمد"
    assert zim.fold("می\u200cکند") == "می\u200cکند"      # the Persian half-space stays
    assert zim.fold("ፖሊስ") == "ፖሊስ"
    assert zim.spelling_variants("پلیس کمک و پلیس") == "پليس كمك"
