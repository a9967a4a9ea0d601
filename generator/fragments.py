"""Text fragments (`#:~:text=`) that take a reader to exactly one passage of an article.

A browser follows the WICG rules (https://wicg.github.io/scroll-to-text-fragment/):
terms match case-insensitively, on word boundaries, each within one block of the page;
`start,end` selects from the first match of `start` to the first match of `end` after
it; `prefix-,` must come just before `start`. So a passage that is unique as written can
still be missed: "the convoy sailed" is found first in "The convoy sailed…", and a long
quote whose first words also open an earlier sentence would be selected from there.

This module picks the terms so that the directive matches the passage and nothing else:
the start term (with its prefix, if any) occurs once in the article, counted the way a
browser counts but more generously (every boundary a browser sees, and more), and the
end term does not occur inside the passage before its end. `tests/fragment_matcher.py`
checks the result by applying the browser's algorithm step by step.

A term matches where the article has its words in the same order, in any case, each run
of white space between them holding no line break; the article is prepared for that once
(:class:`_Article`), so that counting a term is a plain string search.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import islice
from string import ascii_letters
from urllib.parse import quote as _percent

from generator.check import Passage

EXACT_WORDS = 10
"""Passages up to this many words are given whole; longer ones as `start,end`."""
EDGE_WORDS = 5
"""The fewest words of a `start` or `end` term."""
PREFIX_WORDS = 4
"""The most words of context put before a passage to tell it from its other occurrences."""

# Archived texts lose some breaks between blocks ("…in Syria closeRussia established…");
# a capital glued to a lowercase letter or a full stop marks one, as a line break does.
_BLOCK_BREAK = re.compile(r"\n|(?<=[a-z.?!])(?=[A-Z])")
# A term may begin or end, besides where a word character meets another character,
# wherever an ASCII letter (or .?!) meets an ASCII letter: the archive may have glued two
# blocks there (in either case, as the term patterns always took it), and counting more
# matches only makes the chosen terms safer.
_GLUE_BEFORE = frozenset(ascii_letters + ".?!")
_GLUE_AFTER = frozenset(ascii_letters)
_BREAK_RUN = re.compile(r"\s*\n\s*")
_SPACE_RUN = re.compile(r"[^\S\n]+")
_LONG_RUN = re.compile(r"\s\s+")
# Letters that Python's re takes for one another under IGNORECASE although their lower
# cases differ (re/_casefix.py: i and dotless i, s and long s, micro sign and mu, Greek
# and Cyrillic letter variants, ...): each folds to the first of its group, so a folded
# comparison equates exactly the characters the case-insensitive patterns used to.
_SAME_LETTERS = (
    "\u0069\u0131", "\u0073\u017f", "\u00b5\u03bc", "\u0345\u03b9\u1fbe", "\u0390\u1fd3",
    "\u03b0\u1fe3", "\u03b2\u03d0", "\u03b5\u03f5", "\u03b8\u03d1", "\u03ba\u03f0",
    "\u03c0\u03d6", "\u03c1\u03f1", "\u03c2\u03c3", "\u03c6\u03d5", "\u0432\u1c80",
    "\u0434\u1c81", "\u043e\u1c82", "\u0441\u1c83", "\u0442\u1c84\u1c85", "\u044a\u1c86",
    "\u0463\u1c87", "\u1c88\ua64b", "\u1e61\u1e9b", "\ufb05\ufb06",
)  # fmt: skip
_FOLD = {ord(other): group[0] for group in _SAME_LETTERS for other in group[1:]}


def _term(text: str) -> str:
    # quote() leaves "-" alone, but in a text directive it separates prefix and suffix.
    return _percent(text, safe="").replace("-", "%2D")


def _fold(text: str) -> str:
    """`text` with every letter in one case, one character for one character.

    Simple lower-case mappings, as re's IGNORECASE compares them: only the capital I
    with a dot has a longer full one (i plus a combining dot), and final and medial
    sigma, which str.lower() tells apart by context, fold to one letter.
    """
    return text.replace("\u0130", "i").lower().translate(_FOLD)


def _is_word(char: str) -> bool:
    """A regular expression's \\w."""
    return char.isalnum() or char == "_"


