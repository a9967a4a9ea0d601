"""Search that lands on claims: entries for Material's search index, and quiet footnotes.

Material's search cuts a page into sections at its headings, so a claim is only ever
found inside its section's text, mixed with footnote numbers and footnote text. Each
claim becomes an entry of its own, at its anchor on its topic page, titled with its
text (what a result shows first) and holding its quotes, so a word of either finds it; footnote markers and the
footnote list are left out of the page sections (`data-search-exclude`, which
Material's search honours).
"""

from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from typing import Any

from generator.fields import EMPHASIS
from generator.reading import Reading
from generator.write import write_file

INDEX = "search/search_index.json"
"""Where Material's search plugin writes its index, under the site."""

_FOOTNOTE_PARTS = re.compile(r'<(sup id="fnref|sup class="fn-sep"|div class="footnote")')


def quiet_footnotes(html: str) -> str:
    """A page's HTML with its footnote markers and footnote list kept out of search."""
    return _FOOTNOTE_PARTS.sub(
        lambda m: f"<{m.group(1).replace(' ', ' data-search-exclude ', 1)}", html
    )


def claim_entries(reading: Reading, directory_urls: bool = True) -> list[dict[str, str]]:
    """One search entry per claim, at its anchor on its topic page, in briefing order."""
    entries = []
    page = "topics/{}/" if directory_urls else "topics/{}.html"
    for view in reading.topics:
        for claim in view.topic.claims:
            text = EMPHASIS.sub(r"\1", claim.text)
            quotes = "".join(f"<p>“{escape(c.quote)}”</p>" for c in claim.cites)
            entries.append(
                {
                    "location": f"{page.format(view.slug)}#{claim.claim_id}",
                    "title": escape(text),
                    "text": quotes,
                }
            )
    return entries


def add_claims(site_dir: Path, reading: Reading, directory_urls: bool = True) -> None:
    """Add the claims to the search index built into `site_dir`, if the site has one."""
    path = site_dir / INDEX
    if not path.is_file():
        return
    index: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    index["docs"] = list(index.get("docs", [])) + claim_entries(reading, directory_urls)
    write_file(path, json.dumps(index, ensure_ascii=False, separators=(",", ":")))
