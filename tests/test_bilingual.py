"""Bilingual PDFs and QR posters (scripts/printing/multilingual.py), WeasyPrint's log filter and the font check.

The real site is built once into tmp_path (without PDFs), then the PDFs of de, ar and ti are generated for two
handouts with the bilingual PDFs and QR posters switched on (extras=True), with a public address.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pypdf
import pytest
from conftest import run_build

from scripts.core.problems import InputError
from scripts.core.project import Project
from scripts.printing import bilingual, multilingual, weasy
from scripts.printing import build as pdf
from scripts.printing import render as pdf_render

ROOT = Path(__file__).resolve().parent.parent
SITE_URL = "https://example.org/lohg/"
LANGS = ["de", "ar", "ti"]
HANDOUTS = ["rechte", "hilfe"]
TODAY = date(2026, 1, 1)
GERMAN = "In Deutschland haben alle Menschen ein Recht auf ein Leben ohne Gewalt."
ARABIC = "في ألمانيا، لكل الناس الحق في حياة بدون عنف."


def _project(tmp: Path, site_url: str) -> Project:
    """The real languages, pages, strings and emergency numbers, no calendar (no event posters), and the
    given site_url instead of the environment's."""
    root = tmp / f"project-{'url' if site_url else 'nourl'}"
    (root / "data").mkdir(parents=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config, count = re.subn(r"(?m)^site_url:.*$", f'site_url: "{site_url}"', config)
    assert count == 1
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copy(ROOT / "data" / "emergency.yml", root / "data" / "emergency.yml")
    for kind in ("strings", "strings-events", "strings-print"):
        shutil.copytree(ROOT / "data" / kind, root / "data" / kind)
    (root / "docs").symlink_to(ROOT / "docs", target_is_directory=True)
    return Project.load(root / "mkdocs.yml")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    tmp = tmp_path_factory.mktemp("bilingual")
    site = tmp / "site"
    result = run_build(ROOT / "mkdocs.yml", site, env={"SKIP_PDF": "1"})
    assert result.returncode == 0, result.stderr + result.stdout
    project = _project(tmp, SITE_URL)
    report = pdf.build_pdfs(site, project, site_url=SITE_URL, languages=LANGS, jobs=2, cache_dir=tmp / "cache",
                            today=TODAY, progress=False, handouts=HANDOUTS, extras=True)
    return {"tmp": tmp, "site": site, "project": project, "report": report}


def _text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def _a4(path: Path) -> int:
    reader = pypdf.PdfReader(path)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842), path
    return len(reader.pages)


