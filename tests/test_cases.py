"""Expected-output cases: one small file per case under tests/cases/<kind>/.

A case file is a description line (`# ...`), then sections that start with
`=== <path>`: the files laid over tests/base, and finally either
`=== expect` (the exact diagnostics `briefing check` prints, or `ok`) or
`=== expect docs/<page>.md` (the exact generated Markdown of that page).
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


def parse_case(path: Path) -> tuple[dict[str, str], str, str]:
    text = path.read_text(encoding="utf-8")
    names = _SECTION.findall(text)
    bodies = _SECTION.split(text)[2::2]
    files = dict(zip(names, (b.removeprefix("\n") for b in bodies), strict=True))
    expect_key = next(name for name in names if name.startswith("expect"))
    expected = files.pop(expect_key)
    target = expect_key.removeprefix("expect").strip()
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
