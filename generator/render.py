"""Render stage: the checked model to Markdown pages. Pure: no I/O, no clock.

A page's headings are Markdown (the `toc` extension gives them their ids, permalinks
and the table of contents); everything else a reader meets on the generated pages
(claims, footnote markers and definitions, the disagreements side by side, passages and
the lists that cite them) is written as raw HTML blocks, exactly the HTML that
Python-Markdown with the `attr_list`, `md_in_html`, `footnotes` and `toc` extensions
made of the Markdown this module wrote before. Python-Markdown passes raw HTML blocks
through without inline pattern matching, which was most of a build's time. Links
between pages name the linked page's `.md` file, as Markdown links do; each engine makes
its URLs of them, and :mod:`generator.links` checks that every one leads somewhere.

Every piece of editor text passes through :func:`inline_html` (claim text, which may
hold `*emphasis*`) or :func:`text_html` in raw HTML, and through :func:`escape` in a
Markdown heading or line, so HTML, Markdown links, footnote syntax and attribute lists
written by an editor are shown literally, never interpreted.

What a page shows comes from the reading model (:mod:`generator.reading`): footnote
numbers, support counts, attributions, disputes and which pieces of a claim show where.
This module only spells them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape as html_escape

from generator.changes import (
    FEED,
    Changes,
    Update,
    changes_link,
    edition_anchor,
    withdrawn_notes,
    withdrawn_words,
)
from generator.changes import PAGE as CHANGES_PAGE
from generator.fields import EMPHASIS
from generator.jsonld import topic_jsonld
from generator.links import href
from generator.model import Claim
from generator.reading import (
    DISAGREE,
    TIMELINE_FIGURE_NOTE,
    TIMELINE_ORDER_NOTE,
    ChangesView,
    Footnote,
    Line,
    Notes,
    Place,
    Reading,
    SourceView,
    TopicView,
    plural,
)
from generator.timeline import timeline_svg

# Characters that Python-Markdown (and the extensions a site may enable) could read as
# syntax anywhere in a line. Numeric references keep them literal in any engine.
_INLINE = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "\\": "&#92;",
    "`": "&#96;",
    "*": "&#42;",
    "_": "&#95;",
    "[": "&#91;",
    "]": "&#93;",
    "{": "&#123;",
    "}": "&#125;",
    "|": "&#124;",
    "~": "&#126;",
    "=": "&#61;",
    "^": "&#94;",
    "#": "&#35;",
    "$": "&#36;",
    ":": "&#58;",
}
_INLINE_TABLE = str.maketrans(_INLINE)
# At the start of a line these begin a block (list, heading, numbered list).
_LINE_START = re.compile(r"^([-+]|\d+(?=[.)]))")
NOTE_LABEL = "Editor’s note:"
FN_SEPARATOR = '<sup class="fn-sep">,</sup>'


def _escape_run(text: str) -> str:
    """Collapse white space and escape syntax characters, keeping edge spaces."""
    text = re.sub(r"\s+", " ", text).translate(_INLINE_TABLE)
    # `:` only matters for shortcodes such as `:smile:`; keep "word: word" readable.
    return text.replace("&#58; ", ": ")


def _escape_line_start(text: str) -> str:
    match = _LINE_START.match(text)
    if not match:
        return text
    token = match.group(1)
    return (token + "\\" if token.isdigit() else f"&#{ord(token)};") + text[len(token) :]


def escape(text: str) -> str:
    """Editor text as literal Markdown inline content, safe at the start of a line too."""
    return _escape_line_start(_escape_run(text.strip()))


def text_html(text: str) -> str:
    """Editor text as literal HTML text, for raw HTML blocks.

    The same characters as :func:`escape` (so the page reads the same byte for byte as
    when Python-Markdown passed them through), `&`, `<` and `>` among them; never in an
    attribute value (see :func:`_attr`). A raw block is not read as Markdown, so nothing
    needs escaping at the start of a line.
    """
    return _escape_run(text.strip())


def inline_html(text: str) -> str:
    """Claim text as HTML: plain text with `*emphasis*` at most (`**` and a lone `*` stay
    literal), the emphasis as `<em>`."""
    text = text.strip()
    parts: list[str] = []
    last = 0
    for match in EMPHASIS.finditer(text):
        parts.append(_escape_run(text[last : match.start()]))
        parts.append(f"<em>{_escape_run(match.group(1))}</em>")
        last = match.end()
    parts.append(_escape_run(text[last:]))
    return "".join(parts)


def _attr(value: str) -> str:
    """A value for a double-quoted HTML attribute (a URL)."""
    return html_escape(value, quote=True)


def _label(text: str) -> str:
    """A fixed label of the generator's own, marked so tests can tell it from claims."""
    return f'<span class="briefing-label">{text}</span>'


