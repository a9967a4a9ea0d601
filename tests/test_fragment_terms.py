"""The string-search matcher of `generator/fragments.py` picks the terms the regex one did.

`fragments_regex.py` is the matcher it replaced; on every passage of these texts (tricky
ones: repeated starts, glued blocks, punctuation, passages over several lines, case
differences, typographic quotes, characters that NFKC would change) both must give the
same directive, and their building blocks the same answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import fragments_regex as reference
import pytest
from fragment_matcher import Page
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import fragments

TEXTS = {
    "repeated starts": (
        "The ships left the port at dawn. Later, the ships left the bay.\n"
        "Officials said the ships left the bay for good; THE SHIPS LEFT THE BAY, they said.\n"
        "The Ships Left The Bay again, officials said the ships left the bay\n"
        "the ships left the bay at noon and the ships left the bay at night.\n"
    ),
    "glued blocks": (
        "Russian bases in Syria closeRussia established a naval base in Tartus.\n"
        "Officials said the bases stay open for NATO.Russia has moved the bases to Libya.\n"
        "Why?Because the bases were costly!The bases stay. McDonald said iPhone sales rose.\n"
    ),
    "punctuation": (
        "“The convoy sailed,” officials said. ‘The convoy sailed’ — and the convoy sailed…\n"
        "(the convoy) sailed; it's 3.5 km away, 400,000 tonnes, the convoy's snake_case\n"
        "log said: the-convoy sailed & the convoy/sailed “again”. The convoy sailed.\n"
    ),
    "white space": (
        "Tabs\tand  double  spaces and\xa0no-break spaces\u2028in one line\r\n"
        "  indented  lines\t\tand the ships left  the bay\n\n\n"
        "after blank lines the ships left\tthe bay \n \n the ships  left the bay\n"
    ),
    "non-ASCII": (
        "Café and cafe\u0301 and CAFÉ, the ﬁre and the fire, ＡＢＣ and abc, x² and x2.\n"
        "½ of the STRASSE and the straße and the STRAẞE; Ǆemal and ǆemal and ǅemal.\n"
        "The ﬁre spread to the cafe\u0301; the fire spread to the café and ＡＢＣ.\n"
    ),
    "digits and underscores": (  # word characters to a regex, but no glued blocks
        "Unit x2 ships left the bay and 2 ships left the port; 22 ships left.\n"
        "The café2 ships left, é2 ships left, _2 ships left and 2_ ships left 2.\n"
    ),
    "dotted capital I": (  # lower() makes it two characters: the regex scanned everywhere
        "İstanbul officials said the ferry left İzmir.\n"
        "istanbul officials said the ferry left izmir, and İSTANBUL officials agreed.\n"
    ),
}


def _spans(raw: str, most_words: int = 14) -> Iterator[tuple[int, int]]:
    """Passages of `raw`: from a word (or the letters after leading punctuation) to a
    word's end (or the letters before trailing punctuation), up to `most_words`."""
    starts = [
        at
        for at in range(len(raw))
        if not raw[at].isspace()
        and (at == 0 or raw[at - 1].isspace() or (raw[at].isalnum() and not raw[at - 1].isalnum()))
    ]
    ends = [
        at
        for at in range(1, len(raw) + 1)
        if not raw[at - 1].isspace()
        and (
            at == len(raw) or raw[at].isspace() or (raw[at - 1].isalnum() and not raw[at].isalnum())
        )
    ]
    for start in starts:
        for end in ends:
            if end > start and len(raw[start:end].split()) <= most_words:
                yield start, end


@pytest.mark.parametrize("name", list(TEXTS))
def test_every_passage_gets_the_directive_the_regex_matcher_chose(name: str) -> None:
    raw = TEXTS[name]
    spans = list(_spans(raw))
    assert len(spans) > 100
    for start, end in spans:
        assert fragments._fragment(raw, start, end) == reference._fragment(raw, start, end), (
            name,
            raw[start:end],
        )


