"""Check stage: every rule that spans files, all errors reported in one run.

The result, :class:`Checked`, carries what rendering needs from checking: where each
quote stands in its archived text.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generator.diagnostics import Diagnostic, Pos, Report
from generator.editions import Edition, load_editions
from generator.model import (
    Briefing,
    Citation,
    Claim,
    FileMemo,
    Source,
    id_like,
    is_id,
    load_briefing,
)
from generator.textmatch import NormalisedText, Span, normalise
from generator.wording import Evidence, Quoted, Wording, check_wording

if TYPE_CHECKING:  # compared only when a page asks (`Checked.changes`): checking needs none of it
    from generator.changes import Changes


class Passage:
    """A quoted passage located in its source's archived text.

    Read-only. Checking needs only to know that a quote is there; where it stands
    (`span`, `sentence`), its `anchor` and how often it occurs are for the pages, so a
    passage that `_locate` found works them out when they are first read, once.
    """

    __slots__ = ("_source_id", "_quote", "_occurrences", "_span", "_sentence", "_anchor", "_found")

    def __init__(
        self,
        source_id: str,
        quote: str,
        span: Span | None,
        sentence: Span | None,
        anchor: str | None,
        occurrences: int | None,
        found: tuple[NormalisedText, int, str] | None = None,
    ) -> None:
        # `found` (the text, the normalised offset of the first occurrence and the
        # normalised quote) stands in for the four it can give; without it, give all four.
        assert found is not None or (
            span is not None and sentence is not None and anchor and occurrences is not None
        )
        self._source_id = source_id
        self._quote = quote
        self._occurrences = occurrences
        self._span = span
        self._sentence = sentence
        self._anchor = anchor
        self._found = found

    @property
    def source_id(self) -> str:
        return self._source_id

    @property
    def quote(self) -> str:
        return self._quote

    @property
    def occurrences(self) -> int:
        occurrences = self._occurrences
        if occurrences is None:
            assert self._found is not None
            text, _, needle = self._found
            occurrences = self._occurrences = len(text.offsets(needle))
        return occurrences

    @property
    def span(self) -> Span:
        span = self._span
        if span is None:
            assert self._found is not None
            text, at, needle = self._found
            span = self._span = text.to_raw(at, at + len(needle))
        return span

    @property
    def sentence(self) -> Span:
        sentence = self._sentence
        if sentence is None:
            assert self._found is not None
            sentence = self._sentence = self._found[0].sentence_around(self.span)
        return sentence

    @property
    def anchor(self) -> str:
        anchor = self._anchor
        if anchor is None:
            assert self._found is not None
            anchor = self._anchor = passage_anchor(self._quote, self._found[2])
        return anchor

    @property
    def key(self) -> tuple[str, str]:
        """One footnote per (source, quote) on a page: this is that pair."""
        return (self.source_id, self.anchor)

    def _fields(self) -> tuple[str, str, Span, Span, str, int]:
        return (self.source_id, self.quote, self.span, self.sentence, self.anchor, self.occurrences)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Passage:
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        names = ("source_id", "quote", "span", "sentence", "anchor", "occurrences")
        shown = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._fields(), strict=True))
        return f"Passage({shown})"

    def __reduce__(self) -> tuple[type[Passage], tuple[str, str, Span, Span, str, int]]:
        # Sent to another process as its six values: never with the whole text.
        return (Passage, self._fields())


@dataclass
class Checked:
    """A briefing that passed the checks, with every quote located."""

    briefing: Briefing
    passages: dict[tuple[str, str], Passage] = field(default_factory=dict)
    texts: dict[str, NormalisedText] = field(default_factory=dict)
    claims: dict[str, Claim] = field(default_factory=dict)
    """Claims by id; the first wins where an id is (wrongly) used twice."""
    _evidence: dict[tuple[str, int, int], Evidence] = field(default_factory=dict, repr=False)
    """What each quoted sentence gives, by (source id, start, end) in the archived text."""
    _articles: dict[str, Evidence] = field(default_factory=dict, repr=False)
    _quotes: dict[str, Evidence] = field(default_factory=dict, repr=False)
    editions: list[Edition] = field(default_factory=list)
    """The recorded editions under briefs/editions/ (issue 15), as `run_check` read them."""
    _changes: tuple[Changes | None] | None = field(default=None, repr=False)
    """`changes` once compared, in a 1-tuple (its value may be None); None until then."""

    @property
    def changes(self) -> Changes | None:
        """What changed since the latest edition older than `as_of` (issue 15); None: no
        such edition. Compared when first read: the pages need it, checking does not."""
        if self._changes is None:
            from generator.changes import compare

            self._changes = (compare(self.briefing, self.editions),)
        return self._changes[0]

    def passage(self, citation: Citation) -> Passage:
        return self.passages[(citation.source_id, normalise(citation.quote))]

    def quote_evidence(self, needle: str) -> Evidence:
        """What a quote (normalised) gives: its hedges, for the wording rules."""
        found = self._quotes.get(needle)
        if found is None:
            found = self._quotes[needle] = Evidence(needle)
        return found

    def sentence_evidence(self, passage: Passage) -> Evidence:
        """What the sentence holding a quoted passage gives (figures, names), for the
        wording rules and the support counts alike."""
        sentence = passage.sentence
        key = (passage.source_id, sentence.start, sentence.end)
        found = self._evidence.get(key)
        if found is None:
            raw = self.briefing.sources[passage.source_id].text
            found = self._evidence[key] = Evidence(normalise(raw[sentence.start : sentence.end]))
        return found

    def article_evidence(self, source_id: str) -> Evidence:
        """What a whole cited article gives (the names it mentions)."""
        found = self._articles.get(source_id)
        if found is None:
            text = self.texts.get(source_id)
            if text is None:
                text = self.texts[source_id] = NormalisedText(self.briefing.sources[source_id].text)
            found = self._articles[source_id] = Evidence(text.norm)
        return found


def passage_anchor(quote: str, normalised: str | None = None) -> str:
    """A stable anchor for a quote on its source page: it does not move when others are added."""
    import hashlib  # here: checking alone makes no anchor

    norm = normalise(quote) if normalised is None else normalised
    return "q-" + hashlib.sha256(norm.encode()).hexdigest()[:8]


@dataclass
class Memo:
    """What a long-lived caller (the MkDocs plugin under `serve`) keeps between checks of
    one briefing, so that a save re-reads only the files it changed and verifies only
    the quotes it changed. The cross-file rules (ids, key points, disputes, citations)
    run in full every time: they are quick once quotes are located."""

    files: FileMemo = field(default_factory=FileMemo)
    texts: dict[str, NormalisedText] = field(default_factory=dict)
    """Each archived text, normalised, by its content."""
    passages: dict[tuple[str, str, str], Passage] = field(default_factory=dict)
    """Each located quote by (archived text, source id, normalised quote)."""
    wording: dict[str, tuple[tuple[object, ...], list[Diagnostic]]] = field(default_factory=dict)
    """The wording rules' diagnostics per claim id, with the records they were weighed on."""
    located: int = 0
    """How many quotes the last check had to look for in their text (the rest came from here)."""


