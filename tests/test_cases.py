"""Expected-output cases: one small file per case under tests/cases/<kind>/.

A case file is a description line (`# ...`), then sections that start with
`=== <path>`: the files laid over tests/base, and finally either
`=== expect` (the exact diagnostics `briefing check` prints, or `ok`) or
`=== expect docs/<page>.md` (the exact generated Markdown of that page).

A file section headed `=== <path> (bytes)` is written as raw bytes, `\\xNN` standing
for the byte NN (for BOMs and broken encodings); a file's content may also be one of
the directives of :func:`conftest.make_project` (`<delete>`, `<symlink to TARGET>`,
`<N bytes>`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TESTS, make_project

from generator.diagnostics import Report
from generator.pipeline import generate

CASES = sorted((TESTS / "cases").glob("*/*.case"))
_SECTION = re.compile(r"^=== (.*)$", re.M)


_BYTES = " (bytes)"
_ESCAPED_BYTE = re.compile(rb"\\x([0-9a-fA-F]{2})")


def parse_case(path: Path) -> tuple[dict[str, str | bytes], str, str]:
    text = path.read_text(encoding="utf-8")
    names = _SECTION.findall(text)
    bodies = [b.removeprefix("\n") for b in _SECTION.split(text)[2::2]]
    sections = dict(zip(names, bodies, strict=True))
    expect_key = next(name for name in names if name.startswith("expect"))
    expected = sections.pop(expect_key)
    target = expect_key.removeprefix("expect").strip()
    files: dict[str, str | bytes] = {}
    for name, body in sections.items():
        if name.endswith(_BYTES):
            raw = _ESCAPED_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), body.encode())
            files[name.removesuffix(_BYTES)] = raw
        else:
            files[name] = body
    return files, target, expected


def check_output(report: Report) -> str:
    return "\n".join(d.format() for d in report.sorted()) or "ok"


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_case(case: Path, tmp_path: Path) -> None:
    files, target, expected = parse_case(case)
    root = make_project(tmp_path / "p", files)
    result = generate(root)
    if target:
        assert check_output(result.report) == "ok"
        assert result.pages[target.removeprefix("docs/")] == expected.strip("\n") + "\n"
    else:
        assert check_output(result.report) == expected.strip("\n")


def test_there_are_cases_of_every_kind() -> None:
    kinds = {c.parent.name for c in CASES}
    assert {"check", "render", "load"} <= kinds


def test_the_bad_input_corpus_has_at_least_forty_cases() -> None:
    bad = [c for c in CASES if parse_case(c)[2].strip() not in ("ok",) and not parse_case(c)[1]]
    assert len(bad) >= 40
