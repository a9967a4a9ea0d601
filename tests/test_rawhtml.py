"""The generated pages as raw HTML: links that resolve, and editor text that stays text.

Most of a generated page is raw HTML, which Python-Markdown and MkDocs pass through
untouched: they neither check its links nor escape its text. So the generator checks
every link itself (the build fails on a broken one), and escapes every piece of editor
text it writes into the HTML.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import make_project
from test_xss import PAYLOADS, URL, hostile_project

import generator.render
from generator.links import broken_links, engine_urls, href, page_url
from generator.pipeline import generate

# What the generator itself writes in a page's raw HTML, and nothing else.
ELEMENTS = {
    "p", "span", "a", "sup", "em", "ul", "li", "div", "hr", "ol", "blockquote", "mark",
    "script", "figure", "figcaption", "svg", "g", "line", "rect", "circle", "text", "title",
    "desc", "del", "path",
}  # fmt: skip


def test_links_name_pages_by_their_files_and_mkdocs_urls_are_made_of_them() -> None:
    assert href("topics/a.md", "topics/b.md", "claim") == "b.md#claim"
    assert href("topics/a.md", "topics/a.md", "claim") == "#claim"
    assert href("topics/a.md", "sources/s.md", "q-1") == "../sources/s.md#q-1"
    assert href("timeline.md", "topics/a.md", "c") == "topics/a.md#c"
    assert href("sources/index.md", "sources/s.md") == "s.md"
    assert page_url("topics/ports.md") == "topics/ports/"
    assert page_url("sources/index.md") == "sources/"
    assert page_url("index.md") == ""
    assert page_url("topics/ports.md", directory_urls=False) == "topics/ports.html"
    html = (
        '<p><a href="b.md#claim">x</a><sup id="fnref:1"><a href="#fn:1">1</a></sup></p>'
        '<li><a href="../sources/s.md#q-1">y</a> <a href="https://e.example/a.md">z</a>'
        ' <a href="../../pdf/a.pdf">p</a></li>'
    )
    assert engine_urls(html, "topics/a.md") == (
        '<p><a href="../b/#claim">x</a><sup id="fnref:1"><a href="#fn:1">1</a></sup></p>'
        '<li><a href="../../sources/s/#q-1">y</a> <a href="https://e.example/a.md">z</a>'
        ' <a href="../../pdf/a.pdf">p</a></li>'
    )
    assert engine_urls(html, "topics/a.md", directory_urls=False).startswith(
        '<p><a href="b.html#claim">x</a>'
    )
    assert engine_urls('<a href="topics/a.md">', "index.md") == '<a href="topics/a/">'
    assert engine_urls('<a href="s.md">', "sources/index.md") == '<a href="s/">'


def test_the_link_check_finds_a_missing_page_and_a_missing_anchor() -> None:
    pages = {
        "topics/a.md": '# A\n\n<p class="claim" id="one">x<sup id="fnref:1">'
        '<a class="footnote-ref" href="#fn:1">1</a></sup></p>\n\n'
        '<div class="footnote">\n<ol>\n<li id="fn:1">\n<p><a href="../sources/s.md#q-1">x</a>'
        ' <a href="https://example.org/#nowhere">y</a> <a href="../../feed.xml">f</a></p>\n'
        "</li>\n</ol>\n</div>\n",
        "sources/s.md": '# S\n\n<blockquote>\n<p class="passage" id="q-1">x</p>\n</blockquote>\n'
        '\n<ul>\n<li><a href="../topics/a.md#one">x</a></li>\n</ul>\n',
        "timeline.md": "## 2024 { #year_2024 }\n",
        "index.md": '<ul>\n<li><a href="topics/a.md">A</a></li>\n'
        '<li><a href="timeline.md#year_2024">T</a></li>\n</ul>\n',
    }
    assert broken_links(pages) == []
    broken = dict(pages)
    broken["sources/s.md"] = broken["sources/s.md"].replace("#one", "#two")
    broken["index.md"] = broken["index.md"].replace("topics/a.md", "topics/b.md")
    broken["changes.md"] = '<a href="topics/a/">a URL, which engines rewrite</a>\n'
    broken["topics/a.md"] = broken["topics/a.md"].replace('href="#fn:1"', 'href="#fn:2"')
    assert broken_links(broken) == [
        "changes.md: links to topics/a/, not to a page's .md file",
        "index.md: links to topics/b.md, which is no generated page",
        "sources/s.md: links to ../topics/a.md#two, but topics/a.md has no anchor 'two'",
        "topics/a.md: links to #fn:2, but topics/a.md has no anchor 'fn:2'",
    ]
    assert broken_links(broken, only=["index.md"]) == [broken_links(broken)[1]]


def test_the_real_briefing_has_no_broken_link(tmp_path: Path) -> None:
    result = generate(make_project(tmp_path / "p", real=True))
    assert result.ok() and result.pages
    links = [u for page in result.pages.values() for u in re.findall(r'href="([^"]+)"', page)]
    assert any(u.startswith("../sources/") and ".md#q-" in u for u in links)
    assert any(u.startswith("#fn:") for u in links) and any(u.startswith("#fnref") for u in links)
    assert broken_links(result.pages) == []


def test_a_broken_link_stops_the_build_naming_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = generator.render.href

    def astray(here: str, there: str, anchor: str = "") -> str:
        return real(here, there, anchor + "-gone" if anchor.startswith("q-") else anchor)

    monkeypatch.setattr(generator.render, "href", astray)
    result = generate(make_project(tmp_path / "p"))
    assert not result.ok()
    messages = [d.format() for d in result.report.errors]
    assert messages and all("the generator made a broken link" in m for m in messages)
    assert any(m.startswith("docs/topics/") and "-gone" in m for m in messages)


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    result = generate(hostile_project(tmp_path_factory.mktemp("rawhtml") / "p"))
    assert result.ok()
    return {path: text for path, text in result.pages.items() if path.endswith(".md")}


def _raw_blocks(markdown: str) -> list[BeautifulSoup]:
    """The page's raw HTML blocks, as a browser reads them once MkDocs passed them on."""
    blocks = [b for b in markdown.split("\n\n") if b.startswith("<")]
    return [BeautifulSoup(block, "html.parser") for block in blocks]