def check_briefing(briefing: Briefing, report: Report, memo: Memo | None = None) -> Checked:
    checked = Checked(briefing)
    wording: dict[str, tuple[tuple[object, ...], list[Diagnostic]]] = {}
    if memo is not None:
        memo.located = 0
    _check_topics(briefing, report)
    claims = checked.claims = _check_claim_ids(briefing, report)
    for topic in briefing.topics:
        known_here = {c.claim_id for c in topic.claims}
        for ref in topic.key_points:
            if ref.claim_id not in known_here:
                where = claims.get(ref.claim_id)
                hint = (
                    f"{ref.claim_id!r} is a claim of topic {where.topic_slug!r}; key points name claims of their own topic"
                    if where
                    else _suggest(ref.claim_id, known_here)
                    or _one_of("claims of this topic", known_here)
                )
                report.error(
                    ref.pos, f"key point {ref.claim_id!r} is not a claim of this topic", hint
                )
    for claim in briefing.claims():
        if claim.disputed_by:
            _check_disputes(claim, claims, report)
        located = _check_citations(claim, checked, report, memo)
        _check_wording(claim, located, checked, report, memo, wording)
    if memo is not None:  # keep what this briefing still uses, no more
        kept = {s.text: memo.texts.get(s.text) for s in briefing.sources.values()}
        kept.update((briefing.sources[sid].text, t) for sid, t in checked.texts.items())
        memo.texts = {text: t for text, t in kept.items() if t is not None}
        memo.passages = {
            (checked.briefing.sources[sid].text, sid, needle): passage
            for (sid, needle), passage in checked.passages.items()
        }
        memo.wording = wording
    _check_text_hashes(briefing, report)
    used = {c.source_id for claim in briefing.claims() for c in claim.cites}
    # With a topic unreadable or in error, a citation may be the broken part: "not
    # cited" would then only echo that error (and mislead), so it waits for a fix.
    topic_errors = any(d.pos.path.startswith("briefs/topics/") for d in report.errors)
    quiet = briefing.unreadable_topics or topic_errors
    for source in [] if quiet else briefing.sources.values():
        if source.source_id not in used:
            report.warning(
                source.pos,
                f"source {source.source_id!r} is not cited by any claim",
                "cite it, or remove it",
            )
    return checked


