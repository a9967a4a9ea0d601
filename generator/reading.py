"""Reading model: what every output shows, computed once per checked briefing.

The Markdown pages, the print HTML of the PDFs, the timeline page and figure,
`claims.json` and the JSON-LD all read a :class:`Reading`; none of them recomputes
reading order, footnote numbers, support counts, attributions or disputes. How a
claim is shown in each place it appears (a key point, a claim under its section, the
other side of a dispute, the timeline, a source page's "Cited by") is decided here,
by :meth:`Reading.line`: a renderer only spells the pieces it is given in its own
format. A new way of showing a claim is added in this one module.

Format-neutral: plain text and editor text (with `*emphasis*`), never Markdown or HTML.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from itertools import groupby

from generator.changes import Changes, Update, Withdrawn, label_words
from generator.check import Checked, Passage
from generator.dates import FuzzyDate
from generator.fragments import passage_url
from generator.model import Citation, Claim, Source, Topic
from generator.support import (
    Attribution,
    Support,
    attribution,
    claim_support,
    dispute_pairs,
    dispute_partners,
    named_by,
    single_article_notice,
)

DISAGREE = "Where the sources disagree"
"""The heading of a topic's closing section that sets disputed claims side by side."""
TIMELINE_ORDER_NOTE = (
    "In order of the first day each date allows: a claim dated to a year or a month comes "
    "before the claims dated within it, a range is placed at its start, and “about” does not "
    "move a date."
)
TIMELINE_FIGURE_NOTE = (
    "Each row is the claim of the same number below. A dot is a known day; a bar is the month, "
    "year or range a claim is dated to, dashed when the date is approximate. The axis is broken "
    "where more than two years pass with no dated claim."
)


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


# --- footnotes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    """One footnote of a page: one (source, quote) pair, numbered in reading order."""

    number: int
    source: Source
    passage: Passage
    citation: Citation
    """The first citation of this passage on the page: its `via` is the attribution shown."""
    quote: str
    """The passage as it stands in the archived text, white space collapsed."""
    original_url: str | None
    """The article's URL with a text fragment selecting the passage, when a URL is known."""

    @property
    def publisher(self) -> str:
        return self.source.publisher or "publisher not recorded"

    @property
    def published(self) -> str:
        return self.source.published.words() if self.source.published else "date not recorded"


@dataclass(frozen=True)
class Notes:
    """The footnotes of one page, keyed by (source_id, passage anchor), in number order."""

    by_key: dict[tuple[str, str], Footnote]
    numbers_of: dict[str, tuple[int, ...]]
    """Each claim's footnote numbers on this page, in the order it cites."""

    def numbers(self, claim: Claim) -> tuple[int, ...]:
        return self.numbers_of[claim.claim_id]

    def __iter__(self) -> Iterator[Footnote]:
        return iter(self.by_key.values())

    def __len__(self) -> int:
        return len(self.by_key)


# --- how a claim is shown ------------------------------------------------------------


class Place(Enum):
    """Where a claim is shown; each place shows its own pieces (see `Reading.line`)."""

    KEY_POINT = "key point"
    CLAIM = "claim"
    """Under its section heading, anchored: the claim's home."""
    DISPUTE = "dispute"
    """Under a claim it disputes ("Sources disagree: …")."""
    SIDE = "side"
    """One side of a pair in "Where the sources disagree"."""
    TIMELINE = "timeline"
    CHANGE = "change"
    """On the changes page, as new or updated since the last edition."""
    CITED_BY = "cited by"
    """Under a quoted passage on a source page."""


_SHOWS: dict[Place, tuple[bool, bool, bool, bool, bool]] = {
    # place: (date, support, footnote markers, link to the claim's anchor, editor's note)
    Place.KEY_POINT: (False, False, True, True, False),
    Place.CLAIM: (True, True, True, False, True),
    Place.DISPUTE: (False, False, True, True, False),
    Place.SIDE: (True, True, True, True, True),
    Place.TIMELINE: (True, False, True, True, True),
    Place.CITED_BY: (False, False, False, True, False),
    Place.CHANGE: (True, False, True, True, False),
}


