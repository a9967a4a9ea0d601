"""Text-fragment links select exactly the quoted passage, by the rules browsers apply."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import make_project
from fragment_matcher import Page, parse
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.check import Checked, Passage, run_check
from generator.diagnostics import Report
from generator.fragments import text_fragment
from generator.textmatch import NormalisedText

FOX = "The quick brown fox jumped over the lazy dog.\nThe fox's den; it's 3.5 km away."


@pytest.mark.parametrize(
    ("fragment", "selected"),
    [
        ("#:~:text=jumped", ["jumped"]),
        ("#:~:text=THE%20QUICK", ["The quick"]),  # case-insensitive
        ("#:~:text=u-,mped", []),  # the prefix starts on a word boundary
        ("#:~:text=jump", []),  # and so does the end of the match
        ("#:~:text=quick,lazy", ["quick brown fox jumped over the lazy"]),
        ("#:~:text=fox,-jumped", ["fox"]),
        ("#:~:text=fox,-over", []),
        ("#:~:text=brown-,fox", ["fox"]),
        ("#:~:text=the-,fox", []),  # in "The fox's", fox does not end a word
        ("#:~:text=dog.%20The", []),  # a term never spans a line break
        ("#:~:text=dog.,-The", ["dog."]),  # context terms may
        ("#:~:text=it", []),  # "it's" is one word
        ("#:~:text=3", []),  # and so is "3.5"
        ("#:~:text=the", ["The", "the", "The"]),
    ],
)
def test_matcher_follows_the_spec(fragment: str, selected: list[str]) -> None:
    page = Page(FOX)
    assert [FOX[s:e] for s, e in page.ranges(fragment)] == selected


@pytest.mark.parametrize(
    "fragment",
    ["#:~:text=a-b", "#:~:text=a,b,c", "#:~:text=a&b", "#:~:text=a-,-b", "#text=a"],
)
def test_matcher_refuses_malformed_directives(fragment: str) -> None:
    with pytest.raises(ValueError):
        parse(fragment)


def _checked(root: Path) -> Checked:
    report = Report()
    checked = run_check(root, report)
    assert checked is not None and not report.errors, [d.format() for d in report.items]
    return checked


def _assert_selects_exactly(checked: Checked, passage: Passage, restore: bool = False) -> None:
    raw = checked.briefing.sources[passage.source_id].text
    fragment = text_fragment(raw, passage)
    found = Page(raw, restore_blocks=restore).ranges(fragment)
    where = f"{passage.source_id}: {fragment}"
    assert found, f"selects nothing: {where}"
    assert [raw[s:e] for s, e in found] == [raw[passage.span.start : passage.span.end]], where
    assert found == [(passage.span.start, passage.span.end)], f"selects another occurrence: {where}"


def test_every_real_citation_links_to_exactly_its_passage(tmp_path: Path) -> None:
    # The real sources record no URL, so no page shows these links yet; the directive
    # is built the same way for any source that has one.
    checked = _checked(make_project(tmp_path / "real", real=True))
    assert len(checked.passages) > 50
    for passage in checked.passages.values():
        _assert_selects_exactly(checked, passage, restore=True)


ARTICLE = """\
Navy news
The ships left the port at dawn. Later, the ships left the bay. Officials said the ships left the bay for good.
The convoy sailed at noon; officials said the convoy sailed empty.
Officials said the fleet would return in spring.
Officials said the fleet would not return before repairs at the northern yard are complete.
"""


@pytest.mark.parametrize(
    "quote",
    [
        "the ships left the bay",  # occurs twice: the prefix must tell them apart
        "the convoy sailed",  # once as written, but a browser ignores case: "The convoy sailed"
        "Officials said the fleet would not return before repairs at the northern yard",
        "the bay for good",
        "The ships left the port at dawn. Later, the ships left the bay.",
    ],
)
def test_hard_passages_link_to_exactly_themselves(tmp_path: Path, quote: str) -> None:
    topic = (
        "title: Ports\nsections:\n  - heading: Ships\n    claims:\n"
        "      - id: ships\n        text: Ships left.\n        cites:\n"
        f"          - source: harbour-news\n            quote: {quote!r}\n"
    )
    root = make_project(
        tmp_path / "p",
        {"briefs/sources/harbour-news.txt": ARTICLE, "briefs/topics/ports.yml": topic},
    )
    checked = _checked(root)
    [passage] = checked.passages.values()
    _assert_selects_exactly(checked, passage)


WORDS = ["the", "The", "ships", "left", "port.", "said", "Officials", "navy", "a", "it's", "3.5"]


@settings(max_examples=300, deadline=None)
@given(
    lines=st.lists(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=30), min_size=1, max_size=4
    ),
    pick=st.tuples(st.integers(0, 3), st.integers(0, 29), st.integers(1, 30)),
)
def test_any_passage_links_to_itself(lines: list[list[str]], pick: tuple[int, int, int]) -> None:
    """A passage whose words occur once (ignoring case) is selected, and only it; any
    other passage at least takes the reader to the same words."""
    raw = "\n".join(" ".join(line) for line in lines) + "\n"
    line_no, first, length = pick
    line = lines[line_no % len(lines)]
    first %= len(line)
    quote = " ".join(line[first : first + length])
    text = NormalisedText(raw)
    spans = text.find_all(quote)
    span = spans[0]  # the checker links the first occurrence as written
    # ...which may sit inside a longer word ("a" in "said"): no fragment can select that.
    assume(raw[span.start - 1 : span.start].isspace() or span.start == 0)
    assume(raw[span.end : span.end + 1].isspace())
    passage = Passage("s", quote, span, text.sentence_around(span), "q-x", len(spans))
    fragment = text_fragment(raw, passage)
    found = Page(raw).ranges(fragment)
    words = r"\s+".join(re.escape(word) for word in quote.split())
    occurrences = re.findall(rf"(?=(?<!\S){words}(?!\S))", raw, re.IGNORECASE)
    if len(occurrences) == 1:
        assert found == [(span.start, span.end)], fragment
    else:
        assert found, fragment
        first_start, first_end = found[0]
        assert " ".join(raw[first_start:first_end].split()).lower() == quote.lower(), fragment
