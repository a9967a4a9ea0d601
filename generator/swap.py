"""Put a finished build in place all at once, and finish what a killed build left.

A build stages its whole output under `.briefing-staging/build-<pid>/`: the generated
pages of `docs/` and the new `site/`. Then :func:`commit`:

1. writes `commit.json` into the staging folder, naming each move (staged path to
   target) and the inode of what is staged: from this moment the new output counts;
2. moves each staged item into place, `site/` last: where the target exists, one
   `renameat2(RENAME_EXCHANGE)` call swaps old and new, so `site/` is never missing,
   not even for an instant, and the old output lands in the staging folder; a target
   the new build does not produce (a generated page no longer needed) is moved into
   the staging folder too;
3. deletes the staging folder, old output and all.

Killed before step 1, a build changed nothing. Killed during step 2, some targets hold
the new output and some the old; :func:`recover`, which every writing command runs
first (under the build lock), finds `commit.json` and finishes the moves. It is
idempotent: a move whose target already holds the staged inode is done. Either way the
generated pages and `site/` come from one build, never from two.

Where `renameat2` is missing (not Linux, old C library, a file system without it), a
swap falls back to two renames; killed between them, the target is missing until the
next run finishes the move.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.write import write_bytes

STAGING = ".briefing-staging"
JOURNAL = "commit.json"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_Renameat2 = Callable[[int, bytes, int, bytes, int], int]


def _load_renameat2() -> _Renameat2 | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # not glibc >= 2.28, or not Linux
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_renameat2 = _load_renameat2()


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False where the system cannot."""
    if _renameat2 is None:
        return False
    status = _renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False  # the kernel or the file system does not offer the exchange
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.lstat(path)
    except FileNotFoundError:
        return None
    return (stat.st_dev, stat.st_ino)


def _move(staged: Path, target: Path, identity: tuple[int, int] | None) -> None:
    """Put `staged` at `target` unless it is there already; the old target goes to `staged`.

    With no `identity` the build made nothing for `target`: the old one is moved to
    `staged`, inside the staging folder, to be deleted with it.
    """
    if identity is None:
        if os.path.lexists(target) and not os.path.lexists(staged):
            os.rename(target, staged)
        return
    if _identity(target) == identity or _identity(staged) != identity:
        return  # done already, or (removed by hand) nothing left to put in place
    target.parent.mkdir(parents=True, exist_ok=True)
    if not os.path.lexists(target):
        os.rename(staged, target)
    elif not exchange(staged, target):
        aside = staged.with_name(staged.name + ".old")
        os.rename(target, aside)
        os.rename(staged, target)


def commit(root: Path, staging: Path, moves: list[tuple[Path, Path]]) -> None:
    """Move each staged path onto its target (in order), then delete `staging`."""
    journal: list[dict[str, Any]] = [
        {
            "staged": staged.relative_to(root).as_posix(),
            "target": target.relative_to(root).as_posix(),
            "identity": _identity(staged),
        }
        for staged, target in moves
    ]
    write_bytes(staging / JOURNAL, json.dumps({"moves": journal}, indent=1).encode())
    _finish(root, journal)
    shutil.rmtree(staging)


def _finish(root: Path, journal: list[dict[str, Any]]) -> None:
    for move in journal:
        identity = move["identity"]
        _move(
            root / move["staged"],
            root / move["target"],
            None if identity is None else (identity[0], identity[1]),
        )


# What `write.write_bytes` names a file while writing it (`tempfile.mkstemp`).
_HALF_WRITTEN = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def recover(root: Path) -> list[str]:
    """Finish the swap of a build killed while committing; delete every stale staging
    folder, and the half-written files a killed `briefing pdf` (or preview) left.

    Call only while holding the build lock. Returns what was dealt with.
    """
    dealt_with = []
    for staging in sorted((root / STAGING).glob("build-*")):
        journal = staging / JOURNAL
        if journal.is_file():
            try:
                moves = json.loads(journal.read_text(encoding="utf-8"))["moves"]
            except (ValueError, KeyError):  # pragma: no cover - write_bytes is atomic
                moves = []
            _finish(root, moves)
        shutil.rmtree(staging, ignore_errors=True)
        dealt_with.append(staging.name)
    for folder in (root / "site", root / "docs", root / STAGING / "pdf-cache"):
        for file in sorted(folder.rglob(".*.tmp")) if folder.is_dir() else []:
            if _HALF_WRITTEN.fullmatch(file.name) and file.is_file():
                file.unlink()
                dealt_with.append(file.relative_to(root).as_posix())
    return dealt_with
