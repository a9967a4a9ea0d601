"""Load stage: YAML text to a tree of positioned nodes, every scalar kept as text.

PyYAML's C parser composes the node tree (positions included); we never *construct*
Python objects from it, so YAML 1.1 guessing (`no` → False, `2025` → int, dates →
`datetime.date`) cannot happen and a value like `2024-13-45` is just text for the
checker to judge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Pos, Report

try:  # The C loader is ~10x faster; the pure-Python one is only a fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 5 * 1024 * 1024
_STANDARD_TAG = "tag:yaml.org,2002:"
# The tags plain YAML resolves to; anything else (`!!python/object`, `!!binary`, `!custom`)
# asks for a constructor we never run, so it is refused rather than silently dropped.
_ALLOWED_TAGS = {
    _STANDARD_TAG + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}


@dataclass(slots=True)
class Scalar:
    """A text value. `value` is exactly what the editor wrote, as YAML reads it."""

    value: str
    pos: Pos


@dataclass(slots=True)
class Seq:
    items: list[Node]
    pos: Pos


@dataclass(slots=True)
class Map:
    """A mapping; `keys` holds each key's own position, for unknown-key diagnostics."""

    items: dict[str, Node]
    keys: dict[str, Pos]
    pos: Pos


Node = Scalar | Seq | Map


def _pos(path: str, mark: Any) -> Pos:
    if mark is None:
        return Pos(path)
    return Pos(path, mark.line + 1, mark.column + 1)


def read_text(file: Path, rel: str, report: Report) -> str | None:
    """Read a UTF-8 input file, reporting size, encoding and BOM problems."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(
                Pos(rel),
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "split it into smaller files",
            )
            return None
        data = file.read_bytes()
    except OSError as exc:
        report.error(Pos(rel), f"cannot read file: {exc.strerror or exc}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report.error(Pos(rel), "file starts with a byte-order mark", "save it as UTF-8 without BOM")
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(
            Pos(rel, line, col),
            f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x})",
            "save it as UTF-8",
        )
        return None


def parse_yaml(text: str, rel: str, report: Report) -> Node | None:
    """Compose `text` into nodes; report syntax errors and refused YAML features."""
    if not text.strip():
        report.error(
            Pos(rel), "file is empty", "a brief file is a YAML mapping such as `title: ...`"
        )
        return None
    tab = _leading_tab(text)
    if tab is not None:
        report.error(
            Pos(rel, tab, 1), "tab character in indentation", "indent with spaces, not tabs"
        )
        return None
    try:
        return _compose(text, rel, report)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or "invalid YAML")
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            where = _pos(rel, exc.context_mark)
            message += f" ({exc.context}, which starts at line {where.line}, column {where.col})"
        report.error(_pos(rel, mark), f"YAML syntax: {message}")
        return None
    except yaml.YAMLError as exc:
        report.error(Pos(rel), f"YAML syntax: {exc}")
        return None


def load_yaml(file: Path, rel: str, report: Report) -> Node | None:
    text = read_text(file, rel, report)
    return None if text is None else parse_yaml(text, rel, report)


def _leading_tab(text: str) -> int | None:
    match = _TAB_INDENT.search(text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


_TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)
_NULLS = ("~", "null", "Null", "NULL")
_SKIP = "skip"  # a map's next value belongs to a refused key


class _Frame:
    """An open mapping or sequence; for a mapping, `key` says what the next node is."""

    __slots__ = ("node", "is_map", "key")

    def __init__(self, node: Seq | Map) -> None:
        self.node = node
        self.is_map = isinstance(node, Map)
        # None: a key comes next; (key, pos): its value comes next; _SKIP: drop the value.
        self.key: tuple[str, Pos] | str | None = None


_NULL_TAG = _STANDARD_TAG + "null"


def _compose(text: str, rel: str, report: Report) -> Node | None:
    """Build our nodes straight from the C parser's events.

    Cheaper than composing PyYAML nodes and converting them (no resolver runs: every
    scalar is text), and anchors, aliases, tags, merge keys and duplicate keys are
    judged on the way. One event at a time, with no recursion: nesting depth is free.
    """
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = _Loader(text)
    get_event = loader.get_event
    stack: list[_Frame] = []
    top: _Frame | None = None
    root: Node | None = None
    documents = 0
    try:
        while True:
            event: Any = get_event()
            kind = event.__class__
            node: Node
            if kind is scalar_event or kind in starts:
                if event.anchor is not None:
                    _refuse_anchor(event, rel, report)
                    return None
                mark = event.start_mark
                pos = Pos(rel, mark.line + 1, mark.column + 1)
                as_key = top is not None and top.is_map and top.key is None
                if kind is scalar_event:
                    value = event.value
                    if as_key:
                        assert top is not None and isinstance(top.node, Map)
                        plain = event.implicit[0] and not event.style
                        top.key = _key(top.node, value, plain, pos, report)
                        continue
                    tag = event.tag
                    if tag is not None:
                        _check_tag(tag, pos, report)
                    if value in _NULLS and not event.style and (tag is None or tag == _NULL_TAG):
                        value = ""
                    node = Scalar(value, pos)
                else:
                    if as_key:
                        report.error(pos, "a key must be plain text")
                    elif event.tag is not None:
                        _check_tag(event.tag, pos, report)
                    top = _Frame(Map({}, {}, pos) if kind is starts[0] else Seq([], pos))
                    stack.append(top)
                    continue
            elif kind in ends:
                node = stack.pop().node
                top = stack[-1] if stack else None
            elif kind is alias_event:
                _refuse_anchor(event, rel, report)
                return None
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    report.error(
                        _pos(rel, event.start_mark),
                        "a second YAML document starts here",
                        "a brief file holds one document: remove the `---` line and what follows, or move it to its own file",
                    )
                    return None
                continue
            elif kind is yaml.StreamEndEvent:
                break
            else:
                continue
            # A complete node: it goes into the open container, or is the document.
            if top is None:
                root = node
            elif not top.is_map:
                top.node.items.append(node)  # type: ignore[union-attr]
            elif top.key is None:  # it was a mapping or sequence used as a key: refused
                top.key = _SKIP
            elif top.key is _SKIP:
                top.key = None
            else:
                mapping = top.node
                assert isinstance(mapping, Map) and isinstance(top.key, tuple)
                key, key_pos = top.key
                mapping.items[key] = node
                mapping.keys[key] = key_pos
                top.key = None
    finally:
        loader.dispose()
    if root is None:
        report.error(Pos(rel), "file holds no YAML document")
    return root


def _refuse_anchor(event: Any, rel: str, report: Report) -> None:
    report.error(
        _pos(rel, event.start_mark),
        "YAML anchors and aliases are not allowed",
        "write the value out in full where it is needed",
    )


def _key(mapping: Map, key: str, plain: bool, pos: Pos, report: Report) -> tuple[str, Pos] | str:
    if plain and key == "<<":
        report.error(pos, "YAML merge keys (<<) are not allowed", "write the keys out in full")
        return _SKIP
    if key in mapping.items:
        first = mapping.keys[key]
        report.error(
            pos,
            f"duplicate key {key!r} (first at line {first.line})",
            "YAML would silently keep only the last value; remove or rename one",
        )
        return _SKIP
    return (key, pos)


def _check_tag(tag: str | None, pos: Pos, report: Report) -> None:
    # Reported, then read as plain YAML, so the error is not echoed as a missing key.
    if tag is not None and tag not in _ALLOWED_TAGS and tag != "!":
        report.error(pos, f"YAML tag {tag!r} is not allowed", "remove the tag")
