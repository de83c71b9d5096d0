"""Quick exit, emergency bar and help directory in the real Chromium at a 360x800 phone viewport."""

from __future__ import annotations

import re

import pytest

from scripts import helpdir
from scripts.core.project import Project
from tests.conftest import StaticServer

PROJECT = Project.load()

pytestmark = pytest.mark.browser
CODES = [lang.code for lang in Project.load().languages]
EXIT_URL = Project.load().config["extra"]["quick_exit_url"]
NEUTRAL = "https://previous.example/"


@pytest.fixture(scope="module")
def served(real_site):
    with StaticServer(real_site) as server:
        yield server


def _context(browser, js: bool = True):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=js)
    # the outside world is not reachable here: stand-ins for the neutral exit site and a page before ours
    context.route(f"{EXIT_URL}**", lambda route: route.fulfill(body="<title>Wetter</title>weather",
                                                             content_type="text/html"))
    context.route(f"{NEUTRAL}**", lambda route: route.fulfill(body="<title>Before</title>before",
                                                            content_type="text/html"))
    return context


def _url(base: str, code: str, name: str) -> str:
    return base + (name if code == "de" else f"{code}/{name}")


@pytest.mark.parametrize("code", ["de", "ar", "ti"])
def test_exit_visible_without_scrolling_and_works_without_js(browser, served, code):
    context = _context(browser, js=False)
    page = context.new_page()
    page.goto(_url(served.url, code, "rechte.html"))
    exit_link = page.locator("a.site-exit")
    box = exit_link.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 800
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert box["height"] >= 44
    assert exit_link.inner_text().strip()
    exit_link.click()
    page.wait_for_url(f"{EXIT_URL}**")
    context.close()


@pytest.mark.parametrize("code,how", [("de", "click"), ("ar", "click"), ("de", "shift"), ("ar", "shift")])
def test_exit_with_js_leaves_and_back_does_not_return(browser, served, code, how):
    context = _context(browser)
    page = context.new_page()
    page.goto(NEUTRAL)
    page.goto(_url(served.url, code, "hilfe.html"))
    page.wait_for_load_state("networkidle")
    length = page.evaluate("history.length")
    if how == "click":
        page.locator("a.site-exit").click()
    else:
        for _ in range(3):
            page.keyboard.press("Shift")
    page.wait_for_url(f"{EXIT_URL}**")
    assert page.evaluate("history.length") == length  # replaced, not added
    page.go_back()
    page.wait_for_load_state()
    assert page.url.startswith(NEUTRAL), page.url
    context.close()


def test_two_shift_presses_do_not_exit(browser, served):
    context = _context(browser)
    page = context.new_page()
    page.goto(_url(served.url, "de", "index.html"))
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    page.keyboard.press("a")
    page.keyboard.press("Shift")
    page.wait_for_timeout(300)
    assert page.url.startswith(served.url)
    context.close()


def test_first_tab_reaches_the_exit(browser, served):
    context = _context(browser)
    page = context.new_page()
    page.goto(_url(served.url, "fa", "index.html"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('site-exit-skip')")
    assert page.evaluate("document.activeElement.href") == EXIT_URL
    context.close()


@pytest.mark.parametrize("code", CODES)
def test_emergency_bar_numbers_in_every_language(browser, served, code):
    context = _context(browser)
    page = context.new_page()
    page.goto(_url(served.url, code, "kinder.html"))
    hrefs = page.eval_on_selector_all(".site-emergency a[href^='tel:']", "els => els.map(e => e.getAttribute('href'))")
    numbers = helpdir.load_emergency(PROJECT.data / "emergency.yml")
    assert hrefs == [f"tel:{n.tel}" for n in numbers]
    shown = page.eval_on_selector_all(".site-emergency__number", "els => els.map(e => e.textContent)")
    assert shown == [n.phone for n in numbers]
    labels = page.eval_on_selector_all(".site-emergency__label", "els => els.map(e => e.textContent.trim())")
    assert all(labels)
    # the safety page link lands on the safety page in the same language
    page.locator("a.site-emergency__safety").click()
    page.wait_for_load_state()
    assert page.url == _url(served.url, code, "sicherheit.html")
    assert page.evaluate("document.documentElement.lang") == code
    context.close()


@pytest.mark.parametrize("code", CODES)
def test_help_directory_lists_every_entry(browser, served, code):
    entries = helpdir.load_directory(PROJECT.data / "help.yml")
    context = _context(browser, js=False)
    page = context.new_page()
    page.goto(_url(served.url, code, "verzeichnis.html"))
    names = page.eval_on_selector_all(".site-directory__entry h3", "els => els.map(e => e.textContent)")
    assert names == [e.name for kind in helpdir.KINDS for e in entries if e.kind == kind]
    tels = page.eval_on_selector_all(".site-directory__entry a[href^='tel:']",
                                     "els => els.map(e => e.getAttribute('href'))")
    assert sorted(tels) == sorted(f"tel:{e.tel}" for e in entries)
    # kinds work as a jump list without JavaScript
    first = page.locator(".site-directory__kinds a").first
    target = first.get_attribute("href")
    first.click()
    assert re.search(re.escape(target) + "$", page.url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()
