"""Property tests: whatever the briefs hold, `briefing check` answers with diagnostics.

Random YAML documents and random mutations of the real briefing (lines dropped,
duplicated, swapped or re-indented, values retyped, quotes swapped between claims,
bytes corrupted, files truncated) go through the whole pipeline. It must never raise,
`briefing check` must exit 0 or 1, and every diagnostic must name a file that exists
and a line and column inside it.

The `ci` profile (the default, see conftest.py) is derandomized so CI runs the same
examples every time; `HYPOTHESIS_PROFILE=explore` searches far more widely.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.diagnostics import Diagnostic, Report
from generator.load import Map, Node, Seq, _compose, _compose_nodes, _Places, _Unusual, parse_yaml
from generator.pipeline import generate

REAL_BRIEFS = REPO / "briefs"
BRIEF_FILES = sorted(p.relative_to(REPO).as_posix() for p in REAL_BRIEFS.rglob("*") if p.is_file())
YAML_FILES = [f for f in BRIEF_FILES if f.endswith(".yml")]
KEYS = [
    "title", "as_of", "prepared_by", "topics", "key_points", "sections", "heading",
    "claims", "id", "text", "date", "status", "disputed_by", "cites", "source", "quote",
    "via", "publisher", "url", "published", "accessed", "archive_url", "relays",
]  # fmt: skip
# Fragments that reach the corners of YAML and of the rules: refused features, odd
# scalars, bad dates and ids, hostile URLs, encodings.
TOKENS = [
    "\t", "\ufeff", "\x00", "\x07", "\x85", "\u2028", ": ", "- ", "? ", "&a ", "*a", "<<: ",
    "!!python/object:os.system ", "!x ", "{", "}", "[", "]", "'", '"', "---\n", "...\n",
    "#", "~", "null", "yes", "0x1F", "1e3", "2024-13-45", "2024-02-30", "0000-01-01",
    "9999-12-31~", "2025/2024", "../", "/etc/passwd", "javascript:alert(1)", "http://",
    "https://[", "https://a.example/<b>", "reported", "disputed", "unconfirmed", "|\n",
    ">-\n", "\\", "%", "@", "`", "\r", "\r\n", "é", "\u202e", "💥", " " * 40,
]  # fmt: skip
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
TOKEN = st.sampled_from(TOKENS) | TEXT


@contextmanager
def real_copy() -> Iterator[Path]:
    """A throw-away project holding a copy of the real briefing's briefs/."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REAL_BRIEFS, root / "briefs")
        yield root


def lines_of(file: Path) -> list[bytes]:
    return file.read_bytes().split(b"\n")


def assert_diagnostic_points_into_the_project(root: Path, diagnostic: Diagnostic) -> None:
    pos = diagnostic.pos
    file = root / pos.path
    assert not Path(pos.path).is_absolute() and ".." not in Path(pos.path).parts, diagnostic
    assert os.path.lexists(file), f"names a file that does not exist: {diagnostic.format()}"
    if not file.is_file():
        assert (pos.line, pos.col) == (1, 1), diagnostic.format()
        return
    lines = lines_of(file)
    assert 1 <= pos.line <= len(lines), f"line out of range: {diagnostic.format()}"
    line = lines[pos.line - 1].decode("utf-8", errors="replace")
    assert 1 <= pos.col <= len(line) + 1, f"column out of range: {diagnostic.format()}"
    assert diagnostic.message.strip(), diagnostic


def check_everything(root: Path) -> None:
    """The properties: no exception, exit 0 or 1, every diagnostic inside an existing file."""
    result = generate(root)  # a bug raises here, with its traceback, and fails the test
    for diagnostic in result.report.items:
        assert_diagnostic_points_into_the_project(root, diagnostic)
    if result.ok():
        assert result.pages, "a briefing that checks clean renders its pages"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["check", "--root", str(root)])
    assert code in (0, 1), err.getvalue()
    assert "internal error" not in err.getvalue()
    assert code == (0 if result.ok() else 1)
    if code == 1:
        assert err.getvalue().strip(), "a failed check says why"


