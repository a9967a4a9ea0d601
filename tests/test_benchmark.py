"""The benchmark's PDF part runs on a tiny briefing (a smoke test: it asserts no speed)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_pdf_benchmark_prints_the_one_topic_edit_ratio(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "run.py"),
            "--quick",
            "--only",
            "pdf",
            "--workdir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    ).stdout
    assert "edit / alone" in out
    rows = [line for line in out.splitlines() if line.startswith("| 4 topics")]
    assert [row.split(" | ")[3] for row in rows] == ["undated claim", "dated claim"]
    for row in rows:
        assert re.search(r"\| \d+\.\d\d× \|$", row), row
