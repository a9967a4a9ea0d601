"""How a claim stands: how many independent articles support it, whose reporting an
article relays, and which claims dispute it. Pure functions of the checked model,
shared by the web pages, the timeline and the PDF so that all three say the same.

Independence. Each article cited by a claim counts once, however many of its
passages the claim quotes. Two articles are *not* independent for a claim when, for
that claim, both pass on the same outlet's reporting: a citation passes on an
outlet's reporting when its `via` names an outlet that its article lists under
`relays` (two articles that both relay The Wall Street Journal are one report, not
two). Articles linked that way, directly or through a chain, count as one. A `via`
that names anyone else (officials, experts, an institute) does not make articles
dependent: the briefing cannot tell whether two articles heard the same officials.
So the count is an upper bound on what the articles show and never counts an
outlet's report twice.

Support for what the claim says. An article counts towards the plain count ("2
independent articles") only where its quotes back the claim's figures and names, as
:mod:`generator.wording` reads them: each figure in the quote's sentence, each name
there too. Where some independent articles back only part of the claim, the label
says how many back the rest and names it: "2 articles, 1 for 1971" (two articles
support the claim, one of them gives 1971), "3 articles, 2 independent, 1 for 2015
and Africa". A name at the start of a claim's sentence is not weighed (see
:func:`generator.wording.names`).

Disputes are symmetric: when a claim names another in `disputed_by`, both are shown
as disputing each other, whichever of the two an editor wrote it on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from generator.check import Checked
from generator.model import Citation, Claim, Source, Topic
from generator.textmatch import normalise
from generator.wording import Evidence, figures, names


def _outlet_pattern(outlet: str) -> re.Pattern[str]:
    """An outlet's name as a whole phrase, with or without a leading "The"."""
    name = re.sub(r"^the\s+", "", " ".join(outlet.split()), flags=re.I)
    words = r"\s+".join(re.escape(w) for w in name.split(" "))
    return re.compile(rf"(?<!\w){words}(?!\w)", re.I)


_WORD_BEFORE = re.compile(r"(\w+)\W*$")


def names_outlet(text: str, outlet: str) -> bool:
    """True when `text` names `outlet` (case and a leading "The" aside).

    A match that continues a longer capitalised name does not count: "The Times" is
    not named by "The New York Times".
    """
    for match in _outlet_pattern(outlet).finditer(text):
        before = _WORD_BEFORE.search(text[: match.start()])
        if before is None or not before.group(1)[0].isupper() or before.group(1) == "The":
            return True
    return False


def relayed_outlets(source: Source, citation: Citation) -> list[str]:
    """The outlets whose reporting this citation passes on: those of the article's
    `relays` that the citation's `via` names, in the order `relays` lists them."""
    if not citation.via:
        return []
    return [outlet for outlet in source.relays if names_outlet(citation.via, outlet)]


@dataclass(frozen=True)
class Support:
    """What stands behind one claim."""

    articles: int
    """Distinct articles cited."""
    independent: int
    """Articles left when those passing on the same outlet's reporting count once."""
    relayed: tuple[str, ...]
    """Outlets whose reporting a citation passes on, in citation order, each once."""
    all_relayed: bool
    """Every citation passes on some outlet's reporting."""
    partial: tuple[str, ...] = ()
    """The claim's figures and names that some independent articles do not back, as
    written in the claim; empty when every one backs all of them."""
    backing: int = 0
    """Of the independent articles, how many back every figure and name in `partial`."""

    def label(self) -> str:
        """The generator's fixed wording, such as "2 independent articles" or
        "2 articles, 1 for 1971"."""
        if self.articles == 1:
            return "1 article"
        if self.partial:
            what = _join(list(self.partial))
            backing = str(self.backing) if self.backing else "none"
            if self.independent == self.articles:
                return f"{self.articles} articles, {backing} for {what}"
            return f"{self.articles} articles, {self.independent} independent, {backing} for {what}"
        if self.independent == self.articles:
            return f"{self.articles} independent articles"
        return f"{self.articles} articles, {self.independent} independent"


def claim_support(checked: Checked, claim: Claim) -> Support:
    sources = checked.briefing.sources
    articles: list[str] = []
    # Union-find over articles: two are joined when they relay the same outlet here.
    parent: dict[str, str] = {}
    by_outlet: dict[str, str] = {}
    relayed: list[str] = []
    all_relayed = bool(claim.cites)

    def find(article: str) -> str:
        while parent[article] != article:
            parent[article] = parent[parent[article]]
            article = parent[article]
        return article

    for citation in claim.cites:
        source = sources[citation.source_id]
        if source.source_id not in parent:
            parent[source.source_id] = source.source_id
            articles.append(source.source_id)
        outlets = relayed_outlets(source, citation)
        all_relayed = all_relayed and bool(outlets)
        for outlet in outlets:
            if outlet not in relayed:
                relayed.append(outlet)
            key = _outlet_pattern(outlet).pattern.lower()
            other = by_outlet.setdefault(key, source.source_id)
            parent[find(source.source_id)] = find(other)
    groups: dict[str, list[Evidence]] = {}
    for citation in claim.cites:
        passage = checked.passages.get(citation_key(citation))
        if passage is not None:
            groups.setdefault(find(citation.source_id), []).append(
                checked.sentence_evidence(passage)
            )
    independent = len({find(a) for a in articles})
    partial, backing = _partial(claim, list(groups.values()))
    return Support(len(articles), independent, tuple(relayed), all_relayed, partial, backing)


