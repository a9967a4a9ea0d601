"""Builds killed with SIGKILL, and builds run at once, never lose or mix the output.

The input alternates between two versions, A and B, whose every page differs (the
briefing's title is on each), so the output after a kill can be told apart: it must
be exactly the previous build's or exactly the new one's, `site/` and the generated
pages of `docs/` alike, never a mix, and never a missing `site/`.
"""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import make_project

from generator.pipeline import generate
from generator.swap import STAGING, exchange, recover
from generator.write import GENERATED

BRIEFING = (
    "title: Harbour watch {version}\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports]\n"
)
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


def digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@dataclass(frozen=True)
class Output:
    site: dict[str, str]
    docs: dict[str, str]  # all of docs/: generated pages and the hand-written ones


def output(root: Path) -> Output:
    return Output(digest(root / "site"), digest(root / "docs"))


def set_version(root: Path, version: str) -> None:
    (root / "briefs" / "briefing.yml").write_text(BRIEFING.format(version=version))


def build(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--root", str(root), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def staging_left(root: Path) -> list[str]:
    return sorted(p.name for p in (root / STAGING).glob("build-*"))


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Output], float]:
    """A project, the complete output of each version, and how long one build takes."""
    root = make_project(tmp_path_factory.mktemp("faults") / "p")
    outputs = {}
    started = time.monotonic()
    for version in ("A", "B"):
        set_version(root, version)
        process = build(root, "--no-pdf")
        assert process.wait(timeout=120) == 0, process.communicate()
        outputs[version] = output(root)
    seconds = (time.monotonic() - started) / 2
    assert outputs["A"].site != outputs["B"].site and outputs["A"].docs != outputs["B"].docs
    assert {"index.html", "topics/ports/index.html"} <= set(outputs["A"].site)
    return root, outputs, seconds


def which(found: Output, outputs: dict[str, Output]) -> tuple[str, str]:
    """Which version `site/` and `docs/` each hold; fails on anything else."""
    site = [v for v, o in outputs.items() if o.site == found.site]
    docs = [v for v, o in outputs.items() if o.docs == found.docs]
    assert site, "site/ is neither the previous output nor the new one"
    assert docs, "docs/ is neither the previous output nor the new one"
    return site[0], docs[0]


def test_sigkill_at_random_moments_leaves_old_or_new_output_never_a_mix(
    versions: tuple[Path, dict[str, Output], float],
) -> None:
    root, outputs, seconds = versions
    current = "B"
    chance = random.Random(20250131)
    runs = 7
    landed = []
    for run in range(runs):
        new = "A" if current == "B" else "B"
        set_version(root, new)
        # Spread the kills over the whole build, and a little past its end.
        delay = (run + chance.random()) / runs * seconds * 1.15
        process = build(root, "--no-pdf")
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        killed = process.wait(timeout=120) == -signal.SIGKILL
        assert (root / "site" / "index.html").is_file(), "site/ must stay usable"
        site, docs = which(output(root), outputs)
        assert site in (current, new) and docs in (current, new)
        # Generated pages are swapped in before site/: readers never see a new site
        # built from pages that are not there.
        assert not (site == new and docs == current)

        recover(root)  # what the next build (or `briefing pdf`) does first, under the lock
        site, docs = which(output(root), outputs)
        assert site == docs, f"after recovery site/ is {site} but docs/ is {docs}"
        assert staging_left(root) == []
        landed.append(f"{delay:.2f}s:{'killed' if killed else 'finished'}→{site}")
        current = site
    assert any(":killed→" in run for run in landed), landed


def _kill_script(tmp: Path) -> Path:
    """Runs `briefing build`, SIGKILLing itself at the chosen step of the commit."""
    script = tmp / "kill_at_step.py"
    script.write_text(
        textwrap.dedent(
            """
            import os, signal, sys
            from generator import swap
            from generator.cli import main

            step = sys.argv[1]
            moves_done = 0

            def die():
                os.kill(os.getpid(), signal.SIGKILL)

            real_commit, real_move, real_finish = swap.commit, swap._move, swap._finish

            def commit(*args):
                if step == "before-journal":
                    die()
                real_commit(*args)

            def move(staged, target, identity):
                global moves_done
                if step == f"after-{moves_done}-moves":
                    die()
                if step == "fallback-between-renames" and target.name == "site":
                    # No renameat2: the swap is two renames; die between them.
                    swap._renameat2 = None
                    real_rename, renames = os.rename, []

                    def rename(*args):
                        renames.append(args)
                        if len(renames) == 2:
                            die()
                        real_rename(*args)

                    os.rename = rename
                real_move(staged, target, identity)
                moves_done += 1

            def finish(*args):
                real_finish(*args)
                if step == "before-cleanup":
                    die()

            swap.commit, swap._move, swap._finish = commit, move, finish
            sys.exit(main(sys.argv[2:]))
            """
        )
    )
    return script