def _terms(raw: str) -> Iterator[tuple[list[str], list[str]]]:
    """Terms as the generator makes them (whole words of the text), and parts of words,
    each with the words before it (as a prefix would be)."""
    for line in raw.split("\n"):
        words = line.split()
        for first in range(len(words)):
            before = words[max(0, first - 2) : first]
            for count in (1, 2, 3, 5):
                term = words[first : first + count]
                if len(term) == count:
                    yield term, before
                    if len(term[0]) > 1:
                        yield [term[0][1:], *term[1:]], before
                    if len(term[-1]) > 1:
                        yield [*term[:-1], term[-1][:-1]], before


@pytest.mark.parametrize("name", list(TEXTS))
def test_terms_are_counted_and_located_as_the_regex_did(name: str) -> None:
    raw = TEXTS[name]
    article = fragments._article(raw)
    matches = list(re.finditer(r"\S+", raw))
    for term, before in _terms(raw):
        assert fragments._starts(article, term, []) == reference._starts(raw, term, [])[:2], term
        prefixes = [[matches[0].group()], [w.group() for w in matches[3:5]], term[-1:]]
        if before:
            prefixes += [before, before[-1:], [before[-1][1:] or before[-1]]]
        for prefix in prefixes:
            expected = reference._starts(raw, term, prefix)[:2]
            assert fragments._starts(article, term, prefix) == expected, (prefix, term)
        for word in matches[::3]:
            for end in (word.end(), word.end() - 1):
                after = word.start() + 1
                assert fragments._end_is_first(
                    article, term, after, end
                ) == reference._end_is_first(raw, term, after, end), (term, after, end)


@pytest.mark.parametrize("name", list(TEXTS))
def test_prefix_words_are_the_last_of_their_block(name: str) -> None:
    raw = TEXTS[name]
    for start in range(len(raw) + 1):
        expected = reference._prefix_words(raw, start)[-fragments.PREFIX_WORDS :]
        assert fragments._prefix_words(raw, start) == expected, start


def test_prefix_words_of_a_long_paragraph() -> None:
    # Only the end of the line is looked at first; a block break further back still counts.
    words = [f"w{n}" for n in range(400)]
    for raw in (
        " ".join(words) + " end",
        "a" * 2000 + " b c",
        " ".join(words[:300]) + " closeRussia " + "x" * 300 + " y",
        " ".join(words[:300]) + " NATO.Russia " + "x" * 3000,
    ):
        for start in (len(raw), len(raw) - 1, 1000, 100, 5, 0):
            expected = reference._prefix_words(raw, start)[-fragments.PREFIX_WORDS :]
            assert fragments._prefix_words(raw, start) == expected, (raw[:20], start)


# Words for generated articles: case variants, glued blocks, punctuation inside and around
# words, typographic quotes, digits and underscores (word characters for a regex), letters
# with combining marks, ligatures and full-width letters (which NFKC would change), and
# the dotted capital I (whose lower case is two characters).
VOCABULARY = [
    "the", "The", "THE", "ships", "Ships", "left", "the", "bay.", "bay", "Bay,", "port.",
    "closeRussia", "NATO.Russia", "Why?Because", "“the", "ships”", "‘left’", "—", "it's",
    "3.5", "400,000", "snake_case", "x2", "x²", "½", "café", "cafe\u0301", "CAFÉ", "ﬁre",
    "fire", "ＡＢＣ", "abc", "İzmir", "izmir", "straße", "STRAẞE", "(the", "ships)", "-",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", "  ", "\t", "\xa0", " \u2028", " \n", "\n", "\n\n", " \r\n "]


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, int, int]:
    """An article of drawn words and separators, and a passage of whole words in it."""
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=60))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    raw = "".join(word + sep for word, sep in zip(words, seps, strict=True))
    offsets = [m.span() for m in re.finditer(r"\S+", raw)]
    first = draw(st.integers(0, len(offsets) - 1))
    last = draw(st.integers(first, min(len(offsets) - 1, first + 16)))
    start, end = offsets[first][0], offsets[last][1]
    # Sometimes inside the punctuation around the words, as a quote may begin or end.
    if draw(st.booleans()) and end - start > 1 and not raw[start].isalnum():
        start += 0 if raw[start + 1].isspace() else 1
    if draw(st.booleans()) and end - start > 1 and not raw[end - 1].isalnum():
        end -= 0 if raw[end - 2].isspace() else 1
    return raw, start, end


