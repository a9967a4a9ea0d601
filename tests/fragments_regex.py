"""The regular-expression matcher that `generator/fragments.py` used to choose its terms.

Kept verbatim (from `_term` to `_shortest_end`, as of commit ae57144) as the reference
the string-search matcher that replaced it must agree with: `tests/test_fragment_terms.py`
compares the two on tricky texts. It compiled a pattern or two per candidate term, which
made it too slow for large briefings, but what it matches is what the generator promised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from urllib.parse import quote as _percent

EXACT_WORDS = 10
"""Passages up to this many words are given whole; longer ones as `start,end`."""
EDGE_WORDS = 5
"""The fewest words of a `start` or `end` term."""
PREFIX_WORDS = 4
"""The most words of context put before a passage to tell it from its other occurrences."""

_SPACE = r"[^\S\n]+"  # within a term: spaces, never a line break (a block boundary)
# Archived texts lose some breaks between blocks ("…in Syria closeRussia established…");
# a capital glued to a lowercase letter or a full stop marks one, as a line break does.
_GLUED = r"(?<=[a-z.?!])(?=[A-Z])"
# The same inside the case-insensitive term patterns, where it has always meant any ASCII
# letter (or .?!) before any letter. Spelt out without the flag, the pattern compiles
# many times faster: a case-insensitive character range is expanded character by character.
_GLUED_ANY_CASE = r"(?-i:(?<=[a-zA-Z.?!])(?=[a-zA-Z]))"
_BLOCK_BREAK = re.compile(rf"\n|{_GLUED}")


def _term(text: str) -> str:
    # quote() leaves "-" alone, but in a text directive it separates prefix and suffix.
    return _percent(text, safe="").replace("-", "%2D")


def _pattern(words: Sequence[str], starts_word: bool = True, ends_word: bool = True) -> str:
    """`words` as a regex that also matches them where the article has wider spacing.

    `starts_word`/`ends_word`: the match must begin/end at a word boundary, wherever a
    browser may see one: where a word character meets another character, and where the
    archive glued two blocks together.
    """
    body = _SPACE.join(re.escape(word) for word in words)
    if starts_word and re.match(r"\w", words[0]):
        body = rf"(?:(?<!\w)|{_GLUED_ANY_CASE})" + body
    if ends_word and re.search(r"\w$", words[-1]):
        body += rf"(?:(?!\w)|{_GLUED_ANY_CASE})"
    return body


@lru_cache(maxsize=4096)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=64)
def _lower(raw: str) -> str | None:
    """The article in lower case, when that keeps every offset (else None)."""
    lower = raw.lower()
    return lower if len(lower) == len(raw) else None


def _matches(
    raw: str, pattern: re.Pattern[str], first: str, after: int = 0
) -> Iterator[re.Match[str]]:
    """Every match of `pattern` from `after` on, trying only where its first word occurs.

    A regex scan tries the pattern at every character; finding the first word (lower
    case on both sides) and trying there is what keeps long briefings fast.
    """
    lower = _lower(raw)
    if lower is None or not first:
        yield from (m for m in (pattern.match(raw, i) for i in range(after, len(raw))) if m)
        return
    needle = first.lower()
    at = lower.find(needle, after)
    while at != -1:
        match = pattern.match(raw, at)
        if match is not None:
            yield match
        at = lower.find(needle, at + 1)


def _starts(raw: str, words: Sequence[str], prefix: Sequence[str]) -> list[int]:
    """Where the term `words`, preceded by `prefix` if given, begins in `raw`."""
    if prefix:
        # The prefix need not end a word, and after it a browser skips white space (line
        # breaks too) to the term, which need not start one.
        term = _pattern(prefix, ends_word=False) + r"\s*(" + _pattern(words, False) + ")"
    else:
        term = "(" + _pattern(words) + ")"
    first = (prefix or words)[0]
    return sorted({m.start(1) for m in _matches(raw, _compiled(term), first)})


def _prefix_words(raw: str, start: int) -> list[str]:
    """The words just before `start` within one block: candidates for a prefix term."""
    stop = start
    while stop > 0 and raw[stop - 1].isspace():
        stop -= 1
    line = raw[raw.rfind("\n", 0, stop) + 1 : stop]
    blocks = _BLOCK_BREAK.split(line)
    return blocks[-1].split() if blocks else []


def _end_is_first(raw: str, words: Sequence[str], after: int, end: int) -> bool:
    """The first match of the end term after `after` ends the passage at `end`."""
    pattern = _compiled(_pattern(words))
    match = next(_matches(raw, pattern, words[0], after), None)
    return match is not None and match.end() == end


Candidate = tuple[list[str], list[str], list[str] | None]
"""Prefix words (maybe none), start words, end words (None: the start is the whole passage)."""


def _candidates(raw: str, start: int, end: int) -> Iterator[Candidate]:
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
                tail = _shortest_end(raw, last, room, start, end)
                if tail is not None:
                    yield prefix, first[:count], tail
        if len(lines) == 1:  # a term cannot span a line break
            yield prefix, words, None


@lru_cache(maxsize=65536)
def _fragment(raw: str, start: int, end: int) -> str:
    """Computed once per passage, however many pages and PDFs cite it."""
    chosen: Candidate | None = None
    for candidate in _candidates(raw, start, end):
        found = _starts(raw, candidate[1], candidate[0])
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


def _shortest_end(raw: str, last: list[str], room: int, start: int, end: int) -> list[str] | None:
    """The fewest last words (EDGE_WORDS or all, at most `room`) first matched at `end`."""
    for count in range(min(EDGE_WORDS, len(last)), min(len(last), room) + 1):
        tail = last[-count:]
        if _end_is_first(raw, tail, start + 1, end):
            return tail
    return None