# --- random YAML documents ---------------------------------------------------------------

scalars = TOKEN | st.sampled_from(["", "ports", "navy-left", "harbour-news", "2025-01-02"])
documents = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | TEXT, children, max_size=5)
    ),
    max_leaves=25,
)


def dump(document: Any, flow: bool) -> str:
    return yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow, sort_keys=False)


@given(
    target=st.sampled_from(YAML_FILES),
    document=documents,
    flow=st.booleans(),
)
def test_random_yaml_documents_in_place_of_a_brief(target: str, document: Any, flow: bool) -> None:
    with real_copy() as root:
        (root / target).write_text(dump(document, flow), encoding="utf-8")
        check_everything(root)


@given(
    target=st.sampled_from(BRIEF_FILES),
    content=st.binary(max_size=200) | TEXT.map(str.encode),
)
def test_random_bytes_in_place_of_a_brief(target: str, content: bytes) -> None:
    with real_copy() as root:
        (root / target).write_bytes(content)
        check_everything(root)


# --- random mutations of the real briefing --------------------------------------------


def _value_lines(lines: list[bytes], key: bytes) -> list[int]:
    return [i for i, line in enumerate(lines) if line.lstrip(b" -").startswith(key + b":")]


def mutate(data: st.DataObject, content: bytes) -> bytes:
    """One random edit of the kind an editor (or a broken tool) makes."""
    lines = content.split(b"\n")
    at = data.draw(st.integers(0, max(0, len(lines) - 1)), label="line")
    kind = data.draw(
        st.sampled_from(
            [
                "drop-line",
                "duplicate-line",
                "swap-lines",
                "reindent",
                "retype-value",
                "replace-value",
                "swap-values",
                "insert",
                "corrupt-byte",
                "truncate",
            ]
        ),
        label="mutation",
    )
    if kind == "drop-line":
        del lines[at]
    elif kind == "duplicate-line":
        lines.insert(at, lines[at])
    elif kind == "swap-lines":
        other = data.draw(st.integers(0, len(lines) - 1), label="other line")
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "reindent":
        shift = data.draw(st.integers(-4, 4), label="shift")
        stripped = lines[at].lstrip(b" ")
        indent = max(0, len(lines[at]) - len(stripped) + shift)
        lines[at] = b" " * indent + stripped
    elif kind in ("retype-value", "replace-value", "swap-values"):
        key = data.draw(st.sampled_from(KEYS), label="key").encode()
        where = _value_lines(lines, key) or [at]
        first = data.draw(st.sampled_from(where), label="value line")
        head, sep, value = lines[first].partition(b": ")
        if kind == "retype-value":
            shape = data.draw(st.sampled_from([b"[%s]", b"{x: %s}", b"", b"\n  - %s", b"%s: %s"]))
            value = shape.replace(b"%s", value.strip())
        elif kind == "replace-value":
            value = data.draw(TOKEN, label="value").encode()
        else:  # swap with the same key's value elsewhere: quotes, ids, sources trade places
            second = data.draw(st.sampled_from(where), label="other value line")
            other_head, other_sep, other_value = lines[second].partition(b": ")
            lines[second] = other_head + other_sep + value
            value = other_value
        lines[first] = head + (sep or b": ") + value
    else:
        raw = b"\n".join(lines)
        offset = data.draw(st.integers(0, len(raw)), label="offset")
        if kind == "insert":
            token = data.draw(TOKEN.map(str.encode) | st.binary(min_size=1, max_size=4))
            raw = raw[:offset] + token + raw[offset:]
        elif kind == "corrupt-byte" and offset < len(raw):
            byte = data.draw(st.integers(0, 255), label="byte")
            raw = raw[:offset] + bytes([byte]) + raw[offset + 1 :]
        else:
            raw = raw[:offset]
        return raw
    return b"\n".join(lines)


