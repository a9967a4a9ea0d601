"""The timeline page and its figure, from a small briefing with every kind of date."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import make_project

from generator.pipeline import Generated, generate
from generator.reading import timeline_entries

SVG = "{http://www.w3.org/2000/svg}"

# Claims in the order an editor wrote them; every quote is in tests/base's harbour-news.
DATED = [
    ("spring-return", "2025~", "Officials said the ships would return in spring."),
    ("second-convoy", "2024-12/2025-02", "A second convoy is expected."),
    ("left-tuesday", "2024-12-17", "The navy left the northern port on Tuesday."),
    ("before-dawn", "2024-12", "sailed “before dawn”"),
    ("six-ships", "2024", "all six of them"),
    ("northern-port", "1998", "the northern port"),
]
# The rule: first possible day, the longer period first; "about" does not move a date.
EXPECTED_ORDER = [
    "northern-port",
    "six-ships",
    "second-convoy",
    "before-dawn",
    "left-tuesday",
    "spring-return",
]


def _topic() -> str:
    lines = ["title: Ports", "sections:", "  - heading: Dated", "    claims:"]
    for claim_id, when, quote in DATED:
        status = "unconfirmed" if claim_id == "second-convoy" else "reported"
        lines += [
            f"      - id: {claim_id}",
            f"        text: Claim {claim_id.replace('-', ' ')} happened.",
            f"        date: {when}",
            f"        status: {status}",
            "        cites:",
            "          - source: harbour-news",
            f"            quote: {quote!r}",
        ]
    lines += [
        "      - id: undated",
        "        text: An undated claim.",
        "        cites:",
        "          - source: harbour-news",
        "            quote: A second convoy is expected.",
    ]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    root = make_project(
        tmp_path_factory.mktemp("timeline") / "p", {"briefs/topics/ports.yml": _topic()}
    )
    result = generate(root)
    assert result.ok(), [d.format() for d in result.report.sorted()]
    return result


def entry_lines(page: str) -> list[str]:
    return [line for line in page.splitlines() if line.startswith('<p class="timeline-entry ')]


def test_dated_claims_in_date_order_and_undated_left_out(result: Generated) -> None:
    assert result.checked is not None
    assert [e.claim.claim_id for e in timeline_entries(result.checked)] == EXPECTED_ORDER
    page = result.pages["timeline.md"]
    anchors = re.findall(r'^<p class="timeline-entry [^"]*" id="([a-z0-9-]+)">', page, re.M)
    assert anchors == EXPECTED_ORDER
    assert "undated" not in page


def test_dates_in_words_status_marked_and_linked_to_the_topic_page(result: Generated) -> None:
    page = result.pages["timeline.md"]
    lines = dict(zip(EXPECTED_ORDER, entry_lines(page), strict=True))
    assert '<span class="claim-date">about 2025</span>' in lines["spring-return"]
    assert '<span class="claim-date">December 2024</span>' in lines["before-dawn"]
    assert (
        '<span class="claim-date">between December 2024 and February 2025</span>'
        in lines["second-convoy"]
    )
    assert '<span class="claim-date">17 December 2024</span>' in lines["left-tuesday"]
    assert "claim-status-unconfirmed" in lines["second-convoy"]
    assert "claim-status" not in lines["left-tuesday"]
    for number, claim_id in enumerate(EXPECTED_ORDER, 1):
        assert f'timeline-number">{number}</span>' in lines[claim_id]
        assert f'<a href="topics/ports.md#{claim_id}">' in lines[claim_id]
    assert re.findall(r"^## (\d{4}) \{ #year_\1 \}$", page, re.M) == ["1998", "2024", "2025"]


def test_footnotes_have_their_own_numbering_in_timeline_order(result: Generated) -> None:
    page = result.pages["timeline.md"]
    first_calls: list[int] = []
    for line in entry_lines(page):
        for number in map(int, re.findall(r'<sup id="fnref\d*:(\d+)">', line)):
            if number not in first_calls:
                first_calls.append(number)
    assert first_calls == list(range(1, len(first_calls) + 1))
    bodies = re.findall(
        r'^<li id="fn:(\d+)">\n<p>.* <a href="sources/harbour-news\.md#q-[0-9a-f]{8}">',
        page,
        re.M,
    )
    assert [int(n) for n in bodies] == first_calls


def figure(page: str) -> ET.Element:
    match = re.search(r"<svg .*?</svg>", page, re.S)
    assert match is not None
    return ET.fromstring(match.group(0))


def test_figure_is_accessible_and_self_contained(result: Generated) -> None:
    svg = figure(result.pages["timeline.md"])
    assert svg.get("role") == "img"
    ids = {e.get("id") for e in svg.iter()}
    labelled_by = (svg.get("aria-labelledby") or "").split()
    assert len(labelled_by) == 2 and set(labelled_by) <= ids
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None and title.text == "Timeline of 6 dated claims"
    assert desc is not None and "between December 2024 and February 2025, unconfirmed" in (
        desc.text or ""
    )
    for element in svg.iter():
        tag = element.tag.removeprefix(SVG)
        assert tag in {"svg", "title", "desc", "text", "line", "rect", "circle"}, tag
        for name, value in element.attrib.items():
            assert "href" not in name and not name.startswith("on"), name
            assert "url(" not in value
    assert svg.get("viewBox") == f"0 0 {svg.get('width')} {svg.get('height')}"


def _rows(svg: ET.Element) -> dict[str, ET.Element]:
    """Each row's mark (dot or bar), keyed by the row's label text."""
    children = list(svg)
    rows: dict[str, ET.Element] = {}
    for i, element in enumerate(children):
        if element.tag == f"{SVG}text" and element.get("font-weight") == "bold":
            label, mark = children[i + 1], children[i + 2]
            rows[label.text or ""] = mark
    return rows


def test_figure_draws_days_as_dots_and_uncertain_dates_as_bands(result: Generated) -> None:
    rows = _rows(figure(result.pages["timeline.md"]))
    assert sorted(rows) == sorted(
        [
            "1998",
            "2024",
            "between December 2024 and February 2025 · unconfirmed",
            "December 2024",
            "17 December 2024",
            "about 2025",
        ]
    )
    assert rows["17 December 2024"].tag == f"{SVG}circle"
    for label in ("1998", "2024", "December 2024", "about 2025"):
        assert rows[label].tag == f"{SVG}rect", label
    assert rows["about 2025"].get("stroke-dasharray"), "an approximate date is dashed"
    assert not rows["2024"].get("stroke-dasharray")

    def width(label: str) -> float:
        return float(rows[label].get("width") or 0)

    # Within one stretch of the axis, a band is as long as the period it stands for.
    assert width("2024") > width("between December 2024 and February 2025 · unconfirmed")
    assert width("between December 2024 and February 2025 · unconfirmed") == pytest.approx(
        width("December 2024") * (31 + 31 + 28) / 31, rel=0.02
    )


def test_axis_breaks_across_long_gaps_only(result: Generated) -> None:
    svg = figure(result.pages["timeline.md"])
    # A break is two slanted strokes; 1998 and 2024 are 26 years apart, 2024 and 2025 are not.
    slanted = [
        e
        for e in svg.iter(f"{SVG}line")
        if e.get("x1") != e.get("x2") and e.get("y1") != e.get("y2")
    ]
    assert len(slanted) == 2
    labels = [e.text for e in svg.iter(f"{SVG}text")]
    assert "1998" in labels and "2025" in labels


def test_no_dated_claim_gives_a_page_without_figure(tmp_path: Path) -> None:
    result = generate(make_project(tmp_path / "p"))
    assert result.ok()
    page = result.pages["timeline.md"]
    assert "<svg" not in page
    assert "No claim in this briefing is dated yet." in page
