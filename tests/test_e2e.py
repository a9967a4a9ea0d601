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


# Every generated page that states claims: the topics and the timeline.
CLAIM_PAGES = [f"topics/{slug}/" for slug in TOPICS] + ["timeline/"]


@pytest.fixture(scope="module")
def site(real_site: Path) -> Path:
    return real_site


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


@pytest.mark.parametrize("url", CLAIM_PAGES)
def test_every_statement_is_footnoted(site: Path, url: str) -> None:
    article = content(page(site, url))
    footnotes = article.select_one("div.footnote")
    assert footnotes is not None
    footnotes.extract()
    statements = article.select("p, li, td, figcaption, dd")
    assert statements
    for element in statements:
        if is_fixed_label(element):
            continue
        assert element.select("sup[id^='fnref'] a.footnote-ref"), (
            f"no footnote marker: {element.get_text()!r}"
        )


@pytest.mark.parametrize("url", CLAIM_PAGES)
def test_markers_resolve_in_reading_order_and_stay_apart(site: Path, url: str) -> None:
    article = content(page(site, url))
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


@pytest.mark.parametrize("url", CLAIM_PAGES)
def test_footnotes_link_to_source_anchors_and_quote_the_archive(site: Path, url: str) -> None:
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


def briefs_claims() -> dict[str, dict]:  # type: ignore[type-arg]
    """Every claim of the real briefs by id, with its topic slug, read straight from YAML."""
    import yaml

    claims = {}
    for slug in TOPICS:
        brief = yaml.load(
            (REPO / "briefs" / "topics" / f"{slug}.yml").read_text(), Loader=yaml.CSafeLoader
        )
        for section in brief["sections"]:
            for claim in section["claims"]:
                claims[claim["id"]] = {**claim, "topic": slug}
    return claims


def marker_numbers(element: Tag) -> list[int]:
    return [int(a.get_text()) for a in element.select("a.footnote-ref")]


def linked_claim(element: Tag) -> str:
    """The id of the claim an element links to (a claim link's fragment)."""
    [link] = [
        a
        for a in element.select("a[href*='#']")
        if "footnote-ref" not in (a.get("class") or []) and "#fn:" not in a["href"]
    ]
    return str(link["href"]).split("#")[1]


@pytest.mark.parametrize("slug", TOPICS)
def test_disputes_link_both_ways_and_pairs_sit_side_by_side_once(site: Path, slug: str) -> None:
    claims = briefs_claims()
    pairs = {
        frozenset((claim_id, other))
        for claim_id, claim in claims.items()
        for other in claim.get("disputed_by", [])
    }
    article = content(page(site, f"topics/{slug}/"))
    for claim_id, claim in claims.items():
        if claim["topic"] != slug:
            continue
        element = article.find(id=claim_id)
        assert element is not None
        shown = []
        for sibling in element.find_next_siblings("p"):
            if "claim-dispute" not in (sibling.get("class") or []):
                break
            shown.append(linked_claim(sibling))
        expected = {other for pair in pairs if claim_id in pair for other in pair - {claim_id}}
        assert set(shown) == expected, claim_id
    heading = article.find(id="where-the-sources-disagree")
    mine = {pair for pair in pairs if any(claims[c]["topic"] == slug for c in pair)}
    if not mine:
        assert heading is None
        return
    assert heading is not None
    assert not heading.find_next_sibling(["h2"]), "the disagreements close the page"
    rows = article.select("div.disagreement")
    listed = [
        frozenset(linked_claim(side) for side in row.select("p.disagreement-side")) for row in rows
    ]
    assert sorted(map(sorted, listed)) == sorted(map(sorted, mine)), "each pair, once"
    for row in rows:
        for side in row.select("p.disagreement-side"):
            # Each side carries its claim's own footnotes, numbered as on the rest of the page.
            claim_id = linked_claim(side)
            original = article.find(id=claim_id)
            assert original is not None and marker_numbers(side) == marker_numbers(original)


def test_unconfirmed_claims_are_marked_wherever_they_appear(site: Path) -> None:
    claims = briefs_claims()
    unconfirmed = {i for i, c in claims.items() if c.get("status") == "unconfirmed"}
    assert unconfirmed
    urls = CLAIM_PAGES + [f"sources/{p.stem}/" for p in (REPO / "briefs" / "sources").glob("*.yml")]
    seen = 0
    for url in urls:
        article = content(page(site, url))
        for element in article.select("p, li, td"):
            if element.find_parent("div", class_="footnote"):
                continue
            ids = {element.get("id")} | {
                a["href"].split("#")[1]
                for a in element.select("a[href*='#']")
                if "footnote" not in " ".join(a.get("class") or []) and "#fn:" not in a["href"]
            }
            if ids & unconfirmed:
                seen += 1
                label = element.select_one(".claim-status-unconfirmed")
                assert label is not None and label.get_text() == "Unconfirmed", (url, ids)
    # Key point or not, each appears on its topic page, in the timeline if dated, on its source.
    assert seen >= 2 * len(unconfirmed)


