"""Render stage: the checked model to Markdown strings. Pure: no I/O, no clock.

Every piece of editor text passes through :func:`inline` (claim text, which may hold
`*emphasis*`) or :func:`escape` (everything else), so HTML, Markdown links, footnote
syntax and attribute lists written by an editor are shown literally, never interpreted.

What a page shows comes from the reading model (:mod:`generator.reading`): footnote
numbers, support counts, attributions, disputes and which pieces of a claim show where.
This module only spells them as Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
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


def inline(text: str) -> str:
    """Claim text: plain text with `*emphasis*` at most (`**` and lone `*` stay literal)."""
    text = text.strip()
    parts: list[str] = []
    last = 0
    for match in EMPHASIS.finditer(text):
        parts.append(_escape_run(text[last : match.start()]))
        parts.append(f"*{_escape_run(match.group(1))}*")
        last = match.end()
    parts.append(_escape_run(text[last:]))
    return _escape_line_start("".join(parts))


def quoted(text: str) -> str:
    """A passage in typographic double quotes, marked so readers' tools can find it."""
    return f'<span class="fn-quote">“{escape(text)}”</span>'


def _label(text: str) -> str:
    """A fixed label of the generator's own, marked so tests can tell it from claims."""
    return f'<span class="briefing-label">{text}</span>'


def _markers(numbers: tuple[int, ...]) -> str:
    return FN_SEPARATOR.join(f"[^{n}]" for n in numbers)


def claim_markdown(line: Line, topics_prefix: str = "", here: str = "") -> str:
    """A claim as :meth:`Reading.line` decided to show it, spelt in Markdown.

    A link goes to the claim's anchor: on this page (`here` is its topic) or on its
    topic's page under `topics_prefix`.
    """
    claim = line.claim
    out = ""
    if line.change:
        kind = "new" if line.change.startswith("New") else "updated"
        out += f'<span class="briefing-label claim-change claim-change-{kind}">{escape(line.change)}</span> '
    if line.status:
        out += f'<span class="claim-status claim-status-{claim.status}">{line.status}</span> '
    if line.date:
        out += f'<span class="claim-date">{line.date}</span> '
    if line.credit:
        out += f"{_label(escape(line.credit))} "
    text = inline(line.text)
    if line.link:
        target = (
            f"#{claim.claim_id}"
            if claim.topic_slug == here
            else f"{topics_prefix}{claim.topic_slug}.md#{claim.claim_id}"
        )
        text = f"[{text}]({target})"
    out += text + _markers(line.footnotes)
    if line.support:
        out += f' <span class="briefing-label claim-support">{escape(line.support)}</span>'
    if line.note:
        out += f' <span class="claim-note">{_label(NOTE_LABEL)} {inline(line.note)}</span>'
    if line.topic and line.place is Place.CITED_BY:
        out += f" — {escape(line.topic)}"
    elif line.topic:
        out += f" {_label('Topic: ' + escape(line.topic))}"
    return out


def footnote_body(note: Footnote, sources_prefix: str) -> str:
    source = note.source
    parts = [quoted(note.quote)]
    if note.citation.via:
        parts.append(f"Attributed to {escape(note.citation.via)}.")
    parts.append(f"— *{escape(source.title)}*, {escape(note.publisher)}, {note.published}.")
    parts.append(
        f"[Passage in the archived text]({sources_prefix}{source.source_id}.md#{note.passage.anchor})"
    )
    if note.original_url:
        parts.append(f"· [Original article](<{note.original_url}>)")
    return " ".join(parts)


def _footnotes(notes: Notes, sources_prefix: str) -> list[str]:
    # A blank line between definitions gives the same HTML; without it, Python-Markdown
    # splits one block of a thousand definitions a thousand times (quadratic).
    return [f"[^{n.number}]: {footnote_body(n, sources_prefix)}\n" for n in notes]


