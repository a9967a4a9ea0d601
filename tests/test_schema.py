"""The brief files' JSON Schemas: current, used by the briefs, and in agreement with the checker."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO, make_project

from generator import fields
from generator.diagnostics import Report
from generator.load import Map, Node, Scalar, Seq, load_yaml
from generator.pipeline import generate
from generator.schema import generated

SCHEMAS = REPO / "schema"
KIND_OF_FOLDER = {"briefs": "briefing", "sources": "source", "topics": "topic"}


def plain(node: Node) -> Any:
    """A brief as the briefing reads it, as JSON: every scalar is text."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [plain(item) for item in node.items]
    assert isinstance(node, Map)
    return {key: plain(value) for key, value in node.items.items()}


def validator(kind: str) -> jsonschema.Draft7Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def schema_errors(file: Path, kind: str) -> list[str]:
    node = load_yaml(file, file.name, Report())
    assert node is not None, file
    return [error.message for error in validator(kind).iter_errors(plain(node))]


def brief_files(root: Path) -> list[tuple[Path, str]]:
    briefs = root / "briefs"
    files = [(briefs / "briefing.yml", "briefing")]
    files += [(f, "source") for f in sorted((briefs / "sources").glob("*.yml"))]
    files += [(f, "topic") for f in sorted((briefs / "topics").glob("*.yml"))]
    return files


def test_checked_in_schemas_are_generated_from_the_field_definitions() -> None:
    for name, text in generated().items():
        on_disk = (SCHEMAS / name).read_text(encoding="utf-8")
        assert on_disk == text, f"schema/{name} is stale: run `python -m generator.schema`"


@pytest.mark.parametrize(
    "file_kind", brief_files(REPO), ids=lambda fk: fk[0].relative_to(REPO).as_posix()
)
def test_each_real_brief_names_its_schema_and_validates(file_kind: tuple[Path, str]) -> None:
    file, kind = file_kind
    first = file.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, f"{file.name}: first line does not name its schema"
    assert (file.parent / match.group(1)).resolve() == (SCHEMAS / f"{kind}.schema.json")
    assert schema_errors(file, kind) == []


def test_yaml_12_scalars_an_editor_sees_are_accepted() -> None:
    # Editors' YAML tools read `2025` as a number and `yes` as text; both are fine briefs.
    claim = {"id": "navy-left", "text": 1984, "date": 2025, "cites": [{"source": "a", "quote": 1}]}
    topic = {"title": True, "sections": [{"heading": 2025, "claims": [claim]}]}
    assert list(validator("topic").iter_errors(topic)) == []


HASH = hashlib.sha256(
    (REPO / "tests/base/briefs/sources/harbour-news.txt").read_bytes()
).hexdigest()
TOPIC = """\
title: Ports
key_points: [navy-left]
sections:
  - heading: The departure
    claims:
      - id: navy-left
        text: The navy left the northern port.
        cites:
          - source: harbour-news
            quote: The navy left the northern port on Tuesday.
"""
SOURCE = "title: Harbour news\naccessed: 2025-01-02\n"
BRIEFING = "title: Test briefing\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports]\n"
EDITION = """\
as_of: 2025-01-24
title: Test briefing
topics:
  - slug: ports
    title: Ports
    sections:
      - heading: The departure
        claims:
          - id: navy-left
            text: The navy left the northern port.
            status: reported
            cites:
              - source: harbour-news
                quote: The navy left the northern port on Tuesday.
"""
FILES = {
    "topic": "briefs/topics/ports.yml",
    "source": "briefs/sources/harbour-news.yml",
    "briefing": "briefs/briefing.yml",
    "edition": "briefs/editions/2025-01-24.yml",
}