@dataclass(frozen=True)
class Line:
    """A claim as shown in one place: the pieces in the order a reader meets them.

    Empty pieces are None. `text` is the editor's claim text (plain, `*emphasis*` at
    most); every other piece is the generator's own fixed wording.
    """

    claim: Claim
    place: Place
    status: str | None
    """"Disputed" or "Unconfirmed"; nothing for a reported claim."""
    date: str | None
    credit: str | None
    """Relayed reporting credited before the text ("The Wall Street Journal reported:")."""
    text: str
    footnotes: tuple[int, ...]
    support: str | None
    """After the markers: "2 independent articles · also reported by …"."""
    link: bool
    """Whether the text links to the claim's anchor on its topic page."""
    topic: str | None
    """The claim's topic title, where it is shown away from its own topic."""
    note: str | None
    """The editor's note (why an inference is kept), where the claim is shown in full."""
    change: str | None
    """"New since 21 November 2026", "Updated: status was Reported": under its section,
    when the briefing is compared with an earlier edition."""


@dataclass(frozen=True)
class ClaimFacts:
    """What stands behind one claim, computed once for the whole briefing."""

    claim: Claim
    support: Support
    attribution: Attribution
    disputes: tuple[Claim, ...]
    """The claims that dispute this one, in either direction."""

    @property
    def support_words(self) -> str:
        words = self.support.label()
        if self.attribution.after:
            words += f" · {self.attribution.after}"
        return words


# --- pages ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TopicView:
    """A topic page as every output shows it."""

    topic: Topic
    counts: str
    notice: str | None
    key_points: tuple[Claim, ...]
    notes: Notes
    disagreements: tuple[tuple[Claim, Claim], ...]
    """Each disputed pair involving a claim of this topic, once, in page order."""

    @property
    def slug(self) -> str:
        return self.topic.slug


@dataclass(frozen=True)
class Entry:
    """One dated claim on the timeline; `number` is its row in the figure."""

    number: int
    claim: Claim
    topic: Topic

    @property
    def date(self) -> FuzzyDate:
        assert self.claim.date is not None
        return self.claim.date


@dataclass(frozen=True)
class TimelineView:
    entries: tuple[Entry, ...]
    notes: Notes
    counts: str

    def years(self) -> list[tuple[int, list[Entry]]]:
        return [
            (year, list(group))
            for year, group in groupby(self.entries, key=lambda e: e.date.start.year)
        ]


def sort_key(when: FuzzyDate) -> tuple[int, int]:
    """First possible day, then the longer period first: a claim dated "2024" comes
    before one dated "March 2024". A range sorts by its start; "about" does not move a date."""
    first = when.start.first.toordinal()
    last = (when.end or when.start).last.toordinal()
    return (first, -last)


def timeline_entries(checked: Checked) -> list[Entry]:
    """Every dated claim of the published topics, in timeline order, numbered from 1.

    Claims with the same date keep the briefing's order (topic order, then page order).
    """
    dated = [
        (claim, topic)
        for topic in checked.briefing.topics
        for claim in topic.claims
        if claim.date is not None
    ]
    dated.sort(key=lambda pair: sort_key(pair[0].date))  # type: ignore[arg-type]
    return [Entry(n, claim, topic) for n, (claim, topic) in enumerate(dated, 1)]


@dataclass(frozen=True)
class SourceView:
    """A source page: its quoted passages in text order, each with the claims citing it."""

    source: Source
    passages: tuple[Passage, ...]
    cited_by: dict[str, tuple[Claim, ...]]
    """Claims citing each passage, by passage anchor, in briefing order."""

    @property
    def claim_count(self) -> int:
        return len({c.claim_id for claims in self.cited_by.values() for c in claims})


@dataclass(frozen=True)
class ChangeGroup:
    """What changed in one topic (or in a topic that is gone), in page order."""

    slug: str
    title: str
    new: tuple[Claim, ...]
    updated: tuple[Update, ...]
    withdrawn: tuple[Withdrawn, ...]


@dataclass(frozen=True)
class ChangesView:
    """The changes page and the PDF's "What changed" part: groups by topic in briefing
    order, then topics that are gone; footnotes numbered in this page's own order."""

    changes: Changes
    groups: tuple[ChangeGroup, ...]
    notes: Notes
    summary: str