@pytest.mark.parametrize("slug", TOPICS)
def test_each_claim_shows_its_independent_articles(site: Path, slug: str) -> None:
    claims = {i: c for i, c in briefs_claims().items() if c["topic"] == slug}
    article = content(page(site, f"topics/{slug}/"))
    counts = {}
    for claim_id, claim in claims.items():
        element = article.find(id=claim_id)
        assert element is not None
        [label] = element.select(".claim-support")
        assert "briefing-label" in label["class"]
        # "2 articles, 1 for 1971": only one of them gives the claim's 1971 (issue 12).
        match = re.fullmatch(
            r"(\d+) (?:independent )?articles?(?:, (\d+) independent)?(?:, (?:\d+|none) for [^·]+)?(?: · .+)?",
            label.get_text(),
        )
        assert match, label.get_text()
        articles = len({c["source"] for c in claim["cites"]})
        assert int(match.group(1)) == articles, claim_id
        counts[claim_id] = int(match.group(2) or match.group(1))
    notice = article.select_one("p.briefing-notice")
    if all(n == 1 for n in counts.values()):
        assert notice is not None and "rests on a single article" in notice.get_text()
    else:
        assert notice is None


def test_single_article_notice_only_where_it_is_true(site: Path) -> None:
    # In the real briefing three topics have no claim with a second, independent article.
    noticed = [
        slug
        for slug in TOPICS
        if content(page(site, f"topics/{slug}/")).select_one("p.briefing-notice")
    ]
    # Only Syria's bases has a claim with a second, independent article (Assad's fall,
    # the shrinking presence, Tartus); Libya's two air-defence articles relay one report.
    assert noticed == ["libya-pivot", "assad-extradition", "eu-aid-conditions"]


def test_relayed_reporting_reads_as_journalism(site: Path) -> None:
    """Where a citation relays an outlet's report, the claim as shown names that outlet,
    and the footnote names both the outlet and the article that relays it."""
    import yaml

    claims = briefs_claims()
    relays = {
        p.stem: yaml.load(p.read_text(), Loader=yaml.CSafeLoader).get("relays", [])
        for p in (REPO / "briefs" / "sources").glob("*.yml")
    }
    checked = 0
    for claim_id, claim in claims.items():
        for cite in claim["cites"]:
            outlets = [
                o
                for o in relays[cite["source"]]
                if o.lower().removeprefix("the ") in (cite.get("via") or "").lower()
            ]
            if not outlets:
                continue
            checked += 1
            url = f"topics/{claim['topic']}/"
            article = content(page(site, url))
            element = article.find(id=claim_id)
            assert element is not None
            shown = element.get_text(" ", strip=True)
            for outlet in outlets:
                assert outlet.lower().removeprefix("the ") in shown.lower(), (claim_id, outlet)
            title = yaml.load(
                (REPO / "briefs" / "sources" / f"{cite['source']}.yml").read_text(),
                Loader=yaml.CSafeLoader,
            )["title"]
            notes = [
                li
                for li in article.select("div.footnote li")
                if normalise(cite["quote"]) in normalise(li.get_text())
            ]
            assert notes, claim_id
            text = notes[0].get_text(" ", strip=True)
            assert f"Attributed to {cite['via']}" in text and title in text
    assert checked >= 3  # the WSJ, the Telegraph, the WSJ and BBC


def test_timeline_page_lists_dated_claims_in_order_with_a_figure(site: Path) -> None:
    from generator.dates import parse_date

    soup = page(site, "timeline/")
    nav = [a.get_text(strip=True) for a in soup.select("nav.md-nav--primary a")]
    assert "Timeline" in nav
    article = content(soup)
    svg = article.select_one("figure.timeline-figure svg[role='img']")
    assert svg is not None and svg.find("title") and svg.find("desc")
    claims = briefs_claims()
    dated = {i for i, c in claims.items() if c.get("date")}
    entries = article.select("p.timeline-entry")
    assert {e["id"] for e in entries} == dated
    starts = [parse_date(str(claims[e["id"]]["date"])).start.first for e in entries]
    assert starts == sorted(starts)
    for number, entry in enumerate(entries, 1):
        assert entry.select_one(".timeline-number").get_text() == str(number)
        when = parse_date(str(claims[entry["id"]]["date"]))
        words = entry.select_one(".claim-date")
        assert words is not None and words.get_text() == when.words()
        link = entry.select_one("a[href*='topics/']")
        assert link is not None
        file, fragment = resolve(site, "timeline/", link["href"])
        assert fragment == entry["id"]
        target = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser").find(id=fragment)
        assert target is not None and "claim" in target["class"]
