"""What changed since the last edition: the briefing compared with an edition, claim by claim.

:func:`compare` takes the briefing and its recorded editions (:mod:`generator.editions`)
and returns a :class:`Changes`, or None when no edition is older than the briefing's
`as_of` (then no output shows anything of this). Claims are matched by id:

- **new**: in the briefing, not in the edition;
- **updated**: in both, with another text, status, date, disputes, citations (by
  source and quote, typography aside) or topic; :class:`Update` says which, with the
  claim as it was;
- **withdrawn**: in the edition, gone now; :class:`Withdrawn` keeps its last text and
  topic, and where its note goes on the topic page: after the nearest claim that
  preceded it in its section and is still there; else at the top of a section of the
  same heading; else after the nearest claim before it that is still there; else at
  the top of the page's first section.

Pure: no I/O. The fixed words and markup every output shares are here too, built
from the generator's own words and the editor's old text escaped as HTML, so that
:mod:`generator.render`, :mod:`generator.opendata` and the PDF say the same.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from generator.dates import FuzzyDate
from generator.editions import Edition
from generator.fields import EMPHASIS
from generator.model import Briefing, Claim, Topic
from generator.textmatch import normalise

Field = Literal["text", "status", "date", "disputes", "citations", "topic"]
FIELDS: tuple[Field, ...] = ("text", "status", "date", "disputes", "citations", "topic")
PAGE = "changes.md"
FEED = "feed.xml"
"""The Atom feed of the editions, at the site's root."""


@dataclass(frozen=True)
class Update:
    """A claim in both: as it is (`claim`), as it was (`before`), and what differs."""

    claim: Claim
    before: Claim
    fields: tuple[Field, ...]
    before_topic_title: str

    def words(self) -> str:
        """What changed, in words: "status was Reported; reworded"."""
        before, claim = self.before, self.claim
        out = []
        for name in self.fields:
            if name == "text":
                out.append("reworded")
            elif name == "status":
                out.append(f"status was {before.status.capitalize()}")
            elif name == "date":
                out.append(
                    "date added"
                    if before.date is None
                    else f"date was {before.date.words()}"
                    if claim.date is not None
                    else f"date {before.date.words()} removed"
                )
            elif name == "disputes":
                out.append("disputes changed" if before.disputed_by else "now disputed")
            elif name == "citations":
                old, new = _citations(before), _citations(claim)
                added, removed = len(new - old), len(old - new)
                parts = [f"{_count(added, 'citation')} added"] if added else []
                parts += [f"{_count(removed, 'citation')} removed"] if removed else []
                out.append(", ".join(parts))
            else:  # no editor text here: the label goes into Markdown unescaped
                out.append("moved from another topic")
        return "; ".join(out)


@dataclass(frozen=True)
class Withdrawn:
    """A claim of the edition that is gone now, as it last read."""

    claim: Claim
    topic_title: str
    topic_gone: bool
    """The whole topic is gone: its page no longer exists, so the changes page holds the anchor."""
    after: str | None
    """On its topic page, the note follows this claim; None: it opens section `section`."""
    section: int = 0
    """With no `after`: the index of the section of the topic page whose top it goes to."""


@dataclass(frozen=True)
class Tally:
    """One edition's changes, counted: what the feed and the list of editions show."""

    as_of: FuzzyDate
    since: FuzzyDate | None
    """The edition before it; None for the first one recorded."""
    new: int
    updated: int
    withdrawn: int
    claims: int
    topics: int

    def words(self) -> str:
        if self.since is None:
            return (
                f"the first recorded edition, with {_count(self.claims, 'claim')} "
                f"in {_count(self.topics, 'topic')}"
            )
        if not (self.new or self.updated or self.withdrawn):
            return f"no claim changed since {self.since.words()}"
        return f"{counts(self.new, self.updated, self.withdrawn)} since {self.since.words()}"


@dataclass(frozen=True)
class Changes:
    """The briefing against the latest edition older than its `as_of`."""

    as_of: FuzzyDate
    since: FuzzyDate
    new: tuple[Claim, ...]
    updated: tuple[Update, ...]
    withdrawn: tuple[Withdrawn, ...]
    history: tuple[Tally, ...]
    """This briefing first, then every earlier edition, newest first."""

    @property
    def title(self) -> str:
        return f"What changed since {self.since.words()}"

    @property
    def summary(self) -> str:
        return counts(len(self.new), len(self.updated), len(self.withdrawn))

    def new_ids(self) -> set[str]:
        return {claim.claim_id for claim in self.new}

    def update_of(self, claim_id: str) -> Update | None:
        return next((u for u in self.updated if u.claim.claim_id == claim_id), None)


