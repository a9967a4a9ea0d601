"""Editions (issue 15): record the briefing, change it, and read what each output says changed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup, Tag
from conftest import REPO, make_project
from test_e2e import is_fixed_label

from generator.changes import changed_fields, compare
from generator.cli import main
from generator.dates import parse_date
from generator.diagnostics import Report
from generator.editions import load_editions, snapshot_yaml
from generator.model import load_briefing

ATOM = "{http://www.w3.org/2005/Atom}"

BRIEFING = "title: Test briefing\nas_of: {as_of}\nprepared_by: Test desk\ntopics: [{topics}]\n"

# The first edition: two topics; `spring` will go as a whole.
PORTS_BEFORE = """\
title: Ports
key_points: [navy-left]
sections:
  - heading: The departure
    claims:
      - id: navy-left
        text: The navy left the northern port.
        cites:
          - source: harbour-news
            quote: The navy left the northern port on Tuesday.
      - id: sailed-before-dawn
        text: Officials said the ships sailed before dawn.
        cites:
          - source: harbour-news
            quote: Officials said the ships – all six of them – sailed “before dawn”
  - heading: What next
    claims:
      - id: second-convoy
        text: A second convoy is expected.
        cites:
          - source: harbour-news
            quote: A second convoy is expected.
"""
SPRING = """\
title: Spring
sections:
  - heading: Return
    claims:
      - id: return-in-spring
        text: Officials said the ships would *return* in spring.
        status: unconfirmed
        cites:
          - source: harbour-news
            quote: Officials said the ships would return in spring.
"""
# A week later: navy-left reworded and dated, sailed-before-dawn re-rated, second-convoy
# withdrawn, six-ships new, and the spring topic gone.
PORTS_AFTER = """\
title: Ports
key_points: [navy-left]
sections:
  - heading: The departure
    claims:
      - id: navy-left
        text: The navy left the northern port on Tuesday.
        date: 2024-12
        cites:
          - source: harbour-news
            quote: The navy left the northern port on Tuesday.
      - id: sailed-before-dawn
        text: Officials said the ships sailed before dawn.
        status: unconfirmed
        cites:
          - source: harbour-news
            quote: Officials said the ships – all six of them – sailed “before dawn”
  - heading: What next
    claims:
      - id: six-ships
        text: Officials said all six ships sailed.
        cites:
          - source: harbour-news
            quote: Officials said the ships – all six of them – sailed
"""


def _write(root: Path, as_of: str, topics: dict[str, str]) -> None:
    briefs = root / "briefs"
    for old in (briefs / "topics").glob("*.yml"):
        old.unlink()
    for slug, text in topics.items():
        (briefs / "topics" / f"{slug}.yml").write_text(text, encoding="utf-8")
    (briefs / "briefing.yml").write_text(
        BRIEFING.format(as_of=as_of, topics=", ".join(topics)), encoding="utf-8"
    )


def _soup(site: Path, page: str) -> Tag:
    soup = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    return article


def _text(element: Tag | None) -> str:
    assert element is not None
    return " ".join(element.get_text(" ").split())


@pytest.fixture(scope="module")
def changed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with an edition of 31 January recorded, then edited and built as of 7 February."""
    root = make_project(tmp_path_factory.mktemp("editions") / "p")
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE, "spring": SPRING})
    assert main(["edition", "--root", str(root)]) == 0
    _write(root, "2025-02-07", {"ports": PORTS_AFTER})
    assert main(["build", "--root", str(root)]) == 0
    return root


# --- the changes page -----------------------------------------------------------------