# --- pages of Markdown headings and raw HTML blocks -----------------------------------

Part = str | int
"""A piece of a raw HTML block: HTML, or a footnote marker by its number."""


@dataclass(frozen=True)
class _Html:
    depth: int
    """0 for a block at the top of the page, 1 inside a list or a `<div>`."""
    parts: list[Part]


@dataclass(frozen=True)
class _Heading:
    level: int
    text: str
    """Editor text or a fixed label, as the reader sees it."""
    anchor: str | None = None


class _Page:
    """One page: Markdown headings, raw HTML blocks and Markdown lines, in page order.

    What Python-Markdown's extensions computed over the whole page is computed here
    when the page is complete (:meth:`text`):

    - footnote marker ids, as the `footnotes` extension numbers repeated citations
      (`fnref:3`, then `fnref2:3`, …): in the order its inline pass meets them, which is
      breadth first: the paragraphs at the top of the page, then those inside a list or
      a `<div>`, each in page order. The theme's script orders the way back by page order.
    - the footnote list, with one way back per citation;
    - a heading's id where the `toc` extension, which sees no id inside raw HTML, would
      otherwise give it one a claim or passage already has (it gave `_1` and so on).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.blocks: list[str | _Html | _Heading] = []

    def markdown(self, *lines: str) -> None:
        """Markdown of its own (a raw block already, or a line with a link MkDocs checks)."""
        text = "\n".join(lines).strip("\n")
        if text:
            self.blocks.append(text)

    def html(self, *parts: Part, depth: int = 0) -> None:
        self.blocks.append(_Html(depth, list(parts)))

    def heading(self, level: int, text: str, anchor: str | None = None) -> None:
        self.blocks.append(_Heading(level, text, anchor))

    def text(self, notes: Notes | None = None) -> str:
        cited: dict[int, int] = {}

        def marker(number: int) -> str:
            count = cited[number] = cited.get(number, 0) + 1
            ref = f"fnref{count if count > 1 else ''}:{number}"
            return f'<sup id="{ref}"><a class="footnote-ref" href="#fn:{number}">{number}</a></sup>'

        blocks = self.blocks
        html = {i: b for i, b in enumerate(blocks) if isinstance(b, _Html)}
        spelt: dict[int, str] = {}
        for i in sorted(html, key=lambda i: (html[i].depth, i)):
            spelt[i] = "".join(p if isinstance(p, str) else marker(p) for p in html[i].parts)
        if notes is not None and len(notes):
            spelt[len(blocks)] = _footnote_list(notes, self.path, cited)
        headings = _heading_ids(blocks, spelt.values())
        out = []
        for i, block in enumerate(blocks):
            if isinstance(block, _Heading):
                anchor = block.anchor or headings.get(i)
                line = f"{'#' * block.level} {escape(block.text)}"
                out.append(f"{line} {{ #{anchor} }}" if anchor else line)
            else:
                out.append(spelt[i] if i in spelt else str(block))
        if len(blocks) in spelt:
            out.append(spelt[len(blocks)])
        return "\n\n".join(out) + "\n"


_ID_ATTR = re.compile(r'\sid="([^"]*)"')


def _heading_ids(blocks: list[str | _Html | _Heading], spelt: Iterable[str]) -> dict[int, str]:
    """The ids to give headings explicitly: where the `toc` extension would otherwise
    give one an id the raw HTML of the page has (it never sees those), the id it gave
    when it saw them. Elsewhere it goes on making the ids as before."""
    from markdown.extensions.toc import slugify, unique  # type: ignore[import-untyped]

    raw = {m for block in spelt for m in _ID_ATTR.findall(block)}
    raw.update(m for b in blocks if isinstance(b, str) for m in _ID_ATTR.findall(b))
    headings = [(i, b) for i, b in enumerate(blocks) if isinstance(b, _Heading)]
    if not any(slugify(" ".join(b.text.split()), "-") in raw for _, b in headings):
        return {}
    seen = raw | {b.anchor for _, b in headings if b.anchor}
    blind = {b.anchor for _, b in headings if b.anchor}
    given: dict[int, str] = {}
    for i, block in headings:
        if block.anchor:
            continue
        slug = slugify(" ".join(block.text.split()), "-")
        made, wanted = unique(slug, blind), unique(slug, seen)
        if made != wanted:
            given[i] = wanted
            blind.discard(made)
            blind.add(wanted)
    return given


def _markers(numbers: tuple[int, ...]) -> list[Part]:
    parts: list[Part] = []
    for n, number in enumerate(numbers):
        if n:
            parts.append(FN_SEPARATOR)
        parts.append(number)
    return parts


def claim_html(line: Line, page: str) -> list[Part]:
    """A claim as :meth:`Reading.line` decided to show it, spelt in HTML on `page`
    (its path under `docs/`): the content of its paragraph or list item.

    A link goes to the claim's anchor on its topic's page (on this page, if that is it).
    """
    claim = line.claim
    out = ""
    if line.change:
        kind = "new" if line.change.startswith("New") else "updated"
        out += (
            f'<span class="briefing-label claim-change claim-change-{kind}">'
            f"{text_html(line.change)}</span> "
        )
    if line.status:
        out += f'<span class="claim-status claim-status-{claim.status}">{line.status}</span> '
    if line.date:
        out += f'<span class="claim-date">{line.date}</span> '
    if line.credit:
        out += f"{_label(text_html(line.credit))} "
    text = inline_html(line.text)
    if line.link:
        target = href(page, topic_page(claim.topic_slug), claim.claim_id)
        text = f'<a href="{target}">{text}</a>'
    tail = ""
    if line.support:
        tail += f' <span class="briefing-label claim-support">{text_html(line.support)}</span>'
    if line.note:
        tail += f' <span class="claim-note">{_label(NOTE_LABEL)} {inline_html(line.note)}</span>'
    if line.topic and line.place is Place.CITED_BY:
        tail += f" — {text_html(line.topic)}"
    elif line.topic:
        tail += f" {_label('Topic: ' + text_html(line.topic))}"
    return [out + text, *_markers(line.footnotes), tail]


def topic_page(slug: str) -> str:
    return f"topics/{slug}.md"


def source_page(source_id: str) -> str:
    return f"sources/{source_id}.md"


def footnote_html(note: Footnote, page: str) -> str:
    """A footnote's text on `page`: the quote, its attribution, the article, the links."""
    source = note.source
    parts = [f'<span class="fn-quote">“{text_html(note.quote)}”</span>']
    if note.citation.via:
        parts.append(f"Attributed to {text_html(note.citation.via)}.")
    parts.append(
        f"— <em>{text_html(source.title)}</em>, {text_html(note.publisher)}, {note.published}."
    )
    passage = href(page, source_page(source.source_id), note.passage.anchor)
    parts.append(f'<a href="{passage}">Passage in the archived text</a>')
    if note.original_url:
        parts.append(f'· <a href="{_attr(note.original_url)}">Original article</a>')
    return " ".join(parts)


