"""In a real browser: Debian's Chromium driven by Playwright, the built site served on
localhost. What a reader does (hover a marker, follow it to the footnote and on to the
passage, search, look at the timeline, read on a phone), and that the browser asks
no host but localhost for anything.

One browser for the whole module; Playwright never downloads one (`./run test`
installs Debian's `chromium`).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from generator.textmatch import normalise

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# Every URL the browser asked for, over the whole module: the last test reads it.
REQUESTED: list[str] = []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(real_site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(real_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (./run test does)")
    with sync_playwright() as playwright:
        # A fresh temporary profile per launch; executable_path keeps Playwright from
        # looking for (or fetching) a browser of its own.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


def _local_only(route: Route) -> None:
    """Let localhost through; refuse anything else (it is recorded all the same)."""
    if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
        route.continue_()
    else:
        route.abort()


def _open(browser: Browser, width: int = 1280, height: int = 900) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.on("request", lambda request: REQUESTED.append(request.url))
    context.route("**/*", _local_only)
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    page = _open(browser)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    page = _open(browser, width=390, height=844)
    yield page
    page.context.close()


def test_hovering_a_marker_shows_its_quote(page: Page, base_url: str) -> None:
    page.goto(base_url + "topics/libya-pivot/")
    marker = page.locator("article a.footnote-ref").first
    target = marker.get_attribute("href")
    assert target and target.startswith("#fn:")
    quote = page.locator(f"li[id='{target[1:]}'] .fn-quote").inner_text()
    marker.hover()
    tooltip = page.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tooltip).to_be_visible()
    assert normalise(quote) in normalise(tooltip.inner_text())


def test_marker_leads_to_footnote_and_footnote_to_the_highlighted_passage(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + "topics/syria-bases/")
    marker = page.locator("#tartus-since-1971 a.footnote-ref").first
    target = marker.get_attribute("href")
    assert target
    marker.click()
    footnote = page.locator(f"li[id='{target[1:]}']")
    expect(page).to_have_url(base_url + "topics/syria-bases/" + target)
    expect(footnote).to_be_in_viewport()
    quote = footnote.locator(".fn-quote").inner_text().strip("“”")

    footnote.get_by_role("link", name="Passage in the archived text").click()
    page.wait_for_url("**/sources/**#q-*")
    passage = page.locator("p.passage:target")
    expect(passage).to_be_in_viewport()
    highlighted = passage.locator("mark")
    expect(highlighted).to_be_visible()
    assert normalise(highlighted.inner_text()) == normalise(quote)
    # The passage stands out from the page: the stylesheet marks the target.
    background = passage.evaluate("p => getComputedStyle(p).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_site_search_finds_the_tobruk_claim(page: Page, base_url: str) -> None:
    page.goto(base_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Tobruk")
    results = page.locator(".md-search-result__link[href*='topics/libya-pivot/']")
    expect(results.first).to_be_visible()
    # The section of the page that holds the claim, not just the page title.
    section = page.locator(".md-search-result__link[href*='topics/libya-pivot/'][href*='#']")
    section.filter(has_text="Tobruk").first.click()
    claim = page.locator("#benghazi-tobruk-ports")
    expect(claim).to_be_visible()
    expect(claim).to_contain_text("Benghazi and Tobruk")


def test_timeline_figure_renders(page: Page, base_url: str) -> None:
    page.goto(base_url + "timeline/")
    figure = page.get_by_role("img", name="Timeline of 3 dated claims")
    expect(figure).to_be_visible()
    box = figure.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 100
    # Its labels are text a reader can see (and select), not pixels.
    expect(
        figure.locator("text", has_text="between November 2024 and December 2024")
    ).to_be_visible()
    entries = page.locator("p.timeline-entry")
    expect(entries).to_have_count(3)


def test_on_a_phone_disagreements_stack_and_the_page_does_not_overflow(
    phone: Page, page: Page, base_url: str
) -> None:
    url = base_url + "topics/syria-bases/#where-the-sources-disagree"
    for viewer, stacked in ((page, False), (phone, True)):
        viewer.goto(url)
        first, second = (
            viewer.locator("div.disagreement").first.locator("p.disagreement-side").all()
        )
        a, b = first.bounding_box(), second.bounding_box()
        assert a is not None and b is not None
        if stacked:
            assert b["y"] >= a["y"] + a["height"], "one above the other"
        else:
            assert b["x"] >= a["x"] + a["width"] and abs(b["y"] - a["y"]) < 2, "side by side"
    for url in ("topics/syria-bases/", "timeline/"):
        phone.goto(base_url + url)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{url} scrolls sideways on a phone"


def test_no_request_leaves_localhost(page: Page, base_url: str, real_site: Path) -> None:
    """Visit every page of the site; with the tests above, nothing went to another host."""
    for file in sorted(real_site.rglob("index.html")):
        url = file.parent.relative_to(real_site).as_posix()
        page.goto(base_url + ("" if url == "." else url + "/"), wait_until="networkidle")
    assert any(urlsplit(u).path.endswith("/search_index.json") for u in REQUESTED)
    foreign = sorted(
        {u for u in REQUESTED if u.startswith("http") and urlsplit(u).hostname not in LOCAL_HOSTS}
    )
    assert not foreign, foreign
