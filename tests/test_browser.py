"""The real Debian Chromium at a 360x800 phone viewport, against the real site."""

from __future__ import annotations

import re

import pytest

from scripts.core.project import Project
from tests.conftest import ROOT, StaticServer

pytestmark = pytest.mark.browser
CODES = [lang.code for lang in Project.load().languages]


def _url(base: str, code: str, page: str) -> str:
    return f"{base}{page}" if code == "de" else f"{base}{code}/{page}"


def _search_term(code: str) -> str:
    """A word from the H1 of the language's own rights handout (source Markdown, not the index)."""
    text = (ROOT / "docs" / code / "rechte.md").read_text(encoding="utf-8")
    heading = re.search(r"^# (.+)$", text, re.M).group(1)
    words = [w for w in re.findall(r"[^\W\d_]{4,}", heading)]
    return max(words, key=len)


def _search(page, term: str) -> list[str]:
    page.locator("label[for=__search]").first.click()
    box = page.locator("input[data-md-component=search-query]")
    box.fill(term)
    box.press("End")  # Material reads the query on keyup
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return [a.get_attribute("href") for a in page.query_selector_all(".md-search-result__item > a")]


@pytest.fixture(scope="module")
def served(real_site):
    with StaticServer(real_site, prefix="stadt/gewaltschutz") as server:
        yield server


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll"


@pytest.mark.parametrize("code,family", [("ar", "Site Noto Sans Arabic"), ("fa", "Site Noto Sans Arabic"),
                                         ("ps", "Site Noto Sans Arabic"), ("ti", "Site Noto Sans Ethiopic")])
def test_script_pages_use_self_hosted_fonts(phone, served, code, family):
    phone.goto(_url(served.url, code, "rechte.html"))
    phone.wait_for_load_state("networkidle")
    phone.evaluate("document.fonts.ready")
    loaded = phone.evaluate("[...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any(family in f for f in loaded), loaded
    assert phone.evaluate("document.documentElement.dir") == ("rtl" if code != "ti" else "ltr")
    _no_horizontal_scroll(phone)
    fonts = [u for u in phone.requests if u.endswith(".woff2")]
    assert fonts and all(u.startswith(served.url) for u in fonts)


def test_german_page_downloads_no_script_font(phone, served):
    phone.goto(_url(served.url, "de", "rechte.html"))
    phone.wait_for_load_state("networkidle")
    assert not [u for u in phone.requests if u.endswith(".woff2")]


@pytest.mark.parametrize("code", CODES)
def test_pages_stay_local_fit_the_phone_and_raise_no_errors(phone, served, code):
    for name in ("index.html", "rechte.html", "sicherheitsplan.html"):
        phone.goto(_url(served.url, code, name))
        phone.wait_for_load_state("networkidle")
        _no_horizontal_scroll(phone)
    outside = [u for u in phone.requests if not u.startswith(served.url) and not u.startswith("data:")]
    assert outside == []
    assert phone.problems == []  # CSP violations and script errors show up here


@pytest.mark.parametrize("code", CODES)
def test_search_finds_own_language_over_http(phone, served, code):
    phone.goto(_url(served.url, code, "index.html"))
    hrefs = _search(phone, _search_term(code))
    assert hrefs
    prefix = served.url if code == "de" else f"{served.url}{code}/"
    for href in hrefs:
        assert href.startswith(prefix), href
        if code == "de":
            assert not re.match(rf"{re.escape(served.url)}(en|fr|ar|fa|ps|ku|tr|ru|ti)/", href), href
    index_requests = [u for u in phone.requests if "search_index" in u]
    assert index_requests == [f"{prefix}search/search_index.json"]
    # nothing a person watching the phone could find: no cookies, no storage, no words in URLs
    assert phone.evaluate("document.cookie") == ""
    assert phone.evaluate("localStorage.length + sessionStorage.length") == 0
    assert all("?h=" not in h and "?q=" not in h for h in hrefs)


@pytest.mark.parametrize("code", CODES)
def test_search_works_from_file(phone, real_site, code):
    page = real_site / "index.html" if code == "de" else real_site / code / "index.html"
    phone.goto(page.as_uri())
    hrefs = _search(phone, _search_term(code))
    assert hrefs
    folder = real_site.as_uri() + ("/" if code == "de" else f"/{code}/")
    assert all(h.startswith(folder) for h in hrefs), hrefs
    assert all(u.startswith("file://") or u.startswith("data:") for u in phone.requests)


def test_navigation_and_switcher_from_file(phone, real_site):
    phone.goto((real_site / "index.html").as_uri())
    # follow a content link to a handout
    phone.locator("article a[href$='rechte.html']").first.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/rechte.html")
    # switch to Arabic through the language switcher: same page in Arabic
    href = phone.locator("a.md-select__link[hreflang=ar]").get_attribute("href")
    phone.goto(phone.url.rsplit("/", 1)[0] + "/" + href)
    assert phone.url.endswith("/ar/rechte.html")
    assert phone.evaluate("document.documentElement.lang") == "ar"
    # and on to Tigrinya from there
    href = phone.locator("a.md-select__link[hreflang=ti]").get_attribute("href")
    phone.goto(phone.url.rsplit("/", 1)[0] + "/" + href)
    assert phone.url.endswith("/ti/rechte.html")
    assert phone.title()