def render_topic(reading: Reading, view: TopicView) -> str:
    topic, notes, slug = view.topic, view.notes, view.slug
    lines = [f"# {escape(topic.title)}", "", _label(view.counts), ""]
    if view.notice:
        lines += [_label(view.notice), "{ .briefing-notice }", ""]
    lines += changes_link(reading.changes, "../")

    if view.key_points:
        lines += ["## Key points", ""]
        for claim in view.key_points:
            line = reading.line(claim, Place.KEY_POINT, notes, slug)
            lines.append(f"- {claim_markdown(line, here=slug)}")
        lines.append("")

    for index, section in enumerate(topic.sections):
        lines += [f"## {escape(section.heading)}", ""]
        lines += withdrawn_notes(reading.changes, slug, section=index)
        for claim in section.claims:
            line = reading.line(claim, Place.CLAIM, notes, slug)
            lines.append(claim_markdown(line, here=slug))
            lines.append(f"{{ #{claim.claim_id} .claim .claim-{claim.status} }}")
            lines.append("")
            for other in reading.disputes(claim):
                dispute = reading.line(other, Place.DISPUTE, notes, slug)
                lines.append(f"{_label('Sources disagree:')} {claim_markdown(dispute, here=slug)}")
                lines.append("{ .claim-dispute }")
                lines.append("")
            lines += withdrawn_notes(reading.changes, slug, claim.claim_id)

    lines += _disagreements(reading, view)
    lines += [topic_jsonld(reading, topic), ""]
    lines += _footnotes(notes, "../sources/")
    return "\n".join(lines).rstrip() + "\n"


def _disagreements(reading: Reading, view: TopicView) -> list[str]:
    """ "Where the sources disagree": each pair once, side by side, with the page's footnotes.

    A grid of two paragraphs per pair (`md_in_html`), so each side keeps its footnote
    markers; the stylesheet stacks the sides on a narrow screen.
    """
    if not view.disagreements:
        return []
    lines = [f"## {DISAGREE}", ""]
    for pair in view.disagreements:
        lines += ['<div class="disagreement" markdown>', ""]
        for claim in pair:
            line = reading.line(claim, Place.SIDE, view.notes, view.slug)
            lines.append(claim_markdown(line, here=view.slug))
            lines += ["{ .disagreement-side }", ""]
        lines += ["</div>", ""]
    return lines