def _check_disputes(claim: Claim, claims: dict[str, Claim], report: Report) -> None:
    for ref in claim.disputed_by:
        if ref.claim_id == claim.claim_id:
            report.error(
                ref.pos,
                "a claim cannot dispute itself",
                "name the claims that contradict this one, by their ids",
            )
        elif ref.claim_id not in claims:
            report.error(
                ref.pos,
                f"`disputed_by` names unknown claim {ref.claim_id!r}",
                _suggest(ref.claim_id, claims),
            )
    _check_mutual(claim, claims, report)


def _check_mutual(claim: Claim, claims: dict[str, Claim], report: Report) -> None:
    """A dispute is shown both ways, so both claims must say so: each disputed, each
    naming the other. Written on one side only, a page would show it one way only."""
    for ref in claim.disputed_by:
        other = claims.get(ref.claim_id)
        if other is None or other is claim or claim.status != "disputed":
            continue  # unknown, itself, or no status: reported elsewhere
        names_back = any(back.claim_id == claim.claim_id for back in other.disputed_by)
        if other.status == "disputed" and names_back:
            continue
        missing = [] if other.status == "disputed" else ["`status: disputed`"]
        if not names_back:
            missing.append(f"{claim.claim_id!r} in its `disputed_by`")
        report.error(
            ref.pos,
            f"`disputed_by` names {ref.claim_id!r}, which does not dispute {claim.claim_id!r} back",
            f"disputes are mutual: give {ref.claim_id!r} (at {other.pos}) "
            + " and ".join(missing)
            + ",\nor remove it here if the articles' words do not contradict each other",
        )


def _check_wording(
    claim: Claim,
    located: list[tuple[str, str]] | None,
    checked: Checked,
    report: Report,
    memo: Memo | None = None,
    kept: dict[str, tuple[tuple[object, ...], list[Diagnostic]]] | None = None,
) -> None:
    """The wording rules for one claim, whose citations are `located` (their keys in
    `checked.passages`; None while a quote is in error: its wording is weighed once it
    is found); with a `memo`, weighed again only when the claim or an article it cites
    changed (their records are then new)."""
    if memo is not None and kept is not None:
        sources = checked.briefing.sources
        inputs = (claim, *(sources.get(c.source_id) for c in claim.cites))
        old = memo.wording.get(claim.claim_id)
        if old is not None and old[0] == inputs:
            report.items.extend(old[1])
            kept[claim.claim_id] = old
            return
        own = Report()
        _check_wording(claim, located, checked, own)
        report.items.extend(own.items)
        kept[claim.claim_id] = (inputs, own.items)
        return
    if located is None:
        return
    passages = checked.passages
    quoted = [
        Quoted(
            citation.source_id,
            checked.quote_evidence(key[1]),
            partial(checked.sentence_evidence, passages[key]),
            citation.via,
        )
        for citation, key in zip(claim.cites, located, strict=True)
    ]
    wording = Wording(claim.text, claim.pos, claim.date, claim.status == "unconfirmed", claim.note)
    check_wording(wording, quoted, checked.article_evidence, report)