def counts(new: int, updated: int, withdrawn: int) -> str:
    return f"{new} new, {updated} updated, {withdrawn} withdrawn"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _citations(claim: Claim) -> set[tuple[str, str]]:
    return {(c.source_id, normalise(c.quote)) for c in claim.cites}


def changed_fields(before: Claim, claim: Claim) -> tuple[Field, ...]:
    """Which of :data:`FIELDS` differ between two versions of a claim."""
    differ = {
        "text": before.text != claim.text,
        "status": before.status != claim.status,
        "date": (before.date.text if before.date else None)
        != (claim.date.text if claim.date else None),
        "disputes": sorted(r.claim_id for r in before.disputed_by)
        != sorted(r.claim_id for r in claim.disputed_by),
        "citations": _citations(before) != _citations(claim),
        "topic": before.topic_slug != claim.topic_slug,
    }
    return tuple(name for name in FIELDS if differ[name])


def _diff(
    old_topics: Sequence[Topic], topics: Sequence[Topic]
) -> tuple[list[Claim], list[Update], list[Withdrawn]]:
    old_titles = {t.slug: t.title for t in old_topics}
    old = {c.claim_id: c for t in old_topics for c in t.claims}
    now = {c.claim_id: c for t in topics for c in t.claims}
    new: list[Claim] = []
    updated: list[Update] = []
    for topic in topics:
        for claim in topic.claims:
            before = old.get(claim.claim_id)
            if before is None:
                new.append(claim)
                continue
            fields = changed_fields(before, claim)
            if fields:
                updated.append(Update(claim, before, fields, old_titles[before.topic_slug]))
    current = {t.slug: t for t in topics}
    withdrawn: list[Withdrawn] = []
    for old_topic in old_topics:
        still = current.get(old_topic.slug)
        if still is None:
            withdrawn += [Withdrawn(c, old_topic.title, True, None) for c in old_topic.claims]
            continue
        withdrawn += _withdrawn_from(old_topic, still, now)
    return new, updated, withdrawn


def _withdrawn_from(old_topic: Topic, topic: Topic, now: dict[str, Claim]) -> list[Withdrawn]:
    """The claims withdrawn from a topic that is still there, each placed at its old spot."""
    here = {c.claim_id for c in topic.claims}
    headings: dict[str, int] = {}
    for index, section in enumerate(topic.sections):
        headings.setdefault(section.heading, index)
    out = []
    before_in_topic: str | None = None
    for old_section in old_topic.sections:
        before_in_section: str | None = None
        for claim in old_section.claims:
            if claim.claim_id in now:
                if claim.claim_id in here:
                    before_in_section = before_in_topic = claim.claim_id
                continue
            if before_in_section is not None:
                place: tuple[str | None, int] = (before_in_section, 0)
            elif old_section.heading in headings:
                place = (None, headings[old_section.heading])
            else:
                place = (before_in_topic, 0)
            out.append(Withdrawn(claim, old_topic.title, False, *place))
    return out


def _tally(as_of: FuzzyDate, since: Edition | None, topics: Sequence[Topic]) -> Tally:
    claims = sum(len(t.claims) for t in topics)
    if since is None:
        return Tally(as_of, None, 0, 0, 0, claims, len(topics))
    new, updated, withdrawn = _diff(since.topics, topics)
    return Tally(as_of, since.as_of, len(new), len(updated), len(withdrawn), claims, len(topics))


def compare(briefing: Briefing, editions: Iterable[Edition]) -> Changes | None:
    """The briefing against the latest edition older than its `as_of`; None if there is none.

    An edition of the same day or later is not compared with (the briefing as it stands
    is that day's edition); `editions` may come in any order.
    """
    day = briefing.as_of.sort_key[0]
    earlier = sorted(
        (e for e in editions if e.as_of.sort_key[0] < day), key=lambda e: e.as_of.sort_key
    )
    if not earlier:
        return None
    last = earlier[-1]
    new, updated, withdrawn = _diff(last.topics, briefing.topics)
    history = [_tally(briefing.as_of, last, briefing.topics)]
    for index in range(len(earlier) - 1, -1, -1):
        edition = earlier[index]
        history.append(_tally(edition.as_of, earlier[index - 1] if index else None, edition.topics))
    return Changes(
        briefing.as_of, last.as_of, tuple(new), tuple(updated), tuple(withdrawn), tuple(history)
    )


