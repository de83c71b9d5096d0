"""PDFs (scripts/pdf.py): text, metadata, page size and fonts, rtl rendering, QR code, cache, posters.

One real site is built into tmp_path (without PDFs), then PDFs are generated for de, ar and ti and two
handouts, with the calendar tests/fixtures/pdf/events.yml seen on 2026-01-01.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
from conftest import run_build

from scripts.core.project import Project
from scripts.printing import build as pdf
from scripts.printing import render as pdf_render

PROJECT = Project.load()

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pdf"
SITE_URL = "https://example.org/lohg/"
LANGS = ["de", "ar", "ti"]
HANDOUTS = ["rechte", "hilfe"]
TODAY = date(2026, 1, 1)


def _project(tmp: Path) -> Path:
    """A project folder for build_pdfs: the real languages, strings and emergency numbers, the test calendar."""
    root = tmp / "project"
    (root / "data").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copy(ROOT / "data" / "emergency.yml", root / "data" / "emergency.yml")
    for kind in ("strings", "strings-events", "strings-print"):
        shutil.copytree(ROOT / "data" / kind, root / "data" / kind)
    shutil.copy(FIXTURES / "events.yml", root / "data" / "events.yml")
    return root


def _generate(site: Path, root: Path, cache: Path) -> pdf.PdfReport:
    return pdf.build_pdfs(site, Project.load(root / "mkdocs.yml"), site_url=SITE_URL, languages=LANGS, jobs=2,
                          cache_dir=cache, today=TODAY, progress=False, handouts=HANDOUTS)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("pdf")
    site = tmp / "site"
    result = run_build(ROOT / "mkdocs.yml", site, env={"SKIP_PDF": "1"})
    assert result.returncode == 0, result.stderr + result.stdout
    root = _project(tmp)
    report = _generate(site, root, tmp / "cache")
    return {"tmp": tmp, "site": site, "root": root, "cache": tmp / "cache", "report": report}


def _text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("rel, title, phone, sentence", [
    ("pdf/rechte.pdf", "Ihre Rechte", "116 016",
     "In Deutschland haben alle Menschen ein Recht auf ein Leben ohne Gewalt."),
    ("ar/pdf/rechte.pdf", "حقوقكم", "116 016", "في ألمانيا، لكل الناس الحق في حياة بدون عنف."),
    ("ti/pdf/hilfe.pdf", "ሓገዝ ኣበይ ክረክብ እኽእል፧", "0800 1239900", "በይንኹም ኣይኮንኩምን።"),
])
def test_handout_text_and_metadata(built, rel, title, phone, sentence):
    path = built["site"] / rel
    text = _text(path)
    assert title in text and phone in text and sentence in text
    reader = pypdf.PdfReader(path)
    assert reader.metadata.title == title
    lang = rel.split("/")[0] if not rel.startswith("pdf/") else "de"
    assert str(reader.trailer["/Root"]["/Lang"]) == lang


def _fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Base font name -> embedded (font file present)."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc_font = descendants[0].get_object() if descendants else font
            descriptor = desc_font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            found[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


@pytest.mark.parametrize("rel, family", [("pdf/rechte.pdf", "PDF-Sans"), ("ar/pdf/rechte.pdf", "PDF-Arabic"),
                                         ("ti/pdf/hilfe.pdf", "PDF-Ethiopic"), ("ar/pdf/pack.pdf", "PDF-Arabic")])
def test_a4_and_embedded_fonts(built, rel, family):
    reader = pypdf.PdfReader(built["site"] / rel)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    fonts = _fonts(reader)
    assert fonts and all(fonts.values()), fonts
    assert any(family in name for name in fonts), fonts


def test_handout_fits_two_pages(built):
    for rel in ("pdf/hilfe.pdf", "ar/pdf/hilfe.pdf", "ti/pdf/hilfe.pdf"):
        assert len(pypdf.PdfReader(built["site"] / rel).pages) <= 2, rel


def test_rtl_page_renders_not_blank(built, tmp_path):
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(built["site"] / "ar/pdf/rechte.pdf"),
                    str(tmp_path / "page")], check=True)
    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    def dark_pixels(img) -> int:
        return sum(img.histogram()[:128])

    dark = dark_pixels(image)
    assert dark > 0.01 * image.width * image.height
    # rtl: the title is set on the right half of the page
    title_band = image.crop((0, int(image.height * 0.14), image.width, int(image.height * 0.24)))
    left = dark_pixels(title_band.crop((0, 0, image.width // 2, title_band.height)))
    right = dark_pixels(title_band.crop((image.width // 2, 0, image.width, title_band.height)))
    assert right > left


def test_qr_code_decodes_to_page_url(built, tmp_path):
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(built["site"] / "ar/pdf/rechte.pdf"),
                    str(tmp_path / "qr")], check=True)
    results = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("qr*.png"))))
    assert [r.text for r in results] == [SITE_URL + "ar/rechte.html"]


def test_no_site_url_no_qr_and_warning(built, tmp_path):
    project = Project.load(built["root"] / "mkdocs.yml")
    report = pdf.build_pdfs(built["site"], project, site_url="", languages=["de"], jobs=1,
                            cache_dir=tmp_path / "cache", today=TODAY, progress=False, handouts=["hilfe"])
    assert any("site_url" in w for w in report.warnings)
    assert "example.org" not in _text(built["site"] / "pdf/hilfe.pdf")
    _generate(built["site"], built["root"], built["cache"])   # put the normal files back


def test_posters_only_for_upcoming_not_cancelled(built):
    site = built["site"]
    assert (site / "pdf/poster-upcoming-ar.pdf").exists()
    assert (site / "ar/pdf/poster-upcoming-ar.pdf").exists()
    assert not (site / "ti/pdf/poster-upcoming-ar.pdf").exists()
    assert not list(site.rglob("poster-past-de.pdf")) and not list(site.rglob("poster-cancelled-ti.pdf"))
    reader = pypdf.PdfReader(site / "ar/pdf/poster-upcoming-ar.pdf")
    assert len(reader.pages) == 1
    text = _text(site / "ar/pdf/poster-upcoming-ar.pdf")
    # (pypdf returns mixed-direction runs in visual order, so the Arabic title is checked in parts)
    assert "حقوقكم" in text and "أمسية للنساء" in text and "Ihre Rechte – Abend für Frauen" in text
    assert "0123 456789" in text and "Nordweg 1" in text


def test_pack_has_cover_toc_and_all_handouts(built):
    text = _text(built["site"] / "ti/pdf/pack.pdf")
    assert "ትሕዝቶ" in text   # table of contents
    assert "ሓገዝ ኣበይ ክረክብ እኽእል፧" in text


def test_cache_hit_and_miss(built):
    tmp = built["tmp"]
    site, cache = tmp / "site-cache", tmp / "cache-copy"
    shutil.copytree(built["site"], site)
    shutil.copytree(built["cache"], cache)
    first = _generate(site, built["root"], cache)
    assert first.generated == 0 and first.cached == len(first.files)
    page = site / "rechte.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Das gilt auch für Sie.", "Das gilt auch für Sie und Ihre Kinder."), encoding="utf-8")
    second = _generate(site, built["root"], cache)
    assert sorted(second.timings) == ["pdf/pack.pdf", "pdf/rechte.pdf"]
    assert second.generated == 2 and second.cached == len(second.files) - 2
    assert "Das gilt auch für Sie und Ihre Kinder." in _text(site / "pdf/rechte.pdf")


def test_print_page_and_sizes(built):
    fragment = pdf.render_print_page("ar", Project.load(built["root"] / "mkdocs.yml"), events_today=TODAY)
    assert 'href="pdf/pack.pdf"' in fragment and 'data-pdf-size="pdf/pack.pdf"' in fragment
    assert 'href="pdf/poster-upcoming-ar.pdf"' in fragment and "poster-cancelled-ti" not in fragment
    assert 'href="../pdf/pack.pdf"' in fragment        # German pack from the Arabic page
    site = built["tmp"] / "site-sizes"
    (site / "ar" / "pdf").mkdir(parents=True)
    shutil.copy(built["site"] / "ar/pdf/pack.pdf", site / "ar/pdf/pack.pdf")
    (site / "ar" / "print.html").write_text(f"<html><body>{fragment}</body></html>", encoding="utf-8")
    assert pdf.fill_sizes(site, ["de", "ar"], "de") > 0
    out = (site / "ar" / "print.html").read_text(encoding="utf-8")
    assert re.search(r'data-pdf-size="pdf/pack.pdf">\d+ KB<', out)
    assert pdf.download_label("ar", PROJECT) == "تنزيل ملف PDF"


def test_phone_numbers_isolated_in_rtl():
    html = pdf_render.isolate_numbers('<p>اتصلوا على <a href="tel:0800123">0800 1239900</a> أو 116 016.</p>')
    assert html.count('dir="ltr"') == 2 and 'href="tel:0800123"' in html


def test_renderer_gives_the_same_bytes_as_rendering_alone(tmp_path):
    """A worker parses the stylesheets once and keeps its fonts for all its documents (weasy.Renderer); the PDF
    is the same as the document rendered on its own, also after other documents."""
    import weasyprint

    from scripts.printing import weasy

    labels = pdf._labels("ar", PROJECT)
    document = pdf_render.handout_document(labels, "حقوقكم", "<h1>حقوقكم</h1><p>اتصلوا على 116 016.</p>",
                                           "https://example.org/ar/rechte.html")
    assert pdf_render.split_styles(document)[1] == ("pdf", "rtl")
    assert pdf_render.split_styles(document.replace("<style>", "<style>p { color: red; }")) is None
    renderer = weasy.Renderer()
    try:
        for name in ("first", "second"):
            assert renderer.write_pdf(document, "file:///", tmp_path / f"{name}.pdf") == []
    finally:
        renderer.close()
    weasyprint.HTML(string=document, base_url="file:///").write_pdf(tmp_path / "alone.pdf")
    alone = (tmp_path / "alone.pdf").read_bytes()
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes() == alone


def test_timings_reported(built):
    report = built["report"]
    assert report.generated == len(report.files) and report.timings
    assert max(t for name, t in report.timings.items() if "pack" not in name) < 10


def test_handouts_say_as_of_and_sources(built):
    german = _text(built["site"] / "pdf" / "rechte.pdf")
    assert "Stand der Angaben: 30. November 2026" in german
    assert "Quellen: Polizeigesetz Baden-Württemberg" in german and "§ 2 Abs. 3 GewSchG" in german
    # a value held once in data/facts.yml, in the PDF's language
    assert "4 Werktage" in german
