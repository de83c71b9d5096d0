"""Events page in Chromium (Arabic, right-to-left): the reader's clock corrects the build-time split,
filters work, and the page is readable without JavaScript."""

from __future__ import annotations

import datetime as dt

import pytest

from scripts import events
from scripts.core.project import Project
from tests.conftest import ROOT, StaticServer

pytestmark = pytest.mark.browser
CODES = [lang.code for lang in Project.load().languages]


def _events():
    stems = {p.stem for p in (ROOT / "docs" / "de").glob("*.md")}
    return events.load_events(ROOT / "data" / "events.yml", CODES, stems)


@pytest.fixture(scope="module")
def served(real_site):
    with StaticServer(real_site) as server:
        yield server


def _visible_ids(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(
        f"{selector} article[data-start]",
        "els => els.filter(e => !e.hidden && e.offsetParent !== null).map(e => e.id || e.dataset.id || '')")


def test_client_clock_moves_ended_events_to_past_in_rtl(browser, served):
    later = dt.datetime(2027, 3, 1, 12, 0)
    upcoming, past = events.split_events(_events(), later.date())
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.clock.install(time=later)
    page.goto(served.url + "ar/events.html")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    n_up = page.locator("[data-ev-upcoming] article[data-start]").count()
    n_past = page.locator("[data-ev-past] article[data-start]").count()
    assert (n_up, n_past) == (len(upcoming), len(past))
    starts = page.eval_on_selector_all("[data-ev-upcoming] article[data-start]", "els => els.map(e => e.dataset.start)")
    assert starts == sorted(starts)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_language_filter_in_rtl(browser, served):
    all_events = _events()
    context = browser.new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.clock.install(time=dt.datetime(2026, 9, 1, 8, 0))  # everything upcoming
    page.goto(served.url + "ar/events.html")
    page.wait_for_load_state("networkidle")
    page.locator("details.ev-filter summary, [data-ev-filter] summary").first.click()
    page.locator("input[name='ev-language'][value='ar']").check()
    shown = page.eval_on_selector_all("article[data-start]",
                                      "els => els.filter(e => !e.hidden).map(e => e.dataset.languages)")
    assert shown and all("ar" in langs.split() for langs in shown)
    assert len(shown) == sum(1 for e in all_events if "ar" in e.languages)
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0 and page.evaluate("document.cookie") == ""
    context.close()


def test_events_readable_without_js_and_feeds_linked(browser, served, real_site):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(served.url + "fa/events.html")
    assert page.locator("article[data-start]").count() == len(_events())
    ics = page.locator("article[data-start] a[href$='.ics']").first.get_attribute("href")
    assert (real_site / "fa" / ics).is_file()
    assert (real_site / "fa" / events.FEED_NAME).is_file()
    # the next events also appear on the home page
    page.goto(served.url + "fa/index.html")
    assert page.locator(".site-next-events article[data-start]").count() >= 1
    context.close()
