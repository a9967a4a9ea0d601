"""PDF stage: print HTML (from :mod:`generator.printing`) typeset by WeasyPrint part by
part, then assembled into each PDF.

The same input gives the same bytes: dates come from `briefing.yml`, not the clock.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    Fit,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from generator.printing import PART_LINK, Document, TocEntry, documents, front_html
from generator.reading import Reading
from generator.write import write_bytes


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the PDF loads nothing from outside: {url}")


def _typeset_uncached(html: str) -> bytes:
    import weasyprint

    data: bytes = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    return data


class Typesetter:
    """HTML to PDF bytes, each distinct HTML typeset once: in memory for one run, and on
    disk across runs when a cache folder is given. Parts missing from the cache are
    typeset in parallel on the machine's cores."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.memory: dict[str, bytes] = {}
        self.typeset_html: list[str] = []  # what this run typeset, not took from a cache

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{_tool_versions()}\0{text}".encode()).hexdigest()

    def _cached(self, key: str) -> bytes | None:
        if key in self.memory:
            return self.memory[key]
        if self.cache_dir is not None:
            try:
                data = (self.cache_dir / f"{key}.pdf").read_bytes()
            except OSError:
                return None
            self.memory[key] = data
            return data
        return None

    def _save(self, key: str, data: bytes) -> None:
        self.memory[key] = data
        if self.cache_dir is not None:
            write_bytes(self.cache_dir / f"{key}.pdf", data)

    def _store(self, key: str, html: str, data: bytes) -> None:
        self._save(key, data)
        self.typeset_html.append(html)

    def many(self, htmls: list[str]) -> list[bytes]:
        keys = [self._key(html) for html in htmls]
        missing = {
            key: html for key, html in zip(keys, htmls, strict=True) if self._cached(key) is None
        }
        workers = min(len(missing), os.cpu_count() or 1)
        if workers > 1 and len(missing) >= PARALLEL_FROM:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # forkserver: workers start clean, never from a parent that holds Pango state.
            context = multiprocessing.get_context("forkserver")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                typeset = pool.map(_typeset_uncached, missing.values())
                for (key, html), data in zip(missing.items(), typeset, strict=True):
                    self._store(key, html, data)
        else:
            for key, html in missing.items():
                self._store(key, html, _typeset_uncached(html))
        return [self.memory[key] for key in keys]

    def one(self, html: str) -> bytes:
        return self.many([html])[0]

    def made_from(self, source: str, make: Callable[[], bytes]) -> bytes:
        """What `make` builds from `source` (all it depends on), built once and cached
        like a typeset part: used for assembled PDFs."""
        key = "assembled-" + self._key(source)
        cached = self._cached(key)
        if cached is None:
            cached = make()
            self._save(key, cached)
        return cached


@cache
def _tool_versions() -> str:
    """Part of every cache key: another WeasyPrint or pypdf may give other bytes."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}, pypdf {version('pypdf')}"


# Below this many parts to typeset, starting worker processes costs more than it saves.
PARALLEL_FROM = 4


def _numbers_html(page_count: int) -> str:
    """Blank pages that carry only "Page N of M", stamped onto the assembled pages."""
    return (
        "<!DOCTYPE html><html><head><style>"
        "@page { size: A4; margin: 22mm 20mm 24mm 20mm;"
        ' @bottom-center { content: "Page " counter(page) " of " counter(pages);'
        ' font: 8pt "DejaVu Sans", sans-serif; color: #555; } }'
        " @page :first { @bottom-center { content: none; } }"
        " div { break-after: page; } div:last-child { break-after: auto; }"
        "</style></head><body>" + "<div></div>" * page_count + "</body></html>"
    )


# Where an anchor lands: (index among the pages of all parts, left, top).
Anchors = dict[str, tuple[int, float, float]]


def _anchors(readers: list[PdfReader]) -> Anchors:
    anchors: Anchors = {}
    offset = 0
    for reader in readers:
        for name, dest in reader.named_destinations.items():
            index = reader.get_destination_page_number(dest)
            if index is not None:
                anchors[str(name)] = (offset + index, float(dest.left or 0), float(dest.top or 0))
        offset += len(reader.pages)
    return anchors


def _front(
    reading: Reading, document: Document, anchors: Anchors, typesetter: Typesetter
) -> PdfReader:
    """Title page and contents, with the page numbers the parts will have after them."""
    headings = [h for part in document.parts for h in part.headings if h.toc]
    front_pages = 2
    for _ in range(5):  # a longer contents moves every number: settle on its own length
        toc = [
            TocEntry(
                "topic" if h.level == 1 else "section",
                h.title,
                h.anchor,
                front_pages + anchors[h.anchor][0] + 1,
            )
            for h in headings
        ]
        html = front_html(reading, document, toc)
        front = PdfReader(io.BytesIO(typesetter.one(html)))
        if len(front.pages) == front_pages:
            break
        front_pages = len(front.pages)
    return front


def _link_parts(writer: PdfWriter, anchors: Anchors, skip: int) -> None:
    """Turn each `x-briefing:<anchor>` link into a link to that place in this PDF."""
    for page in writer.pages:
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            action = annotation.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if not uri.startswith(PART_LINK):
                continue
            index, left, top = anchors[uri[len(PART_LINK) :]]
            del annotation["/A"]
            annotation[NameObject("/Dest")] = ArrayObject(
                [
                    writer.pages[skip + index].indirect_reference,
                    NameObject("/XYZ"),
                    FloatObject(left),
                    FloatObject(top),
                    NumberObject(0),
                ]
            )


def _outline(writer: PdfWriter, document: Document, anchors: Anchors, skip: int) -> None:
    for part in document.parts:
        parent = None
        for heading in part.headings:
            index, left, top = anchors[heading.anchor]
            item = writer.add_outline_item(
                title=heading.title,
                page_number=skip + index,
                parent=parent if heading.level > 1 else None,
                fit=Fit.xyz(left, top, 0),
            )
            if heading.level == 1:
                parent = item


def assemble(reading: Reading, document: Document, typesetter: Typesetter) -> bytes:
    """Put a document together from its typeset parts (unchanged ones come from the
    cache): contents with real page numbers, links across parts, the outline, "Page N
    of M" and the metadata."""
    readers = [
        PdfReader(io.BytesIO(data)) for data in typesetter.many([p.html for p in document.parts])
    ]
    anchors = _anchors(readers)
    front = _front(reading, document, anchors, typesetter)
    writer = PdfWriter()
    for reader in [front, *readers]:
        writer.append(reader, import_outline=False)
    _link_parts(writer, anchors, len(front.pages))
    _outline(writer, document, anchors, len(front.pages))

    numbers = PdfReader(io.BytesIO(typesetter.one(_numbers_html(len(writer.pages)))))
    for page, stamp in zip(writer.pages, numbers.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves the page's content uncompressed
    writer.compress_identical_objects()

    briefing = reading.briefing
    created = "D:" + briefing.as_of.start.first.strftime("%Y%m%d") + "000000Z"
    writer.add_metadata(
        {
            "/Title": document.title,
            "/Author": briefing.prepared_by,
            "/Subject": f"{document.title}: a footnoted briefing as of {briefing.as_of.words()}",
            "/Creator": "briefing",
            "/Producer": "briefing (WeasyPrint, pypdf)",
            "/CreationDate": created,
            "/ModDate": created,
        }
    )
    writer.page_mode = "/UseOutlines"
    writer._root_object[NameObject("/Lang")] = TextStringObject("en")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


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
    return typesetter.made_from(source, lambda: assemble(reading, document, typesetter))
