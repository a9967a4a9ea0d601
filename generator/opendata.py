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
from pathlib import Path
from typing import Any

from generator.changes import changes_data, claim_change
from generator.check import Checked, Passage, text_sha256
from generator.dates import FuzzyDate
from generator.model import Citation, Claim, Source
from generator.write import write_file

FILE = "claims.json"
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


def _claim(checked: Checked, claim: Claim, section: str, key_points: set[str]) -> dict[str, Any]:
    sources = checked.briefing.sources
    return {
        "id": claim.claim_id,
        "topic": claim.topic_slug,
        "section": section,
        "text": claim.text,
        "date": _date(claim.date),
        "status": claim.status,
        "disputed_by": [ref.claim_id for ref in claim.disputed_by],
        "key_point": claim.claim_id in key_points,
        "url": f"topics/{claim.topic_slug}/#{claim.claim_id}",
        "citations": [_citation(c, checked.passage(c), sources[c.source_id]) for c in claim.cites],
        "change": claim_change(checked.changes, claim),  # editions (issue 15)
    }


def _source(source: Source) -> dict[str, Any]:
    return {
        "id": source.source_id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "published": _date(source.published),
        "accessed": _date(source.accessed),
        "archive_url": source.archive_url,
        "relays": list(source.relays),
        "text_sha256": text_sha256(source.text),
        "text_length": len(source.text),
        "page": f"sources/{source.source_id}/",
    }


def claims_data(checked: Checked) -> dict[str, Any]:
    """The briefing as data: topics in briefing order, claims in reading order, sources by id."""
    briefing = checked.briefing
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
                claims.append(_claim(checked, claim, section.heading, key_points))
    return {
        "briefing": {
            "title": briefing.title,
            "as_of": _date(briefing.as_of),
            "prepared_by": briefing.prepared_by,
        },
        "topics": topics,
        "claims": claims,
        "sources": [_source(briefing.sources[key]) for key in sorted(briefing.sources)],
        "changes": changes_data(checked.changes),  # editions (issue 15)
    }


def claims_json(checked: Checked) -> str:
    return json.dumps(claims_data(checked), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_open_data(checked: Checked, site_dir: Path) -> None:
    """Write `claims.json` into a built site (the staged one, when `briefing build` runs)."""
    write_file(site_dir / FILE, claims_json(checked))
