"""`briefing archive`: record each archived text's SHA-256 in its source record.

The one command that writes under `briefs/`, so it writes as little as it can: in each
source record whose `text_sha256` is missing or stale it changes that one line, or adds
it after the record's last key, and keeps every other byte (comments, key order,
quoting, line endings) as the editor wrote it. A record is rewritten atomically and only
when the line changes, and only after the whole briefing has checked without errors:
the hash stands for a text whose quotes were all found in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator.check import Checked, text_sha256
from generator.diagnostics import Pos, Report
from generator.load import Map, Node, Scalar, Seq, parse_yaml
from generator.write import write_file

KEY = "text_sha256"


@dataclass(frozen=True)
class Change:
    """One record's `text_sha256` line, as it will be after the change."""

    pos: Pos
    old: str | None
    new: str

    def describe(self) -> str:
        if self.old is None:
            return f"{self.pos}: {KEY} added ({self.new[:12]}…)"
        return (
            f"{self.pos}: {KEY} updated: the text changed since it was archived "
            f"({self.old[:12]}… → {self.new[:12]}…)"
        )


def plan(root: Path, checked: Checked, report: Report) -> dict[Path, tuple[str, Change]]:
    """The new text of every record whose hash line must change; problems go to `report`."""
    changes: dict[Path, tuple[str, Change]] = {}
    for source_id in sorted(checked.briefing.sources):
        source = checked.briefing.sources[source_id]
        digest = text_sha256(source.text)
        if source.text_sha256 == digest:
            continue
        rel = f"briefs/sources/{source_id}.yml"
        file = root / rel
        text = file.read_bytes().decode("utf-8")
        edited = _edit(text, rel, digest, report)
        if edited is None:
            continue
        new_text, line = edited
        if _verify(text, new_text, rel, digest, report):
            change = Change(Pos(rel, line, 1), source.text_sha256, digest)
            changes[file] = (new_text, change)
    return changes


def write(changes: dict[Path, tuple[str, Change]]) -> list[Change]:
    """Write the planned records (each atomically); the changes, in file order."""
    done = []
    for file, (text, change) in sorted(changes.items()):
        if write_file(file, text):
            done.append(change)
    return done


def _plain(digest: str) -> str:
    # A digest of digits with at most one `e` would read as a number in YAML 1.2 tools.
    return f'"{digest}"' if re.fullmatch(r"[0-9]*e?[0-9]*", digest) else digest


def _edit(text: str, rel: str, digest: str, report: Report) -> tuple[str, int] | None:
    """`text` with the hash line changed or added, and that line's number."""
    # Composed again for the marks of each key and value: offsets in characters of `text`.
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(node, yaml.MappingNode) or not node.value:
        report.error(Pos(rel), "cannot record the text's SHA-256: the file is not a mapping")
        return None
    if node.flow_style:
        report.error(
            Pos(rel, node.start_mark.line + 1, node.start_mark.column + 1),
            f"cannot add `{KEY}` to a record written as {{...}}",
            f"write one key per line, or add `{KEY}: {digest}` yourself",
        )
        return None
    newline = "\r\n" if "\r\n" in text else "\n"
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == KEY:
            start, end = value.start_mark.index, value.end_mark.index
            return text[:start] + _plain(digest) + text[end:], value.start_mark.line + 1
    first_key = node.value[0][0]
    last = _last_scalar(node)
    at = last.end_mark.index
    if last.end_mark.column != 0:  # not already at the start of the next line
        newline_at = text.find("\n", at)
        at = len(text) if newline_at == -1 else newline_at + 1
    head = text[:at]
    if head and not head.endswith("\n"):
        head += newline
    line = f"{' ' * first_key.start_mark.column}{KEY}: {_plain(digest)}{newline}"
    return head + line + text[at:], head.count("\n") + 1


def _last_scalar(node: yaml.Node) -> yaml.Node:
    """The record's last written value: after its line is where a new key goes.

    A block list's own end mark may lie past trailing comments; its last item's does not.
    """
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node


def _verify(old: str, new: str, rel: str, digest: str, report: Report) -> bool:
    """The edited record must read as before, plus the hash, and differ from it by one
    line; otherwise nothing is written."""
    before = parse_yaml(old, rel, Report())
    after = parse_yaml(new, rel, Report())
    if isinstance(before, Map) and isinstance(after, Map) and _one_line(old, new):
        expected = {k: _value(v) for k, v in before.items.items() if k != KEY}
        got = {k: _value(v) for k, v in after.items.items() if k != KEY}
        hash_node = after.items.get(KEY)
        if (
            expected == got
            and list(expected) == [k for k in after.items if k != KEY]
            and isinstance(hash_node, Scalar)
            and hash_node.value == digest
        ):
            return True
    report.error(
        Pos(rel),
        "cannot record the text's SHA-256 here without changing more than one line",
        f"add `{KEY}: {digest}` to the record yourself",
    )
    return False


def _one_line(old: str, new: str) -> bool:
    """`new` is `old` with one line changed, or with one line added."""
    a, b = old.splitlines(), new.splitlines()
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    return len(b) == len(a) + 1 and any(b[:i] + b[i + 1 :] == a for i in range(len(b)))


def _value(node: Node) -> object:
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Map):
        return {k: _value(v) for k, v in node.items.items()}
    assert isinstance(node, Seq)
    return [_value(item) for item in node.items]
