"""PDF stage: the checked model to print HTML (Jinja2), one part per topic, the timeline
and the appendix; `generator.assemble` typesets the parts and joins them into each PDF.

Rendered from the model, never scraped from the site. Footnote numbers are the web
page's (:func:`generator.render.topic_footnotes`); a footnote's body is printed at the
foot of the page where it is first called, and a later call repeats only its number.
The same input gives the same bytes: dates come from `briefing.yml`, not the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.assemble import (
    PART_LINK,
    Heading,
    Info,
    Part,
    TocEntry,
    Typesetter,
    assemble,
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
        parts = [topic_parts[t.slug] for t in briefing.topics]
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


def _front_html(checked: Checked, document: Document) -> Callable[[list[TocEntry]], str]:
    """The title page and contents of `document`, given where its headings landed."""

    def front(toc: list[TocEntry]) -> str:
        return _render(checked, "front", document.title, single=document.single, toc=toc)

    return front


def _info(checked: Checked, document: Document) -> Info:
    briefing = checked.briefing
    return Info(
        title=document.title,
        author=briefing.prepared_by,
        subject=f"{document.title}: a footnoted briefing as of {briefing.as_of.words()}",
        created="D:" + briefing.as_of.start.first.strftime("%Y%m%d") + "000000Z",
    )


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
    return typesetter.made_from(
        source,
        lambda: assemble(
            document.parts,
            _front_html(checked, document),
            _info(checked, document),
            typesetter,
        ),
    )
