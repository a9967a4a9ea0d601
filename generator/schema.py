"""JSON Schemas of the brief files, generated from :mod:`generator.fields`.

`schema/<kind>.schema.json` (briefing, source, topic) let editors' YAML tools (the
`# yaml-language-server: $schema=...` line at the top of each brief) complete keys and
flag mistakes while typing. They describe the shape only; `briefing check` applies the
same rules and the ones that need more than one file.

Run `python -m generator.schema` after changing :mod:`generator.fields`; a test fails
while the checked-in files differ from what this module generates.

Draft-07, the draft editors' YAML language servers support best.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from generator import fields as spec

DRAFT = "http://json-schema.org/draft-07/schema#"

# YAML tools read `2025` or `yes` as a number or boolean (YAML 1.2); the briefing reads
# every scalar as text, so any scalar is acceptable where text is expected.
_SCALAR: list[str] = ["string", "number", "boolean"]


def _form(form: str, required: bool) -> str:
    # `briefing check` collapses white space around a value; an optional key may be empty.
    body = f"(?:{form})" if required else f"(?:{form})?"
    return rf"^\s*{body}\s*$"


def _value(field: spec.Field) -> dict[str, Any]:
    """The schema of one key's value."""
    optional = [] if field.required else ["null"]
    kind = field.kind
    if kind == "text":
        out: dict[str, Any] = {"type": _SCALAR + optional}
        if field.required:
            out["pattern"] = r"\S"
        return out
    if kind == "status":
        return {"enum": [*spec.STATUSES, *([None] if optional else [])]}
    if kind in ("texts", "ids"):
        item: dict[str, Any] = (
            {"type": "string", "pattern": _form(spec.ID_FORM, True)}
            if kind == "ids"
            else {"type": _SCALAR, "pattern": r"\S"}
        )
        # An empty `key:` is text to the briefing, not an empty list: no "null" here.
        return {"type": "array", "items": item}
    if kind == "list":
        assert field.item is not None
        out = {"type": "array", "items": {"$ref": f"#/definitions/{field.item}"}}
        if field.min_items:
            out["minItems"] = field.min_items
        return out
    form = {
        "date": spec.DATE_FORM,
        "url": spec.URL_FORM,
        "id": spec.ID_FORM,
        "sha256": spec.SHA256_FORM,
    }[kind]
    # A bare year (`date: 2025`) is a number to YAML tools: allowed, as the briefing reads it as text.
    types = ["string", "number"] if kind == "date" else ["string"]
    return {"type": types + optional, "pattern": _form(form, field.required)}


def _object(shape: spec.Shape) -> dict[str, Any]:
    properties = {}
    for field in shape.fields:
        properties[field.key] = {"description": field.doc, **_value(field)}
    out: dict[str, Any] = {
        "type": "object",
        "description": shape.doc,
        "properties": properties,
        "additionalProperties": False,
    }
    required = [field.key for field in shape.fields if field.required]
    if required:
        out["required"] = required
    return out


def _nested(shape: spec.Shape, seen: dict[str, dict[str, Any]]) -> None:
    for field in shape.fields:
        if field.item and field.item not in seen:
            item = spec.SHAPES[field.item]
            seen[field.item] = _object(item)
            _nested(item, seen)


def file_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one brief file kind: `briefing`, `source` or `topic`."""
    shape = spec.SHAPES[kind]
    definitions: dict[str, dict[str, Any]] = {}
    _nested(shape, definitions)
    out: dict[str, Any] = {
        "$schema": DRAFT,
        "title": f"briefing: {kind} file",
        **_object(shape),
    }
    if definitions:
        out["definitions"] = dict(sorted(definitions.items()))
    return out


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def generated() -> dict[str, str]:
    """Every schema file this module writes, by file name."""
    return {f"{kind}.schema.json": dumps(file_schema(kind)) for kind in spec.FILE_KINDS}


def main() -> int:
    """Write the schemas into `schema/` of the current folder (the repository's root)."""
    from generator.write import write_file

    for name, text in generated().items():
        changed = write_file(Path("schema") / name, text)
        print(f"schema/{name}: {'written' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
