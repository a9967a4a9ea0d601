"""The PDFs as a reader gets them: every footnote printed on the page of its call."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pytest
from conftest import REPO
from pypdf import PdfReader

from generator.check import Checked, run_check
from generator.diagnostics import Report
from generator.pdf import Typesetter, _assembled, write_pdfs
from generator.printing import documents, topic_part
from generator.reading import Reading, read, timeline_entries
from generator.textmatch import normalise


@pytest.fixture(scope="module")
def checked() -> Checked:
    report = Report()
    result = run_check(REPO, report)
    assert result is not None and not report.errors
    return result


@pytest.fixture(scope="module")
def reading(checked: Checked) -> Reading:
    return read(checked)


@pytest.fixture(scope="module")
def site(reading: Reading, tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("pdf")
    write_pdfs(reading, site, cache_dir=None)
    return site


def searchable(text: str) -> str:
    """Text compared without hyphens: pdftotext drops the hyphen of a word broken at one."""
    return normalise(text).replace("-", "").replace(" ", "")


def page_texts(pdf: Path) -> list[str]:
    count = len(PdfReader(pdf).pages)
    texts = []
    for number in range(1, count + 1):
        out = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        texts.append(" ".join(out.split()))
    return texts


def test_every_pdf_is_written(site: Path, checked: Checked) -> None:
    assert (site / "briefing.pdf").is_file()
    for topic in checked.briefing.topics:
        assert (site / "pdf" / f"{topic.slug}.pdf").is_file()


def test_topic_pdfs_hold_every_footnote_once_on_the_page_of_its_call(
    site: Path, checked: Checked, reading: Reading
) -> None:
    for topic in checked.briefing.topics:
        notes = reading.topic(topic.slug).notes.by_key
        pages = page_texts(site / "pdf" / f"{topic.slug}.pdf")
        whole = searchable(" ".join(pages))
        bodies = [
            (i, m.group(1))
            for i, text in enumerate(pages)
            for m in re.finditer(r"(?:^| )(\d+)\. “", text)
        ]
        assert sorted(int(n) for _, n in bodies) == list(range(1, len(notes) + 1)), topic.slug
        first_call: dict[int, str] = {}
        for claim in reading.reading_order(topic):
            for citation in claim.cites:
                passage = checked.passage(citation)
                first_call.setdefault(notes[(passage.source_id, passage.anchor)].number, claim.text)
        for note in notes.values():
            quote = searchable(
                checked.briefing.sources[note.passage.source_id].text[
                    note.passage.span.start : note.passage.span.end
                ]
            )
            assert quote in whole, f"{topic.slug}: quote of footnote {note.number} missing"
            [page] = [i for i, n in bodies if int(n) == note.number]
            last_words = re.escape(" ".join(first_call[note.number].replace("*", "").split()[-3:]))
            # The marker may wrap to the start of the next line (on the same page).
            call = re.compile(last_words + r"\s*[\d,]*?" + str(note.number) + r"(?!\d)")
            assert call.search(pages[page]), (
                f"{topic.slug}: footnote {note.number} is not on the page of its call"
            )


def test_whole_briefing_counts_every_topics_footnotes(site: Path, reading: Reading) -> None:
    pages = page_texts(site / "briefing.pdf")
    bodies = sum(len(re.findall(r"(?:^| )\d+\. “", text)) for text in pages)
    assert reading.timeline.entries
    assert bodies == sum(len(view.notes) for view in reading.topics) + len(reading.timeline.notes)
    assert "Page 1 of" not in pages[0]  # the title page has no footer
    assert re.search(rf"Page 2 of {len(pages)}\b", pages[1])


def test_outline_lists_every_topic_and_section(site: Path, checked: Checked) -> None:
    reader = PdfReader(site / "briefing.pdf")

    def titles(items: list) -> list[str]:  # type: ignore[type-arg]
        out: list[str] = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [item.title])
        return out

    outline = titles(reader.outline)
    for topic in checked.briefing.topics:
        assert topic.title in outline
        for section in topic.sections:
            assert section.heading in outline
    assert "Sources" in outline


def test_metadata_comes_from_the_briefing(site: Path, checked: Checked) -> None:
    info = PdfReader(site / "briefing.pdf").metadata
    assert info is not None
    assert info.title == checked.briefing.title
    assert info.author == checked.briefing.prepared_by
    assert info.subject and checked.briefing.title in info.subject
    assert str(info.get("/CreationDate", "")).startswith(
        "D:" + checked.briefing.as_of.start.first.strftime("%Y%m%d")
    )


def test_same_input_same_bytes(checked: Checked, site: Path, tmp_path: Path) -> None:
    write_pdfs(read(checked), tmp_path, cache_dir=None, slugs=["eu-aid-conditions"])
    again = (tmp_path / "pdf" / "eu-aid-conditions.pdf").read_bytes()
    assert again == (site / "pdf" / "eu-aid-conditions.pdf").read_bytes()


def test_links_reach_their_place_across_parts(site: Path, checked: Checked) -> None:
    """Parts are typeset apart; their links to each other must still land in the PDF."""
    reader = PdfReader(site / "briefing.pdf")
    pages = page_texts(site / "briefing.pdf")
    page_of = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}  # type: ignore[union-attr]
    names = reader.named_destinations
    to_sources = 0
    for index, page in enumerate(reader.pages):
        for ref in page.get("/Annots", []):
            link = ref.get_object()
            assert "x-briefing" not in str(link.get("/A", "")), "a link between parts was left"
            if "/Dest" not in link:
                continue
            dest = link["/Dest"]
            if isinstance(dest, str):  # a named destination inside one part
                target = reader.get_destination_page_number(names[dest])
            else:
                target = page_of[dest[0].idnum]
            if index >= 2 and target == len(pages) - 1:
                to_sources += 1
            assert target != index or index >= 2, "a contents link points at the contents"
    assert to_sources, "footnotes link to the sources appendix on the last page"
    contents = pages[1]
    for topic in checked.briefing.topics:
        number = re.search(re.escape(topic.title) + r" ?\.+ ?(\d+)", contents)
        assert number, f"{topic.title} is in the contents"
        assert topic.title in pages[int(number.group(1)) - 1], "the contents give its page"


def test_a_one_topic_edit_typesets_only_that_topic(checked: Checked, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    write_pdfs(read(checked), tmp_path / "a", cache)
    edited = copy.deepcopy(checked)
    *others, topic = edited.briefing.topics
    claim = topic.sections[0].claims[0]
    claim.text += " (edited)"
    typesetter = Typesetter(cache)
    reading = read(edited)
    write_pdfs(reading, tmp_path / "b", cache, typesetter=typesetter)
    assert [html for html in typesetter.typeset_html if "(edited)" in html] == [
        topic_part(reading, reading.topic(topic.slug)).html
    ], "the edited topic is typeset once, for the briefing and its own PDF"
    unchanged = {topic_part(reading, reading.topic(other.slug)).html for other in others}
    assert not unchanged & set(typesetter.typeset_html), "an unchanged topic was typeset again"
    assert "(edited)" in " ".join(page_texts(tmp_path / "b" / "briefing.pdf"))
    assert "(edited)" in " ".join(page_texts(tmp_path / "b" / "pdf" / f"{topic.slug}.pdf"))


def test_text_is_searchable(site: Path) -> None:
    text = " ".join(page_texts(site / "briefing.pdf"))
    assert "Tobruk" in text


def test_topic_pdfs_show_support_disagreements_and_the_single_article_notice(
    site: Path, checked: Checked
) -> None:
    syria = searchable(" ".join(page_texts(site / "pdf" / "syria-bases.pdf")))
    assert searchable("Where the sources disagree") in syria
    assert searchable("2 independent articles") in syria
    assert searchable("2 articles, 1 for 1971") in syria
    assert searchable("rests on a single article") not in syria
    eu = searchable(" ".join(page_texts(site / "pdf" / "eu-aid-conditions.pdf")))
    assert searchable("Every claim on this page rests on a single article") in eu
    assert searchable("Where the sources disagree") not in eu
    libya = searchable(" ".join(page_texts(site / "pdf" / "libya-pivot.pdf")))
    assert searchable("The Wall Street Journal and BBC reported:") in libya
    assert searchable("2 articles, 1 independent") in libya


def test_briefing_pdf_has_a_timeline_part_with_its_figure(site: Path, checked: Checked) -> None:
    reader = PdfReader(site / "briefing.pdf")
    assert "Timeline" in [item.title for item in reader.outline if not isinstance(item, list)]
    pages = page_texts(site / "briefing.pdf")
    # The running header names the part each page belongs to.
    part = " ".join(p for p in pages if p.startswith(f"{checked.briefing.title} Timeline "))
    assert part
    # The figure's own text (legend, row labels) is real text in the PDF, not an image.
    assert "a month, year or range" in part
    entries = timeline_entries(checked)
    for entry in entries:
        assert entry.date.words() in part
    # The entries come in date order, each with its figure row number and footnote.
    positions = [searchable(part).index(searchable(e.claim.text)[:40]) for e in entries]
    assert positions == sorted(positions)
    assert "/JavaScript" not in (site / "briefing.pdf").read_bytes().decode("latin-1")


# --- tagged PDF (PDF/UA-1) ---------------------------------------------------------------


def every_pdf(site: Path) -> list[Path]:
    return [site / "briefing.pdf", *sorted((site / "pdf").glob("*.pdf"))]


@dataclass
class Element:
    """A structure element as `pdfinfo -struct-text` prints it, with its text."""

    kind: str
    depth: int
    ident: str = ""
    text: list[str] = field(default_factory=list)


def structure(pdf: Path) -> list[Element]:
    """The structure tree in reading order (poppler reads it as a screen reader would)."""
    out = subprocess.run(
        ["pdfinfo", "-struct-text", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    elements: list[Element] = []
    stack: list[Element] = []
    for line in out.splitlines():
        depth = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if not body or body.startswith(("Object ", "/")):  # an object reference, an attribute
            continue
        if body.startswith('"'):
            for element in stack[:depth]:
                element.text.append(body[1:-1])
            continue
        match = re.fullmatch(r"(\w+)(?: <([^>]*)>)?(?: \((?:inline|block)\))?:?", body)
        assert match, f"unexpected line in pdfinfo -struct-text: {line!r}"
        element = Element(match.group(1), depth, match.group(2) or "")
        del stack[depth:]
        stack.append(element)
        elements.append(element)
    return elements


def test_every_pdf_is_tagged(site: Path) -> None:
    for pdf in every_pdf(site):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M), f"{pdf.name} is not tagged"
        with pikepdf.open(pdf) as doc:
            assert str(doc.Root.Lang) == "en"
            assert doc.Root.MarkInfo.Marked is True
            assert doc.Root.ViewerPreferences.DisplayDocTitle is True
            meta = doc.open_metadata()
            assert meta["pdfuaid:part"] == "1", "declares PDF/UA-1"
            assert meta["dc:title"] == str(doc.docinfo.Title)


def test_briefing_pdf_is_one_tagged_document_in_reading_order(
    site: Path, checked: Checked, reading: Reading
) -> None:
    elements = structure(site / "briefing.pdf")
    assert [e.kind for e in elements if e.depth == 0] == ["Document"], "one tree"
    parts = [e for e in elements if e.depth == 1]
    assert {e.kind for e in parts} == {"Part"}
    topics = checked.briefing.topics
    assert len(parts) == 1 + len(topics) + 2, "front matter, each topic, timeline, appendix"
    headings = [" ".join(e.text) for e in elements if e.kind == "H1"]
    titles = [t.title for t in topics]
    assert headings == [checked.briefing.title, *titles, "Timeline", "Sources"]

    # Each topic's footnotes follow its heading, before the next part's, numbered in order,
    # each a Note with its own ID holding the quote it gives.
    notes_of: dict[str, list[Element]] = {}
    current = ""
    for element in elements:
        if element.kind == "H1":
            current = " ".join(element.text)
        elif element.kind == "Note":
            notes_of.setdefault(current, []).append(element)
    idents = [n.ident for notes in notes_of.values() for n in notes]
    assert all(idents) and len(set(idents)) == len(idents), "every Note has a unique ID"
    for topic in topics:
        notes = notes_of[topic.title]
        expected = reading.topic(topic.slug).notes.by_key
        numbers = [int(re.match(r"(\d+)\. ", n.text[0]).group(1)) for n in notes]  # type: ignore[union-attr]
        assert numbers == list(range(1, len(expected) + 1)), topic.slug
        for note, footnote in zip(
            notes, sorted(expected.values(), key=lambda f: f.number), strict=True
        ):
            quote = checked.briefing.sources[footnote.passage.source_id].text[
                footnote.passage.span.start : footnote.passage.span.end
            ]
            assert searchable(quote) in searchable(" ".join(note.text)), (
                f"{topic.slug}: footnote {footnote.number} is not its Note"
            )
    assert len(notes_of["Timeline"]) == len(reading.timeline.notes)
    assert "Sources" not in notes_of


def test_structure_tree_reaches_every_page_and_link(site: Path) -> None:
    """The parts' parent trees are merged with their keys moved up: every page's marked
    content and every link resolve to elements of the one tree, and nothing else does."""
    for pdf in every_pdf(site):
        with pikepdf.open(pdf) as doc:
            root = doc.Root.StructTreeRoot
            [document] = list(root.K)
            assert document.S == "/Document"
            in_tree = set()
            stack = [document]
            while stack:
                element = stack.pop()
                in_tree.add(element.objgen)
                kids = element.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR":
                        stack.append(kid)
            nums = list(root.ParentTree.Nums)
            tree = dict(zip((int(k) for k in nums[::2]), nums[1::2], strict=True))
            assert len(tree) == len(nums) // 2, "parent tree keys are unique"
            assert int(root.ParentTreeNextKey) > max(tree)
            used = []
            for page in doc.pages:
                key = int(page.obj.StructParents)
                used.append(key)
                for element in tree[key]:
                    assert element is None or element.objgen in in_tree, pdf.name
                for annotation in page.obj.get("/Annots", []):
                    key = int(annotation.StructParent)
                    used.append(key)
                    element = tree[key]
                    assert element.objgen in in_tree, f"{pdf.name}: a link outside the tree"
                    assert any(
                        isinstance(kid, pikepdf.Dictionary)
                        and kid.get("/Obj") is not None
                        and kid.Obj.objgen == annotation.objgen
                        for kid in element.K
                    ), f"{pdf.name}: a link's element does not hold it"
            assert len(used) == len(set(used)), "no key is shared by two pages or links"


def test_page_numbers_and_running_headers_are_artifacts(site: Path) -> None:
    elements = structure(site / "briefing.pdf")
    text = [line for e in elements for line in e.text]
    assert not [line for line in text if re.search(r"Page \d+ of \d+", line)]
    pages = page_texts(site / "briefing.pdf")
    assert re.search(rf"Page 3 of {len(pages)}\b", pages[2]), "still printed"


def test_footnote_number_links_have_real_boxes(site: Path) -> None:
    footnote_links = 0
    for pdf in every_pdf(site):
        with pikepdf.open(pdf) as doc:
            for page in doc.pages:
                for annotation in page.obj.get("/Annots", []):
                    x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
                    assert abs(x2 - x1) > 1 and abs(y2 - y1) > 1, (
                        f"{pdf.name}: a link box of {x2 - x1:.1f} × {y2 - y1:.1f} pt"
                    )
                    if str(annotation.get("/Dest", "")).startswith("fn-"):
                        footnote_links += 1
    assert footnote_links > 30, "footnote numbers cited again link to their footnote"


def test_assembly_gives_the_same_bytes(reading: Reading, site: Path) -> None:
    """Typeset again and assembled twice: the same bytes (no clock, no random ids)."""
    typesetter = Typesetter()
    [whole, *_] = documents(reading)
    first = _assembled(reading, whole, typesetter)
    assert first == (site / "briefing.pdf").read_bytes()
    for key in [k for k in typesetter.memory if k.startswith("assembled-")]:
        del typesetter.memory[key]
    assert _assembled(reading, whole, typesetter) == first


def test_briefing_check_loads_no_pdf_library() -> None:
    """The PDF stage's libraries are imported where they are used, not by `check`."""
    probe = (
        "import sys\n"
        "from generator.cli import main\n"
        "code = main(['check', '--root', sys.argv[1]])\n"
        "print(sorted(m for m in ('weasyprint', 'pikepdf', 'pypdf', 'pydyf') if m in sys.modules))\n"
        "sys.exit(code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(REPO)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"
