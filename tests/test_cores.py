"""Work shared with a second core: the same results as one core, failures raised here."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from conftest import make_project

import generator.pipeline
from generator.cores import _may_fork, in_two
from generator.pipeline import generate

forking = pytest.mark.skipif(not _may_fork(), reason="this machine gives the process one core")


@forking
def test_the_other_part_runs_in_another_process() -> None:
    here, there = in_two(os.getpid, os.getpid)
    assert here == os.getpid() and there != here


def test_a_failure_over_there_is_raised_here() -> None:
    def broken() -> None:
        raise ValueError("no such page")

    with pytest.raises(ValueError, match="no such page"):
        in_two(lambda: 1, broken)


def test_a_result_that_cannot_be_sent_is_made_here() -> None:
    here, there = in_two(lambda: 1, lambda: lambda: os.getpid())  # a lambda: no pickle
    assert here == 1 and there() == os.getpid()


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert in_two(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    finally:
        stop.set()
        worker.join()


def test_a_shared_build_makes_what_one_core_makes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "p", real=True)
    alone = generate(project)
    monkeypatch.setattr(generator.pipeline, "SHARE_FROM", 0)
    shared = generate(project)
    assert shared.pages == alone.pages and list(shared.pages) == list(alone.pages)
    assert shared.site_files == alone.site_files
