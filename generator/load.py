"""Load stage: YAML text to a tree of positioned nodes, every scalar kept as text.

PyYAML's C parser composes the node tree (positions included); we never *construct*
Python objects from it, so YAML 1.1 guessing (`no` → False, `2025` → int, dates →
`datetime.date`) cannot happen and a value like `2024-13-45` is just text for the
checker to judge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class Scalar:
    """A text value. `value` is exactly what the editor wrote, as YAML reads it."""

    value: str
    pos: Pos


@dataclass
class Seq:
    items: list[Node]
    pos: Pos


@dataclass
class Map:
    """A mapping; `keys` holds each key's own position, for unknown-key diagnostics."""

    items: dict[str, Node]
    keys: dict[str, Pos]
    pos: Pos


Node = Scalar | Seq | Map


@dataclass
class _Ctx:
    path: str
    report: Report
    seen: set[int] = field(default_factory=set)


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
    # Only scan events when an anchor or alias could be present: it is a second parse.
    if ("&" in text or "*" in text) and not _refuse_anchors(text, rel, report):
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
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
    if node is None:
        report.error(Pos(rel), "file holds no YAML document")
        return None
    return _convert(node, _Ctx(rel, report))


def load_yaml(file: Path, rel: str, report: Report) -> Node | None:
    text = read_text(file, rel, report)
    return None if text is None else parse_yaml(text, rel, report)


def _leading_tab(text: str) -> int | None:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number
    return None


def _refuse_anchors(text: str, rel: str, report: Report) -> bool:
    try:
        for event in yaml.parse(text, Loader=_Loader):
            anchor = getattr(event, "anchor", None)
            if isinstance(event, yaml.AliasEvent) or anchor:
                report.error(
                    _pos(rel, event.start_mark),
                    "YAML anchors and aliases are not allowed",
                    "write the value out in full where it is needed",
                )
                return False
    except yaml.YAMLError:
        return True  # compose reports the syntax error with its position
    return True


def _convert(node: yaml.Node, ctx: _Ctx) -> Node | None:
    pos = _pos(ctx.path, node.start_mark)
    if node.tag not in _ALLOWED_TAGS and node.tag != "!":
        # Reported, then read as plain YAML, so the error is not echoed as a missing key.
        ctx.report.error(pos, f"YAML tag {node.tag!r} is not allowed", "remove the tag")
    if isinstance(node, yaml.ScalarNode):
        if (
            node.tag == _STANDARD_TAG + "null"
            and not node.style
            and node.value in ("~", "null", "Null", "NULL")
        ):
            return Scalar("", pos)
        return Scalar(str(node.value), pos)
    if isinstance(node, yaml.SequenceNode):
        children = [_convert(child, ctx) for child in node.value]
        return Seq([c for c in children if c is not None], pos)
    if isinstance(node, yaml.MappingNode):
        items: dict[str, Node] = {}
        keys: dict[str, Pos] = {}
        for key_node, value_node in node.value:
            key_pos = _pos(ctx.path, key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                ctx.report.error(key_pos, "a key must be plain text")
                continue
            if key_node.tag == _STANDARD_TAG + "merge":
                ctx.report.error(
                    key_pos, "YAML merge keys (<<) are not allowed", "write the keys out in full"
                )
                continue
            key = str(key_node.value)
            if key in items:
                first = keys[key]
                ctx.report.error(
                    key_pos,
                    f"duplicate key {key!r} (first at line {first.line})",
                    "YAML would silently keep only the last value; remove or rename one",
                )
                continue
            value = _convert(value_node, ctx)
            if value is not None:
                items[key] = value
                keys[key] = key_pos
        return Map(items, keys, pos)
    raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover
