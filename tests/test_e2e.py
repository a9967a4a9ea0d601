"""End to end: build the real briefing and read the built HTML as a reader's browser would."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import REPO, make_project

from generator.cli import main
from generator.textmatch import normalise

TOPICS = ["syria-bases", "libya-pivot", "assad-extradition", "eu-aid-conditions"]
SITE_URL = "http://localhost/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("real") / "p", real=True)
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def page(site: Path, url_path: str) -> BeautifulSoup:
    file = (
        site / url_path.strip("/") / "index.html"
        if not url_path.endswith(".html")
        else site / url_path
    )
    return BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")


def content(soup: BeautifulSoup) -> Tag:
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    return article


def resolve(site: Path, from_url: str, href: str) -> tuple[Path, str]:
    """The built file and fragment a relative link on page `from_url` points to."""
    url = urljoin(SITE_URL + from_url, href)
    parts = urlsplit(url)
    assert parts.netloc == "localhost", f"link leaves the site: {href}"
    path = unquote(parts.path).lstrip("/")
    file = site / path / "index.html" if not path.endswith(".html") else site / path
    return file, parts.fragment


def is_fixed_label(element: Tag) -> bool:
    """True when every word of `element` sits inside the generator's own labels."""
    copy = BeautifulSoup(str(element), "html.parser")
    for label in copy.select(".briefing-label, .claim-status, .claim-date"):
        label.decompose()
    return not copy.get_text(strip=True)


def test_home_lists_all_four_topics_with_counts(site: Path) -> None:
    home = content(page(site, "/"))
    text = home.get_text(" ", strip=True)
    assert "As of 21 November 2026" in text
    links = {
        a["href"].strip("/").split("/")[-1]: a for a in home.select("a") if "topics/" in a["href"]
    }
    assert sorted(links) == sorted(TOPICS)
    for slug in TOPICS:
        item = links[slug].find_parent("li")
        assert item is not None and re.search(r"\d+ claims?", item.get_text())


@pytest.mark.parametrize("slug", TOPICS)
def test_every_statement_is_footnoted(site: Path, slug: str) -> None:
    article = content(page(site, f"topics/{slug}/"))
    footnotes = article.select_one("div.footnote")
    assert footnotes is not None
    footnotes.extract()
    statements = article.select("p, li")
    assert statements
    for element in statements:
        if is_fixed_label(element):
            continue
        assert element.select("sup[id^='fnref'] a.footnote-ref"), (
            f"no footnote marker: {element.get_text()!r}"
        )


@pytest.mark.parametrize("slug", TOPICS)
def test_markers_resolve_in_reading_order_and_stay_apart(site: Path, slug: str) -> None:
    article = content(page(site, f"topics/{slug}/"))
    notes = {li["id"]: li for li in article.select("div.footnote li[id^='fn:']")}
    seen: list[int] = []
    for ref in article.select("a.footnote-ref"):
        target = ref["href"].lstrip("#")
        assert target in notes, f"marker {ref.get_text()} points nowhere"
        number = int(ref.get_text())
        if number not in seen:
            seen.append(number)
        # The marker shows the number of the footnote it links to.
        assert list(notes).index(target) + 1 == number
    assert seen == list(range(1, len(notes) + 1)), "footnotes are numbered in reading order"
    for sup in article.select("sup[id^='fnref']"):
        following = sup.find_next_sibling()
        if (
            following is not None
            and following.name == "sup"
            and following.get("id", "").startswith("fnref")
        ):
            between = sup.next_sibling
            pytest.fail(
                f"adjacent markers run together: {sup.get_text()}{following.get_text()} ({between!r})"
            )


@pytest.mark.parametrize("slug", TOPICS)
def test_footnotes_link_to_source_anchors_and_quote_the_archive(site: Path, slug: str) -> None:
    url = f"topics/{slug}/"
    article = content(page(site, url))
    notes = article.select("div.footnote li[id^='fn:']")
    assert notes
    for note in notes:
        links = [a for a in note.select("a[href]") if "/sources/" in a["href"]]
        assert len(links) == 1, note.get_text()
        file, fragment = resolve(site, url, links[0]["href"])
        assert file.is_file(), f"missing source page {file}"
        source_page = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        anchor = source_page.find(id=fragment)
        assert anchor is not None, f"no anchor #{fragment} on {file}"
        quote = note.select_one(".fn-quote")
        assert quote is not None
        shown = quote.get_text().strip()
        assert shown.startswith("“") and shown.endswith("”")
        source_id = file.parent.name
        archived = (REPO / "briefs" / "sources" / f"{source_id}.txt").read_text(encoding="utf-8")
        assert normalise(shown[1:-1]) in normalise(archived)
        # The anchored passage on the source page highlights that very quote.
        mark = anchor.select_one("mark")
        assert mark is not None and normalise(mark.get_text()) == normalise(shown[1:-1])


