"""Unit tests of the small pieces: positions, normalisation, dates, text fragments, outlets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_project
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.check import Passage, run_check
from generator.dates import DateError, parse_date
from generator.diagnostics import Report
from generator.fragments import passage_url, text_fragment
from generator.load import Map, Scalar, Seq, parse_yaml
from generator.model import is_id
from generator.reading import sort_key
from generator.support import names_outlet
from generator.textmatch import NormalisedText, _fold
from generator.write import write_bytes


def test_nodes_carry_line_and_column_and_scalars_stay_text() -> None:
    text = "title: Ports\nsections:\n  - heading: 2025\n    claims: [no, 1e3, ~]\n"
    report = Report()
    node = parse_yaml(text, "t.yml", report)
    assert not report.items
    assert isinstance(node, Map)
    assert node.keys["sections"].line == 2
    sections = node.items["sections"]
    assert isinstance(sections, Seq)
    section = sections.items[0]
    assert isinstance(section, Map)
    heading = section.items["heading"]
    assert heading == Scalar("2025", heading.pos)
    assert (heading.pos.line, heading.pos.col) == (3, 14)
    claims = section.items["claims"]
    assert isinstance(claims, Seq)
    assert [c.value for c in claims.items if isinstance(c, Scalar)] == ["no", "1e3", ""]
    assert (claims.items[1].pos.line, claims.items[1].pos.col) == (4, 18)


def test_quoted_null_is_text() -> None:
    node = parse_yaml('a: "null"\n', "t.yml", Report())
    assert isinstance(node, Map) and node.items["a"] == Scalar("null", node.items["a"].pos)


def test_normalised_match_maps_back_to_the_archived_typography() -> None:
    raw = "He said “it’s  fine” — really.\nNext line."
    text = NormalisedText(raw)
    [span] = text.find_all('said "it\'s fine" - really.')
    assert raw[span.start : span.end] == "said “it’s  fine” — really."
    assert text.find_all("said it's fine") == []  # wording differs: no match


def test_find_all_reports_every_occurrence() -> None:
    text = NormalisedText("The ships left. Later the ships left again.")
    assert len(text.find_all("the ships left")) == 1  # case is part of the wording
    assert len(text.find_all("ships left")) == 2


def test_sentence_around_a_passage() -> None:
    raw = "First one. The navy left the port on Tuesday. Last one."
    text = NormalisedText(raw)
    [span] = text.find_all("left the port")
    sentence = text.sentence_around(span)
    assert raw[sentence.start : sentence.end] == "The navy left the port on Tuesday."


def test_closest_passage_hint() -> None:
    text = NormalisedText("The navy left the northern port on Tuesday. Nothing else.")
    assert (
        text.closest("The navy left the southern port on Tuesday.")
        == "The navy left the northern port on Tuesday."
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2024-12-17", "17 December 2024"),
        ("2024-12", "December 2024"),
        ("2025", "2025"),
        ("2025~", "about 2025"),
        ("2024-12/2025-02", "between December 2024 and February 2025"),
        ("2024-02-29", "29 February 2024"),
    ],
)
def test_date_forms_in_words(text: str, words: str) -> None:
    assert parse_date(text).words() == words


@pytest.mark.parametrize(
    "text", ["2024-13", "2023-02-29", "24-12", "2025/2024", "December 2024", "2024-1-5", ""]
)
def test_bad_dates_are_refused_with_a_reason(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


def _passage(raw: str, quote: str, occurrences: int = 1) -> Passage:
    span = NormalisedText(raw).find_all(quote)[-1]
    text = NormalisedText(raw)
    return Passage("s", quote, span, text.sentence_around(span), "q-x", occurrences)


def test_text_fragment_encodes_reserved_characters() -> None:
    raw = "Prices rose - sharply, for AT&T users."
    fragment = text_fragment(raw, _passage(raw, raw))
    assert fragment == "#:~:text=Prices%20rose%20%2D%20sharply%2C%20for%20AT%26T%20users."


def test_a_text_directive_joins_the_urls_own_fragment() -> None:
    raw = "Prices rose - sharply."
    passage = _passage(raw, raw)
    assert passage_url("https://a.example/p", raw, passage) == (
        "https://a.example/p#:~:text=Prices%20rose%20%2D%20sharply."
    )
    assert passage_url("https://a.example/p#part-2", raw, passage) == (
        "https://a.example/p#part-2:~:text=Prices%20rose%20%2D%20sharply."
    )


def test_long_text_fragment_uses_start_and_end() -> None:
    raw = "one two three four five six seven eight nine ten eleven twelve"
    fragment = text_fragment(raw, _passage(raw, raw))
    assert (
        fragment == "#:~:text=one%20two%20three%20four%20five,eight%20nine%20ten%20eleven%20twelve"
    )


def test_repeated_passage_gets_a_prefix() -> None:
    raw = "Alpha said yes. Beta said yes."
    fragment = text_fragment(raw, _passage(raw, "said yes", occurrences=2))
    assert fragment == "#:~:text=Beta-,said%20yes"


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    """A web server reading site/ runs as another user: files are not left private."""
    previous = os.umask(0o022)
    try:
        write_bytes(tmp_path / "a.pdf", b"%PDF")
    finally:
        os.umask(previous)
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def _reference_normalised(raw: str) -> tuple[str, list[int]]:
    """The definition, one character at a time: what the fast path must agree with."""
    out: list[str] = []
    index: list[int] = []
    for i, char in enumerate(raw):
        for folded in _fold(char):
            if folded == " " and (not out or out[-1] == " "):
                continue
            out.append(folded)
            index.append(i)
    return "".join(out), index


@settings(max_examples=300, derandomize=True)
@given(st.text(alphabet=st.sampled_from(list("ab .`-\n\t\u00a0\u2019\u201c\u2014ﬁé\u0301¼\u2003"))))
def test_fast_normalisation_agrees_with_its_definition(raw: str) -> None:
    text = NormalisedText(raw)
    norm, index = _reference_normalised(raw)
    assert text.norm == norm
    for offset in range(len(norm)):
        assert text.to_raw(offset, offset + 1).start == index[offset]


@pytest.mark.parametrize(
    ("text", "outlet", "named"),
    [
        ("The Wall Street Journal and the BBC", "The Wall Street Journal", True),
        ("The Wall Street Journal and the BBC", "BBC", True),
        ("according to the wall street journal", "The Wall Street Journal", True),
        ("BBC Monitoring", "BBC", True),
        ("BBCX and Reuters", "BBC", False),
        ("The New York Times", "The Times", False),
        ("reported by The Times", "The Times", True),
        ("Journal", "The Wall Street Journal", False),
    ],
)
def test_an_outlet_is_named_as_a_whole_name(text: str, outlet: str, named: bool) -> None:
    assert names_outlet(text, outlet) is named


def test_fuzzy_dates_sort_by_first_day_then_longer_period_first() -> None:
    texts = ["2025~", "2024-12-17", "2024-12", "2024-12/2025-02", "2024", "2024-01"]
    ordered = sorted(texts, key=lambda t: sort_key(parse_date(t)))
    assert ordered == ["2024", "2024-01", "2024-12/2025-02", "2024-12", "2024-12-17", "2025~"]


@pytest.mark.parametrize(
    "value",
    [
        "../x",
        "..",
        ".",
        "/etc/passwd",
        "a/b",
        "a\\b",
        "x\n",
        "\nx",
        "X",
        "a_b",
        "-a",
        "a-",
        "a--b",
        "",
    ],
)
def test_ids_cannot_name_a_path_or_anything_but_one_plain_name(value: str) -> None:
    assert not is_id(value)


@pytest.mark.parametrize("value", ["a", "tartus-naval-base", "s400-to-libya", "2025"])
def test_plain_ids_are_ids(value: str) -> None:
    assert is_id(value)


def test_a_file_name_that_is_not_an_id_is_never_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    topics = root / "briefs" / "topics"
    (topics / "ports.yml").rename(topics / "ports\n.yml")
    report = Report()
    assert run_check(root, report) is not None
    assert [d.message for d in report.errors] == [
        "topic file name 'ports\\n' is not a valid id",
        "topic 'ports' has no file briefs/topics/ports.yml",
    ]


def test_closest_passage_aligns_by_words_not_characters() -> None:
    text = NormalisedText(
        "Harbour news\nA second convoy is expected. Tension rose at NATO.Russia has started to move."
    )
    assert text.closest("A third convoy is expected.") == "A second convoy is expected."
    assert text.closest("Russia has begun to move.") == "Russia has started to move."


def test_support_label_names_what_only_some_articles_give() -> None:
    from generator.support import Support

    assert Support(2, 2, (), False).label() == "2 independent articles"
    assert Support(2, 2, (), False, ("1971",), 1).label() == "2 articles, 1 for 1971"
    assert (
        Support(3, 2, (), False, ("2015", "Africa"), 1).label()
        == "3 articles, 2 independent, 1 for 2015 and Africa"
    )
    assert Support(2, 2, (), False, ("Russia", "Putin"), 0).label() == (
        "2 articles, none for Russia and Putin"
    )
    assert Support(1, 1, (), False).label() == "1 article"


def test_figures_and_names_as_the_wording_rules_read_them() -> None:
    from generator.wording import Evidence, figures, names

    text = "Russia moved S-400 systems and 1,000 troops (40%) to *Benghazi*; Haftar's men left."
    assert [f.shown for f in figures(text)] == ["S-400", "1,000", "40%"]
    assert [f.value for f in figures(text)] == ["400", "1000", "40"]
    # The first word of a sentence is not weighed as a name; nor are single letters.
    assert names(text) == ["Benghazi"]
    assert names("Khalifa Haftar, the Libyan warlord: Russia backs him.") == ["Haftar", "Libyan"]
    evidence = Evidence("The Syrian coast. Six frigates and 1000 men.")
    assert evidence.has_name("Syria") and evidence.has_name("syrian")
    assert not evidence.has_name("Syrte")
    assert evidence.has_figure("6") and evidence.has_figure("1000") and not evidence.has_figure("7")


def test_hedges_as_the_wording_rules_read_them() -> None:
    from generator.wording import Evidence

    assert Evidence("Libyan authorities claim that planes arrived.").doubts() == ["claim"]
    assert Evidence("But Libya isn't exactly a stable alternative.").doubts() == ["isn't exactly"]
    assert Evidence("If that is true, it may mean war.").speculates() == ["if", "may"]
    # "May" in the middle of a sentence is the month, not the modal.
    assert Evidence("The base closed in May.").speculates() == []
    assert not Evidence("Libyan authorities say planes arrived.").hedges()
    assert Evidence("Libyan authorities say planes arrived.").attributes()


def test_a_quote_matches_only_at_whole_words() -> None:
    text = NormalisedText("An important pier. Syria closeRussia established the base.")
    assert text.find_all("port") == []
    assert text.inside_words("port") == "important"
    [span] = text.find_all("Russia established")  # glued to a heading: a word of its own
    assert text.raw[span.start : span.end] == "Russia established"
    assert text.find_all(". Syria") != []  # punctuation may start a quote anywhere
