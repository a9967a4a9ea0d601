"""Render stage: the checked model to Markdown strings. Pure: no I/O, no clock.

Every piece of editor text passes through :func:`inline` (claim text, which may hold
`*emphasis*`) or :func:`escape` (everything else), so HTML, Markdown links, footnote
syntax and attribute lists written by an editor are shown literally, never interpreted.

Footnote numbers come from :func:`topic_footnotes`, which walks a topic page in
reading order; any other renderer (the PDF) walks the same order and gets the same
numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator import fragments
from generator.changes import change_label, changes_link, withdrawn_notes
from generator.check import Checked, Passage, passage_anchor
from generator.fields import EMPHASIS
from generator.jsonld import topic_jsonld
from generator.model import Briefing, Citation, Claim, Source, Topic
from generator.support import (
    attribution,
    claim_support,
    dispute_pairs,
    dispute_partners,
    single_article_notice,
)

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
_EMPHASIS = EMPHASIS
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
    for match in _EMPHASIS.finditer(text):
        parts.append(_escape_run(text[last : match.start()]))
        parts.append(f"*{_escape_run(match.group(1))}*")
        last = match.end()
    parts.append(_escape_run(text[last:]))
    return _escape_line_start("".join(parts))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def quoted(text: str) -> str:
    """A passage in typographic double quotes, marked so readers' tools can find it."""
    return f'<span class="fn-quote">“{escape(text)}”</span>'


# --- reading order and footnotes ---------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    """One footnote of a page: one (source, quote) pair, numbered in reading order."""

    number: int
    source: Source
    passage: Passage
    citation: Citation


def reading_order(checked: Checked, topic: Topic) -> Iterator[Claim]:
    """Every claim as a reader meets it on the topic page, repeats included.

    The closing "Where the sources disagree" section repeats only claims met before.
    """
    claims = checked.claims
    for ref in topic.key_points:
        yield claims[ref.claim_id]
    for claim in topic.claims:
        yield claim
        yield from dispute_partners(checked, claim)


def footnotes_for(checked: Checked, claims: Iterable[Claim]) -> dict[tuple[str, str], Footnote]:
    """Footnotes keyed by (source_id, passage anchor), numbered in the order `claims` cite them."""
    notes: dict[tuple[str, str], Footnote] = {}
    for claim in claims:
        for citation in claim.cites:
            passage = checked.passage(citation)
            if passage.key not in notes:
                source = checked.briefing.sources[citation.source_id]
                notes[passage.key] = Footnote(len(notes) + 1, source, passage, citation)
    return notes


def topic_footnotes(checked: Checked, topic: Topic) -> dict[tuple[str, str], Footnote]:
    """Footnotes of a topic page keyed by (source_id, passage anchor), in reading order."""
    return footnotes_for(checked, reading_order(checked, topic))


def markers(claim: Claim, notes: dict[tuple[str, str], Footnote], checked: Checked) -> str:
    numbers = [notes[checked.passage(citation).key].number for citation in claim.cites]
    return FN_SEPARATOR.join(f"[^{n}]" for n in numbers)


# --- text fragments ------------------------------------------------------------------

# Built in generator.fragments; named here too, where the pages use it.
text_fragment = fragments.text_fragment


def passage_url(url: str, raw: str, passage: Passage) -> str:
    """The original article's URL with the text directive that selects the passage.

    A URL may carry a fragment of its own: the directive then follows it within the
    same fragment (`#top:~:text=...`), as a second `#` would make it part of the name.
    """
    fragment = text_fragment(raw, passage)
    return url + fragment.removeprefix("#") if "#" in url else url + fragment


def source_passage_text(checked: Checked, passage: Passage) -> str:
    raw = checked.briefing.sources[passage.source_id].text
    return " ".join(raw[passage.span.start : passage.span.end].split())


# --- pages ---------------------------------------------------------------------------


def _label(text: str) -> str:
    """A fixed label of the generator's own, marked so tests can tell it from claims."""
    return f'<span class="briefing-label">{text}</span>'


def _status(claim: Claim) -> str:
    if claim.status == "reported":
        return ""
    return f'<span class="claim-status claim-status-{claim.status}">{claim.status.capitalize()}</span> '


def _support(checked: Checked, claim: Claim) -> str:
    """After a claim's markers: how many independent articles support it, and any
    relayed reporting the claim text does not name."""
    words = claim_support(checked, claim).label()
    after = attribution(checked, claim).after
    if after:
        words += f" · {escape(after)}"
    return f' <span class="briefing-label claim-support">{words}</span>'


