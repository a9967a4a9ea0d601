"""PDF stage: the print HTML of each part (:mod:`generator.printing`) typeset and joined
into each PDF by :mod:`generator.assemble`, then written.

The same input gives the same bytes: dates come from `briefing.yml`, not the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from generator.assemble import Info, TocEntry, Typesetter, assemble
from generator.printing import Document, documents, front_html
from generator.reading import Reading
from generator.write import write_bytes


def _front_html(reading: Reading, document: Document) -> Callable[[list[TocEntry]], str]:
    """The title page and contents of `document`, given where its headings landed."""

    def front(toc: list[TocEntry]) -> str:
        return front_html(reading, document, toc)

    return front


def _info(reading: Reading, document: Document) -> Info:
    briefing = reading.briefing
    return Info(
        title=document.title,
        author=briefing.prepared_by,
        subject=f"{document.title}: a footnoted briefing as of {briefing.as_of.words()}",
        created="D:" + briefing.as_of.start.first.strftime("%Y%m%d") + "000000Z",
    )


def write_pdfs(
    reading: Reading,
    site_dir: Path,
    cache_dir: Path | None,
    slugs: Iterable[str] | None = None,
    typesetter: Typesetter | None = None,
) -> list[str]:
    typesetter = typesetter or Typesetter(cache_dir)
    docs = documents(reading, slugs)
    # Typeset every part first (in parallel where many are new), then assemble each PDF.
    typesetter.many([part.html for doc in docs for part in doc.parts])
    written = []
    for doc in docs:
        write_bytes(site_dir / doc.dest, _assembled(reading, doc, typesetter))
        written.append(doc.dest)
    return written


def _assembled(reading: Reading, document: Document, typesetter: Typesetter) -> bytes:
    """The assembled PDF, from the cache when none of its parts changed: at a hundred
    topics, putting every unchanged topic's PDF together again costs more than the edit."""
    briefing = reading.briefing
    facts = [document.dest, document.title, str(document.single), briefing.title]
    facts += [briefing.prepared_by, briefing.as_of.words()]
    source = "\0".join(facts + [p.html for p in document.parts])
    return typesetter.made_from(
        source,
        lambda: assemble(
            document.parts,
            _front_html(reading, document),
            _info(reading, document),
            typesetter,
        ),
    )