class _Article:
    """An archived text as terms are searched in it, prepared once.

    `folded` is the article with each run of white space made one character (a line
    break if the run holds one, else a space) and its letters folded (:func:`_fold`): a
    term's words, joined by spaces and folded, are found in it exactly where the article
    has them within one line. Offsets in `folded` map back to the article's through the
    runs of white space that collapsing shortened; word edges are read in the article.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        collapsed = _SPACE_RUN.sub(" ", _BREAK_RUN.sub("\n", raw))
        self.folded = _fold(collapsed)
        runs = [m.span() for m in _LONG_RUN.finditer(raw)] if len(collapsed) < len(raw) else []
        self._run_starts = [start for start, _ in runs]
        self._run_ends = [end for _, end in runs]
        self._removed = [0]  # characters collapsing took out before each long run
        self._run_at: list[int] = []  # where each long run's one character is in `folded`
        for start, end in runs:
            self._run_at.append(start - self._removed[-1])
            self._removed.append(self._removed[-1] + end - start - 1)

    def raw_offset(self, at: int) -> int:
        """The article's offset of `folded[at]` (or of the end of a word ending at `at`)."""
        return at + self._removed[bisect_left(self._run_at, at)]

    def folded_offset(self, raw_at: int) -> int:
        """The first offset of `folded` at or after the article's offset `raw_at`."""
        runs = bisect_left(self._run_starts, raw_at)
        if runs and self._run_ends[runs - 1] > raw_at:  # inside a long run: after its character
            return self._run_at[runs - 1] + 1
        return raw_at - self._removed[runs]

    def starts_word(self, start: int) -> bool:
        """A browser may see a word boundary before `raw[start]`: a regex's (?<!\\w), or glued blocks."""
        before = self.raw[start - 1] if start else " "
        return not _is_word(before) or (before in _GLUE_BEFORE and self.raw[start] in _GLUE_AFTER)

    def ends_word(self, end: int) -> bool:
        """A browser may see a word boundary after `raw[end - 1]`: a regex's (?!\\w), or glued blocks."""
        if end == len(self.raw):
            return True
        after = self.raw[end]
        return not _is_word(after) or (self.raw[end - 1] in _GLUE_BEFORE and after in _GLUE_AFTER)

    def matches(self, words: Sequence[str], after: int = 0) -> Iterator[tuple[int, int]]:
        """(start, end) in the article of every match of the term `words` from `after` on."""
        needle = _fold(" ".join(words))
        check_start, check_end = _is_word(words[0][0]), _is_word(words[-1][-1])
        find, at = self.folded.find, self.folded_offset(after)
        while (at := find(needle, at)) != -1:
            start, end = self.raw_offset(at), self.raw_offset(at + len(needle))
            if (not check_start or self.starts_word(start)) and (
                not check_end or self.ends_word(end)
            ):
                yield start, end
            at += 1

    def after_prefix(self, prefix: Sequence[str], words: Sequence[str]) -> Iterator[int]:
        """Where in the article the term `words` begins wherever `prefix` comes just before it.

        The prefix need not end a word, and after it a browser skips white space (line
        breaks too) to the term, which need not start one.
        """
        needle, term = _fold(" ".join(prefix)), _fold(" ".join(words))
        check_start, check_end = _is_word(prefix[0][0]), _is_word(words[-1][-1])
        folded, at = self.folded, 0
        while (at := folded.find(needle, at)) != -1:
            start = at + len(needle)
            if start < len(folded) and folded[start] in " \n":
                start += 1
            if (
                folded.startswith(term, start)
                and (not check_start or self.starts_word(self.raw_offset(at)))
                and (not check_end or self.ends_word(self.raw_offset(start + len(term))))
            ):
                yield self.raw_offset(start)
            at += 1


# Footnotes ask for passages page by page, from any article: the cache holds every
# article of a large briefing (a folded copy of its text each). With more articles than
# that, each passage would prepare its article again, about as slow as the regular
# expressions that came before.
@lru_cache(maxsize=1024)
def _article(raw: str) -> _Article:
    return _Article(raw)


