"""The real Debian Chromium at a 360x800 phone viewport, against the real site."""

from __future__ import annotations

import re
import time
from pathlib import Path

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


@pytest.mark.parametrize("name", ["rechte.html", "index.html", "events.html", "verzeichnis.html", "404.html"])
def test_german_page_downloads_no_script_font(phone, served, name):
    """Also where it names languages in Arabic or Ethiopic script (events, help directory, 404): those keep
    the system font rather than cost a whole web font."""
    phone.goto(_url(served.url, "de", name))
    phone.wait_for_load_state("networkidle")
    assert not [u for u in phone.requests if u.endswith(".woff2")]


@pytest.mark.parametrize("code,core", [("ar", "noto-sans-arabic-core"), ("fa", "noto-sans-arabic-core"),
                                       ("ps", "noto-sans-arabic-core"), ("ti", "noto-sans-ethiopic-core")])
def test_script_pages_preload_only_their_core_font(phone, served, code, core):
    """First view: the page's own script, the file with the letters the site uses (never the rest file,
    nor another script's font for a language name)."""
    for name in ("index.html", "rechte.html", "events.html", "verzeichnis.html", "drucken.html", "about.html"):
        phone.requests.clear()
        phone.goto(_url(served.url, code, name))
        phone.wait_for_load_state("networkidle")
        preload = phone.eval_on_selector_all("link[rel=preload][as=font]", "els => els.map(e => e.href)")
        assert [u.rsplit("/", 1)[1] for u in preload] == [f"{core}.woff2"], name
        assert [u.rsplit("/", 1)[1] for u in phone.requests if u.endswith(".woff2")] == [f"{core}.woff2"], name


# Layout shifts of the page so far (PerformanceObserver, buffered), with what moved
LAYOUT_SHIFTS = """() => new Promise(resolve => {
  const shifts = [];
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) {
      if (entry.hadRecentInput) continue;
      shifts.push({value: entry.value, sources: (entry.sources || []).map(s => {
        const node = s.node;
        const name = !node ? "?" : node.nodeType === 1 ? node.tagName.toLowerCase() + "." + node.className
          : "text: " + node.textContent.trim().slice(0, 30);
        return `${name} y ${Math.round(s.previousRect.y)} -> ${Math.round(s.currentRect.y)}`;
      })});
    }
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(shifts), 300);
})"""
SHIFT_PAGES = ["index.html", "rechte.html", "about.html", "events.html", "verzeichnis.html", "drucken.html"]


def _slow_fonts(phone, seconds: float) -> None:
    """Web fonts arrive late, as on a slow mobile connection (the page is drawn without them first)."""
    def late(route):
        time.sleep(seconds)
        route.continue_()
    phone.route("**/*.woff2", late)


def _shifts(phone, url: str) -> list[dict]:
    phone.goto(url)
    phone.wait_for_load_state("networkidle")
    phone.evaluate("document.fonts.ready.then(() => true)")
    return phone.evaluate(LAYOUT_SHIFTS)


@pytest.mark.parametrize("code", ["de", "ar", "fa", "ti", "ru"])
def test_no_layout_shift_at_360px(phone, served, code):
    """Nothing moves after the first paint: not when the web font arrives, not when Material's script shows
    the search button, not when events.js shows the event filter (Lighthouse: cumulative layout shift)."""
    for name in SHIFT_PAGES:
        shifts = _shifts(phone, _url(served.url, code, name))
        assert shifts == [], f"{code}/{name}: {shifts}"


@pytest.mark.parametrize("code", ["ar", "ps", "ti"])
def test_no_layout_shift_when_the_web_font_is_late(phone, served, code):
    """Arabic script: font-display optional (the page keeps the font it was first drawn with). Ethiopic: the
    installed Noto Sans Ethiopic (Android, Linux) stands in with the web font's metrics until it arrives."""
    if code == "ti" and not Path("/usr/share/fonts/truetype/noto/NotoSansEthiopic-Regular.ttf").is_file():
        pytest.skip("needs an installed Noto Sans Ethiopic (Debian fonts-noto-core), as Android phones have")
    _slow_fonts(phone, 1.0)
    for name in ("rechte.html", "about.html", "events.html"):
        shifts = _shifts(phone, _url(served.url, code, name))
        assert shifts == [], f"{code}/{name}: {shifts}"
        assert phone.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily").startswith(
            '"Site Noto Sans')


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
