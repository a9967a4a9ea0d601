"""Claim wording: a claim says no more than its quotes.

The quote check proves that every quote is in its article; these rules read the
sentence a reader actually reads, the claim, against those quotes. They are
heuristics, so they warn (errors under `--strict`), and they read the same
normalised text that quote matching uses. Pure: text in, findings out.

- **Figures and dates.** A number in the claim text (`23`, `1,000`, `40%`, the `400`
  of `S-400`), and the year, month and day of its `date`, must appear in one of its
  quotes or in the sentence that holds it (a figure may be spelled out there:
  "six" gives `6`).
- **Names.** A capitalised word in the claim text (a person, place, organisation,
  demonym, month), other than the first word of a sentence, must occur somewhere in
  the articles the claim cites ("Syria" and "Syrian" count as the same name).
- **Hedges.** A quote that doubts ("reportedly", "claim", "allegedly", "rumours",
  "seem", "suggest", "isn't exactly") needs a claim that doubts too (one of those
  words, or "may", "could", "might", "if", "possibly"...): an attribution alone
  turns "Libyan authorities claim" into "say", which drops the doubt. A quote that
  speculates or attributes ("may", "could", "might", "if", "according to") needs a
  claim that hedges, or attributes in its text ("one article argues", "says") or in
  the citation's `via`. A claim with status `unconfirmed` passes both.

An editor who keeps an inference on purpose explains it in the claim's `note:`,
which readers see. A note silences a warning only for what it names: the figure,
year, month, name or hedge word that the warning quotes. A note written for one
inference therefore does not hide a later, different one.

The same evidence decides support counts (:mod:`generator.support`): an article
backs a claim fully only where its quotes give the claim's figures and names.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from generator.dates import FuzzyDate
from generator.diagnostics import Pos, Report
from generator.fields import EMPHASIS
from generator.textmatch import normalise

# A figure: digits, with thousands separators or decimals, perhaps a percentage, and
# the letters joined to it by a hyphen as written (`S-400`), shown that way.
_FIGURE = re.compile(r"(?<![\w.,])(?:([A-Za-z]+)-)?(\d+(?:[.,]\d+)*)(?:st|nd|rd|th)?(%)?(?![\w])")
# Patterns open with what they match, not a lookbehind, so that the search skips ahead
# to a possible start instead of trying every position: many times quicker, the same finds.
_NUMBER = re.compile(r"\d(?<![\d.,]\d)\d*(?:[.,]\d+)*(?!\d)")
_NUMBER_WORDS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
_SPELLED = {word: str(value) for value, word in enumerate(_NUMBER_WORDS.split(" "))}
_SPELLED |= {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60", "seventy": "70"}
_SPELLED |= {"eighty": "80", "ninety": "90", "hundred": "100", "thousand": "1000"}

_DIGIT = re.compile(r"\d")
_LETTERS = re.compile(r"[^\W\d_]+")
# A run of ASCII letters that starts with a capital, two letters or more: in ASCII text,
# the words of `_LETTERS` that can be names.
_CAPITALISED = re.compile(r"[A-Z](?<![A-Za-z][A-Z])[A-Za-z]+")
_WORDS = re.compile(r"[^\W_]+")
# In ASCII text the words of `_WORDS` (lowercase) are what is left between the other
# characters: translating those to spaces and splitting is quicker than the pattern.
_NOT_WORD_ASCII = str.maketrans({c: " " for c in map(chr, range(128)) if not c.isalnum()})
_SENTENCE_END = ".!?:;"
_OPENERS = " \"'([“‘"

# Hedges. Doubt: the article does not vouch for it. Speculation or attribution: it is
# a possibility, a condition or someone's word. Matched on lowercase normalised text.
_DOUBT = re.compile(
    r"\b(reportedly|allegedly|alleged|alleges?|claim(?:s|ed|ing)?|rumou?r(?:s|ed)?|"
    r"seem(?:s|ed|ingly)?|suggest(?:s|ed|ing)?|purportedly|supposedly|apparently|"
    r"unconfirmed|unverified)\b|\b(?:\w+n't|not) exactly\b"
)
_SPECULATION = re.compile(r"\b(could|might|if|may|according to)\b")
# Fragments every match of `_DOUBT` or `_SPECULATION` contains: a quick test first
# (substring tests are quicker than one pattern of alternatives).
_DOUBT_STEMS = (
    "claim", "alleg", "reportedly", "rumo", "seem", "suggest", "purportedly", "supposedly",
    "apparently", "unconfirmed", "unverified", "exactly",
)  # fmt: skip
_SPECULATION_STEMS = ("could", "might", "if", "may", "according to")
_MODAL = re.compile(
    r"\b(may|could|might|if|whether|possibly|perhaps|likely|unlikely|appears?|appeared|"
    r"uncertain|unclear|believed?|believes)\b"
)
_ATTRIBUTION = re.compile(
    r"\b(according to|says?|said|saying|reports?|reported|argues?|argued|notes?|noted|"
    r"warns?|warned|believes?|believed|states?|stated|told|tells|adds|added|expects?|"
    r"calls?|called|describes?|described|sees|views?|fears?|feared|expressed|points? out|"
    r"articles?|writes?|wrote|in the words of)\b"
)

DATE_PARTS = "year, month and day"
# The month names as `calendar.month_name` gives them (which asks strftime every time).
_MONTHS = tuple(calendar.month_name)


@dataclass(frozen=True)
class Figure:
    """A number in a claim: as written (`S-400`, `40%`) and its digits (`400`, `40`)."""

    shown: str
    value: str


def _digits(number: str) -> str:
    """`1,000` and `1000` are one figure; a decimal keeps its point."""
    return number.replace(",", "")


def figures(text: str) -> list[Figure]:
    """The figures a claim text states, in order, each once."""
    return _figures(normalise(text))


def _figures(norm: str) -> list[Figure]:
    """:func:`figures` of text already normalised."""
    if _DIGIT.search(norm) is None:
        return []  # most claims: no figure can match without a digit
    found: dict[str, Figure] = {}
    for match in _FIGURE.finditer(norm):
        prefix, number, percent = match.groups()
        shown = f"{prefix + '-' if prefix else ''}{number}{percent or ''}"
        found.setdefault(shown, Figure(shown, _digits(number)))
    return list(found.values())


def names(text: str) -> list[str]:
    """The proper names a claim text uses: capitalised words not opening a sentence.

    The first word of a sentence is skipped ("Handing", "Despite" are not names); a
    name there is still checked when a capitalised word follows it ("Khalifa Haftar":
    "Haftar"). Single letters (`S` of `S-400`, "I") are not names.
    """
    return list(dict.fromkeys(word for phrase in name_phrases(text) for word in phrase))


def name_phrases(text: str) -> list[list[str]]:
    """The names of :func:`names`, grouped as written: "the Russian Defence Ministry"
    gives one phrase of three words."""
    return _name_phrases(normalise(text))


def _name_phrases(norm: str) -> list[list[str]]:
    """:func:`name_phrases` of text already normalised."""
    plain = EMPHASIS.sub(r"\1", norm) if "*" in norm else norm
    # In ASCII text a regular expression finds the capitalised words alone; elsewhere
    # every word is looked at (a capital is a Unicode property the pattern cannot name).
    capitalised: Iterable[re.Match[str]] = (
        _CAPITALISED.finditer(plain)
        if plain.isascii()
        else (m for m in _LETTERS.finditer(plain) if _is_capitalised(m.group(0)))
    )
    phrases: list[list[str]] = []
    last_end = -2
    for match in capitalised:
        word = match.group(0)
        at = match.start() - 1
        while at >= 0 and plain[at] in _OPENERS:
            at -= 1
        if at < 0 or plain[at] in _SENTENCE_END:
            continue
        if phrases and plain[last_end : match.start()] == " ":
            phrases[-1].append(word)
        else:
            phrases.append([word])
        last_end = match.end()
    return phrases


def _is_capitalised(word: str) -> bool:
    """A word that may be a name: two letters or more, the first a capital."""
    return len(word) >= 2 and word[0].isupper()


class Evidence:
    """What a stretch of normalised text (an article, a quote or the sentence that holds
    it, a claim) gives. Each part is worked out when a rule first asks, then kept."""

    __slots__ = ("norm", "_low", "_numbers", "_words", "_stems", "_doubts", "_speculates")

    def __init__(self, norm: str) -> None:
        self.norm = norm
        self._low: str | None = None
        self._numbers: frozenset[str] | None = None
        self._words: frozenset[str] | None = None
        self._stems: frozenset[str] | None = None
        self._doubts: list[str] | None = None
        self._speculates: list[str] | None = None

    @property
    def _lower(self) -> str:
        low = self._low
        if low is None:
            low = self._low = self.norm.lower()
        return low

    @property
    def numbers(self) -> frozenset[str]:
        found = self._numbers
        if found is None:
            numbers = {_digits(number) for number in _NUMBER.findall(self.norm)}
            numbers.update(_SPELLED[w] for w in self.words.intersection(_SPELLED))
            found = self._numbers = frozenset(numbers)
        return found

    @property
    def words(self) -> frozenset[str]:
        found = self._words
        if found is None:
            lower = self._lower
            found = self._words = frozenset(
                lower.translate(_NOT_WORD_ASCII).split()
                if lower.isascii()
                else _WORDS.findall(lower)
            )
        return found

    def _word_stems(self) -> frozenset[str]:
        # A word with up to three letters cut off its end, kept at four letters or more:
        # "Syrian" gives "syria", so the name "Syria" is found in "Syrian" and back.
        found = self._stems
        if found is None:
            stems = set()
            for word in self.words:
                for cut in (1, 2, 3):
                    if len(word) - cut >= 4:
                        stems.add(word[:-cut])
            found = self._stems = frozenset(stems)
        return found

    def has_figure(self, value: str) -> bool:
        return value in self.numbers

    def has_name(self, name: str) -> bool:
        # Loops, not any(...): this runs for every name and month of every claim.
        word = name.lower()
        words = self.words
        if word in words:
            return True
        size = len(word)
        if size < 4:
            return False
        # The name longer than the text's word ("Syrian" against "Syria")...
        for cut in (1, 2, 3):
            if size - cut >= 4 and word[:-cut] in words:
                return True
        # ...or shorter ("Syria" against "Syrian"): a set for an article, a scan for a sentence.
        if len(words) > 64:
            return word in self._word_stems()
        for other in words:  # noqa: SIM110 (see above)
            if len(other) - size <= 3 and other.startswith(word):
                return True
        return False

    def doubts(self) -> list[str]:
        found = self._doubts
        if found is None:
            lower = self._lower
            # most quotes hold no fragment of a doubting word: no regular expression needed
            found = self._doubts = (
                _hedges(_DOUBT, lower, self.norm) if _holds_any(lower, _DOUBT_STEMS) else []
            )
        return found

    def speculates(self) -> list[str]:
        found = self._speculates
        if found is None:
            lower = self._lower
            found = self._speculates = (
                _hedges(_SPECULATION, lower, self.norm)
                if _holds_any(lower, _SPECULATION_STEMS)
                else []
            )
        return found

    def hedges(self) -> bool:
        """The text hedges: it doubts, speculates or makes a condition."""
        return bool(self.doubts() or _MODAL.search(self._lower))

    def attributes(self) -> bool:
        return _ATTRIBUTION.search(self._lower) is not None


def _holds_any(text: str, fragments: tuple[str, ...]) -> bool:
    # A loop, not any(...): this runs for every quote, and the generator costs more.
    for fragment in fragments:  # noqa: SIM110
        if fragment in text:
            return True
    return False


def _hedges(pattern: re.Pattern[str], lower: str, text: str) -> list[str]:
    """The hedge words `pattern` finds in `lower` (`text` lowercased), each once, in order.

    "May" with a capital is the month, not the modal (a sentence that opens with the
    modal is rare in reporting; a month in the middle of one is not).
    """
    found: dict[str, None] = {}
    same = len(lower) == len(text)  # lowercasing kept every offset
    for match in pattern.finditer(lower):
        word = match.group(0)
        if word == "may" and (not same or text[match.start()] == "M"):
            continue
        found[word] = None
    return list(found)


class Quoted:
    """One citation as the rules read it.

    `sentence` is the sentence (or sentences) of the article that hold the quote; it
    may be given as a function that finds it, called only if a rule reads it (most
    claims state no figure and no date, and then none does)."""

    __slots__ = ("source_id", "quote", "via", "_sentence")

    def __init__(
        self,
        source_id: str,
        quote: Evidence,
        sentence: Evidence | Callable[[], Evidence],
        via: str | None,
    ) -> None:
        self.source_id = source_id
        self.quote = quote
        self.via = via
        self._sentence = sentence

    @property
    def sentence(self) -> Evidence:
        found = self._sentence
        if not isinstance(found, Evidence):
            found = self._sentence = found()
        return found


class Wording(NamedTuple):
    """The claim fields the rules read."""

    text: str
    pos: Pos
    date: FuzzyDate | None
    unconfirmed: bool
    note: str | None


def date_parts(date: FuzzyDate) -> list[tuple[str, str, str | None]]:
    """What a date states: (how a message names it, the word a quote or note would
    use, its digits or None for a month name)."""
    parts: list[tuple[str, str, str | None]] = []
    for point in (date.start, date.end):
        if point is None:
            continue
        if point.day is not None:
            parts.append((f"the day {point.day}", str(point.day), str(point.day)))
        if point.month is not None:
            month = _MONTHS[point.month]
            parts.append((f"the month {month}", month, None))
        parts.append((f"the year {point.year}", str(point.year), str(point.year)))
    return list(dict.fromkeys(parts))


class _Note:
    """A claim's note, as the rules ask of it: does it name one of these words?"""

    __slots__ = ("note", "_lower")

    def __init__(self, note: str | None) -> None:
        self.note = note
        self._lower: str | None = None

    def names(self, *words: str) -> bool:
        """The note names one of `words` (whole words, any case): the inference was weighed."""
        if not self.note:
            return False
        lower = self._lower
        if lower is None:
            lower = self._lower = normalise(self.note).lower()
        return any(_has_word(lower, w.lower()) for w in words)