def text_sha256(text: str) -> str:
    """The SHA-256 of an archived text as stored (UTF-8): what `sha256sum` prints for the file."""
    import hashlib  # here: only a record with `text_sha256` needs it

    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_text_hashes(briefing: Briefing, report: Report) -> None:
    """Warn where an archived text no longer has the SHA-256 its record holds.

    The quotes are verified against the text on every run, so a changed text that still
    holds every quote passes the other rules; this catches it, so that someone re-reads
    the quotes against the original article. A record without the field is not reported:
    a new source has none until `briefing archive` is run.
    """
    for source in briefing.sources.values():
        if source.text_sha256 is None or source.text_sha256_pos is None:
            continue
        actual = text_sha256(source.text)
        if actual != source.text_sha256:
            report.warning(
                source.text_sha256_pos,
                f"briefs/sources/{source.source_id}.txt changed since it was archived "
                f"(its SHA-256 is now {actual[:12]}…, the record holds {source.text_sha256[:12]}…)",
                "re-check every quote from this source against the original article,\n"
                "then run `briefing archive` to record the text as it is now",
            )


def _suggest(value: str, known: Iterable[str]) -> str | None:
    import difflib  # here, as in every hint: only a broken brief needs one

    known = list(known)
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
    if not close and id_like(value) in known:
        close = [id_like(value)]
    return f"did you mean {close[0]!r}?" if close else None


def _one_of(what: str, known: Iterable[str], limit: int = 8) -> str | None:
    names = sorted(known)
    if not names:
        return None
    shown = ", ".join(names[:limit]) + (
        f" and {len(names) - limit} more" if len(names) > limit else ""
    )
    return f"{what}: {shown}"


def _check_topics(briefing: Briefing, report: Report) -> None:
    files = {t.slug: t for t in briefing.topics}
    listed: set[str] = set()
    for ref in briefing.topic_order:
        if ref.claim_id in listed:
            report.error(ref.pos, f"topic {ref.claim_id!r} is listed twice", "remove one of them")
        elif ref.claim_id in briefing.unreadable_topics:
            pass  # its file is broken, and reported as such
        elif not is_id(ref.claim_id):
            report.error(
                ref.pos,
                f"{ref.claim_id!r} is not a topic: topics are named by their slug, not a path",
                _suggest(ref.claim_id, files) or _one_of("the topics are", files),
            )
        elif ref.claim_id not in files:
            report.error(
                ref.pos,
                f"topic {ref.claim_id!r} has no file briefs/topics/{ref.claim_id}.yml",
                _suggest(ref.claim_id, files) or "create the file, or remove it from `topics`",
            )
        listed.add(ref.claim_id)
    for slug, topic in files.items():
        if slug not in listed:
            report.warning(
                topic.pos,
                f"topic {slug!r} is not listed in briefs/briefing.yml `topics`, so it is not published",
            )
    order = {ref.claim_id: i for i, ref in enumerate(briefing.topic_order)}
    briefing.topics = sorted(
        (t for t in briefing.topics if t.slug in order), key=lambda t: order[t.slug]
    )


def _check_claim_ids(briefing: Briefing, report: Report) -> dict[str, Claim]:
    first: dict[str, Claim] = {}
    for claim in briefing.claims():
        if claim.claim_id in first:
            other = first[claim.claim_id]
            report.error(
                claim.pos,
                f"duplicate claim id {claim.claim_id!r} (first used at {other.pos})",
                "claim ids are unique across the whole briefing: they are its anchors",
            )
        else:
            first[claim.claim_id] = claim
    return first


def _check_citations(
    claim: Claim, checked: Checked, report: Report, memo: Memo | None
) -> list[tuple[str, str]] | None:
    """Verify the claim's citations: the key in `checked.passages` of each, in order,
    or None when any is in error."""
    sources = checked.briefing.sources
    seen: set[tuple[str, str]] = set()
    located: list[tuple[str, str]] | None = []
    for citation in claim.cites:
        source = sources.get(citation.source_id)
        if source is None:
            located = None
        if source is None and citation.source_id in checked.briefing.unreadable_sources:
            continue
        if source is None and not is_id(citation.source_id):
            report.error(
                citation.source_pos,
                f"{citation.source_id!r} is not a source id",
                (_suggest(citation.source_id, sources) or _one_of("sources are", sources) or "")
                + "\na source is named by its file name in briefs/sources/, without `.yml`",
            )
            continue
        if source is None:
            known = ", ".join(sorted(sources)) or "(no sources yet)"
            report.error(
                citation.source_pos,
                f"unknown source {citation.source_id!r}",
                _suggest(citation.source_id, sources)
                or f"add briefs/sources/{citation.source_id}.yml and its .txt, or cite one of: {known}",
            )
            continue
        key = (citation.source_id, normalise(citation.quote))
        if key in seen:
            report.error(
                citation.pos, "the same quote is cited twice in this claim", "remove one of them"
            )
            if located is not None:  # the first time, it was located
                located.append(key)
            continue
        seen.add(key)
        passage = checked.passages.get(key)
        if passage is None and memo is not None:
            passage = memo.passages.get((source.text, *key))
        if passage is None:
            passage = _locate(source, citation, key[1], checked, report, memo)
        if passage is not None:
            checked.passages[key] = passage
            if located is not None:
                located.append(key)
        else:
            located = None
    return located


