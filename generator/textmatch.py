"""Finding quotes in archived text, tolerant of typography but not of wording.

Both sides are normalised the same way (Unicode NFKC, typographic quotes and dashes
to ASCII, runs of white space to one space) and an index maps every normalised
character back to the archived text, so a match can be shown, highlighted and linked
in the article's own typography.
"""

from __future__ import annotations

import bisect
import re
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


# What needs folding one character at a time: anything outside printable ASCII (line
# breaks, non-ASCII letters, typographic quotes and dashes), the backtick, and runs of
# spaces. Plain ASCII between them is copied as a whole, which keeps checking fast.
_SPECIAL = re.compile(r"[^!-_a-~](?:(?<=[^ !-_a-~])[^ !-_a-~]*|(?<= ) +)")
# (That is `[^ !-_a-~]+|  +`, written to open with a class: the search then skips to
# the next candidate instead of trying both alternatives at every offset.)


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).translate(_TRANSLATE)
    return " " if folded.isspace() else folded


def normalise(text: str) -> str:
    """The comparison form of `text` (see module docstring)."""
    if text.isascii() and text.isprintable() and "  " not in text and "`" not in text:
        return text.strip()  # plain ASCII with single spaces is already normal
    return NormalisedText(text).norm.strip()


_WORD = re.compile(r"\w+")
_SENTENCE_MARK = re.compile(r"[\n.!?]")
# `\s` is exactly str.isspace(); in ASCII text, str.isupper() is [A-Z]. (The pattern opens
# with a class, so that the search skips to the next mark instead of trying every offset.)
_SENTENCE_END_ASCII = re.compile(r"[\n.!?](?:(?<=\n)|(?=[\sA-Z]|\Z))")


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _joined(before: str, after: str) -> bool:
    """The two characters are inside one word. A lowercase letter followed by a capital
    is not: archived texts glue a heading to the next sentence ("Syria closeRussia
    established"), and the sentence's first word is a word of its own."""
    return _is_word(before) and _is_word(after) and not (before.islower() and after.isupper())


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
        # The index back, by segments: normalised offset `norm_at[k]` starts a run that
        # maps to `raw_at[k]`, one to one for a plain run (`linear[k]`), else a single
        # character folded from `raw_at[k]` (a character can fold into several: "ﬁ").
        norm_at: list[int] = []
        raw_at: list[int] = []
        linear: list[bool] = []
        size = 0
        last_space = True  # at the start, as after a space: leading white space is dropped

        def plain(start: int, end: int) -> None:
            nonlocal size, last_space
            if start < end and raw[start] == " " and last_space:
                start += 1
            if start < end:
                norm_at.append(size)
                raw_at.append(start)
                linear.append(True)
                out.append(raw[start:end])
                size += end - start
                last_space = raw[end - 1] == " "

        at = 0
        for match in _SPECIAL.finditer(raw):
            plain(at, match.start())
            for i in range(match.start(), match.end()):
                for char in _fold(raw[i]):
                    if char == " ":
                        if last_space:
                            continue
                        last_space = True
                    else:
                        last_space = False
                    norm_at.append(size)
                    raw_at.append(i)
                    linear.append(False)
                    out.append(char)
                    size += 1
            at = match.end()
        plain(at, len(raw))
        self.norm = "".join(out)
        self._norm_at = norm_at
        self._raw_at = raw_at
        self._linear = linear

    def _raw_index(self, offset: int) -> int:
        k = bisect.bisect_right(self._norm_at, offset) - 1
        if self._linear[k]:
            return self._raw_at[k] + offset - self._norm_at[k]
        return self._raw_at[k]

    def to_raw(self, start: int, end: int) -> Span:
        return Span(self._raw_index(start), self._raw_index(end - 1) + 1)

    def find_all(self, quote: str, needle: str | None = None) -> list[Span]:
        """Every place the quote occurs as whole words, as spans of the archived text
        (`needle`: the quote already normalised). "port" is not found in "important"."""
        needle = normalise(quote) if needle is None else needle
        return [self.to_raw(at, at + len(needle)) for at in self.offsets(needle)]

    def offsets(self, needle: str) -> list[int]:
        """Where the normalised quote `needle` occurs as whole words, as offsets in the
        normalised text: :meth:`find_all` before mapping back, for callers that need no
        span (or not yet)."""
        return self._occurrences(needle, True)

    def first_offset(self, needle: str) -> int | None:
        """The first of :meth:`offsets`, found without reading the text beyond it."""
        found = self._occurrences(needle, True, first=True)
        return found[0] if found else None

    def inside_words(self, quote: str, needle: str | None = None) -> str | None:
        """Where the quote occurs only by starting or ending inside a word: the
        article's words around the first such place (for a hint), else None."""
        needle = normalise(quote) if needle is None else needle
        for at in self._occurrences(needle, False):
            start, end = at, at + len(needle)
            while start > 0 and _joined(self.norm[start - 1], self.norm[start]):
                start -= 1
            while end < len(self.norm) and _joined(self.norm[end - 1], self.norm[end]):
                end += 1
            span = self.to_raw(start, end)
            return " ".join(self.raw[span.start : span.end].split())
        return None

    def _occurrences(self, needle: str, whole: bool, first: bool = False) -> list[int]:
        """Normalised offsets of the needle: at word boundaries (`whole`) or only not;
        with `first`, the first such offset alone."""
        if not needle:
            return []
        norm = self.norm
        # A quote that starts (ends) with a letter or digit must not continue a word
        # of the article there; one that starts (ends) with punctuation may.
        open_start, open_end = _is_word(needle[0]), _is_word(needle[-1])
        size = len(needle)
        found = []
        at = norm.find(needle)
        while at != -1:
            end = at + size
            bounded = not (
                (open_start and at > 0 and _joined(norm[at - 1], norm[at]))
                or (open_end and end < len(norm) and _joined(norm[end - 1], norm[end]))
            )
            if bounded == whole:
                found.append(at)
                if first:
                    break
            at = norm.find(needle, at + 1)
        return found

    @cached_property
    def _sentence_ends(self) -> list[int]:
        """Offsets just after each sentence end: a line break, or `.`, `!` or `?` before
        white space, a capital or the end of the text."""
        raw = self.raw
        if raw.isascii():  # a capital is [A-Z]: the pattern says it all
            return [match.end() for match in _SENTENCE_END_ASCII.finditer(raw)]
        ends = []
        for match in _SENTENCE_MARK.finditer(raw):
            i = match.start()
            if raw[i] == "\n" or (
                i + 1 == len(raw) or raw[i + 1].isspace() or raw[i + 1].isupper()
            ):
                ends.append(i + 1)
        return ends

    def sentence_around(self, span: Span) -> Span:
        """The sentence (or sentences) holding `span`, trimmed of surrounding white space."""
        ends = self._sentence_ends
        before = bisect.bisect_right(ends, span.start)
        after = bisect.bisect_left(ends, span.end)
        start = ends[before - 1] if before else 0
        end = ends[after] if after < len(ends) else len(self.raw)
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
        import difflib  # here: only a quote that is not found needs it

        matcher = difflib.SequenceMatcher(None, self.norm, needle, autojunk=False)
        block = matcher.find_longest_match(0, len(self.norm), 0, len(needle))
        if block.size < min(8, len(needle)):
            return None
        # Around the longest common run, take as many words as the quote has on each
        # side: counting characters instead would misalign wherever a word differs in length.
        before = len(_WORD.findall(needle, 0, block.b))
        after = len(_WORD.findall(needle, block.b + block.size))
        starts = [m.start() for m in _WORD.finditer(self.norm, 0, block.a)]
        start = starts[-before] if 0 < before <= len(starts) else (0 if before else block.a)
        end = block.a + block.size
        for count, match in enumerate(_WORD.finditer(self.norm, end), 1):
            if count > after:
                break
            end = match.end()
        # and the punctuation that closes the quote, such as its full stop
        tail = len(needle) - len(needle.rstrip(".,;:!?'\")"))
        while tail and end < len(self.norm) and self.norm[end] in ".,;:!?'\")":
            end, tail = end + 1, tail - 1
        span = self.to_raw(start, max(end, start + 1))
        return " ".join(self.raw[span.start : span.end].split())  # one line, for the hint