def _credit(checked: Checked, claim: Claim) -> str:
    """Before a claim's text: the outlet it relays, when every citation relays it and
    the text does not say so ("The Wall Street Journal reported:")."""
    before = attribution(checked, claim).before
    return f"{_label(escape(before))} " if before else ""


def _lead(checked: Checked, claim: Claim, with_date: bool = False) -> str:
    """What precedes a claim's text wherever it is shown: status, date, credit."""
    return f"{_status(claim)}{_date(claim) if with_date else ''}{_credit(checked, claim)}"


def _date(claim: Claim) -> str:
    if claim.date is None:
        return ""
    return f'<span class="claim-date">{claim.date.words()}</span> '


def _claim_link(claim: Claim, from_topic: str) -> str:
    target = (
        f"#{claim.claim_id}"
        if claim.topic_slug == from_topic
        else f"{claim.topic_slug}.md#{claim.claim_id}"
    )
    return f"[{inline(claim.text)}]({target})"


def footnote_body(checked: Checked, note: Footnote, sources_prefix: str) -> str:
    source = note.source
    parts = [quoted(source_passage_text(checked, note.passage))]
    if note.citation.via:
        parts.append(f"Attributed to {escape(note.citation.via)}.")
    publisher = escape(source.publisher) if source.publisher else "publisher not recorded"
    published = source.published.words() if source.published else "date not recorded"
    parts.append(f"— *{escape(source.title)}*, {publisher}, {published}.")
    parts.append(
        f"[Passage in the archived text]({sources_prefix}{source.source_id}.md#{note.passage.anchor})"
    )
    if source.url:
        url = passage_url(source.url, source.text, note.passage)
        parts.append(f"· [Original article](<{url}>)")
    return " ".join(parts)


def topic_counts(checked: Checked, topic: Topic) -> str:
    """The generator's count line for a topic: claims, articles, disputed, unconfirmed, as-of."""
    sources = {c.source_id for claim in topic.claims for c in claim.cites}
    counts = [plural(len(topic.claims), "claim"), plural(len(sources), "article")]
    for status in ("disputed", "unconfirmed"):
        count = sum(1 for c in topic.claims if c.status == status)
        if count:
            counts.append(f"{count} {status}")
    counts.append(f"as of {checked.briefing.as_of.words()}")
    return " · ".join(counts)


def render_topic(checked: Checked, topic: Topic) -> str:
    claims = checked.claims
    notes = topic_footnotes(checked, topic)
    lines = [f"# {escape(topic.title)}", "", _label(topic_counts(checked, topic)), ""]
    lines += changes_link(checked.changes, "../")  # editions (issue 15)
    notice = single_article_notice(checked, topic)
    if notice:
        lines += [_label(notice), "{ .briefing-notice }", ""]

    if topic.key_points:
        lines += ["## Key points", ""]
        for ref in topic.key_points:
            claim = claims[ref.claim_id]
            lines.append(
                f"- {_lead(checked, claim)}{_claim_link(claim, topic.slug)}{markers(claim, notes, checked)}"
            )
        lines.append("")

    for index, section in enumerate(topic.sections):
        lines += [f"## {escape(section.heading)}", ""]
        lines += withdrawn_notes(checked.changes, topic.slug, section=index)  # issue 15
        for claim in section.claims:
            classes = f".claim .claim-{claim.status}"
            lines.append(
                f"{change_label(checked.changes, claim)}"  # editions (issue 15)
                f"{_lead(checked, claim, with_date=True)}{inline(claim.text)}"
                f"{markers(claim, notes, checked)}{_support(checked, claim)}"
            )
            lines.append(f"{{ #{claim.claim_id} {classes} }}")
            lines.append("")
            for other in dispute_partners(checked, claim):
                lines.append(
                    f"{_label('Sources disagree:')} {_lead(checked, other)}{_claim_link(other, topic.slug)}"
                    f"{markers(other, notes, checked)}"
                )
                lines.append("{ .claim-dispute }")
                lines.append("")
            lines += withdrawn_notes(checked.changes, topic.slug, claim.claim_id)  # issue 15

    lines += _disagreements(checked, topic, notes)
    lines += [topic_jsonld(checked, topic), ""]
    for note in notes.values():
        lines.append(f"[^{note.number}]: {footnote_body(checked, note, '../sources/')}")
    return "\n".join(lines).rstrip() + "\n"