BACKLINK = (
    '<a class="footnote-backref" href="#{ref}:{number}" '
    'title="Jump back to footnote {number} in the text">&#8617;</a>'
)


def _footnote_list(notes: Notes, page: str, cited: dict[int, int]) -> str:
    """The footnotes extension's list: one way back per citation of each footnote."""
    items = []
    for note in notes:
        n = note.number
        back = "".join(
            BACKLINK.format(ref=f"fnref{k if k > 1 else ''}", number=n)
            for k in range(1, max(cited.get(n, 0), 1) + 1)
        )
        items.append(f'<li id="fn:{n}">\n<p>{footnote_html(note, page)}&#160;{back}</p>\n</li>')
    return '<div class="footnote">\n<hr />\n<ol>\n' + "\n".join(items) + "\n</ol>\n</div>"


def _paragraph(parts: Sequence[Part], anchor: str | None = None, classes: str = "") -> list[Part]:
    """`<p>` around `parts`, with attributes in the order `attr_list` wrote them."""
    attrs = f' class="{classes}"' if classes else ""
    attrs += f' id="{anchor}"' if anchor else ""
    return [f"<p{attrs}>", *parts, "</p>"]


def render_topic(reading: Reading, view: TopicView) -> str:
    topic, notes, slug = view.topic, view.notes, view.slug
    path = topic_page(slug)
    page = _Page(path)
    page.heading(1, topic.title)
    page.html(*_paragraph([_label(view.counts)]))
    if view.notice:
        page.html(*_paragraph([_label(view.notice)], classes="briefing-notice"))
    page.markdown(*changes_link(reading.changes, "../"))

    if view.key_points:
        page.heading(2, "Key points")
        items: list[Part] = ["<ul>\n"]
        for claim in view.key_points:
            line = reading.line(claim, Place.KEY_POINT, notes, slug)
            items += ["<li>", *claim_html(line, path), "</li>\n"]
        page.html(*items, "</ul>", depth=1)

    for index, section in enumerate(topic.sections):
        page.heading(2, section.heading)
        page.markdown(*withdrawn_notes(reading.changes, slug, section=index))
        for claim in section.claims:
            line = reading.line(claim, Place.CLAIM, notes, slug)
            classes = f"claim claim-{claim.status}"
            page.html(*_paragraph(claim_html(line, path), claim.claim_id, classes))
            for other in reading.disputes(claim):
                dispute = reading.line(other, Place.DISPUTE, notes, slug)
                label = _label("Sources disagree:") + " "
                page.html(*_paragraph([label, *claim_html(dispute, path)], classes="claim-dispute"))
            page.markdown(*withdrawn_notes(reading.changes, slug, claim.claim_id))

    _disagreements(page, reading, view)
    page.markdown(topic_jsonld(reading, topic))
    return page.text(notes)


