"""In a real browser: Debian's Chromium driven by Playwright, the built site served on
localhost and opened from its folder (file://). What a reader does (hover a marker,
follow it to the footnote and on to the passage, search, look at the timeline, read on
a phone, use the keyboard), that axe-core finds no WCAG 2.2 AA violation on any kind of
page at desktop and phone sizes, and that the browser asks no host but localhost for
anything.

One browser for the whole module; Playwright never downloads one (`./run test`
installs Debian's `chromium`, and axe-core from npm into `node_modules/`).
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from generator.textmatch import normalise

REPO = Path(__file__).resolve().parent.parent
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = {"desktop": (1280, 900), "phone": (390, 844)}
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
    """Let localhost (and the site's own folder) through; refuse anything else (it is
    recorded all the same)."""
    url = urlsplit(route.request.url)
    if url.hostname in LOCAL_HOSTS or url.scheme == "file":
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


# --- every reader: accessible, on a phone, from a folder, by keyboard -----------------


def _pages(site: Path) -> list[str]:
    """Every page of the site by URL path: home, topics, sources, timeline, hand-written."""
    return sorted(
        "" if f.parent == site else f.parent.relative_to(site).as_posix() + "/"
        for f in site.rglob("index.html")
    )


def test_every_kind_of_page_is_there(real_site: Path) -> None:
    pages = _pages(real_site)
    for kind in ("", "topics/libya-pivot/", "sources/", "timeline/", "about/", "method/"):
        assert kind in pages, kind
    assert any(re.fullmatch(r"sources/[a-z0-9-]+/", p) for p in pages)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_axe_finds_no_violation_on_any_page(
    browser: Browser, base_url: str, real_site: Path, size: str
) -> None:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: `npm i axe-core` (./run test does)")
    viewer = _open(browser, *SIZES[size])
    found = []
    for url in _pages(real_site):
        viewer.goto(base_url + url, wait_until="networkidle")
        viewer.add_script_tag(path=str(AXE))
        result = viewer.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        for violation in result["violations"]:
            nodes = [n["target"] for n in violation["nodes"][:3]]
            found.append(f"/{url}: {violation['id']} x{len(violation['nodes'])} {nodes}")
        assert result["passes"], "axe ran no rule"
    viewer.context.close()
    assert not found, "\n".join(found)


# The elements of the content that reach past the right edge of the screen, unless a
# region that scrolls on purpose (and can be focused, so keyboards scroll it) holds them.
_CLIPPED = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = el => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (["auto", "scroll"].includes(style.overflowX) && box.tabIndex >= 0) return true;
    }
    return false;
  };
  return [...document.querySelectorAll("article *")]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > width + 0.5; })
    .filter(el => !scrolls(el))
    .map(el => `${el.tagName.toLowerCase()}.${el.className.baseVal ?? el.className} ends at ${Math.round(el.getBoundingClientRect().right)}px`);
}"""


def test_nothing_runs_past_the_edge_of_a_phone(phone: Page, base_url: str, real_site: Path) -> None:
    for url in _pages(real_site):
        phone.goto(base_url + url)
        clipped = phone.evaluate(_CLIPPED)
        assert not clipped, f"/{url}: {clipped[:5]}"
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"/{url} scrolls sideways on a phone"


def test_on_a_phone_the_timeline_figure_scrolls_by_keyboard_and_stays_legible(
    phone: Page, base_url: str
) -> None:
    phone.goto(base_url + "timeline/")
    figure = phone.locator("figure.timeline-figure")
    assert figure.evaluate("f => f.scrollWidth > f.clientWidth"), "the figure is wider: it scrolls"
    figure.focus()
    expect(figure).to_be_focused()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("() => document.querySelector('figure.timeline-figure').scrollLeft > 0")
    smallest = phone.evaluate(
        "() => Math.min(...[...document.querySelectorAll('.timeline-svg text')]"
        ".map(t => t.getBoundingClientRect().height))"
    )
    assert smallest >= 10, f"timeline text shrinks to {smallest:.1f}px"
    phone.goto(base_url + "topics/libya-pivot/")
    for label in phone.locator(".claim-support").all():
        box = label.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390


def _file_of(url: str) -> Path:
    return Path(unquote(urlsplit(url).path))


def test_from_a_folder_every_link_opens_a_file(browser: Browser, real_site: Path) -> None:
    viewer = _open(browser)
    home = (real_site / "index.html").as_uri()
    for url in _pages(real_site):
        viewer.goto((real_site / url / "index.html").as_uri())
        links = viewer.evaluate(
            "[...document.querySelectorAll('a[href]')].map(a => a.href)"
            ".filter(h => h.startsWith('file:'))"
        )
        assert links
        for link in links:
            target = _file_of(link)
            assert target.is_file(), f"/{url}: {link} opens no file"
    # A reader clicks through: home → topic → footnote → passage; and a PDF is there.
    viewer.goto(home)
    viewer.locator("article a", has_text="The Libya pivot").first.click()
    expect(viewer.locator("#benghazi-tobruk-ports")).to_be_visible()
    assert viewer.url.endswith("topics/libya-pivot/index.html")
    note = viewer.locator("div.footnote li").first
    note.get_by_role("link", name="Passage in the archived text").click()
    expect(viewer.locator("p.passage:target mark")).to_be_visible()
    pdf = viewer.locator("a[href$='.pdf']").first.evaluate("a => a.href")
    assert _file_of(pdf).is_file()
    viewer.context.close()