def edition_anchor(as_of: FuzzyDate) -> str:
    # An underscore cannot occur in a claim id: no clash with a withdrawn claim's anchor.
    return f"edition_{as_of.text}"


# --- what every output shows --------------------------------------------------------


def label_words(changes: Changes | None, claim: Claim) -> str | None:
    """The label of a new or updated claim: "New since 21 November 2026", "Updated: ..."."""
    if changes is None:
        return None
    if claim.claim_id in changes.new_ids():
        return f"New since {changes.since.words()}"
    update = changes.update_of(claim.claim_id)
    return None if update is None else f"Updated: {update.words()}"


def text_html(text: str) -> str:
    """Editor text as literal HTML, `*emphasis*` as <em>: for raw HTML blocks, which
    Markdown leaves alone."""
    out, last = [], 0
    for match in EMPHASIS.finditer(text):
        out.append(html.escape(text[last : match.start()]))
        out.append(f"<em>{html.escape(match.group(1))}</em>")
        last = match.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def withdrawn_words(changes: Changes) -> str:
    return f"Withdrawn on {changes.as_of.words()}: no longer part of this briefing. It read:"


def withdrawn_note(changes: Changes, item: Withdrawn) -> str:
    """The note at a withdrawn claim's old place, anchored by its id: the generator's
    label around the claim's last words, quoted and struck through; no footnote."""
    return (
        f'<p class="claim-withdrawn" id="{item.claim.claim_id}">'
        f'<span class="briefing-label">{html.escape(withdrawn_words(changes))} '
        f"“<del>{text_html(item.claim.text)}</del>”</span></p>"
    )


def withdrawn_notes(
    changes: Changes | None, topic_slug: str, after: str | None = None, section: int = 0
) -> list[str]:
    """Markdown lines, each note a raw HTML block: the claims withdrawn from `topic_slug`
    that go after claim `after`, or (without `after`) at the top of section `section`."""
    if changes is None:
        return []
    lines = []
    for item in changes.withdrawn:
        if item.claim.topic_slug != topic_slug or item.topic_gone or item.after != after:
            continue
        if after is not None or item.section == section:
            lines += [withdrawn_note(changes, item), ""]
    return lines


def changes_link(changes: Changes | None, prefix: str) -> list[str]:
    """Markdown lines: a link to the changes page, from a page `prefix` away from the root."""
    if changes is None:
        return []
    return [
        f'<span class="briefing-label changes-link">[{changes.title}: {changes.summary}]'
        f"({prefix}{PAGE})</span>",
        "",
    ]


# --- as data (claims.json) ------------------------------------------------------------


def claim_change(changes: Changes | None, claim: Claim) -> dict[str, Any] | None:
    """A claim's change for claims.json: new or updated, since which edition, what it was."""
    if changes is None:
        return None
    since = changes.since.text
    if claim.claim_id in changes.new_ids():
        return {"kind": "new", "since": since, "fields": [], "was": {}}
    update = changes.update_of(claim.claim_id)
    if update is None:
        return None
    before = update.before
    was: dict[str, Any] = {
        "text": before.text,
        "status": before.status,
        "date": before.date.text if before.date else None,
        "disputes": [r.claim_id for r in before.disputed_by],
        "citations": [{"source": c.source_id, "quote": c.quote} for c in before.cites],
        "topic": before.topic_slug,
    }
    fields = list(update.fields)
    return {
        "kind": "updated",
        "since": since,
        "fields": fields,
        "was": {name: was[name] for name in fields},
    }


def changes_data(changes: Changes | None) -> dict[str, Any] | None:
    """The briefing's changes for claims.json: since which edition, and the withdrawn claims."""
    if changes is None:
        return None
    return {
        "since": changes.since.text,
        "new": len(changes.new),
        "updated": len(changes.updated),
        "withdrawn": [
            {
                "id": item.claim.claim_id,
                "topic": item.claim.topic_slug,
                "topic_title": item.topic_title,
                "text": item.claim.text,
                "status": item.claim.status,
                "url": (
                    f"changes/#{item.claim.claim_id}"
                    if item.topic_gone
                    else f"topics/{item.claim.topic_slug}/#{item.claim.claim_id}"
                ),
            }
            for item in changes.withdrawn
        ],
    }