def _disagreements(page: _Page, reading: Reading, view: TopicView) -> None:
    """ "Where the sources disagree": each pair once, side by side, with the page's footnotes.

    A grid of two paragraphs per pair, so each side keeps its footnote markers; the
    stylesheet stacks the sides on a narrow screen.
    """
    if not view.disagreements:
        return
    page.heading(2, DISAGREE)
    for pair in view.disagreements:
        parts: list[Part] = ['<div class="disagreement">\n']
        for claim in pair:
            line = reading.line(claim, Place.SIDE, view.notes, view.slug)
            parts += [*_paragraph(claim_html(line, page.path), classes="disagreement-side"), "\n"]
        page.html(*parts, "</div>", depth=1)


def render_source(reading: Reading, view: SourceView) -> str:
    source = view.source
    path = source_page(source.source_id)
    page = _Page(path)

    def row(label: str, value: str) -> str:
        return f"<li>{_label(label + ':')} {value}</li>\n"

    def link(url: str) -> str:
        return f'<a href="{_attr(url)}">{html_escape(url, quote=False)}</a>'

    page.heading(1, source.title)
    rows = ["<ul>\n"]
    rows.append(
        row("Publisher", text_html(source.publisher) if source.publisher else "not recorded")
    )
    if source.authors:
        rows.append(row("By", ", ".join(text_html(a) for a in source.authors)))
    rows.append(row("Published", source.published.words() if source.published else "not recorded"))
    rows.append(row("Archived", source.accessed.words()))
    rows.append(row("Original", link(source.url) if source.url else "not recorded"))
    if source.archive_url:
        rows.append(row("Archived copy", link(source.archive_url)))
    if source.relays:
        rows.append(row("Relays reporting by", ", ".join(text_html(r) for r in source.relays)))
    page.html(*rows, "</ul>")
    page.heading(2, "Quoted passages")
    if not view.passages:
        page.html(*_paragraph([_label("No passage of this article is quoted.")]))
    raw = source.text
    for number, passage in enumerate(view.passages, 1):
        before = raw[passage.sentence.start : passage.span.start]
        quote = raw[passage.span.start : passage.span.end]
        after = raw[passage.span.end : passage.sentence.end]
        page.heading(3, f"Passage {number}")
        lead = text_html(before) + (" " if before[-1:].isspace() else "")
        tail = (" " if after[:1].isspace() else "") + text_html(after)
        sentence = f"{lead}<mark>{text_html(quote)}</mark>{tail}".strip()
        passage_p = _paragraph([sentence], passage.anchor, "passage")
        page.html("<blockquote>\n", *passage_p, "\n</blockquote>")
        page.html(*_paragraph([_label("Cited by:")]))
        items: list[Part] = []
        for claim in view.cited_by.get(passage.anchor, ()):
            line = reading.line(claim, Place.CITED_BY)
            items += ["<li>", *claim_html(line, path), "</li>\n"]
        if items:
            page.html("<ul>\n", *items, "</ul>", depth=1)
    return page.text()