# (kind, base text, text replaced, replacement): each makes a file the checker refuses.
REFUSED = [
    ("topic", TOPIC, "title: Ports", "titel: Ports"),
    ("topic", TOPIC, "sections:", "chapters:"),
    ("topic", TOPIC, "key_points: [navy-left]", "key_points: navy-left"),
    ("topic", TOPIC, "  - heading: The departure\n", "  - heading: [The, departure]\n"),
    ("topic", TOPIC, "id: navy-left", "id: Navy_Left"),
    ("topic", TOPIC, "        text: The", "        status: maybe\n        text: The"),
    ("topic", TOPIC, "        text: The", "        date: December 2024\n        text: The"),
    ("topic", TOPIC, "        text: The", "        date: 2024-13\n        text: The"),
    ("topic", TOPIC, "        text: The navy left the northern port.", "        text: ' '"),
    ("topic", TOPIC, "        cites:\n", "        sources:\n"),
    ("topic", TOPIC, "source: harbour-news\n", "source: harbour-news\n            qoute: x\n"),
    ("source", SOURCE, "accessed: 2025-01-02", "accessed: yesterday"),
    ("source", SOURCE, "title: Harbour news", "headline: Harbour news"),
    ("source", SOURCE, "title: Harbour news", "title: Harbour news\nurl: javascript:alert(1)"),
    ("source", SOURCE, "title: Harbour news", "title: Harbour news\narchive_url: ftp://x.org/"),
    ("source", SOURCE, "title: Harbour news", "title: Harbour news\ntext_sha256: 32E7"),
    ("source", SOURCE, "title: Harbour news", "title: Harbour news\nrelays: Coast Radio"),
    ("source", SOURCE, "title: Harbour news", "title: Harbour news\nauthors: Ivo Brandt"),
    ("source", SOURCE, "title: Harbour news", "title: Harbour news\nauthors: [[Ivo Brandt]]"),
    ("briefing", BRIEFING, "as_of: 2025-01-31\n", ""),
    ("briefing", BRIEFING, "topics: [ports]", "topics: ports"),
    ("briefing", BRIEFING, "prepared_by: Test desk", "prepared_by: [Test desk]"),
    ("edition", EDITION, "title: Test briefing\n", ""),
    ("edition", EDITION, "  - slug: ports", "  - slug: Ports"),
    ("edition", EDITION, "    title: Ports\n", ""),
    ("edition", EDITION, "    sections:", "    chapters:"),
    ("edition", EDITION, "status: reported", "status: rumour"),
    ("edition", EDITION, "topics:\n", "topics:\n  - ports\n"),
]
# The same, for files the checker accepts: every optional key, and the odd forms.
ACCEPTED = [
    (
        "topic",
        TOPIC,
        "        text: The navy left the northern port.\n",
        "        text: The navy *left* the northern port.\n        date: 2024-12/2025-02\n"
        "        status: unconfirmed\n",
    ),
    ("topic", TOPIC, "on Tuesday.\n", "on Tuesday.\n            via: officials\n"),
    ("topic", TOPIC, "        text: The", "        date: 2025~\n        text: The"),
    ("topic", TOPIC, "        text: The", "        status: reported\n        text: The"),
    ("topic", TOPIC, "key_points: [navy-left]\n", ""),
    (
        "source",
        SOURCE,
        "accessed: 2025-01-02\n",
        "accessed: 2025-01-02\npublisher: The Coast Gazette\nurl: https://news.example.org/a?b=c\n"
        "published: 2024-12\narchive_url: http://archive.example.org/x\n"
        f"relays: [Coast Radio]\ntext_sha256: {HASH}\nauthors:\n  - Maren Tollefsen\n  - Ivo Brandt\n",
    ),
    ("source", SOURCE, "accessed: 2025-01-02\n", "accessed: 2025-01-02\npublisher:\n"),
    ("briefing", BRIEFING, "as_of: 2025-01-31", "as_of: 2025"),
    (
        "edition",
        EDITION,
        "            status: reported\n",
        "            status: disputed\n            disputed_by: [gone-claim]\n"
        "            date: 2024-12\n",
    ),
    ("edition", EDITION, "on Tuesday.\n", "on Tuesday.\n                via: officials\n"),
]


def _run(kind: str, text: str, where: Path) -> tuple[list[str], list[str]]:
    """(the checker's errors in that file, the schema's errors) for `text` as that file."""
    root = make_project(where, {FILES[kind]: text})
    report = generate(root).report
    checker = [d.format() for d in report.errors if d.pos.path == FILES[kind]]
    return checker, schema_errors(root / FILES[kind], kind)


@pytest.mark.parametrize(("kind", "base", "old", "new"), REFUSED)
def test_checker_and_schema_both_refuse(
    kind: str, base: str, old: str, new: str, tmp_path: Path
) -> None:
    assert old in base
    checker, schema = _run(kind, base.replace(old, new, 1), tmp_path / "p")
    assert checker, "the checker accepted it"
    assert schema, f"the schema accepted what the checker refuses: {checker}"


@pytest.mark.parametrize(("kind", "base", "old", "new"), ACCEPTED)
def test_checker_and_schema_both_accept(
    kind: str, base: str, old: str, new: str, tmp_path: Path
) -> None:
    assert old in base
    checker, schema = _run(kind, base.replace(old, new, 1), tmp_path / "p")
    assert checker == []
    assert schema == []


def test_every_defined_key_is_read_by_the_model(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A key in generator.fields that the model never reads would be accepted and ignored."""
    from generator import model

    read: set[tuple[str, str]] = set()
    original = model._Fields._field

    def spy(self: Any, key: str, *kinds: fields.Kind) -> fields.Field:
        read.add((self.shape.name, key))
        return original(self, key, *kinds)

    monkeypatch.setattr(model._Fields, "_field", spy)
    for number, (kind, base, old, new) in enumerate(ACCEPTED):
        _run(kind, base.replace(old, new, 1), tmp_path / str(number))
    defined = {(shape.name, f.key) for shape in fields.SHAPES.values() for f in shape.fields}
    assert defined - read == set()