def test_changes_page_says_exactly_what_changed_grouped_by_topic(changed: Path) -> None:
    page = _soup(changed / "site", "changes")
    assert _text(page.h1).startswith("What changed since 31 January 2025")
    headings = [_text(h).removesuffix(" ¶") for h in page.select("h2")]
    assert headings == ["Ports", "Spring", "Earlier editions"]
    summary = _text(page.select_one("p.changes-summary"))
    assert "1 new, 2 updated, 2 withdrawn" in summary

    new = page.select("p.change-new")
    assert len(new) == 1 and "New since 31 January 2025" in _text(new[0])
    assert new[0].select_one("a[href$='topics/ports/#six-ships']") is not None

    updates = page.select("div.change-update")
    assert len(updates) == 2
    navy, dawn = updates
    # Old and new wording side by side, the new one linked to its anchor.
    assert "“The navy left the northern port.”" in _text(navy.select_one(".change-before"))
    after = navy.select_one(".change-after")
    assert after is not None and "Updated: reworded; date added" in _text(after)
    link = after.select_one("a[href$='topics/ports/#navy-left']")
    assert link is not None and _text(link) == "The navy left the northern port on Tuesday."
    assert "Updated: status was Reported" in _text(dawn.select_one(".change-after"))
    assert "(Reported)" in _text(dawn.select_one(".change-before"))

    withdrawn = page.select("p.change-withdrawn")
    assert len(withdrawn) == 2
    convoy, spring = withdrawn
    assert convoy.select_one("a[href$='topics/ports/#second-convoy']") is not None
    assert "Withdrawn on 7 February 2025" in _text(convoy)
    assert _text(convoy.select_one("del")) == "A second convoy is expected."
    # The whole topic is gone: the changes page holds the claim's anchor.
    assert spring["id"] == "return-in-spring"
    assert _text(spring.select_one("del")) == "Officials said the ships would return in spring."
    assert spring.select_one("del em") is not None  # the editor's *emphasis*, still emphasis

    earlier = page.select_one("#edition_2025-01-31")
    assert earlier is not None
    assert "first recorded edition, with 4 claims in 2 topics" in _text(earlier)


def test_changes_page_states_nothing_without_a_footnote(changed: Path) -> None:
    page = _soup(changed / "site", "changes")
    notes = page.select_one("div.footnote")
    assert notes is not None
    notes.extract()
    for element in page.select("p, li, td, dd"):
        if not is_fixed_label(element):
            assert element.select("sup[id^='fnref'] a.footnote-ref"), _text(element)
    # Old and withdrawn wording is the generator's label around quoted words: no marker.
    for element in page.select(".change-before, .change-withdrawn"):
        assert is_fixed_label(element) and not element.select("sup")


def test_home_and_topic_pages_link_to_the_changes_page(changed: Path) -> None:
    site = changed / "site"
    for page in ("", "topics/ports"):
        links = [a for a in _soup(site, page).select(".changes-link a") if "changes/" in a["href"]]
        assert len(links) == 1, page
        assert "What changed since 31 January 2025" in _text(links[0])
    nav = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert "What changed" in [_text(a) for a in nav.select("nav.md-nav a")]


# --- the topic page -------------------------------------------------------------------


def test_topic_labels_new_and_updated_claims_in_words_inside_their_anchor(changed: Path) -> None:
    page = _soup(changed / "site", "topics/ports")
    labels = {
        claim["id"]: _text(claim.select_one(".claim-change"))
        for claim in page.select("p.claim")
        if claim.select_one(".claim-change") is not None
    }
    assert labels == {
        "navy-left": "Updated: reworded; date added",
        "sailed-before-dawn": "Updated: status was Reported",
        "six-ships": "New since 31 January 2025",
    }
    for claim_id in labels:
        label = page.select_one(f"#{claim_id} .claim-change")
        assert label is not None and "briefing-label" in label["class"]


def test_withdrawn_claim_keeps_its_anchor_at_its_old_place(changed: Path) -> None:
    page = _soup(changed / "site", "topics/ports")
    note = page.select_one("#second-convoy")
    assert note is not None and "claim-withdrawn" in note["class"]
    assert _text(note) == (
        "Withdrawn on 7 February 2025: no longer part of this briefing. "
        "It read: “ A second convoy is expected. ”"
    )
    assert _text(note.select_one("del")) == "A second convoy is expected."
    # A label around quoted old words: no footnote marker, nothing outside the label.
    assert is_fixed_label(note) and not note.select("sup, a.footnote-ref")
    # Its old place: the top of its section, which is still there.
    heading = note.find_previous_sibling(re.compile("^h[1-6]$"))
    assert heading is not None and _text(heading).startswith("What next")
    assert note.find_next_sibling("p", class_="claim")["id"] == "six-ships"