def render_sources_index(reading: Reading) -> str:
    sources = reading.sources
    path = "sources/index.md"
    page = _Page(path)
    page.heading(1, "Sources")
    page.html(*_paragraph([_label(plural(len(sources), "archived article"))]))
    items = ["<ul>\n"]
    for view in sorted(sources.values(), key=lambda v: v.source.title.lower()):
        source = view.source
        publisher = text_html(source.publisher) if source.publisher else "publisher not recorded"
        published = source.published.words() if source.published else "date not recorded"
        target = href(path, source_page(source.source_id))
        items.append(
            f'<li><a href="{target}">{text_html(source.title)}</a> — {publisher}, {published} · '
            f"cited by {plural(view.claim_count, 'claim')}</li>\n"
        )
    if len(items) > 1:
        page.html(*items, "</ul>")
    return page.text()


def render_home(reading: Reading) -> str:
    briefing = reading.briefing
    path = "index.md"
    page = _Page(path)
    page.heading(1, briefing.title)
    by = f"As of {briefing.as_of.words()} · Prepared by {text_html(briefing.prepared_by)}"
    page.html(*_paragraph([_label(by)]))
    page.markdown(*changes_link(reading.changes, ""))
    page.heading(2, "Topics")
    items = ["<ul>\n"]
    for view in reading.topics:
        topic = view.topic
        extra = reading.status_counts(topic)
        detail = f" ({', '.join(extra)})" if extra else ""
        target = href(path, topic_page(topic.slug))
        items.append(
            f'<li><a href="{target}">{text_html(topic.title)}</a> — '
            f"{len(topic.claims)} claims{detail}</li>\n"
        )
    if len(items) > 1:
        page.html(*items, "</ul>")
    page.heading(2, "About")
    # Markdown links: MkDocs checks them, and the hand-written pages may be missing.
    page.markdown(
        f"- [Timeline of dated claims](timeline.md) · [About this briefing](about.md) · "
        f"[How it is made](method.md) · "
        f"[All {len(briefing.sources)} sources](sources/index.md)"
    )
    return page.text()


