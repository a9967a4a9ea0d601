"""Print stage: the reading model to print HTML (Jinja2), one part per piece of a PDF.

Rendered from the reading model (:mod:`generator.reading`), never scraped from the
site: footnote numbers, support counts, disputes and what shows where are the web
page's. A footnote's body is printed at the foot of the page where it is first
called, and a later call repeats only its number. Typesetting and assembly are
:mod:`generator.pdf`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.assemble import PART_LINK, Heading, Part, TocEntry
from generator.changes import withdrawn_words
from generator.fields import EMPHASIS
from generator.model import Claim, Source
from generator.reading import (
    DISAGREE,
    TIMELINE_FIGURE_NOTE,
    TIMELINE_ORDER_NOTE,
    Footnote,
    Notes,
    Place,
    Reading,
    TopicView,
)
from generator.timeline import timeline_svg


def inline_html(text: str) -> Markup:
    """Claim text as HTML: escaped, with `*emphasis*` as <em>."""
    out = Markup("")
    last = 0
    for match in EMPHASIS.finditer(text):
        out += escape(text[last : match.start()]) + Markup("<em>%s</em>") % match.group(1)
        last = match.end()
    return out + escape(text[last:])


WORD_JOINER = Markup("\u2060")


@dataclass
class PrintPage:
    """One page of the web site as printed: its footnotes, and which have been called.

    `claim_html` must be called in the page's reading order, so that a footnote's body
    is printed at its first call.
    """

    reading: Reading
    notes: Notes
    anchor_prefix: str
    here: str = ""
    called: set[int] = field(default_factory=set)

    def claim_html(self, claim: Claim, place: str) -> Markup:
        """The claim as :meth:`Reading.line` shows it at `place` (a :class:`Place` name)."""
        line = self.reading.line(claim, Place[place], self.notes, self.here)
        parts = Markup("")
        if line.status:
            parts += Markup('<span class="status status-%s">%s</span> ') % (
                claim.status,
                line.status,
            )
        if line.date:
            parts += Markup('<span class="date">%s</span> — ') % line.date
        if line.credit:
            parts += Markup('<span class="label">%s</span> ') % line.credit
        by_number = {note.number: note for note in self.notes}
        markers = [self._marker(by_number[n]) for n in line.footnotes]
        html = (
            # A word joiner: a footnote marker never starts a line on its own.
            parts
            + inline_html(line.text)
            + WORD_JOINER
            + Markup('<span class="fn-sep">,</span>').join(markers)
        )
        if line.support:
            html += Markup(' <span class="label support">%s</span>') % line.support
        if line.topic:
            html += Markup(' <span class="label">· %s</span>') % line.topic
        if line.note:
            html += Markup(
                '<span class="note"><span class="label">Editor’s note:</span> %s</span>'
            ) % inline_html(line.note)
        return html

    def _marker(self, note: Footnote) -> Markup:
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
        body = Markup('<span class="fn-quote">“%s”</span> ') % note.quote
        if note.citation.via:
            body += Markup("Attributed to %s. ") % note.citation.via
        body += Markup('— <a href="%ssource-%s">%s</a>, %s, %s.') % (
            PART_LINK,
            source.source_id,
            source.title,
            note.publisher,
            note.published,
        )
        if note.original_url:
            body += Markup(' <a href="%s">Original article</a>.') % note.original_url
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


@dataclass(frozen=True)
class Document:
    """One PDF file: a title page and contents, then its parts in order."""

    dest: str
    title: str
    single: bool
    parts: tuple[Part, ...]


def _render(reading: Reading, part: str, title: str, **context: Any) -> str:
    return (
        _environment()
        .get_template("print.html.j2")
        .render(
            part=part,
            part_link=PART_LINK,
            reading=reading,
            briefing=reading.briefing,
            title=title,
            css=Markup(_css()),
            **context,
        )
    )


def topic_part(reading: Reading, view: TopicView) -> Part:
    topic, slug = view.topic, view.slug
    page = PrintPage(reading, view.notes, f"fn-{slug}", slug)
    html = _render(reading, "topic", topic.title, view=view, page=page)
    headings = [Heading(1, topic.title, f"topic-{slug}")]
    if topic.key_points:
        headings.append(Heading(2, "Key points", f"key-points-{slug}", toc=False))
    headings += [
        Heading(2, section.heading, f"section-{slug}-{index}")
        for index, section in enumerate(topic.sections, start=1)
    ]
    if view.disagreements:
        headings.append(Heading(2, DISAGREE, f"disagree-{slug}", toc=False))
    return Part(html, tuple(headings))


def timeline_part(reading: Reading) -> Part | None:
    """The timeline of the whole briefing: every dated claim, with its figure."""
    view = reading.timeline
    if not view.entries:
        return None
    # Topic slugs never start with a hyphen: no clash with a topic named "timeline".
    page = PrintPage(reading, view.notes, "fn--timeline")
    html = _render(
        reading,
        "timeline",
        "Timeline",
        timeline=view,
        page=page,
        svg=Markup(timeline_svg(list(view.entries), "timeline-print")),
        figure_note=TIMELINE_FIGURE_NOTE,
        order_note=TIMELINE_ORDER_NOTE,
    )
    return Part(html, (Heading(1, "Timeline", "timeline"),))


def changes_part(reading: Reading) -> Part | None:
    """What changed since the last edition, printed after the contents of the whole briefing."""
    view = reading.changes_view
    if view is None:
        return None
    changes = view.changes
    # Topic slugs never start with a hyphen: no clash with a topic named "changes".
    page = PrintPage(reading, view.notes, "fn--changes")
    html = _render(
        reading,
        "changes",
        changes.title,
        view=view,
        page=page,
        since=changes.since.words(),
        withdrawn=withdrawn_words(changes),
        inline=inline_html,
    )
    return Part(html, (Heading(1, changes.title, "changes"),))


def appendix_part(reading: Reading, sources: Iterable[Source]) -> Part:
    chosen = sorted(sources, key=lambda s: (s.title.lower(), s.source_id))
    html = _render(reading, "appendix", "Sources", sources=chosen)
    headings = [Heading(1, "Sources", "sources")]
    headings += [Heading(2, s.title, f"source-{s.source_id}", toc=False) for s in chosen]
    return Part(html, tuple(headings))


def front_html(reading: Reading, document: Document, toc: list[TocEntry]) -> str:
    """The title page and contents of `document`."""
    return _render(reading, "front", document.title, single=document.single, toc=toc)


def documents(reading: Reading, slugs: Iterable[str] | None = None) -> list[Document]:
    """The PDFs to write: the whole briefing (unless topics are named) and each topic's."""
    briefing = reading.briefing
    wanted = None if slugs is None else set(slugs)
    topic_parts = {view.slug: topic_part(reading, view) for view in reading.topics}
    docs = []
    if not wanted:
        changes = changes_part(reading)
        parts = [] if changes is None else [changes]
        parts += [topic_parts[t.slug] for t in briefing.topics]
        timeline = timeline_part(reading)
        if timeline is not None:
            parts.append(timeline)
        parts.append(appendix_part(reading, briefing.sources.values()))
        docs.append(Document("briefing.pdf", briefing.title, False, tuple(parts)))
    for view in reading.topics:
        if wanted is None or view.slug in wanted:
            appendix = appendix_part(reading, reading.cited_sources(view))
            parts_of_topic = (topic_parts[view.slug], appendix)
            docs.append(Document(f"pdf/{view.slug}.pdf", view.topic.title, True, parts_of_topic))
    return docs