def test_topic_page_still_footnotes_every_statement(changed: Path) -> None:
    page = _soup(changed / "site", "topics/ports")
    notes = page.select_one("div.footnote")
    assert notes is not None
    notes.extract()
    for element in page.select("p, li, td, dd"):
        if not is_fixed_label(element):
            assert element.select("sup[id^='fnref'] a.footnote-ref"), _text(element)


# --- feed, open data, PDF -------------------------------------------------------------


def test_feed_is_atom_with_one_entry_per_edition(changed: Path) -> None:
    feed = ET.parse(changed / "site" / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Test briefing"
    assert feed.findtext(f"{ATOM}updated") == "2025-02-07T00:00:00Z"
    assert (feed.findtext(f"{ATOM}id") or "").startswith("urn:uuid:")
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Test desk"
    entries = feed.findall(f"{ATOM}entry")
    got = [
        (
            e.findtext(f"{ATOM}updated"),
            e.find(f"{ATOM}link").get("href"),  # type: ignore[union-attr]
            e.findtext(f"{ATOM}summary"),
        )
        for e in entries
    ]
    assert got == [
        (
            "2025-02-07T00:00:00Z",
            "changes/",
            "1 new, 2 updated, 2 withdrawn since 31 January 2025.",
        ),
        (
            "2025-01-31T00:00:00Z",
            "changes/#edition_2025-01-31",
            "the first recorded edition, with 4 claims in 2 topics.",
        ),
    ]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 2 and all(i and i.startswith("urn:uuid:") for i in ids)
    # Each link lands on a page (and anchor) that exists.
    site = changed / "site"
    assert (site / "changes" / "index.html").is_file()
    assert _soup(site, "changes").select_one("#edition_2025-01-31") is not None


def test_claims_json_flags_new_and_updated_claims_and_lists_withdrawn(changed: Path) -> None:
    data = json.loads((changed / "site" / "claims.json").read_text(encoding="utf-8"))
    schema = json.loads((REPO / "schema" / "claims.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    assert [e.message for e in validator.iter_errors(data)] == []
    change = {c["id"]: c["change"] for c in data["claims"]}
    assert change == {
        "navy-left": {
            "kind": "updated",
            "since": "2025-01-31",
            "fields": ["text", "date"],
            "was": {"text": "The navy left the northern port.", "date": None},
        },
        "sailed-before-dawn": {
            "kind": "updated",
            "since": "2025-01-31",
            "fields": ["status"],
            "was": {"status": "reported"},
        },
        "six-ships": {"kind": "new", "since": "2025-01-31", "fields": [], "was": {}},
    }
    changes = data["changes"]
    assert (changes["since"], changes["new"], changes["updated"]) == ("2025-01-31", 1, 2)
    assert [(w["id"], w["topic"], w["url"]) for w in changes["withdrawn"]] == [
        ("second-convoy", "ports", "topics/ports/#second-convoy"),
        ("return-in-spring", "spring", "changes/#return-in-spring"),
    ]
    assert changes["withdrawn"][1]["text"] == "Officials said the ships would *return* in spring."


def _pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [" ".join(page.split()) for page in out.stdout.split("\f")]


def test_briefing_pdf_has_what_changed_after_the_contents(changed: Path) -> None:
    pages = _pdf_pages(changed / "site" / "briefing.pdf")
    assert "Contents" in pages[1] and "What changed since 31 January 2025" in pages[1]
    text = pages[2]
    assert text.startswith("Test briefing What changed since 31 January 2025")
    for said in (
        "1 new, 2 updated, 2 withdrawn",
        "New since 31 January 2025 Officials said all six ships sailed.",
        "Updated: reworded; date added",
        "Before, on 31 January 2025: “The navy left the northern port.”",
        "Updated: status was Reported",
        "Withdrawn on 7 February 2025: no longer part of this briefing. It read: "
        "“A second convoy is expected.”",
        "“Officials said the ships would return in spring.”",
    ):
        assert said in text, said
    # The changes part footnotes what it states, like every part.
    assert "“Officials said the ships – all six of them – sailed" in text
    # A topic's own PDF has no changes section.
    assert "What changed" not in " ".join(_pdf_pages(changed / "site" / "pdf" / "ports.pdf"))


# --- no change, no edition ------------------------------------------------------------


def test_no_change_no_labels(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE})
    assert main(["edition", "--root", str(root)]) == 0
    _write(root, "2025-02-07", {"ports": PORTS_BEFORE})
    assert main(["build", "--no-pdf", "--root", str(root)]) == 0
    site = root / "site"
    topic = _soup(site, "topics/ports")
    assert topic.select(".claim-change, .claim-withdrawn") == []
    page = _soup(site, "changes")
    assert "0 new, 0 updated, 0 withdrawn" in _text(page.select_one("p.changes-summary"))
    assert page.select(".change") == []
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    assert {c["change"] is None for c in data["claims"]} == {True}
    assert data["changes"]["withdrawn"] == []


def test_without_an_earlier_edition_nothing_shows(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE})
    # Recording today's edition does not make it "earlier": the briefing is that edition.
    assert main(["edition", "--root", str(root)]) == 0
    assert main(["build", "--no-pdf", "--root", str(root)]) == 0
    site = root / "site"
    assert not (site / "changes").exists() and not (site / "feed.xml").exists()
    assert not (root / "docs" / "changes.md").exists()
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "What changed" not in home and "changes-link" not in home
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    assert data["changes"] is None


def test_a_changes_page_no_longer_due_is_removed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE})
    assert main(["edition", "--root", str(root)]) == 0
    _write(root, "2025-02-07", {"ports": PORTS_AFTER})
    assert main(["build", "--no-pdf", "--root", str(root)]) == 0
    assert (root / "docs" / "changes.md").is_file() and (root / "site" / "feed.xml").is_file()
    (root / "briefs" / "editions" / "2025-01-31.yml").unlink()
    assert main(["build", "--no-pdf", "--root", str(root)]) == 0
    assert not (root / "docs" / "changes.md").exists()
    assert not (root / "site" / "changes").exists() and not (root / "site" / "feed.xml").exists()