TIMELINE_PAGE = "timeline.md"


def year_heading_id(year: int) -> str:
    # An underscore cannot occur in a claim id, so this never collides with a claim's anchor.
    return f"year_{year}"


def render_timeline(reading: Reading) -> str:
    """The page `timeline/`: a figure, then the claims by year, footnoted."""
    view = reading.timeline
    page = _Page(TIMELINE_PAGE)
    page.heading(1, "Timeline")
    page.html(*_paragraph([_label(view.counts)]))
    if not view.entries:
        page.html(*_paragraph([_label("No claim in this briefing is dated yet.")]))
        return page.text()
    page.markdown(
        '<figure class="timeline-figure" tabindex="0">',
        timeline_svg(list(view.entries)),
        f'<figcaption class="briefing-label">{html_escape(TIMELINE_FIGURE_NOTE)}</figcaption>',
        "</figure>",
    )
    page.html(*_paragraph([_label(TIMELINE_ORDER_NOTE)]))
    for year, entries in view.years():
        page.heading(2, str(year), year_heading_id(year))
        for entry in entries:
            claim = entry.claim
            line = reading.line(claim, Place.TIMELINE, view.notes)
            number = f'<span class="briefing-label timeline-number">{entry.number}</span> '
            topic = (
                f' <span class="briefing-label timeline-topic">'
                f"{inline_html(entry.topic.title)}</span>"
            )
            classes = f"timeline-entry claim-{claim.status}"
            parts = [number, *claim_html(line, TIMELINE_PAGE), topic]
            page.html(*_paragraph(parts, claim.claim_id, classes))
    return page.text(view.notes)


def _before(update: Update, changes: Changes) -> str:
    """The old side of an update: the claim as it read, all in a label."""
    before = update.before
    details = []
    if "status" in update.fields:
        details.append(before.status.capitalize())
    if "date" in update.fields and before.date is not None:
        details.append(before.date.words())
    lead = f"Before, on {changes.since.words()}"
    if "topic" in update.fields:
        details.append(f"in {text_html(update.before_topic_title)}")
    if details:
        lead += f" ({', '.join(details)})"
    return (
        f'<span class="briefing-label">{lead}: '
        f'<span class="change-old">“{inline_html(before.text)}”</span></span>'
    )


def render_changes(reading: Reading, view: ChangesView) -> str:
    """The page `changes/`: what changed since the last edition, by topic."""
    changes, notes = view.changes, view.notes
    page = _Page(CHANGES_PAGE)
    page.heading(1, changes.title, "changes_top")
    summary = (
        f'{text_html(view.summary)}. <a href="../{FEED}">Follow the editions in a feed reader</a>.'
    )
    page.html(*_paragraph([_label(summary)], classes="changes-summary"))
    if not view.groups:
        page.html(*_paragraph([_label("No claim changed.")]))
    for group in view.groups:
        page.heading(2, group.title, f"topic_{group.slug}")
        for claim in group.new:
            line = reading.line(claim, Place.CHANGE, notes)
            label = _label(f"New since {changes.since.words()}") + " "
            page.html(
                *_paragraph([label, *claim_html(line, CHANGES_PAGE)], classes="change change-new")
            )
        for update in group.updated:
            line = reading.line(update.claim, Place.CHANGE, notes)
            label = _label(text_html("Updated: " + update.words())) + " "
            page.html(
                '<div class="change-update">\n',
                *_paragraph([_before(update, changes)], classes="change-before"),
                "\n",
                *_paragraph([label, *claim_html(line, CHANGES_PAGE)], classes="change-after"),
                "\n</div>",
                depth=1,
            )
        for item in group.withdrawn:
            words = text_html(withdrawn_words(changes))
            old = f"“<del>{inline_html(item.claim.text)}</del>”"
            if item.topic_gone:
                gone = [_label(f"{words} {old} Its topic is gone too.")]
                classes = "change change-withdrawn"
                page.html(*_paragraph(gone, item.claim.claim_id, classes))
            else:
                target = href(CHANGES_PAGE, topic_page(group.slug), item.claim.claim_id)
                link = f'<a href="{target}">{words}</a>'
                page.html(*_paragraph([_label(f"{link} {old}")], classes="change change-withdrawn"))
    earlier = changes.history[1:]
    if earlier:
        page.heading(2, "Earlier editions", "earlier_editions")
        for tally in earlier:
            label = _label(f"Edition of {tally.as_of.words()}: {tally.words()}.")
            page.html(*_paragraph([label], edition_anchor(tally.as_of), "edition"))
    return page.text(notes)


