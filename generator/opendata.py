"""Open data: `claims.json`, the whole briefing as data, beside the pages it was built from.

Every topic, claim, citation and source, with each quoted passage located in its
archived text by W3C Web Annotation selectors (https://www.w3.org/TR/annotation-model/):
a `TextQuoteSelector` (the passage with the text just before and after it) and a
`TextPositionSelector` (its offsets, in Unicode code points, into the archived `.txt`
exactly as stored, whose SHA-256 each source gives). Its shape is
`schema/claims.schema.json`.

Pure and repeatable like the pages: the same briefing gives the same bytes (keys and
sources sorted, no clock). URLs are relative to the site's root, where the file sits.
"""

from __future__ import annotations

import json
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from generator.changes import FEED, Changes, Tally, changes_data, claim_change, edition_anchor
from generator.check import Passage, text_sha256
from generator.dates import FuzzyDate
from generator.model import Citation, Claim, Source
from generator.reading import Reading
from generator.write import write_file

FILE = "claims.json"
ATOM = "http://www.w3.org/2005/Atom"
CONTEXT = 32
"""Characters of prefix and suffix in a TextQuoteSelector, widened until they are unique."""


def _date(date: FuzzyDate | None) -> dict[str, Any] | None:
    if date is None:
        return None
    earliest, latest = date.sort_key
    return {
        "text": date.text,
        "words": date.words(),
        "earliest": earliest.isoformat(),
        "latest": latest.isoformat(),
        "approximate": date.start.about or (date.end is not None and date.end.about),
    }


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """The passage with CONTEXT characters either side, more where that is not unique."""
    exact = text[start:end]
    width = CONTEXT
    while True:
        prefix = text[max(0, start - width) : start]
        suffix = text[end : end + width]
        whole = prefix + exact + suffix
        unique = text.find(whole, text.find(whole) + 1) == -1
        if unique or (start - width <= 0 and end + width >= len(text)):
            return {"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix}
        width += CONTEXT


def _citation(citation: Citation, passage: Passage, source: Source) -> dict[str, Any]:
    span = passage.span
    return {
        "source": citation.source_id,
        "quote": citation.quote,
        "via": citation.via,
        "passage_url": f"sources/{citation.source_id}/#{passage.anchor}",
        "selector": [
            quote_selector(source.text, span.start, span.end),
            {"type": "TextPositionSelector", "start": span.start, "end": span.end},
        ],
    }


def _claim(reading: Reading, claim: Claim, section: str, key_points: set[str]) -> dict[str, Any]:
    checked = reading.checked
    sources = checked.briefing.sources
    facts = reading.facts(claim)
    return {
        "id": claim.claim_id,
        "topic": claim.topic_slug,
        "section": section,
        "text": claim.text,
        "date": _date(claim.date),
        "status": claim.status,
        "disputed_by": [ref.claim_id for ref in claim.disputed_by],
        "disputes": [other.claim_id for other in facts.disputes],
        "support": facts.support_words,
        "note": claim.note,
        "key_point": claim.claim_id in key_points,
        "url": f"topics/{claim.topic_slug}/#{claim.claim_id}",
        "citations": [_citation(c, checked.passage(c), sources[c.source_id]) for c in claim.cites],
        "change": claim_change(reading.changes, claim),
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.source_id,
        "title": source.title,
        "publisher": source.publisher,
        "authors": list(source.authors),
        "url": source.url,
        "published": _date(source.published),
        "accessed": _date(source.accessed),
        "archive_url": source.archive_url,
        "relays": list(source.relays),
        "text_sha256": text_sha256(source.text),
        "text_length": len(source.text),
        "page": f"sources/{source.source_id}/",
    }


def claims_data(reading: Reading) -> dict[str, Any]:
    """The briefing as data: topics in briefing order, claims in reading order, sources by id."""
    briefing = reading.briefing
    topics = []
    claims = []
    for topic in briefing.topics:
        key_points = {ref.claim_id for ref in topic.key_points}
        topics.append(
            {
                "slug": topic.slug,
                "title": topic.title,
                "url": f"topics/{topic.slug}/",
                "key_points": [ref.claim_id for ref in topic.key_points],
                "sections": [
                    {"heading": s.heading, "claims": [c.claim_id for c in s.claims]}
                    for s in topic.sections
                ],
            }
        )
        for section in topic.sections:
            for claim in section.claims:
                claims.append(_claim(reading, claim, section.heading, key_points))
    return {
        "briefing": {
            "title": briefing.title,
            "as_of": _date(briefing.as_of),
            "prepared_by": briefing.prepared_by,
        },
        "topics": topics,
        "claims": claims,
        "sources": [_source(briefing.sources[key]) for key in sorted(briefing.sources)],
        "changes": changes_data(reading.changes),
    }


def claims_json(reading: Reading) -> str:
    """The briefing as JSON: one topic, claim or source a line, so a change between two
    editions reads as a line changed. (Written item by item with the C encoder: indenting
    the whole document takes Python's own encoder, ten times slower at a thousand topics.)"""
    data = claims_data(reading)
    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list) and value:
            items = ",\n".join("  " + _dumps(item) for item in value)
            parts.append(f"{_dumps(key)}: [\n{items}\n]")
        else:
            parts.append(f"{_dumps(key)}: {_dumps(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- the feed ---------------------------------------------------------------------------


def _stamp(when: FuzzyDate) -> str:
    return when.start.first.isoformat() + "T00:00:00Z"


def _entry_link(tally: Tally, changes: Changes) -> str:
    if tally.as_of == changes.as_of:
        return "changes/"
    return f"changes/#{edition_anchor(tally.as_of)}"


def feed_xml(reading: Reading) -> str | None:
    """An Atom feed (RFC 4287), one entry per edition, newest first; None without an
    earlier edition. Links are relative to the feed, which sits at the site's root; ids
    are name-based UUIDs of the briefing's title (and the edition's day), as the site's
    own address is not known."""
    changes = reading.changes
    if changes is None:
        return None
    briefing = reading.briefing
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    base = f"briefing:{briefing.title}"
    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, base).urn)
    add(feed, "title", briefing.title)
    add(feed, "subtitle", "What changed in each edition of the briefing")
    add(feed, "updated", _stamp(changes.as_of))
    author = add(feed, "author")
    add(author, "name", briefing.prepared_by)
    add(feed, "link", rel="alternate", type="text/html", href="./")
    add(feed, "link", rel="self", type="application/atom+xml", href=FEED)
    add(feed, "generator", "briefing")
    for tally in changes.history:
        entry = add(feed, "entry")
        add(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"{base}:{tally.as_of.text}").urn)
        add(entry, "title", f"{briefing.title}: edition of {tally.as_of.words()}")
        add(entry, "updated", _stamp(tally.as_of))
        add(entry, "link", rel="alternate", type="text/html", href=_entry_link(tally, changes))
        add(entry, "summary", f"{tally.words()}.")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def site_files(reading: Reading) -> dict[str, str]:
    """The files the pipeline adds to a built site beside the engine's pages, by path:
    `claims.json`, and `feed.xml` where there is an earlier edition."""
    files = {FILE: claims_json(reading)}
    feed = feed_xml(reading)
    if feed is not None:
        files[FEED] = feed
    return files


def write_site_files(files: dict[str, str], site_dir: Path) -> None:
    """Write the pipeline's own files into a built site (the staged one under `briefing build`)."""
    for dest, content in sorted(files.items()):
        write_file(site_dir / dest, content)