def _decode(path: Path, tmp: Path) -> list[str]:
    import zxingcpp
    from PIL import Image

    subprocess.run(["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(path), str(tmp / path.stem)],
                   check=True)
    return [r.text for r in zxingcpp.read_barcodes(Image.open(next(tmp.glob(f"{path.stem}*.png"))))]


# ---- bilingual handouts and packs --------------------------------------------------------------------

@pytest.mark.parametrize("rel, german, translated", [
    ("ar/pdf/rechte-de.pdf", GERMAN, ARABIC),
    ("ti/pdf/hilfe-de.pdf", "Sie sind nicht allein.", "በይንኹም ኣይኮንኩምን።"),
    ("ar/pdf/pack-de.pdf", "Wo bekomme ich Hilfe?", ARABIC),
])
def test_bilingual_pdf_a4_with_both_languages(built, rel, german, translated):
    path = built["site"] / rel
    pages = _a4(path)
    assert pages >= 2 and (pages <= 6 or "pack" in rel)
    text = _text(path)
    assert german in text and translated in text
    assert "116 016" in text
    reader = pypdf.PdfReader(path)
    assert str(reader.trailer["/Root"]["/Lang"]) == "de"
    fonts = {str(f.get_object()["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values()}
    family = "PDF-Arabic" if rel.startswith("ar/") else "PDF-Ethiopic"
    assert any("PDF-Sans" in f for f in fonts) and any(family in f for f in fonts), fonts


def test_bilingual_html_columns_have_lang_and_dir(built):
    project, site = built["project"], built["site"]
    labels = {c: pdf._labels(c, project) for c in project.codes}
    warnings: list[str] = []
    planned = {p.name: p for p in multilingual.plan(site, project, site_url=SITE_URL, languages=["ar", "ti"],
                                                    stems=["rechte"], today=TODAY, labels=labels.__getitem__,
                                                    warnings=warnings)}
    assert not warnings
    assert set(planned) == {"ar/pdf/rechte-de.pdf", "ar/pdf/pack-de.pdf", "ti/pdf/rechte-de.pdf",
                            "ti/pdf/pack-de.pdf"}      # no QR posters: the German root is not among the languages
    for lang, direction in (("ar", "rtl"), ("ti", "ltr")):
        document = planned[f"{lang}/pdf/rechte-de.pdf"].document
        assert document.startswith('<!DOCTYPE html><html lang="de" dir="ltr">')
        src = re.findall(r'<td class="bi__col bi__col--src" lang="de" dir="ltr">(.*?)</td><td', document, re.S)
        dst = re.findall(rf'<td class="bi__col bi__col--dst" lang="{lang}" dir="{direction}">(.*?)</td></tr>',
                         document, re.S)
        # one row per `##` section, the title row first: every section beside its translation
        assert len(src) == len(dst) == document.count('<tr class="bi__row">') > 3
        assert "<h1" in src[0] and "<h1" in dst[0]
        assert all(cell.count("<h2") == 1 for cell in src[1:] + dst[1:])
        assert f'class="pdf-qr" lang="{lang}"' in document
    arabic = planned["ar/pdf/rechte-de.pdf"].document
    assert '<span class="ltr" dir="ltr">116 016</span>' in arabic      # phone numbers isolated in rtl text
    assert f"{SITE_URL}ar/rechte.html" in arabic


def test_sections_split_and_paired():
    fragment = ('<h1>T</h1><p>intro</p><h2 id="a">A</h2><p>a</p><section class="k"><h2>B</h2><p>b</p></section>'
                '<div><p>no heading</p><h2>inner</h2></div><ul><li><h2>nested</h2></li></ul>')
    parts = bilingual.split_sections(fragment)
    assert parts == ["<h1>T</h1><p>intro</p>", '<h2 id="a">A</h2><p>a</p>',
                     '<section class="k"><h2>B</h2><p>b</p></section><div><p>no heading</p><h2>inner</h2></div>'
                     "<ul><li><h2>nested</h2></li></ul>"]
    rows, mismatch = bilingual.pair_sections(parts, parts[:2])
    assert mismatch and len(rows) == 2 and rows[1][0].endswith("</ul>") and rows[1][1] == parts[1]
    assert bilingual.pair_sections(parts, parts) == (list(zip(parts, parts, strict=True)), False)


# ---- QR posters --------------------------------------------------------------------------------------

def test_qr_wall_one_page_codes_decode_to_language_homes(built, tmp_path):
    project, path = built["project"], built["site"] / "pdf" / "qr-wall.pdf"
    assert _a4(path) == 1
    expected = {SITE_URL + ("" if c == "de" else f"{c}/") + "index.html" for c in project.codes}
    found = _decode(path, tmp_path)
    assert sorted(found) == sorted(expected)
    text = _text(path)
    for code in project.codes:
        assert project.strings(code)["language_name"] in text, code
        assert project.strings(code, "strings-print")["qr_scan"] in text, code


def test_qr_handout_poster_codes_decode_to_handout_pages(built, tmp_path):
    project, path = built["project"], built["site"] / "pdf" / "qr-hilfe.pdf"
    assert _a4(path) == 1
    found = _decode(path, tmp_path)
    assert sorted(found) == sorted(SITE_URL + ("" if c == "de" else f"{c}/") + "hilfe.html" for c in project.codes)
    assert "Wo bekomme ich Hilfe?" in _text(path) and "ሓገዝ ኣበይ ክረክብ እኽእል፧" in _text(path)


def test_no_site_url_warns_and_makes_no_qr_posters(built):
    site = built["tmp"] / "site-nourl"
    shutil.copytree(built["site"], site, ignore=shutil.ignore_patterns("*.pdf"))
    project = _project(built["tmp"], "")
    report = pdf.build_pdfs(site, project, site_url="", languages=["de"], jobs=1, cache_dir=built["tmp"] / "c2",
                            today=TODAY, progress=False, handouts=["hilfe"], extras=True)
    assert any("site_url" in w and "QR" in w for w in report.warnings), report.warnings
    assert (site / "pdf" / "hilfe.pdf").exists() and not list(site.rglob("qr-*.pdf"))
    # the print page says why there are none, and links none
    page = pdf.render_print_page("ar", project, events_today=TODAY)
    assert project.strings("ar", "strings-print")["qr_missing"] in page and "qr-wall.pdf" not in page


def test_print_page_lists_bilingual_and_qr_with_sizes(built):
    project, site = built["project"], built["site"]
    arabic = pdf.render_print_page("ar", project, events_today=TODAY)
    for href in ("pdf/pack-de.pdf", "pdf/rechte-de.pdf", "../pdf/qr-wall.pdf", "../pdf/qr-hilfe.pdf"):
        assert f'href="{href}"' in arabic and f'data-pdf-size="{href}"' in arabic, href
    german = pdf.render_print_page("de", project, events_today=TODAY)
    assert 'href="ar/pdf/pack-de.pdf"' in german and 'href="ti/pdf/pack-de.pdf"' in german
    assert 'href="pdf/qr-wall.pdf"' in german and "-de.pdf" not in german.replace("pack-de.pdf", "")
    (site / "ar" / "print-test.html").write_text(f"<html><body>{arabic}</body></html>", encoding="utf-8")
    pdf.fill_sizes(site, ["ar"], "de")
    out = (site / "ar" / "print-test.html").read_text(encoding="utf-8")
    for href in ("pdf/rechte-de.pdf", "pdf/pack-de.pdf", "../pdf/qr-wall.pdf"):
        assert re.search(rf'data-pdf-size="{re.escape(href)}">\d+ KB<', out), href


# ---- WeasyPrint's log and fonts ----------------------------------------------------------------------

def test_weasyprint_noise_filtered_real_warnings_kept(built, tmp_path):
    assert weasy.is_noise("weasyprint", "Ignored `unicode-bidi: isolate` at 83:49, property not supported yet.")
    assert weasy.is_noise("weasyprint", 'Using fontTools instead of HarfBuzz-Subset for font "Noto"')
    assert weasy.is_noise("fontTools.subset", "meta NOT subset; don't know how to subset; dropped")
    assert not weasy.is_noise("weasyprint", "Font-face 'PDF Arabic' cannot be loaded")
    assert not weasy.is_noise("weasyprint", 'Too many glyphs missing from "PDF Sans"')
    assert not any("unicode-bidi" in w for w in built["report"].warnings), built["report"].warnings
    import weasyprint

    document = ('<style>@font-face { font-family: Gone; src: url("file:///nonexistent/gone.ttf"); }'
                'p { unicode-bidi: isolate; font-family: Gone; }</style><p>x</p>')
    with weasy.captured_warnings() as messages:
        weasyprint.HTML(string=document).write_pdf(tmp_path / "x.pdf")
        logging.getLogger("fontTools.subset").warning("name NOT subset")
    assert messages and not any("unicode-bidi" in m or "subset" in m for m in messages), messages


def test_script_without_pdf_font_stops_build_naming_language(built, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_render, "FONTS", tuple(f for f in pdf_render.FONTS if f[0] != "PDF Ethiopic"))
    with pytest.raises(InputError) as info:
        pdf.build_pdfs(built["site"], built["project"], site_url=SITE_URL, languages=["de", "ti"], jobs=1,
                       cache_dir=tmp_path, today=TODAY, progress=False, handouts=["hilfe"], extras=False)
    message = str(info.value)
    assert "language ti" in message and "U+12" in message and "language de" not in message
    assert not list(tmp_path.glob("*.pdf"))      # stopped before rendering
