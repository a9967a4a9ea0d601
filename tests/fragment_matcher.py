"""A small text-fragment matcher: the WICG rules a browser applies to `#:~:text=`, on plain text.

Follows "find a range from a text directive" of https://wicg.github.io/scroll-to-text-fragment/
step by step, on an archived article instead of a DOM:

- each line of the text is a block (a paragraph of the article): a term never matches
  across a line break, though prefix and start, or end and suffix, may be on either
  side of one, as they may across elements in a page;
- white space within a line is collapsed, as a browser renders it;
- matching is case-insensitive (the spec asks for a primary-strength comparison; accents
  are not folded here, which only makes this matcher stricter);
- word boundaries follow Unicode's default word segmentation (UAX #29) for the
  characters articles use: letters and digits form words, an apostrophe or full stop
  between two letters, and a comma, full stop or apostrophe between two digits, do not
  break a word.

Archived texts sometimes lost the breaks between a heading and its paragraph, or between
two paragraphs ("…bases in Syria closeRussia established…", "…for NATO.Russia has…");
`Page(raw, restore_blocks=True)` puts a block break back wherever a lowercase letter or
a full stop, question or exclamation mark runs straight into a capital, as the original
page has one there.

`ranges()` returns every range the directive selects, not only the first a browser
would scroll to, so a test can demand exactly one.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

PREFIX = "#:~:text="
_MID_LETTER = {"'", "’", ".", ":", "·"}
_MID_NUMBER = {",", ".", ";", "'", "’"}


@dataclass(frozen=True)
class Directive:
    prefix: str | None
    start: str
    end: str | None
    suffix: str | None


def parse(fragment: str) -> Directive:
    """Parse `#:~:text=[prefix-,]start[,end][,-suffix]`; raise ValueError when invalid."""
    if not fragment.startswith(PREFIX):
        raise ValueError(f"not a text directive: {fragment!r}")
    body = fragment[len(PREFIX) :]
    if "&" in body:
        raise ValueError("an unencoded & ends the directive")
    terms = body.split(",")
    prefix = suffix = None
    if terms[0].endswith("-"):
        prefix = terms.pop(0)[:-1]
    if terms and terms[-1].startswith("-"):
        suffix = terms.pop()[1:]
    if len(terms) not in (1, 2):
        raise ValueError(f"expected start or start,end between the context terms: {body!r}")
    for term in [prefix, suffix, *terms]:
        if term is not None and ("-" in term or not term):
            raise ValueError(f"term {term!r} is empty or holds an unencoded -")
    decoded = [unquote(t) if t is not None else None for t in (prefix, *terms, suffix)]
    start = decoded[1]
    assert start is not None
    end = decoded[2] if len(terms) == 2 else None
    return Directive(decoded[0], start, end, decoded[-1])


def _is_word(char: str) -> bool:
    return char.isalnum() or unicodedata.category(char) == "Mn"


class Page:
    """The archived text as a browser would search it, with a map back to the raw offsets."""

    def __init__(self, raw: str, restore_blocks: bool = False) -> None:
        chars: list[str] = []
        index: list[int] = []
        for at, char in enumerate(raw):
            glued = (
                restore_blocks
                and char.isupper()
                and at > 0
                and (raw[at - 1].islower() or raw[at - 1] in ".?!")
            )
            if glued:
                chars.append("\n")
                index.append(at)
            if char == "\n":
                while chars and chars[-1] == " ":
                    chars.pop()
                    index.pop()
                chars.append("\n")
                index.append(at)
            elif char.isspace():
                if chars and chars[-1] not in " \n":
                    chars.append(" ")
                    index.append(at)
            else:
                chars.append(char)
                index.append(at)
        self.text = "".join(chars)
        self.folded = self.text.lower()
        assert len(self.folded) == len(self.text), "case folding changed the length"
        self._index = index

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        return self._index[start], self._index[end - 1] + 1

    def at_word_boundary(self, position: int) -> bool:
        text = self.text
        if position <= 0 or position >= len(text):
            return True
        before, after = text[position - 1], text[position]
        if _is_word(before) and _is_word(after):
            return False
        # "it's", "U.S", "3.5", "400,000": the middle character does not break the word.
        if after in _MID_LETTER | _MID_NUMBER and position + 1 < len(text):
            following = text[position + 1]
            if _mid_joins(before, after, following):
                return False
        if before in _MID_LETTER | _MID_NUMBER and position >= 2:
            preceding = text[position - 2]
            if _mid_joins(preceding, before, after):
                return False
        return True

    def find(
        self, query: str, start: int, end: int, word_start: bool, word_end: bool
    ) -> tuple[int, int] | None:
        """The first match of `query` in [start, end) within one block ("find a string in range")."""
        needle = query.lower()
        at = start
        while True:
            at = self.folded.find(needle, at, end)
            if at == -1:
                return None
            if (not word_start or self.at_word_boundary(at)) and (
                not word_end or self.at_word_boundary(at + len(needle))
            ):
                return at, at + len(needle)
            at += 1

    def _skip_space(self, position: int, end: int) -> int:
        while position < end and self.text[position] in " \n":
            position += 1
        return position

    def first_range(self, directive: Directive, search_start: int = 0) -> tuple[int, int] | None:
        """ "Find a range from a text directive", starting the search at `search_start`."""
        d = directive
        end_of_search = len(self.text)
        search = search_start
        while search < end_of_search:
            if d.prefix is not None:
                prefix = self.find(d.prefix, search, end_of_search, True, False)
                if prefix is None:
                    return None
                search = prefix[0] + 1
                match_start = self._skip_space(prefix[1], end_of_search)
                if match_start == end_of_search:
                    return None
                must_end = d.end is not None or d.suffix is None
                potential = self.find(d.start, match_start, end_of_search, False, must_end)
                if potential is None:
                    return None
                if potential[0] != match_start:
                    continue
            else:
                must_end = d.end is not None or d.suffix is None
                potential = self.find(d.start, search, end_of_search, True, must_end)
                if potential is None:
                    return None
                search = potential[0] + 1
            range_end_start = potential[1]
            while range_end_start < end_of_search:
                if d.end is not None:
                    end = self.find(d.end, range_end_start, end_of_search, True, d.suffix is None)
                    if end is None:
                        return None
                    potential = (potential[0], end[1])
                if d.suffix is None:
                    return potential
                suffix_start = self._skip_space(potential[1], end_of_search)
                suffix = self.find(d.suffix, suffix_start, end_of_search, False, True)
                if suffix is None:
                    return None
                if suffix[0] == suffix_start:
                    return potential
                if d.end is None:
                    break
                range_end_start = potential[1]
        return None

    def ranges(self, fragment: str) -> list[tuple[int, int]]:
        """Every range of the raw text the fragment selects, in order."""
        directive = parse(fragment)
        found = []
        at = 0
        while (match := self.first_range(directive, at)) is not None:
            found.append(self.raw_span(*match))
            at = match[0] + 1
        return found


def _mid_joins(before: str, middle: str, after: str) -> bool:
    letters = before.isalpha() and after.isalpha() and middle in _MID_LETTER
    digits = before.isdigit() and after.isdigit() and middle in _MID_NUMBER
    return letters or digits
