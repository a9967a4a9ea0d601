"""claims.json: valid against its schema, faithful to the model, selectors that point true."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from bs4 import BeautifulSoup
from conftest import REPO, make_project

from generator import fields
from generator.check import Checked, run_check
from generator.cli import main
from generator.diagnostics import Report
from generator.opendata import claims_json
from generator.reading import read
from generator.textmatch import normalise


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checked, dict[str, Any]]:
    root = make_project(tmp_path_factory.mktemp("opendata") / "p", real=True)
    assert main(["build", "--no-pdf", "--root", str(root)]) == 0
    report = Report()
    checked = run_check(root, report)
    assert checked is not None and not report.errors
    data = json.loads((root / "site" / "claims.json").read_text(encoding="utf-8"))
    return root, checked, data


def test_claims_json_validates_against_its_schema(
    built: tuple[Path, Checked, dict[str, Any]],
) -> None:
    schema = json.loads((REPO / "schema" / "claims.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(built[2])]
    assert errors == []
    # Ids follow the one rule the brief files are checked by.
    assert schema["definitions"]["id"]["pattern"] == f"^{fields.ID_FORM}$"


def test_every_claim_round_trips(built: tuple[Path, Checked, dict[str, Any]]) -> None:
    _, checked, data = built
    by_id = {claim["id"]: claim for claim in data["claims"]}
    model = list(checked.briefing.claims())
    assert [c["id"] for c in data["claims"]] == [c.claim_id for c in model]  # reading order
    for topic in checked.briefing.topics:
        key_points = {ref.claim_id for ref in topic.key_points}
        for section in topic.sections:
            for claim in section.claims:
                got = by_id[claim.claim_id]
                assert got["topic"] == topic.slug
                assert got["section"] == section.heading
                assert got["text"] == claim.text
                assert got["status"] == claim.status
                assert got["disputed_by"] == [ref.claim_id for ref in claim.disputed_by]
                assert got["key_point"] == (claim.claim_id in key_points)
                assert got["url"] == f"topics/{topic.slug}/#{claim.claim_id}"
                if claim.date is None:
                    assert got["date"] is None
                else:
                    assert got["date"]["text"] == claim.date.text
                    assert got["date"]["words"] == claim.date.words()
                cites = [(c["source"], c["quote"], c["via"]) for c in got["citations"]]
                assert cites == [(c.source_id, c.quote, c.via) for c in claim.cites]
    topics = [(t["slug"], t["title"], t["key_points"]) for t in data["topics"]]
    assert topics == [
        (t.slug, t.title, [r.claim_id for r in t.key_points]) for t in checked.briefing.topics
    ]
    assert data["briefing"]["title"] == checked.briefing.title
    assert data["briefing"]["as_of"]["text"] == checked.briefing.as_of.text


def test_selectors_point_at_the_quoted_passage(built: tuple[Path, Checked, dict[str, Any]]) -> None:
    root, _, data = built
    texts = {}
    for source in data["sources"]:
        stored = (root / "briefs" / "sources" / f"{source['id']}.txt").read_bytes()
        assert source["text_sha256"] == hashlib.sha256(stored).hexdigest()
        texts[source["id"]] = stored.decode("utf-8")
        assert source["text_length"] == len(texts[source["id"]])
    count = 0
    for claim in data["claims"]:
        for citation in claim["citations"]:
            text = texts[citation["source"]]
            quote, position = citation["selector"]
            start, end = position["start"], position["end"]
            exact, prefix, suffix = quote["exact"], quote["prefix"], quote["suffix"]
            assert text[start:end] == exact
            assert text[start - len(prefix) : start] == prefix  # adjacent, before
            assert text[end : end + len(suffix)] == suffix  # adjacent, after
            assert len(prefix) >= min(32, start) and len(suffix) >= min(32, len(text) - end)
            assert text.count(prefix + exact + suffix) == 1
            assert normalise(exact) == normalise(citation["quote"])
            count += 1
    assert count == sum(len(c.cites) for c in built[1].briefing.claims())


def test_urls_reach_the_claim_and_the_passage(built: tuple[Path, Checked, dict[str, Any]]) -> None:
    root, _, data = built
    site = root / "site"
    pages: dict[str, BeautifulSoup] = {}

    def anchor(url: str) -> Any:
        path, _, fragment = url.partition("#")
        if path not in pages:
            html = (site / path / "index.html").read_text(encoding="utf-8")
            pages[path] = BeautifulSoup(html, "html.parser")
        return pages[path].find(id=fragment) if fragment else pages[path]

    for claim in data["claims"]:
        assert anchor(claim["url"]) is not None, claim["url"]
        for citation in claim["citations"]:
            mark = anchor(citation["passage_url"]).select_one("mark")
            assert normalise(mark.get_text()) == normalise(citation["quote"])
    for source in data["sources"]:
        assert anchor(source["page"]) is not None


def test_same_briefing_same_bytes(built: tuple[Path, Checked, dict[str, Any]]) -> None:
    root, checked, _ = built
    again = run_check(root, Report())
    assert again is not None
    assert claims_json(read(checked)) == claims_json(read(again))
    assert (root / "site" / "claims.json").read_text(encoding="utf-8") == claims_json(read(again))


def test_quote_context_widens_until_unique() -> None:
    from generator.opendata import quote_selector

    text = ("x" * 40 + "said yes.") * 2 + "x" * 40
    start = text.index("said yes.", 41)  # the second: 32 characters either side are alike
    selector = quote_selector(text, start, start + len("said yes."))
    whole = selector["prefix"] + selector["exact"] + selector["suffix"]
    assert text.count(whole) == 1
    assert len(selector["prefix"]) > 32


def json_ld(html: str) -> list[Any]:
    soup = BeautifulSoup(html, "html.parser")
    return [json.loads(s.string or "") for s in soup.select('script[type="application/ld+json"]')]


def test_each_topic_page_describes_its_claims_in_json_ld(
    built: tuple[Path, Checked, dict[str, Any]],
) -> None:
    root, checked, _ = built
    sources = checked.briefing.sources
    for topic in checked.briefing.topics:
        html = (root / "site" / "topics" / topic.slug / "index.html").read_text(encoding="utf-8")
        [data] = json_ld(html)
        assert data["@context"] == "https://schema.org"
        graph = data["@graph"]
        assert [item["@type"] for item in graph] == ["Claim"] * len(topic.claims)
        assert [item["@id"] for item in graph] == [f"#{c.claim_id}" for c in topic.claims]
        for item, claim in zip(graph, topic.claims, strict=True):
            assert item["text"] == claim.text.replace("*", "")
            assert item["creativeWorkStatus"] == claim.status
            assert item.get("temporalCoverage") == (
                claim.date.text.replace("~", "") if claim.date else None
            )
            cited = list(dict.fromkeys(c.source_id for c in claim.cites))
            assert [a["headline"] for a in item["appearance"]] == [sources[s].title for s in cited]
            for article, source_id in zip(item["appearance"], cited, strict=True):
                assert article["@type"] == "NewsArticle"
                # The real sources have no address: the article is known by its page here.
                assert article["url"] == f"../../sources/{source_id}/"
                page = root / "site" / "topics" / topic.slug / article["url"] / "index.html"
                assert page.resolve().is_file()


def test_hostile_text_cannot_leave_the_json_ld_script(tmp_path: Path) -> None:
    payload = "</script><script>alert(1)</script><!-- & -->"
    topic = (
        "title: Ports\nsections:\n  - heading: The departure\n    claims:\n"
        "      - id: navy-left\n"
        f"        text: {json.dumps('The navy left. ' + payload)}\n"
        "        cites:\n"
        "          - source: harbour-news\n"
        "            quote: The navy left the northern port on Tuesday.\n"
    )
    source = (
        f"title: {json.dumps(payload)}\npublisher: {json.dumps(payload)}\naccessed: 2025-01-02\n"
        f"authors: [{json.dumps(payload)}]\n"
    )
    root = make_project(
        tmp_path / "p",
        {"briefs/topics/ports.yml": topic, "briefs/sources/harbour-news.yml": source},
    )
    assert main(["build", "--no-pdf", "--root", str(root)]) == 0
    html = (root / "site" / "topics" / "ports" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert not [
        s for s in soup.find_all("script") if "alert(1)" in s.get_text() and not s.get("type")
    ]
    [data] = json_ld(html)
    [claim] = data["@graph"]
    assert claim["text"] == "The navy left. " + payload  # whole, as data
    [article] = claim["appearance"]
    assert article["headline"] == payload
    assert article["publisher"]["name"] == payload
    assert article["author"] == [{"@type": "Person", "name": payload}]


def test_published_files_are_readable_by_the_web_server(
    built: tuple[Path, Checked, dict[str, Any]],
) -> None:
    # Written through a private temporary file; the result must not stay private.
    site = built[0] / "site"
    for name in ("claims.json", "topics/syria-bases/index.html"):
        assert (site / name).stat().st_mode & 0o044 == 0o044, name