def citation_key(citation: Citation) -> tuple[str, str]:
    return (citation.source_id, normalise(citation.quote))


def _partial(claim: Claim, groups: list[list[Evidence]]) -> tuple[tuple[str, ...], int]:
    """The claim's figures and names that not every independent group of articles
    backs, and how many groups back all of those."""
    if len(groups) < 2:
        return (), 0
    # (as written in the claim, is it a figure, what to look for)
    terms = [(f.shown, True, f.value) for f in figures(claim.text)]
    terms += [(name, False, name) for name in names(claim.text)]

    def backs(group: list[Evidence], figure: bool, value: str) -> bool:
        return any(e.has_figure(value) if figure else e.has_name(value) for e in group)

    partial = [t for t in terms if not all(backs(g, t[1], t[2]) for g in groups)]
    backing = sum(all(backs(g, t[1], t[2]) for t in partial) for g in groups)
    return tuple(t[0] for t in partial), backing


def _join(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@dataclass(frozen=True)
class Attribution:
    """The generator's wording that credits relayed reporting the claim text leaves out.

    `before` is shown in front of the claim text when every citation passes on that
    reporting ("The Wall Street Journal reported:"); `after` follows the claim when
    only some do ("also reported by The Wall Street Journal, as relayed"). Both are
    built from `relays` and `via` alone: they never add words to an editor's claim.
    """

    before: str | None = None
    after: str | None = None


def attribution(checked: Checked, claim: Claim, support: Support | None = None) -> Attribution:
    """How to credit relayed reporting that the claim text does not already name."""
    support = support or claim_support(checked, claim)
    unnamed = [o for o in support.relayed if not names_outlet(claim.text, o)]
    if not unnamed:
        return Attribution()
    outlets = _join(unnamed)
    if support.all_relayed:
        return Attribution(before=f"{outlets[:1].upper()}{outlets[1:]} reported:")
    return Attribution(after=f"also reported by {outlets}, as relayed")


def single_article_notice(
    checked: Checked, topic: Topic, supports: Sequence[Support] | None = None
) -> str | None:
    """The fixed notice for a topic in which no claim has a second, independent article.

    `supports` are the topic's claims' supports, in order, where already computed.
    """
    claims = topic.claims
    if supports is None:
        supports = [claim_support(checked, c) for c in claims]
    if not claims or any(s.independent > 1 for s in supports):
        return None
    articles = {c.source_id for claim in claims for c in claim.cites}
    if len(articles) == 1:
        return "Every claim on this page rests on a single article, and the same article for all of them."
    return "Every claim on this page rests on a single article: none is confirmed by a second, independent one."


def named_by(checked: Checked) -> dict[str, list[Claim]]:
    """For each claim id, the claims whose `disputed_by` names it, in briefing order."""
    index: dict[str, list[Claim]] = {}
    for other in checked.claims.values():
        for named in other.disputed_by:
            index.setdefault(named.claim_id, []).append(other)
    return index


def dispute_partners(
    checked: Checked, claim: Claim, naming: dict[str, list[Claim]] | None = None
) -> list[Claim]:
    """The claims that dispute `claim`, in either direction: its own `disputed_by`
    first, then the claims that name it, in briefing order. `naming` is
    :func:`named_by` of the briefing, where already computed."""
    claims = checked.claims
    if naming is None:
        naming = named_by(checked)
    partners = [claims[ref.claim_id] for ref in claim.disputed_by if ref.claim_id in claims]
    for other in naming.get(claim.claim_id, []):
        if other not in partners and other is not claim:
            partners.append(other)
    return partners


def dispute_pairs(
    topic: Topic, partners: Callable[[Claim], Sequence[Claim]]
) -> list[tuple[Claim, Claim]]:
    """Each disagreement involving a claim of `topic`, once per pair, in page order;
    the first of a pair is the one the page shows first."""
    pairs: list[tuple[Claim, Claim]] = []
    seen: set[frozenset[str]] = set()
    for claim in topic.claims:
        for other in partners(claim):
            key = frozenset((claim.claim_id, other.claim_id))
            if key not in seen:
                seen.add(key)
                pairs.append((claim, other))
    return pairs
