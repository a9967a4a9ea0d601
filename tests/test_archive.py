"""`briefing archive`: one line per record, every other byte kept, and only when all checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import make_project
from test_cli import tree_digest

from generator.cli import main

RECORD = "briefs/sources/harbour-news.yml"


def digest_of(root: Path) -> str:
    text = (root / "briefs/sources/harbour-news.txt").read_bytes()
    return hashlib.sha256(text).hexdigest()


def archive(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["archive", "--root", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


def test_adds_one_line_and_keeps_every_other_byte(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = (
        "# Editor's note: the byline is missing.\n"
        'title: "Harbour news"   # as printed\n'
        "accessed: 2025-01-02\n"
        "publisher: The Coast Gazette\n"
        "relays:\n"
        "  - Coast Radio\n"
        "  - Harbour TV\n"
        "# trailing note\n"
    )
    root = make_project(tmp_path / "p", {RECORD: record})
    code, out, _ = archive(root, capsys)
    assert code == 0
    digest = digest_of(root)
    lines = record.splitlines(keepends=True)
    expected = "".join(lines[:7]) + f"text_sha256: {digest}\n" + "".join(lines[7:])
    assert (root / RECORD).read_text(encoding="utf-8") == expected
    assert f"{RECORD}:8:1: text_sha256 added ({digest[:12]}…)" in out
    assert "1 source record(s) written" in out

    # A second run finds the record current and does not touch it.
    before = (root / RECORD).stat().st_mtime_ns
    code, out, _ = archive(root, capsys)
    assert code == 0 and "0 source record(s) written, 1 already current" in out
    assert (root / RECORD).stat().st_mtime_ns == before
    assert main(["check", "--strict", "--root", str(root)]) == 0


def test_replaces_a_stale_hash_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stale = "0" * 63 + "1"
    record = (
        "title: Harbour news\r\n"
        f'text_sha256: "{stale}"  # written by briefing archive\r\n'
        "accessed: 2025-01-02\r\n"
    )
    root = make_project(tmp_path / "p", {})
    (root / RECORD).write_bytes(record.encode())
    assert main(["check", "--root", str(root)]) == 0  # a warning only
    assert "changed since it was archived" in capsys.readouterr().err

    code, out, _ = archive(root, capsys)
    assert code == 0
    digest = digest_of(root)
    assert (root / RECORD).read_bytes() == record.replace(f'"{stale}"', digest).encode()
    assert f"{RECORD}:2:1: text_sha256 updated: the text changed since it was archived" in out
    assert main(["check", "--strict", "--root", str(root)]) == 0


def test_counts_characters_not_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Multi-byte characters before the value must not shift where it is replaced.
    record = "title: “Harbour” news — Küste\ntext_sha256: " + "a" * 64 + "\naccessed: 2025-01-02"
    root = make_project(tmp_path / "p", {RECORD: record})
    assert archive(root, capsys)[0] == 0
    assert (root / RECORD).read_text(encoding="utf-8") == record.replace("a" * 64, digest_of(root))


def test_adds_a_line_to_a_file_without_final_newline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = "title: Harbour news\naccessed: 2025-01-02"
    root = make_project(tmp_path / "p", {RECORD: record})
    assert archive(root, capsys)[0] == 0
    assert (root / RECORD).read_text() == record + f"\ntext_sha256: {digest_of(root)}\n"


def test_writes_nothing_when_a_quote_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    text = root / "briefs/sources/harbour-news.txt"
    text.write_text(text.read_text().replace("northern", "southern"))
    before = tree_digest(root / "briefs")
    code, out, err = archive(root, capsys)
    assert code == 1
    assert "error: quote not found" in err
    assert "stopped before writing anything" in err
    assert out == ""
    assert tree_digest(root / "briefs") == before


def test_refuses_a_record_written_in_flow_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = "{title: Harbour news, accessed: 2025-01-02}\n"
    root = make_project(tmp_path / "p", {RECORD: record})
    code, _, err = archive(root, capsys)
    assert code == 1
    assert f"{RECORD}:1:1: error: cannot add `text_sha256` to a record written as {{...}}" in err
    assert (root / RECORD).read_text() == record


def test_every_real_source_record_carries_its_texts_hash() -> None:
    from conftest import REPO

    for record in sorted((REPO / "briefs/sources").glob("*.yml")):
        digest = hashlib.sha256(record.with_suffix(".txt").read_bytes()).hexdigest()
        assert f"\ntext_sha256: {digest}\n" in record.read_text(encoding="utf-8"), record.name


def test_keeps_the_records_file_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p")
    (root / RECORD).chmod(0o640)
    assert archive(root, capsys)[0] == 0
    assert "text_sha256" in (root / RECORD).read_text()
    assert (root / RECORD).stat().st_mode & 0o777 == 0o640