def _disagreements(
    checked: Checked, topic: Topic, notes: dict[tuple[str, str], Footnote]
) -> list[str]:
    """ "Where the sources disagree": each pair once, side by side, with the page's footnotes.

    A grid of two paragraphs per pair (`md_in_html`), so each side keeps its footnote
    markers; the stylesheet stacks the sides on a narrow screen.
    """
    pairs = dispute_pairs(checked, topic)
    if not pairs:
        return []
    titles = {t.slug: t.title for t in checked.briefing.topics}
    lines = ["## Where the sources disagree", ""]
    for first, second in pairs:
        lines += ['<div class="disagreement" markdown>', ""]
        for claim in (first, second):
            elsewhere = (
                f" {_label('Topic: ' + escape(titles[claim.topic_slug]))}"
                if claim.topic_slug != topic.slug
                else ""
            )
            lines.append(
                f"{_lead(checked, claim, with_date=True)}{_claim_link(claim, topic.slug)}"
                f"{markers(claim, notes, checked)}"
                f"{_support(checked, claim)}{elsewhere}"
            )
            lines += ["{ .disagreement-side }", ""]
        lines += ["</div>", ""]
    return lines


def citing_claims(briefing: Briefing) -> dict[tuple[str, str], list[Claim]]:
    """For each quoted passage (source_id, anchor), the claims that cite it, in briefing order."""
    cited: dict[tuple[str, str], list[Claim]] = {}
    for claim in briefing.claims():
        for citation in claim.cites:
            cited.setdefault((citation.source_id, passage_anchor(citation.quote)), []).append(claim)
    return cited


def render_source(
    checked: Checked, source: Source, cited: dict[tuple[str, str], list[Claim]]
) -> str:
    briefing = checked.briefing
    titles = {t.slug: t.title for t in briefing.topics}
    passages = sorted(
        (p for p in checked.passages.values() if p.source_id == source.source_id),
        key=lambda p: (p.span.start, p.span.end),
    )

    def row(label: str, value: str) -> str:
        return f"- {_label(label + ':')} {value}"

    lines = [f"# {escape(source.title)}", ""]
    lines.append(row("Publisher", escape(source.publisher) if source.publisher else "not recorded"))
    lines.append(row("Published", source.published.words() if source.published else "not recorded"))
    lines.append(row("Archived", source.accessed.words()))
    lines.append(row("Original", f"<{source.url}>" if source.url else "not recorded"))
    if source.archive_url:
        lines.append(row("Archived copy", f"<{source.archive_url}>"))
    if source.relays:
        lines.append(row("Relays reporting by", ", ".join(escape(r) for r in source.relays)))
    lines += ["", "## Quoted passages", ""]
    if not passages:
        lines += [_label("No passage of this article is quoted."), ""]
    for number, passage in enumerate(passages, 1):
        raw = source.text
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
        for claim in cited.get((source.source_id, passage.anchor), []):
            link = f"[{inline(claim.text)}](../topics/{claim.topic_slug}.md#{claim.claim_id})"
            lines.append(f"- {_lead(checked, claim)}{link} — {escape(titles[claim.topic_slug])}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_sources_index(checked: Checked, cited: dict[tuple[str, str], list[Claim]]) -> str:
    lines = ["# Sources", "", _label(plural(len(checked.briefing.sources), "archived article")), ""]
    for source in sorted(checked.briefing.sources.values(), key=lambda s: s.title.lower()):
        claim_ids = {
            c.claim_id
            for (sid, _), claims in cited.items()
            if sid == source.source_id
            for c in claims
        }
        publisher = escape(source.publisher) if source.publisher else "publisher not recorded"
        published = source.published.words() if source.published else "date not recorded"
        lines.append(
            f"- [{escape(source.title)}]({source.source_id}.md) — {publisher}, {published} · "
            f"cited by {plural(len(claim_ids), 'claim')}"
        )
    return "\n".join(lines) + "\n"


def render_home(checked: Checked) -> str:
    briefing = checked.briefing
    lines = [
        f"# {escape(briefing.title)}",
        "",
        _label(f"As of {briefing.as_of.words()} · Prepared by {escape(briefing.prepared_by)}"),
        "",
        *changes_link(checked.changes, ""),  # editions (issue 15)
        "## Topics",
        "",
    ]
    for topic in briefing.topics:
        extra = []
        for status in ("disputed", "unconfirmed"):
            count = sum(1 for c in topic.claims if c.status == status)
            if count:
                extra.append(f"{count} {status}")
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


def render_pages(checked: Checked) -> dict[str, str]:
    """Every generated page, keyed by its path under `docs/`."""
    cited = citing_claims(checked.briefing)
    pages = {
        "index.md": render_home(checked),
        "sources/index.md": render_sources_index(checked, cited),
    }
    for topic in checked.briefing.topics:
        pages[f"topics/{topic.slug}.md"] = render_topic(checked, topic)
    for source in checked.briefing.sources.values():
        pages[f"sources/{source.source_id}.md"] = render_source(checked, source, cited)
    return pages
