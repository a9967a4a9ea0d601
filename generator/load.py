"""Load stage: YAML text to a tree of positioned nodes, every scalar kept as text.

PyYAML's C parser composes the node tree (positions included); we never *construct*
Python objects from it, so YAML 1.1 guessing (`no` → False, `2025` → int, dates →
`datetime.date`) cannot happen and a value like `2024-13-45` is just text for the
checker to judge.

Two composers give the same nodes and diagnostics: the usual brief (no tag, anchor or
syntax error) is composed by libyaml's own composer and converted (`_compose_nodes`,
the quicker); anything else is judged event by event (`_compose`), which reports every
refused feature where it stands. A property test holds the two to the same results.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.diagnostics import Diagnostic, Pos, Report

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


# YAML also ends lines at these; editors (and `Pos`) count lines at `\n` only.
_ODD_BREAKS = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


class _Places:
    """Lines and columns as an editor counts them, from a character index in `text`.

    YAML's marks count a line at `\r`, NEL (U+0085) and U+2028/U+2029 too, and put the
    end of a file without a final newline on a line past its last; where either can
    happen, positions are worked out from the mark's character index instead.
    """

    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        # In ASCII text only `\r` can be one (a quick test for the usual file).
        self.odd = ("\r" in text or not text.isascii()) and _ODD_BREAKS.search(text) is not None
        self._starts: list[int] | None = None

    def at(self, index: int) -> Pos:
        if self._starts is None:
            self._starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        index = max(0, min(index, len(self.text)))
        line = bisect.bisect_right(self._starts, index) - 1
        return Pos(self.path, line + 1, index - self._starts[line] + 1)

    def mark(self, mark: Any) -> Pos:
        return Pos(self.path) if mark is None else self.at(mark.index)

    def at_byte(self, offset: int) -> Pos:
        """The C reader counts UTF-8 bytes, not characters, in its errors."""
        if _Loader.__name__.startswith("C"):
            chars = len(self.text.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        else:  # pragma: no cover - pure-Python PyYAML
            chars = offset
        return self.at(chars)


def read_text(file: Path, rel: str, report: Report) -> str | None:
    """Read a UTF-8 input file, reporting size, encoding and BOM problems."""
    try:
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(
                Pos(rel),
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "is it the right file? keep only the article's text, or split a topic in two",
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
        # Every byte before the first bad one is valid UTF-8: count its characters.
        col = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1
        byte = data[exc.start : exc.start + 1]
        guess = byte.decode("cp1252", errors="replace")
        seems = (
            f"byte 0x{byte[0]:02x} would be {guess!r} in Windows-1252; "
            if guess.isprintable()
            else ""
        )
        report.error(
            Pos(rel, line, col),
            f"file is not valid UTF-8 (byte 0x{byte[0]:02x})",
            f"{seems}save the file as UTF-8 (most editors offer it under Save As, Encoding)",
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
    places = _Places(rel, text)
    try:
        node, found = _compose_nodes(text, places)
    except _Unusual:
        pass  # judged event by event below, as every text can be
    else:
        report.items.extend(found)
        return node
    try:
        return _compose(text, places, report)
    except yaml.reader.ReaderError as exc:
        report.error(
            places.at_byte(exc.position),
            f"character U+{exc.character:04X} is not allowed in a brief ({exc.reason})",
            "delete it: most editors do not show it, so retype the text around it if unsure",
        )
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = str(exc.problem or "invalid YAML")
        if exc.context and exc.context_mark and exc.context_mark is not mark:
            where = places.mark(exc.context_mark)
            message += f" ({exc.context}, which starts at line {where.line}, column {where.col})"
        report.error(places.mark(mark), f"YAML syntax: {message}")
        return None
    except yaml.YAMLError as exc:
        report.error(Pos(rel), f"YAML syntax: {exc}")
        return None


def load_yaml(file: Path, rel: str, report: Report) -> Node | None:
    text = read_text(file, rel, report)
    return None if text is None else parse_yaml(text, rel, report)


def _leading_tab(text: str) -> int | None:
    if "\t" not in text:
        return None  # the usual file: no pattern needed
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


def _compose(text: str, places: _Places, report: Report) -> Node | None:
    """Build our nodes straight from the C parser's events: any text, and anchors,
    aliases, tags, merge keys and duplicate keys judged on the way. One event at a
    time, with no recursion: nesting depth is free."""
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    rel, odd = places.path, places.odd
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
                    _refuse_anchor(event, places, report)
                    return None
                mark = event.start_mark
                pos = places.at(mark.index) if odd else Pos(rel, mark.line + 1, mark.column + 1)
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
                        report.error(
                            pos,
                            f"a key must be plain text, not {'a mapping' if kind is starts[0] else 'a list'}",
                            "write one key per line, such as `title: ...`",
                        )
                    elif event.tag is not None:
                        _check_tag(event.tag, pos, report)
                    top = _Frame(Map({}, {}, pos) if kind is starts[0] else Seq([], pos))
                    stack.append(top)
                    continue
            elif kind in ends:
                node = stack.pop().node
                top = stack[-1] if stack else None
            elif kind is alias_event:
                _refuse_anchor(event, places, report)
                return None
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    report.error(
                        places.mark(event.start_mark),
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


class _Unusual(Exception):
    """A text that only `_compose` may judge (see `_compose_nodes`)."""


# Where a tag (`!x`, `!!str`) or an anchor (`&a`) can start: at the start of a node.
# Texts with such a character anywhere else (prose: "Wow!", "AT&T") still match nothing.
_TAG_OR_ANCHOR = re.compile(r"(?:\A|[\s\[\]{},:?\-\ufeff])[!&]")


def _composer() -> type | None:
    """libyaml's parser and composer alone (no constructor), resolving no tag; None
    without the C extension (the pure-Python composer would not be quicker)."""
    try:
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        return None

    class Composer(CParser):
        def resolve(self, kind: Any, value: Any, implicit: Any) -> None:
            return None

        def descend_resolver(self, parent: Any, index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return Composer


_Composer = _composer()


def _compose_nodes(text: str, places: _Places) -> tuple[Node, list[Diagnostic]]:
    """The nodes of `text` from libyaml's composer, and their diagnostics: the same as
    `_compose` gives, a fifth of the time sooner, as no event is handled in Python.

    Only for a text with no tag, anchor, alias or syntax error, one document, keys that
    are text, lines broken at `\\n` alone, and nesting that Python's recursion limit
    allows: otherwise raise `_Unusual` (having reported nothing), and `_compose` judges it.
    """
    if (
        _Composer is None
        or places.odd
        or (("!" in text or "&" in text) and _TAG_OR_ANCHOR.search(text))
    ):
        raise _Unusual
    loader = _Composer(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()
    if root is None:
        raise _Unusual
    report = Report()
    try:
        node = _node(root, places.path, report)
    except RecursionError:
        raise _Unusual from None
    return node, report.items


def _node(node: Any, rel: str, report: Report) -> Node:
    """One composed node as ours, with its children. (A scalar in a mapping or list is
    made in place, not by a call: most nodes are.)"""
    mark = node.start_mark
    pos = _new_pos(Pos, (rel, mark.line + 1, mark.column + 1))
    kind = node.__class__
    if kind is _ScalarNode:
        value = node.value
        return Scalar("" if value in _NULLS and not node.style else value, pos)
    if kind is _SequenceNode:
        items: list[Node] = []
        for item in node.value:
            if item.__class__ is _ScalarNode:
                mark = item.start_mark
                value = item.value
                items.append(
                    Scalar(
                        "" if value in _NULLS and not item.style else value,
                        _new_pos(Pos, (rel, mark.line + 1, mark.column + 1)),
                    )
                )
            else:
                items.append(_node(item, rel, report))
        return Seq(items, pos)
    values: dict[str, Node] = {}
    keys: dict[str, Pos] = {}
    mapping = Map(values, keys, pos)
    for key_node, item in node.value:
        if key_node.__class__ is not _ScalarNode:
            raise _Unusual
        mark = key_node.start_mark
        key_pos = _new_pos(Pos, (rel, mark.line + 1, mark.column + 1))
        key = key_node.value
        if key in values or (key == "<<" and not key_node.style):
            _key(mapping, key, not key_node.style, key_pos, report)  # refused, and reported
            _node(item, rel, report)  # its value is judged all the same
            continue
        if item.__class__ is _ScalarNode:
            mark = item.start_mark
            value = item.value
            values[key] = Scalar(
                "" if value in _NULLS and not item.style else value,
                _new_pos(Pos, (rel, mark.line + 1, mark.column + 1)),
            )
        else:
            values[key] = _node(item, rel, report)
        keys[key] = key_pos
    return mapping


# `Pos(...)` without the Python-level `__new__` of a named tuple: one is made per node.
_new_pos = tuple.__new__
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode


def _refuse_anchor(event: Any, places: _Places, report: Report) -> None:
    report.error(
        places.mark(event.start_mark),
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