class Reading:
    """Everything the outputs show of one checked briefing, computed once."""

    def __init__(self, checked: Checked) -> None:
        self.checked = checked
        self.briefing = checked.briefing
        briefing = checked.briefing
        self.changes: Changes | None = checked.changes
        """What changed since the latest edition older than `as_of`; None without one."""
        self.topic_titles = {t.slug: t.title for t in briefing.topics}
        self._urls: dict[tuple[str, str], str | None] = {}
        self._facts: dict[str, ClaimFacts] = {}
        self._partners: dict[str, tuple[Claim, ...]] = {}
        self._topics: dict[str, TopicView] = {}

    # Each part is computed when first asked for, then kept: a whole build asks for all
    # of them, a preview save only for what the pages it makes again show.

    @cached_property
    def _naming(self) -> dict[str, list[Claim]]:
        return named_by(self.checked)

    @cached_property
    def topics(self) -> list[TopicView]:
        """Every topic page, in briefing order."""
        return [self.topic(topic.slug) for topic in self.briefing.topics]

    def topic(self, slug: str) -> TopicView:
        view = self._topics.get(slug)
        if view is None:
            topic = next(t for t in self.briefing.topics if t.slug == slug)
            view = self._topics[slug] = self._topic(topic)
        return view

    @cached_property
    def timeline(self) -> TimelineView:
        entries = timeline_entries(self.checked)
        return TimelineView(
            tuple(entries),
            self._notes(e.claim for e in entries),
            f"{plural(len(entries), 'dated claim')} from "
            f"{plural(len({e.topic.slug for e in entries}), 'topic')}, in date order · "
            f"as of {self.briefing.as_of.words()}",
        )

    @cached_property
    def changes_view(self) -> ChangesView | None:
        return None if self.changes is None else self._changes(self.changes)

    @cached_property
    def sources(self) -> dict[str, SourceView]:
        """Every source page, by source id."""
        checked, briefing = self.checked, self.briefing
        cited: dict[tuple[str, str], list[Claim]] = {}
        for claim in briefing.claims():
            for citation in claim.cites:
                cited.setdefault(checked.passage(citation).key, []).append(claim)
        by_source: dict[str, list[Passage]] = {}
        for passage in checked.passages.values():
            by_source.setdefault(passage.source_id, []).append(passage)
        return {
            source_id: SourceView(
                source,
                tuple(
                    sorted(by_source.get(source_id, []), key=lambda p: (p.span.start, p.span.end))
                ),
                {p.anchor: tuple(cited.get(p.key, ())) for p in by_source.get(source_id, [])},
            )
            for source_id, source in sorted(briefing.sources.items())
        }

    def facts(self, claim: Claim) -> ClaimFacts:
        """What is shown with `claim` wherever it appears: support, credit, disputes."""
        facts = self._facts.get(claim.claim_id)
        if facts is None:
            support = claim_support(self.checked, claim)
            facts = self._facts[claim.claim_id] = ClaimFacts(
                claim,
                support,
                attribution(self.checked, claim, support),
                self.disputes(claim),
            )
        return facts

    # -- claims

    def line(self, claim: Claim, place: Place, notes: Notes | None = None, here: str = "") -> Line:
        """How `claim` is shown at `place`, with the footnote numbers of the page `notes`
        and, where it sits on another topic's page than `here`, its topic's title."""
        with_date, with_support, with_notes, link, with_note = _SHOWS[place]
        facts = self.facts(claim)
        status = None if claim.status == "reported" else claim.status.capitalize()
        away = place is Place.SIDE and claim.topic_slug != here
        return Line(
            claim=claim,
            place=place,
            status=status,
            date=claim.date.words() if with_date and claim.date is not None else None,
            credit=facts.attribution.before,
            text=claim.text,
            footnotes=notes.numbers(claim) if with_notes and notes is not None else (),
            support=facts.support_words if with_support else None,
            link=link,
            topic=self.topic_titles[claim.topic_slug] if away or place is Place.CITED_BY else None,
            note=claim.note if with_note else None,
            change=label_words(self.changes, claim) if place is Place.CLAIM else None,
        )

    def disputes(self, claim: Claim) -> tuple[Claim, ...]:
        """The claims whose articles' words contradict `claim`'s, in briefing order."""
        partners = self._partners.get(claim.claim_id)
        if partners is None:
            partners = tuple(dispute_partners(self.checked, claim, self._naming))
            self._partners[claim.claim_id] = partners
        return partners

    # -- pages

    def reading_order(self, topic: Topic) -> Iterator[Claim]:
        """Every claim as a reader meets it on the topic page, repeats included.

        The closing "Where the sources disagree" section repeats only claims met before.
        """
        claims = self.checked.claims
        for ref in topic.key_points:
            yield claims[ref.claim_id]
        for claim in topic.claims:
            yield claim
            yield from self.disputes(claim)

    def _notes(self, claims: Iterable[Claim]) -> Notes:
        """Footnotes numbered in the order `claims` cite them; a (source, quote) once."""
        checked = self.checked
        by_key: dict[tuple[str, str], Footnote] = {}
        numbers_of: dict[str, tuple[int, ...]] = {}
        for claim in claims:
            numbers = []
            for citation in claim.cites:
                passage = checked.passage(citation)
                note = by_key.get(passage.key)
                if note is None:
                    source = checked.briefing.sources[citation.source_id]
                    note = Footnote(
                        len(by_key) + 1,
                        source,
                        passage,
                        citation,
                        " ".join(source.text[passage.span.start : passage.span.end].split()),
                        self._original_url(source, passage),
                    )
                    by_key[passage.key] = note
                numbers.append(note.number)
            numbers_of.setdefault(claim.claim_id, tuple(numbers))
        return Notes(by_key, numbers_of)

    def _original_url(self, source: Source, passage: Passage) -> str | None:
        if source.url is None:
            return None
        if passage.key not in self._urls:
            self._urls[passage.key] = passage_url(source.url, source.text, passage)
        return self._urls[passage.key]

    def _topic(self, topic: Topic) -> TopicView:
        claims = self.checked.claims
        sources = {c.source_id for claim in topic.claims for c in claim.cites}
        counts = [plural(len(topic.claims), "claim"), plural(len(sources), "article")]
        counts += self.status_counts(topic)
        counts.append(f"as of {self.briefing.as_of.words()}")
        return TopicView(
            topic=topic,
            counts=" · ".join(counts),
            notice=single_article_notice(
                self.checked, topic, [self.facts(c).support for c in topic.claims]
            ),
            key_points=tuple(claims[ref.claim_id] for ref in topic.key_points),
            notes=self._notes(self.reading_order(topic)),
            disagreements=tuple(dispute_pairs(topic, self.disputes)),
        )

    @staticmethod
    def status_counts(topic: Topic) -> list[str]:
        """ "2 disputed", "1 unconfirmed": the statuses other than reported, where any."""
        counts = []
        for status in ("disputed", "unconfirmed"):
            count = sum(1 for c in topic.claims if c.status == status)
            if count:
                counts.append(f"{count} {status}")
        return counts

    def _changes(self, changes: Changes) -> ChangesView:
        groups = []
        for topic in self.briefing.topics:
            new = tuple(c for c in changes.new if c.topic_slug == topic.slug)
            updated = tuple(u for u in changes.updated if u.claim.topic_slug == topic.slug)
            withdrawn = tuple(
                w
                for w in changes.withdrawn
                if w.claim.topic_slug == topic.slug and not w.topic_gone
            )
            if new or updated or withdrawn:
                groups.append(ChangeGroup(topic.slug, topic.title, new, updated, withdrawn))
        gone: dict[str, list[Withdrawn]] = {}
        for item in changes.withdrawn:
            if item.topic_gone:
                gone.setdefault(item.claim.topic_slug, []).append(item)
        for slug, items in gone.items():
            groups.append(ChangeGroup(slug, items[0].topic_title, (), (), tuple(items)))
        stated = [c for g in groups for c in [*g.new, *(u.claim for u in g.updated)]]
        summary = (
            f"The briefing as of {changes.as_of.words()} against the edition of "
            f"{changes.since.words()}: {changes.summary}"
        )
        return ChangesView(changes, tuple(groups), self._notes(stated), summary)

    def cited_sources(self, view: TopicView) -> list[Source]:
        """The articles a topic page's footnotes name, in no particular order."""
        return [self.briefing.sources[sid] for sid in {n.source.source_id for n in view.notes}]


def read(checked: Checked) -> Reading:
    """The reading model of a checked briefing."""
    return Reading(checked)