# --- recording editions -------------------------------------------------------------------


def test_edition_round_trips_and_records_what_readers_saw(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01-31", {"ports": PORTS_AFTER, "spring": SPRING})
    assert main(["edition", "--root", str(root)]) == 0
    file = root / "briefs" / "editions" / "2025-01-31.yml"
    text = file.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/edition.schema.json\n")
    report = Report()
    (edition,) = load_editions(root, report)
    assert report.items == []
    briefing = load_briefing(root, report)
    assert briefing is not None
    assert [c.claim_id for c in edition.claims()] == [c.claim_id for c in briefing.claims()]
    for before, now in zip(edition.claims(), briefing.claims(), strict=True):
        assert changed_fields(before, now) == ()
        assert before.topic_slug == now.topic_slug
        assert [(c.source_id, c.quote) for c in before.cites] == [
            (c.source_id, c.quote) for c in now.cites
        ]
    assert snapshot_yaml(briefing) == text
    # The same briefing a day later: nothing changed.
    briefing.as_of = parse_date("2025-02-01")
    changes = compare(briefing, [edition])
    assert changes is not None
    assert (changes.new, changes.updated, changes.withdrawn) == ((), (), ())


def test_recording_again_replaces_that_day_and_never_touches_earlier_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    editions = root / "briefs" / "editions"
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE})
    assert main(["edition", "--root", str(root)]) == 0
    first = (editions / "2025-01-31.yml").read_bytes()
    _write(root, "2025-02-07", {"ports": PORTS_BEFORE})
    assert main(["edition", "--root", str(root)]) == 0
    assert "2025-02-07.yml recorded" in capsys.readouterr().out
    _write(root, "2025-02-07", {"ports": PORTS_AFTER})
    assert main(["edition", "--root", str(root)]) == 0
    assert "2025-02-07.yml replaced" in capsys.readouterr().out
    assert main(["edition", "--root", str(root)]) == 0
    assert "2025-02-07.yml unchanged" in capsys.readouterr().out
    assert sorted(p.name for p in editions.iterdir()) == ["2025-01-31.yml", "2025-02-07.yml"]
    assert (editions / "2025-01-31.yml").read_bytes() == first
    assert "six-ships" in (editions / "2025-02-07.yml").read_text(encoding="utf-8")