def _locate(
    source: Source,
    citation: Citation,
    needle: str,
    checked: Checked,
    report: Report,
    memo: Memo | None = None,
) -> Passage | None:
    text = checked.texts.get(source.source_id)
    if text is None:
        text = memo.texts.get(source.text) if memo is not None else None
        if text is None:
            text = NormalisedText(source.text)
        checked.texts[source.source_id] = text
    if memo is not None:
        memo.located += 1
    at = text.first_offset(needle)
    inside = None if at is not None else text.inside_words(citation.quote, needle)
    if inside is not None:
        report.error(
            citation.quote_pos,
            f"quote starts or ends inside a word of briefs/sources/{source.source_id}.txt",
            f"the article has “{inside}”: a quote starts and ends at whole words,\n"
            "so quote the whole word, or end the quote before it",
        )
        return None
    if at is None:
        closest = text.closest(citation.quote)
        hint = (
            "\n".join(
                [f"closest passage in the article: “{closest}”", *_wording(citation.quote, closest)]
            )
            if closest
            else "no similar passage found"
        )
        report.error(
            citation.quote_pos,
            f"quote not found in briefs/sources/{source.source_id}.txt",
            hint + "\nquotes must be verbatim (typographic quotes, dashes and spacing may differ)",
        )
        return None
    return Passage(source.source_id, citation.quote, None, None, None, None, (text, at, needle))


def _wording(quote: str, passage: str, limit: int = 3) -> list[str]:
    """Where a quote's words differ from the closest passage: what the editor must fix."""
    article, quoted = normalise(passage).split(), normalise(quote).split()
    import difflib

    opcodes = difflib.SequenceMatcher(None, article, quoted, autojunk=False).get_opcodes()
    # Article words before the quote's first word or after its last are context, not a difference.
    while opcodes and opcodes[0][0] == "delete":
        opcodes.pop(0)
    while opcodes and opcodes[-1][0] == "delete":
        opcodes.pop()
    lines = []
    for tag, a1, a2, q1, q2 in opcodes:
        said, wrote = " ".join(article[a1:a2]), " ".join(quoted[q1:q2])
        if tag == "replace":
            lines.append(f"the article has “{said}” where the quote has “{wrote}”")
        elif tag == "delete":
            lines.append(f"the article has “{said}” where the quote leaves it out")
        elif tag == "insert":
            lines.append(f"the quote adds “{wrote}”, which the article does not have there")
    if len(lines) > limit:
        lines = [*lines[:limit], f"and {len(lines) - limit} more difference(s)"]
    return lines


def run_check(root: Path, report: Report, memo: Memo | None = None) -> Checked | None:
    """Load and check the project at `root`; None when it could not be loaded at all.

    With a `memo` (kept from the last check of the same project), unchanged files are
    not read again and unchanged quotes not looked for again.
    """
    # The cyclic garbage collector would walk the growing tree of nodes again and again
    # while nothing here makes cycles: paused, checking a large briefing takes a third less.
    paused = gc.isenabled()
    gc.disable()
    try:
        briefing = load_briefing(root, report, memo.files if memo is not None else None)
        if briefing is None:
            return None
        checked = check_briefing(briefing, report, memo)
        checked.editions = load_editions(root, report)
        return checked
    finally:
        if paused:
            # Resumed as it is, the collector would first walk every object made here
            # (a tenth of the run): they join the oldest generation without that walk.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


__all__ = ["Checked", "Memo", "Passage", "Pos", "check_briefing", "passage_anchor", "run_check"]
