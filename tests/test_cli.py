"""The command as an editor meets it: exit codes, diagnostics, and output left intact."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main

BAD_TOPIC = """\
title: Convoys
sections:
  - heading: Expected
    claims:
      - id: convoy-expected
        text: A second convoy is expected.
        cites:
          - source: harbour-news
            quote: A third convoy is expected.
      - id: convoy-origin
        text: The convoy comes from the south.
        cites:
          - source: southern-wire
            quote: The convoy comes from the south.
      - id: navy-left
        text: The navy left.
        cites:
          - source: harbour-news
            quote: The navy left the northern port on Tuesday.
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "generator", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_check_passes_on_a_good_project(project: Path) -> None:
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert "all quotes verified" in result.stdout


def test_three_mistakes_three_diagnostics_and_the_site_is_untouched(project: Path) -> None:
    assert run(project, "build").returncode == 0
    site_before = tree_digest(project / "site")
    docs_before = tree_digest(project / "docs")
    assert "topics/ports/index.html" in site_before

    (project / "briefs" / "briefing.yml").write_text(
        "title: Test briefing\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports, convoys]\n"
    )
    (project / "briefs" / "topics" / "convoys.yml").write_text(BAD_TOPIC)

    check = run(project, "check")
    assert check.returncode == 1
    errors = [line for line in check.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "briefs/topics/convoys.yml:9:20: error: quote not found in briefs/sources/harbour-news.txt",
        "briefs/topics/convoys.yml:13:21: error: unknown source 'southern-wire'",
        "briefs/topics/convoys.yml:15:13: error: duplicate claim id 'navy-left' (first used at briefs/topics/ports.yml:6:13)",
    ]
    assert "closest passage in the article: “A second convoy is expected.”" in check.stderr

    build = run(project, "build")
    assert build.returncode == 1
    assert "unchanged" in build.stderr
    assert "Traceback" not in build.stderr
    assert tree_digest(project / "site") == site_before
    assert tree_digest(project / "docs") == docs_before


def test_usage_errors_exit_2(project: Path) -> None:
    assert run(project, "frobnicate").returncode == 2
    result = run(project.parent / "nowhere", "check")
    assert result.returncode == 2
    assert "no briefs/ folder" in result.stderr


def test_build_writes_nothing_under_briefs(project: Path) -> None:
    before = tree_digest(project / "briefs")
    assert run(project, "build").returncode == 0
    assert tree_digest(project / "briefs") == before


def test_removed_topic_leaves_no_stale_page(project: Path) -> None:
    (project / "briefs" / "topics" / "convoys.yml").write_text(
        BAD_TOPIC.split("      - id: convoy-origin")[0].replace("third", "second")
    )
    (project / "briefs" / "briefing.yml").write_text(
        "title: Test briefing\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports, convoys]\n"
    )
    assert run(project, "build").returncode == 0
    assert (project / "docs" / "topics" / "convoys.md").is_file()
    (project / "briefs" / "topics" / "convoys.yml").unlink()
    (project / "briefs" / "briefing.yml").write_text(
        "title: Test briefing\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports]\n"
    )
    assert run(project, "build").returncode == 0
    assert not (project / "docs" / "topics" / "convoys.md").exists()
    assert not (project / "site" / "topics" / "convoys").exists()


def test_build_checks_the_briefs_once(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs runs the hook file as a module of its own; the build's checked result must
    still reach it, or a large briefing is loaded and checked twice."""
    from generator import cli, pipeline

    calls: list[Path] = []
    real = pipeline.generate

    def counting(root: Path, strict: bool = False) -> pipeline.Generated:
        calls.append(root)
        return real(root, strict)

    monkeypatch.setattr(pipeline, "generate", counting)
    monkeypatch.setattr(cli, "generate", counting)
    assert cli.main(["build", "--no-pdf", "--root", str(project)]) == 0
    assert len(calls) == 1


def test_format_json_prints_each_diagnostic_as_one_json_line_on_stdout(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "briefs" / "briefing.yml").write_text(
        "title: Test briefing\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports, convoys]\n"
    )
    (project / "briefs" / "topics" / "convoys.yml").write_text(BAD_TOPIC)
    assert main(["check", "--root", str(project)]) == 1
    text = capsys.readouterr()
    assert text.out == ""

    assert main(["check", "--root", str(project), "--format", "json"]) == 1
    out = capsys.readouterr()
    records = [json.loads(line) for line in out.out.splitlines()]
    assert records[1] == {
        "path": "briefs/topics/convoys.yml",
        "line": 13,
        "column": 21,
        "severity": "error",
        "message": "unknown source 'southern-wire'",
        "hint": "add briefs/sources/southern-wire.yml and its .txt, or cite one of: harbour-news",
    }
    assert records[2]["hint"] == (
        "claim ids are unique across the whole briefing: they are its anchors"
    )
    # The same diagnostics, in the same order, as the text format gives people.
    as_text = [
        f"{r['path']}:{r['line']}:{r['column']}: {r['severity']}: {r['message']}" for r in records
    ]
    assert as_text == [line for line in text.err.splitlines() if ": error: " in line]
    assert "3 error(s), 0 warning(s)" in out.err


def test_format_json_keeps_stdout_for_diagnostics_only(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--root", str(project), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert "all quotes verified" in out.err

    (project / "briefs" / "sources" / "spare.yml").write_text("title: Spare\naccessed: 2025-01\n")
    (project / "briefs" / "sources" / "spare.txt").write_text("Nothing quoted.\n")
    assert main(["build", "--root", str(project), "--format", "json", "--no-pdf"]) == 0
    out = capsys.readouterr()
    assert [json.loads(line)["severity"] for line in out.out.splitlines()] == ["warning"]
    assert "briefing build:" in out.err

    # --strict: the same warning, now fatal, and nothing is written.
    (project / "briefs" / "sources" / "spare.yml").write_text("title: Spare 2\naccessed: 2025-01\n")
    before = tree_digest(project / "site")
    assert main(["build", "--root", str(project), "--format", "json", "--strict"]) == 1
    out = capsys.readouterr()
    assert json.loads(out.out)["message"] == "source 'spare' is not cited by any claim"
    assert "fatal with --strict" in out.err
    assert tree_digest(project / "site") == before


def test_an_internal_error_is_one_line_and_its_traceback_needs_debug(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import cli

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "generate", broken)
    assert main(["check", "--root", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "--debug" in err
    assert "Traceback" not in err and "ZeroDivisionError" not in err

    assert main(["check", "--root", str(project), "--debug"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "ZeroDivisionError: a bug" in err


def test_the_real_briefing_checks_clean_under_strict(tmp_path: Path) -> None:
    """Issue 12: every claim of the real briefing says no more than its quotes, so
    `briefing check --strict` (what CI and the pre-commit hook run) prints no diagnostic."""
    from conftest import make_project

    root = make_project(tmp_path / "real", real=True)
    result = run(root, "check", "--strict", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "", "no diagnostic at all, not even a warning"
    assert "warning" not in result.stderr and "error" not in result.stderr