@settings(max_examples=300)
@given(articles())
def test_generated_passages_get_the_directive_the_regex_matcher_chose(
    case: tuple[str, int, int],
) -> None:
    raw, start, end = case
    assert fragments._fragment(raw, start, end) == reference._fragment(raw, start, end)


@settings(max_examples=300)
@given(articles(), st.integers(0, 3), st.integers(1, 4), st.integers(0, 3))
def test_generated_terms_are_counted_as_the_regex_did(
    case: tuple[str, int, int], cut: int, count: int, prefix_size: int
) -> None:
    raw, start, end = case
    words = raw[start:end].split()[:count]
    # A term may begin or end inside a word of the article.
    words[0] = words[0][min(cut, len(words[0]) - 1) :]
    prefix = raw[:start].split()[-prefix_size:] if prefix_size else []
    article = fragments._article(raw)
    assert fragments._starts(article, words, prefix) == reference._starts(raw, words, prefix)[:2]
    assert fragments._end_is_first(article, words, start + 1, end) == reference._end_is_first(
        raw, words, start + 1, end
    )


def test_offsets_map_back_through_collapsed_white_space() -> None:
    raw = "  A \t b\n\n  C\r\nd\xa0\xa0e   "
    article = fragments._Article(raw)
    assert article.folded == " a b\nc\nd e "
    for at, char in enumerate(article.folded):
        if not char.isspace():
            assert raw[article.raw_offset(at)].lower() == char
            assert article.folded_offset(article.raw_offset(at)) == at
    # An offset inside a run of white space goes to the next word.
    assert article.folded[article.folded_offset(raw.index("\t"))] == "b"
    assert article.folded_offset(len(raw)) == len(article.folded)
    assert article.raw_offset(len(article.folded)) == len(raw)
    assert list(article.matches(["b", "c"])) == []  # not within one line
    assert list(article.matches(["d", "E"])) == [(raw.index("d"), raw.index("e") + 1)]


def test_folding_equates_exactly_what_the_regex_ignored_case_of() -> None:
    """The fold table is re's own list of letters equal under IGNORECASE beyond lower case,
    and folded characters are equal just when a case-insensitive pattern matches them."""
    from re import _casefix

    groups = {tuple(sorted((k, *v))) for k, v in _casefix._EXTRA_CASES.items()}
    assert {tuple(sorted(map(ord, g))) for g in fragments._SAME_LETTERS} == groups
    # Characters that share a lower case, an upper case or a fold are candidates for
    # being taken as one: check every such pair in the Basic Multilingual Plane.
    related: dict[str, set[str]] = {}
    for code in range(0x10000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        for key in ("l" + char.lower(), "u" + char.upper(), "f" + fragments._fold(char)):
            related.setdefault(key, set()).add(char)
    pairs = {(a, b) for group in related.values() if len(group) > 1 for a in group for b in group}
    assert len(pairs) > 3000
    for a, b in pairs:
        same = re.fullmatch(re.escape(a), b, re.IGNORECASE) is not None
        assert (fragments._fold(a) == fragments._fold(b)) == same, (a, b)


def test_letters_re_takes_for_one_another_count_in_every_word() -> None:
    """The one place the new matcher counts more: a long s, dotless i, micro sign or Greek
    final sigma in the first word of a term. The regex matcher found candidate places by
    the lower case of that word (so "ſhips" never met "ships") but compared the other words
    as its case-insensitive pattern did (so "the ſhips" met "the ships"); now every word is
    compared the second way, which only counts more occurrences, as a browser does (it
    compares at primary strength, where ſ is an s)."""
    raw = "the ships left\nand ſhips left\n"
    article = fragments._article(raw)
    second = raw.index("ſhips")
    assert fragments._starts(article, ["the", "ſhips"], []) == [0]
    assert reference._starts(raw, ["the", "ſhips"], []) == [0]
    assert fragments._starts(article, ["ſhips", "left"], []) == [4, second]
    assert reference._starts(raw, ["ſhips", "left"], []) == [second]
    # So the passage gets a directive that tells the two apart, for a browser as well.
    old, new = (module._fragment(raw, second, second + 10) for module in (reference, fragments))
    assert (old, new) == ("#:~:text=%C5%BFhips%20left", "#:~:text=and-,%C5%BFhips%20left")
    assert Page(raw).ranges(new) == [(second, second + 10)]
