"""Finding quotes in archived text, tolerant of typography but not of wording.

Both sides are normalised the same way (Unicode NFKC, typographic quotes and dashes
to ASCII, runs of white space to one space) and an index maps every normalised
character back to the archived text, so a match can be shown, highlighted and linked
in the article's own typography.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from functools import cached_property

_TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "\u0060": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
    }
)


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).translate(_TRANSLATE)
    return " " if folded.isspace() else folded


def normalise(text: str) -> str:
    """The comparison form of `text` (see module docstring)."""
    return NormalisedText(text).norm.strip()


@dataclass(frozen=True)
class Span:
    """A half-open range `[start, end)` of characters in the archived text."""

    start: int
    end: int


class NormalisedText:
    """Archived text with its normalised form and the index back to the original."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        out: list[str] = []
        index: list[int] = []
        for i, char in enumerate(raw):
            for folded in _fold(char):
                if folded == " " and (not out or out[-1] == " "):
                    continue
                out.append(folded)
                index.append(i)
        self.norm = "".join(out)
        self._index = index

    def to_raw(self, start: int, end: int) -> Span:
        return Span(self._index[start], self._index[end - 1] + 1)

    def find_all(self, quote: str) -> list[Span]:
        """Every place the quote occurs, as spans of the archived text."""
        needle = normalise(quote)
        if not needle:
            return []
        spans = []
        at = self.norm.find(needle)
        while at != -1:
            spans.append(self.to_raw(at, at + len(needle)))
            at = self.norm.find(needle, at + 1)
        return spans

    @cached_property
    def _sentence_ends(self) -> list[int]:
        ends = []
        raw = self.raw
        for i, char in enumerate(raw):
            if char == "\n" or (
                char in ".!?"
                and (i + 1 == len(raw) or raw[i + 1].isspace() or raw[i + 1].isupper())
            ):
                ends.append(i + 1)
        return ends

    def sentence_around(self, span: Span) -> Span:
        """The sentence (or sentences) holding `span`, trimmed of surrounding white space."""
        start, end = 0, len(self.raw)
        for boundary in self._sentence_ends:
            if boundary <= span.start:
                start = boundary
            elif boundary >= span.end:
                end = boundary
                break
        while start < span.start and self.raw[start].isspace():
            start += 1
        while end > span.end and self.raw[end - 1].isspace():
            end -= 1
        return Span(start, end)

    def closest(self, quote: str) -> str | None:
        """The archived passage most like `quote`, for a "did you mean" hint."""
        needle = normalise(quote)
        if not needle or not self.norm:
            return None
        matcher = difflib.SequenceMatcher(None, self.norm, needle, autojunk=False)
        block = matcher.find_longest_match(0, len(self.norm), 0, len(needle))
        if block.size < min(8, len(needle)):
            return None
        start = max(0, block.a - block.b)
        end = min(len(self.norm), start + len(needle))
        # Widen to word boundaries so the hint does not start or end mid-word.
        while start > 0 and self.norm[start - 1] != " ":
            start -= 1
        while end < len(self.norm) and self.norm[end] != " ":
            end += 1
        span = self.to_raw(start, end)
        return self.raw[span.start : span.end].strip()