def _starts(article: _Article, words: Sequence[str], prefix: Sequence[str]) -> list[int]:
    """Where the term `words`, preceded by `prefix` if given, begins in the article: the
    first two offsets, in order (enough to tell whether it is the passage, and alone)."""
    found: Iterator[int]
    if prefix:
        found = article.after_prefix(prefix, words)
    else:
        found = (start for start, _ in article.matches(words))
    return list(islice(found, 2))


def _prefix_words(raw: str, start: int) -> list[str]:
    """The last words (at most PREFIX_WORDS) before `start` within one block: candidates
    for a prefix term."""
    stop = start
    while stop > 0 and raw[stop - 1].isspace():
        stop -= 1
    line_start = raw.rfind("\n", 0, stop) + 1
    # Not the whole line: a paragraph can be long, and only its last few words are wanted.
    size = 24 * PREFIX_WORDS
    while True:
        begin = block_start = max(line_start, stop - size)
        for glued in _BLOCK_BREAK.finditer(raw, begin, stop):
            block_start = glued.end()
        words = raw[block_start:stop].rsplit(None, PREFIX_WORDS)
        if block_start > begin or begin == line_start or len(words) > PREFIX_WORDS:
            return words[-PREFIX_WORDS:]
        size *= 4


def _end_is_first(article: _Article, words: Sequence[str], after: int, end: int) -> bool:
    """The first match of the end term after `after` ends the passage at `end`."""
    match = next(article.matches(words, after), None)
    return match is not None and match[1] == end


Candidate = tuple[list[str], list[str], list[str] | None]
"""Prefix words (maybe none), start words, end words (None: the start is the whole passage)."""


def _candidates(article: _Article, raw: str, start: int, end: int) -> Iterator[Candidate]:
    """Directives for the passage, shortest context first."""
    lines = raw[start:end].split("\n")
    first, last = lines[0].split(), lines[-1].split()
    words = raw[start:end].split()
    before = _prefix_words(raw, start)
    for size in range(min(PREFIX_WORDS, len(before)) + 1):
        prefix = before[len(before) - size :] if size else []
        if len(lines) > 1 or len(words) > EXACT_WORDS:
            for count in range(min(EDGE_WORDS, len(first)), len(first) + 1):
                room = len(last) if len(lines) > 1 else len(words) - count
                tail = _shortest_end(article, last, room, start, end)
                if tail is not None:
                    yield prefix, first[:count], tail
        if len(lines) == 1:  # a term cannot span a line break
            yield prefix, words, None


def text_fragment(raw: str, passage: Passage) -> str:
    """A `#:~:text=` directive that selects the passage, and only it, in the original article."""
    return _fragment(raw, passage.span.start, passage.span.end)


@lru_cache(maxsize=65536)
def _fragment(raw: str, start: int, end: int) -> str:
    """Computed once per passage, however many pages and PDFs cite it."""
    chosen: Candidate | None = None
    article = _article(raw)
    for candidate in _candidates(article, raw, start, end):
        found = _starts(article, candidate[1], candidate[0])
        if found == [start]:
            chosen = candidate
            break
        if chosen is None and found[:1] == [start]:
            chosen = candidate  # if nothing is unique, at least the first match is the passage
    prefix, head, tail = chosen or ([], raw[start:end].split(), None)
    directive = _term(" ".join(head))
    if tail is not None:
        directive += "," + _term(" ".join(tail))
    if prefix:
        directive = _term(" ".join(prefix)) + "-," + directive
    return "#:~:text=" + directive


def _shortest_end(
    article: _Article, last: list[str], room: int, start: int, end: int
) -> list[str] | None:
    """The fewest last words (EDGE_WORDS or all, at most `room`) first matched at `end`."""
    for count in range(min(EDGE_WORDS, len(last)), min(len(last), room) + 1):
        tail = last[-count:]
        if _end_is_first(article, tail, start + 1, end):
            return tail
    return None


def passage_url(url: str, raw: str, passage: Passage) -> str:
    """The original article's URL with the text directive that selects the passage.

    A URL may carry a fragment of its own: the directive then follows it within the
    same fragment (`#top:~:text=...`), as a second `#` would make it part of the name.
    """
    return _with_fragment(url, text_fragment(raw, passage))


def _with_fragment(url: str, fragment: str) -> str:
    return url + fragment.removeprefix("#") if "#" in url else url + fragment
