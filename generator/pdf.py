"""PDF stage: the checked model to print HTML (Jinja2) to PDF (WeasyPrint).

Rendered from the model, never scraped from the site. Footnote numbers are the web
page's (:func:`generator.render.topic_footnotes`); a footnote's body is printed at the
foot of the page where it is first called, and a later call repeats only its number.
The same input gives the same bytes: dates come from `briefing.yml`, not the clock.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    Fit,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from generator.check import Checked, Passage
from generator.model import Claim, Source, Topic
from generator.render import (
    _EMPHASIS,
    Footnote,
    passage_url,
    source_passage_text,
    topic_counts,
    topic_footnotes,
)
from generator.support import (
    attribution,
    claim_support,
    dispute_pairs,
    dispute_partners,
    single_article_notice,
)
from generator.write import write_bytes

# A link from one part to an anchor in another; made a link inside the PDF on assembly.
PART_LINK = "x-briefing:"


def inline_html(text: str) -> Markup:
    """Claim text as HTML: escaped, with `*emphasis*` as <em>."""
    out = Markup("")
    last = 0
    for match in _EMPHASIS.finditer(text):
        out += escape(text[last : match.start()]) + Markup("<em>%s</em>") % match.group(1)
        last = match.end()
    return out + escape(text[last:])


@dataclass
class PrintTopic:
    """One topic as printed; `claim_html` must be called in the web page's reading order."""

    checked: Checked
    topic: Topic
    notes: dict[tuple[str, str], Footnote] = field(init=False)
    called: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.notes = self._footnotes()

    def _footnotes(self) -> dict[tuple[str, str], Footnote]:
        return topic_footnotes(self.checked, self.topic)

    @property
    def anchor_prefix(self) -> str:
        return f"fn-{self.topic.slug}"

    @property
    def notice(self) -> str | None:
        return single_article_notice(self.checked, self.topic)

    @property
    def disagreements(self) -> list[tuple[Claim, Claim]]:
        return dispute_pairs(self.checked, self.topic)

    @property
    def counts(self) -> str:
        return topic_counts(self.checked, self.topic)

    @property
    def key_points(self) -> list[Claim]:
        return [self.checked.claims[ref.claim_id] for ref in self.topic.key_points]

    def disputers(self, claim: Claim) -> list[Claim]:
        return dispute_partners(self.checked, claim)

    def claim_html(
        self, claim: Claim, with_date: bool = False, with_support: bool = False
    ) -> Markup:
        parts = Markup("")
        if claim.status != "reported":
            parts += Markup('<span class="status status-%s">%s</span> ') % (
                claim.status,
                claim.status.capitalize(),
            )
        if with_date and claim.date is not None:
            parts += Markup('<span class="date">%s</span> — ') % claim.date.words()
        credit = attribution(self.checked, claim)
        if credit.before:
            parts += Markup('<span class="label">%s</span> ') % credit.before
        markers = [self._marker(self.checked.passage(c)) for c in claim.cites]
        html = (
            parts + inline_html(claim.text) + Markup('<span class="fn-sep">,</span>').join(markers)
        )
        if with_support:
            words = claim_support(self.checked, claim).label()
            if credit.after:
                words += f" · {credit.after}"
            html += Markup(' <span class="label support">%s</span>') % words
        return html

    def _marker(self, passage: Passage) -> Markup:
        note = self.notes[passage.key]
        anchor = f"{self.anchor_prefix}-{note.number}"
        if note.number in self.called:
            return Markup('<a class="fn-again" href="#%s">%d</a>') % (anchor, note.number)
        self.called.add(note.number)
        return Markup('<span class="fn" id="%s" data-n="%d">%s</span>') % (
            anchor,
            note.number,
            self._body(note),
        )

    def _body(self, note: Footnote) -> Markup:
        source = note.source
        body = Markup('<span class="fn-quote">“%s”</span> ') % source_passage_text(
            self.checked, note.passage
        )
        if note.citation.via:
            body += Markup("Attributed to %s. ") % note.citation.via
        publisher = source.publisher or "publisher not recorded"
        published = source.published.words() if source.published else "date not recorded"
        body += Markup('— <a href="%ssource-%s">%s</a>, %s, %s.') % (
            PART_LINK,
            source.source_id,
            source.title,
            publisher,
            published,
        )
        if source.url:
            url = passage_url(source.url, source.text, note.passage)
            body += Markup(' <a href="%s">Original article</a>.') % url
        return body


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string that cannot close the string or the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;'!?()-" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.filters["css_string"] = css_string
    return env


@cache
def _css() -> str:
    return (Path(__file__).parent / "templates" / "print.css").read_text(encoding="utf-8")


DISAGREE = "Where the sources disagree"


@dataclass(frozen=True)
class Heading:
    """A heading of a part: listed in the contents (`toc`) and in the PDF outline."""

    level: int
    title: str
    anchor: str
    toc: bool = True


@dataclass(frozen=True)
class Part:
    """A piece of a PDF typeset on its own, so an unchanged topic is not typeset again."""

    html: str
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class TocEntry:
    kind: str
    title: str
    anchor: str
    page: int


@dataclass(frozen=True)
class Document:
    """One PDF file: a title page and contents, then its parts in order."""

    dest: str
    title: str
    single: bool
    parts: tuple[Part, ...]


