"""Shared helpers: a throw-away briefing project built from tests/base plus a case's files."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: `ci` (the default) runs the same examples every time, quickly;
# `HYPOTHESIS_PROFILE=explore` searches far wider when hunting for bugs.
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile("explore", max_examples=3000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TESTS = Path(__file__).parent
REPO = TESTS.parent


_SYMLINK = re.compile(r"^<symlink to (.+)>$")
_FILLER = re.compile(r"^<(\d+) bytes>$")


def make_project(
    dest: Path, files: dict[str, str | bytes] | None = None, real: bool = False
) -> Path:
    """A project at `dest`: the real briefing (`real`) or the small base, with `files` laid over it.

    A file whose content is the single line `<delete>` is removed; `<symlink to TARGET>`
    makes it a symbolic link to TARGET (relative to its folder); `<N bytes>` fills it
    with N bytes. Bytes content is written as it is.
    """
    source = REPO if real else TESTS / "base"
    shutil.copytree(source / "briefs", dest / "briefs")
    shutil.copytree(
        REPO / "docs",
        dest / "docs",
        ignore=shutil.ignore_patterns("index.md", "timeline.md", "topics", "sources"),
    )
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    for rel, content in (files or {}).items():
        path = dest / rel
        if isinstance(content, bytes):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            continue
        directive = content.strip()
        if directive == "<delete>":
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        if link := _SYMLINK.match(directive):
            path.symlink_to(link.group(1))
        elif filler := _FILLER.match(directive):
            path.write_bytes(b"#" * int(filler.group(1)))
        else:
            path.write_text(content, encoding="utf-8")
    return dest


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real briefing built once (site and PDFs) for every test that reads the site."""
    from generator.cli import main

    root = make_project(tmp_path_factory.mktemp("real") / "p", real=True)
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"
