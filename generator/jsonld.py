"""JSON-LD for a topic page: each claim as a schema.org `Claim`, appearing in its articles.

Search engines and other readers of linked data get what a reader sees: the statement,
when it happened (`temporalCoverage`), whether it is unconfirmed or disputed
(`creativeWorkStatus`), and the `NewsArticle`s it appears in (headline, publisher and
publication date where the article shows them; its address, or else its page on this
site).

The block is a raw HTML `<script type="application/ld+json">` in the generated Markdown,
which MkDocs and other engines pass through. Editor text inside a script cannot be
escaped as HTML, so `<`, `>` and `&` are written as JSON escapes (`\\u003c`…): no title
or claim can close the script or open another.
"""

from __future__ import annotations

import json
from typing import Any

from generator.dates import FuzzyDate
from generator.fields import EMPHASIS
from generator.model import Claim, Source, Topic
from generator.reading import Reading

_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def _iso(date: FuzzyDate) -> str:
    """ISO 8601 (reduced precision, or an interval for a range); "about" is dropped."""
    return date.text.replace("~", "")


def _article(source: Source) -> dict[str, Any]:
    article: dict[str, Any] = {"@type": "NewsArticle", "headline": source.title}
    if source.publisher:
        article["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.authors:
        article["author"] = [{"@type": "Person", "name": name} for name in source.authors]
    published = source.published
    if published is not None and published.end is None and not published.start.about:
        article["datePublished"] = _iso(published)
    # Without an address of its own, the article is known by its page on this site.
    article["url"] = source.url or f"../../sources/{source.source_id}/"
    return article


def claim_ld(reading: Reading, claim: Claim) -> dict[str, Any]:
    sources = reading.briefing.sources
    cited = list(dict.fromkeys(c.source_id for c in claim.cites))
    item: dict[str, Any] = {
        "@type": "Claim",
        "@id": f"#{claim.claim_id}",
        "url": f"#{claim.claim_id}",
        "text": EMPHASIS.sub(r"\1", claim.text),
        "creativeWorkStatus": claim.status,
        "appearance": [_article(sources[source_id]) for source_id in cited],
    }
    if claim.date is not None:
        item["temporalCoverage"] = _iso(claim.date)
    return item


def topic_jsonld(reading: Reading, topic: Topic) -> str:
    """The topic's claims as one `<script type="application/ld+json">` line."""
    data = {
        "@context": "https://schema.org",
        "@graph": [claim_ld(reading, claim) for claim in topic.claims],
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f'<script type="application/ld+json">{text.translate(_SCRIPT_SAFE)}</script>'