def _render(checked: Checked, part: str, title: str, **context: Any) -> str:
    return (
        _environment()
        .get_template("print.html.j2")
        .render(
            part=part,
            part_link=PART_LINK,
            briefing=checked.briefing,
            title=title,
            css=Markup(_css()),
            **context,
        )
    )


def topic_part(checked: Checked, topic: Topic) -> Part:
    page = PrintTopic(checked, topic)
    html = _render(checked, "topic", topic.title, pages=[page])
    slug = topic.slug
    headings = [Heading(1, topic.title, f"topic-{slug}")]
    if topic.key_points:
        headings.append(Heading(2, "Key points", f"key-points-{slug}", toc=False))
    headings += [
        Heading(2, section.heading, f"section-{slug}-{index}")
        for index, section in enumerate(topic.sections, start=1)
    ]
    if page.disagreements:
        headings.append(Heading(2, DISAGREE, f"disagree-{slug}", toc=False))
    return Part(html, tuple(headings))


def timeline_part(checked: Checked) -> Part | None:
    """The timeline of the whole briefing: every dated claim, with its figure."""
    from generator.timeline import print_timeline

    timeline = print_timeline(checked)
    if timeline is None:
        return None
    html = _render(checked, "timeline", "Timeline", timeline=timeline)
    return Part(html, (Heading(1, "Timeline", "timeline"),))


def changes_part(checked: Checked) -> Part | None:
    """Editions (issue 15): what changed since the last edition, printed after the contents."""
    from generator.changes_print import print_changes

    changes = print_changes(checked)
    if changes is None:
        return None
    html = _render(checked, "changes", changes.title, changes=changes)
    return Part(html, (Heading(1, changes.title, "changes"),))


def appendix_part(checked: Checked, sources: Iterable[Source]) -> Part:
    chosen = sorted(sources, key=lambda s: (s.title.lower(), s.source_id))
    html = _render(checked, "appendix", "Sources", sources=chosen)
    headings = [Heading(1, "Sources", "sources")]
    headings += [Heading(2, s.title, f"source-{s.source_id}", toc=False) for s in chosen]
    return Part(html, tuple(headings))


def documents(checked: Checked, slugs: Iterable[str] | None = None) -> list[Document]:
    """The PDFs to write: the whole briefing (unless topics are named) and each topic's."""
    briefing = checked.briefing
    wanted = None if slugs is None else set(slugs)
    topic_parts = {t.slug: topic_part(checked, t) for t in briefing.topics}
    docs = []
    if not wanted:
        changes = changes_part(checked)  # editions (issue 15)
        parts = [changes] if changes is not None else []
        parts += [topic_parts[t.slug] for t in briefing.topics]
        timeline = timeline_part(checked)
        if timeline is not None:
            parts.append(timeline)
        parts.append(appendix_part(checked, briefing.sources.values()))
        docs.append(Document("briefing.pdf", briefing.title, False, tuple(parts)))
    for topic in briefing.topics:
        if wanted is None or topic.slug in wanted:
            cited = {source_id for source_id, _ in topic_footnotes(checked, topic)}
            appendix = appendix_part(checked, (briefing.sources[s] for s in cited))
            parts_of_topic = (topic_parts[topic.slug], appendix)
            docs.append(Document(f"pdf/{topic.slug}.pdf", topic.title, True, parts_of_topic))
    return docs


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
    checked: Checked, document: Document, anchors: Anchors, typesetter: Typesetter
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
        html = _render(checked, "front", document.title, single=document.single, toc=toc)
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


def assemble(checked: Checked, document: Document, typesetter: Typesetter) -> bytes:
    """Put a document together from its typeset parts (unchanged ones come from the
    cache): contents with real page numbers, links across parts, the outline, "Page N
    of M" and the metadata."""
    readers = [
        PdfReader(io.BytesIO(data)) for data in typesetter.many([p.html for p in document.parts])
    ]
    anchors = _anchors(readers)
    front = _front(checked, document, anchors, typesetter)
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

    briefing = checked.briefing
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
    checked: Checked,
    site_dir: Path,
    cache_dir: Path | None,
    slugs: Iterable[str] | None = None,
    typesetter: Typesetter | None = None,
) -> list[str]:
    typesetter = typesetter or Typesetter(cache_dir)
    docs = documents(checked, slugs)
    # Typeset every part first (in parallel where many are new), then assemble each PDF.
    typesetter.many([part.html for doc in docs for part in doc.parts])
    written = []
    for doc in docs:
        write_bytes(site_dir / doc.dest, _assembled(checked, doc, typesetter))
        written.append(doc.dest)
    return written


def _assembled(checked: Checked, document: Document, typesetter: Typesetter) -> bytes:
    """The assembled PDF, from the cache when none of its parts changed: at a hundred
    topics, putting every unchanged topic's PDF together again costs more than the edit."""
    briefing = checked.briefing
    facts = [document.dest, document.title, str(document.single), briefing.title]
    facts += [briefing.prepared_by, briefing.as_of.words()]
    source = "\0".join(facts + [p.html for p in document.parts])
    return typesetter.made_from(source, lambda: assemble(checked, document, typesetter))