def _has_word(text: str, word: str) -> bool:
    """`word` occurs in `text` with no word character (`\\w`) either side of it."""
    at = text.find(word)
    while at != -1:
        end = at + len(word)
        if (at == 0 or not _is_word_char(text[at - 1])) and (
            end == len(text) or not _is_word_char(text[end])
        ):
            return True
        at = text.find(word, at + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # exactly what `\w` matches in a str pattern


_NOTE_HINT = "if it is a deliberate inference, say why in the claim's `note:`, naming {what}"


def check_wording(
    claim: Wording,
    quoted: list[Quoted],
    article: Callable[[str], Evidence],
    report: Report,
) -> None:
    """Warn, at the claim, wherever its text or date says more than its quotes.

    `quoted`: the claim's citations whose quotes were found; `article`: the evidence of
    a whole cited article by source id. Each rule looks only at what the claim states:
    a claim with no figure, date or name reads no sentence and no article.
    """
    if not quoted:
        return  # its quotes are in error: the wording cannot be weighed yet
    norm = normalise(claim.text)
    note = _Note(claim.note)
    # Each test asks the note first: it is the cheaper, and a named inference needs no
    # sentence or article read at all.
    for figure in _figures(norm):
        if not note.names(figure.shown, figure.value) and not any(
            q.sentence.has_figure(figure.value) for q in quoted
        ):
            report.warning(
                claim.pos,
                f"the claim says “{figure.shown}”, which none of its quotes gives",
                "quote the passage that gives it, or leave it out;\n"
                + _NOTE_HINT.format(what=f"“{figure.shown}”"),
            )
    if claim.date is not None:
        missing = [
            (said, word)
            for said, word, digits in date_parts(claim.date)
            if not note.names(word)
            and not any(
                q.sentence.has_figure(digits) if digits else q.sentence.has_name(word)
                for q in quoted
            )
        ]
        if missing:
            report.warning(
                claim.pos,
                f"the claim's date {claim.date.text} gives {_join([m[0] for m in missing], '')}, "
                "which none of its quotes gives",
                "date a claim only as precisely as its quotes do (`2024`, `2024-12`), "
                "or leave the date out;\n" + _NOTE_HINT.format(what=_join([m[1] for m in missing])),
            )
    phrases = _name_phrases(norm)
    if phrases:
        cited = list(dict.fromkeys(q.source_id for q in quoted))
        unnamed = [
            " ".join(phrase)
            for phrase in phrases
            if any(
                not note.names(word) and not any(article(s).has_name(word) for s in cited)
                for word in phrase
            )
        ]
        if unnamed:
            never = (
                "its article never mentions" if len(cited) == 1 else "none of its articles mentions"
            )
            what = _join(list(dict.fromkeys(unnamed)))
            report.warning(
                claim.pos,
                f"the claim names {what}, which {never}",
                "name only whom and what the articles name;\n" + _NOTE_HINT.format(what=what),
            )
    if claim.unconfirmed:
        return
    doubted: list[str] = []
    for q in quoted:
        for word in q.quote.doubts():
            if word not in doubted:
                doubted.append(word)
    flat: list[str] = []
    for q in quoted:
        if not q.via:
            for word in q.quote.speculates():
                if word not in doubted and word not in flat:
                    flat.append(word)
    if not doubted and not flat:
        return  # most claims: their quotes do not hedge, so nothing is dropped
    text = Evidence(norm)
    hedged = text.hedges()
    if doubted and not hedged and not note.names(*doubted):
        words = _join(doubted)
        report.warning(
            claim.pos,
            f"a quote hedges with {words}, and the claim drops the hedge",
            "keep it (“claim” stays “claim”, “reportedly” stays), or mark the claim "
            "`status: unconfirmed`;\n" + _NOTE_HINT.format(what=words),
        )
    if flat and not hedged and not text.attributes() and not note.names(*flat):
        words = _join(flat)
        report.warning(
            claim.pos,
            f"a quote hedges with {words}, and the claim states it in the briefing's own voice",
            "keep the hedge, or attribute it in the text (“one article argues…”) or with "
            "`via:`, or mark the claim `status: unconfirmed`;\n" + _NOTE_HINT.format(what=words),
        )


def _join(words: list[str], quote: str = "“”") -> str:
    quoted = [f"{quote[:1]}{w}{quote[1:]}" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