@pytest.mark.parametrize("slug", TOPICS)
def test_every_claim_is_anchored_and_cross_references_show_words(site: Path, slug: str) -> None:
    import yaml

    brief = yaml.load(
        (REPO / "briefs" / "topics" / f"{slug}.yml").read_text(), Loader=yaml.CSafeLoader
    )
    article = content(page(site, f"topics/{slug}/"))
    for section in brief["sections"]:
        for claim in section["claims"]:
            element = article.find(id=claim["id"])
            assert element is not None and "claim" in element["class"]
    for link in article.select(
        "a[href*='#']:not(.footnote-ref):not(.footnote-backref):not(.headerlink)"
    ):
        if link.find_parent("div", class_="footnote"):
            continue
        text = link.get_text(" ", strip=True)
        assert len(text.split()) > 3, f"a reference to a claim shows its words, not an id: {text!r}"


def test_source_pages_list_citing_claims(site: Path) -> None:
    for source in sorted((REPO / "briefs" / "sources").glob("*.yml")):
        article = content(page(site, f"sources/{source.stem}/"))
        passages = article.select(".passage")
        assert passages
        for passage in passages:
            cited_by = passage.find_parent("blockquote").find_next("ul")
            assert cited_by is not None and cited_by.select("a[href*='topics/']")


def test_site_loads_nothing_from_other_hosts(site: Path) -> None:
    offenders = []
    for file in sorted(site.rglob("*.html")):
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src")):
            for element in soup.find_all(tag):
                value = element.get(attr)
                if value and re.match(r"^(https?:)?//", value):
                    offenders.append(f"{file.relative_to(site)}: <{tag} {attr}={value}>")
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(
            r"(?:url\(|@import\s+)['\"]?((?:https?:)?//[^'\")\s]+)", css.read_text(encoding="utf-8")
        ):
            offenders.append(f"{css.relative_to(site)}: {url}")
    assert not offenders, "\n".join(offenders)


def test_hostile_titles_stay_text_in_title_nav_and_headings(tmp_path: Path) -> None:
    payload = "Ports </title><script>alert(1)</script><img src=x onerror=alert(2)>"
    topic = (
        f"title: {payload!r}\n"
        "sections:\n"
        f"  - heading: {payload!r}\n"
        "    claims:\n"
        "      - id: navy-left\n"
        "        text: The navy left the northern port.\n"
        "        cites:\n"
        "          - source: harbour-news\n"
        "            quote: The navy left the northern port on Tuesday.\n"
    )
    briefing = f"title: {payload!r}\nas_of: 2025-01-31\nprepared_by: {payload!r}\ntopics: [ports]\n"
    source = f"title: {payload!r}\npublisher: {payload!r}\naccessed: 2025-01-02\n"
    root = make_project(
        tmp_path / "p",
        {
            "briefs/topics/ports.yml": topic,
            "briefs/briefing.yml": briefing,
            "briefs/sources/harbour-news.yml": source,
        },
    )
    assert main(["build", "--root", str(root), "--no-pdf"]) == 0
    for file in sorted((root / "site").rglob("*.html")):
        html = file.read_text(encoding="utf-8")
        assert "<script>alert" not in html, file
        soup = BeautifulSoup(html, "html.parser")
        assert soup.title is not None and soup.title.string is not None
        assert soup.find(attrs={"onerror": True}) is None, file
        # JSON-LD data blocks carry the titles as inert data (tests/test_opendata.py).
        scripts = soup.select('script:not([type="application/ld+json"])')
        assert not [s for s in scripts if "alert(" in s.get_text()], file
    soup = page(root / "site", "topics/ports/")
    assert soup.title is not None and soup.title.string is not None
    assert soup.title.string.startswith(payload)  # shown literally, whole
    heading = content(soup).select_one("h1")
    assert heading is not None
    for permalink in heading.select("a.headerlink"):
        permalink.decompose()
    assert heading.get_text() == payload