def test_from_a_folder_search_finds_a_claim_and_opens_it(browser: Browser, real_site: Path) -> None:
    viewer = _open(browser)
    viewer.goto((real_site / "index.html").as_uri())
    box = viewer.locator("input.md-search__input")
    box.click()
    box.press_sequentially("Tobruk")
    result = viewer.locator(".md-search-result__link[href*='#benghazi-tobruk-ports']")
    expect(result.first).to_be_visible()
    result.first.click()
    expect(viewer.locator("#benghazi-tobruk-ports")).to_be_in_viewport()
    assert "topics/libya-pivot/index.html" in viewer.url
    viewer.context.close()


def test_search_lists_a_claim_for_a_word_of_its_quote_with_its_text(
    page: Page, base_url: str
) -> None:
    # The quotes say "defense" (American spelling); the claims say "defence".
    page.goto(base_url + "topics/libya-pivot/")
    claim = page.locator("#air-defences-to-libya")
    expect(claim).not_to_contain_text("defense")
    claim_text = claim.evaluate(
        "p => { const c = p.cloneNode(true); c.querySelectorAll("
        "'sup, .briefing-label, .claim-status, .claim-date, .claim-note, .claim-change')"
        ".forEach(e => e.remove()); return c.textContent.trim(); }"
    )
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially("defense")
    link = page.locator(
        ".md-search-result__link[href*='topics/libya-pivot/'][href$='#air-defences-to-libya']"
    )
    expect(link).to_be_visible()
    expect(link.locator("h3, h2").first).to_have_text(claim_text)
    # Snippets are claims' and quotes' words: no footnote text, no stray footnote numbers.
    for item in page.locator(".md-search-result__article").all():
        text = item.inner_text()
        assert "Passage in the archived text" not in text
        assert not re.search(r"[.,;:]\d+\b", text), f"footnote number in {text!r}"
    link.click()
    expect(page.locator("#air-defences-to-libya")).to_be_in_viewport()
    assert "/topics/libya-pivot/" in page.url and page.url.endswith("#air-defences-to-libya")


def test_a_tooltip_closes_with_escape_and_its_link_is_reached_by_tab(
    page: Page, base_url: str
) -> None:
    page.goto(base_url + "topics/libya-pivot/")
    marker = page.locator("article a.footnote-ref").first
    tooltip = page.locator(".md-tooltip2--active")
    marker.focus()
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(marker).to_be_focused()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(tooltip).to_be_visible()
    # The theme fills the tooltip a moment after focus: its link is there before Tab.
    expect(page.locator(".md-tooltip2--active a[href]").first).to_be_visible()
    page.keyboard.press("Tab")
    focused = page.locator(".md-tooltip2 a:focus")
    expect(focused).to_have_text("Passage in the archived text")
    page.wait_for_timeout(600)  # longer than the theme's 250 ms close delay
    expect(tooltip).to_be_visible()
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(marker).to_be_focused()
    # Back to the marker and in again; the link inside works from the keyboard.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    expect(tooltip).to_be_visible()
    # The theme fills the tooltip a moment after focus: its link is there before Tab.
    expect(page.locator(".md-tooltip2--active a[href]").first).to_be_visible()
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Passage in the archived text")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sources/**#q-*")
    expect(page.locator("p.passage:target")).to_be_in_viewport()


def test_reused_footnotes_lead_back_as_a_b_c_in_page_order(page: Page, base_url: str) -> None:
    reused = 0
    for slug in ("syria-bases", "libya-pivot", "assad-extradition", "eu-aid-conditions"):
        page.goto(base_url + f"topics/{slug}/")
        for note in page.locator("div.footnote li[id^='fn:']").all():
            number = note.get_attribute("id")
            markers = page.locator(f"article sup[id^='fnref'] a[href='#{number}']")
            backrefs = note.locator("a.footnote-backref")
            count = markers.count()
            assert backrefs.count() == count
            if count < 2:
                continue
            reused += 1
            labels = [b.inner_text() for b in backrefs.all()]
            assert labels == list("abcdefghijklmnopqrstuvwxyz"[:count]), labels
            # Each letter leads to the citation of the same rank in page order.
            in_page_order = [m.evaluate("a => a.parentElement.id") for m in markers.all()]
            targets = [b.get_attribute("href").lstrip("#") for b in backrefs.all()]  # type: ignore[union-attr]
            assert targets == in_page_order
    assert reused, "some footnote is cited more than once"
    page.goto(base_url + "topics/libya-pivot/")
    first = page.locator("div.footnote a.briefing-backref", has_text="a").first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(f"sup[id='{target.lstrip('#')}']")).to_be_in_viewport()  # type: ignore[union-attr]


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