def test_an_edition_is_recorded_only_when_the_briefing_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE.replace("on Tuesday.", "on Monday.")})
    assert main(["edition", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert "quote not found" in err and "stopped before writing anything" in err
    assert not (root / "briefs" / "editions").exists()
    # A warning stops it only under --strict.
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE})
    (root / "briefs" / "sources" / "spare.yml").write_text("title: Spare\naccessed: 2025-01\n")
    (root / "briefs" / "sources" / "spare.txt").write_text("Nothing quoted.\n")
    assert main(["edition", "--strict", "--root", str(root)]) == 1
    assert not (root / "briefs" / "editions").exists()
    assert main(["edition", "--root", str(root)]) == 0
    assert (root / "briefs" / "editions" / "2025-01-31.yml").is_file()


def test_an_edition_needs_a_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01", {"ports": PORTS_BEFORE})
    assert main(["edition", "--root", str(root), "--format", "json"]) == 1
    out = capsys.readouterr()
    record: dict[str, Any] = json.loads(out.out)
    assert (record["path"], record["line"], record["column"]) == ("briefs/briefing.yml", 2, 8)
    assert record["message"] == "cannot record an edition: `as_of` is '2025-01', not a single day"
    assert not (root / "briefs" / "editions").exists()


def test_a_broken_edition_stops_the_build_with_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    _write(root, "2025-01-31", {"ports": PORTS_BEFORE})
    assert main(["edition", "--root", str(root)]) == 0
    file = root / "briefs" / "editions" / "2025-01-31.yml"
    file.write_text(file.read_text().replace("status: reported", "status: maybe", 1))
    _write(root, "2025-02-07", {"ports": PORTS_AFTER})
    assert main(["build", "--no-pdf", "--root", str(root)]) == 1
    err = capsys.readouterr().err
    assert re.search(
        r"^briefs/editions/2025-01-31\.yml:\d+:\d+: error: status 'maybe' is not one of", err, re.M
    )
    assert not (root / "site").exists()


def test_zensical_publishes_the_changes_page_and_the_feed(changed: Path, tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    shutil.rmtree(root / "briefs")
    shutil.copytree(changed / "briefs", root / "briefs")
    assert main(["build", "--no-pdf", "--engine", "zensical", "--root", str(root)]) == 0
    site = root / "site"
    assert (site / "feed.xml").read_bytes() == (changed / "site" / "feed.xml").read_bytes()
    page = BeautifulSoup((site / "changes" / "index.html").read_text("utf-8"), "html.parser")
    assert page.select_one("#return-in-spring") is not None
    topic = BeautifulSoup((site / "topics/ports/index.html").read_text("utf-8"), "html.parser")
    assert topic.select_one("#second-convoy.claim-withdrawn") is not None


def test_every_kind_of_update_is_said_in_words() -> None:
    from generator.changes import Update
    from generator.diagnostics import Pos
    from generator.model import Citation, Claim, Ref

    here = Pos("x")

    def claim(**changes: Any) -> Claim:
        fields: dict[str, Any] = {
            "claim_id": "a",
            "text": "Text.",
            "cites": [Citation("s", "One “quote”", here, here, here)],
            "topic_slug": "t",
            "pos": here,
            "date": parse_date("2024-12"),
        }
        fields.update(changes)
        return Claim(**fields)

    before = claim()
    cases = {
        "date was December 2024": claim(date=parse_date("2025")),
        "date December 2024 removed": claim(date=None),
        "now disputed; status was Reported": claim(status="disputed", disputed_by=[Ref("b", here)]),
        "1 citation added": claim(cites=[*before.cites, Citation("s", "Two", here, here, here)]),
        "1 citation added, 1 citation removed": claim(
            cites=[Citation("s", "Two", here, here, here)]
        ),
        "moved from another topic": claim(topic_slug="u"),
    }
    for words, after in cases.items():
        fields = changed_fields(before, after)
        said = Update(after, before, fields, "T").words()
        assert sorted(said.split("; ")) == sorted(words.split("; ")), (words, said)
    # Typography and spacing in a quote are not a change.
    same = claim(cites=[Citation("s", 'One  "quote"', here, here, here)])
    assert changed_fields(before, same) == ()