@pytest.mark.parametrize(
    "step",
    [
        "before-journal",
        *(f"after-{n}-moves" for n in range(len(GENERATED) + 1)),
        "before-cleanup",
        "fallback-between-renames",
    ],
)
def test_sigkill_at_each_step_of_the_swap(
    step: str, versions: tuple[Path, dict[str, Output], float], tmp_path: Path
) -> None:
    root, outputs, _ = versions
    recover(root)
    current = which(output(root), outputs)[0]
    new = "A" if current == "B" else "B"
    set_version(root, new)
    process = subprocess.run(
        [
            sys.executable,
            str(_kill_script(tmp_path)),
            step,
            "build",
            "--no-pdf",
            "--root",
            str(root),
        ],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    if step == "fallback-between-renames":
        # Without an atomic exchange there is an instant with no site/: the next run
        # (or recovery) puts the new one in place.
        assert not (root / "site").exists()
    else:
        assert (root / "site" / "index.html").is_file()
        site, docs = which(output(root), outputs)
        assert not (site == new and docs == current)

    recover(root)
    site, docs = which(output(root), outputs)
    # Before its journal is written a build has changed nothing; after, it is finished.
    expected = current if step == "before-journal" else new
    assert (site, docs) == (expected, expected)
    assert staging_left(root) == []


def test_two_builds_at_once_the_second_is_told_and_the_first_is_intact(
    versions: tuple[Path, dict[str, Output], float],
) -> None:
    root, outputs, _ = versions
    recover(root)
    new = "A" if which(output(root), outputs)[0] == "B" else "B"
    set_version(root, new)
    first = build(root, "--no-pdf")
    # Freeze the first build once it holds the lock and is writing its staging folder.
    deadline = time.monotonic() + 60
    while not (root / STAGING / f"build-{first.pid}").exists():
        assert first.poll() is None, "the first build ended before it could be caught"
        assert time.monotonic() < deadline
        time.sleep(0.002)
    first.send_signal(signal.SIGSTOP)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "generator", "build", "--no-pdf", "--root", str(root)],
            capture_output=True,
            text=True,
            env=ENV,
            timeout=120,
        )
    finally:
        first.send_signal(signal.SIGCONT)
    assert second.returncode == 1
    assert "another build of this project is running; try again when it ends" in second.stderr
    assert "Traceback" not in second.stderr
    assert first.wait(timeout=120) == 0, first.communicate()
    assert output(root) == outputs[new]
    assert staging_left(root) == []


def test_generated_pages_are_exactly_the_rendered_ones_and_hand_written_ones_stay(
    versions: tuple[Path, dict[str, Output], float],
) -> None:
    root, outputs, _ = versions
    recover(root)
    version = which(output(root), outputs)[0]
    set_version(root, version)
    pages = generate(root).pages
    docs = root / "docs"
    generated = {
        p.relative_to(docs).as_posix()
        for name in GENERATED
        for p in ([docs / name] if (docs / name).is_file() else (docs / name).rglob("*"))
        if p.is_file()
    }
    assert generated == set(pages)
    for name, content in pages.items():
        assert (docs / name).read_text(encoding="utf-8") == content
    assert {"about.md", "method.md"} <= set(outputs[version].docs)


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a").write_text("first")
    (second / "a").write_text("second")
    if not exchange(first, second):
        pytest.skip("this system cannot exchange paths atomically; the fallback is used")
    assert (first / "a").read_text() == "second"
    assert (second / "a").read_text() == "first"
    with pytest.raises(FileNotFoundError):
        exchange(first, tmp_path / "missing")


def test_recovery_clears_half_written_files_and_keeps_everything_else(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")
    (root / "site" / "pdf").mkdir(parents=True)
    (root / STAGING / "build-99999" / "site").mkdir(parents=True)
    half = [root / "site/pdf/.ports.pdf.k2x_9a0q.tmp", root / "docs/.index.md.abcdefgh.tmp"]
    kept = [root / "site/pdf/ports.pdf", root / "site/.nojekyll", root / "docs/notes.tmp"]
    for file in half + kept:
        file.write_text("x")
    assert recover(root) == [
        "build-99999",
        "site/pdf/.ports.pdf.k2x_9a0q.tmp",
        "docs/.index.md.abcdefgh.tmp",
    ]
    assert not any(f.exists() for f in half) and all(f.exists() for f in kept)
    assert staging_left(root) == []
