"""Search finds what readers type (issue 13): the normaliser on words from the site's own pages (node), and the
real site in Chromium over http under a sub-path and from file://: other keyboards' letters, no diacritics or
vowel signs, the other English spelling, and German results instead of an empty answer."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.conftest import ROOT, StaticServer

NORMALIZER = ROOT / "docs" / "assets" / "javascripts" / "search-normalize.js"

# (language, as the page writes it, as a reader may type it)
VARIANTS = [
    ("de", "Ärztin", "Aerztin"), ("de", "Straße", "strasse"), ("en", "counselling", "counseling"),
    ("en", "behaviour", "behavior"), ("fr", "médecin", "medecin"), ("ar", "محكمة", "محكمه"),
    ("ar", "محكمة", "مَحْكَمَة"), ("ar", "أسرة", "اسره"), ("fa", "کودک", "كودك"), ("fa", "پلیس", "پليس"),
    ("fa", "می‌توانید", "میتوانید"), ("ps", "پولیس", "پوليس"), ("ku", "şîdetê", "sidete"), ("tr", "şiddet", "siddet"),
    ("tr", "Çocuk", "cocuk"), ("tr", "ığdır", "igdir"), ("ru", "партнёра", "партнера"), ("fa", "۱۱۶", "116"),
    ("ar", "١١٠", "110"),
]
# Pashto letters that distinguish words stay distinct
DISTINCT = [("ps", "ړ", "ر"), ("ps", "ښ", "ش"), ("ps", "ټ", "ت"), ("ps", "ډ", "د"), ("ps", "ې", "ی"), ("ps", "ځ", "ح")]


def _node(calls: list[tuple[str, str]]) -> list[list[str]]:
    if not shutil.which("node"):
        pytest.fail("node missing: `make test` installs npm/node (Debian)")
    script = (f"const s = require({json.dumps(str(NORMALIZER))});"
              f"console.log(JSON.stringify({json.dumps(calls)}.map(([w, l]) => s.terms(w, l))));")
    return json.loads(subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout)


def test_variants_fold_to_one_form():
    calls = [(word, lang) for lang, a, b in VARIANTS for word in (a, b)]
    out = _node(calls)
    for i, (lang, written, typed) in enumerate(VARIANTS):
        assert out[2 * i][0] == out[2 * i + 1][0], (lang, written, typed, out[2 * i], out[2 * i + 1])


def test_pashto_letters_stay_distinct_and_half_space_is_both():
    out = _node([(a, lang) for lang, a, _ in DISTINCT] + [(b, lang) for lang, _, b in DISTINCT])
    n = len(DISTINCT)
    assert all(out[i] != out[n + i] for i in range(n))
    [terms] = _node([("می‌توانید", "fa")])
    assert terms == ["میتوانید", "می", "توانید"]       # joined, and each part (typed with a space)


# ---- in the browser, on the real site ------------------------------------------------------------------

QUERIES = [  # (language, query as typed, a page that must be found)
    ("de", "Aerztin", "rechte.html"), ("en", "counseling", "hilfe.html"), ("fr", "medecin", "rechte.html"),
    ("ar", "مَحْكَمَه", "rechte.html"), ("fa", "كودك", "kinder.html"), ("ps", "پوليس", ".html"),
    ("ku", "sidet", ".html"), ("tr", "siddet", "gewalt.html"), ("ru", "партнера", "gewalt.html"),
    ("ti", "ኣለዎ", ".html"),
]


def _search(page, term: str) -> None:
    box = page.locator("input[data-md-component=search-query]")
    if not box.is_visible():
        page.locator("label[for=__search]").first.click()
    box.fill(term)
    box.press("End")  # Material reads the query on keyup


def _hrefs(page) -> list[str]:
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return [a.get_attribute("href") or "" for a in page.query_selector_all(".md-search-result__item > a")]


@pytest.fixture(scope="module")
def served(real_site):
    with StaticServer(real_site, prefix="stadt/gewaltschutz") as server:
        yield server


@pytest.mark.browser
@pytest.mark.parametrize("code,query,target", QUERIES, ids=[q[0] for q in QUERIES])
def test_typed_variants_are_found_over_http(phone, served, code, query, target):
    phone.goto(served.url + ("" if code == "de" else f"{code}/") + "index.html")
    _search(phone, query)
    hrefs = _hrefs(phone)
    assert any(target in h for h in hrefs), hrefs
    assert phone.problems == []


@pytest.mark.browser
@pytest.mark.parametrize("code,query,target", [QUERIES[3], QUERIES[4], QUERIES[7]], ids=["ar", "fa", "tr"])
def test_typed_variants_are_found_from_file(phone, real_site, code, query, target):
    phone.goto((real_site / code / "index.html").as_uri())
    _search(phone, query)
    assert any(target in h for h in _hrefs(phone))


@pytest.mark.browser
@pytest.mark.parametrize("opener", ["http", "file"])
def test_no_hit_in_own_language_shows_german_results_and_numbers(phone, served, real_site, opener):
    url = served.url + "tr/index.html" if opener == "http" else (real_site / "tr" / "index.html").as_uri()
    phone.goto(url)
    _search(phone, "Aufenthaltserlaubnis")   # a German word the Turkish pages do not use
    phone.wait_for_selector(".site-search-fallback a[lang=de]", timeout=10_000)
    links = phone.eval_on_selector_all(".site-search-fallback a[lang=de]", "els => els.map(e => e.href)")
    assert any(link.endswith("/rechte.html") or "/rechte.html#" in link for link in links), links
    assert all("/tr/" not in link for link in links)
    tels = phone.eval_on_selector_all(".site-search-fallback a[href^='tel:']", "els => els.map(e => e.href)")
    assert "tel:110" in tels
    _search(phone, "xqzwv")
    phone.wait_for_selector(".site-search-fallback a[href^='tel:']", timeout=10_000)
    assert phone.query_selector_all(".site-search-fallback a[lang=de]") == []
    assert phone.problems == []