def test_hostile_editor_text_in_raw_html_is_text(hostile_pages: dict[str, str]) -> None:
    topic = hostile_pages["topics/ports.md"]
    for path, markdown in hostile_pages.items():
        for soup in _raw_blocks(markdown):
            for element in soup.find_all(True):
                assert element.name in ELEMENTS, f"{path}: <{element.name}>"
                assert not [a for a in element.attrs if a.lower().startswith("on")], path
                if element.name == "script":
                    assert element.get("type") == "application/ld+json", path
    claims = {
        p["id"]: " ".join(p.get_text().split())
        for soup in _raw_blocks(topic)
        for p in soup.select("p.claim[id]")
    }
    footnotes = [
        " ".join(li.get_text().split())
        for soup in _raw_blocks(topic)
        for li in soup.select("div.footnote li")
    ]
    assert len(claims) == len(footnotes) == len(PAYLOADS)
    for number, payload in enumerate(PAYLOADS):
        shown = " ".join(payload.split())
        # Every character of the claim text reads as written (no payload is *emphasis*).
        assert f"Officials said {shown} today" in claims[f"claim-{number}"], payload
        assert f"Sign {number} read {shown} on the quay" in footnotes[number], payload
        assert f"Attributed to {shown}." in footnotes[number], payload
        assert shown in footnotes[number].split("— ", 1)[1], "the source's title"
    source = hostile_pages["sources/harbour-news.md"]
    cited = [" ".join(li.get_text().split()) for soup in _raw_blocks(source) for li in soup("li")]
    for payload in PAYLOADS:
        assert any(f"Officials said {' '.join(payload.split())} today" in li for li in cited)
        assert any(" ".join(payload.split()) in li for li in cited), "relays and publisher"


def test_urls_in_raw_html_are_attribute_values(hostile_pages: dict[str, str]) -> None:
    topic = hostile_pages["topics/ports.md"]
    originals = [
        a["href"]
        for soup in _raw_blocks(topic)
        for a in soup.select("a[href]")
        if ":~:text=" in a["href"]
    ]
    assert len(originals) == len(PAYLOADS)
    assert all(url.startswith(URL + ":~:text=") for url in originals)
    # A quote in a URL cannot end the attribute (the model accepts only http(s) URLs,
    # but the spelling does not rely on it).
    assert generator.render._attr('https://x.example/?q="><script>') == (
        "https://x.example/?q=&quot;&gt;&lt;script&gt;"
    )


def test_a_heading_never_takes_the_id_of_a_claim(tmp_path: Path) -> None:
    """The `toc` extension sees no id inside raw HTML: where a heading's own id would be
    a claim's, the page names the id `toc` gave it when it saw the claim's (`_1`)."""
    import markdown

    topic = (
        "title: Navy left\nkey_points: [navy-left]\nsections:\n"
        "  - heading: Navy left\n    claims:\n      - id: navy-left\n"
        "        text: The navy left the northern port.\n        cites:\n"
        "          - source: harbour-news\n"
        '            quote: "The navy left the northern port on Tuesday."\n'
        "  - heading: Key points\n    claims:\n      - id: key-points\n"
        "        text: The navy left the northern port.\n        cites:\n"
        "          - source: harbour-news\n"
        '            quote: "The navy left the northern port on Tuesday."\n'
    )
    result = generate(make_project(tmp_path / "p", {"briefs/topics/ports.yml": topic}))
    assert result.ok()
    page = result.pages["topics/ports.md"]
    html = markdown.markdown(page, extensions=["attr_list", "footnotes", "toc"])
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every id once"
    headings = re.findall(r'<h(\d) id="([^"]+)"', html)
    assert headings == [("1", "navy-left_1"), ("2", "key-points_1"), ("2", "navy-left_2")] + [
        ("2", "key-points_2")
    ]
    assert '<p class="claim claim-reported" id="navy-left">' in html