Made = tuple[tuple[object, ...], Callable[[], str]]
"""A page: the model records it is made from, and how to make it."""


def page_makers(reading: Reading) -> dict[str, Made]:
    """Every generated page by its path under `docs/`: what it is made from and its maker.

    What a page is made from: the briefing's own fields (title, date, topic order), and
    the records whose content it shows, including what decides how a claim is shown (the
    sources it cites, its topic's title). A preview that keeps the records of unchanged
    files (:class:`generator.model.FileMemo`) makes again only the pages whose inputs
    compare unequal; unchanged records compare by identity, so that is quick.

    The first input is the page's own record: a topic page's topic, a source page's
    source, and for the pages of the whole briefing (home, indexes, timeline, changes)
    the briefing's own fields.
    """
    briefing = reading.briefing
    header = (
        briefing.title,
        briefing.as_of,
        briefing.prepared_by,
        tuple(ref.claim_id for ref in briefing.topic_order),
        reading.changes,  # labels and links on every page, from the editions
    )
    everything: tuple[object, ...] = (
        header,
        *briefing.topics,
        *(briefing.sources[k] for k in sorted(briefing.sources)),
    )

    def shown(claims: Iterable[Claim], own: object = None) -> tuple[object, ...]:
        """The claims a page shows (unless of its `own` topic), their topics' titles and
        every source they cite: all that decides how each claim is shown."""
        inputs: dict[tuple[str, str], object] = {}
        for claim in claims:
            if own is None or claim.topic_slug != own:
                inputs["claim", claim.claim_id] = claim
                inputs["topic", claim.topic_slug] = reading.topic_titles[claim.topic_slug]
            for citation in claim.cites:
                inputs["source", citation.source_id] = briefing.sources[citation.source_id]
        return (header, *inputs.values())

    pages: dict[str, Made] = {
        "index.md": (everything, lambda: render_home(reading)),
        "sources/index.md": (everything, lambda: render_sources_index(reading)),
        TIMELINE_PAGE: (everything, lambda: render_timeline(reading)),
    }
    if reading.changes is not None:

        def changes_page() -> str:
            view = reading.changes_view
            assert view is not None  # there are changes
            return render_changes(reading, view)

        pages[CHANGES_PAGE] = (everything, changes_page)
    for topic in briefing.topics:
        # A page's view is made only if the page is: a preview save makes few of them.
        pages[f"topics/{topic.slug}.md"] = (
            (topic, *shown(reading.reading_order(topic), own=topic.slug)),
            lambda slug=topic.slug: render_topic(reading, reading.topic(slug)),  # type: ignore[misc]
        )
    for source_id, source_view in reading.sources.items():
        cited_by = [c for claims in source_view.cited_by.values() for c in claims]
        pages[f"sources/{source_id}.md"] = (
            (source_view.source, *shown(cited_by)),
            lambda source_view=source_view: render_source(reading, source_view),  # type: ignore[misc]
        )
    return pages


def render_pages(reading: Reading) -> dict[str, str]:
    """Every generated page, keyed by its path under `docs/`."""
    return {path: make() for path, (_, make) in page_makers(reading).items()}