@given(data=st.data(), edits=st.integers(1, 4))
def test_random_mutations_of_the_real_briefing(data: st.DataObject, edits: int) -> None:
    with real_copy() as root:
        for _ in range(edits):
            target = root / data.draw(st.sampled_from(BRIEF_FILES), label="file")
            target.write_bytes(mutate(data, target.read_bytes()))
        check_everything(root)


def test_the_unmutated_real_briefing_checks_clean() -> None:
    """The baseline the mutations start from: without this, every example would fail alike."""
    with real_copy() as root:
        assert generate(root).ok()
        check_everything(root)


# --- the two composers ------------------------------------------------------------------
# The usual brief is composed by libyaml's composer and converted; anything it declines
# (tags, anchors, errors, keys that are not text...) is judged event by event. The two
# must give the very same nodes and diagnostics wherever the quick one answers.


def quick_agrees(text: str) -> bool:
    """Both composers on `text`: they agree, or the quick one declines (False)."""
    places = _Places("t.yml", text)
    report = Report()
    try:
        expected: Any = _compose(text, places, report)
    except yaml.YAMLError:
        expected = yaml.YAMLError
    try:
        node, found = _compose_nodes(text, places)
    except _Unusual:
        return False
    assert expected is not yaml.YAMLError, "the quick composer took a text with a YAML error"
    assert node == expected
    assert [d.format() for d in found] == [d.format() for d in report.items]
    return True


@given(document=documents, flow=st.booleans())
def test_the_quick_composer_agrees_on_random_documents(document: Any, flow: bool) -> None:
    quick_agrees(dump(document, flow))


@given(data=st.data(), edits=st.integers(1, 3))
def test_the_quick_composer_agrees_on_mutated_briefs(data: st.DataObject, edits: int) -> None:
    content = (REPO / data.draw(st.sampled_from(YAML_FILES), label="file")).read_bytes()
    for _ in range(edits):
        content = mutate(data, content)
    quick_agrees(content.decode("utf-8", errors="replace"))


@given(tokens=st.lists(TOKEN | st.sampled_from(KEYS), max_size=12))
def test_the_quick_composer_agrees_on_token_soup(tokens: list[str]) -> None:
    quick_agrees("".join(tokens))


def test_the_quick_composer_takes_the_real_briefs_and_declines_the_unusual() -> None:
    for rel in YAML_FILES:
        assert quick_agrees((REPO / rel).read_text(encoding="utf-8")), rel
    assert quick_agrees("a: [1, {b: ~}]\nc: 'null'\nd:\nd: 2\n<<: x\n")
    for text in (
        "a: !!str x\n",
        "a: &x 1\nb: *x\n",
        "a: *x\n",
        "a: 1\n---\nb: 2\n",
        "? [a]\n: b\n",
    ):
        assert not quick_agrees(text), text
    # Deeper than Python's recursion allows the conversion, yet within libyaml's limit.
    deep = "a: " + "[" * 990 + "]" * 990 + "\n"
    assert not quick_agrees(deep)
    expected = _compose(deep, _Places("t.yml", deep), Report())
    assert flatten(parse_yaml(deep, "t.yml", Report())) == flatten(expected)


def flatten(node: Node | None) -> list[tuple[str, object, object]]:
    """A node tree as a list, walked without recursion (== on a deep tree recurses)."""
    out: list[tuple[str, object, object]] = []
    stack: list[Node | None] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Map):
            out.append(("map", item.pos, tuple(item.keys.items())))
            stack.extend(reversed(list(item.items.values())))
        elif isinstance(item, Seq):
            out.append(("seq", item.pos, len(item.items)))
            stack.extend(reversed(item.items))
        else:
            out.append(("scalar", item and item.pos, item and item.value))
    return out