def render_source(reading: Reading, view: SourceView) -> str:
    source = view.source

    def row(label: str, value: str) -> str:
        return f"- {_label(label + ':')} {value}"

    lines = [f"# {escape(source.title)}", ""]
    lines.append(row("Publisher", escape(source.publisher) if source.publisher else "not recorded"))
    if source.authors:
        lines.append(row("By", ", ".join(escape(a) for a in source.authors)))
    lines.append(row("Published", source.published.words() if source.published else "not recorded"))
    lines.append(row("Archived", source.accessed.words()))
    lines.append(row("Original", f"<{source.url}>" if source.url else "not recorded"))
    if source.archive_url:
        lines.append(row("Archived copy", f"<{source.archive_url}>"))
    if source.relays:
        lines.append(row("Relays reporting by", ", ".join(escape(r) for r in source.relays)))
    lines += ["", "## Quoted passages", ""]
    if not view.passages:
        lines += [_label("No passage of this article is quoted."), ""]
    raw = source.text
    for number, passage in enumerate(view.passages, 1):
        before = raw[passage.sentence.start : passage.span.start]
        quote = raw[passage.span.start : passage.span.end]
        after = raw[passage.span.end : passage.sentence.end]
        lines.append(f"### Passage {number}")
        lines.append("")
        lead = escape(before) + (" " if before[-1:].isspace() else "")
        tail = (" " if after[:1].isspace() else "") + escape(after)
        lines.append(f"> {lead}<mark>{escape(quote)}</mark>{tail}".rstrip())
        lines.append(f"> {{ #{passage.anchor} .passage }}")
        lines.append("")
        lines.append(_label("Cited by:"))
        lines.append("")
        for claim in view.cited_by.get(passage.anchor, ()):
            line = reading.line(claim, Place.CITED_BY)
            lines.append(f"- {claim_markdown(line, topics_prefix='../topics/')}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_sources_index(reading: Reading) -> str:
    sources = reading.sources
    lines = ["# Sources", "", _label(plural(len(sources), "archived article")), ""]
    for view in sorted(sources.values(), key=lambda v: v.source.title.lower()):
        source = view.source
        publisher = escape(source.publisher) if source.publisher else "publisher not recorded"
        published = source.published.words() if source.published else "date not recorded"
        lines.append(
            f"- [{escape(source.title)}]({source.source_id}.md) — {publisher}, {published} · "
            f"cited by {plural(view.claim_count, 'claim')}"
        )
    return "\n".join(lines) + "\n"


def render_home(reading: Reading) -> str:
    briefing = reading.briefing
    lines = [
        f"# {escape(briefing.title)}",
        "",
        _label(f"As of {briefing.as_of.words()} · Prepared by {escape(briefing.prepared_by)}"),
        "",
        *changes_link(reading.changes, ""),
        "## Topics",
        "",
    ]
    for view in reading.topics:
        topic = view.topic
        extra = reading.status_counts(topic)
        detail = f" ({', '.join(extra)})" if extra else ""
        lines.append(
            f"- [{escape(topic.title)}](topics/{topic.slug}.md) — {len(topic.claims)} claims{detail}"
        )
    lines += [
        "",
        "## About",
        "",
        f"- [Timeline of dated claims](timeline.md) · [About this briefing](about.md) · "
        f"[How it is made](method.md) · "
        f"[All {len(briefing.sources)} sources](sources/index.md)",
    ]
    return "\n".join(lines) + "\n"


TIMELINE_PAGE = "timeline.md"


def year_heading_id(year: int) -> str:
    # An underscore cannot occur in a claim id, so this never collides with a claim's anchor.
    return f"year_{year}"


def render_timeline(reading: Reading) -> str:
    """The Markdown of `timeline/`: a figure, then the claims by year, footnoted."""
    view = reading.timeline
    lines = ["# Timeline", "", _label(view.counts), ""]
    if not view.entries:
        lines += [_label("No claim in this briefing is dated yet."), ""]
        return "\n".join(lines).rstrip() + "\n"
    lines += [
        '<figure class="timeline-figure" tabindex="0">',
        timeline_svg(list(view.entries)),
        f'<figcaption class="briefing-label">{html_escape(TIMELINE_FIGURE_NOTE)}</figcaption>',
        "</figure>",
        "",
        _label(TIMELINE_ORDER_NOTE),
        "",
    ]
    for year, entries in view.years():
        lines += [f"## {year} {{ #{year_heading_id(year)} }}", ""]
        for entry in entries:
            claim = entry.claim
            line = reading.line(claim, Place.TIMELINE, view.notes)
            lines.append(
                f'<span class="briefing-label timeline-number">{entry.number}</span> '
                f"{claim_markdown(line, topics_prefix='topics/')} "
                f'<span class="briefing-label timeline-topic">{inline(entry.topic.title)}</span>'
            )
            lines.append(f"{{ #{claim.claim_id} .timeline-entry .claim-{claim.status} }}")
            lines.append("")
    lines += _footnotes(view.notes, "sources/")
    return "\n".join(lines).rstrip() + "\n"


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
        details.append(f"in {escape(update.before_topic_title)}")
    if details:
        lead += f" ({', '.join(details)})"
    return (
        f'<span class="briefing-label">{lead}: '
        f'<span class="change-old">“{inline(before.text)}”</span></span>'
    )


def render_changes(reading: Reading, view: ChangesView) -> str:
    """The Markdown of `changes/`: what changed since the last edition, by topic."""
    changes, notes = view.changes, view.notes
    lines = [f"# {changes.title} {{ #changes_top }}", ""]
    lines += [
        _label(
            f'{escape(view.summary)}. <a href="../{FEED}">Follow the editions in a feed reader</a>.'
        ),
        "{ .changes-summary }",
        "",
    ]
    if not view.groups:
        lines += [_label("No claim changed."), ""]
    for group in view.groups:
        lines += [f"## {escape(group.title)} {{ #topic_{group.slug} }}", ""]
        for claim in group.new:
            line = reading.line(claim, Place.CHANGE, notes)
            lines.append(
                f"{_label(f'New since {changes.since.words()}')} "
                f"{claim_markdown(line, topics_prefix='topics/')}"
            )
            lines += ["{ .change .change-new }", ""]
        for update in group.updated:
            line = reading.line(update.claim, Place.CHANGE, notes)
            lines += ['<div class="change-update" markdown>', ""]
            lines += [_before(update, changes), "{ .change-before }", ""]
            lines.append(
                f"{_label(escape('Updated: ' + update.words()))} "
                f"{claim_markdown(line, topics_prefix='topics/')}"
            )
            lines += ["{ .change-after }", "", "</div>", ""]
        for item in group.withdrawn:
            words = escape(withdrawn_words(changes))
            old = f"“<del>{inline(item.claim.text)}</del>”"
            if item.topic_gone:
                lines.append(_label(f"{words} {old} Its topic is gone too."))
                lines += [f"{{ #{item.claim.claim_id} .change .change-withdrawn }}", ""]
            else:
                link = f"[{words}](topics/{group.slug}.md#{item.claim.claim_id})"
                lines += [_label(f"{link} {old}"), "{ .change .change-withdrawn }", ""]
    earlier = changes.history[1:]
    if earlier:
        lines += ["## Earlier editions { #earlier_editions }", ""]
        for tally in earlier:
            lines.append(_label(f"Edition of {tally.as_of.words()}: {tally.words()}."))
            lines += [f"{{ #{edition_anchor(tally.as_of)} .edition }}", ""]
    lines += _footnotes(notes, "sources/")
    return "\n".join(lines).rstrip() + "\n"


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
