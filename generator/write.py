"""Write stage: the only place the generator writes files.

Each file is written to a temporary name beside it and renamed into place, and only
when its content changed, so an interrupted run never leaves a half-written page and
`mkdocs serve` sees only the pages an edit really changed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Paths under docs/ that belong to the generator; everything else there is hand-written.
GENERATED = (
    "index.md",
    "timeline.md",
    "changes.md",
    "topics",
    "sources",
    "assets/briefing.css",
    "assets/briefing.js",
    "assets/iframe-worker-shim.js",
)


def is_generated(path: str) -> bool:
    """Whether `path` (relative to docs/, with `/`) is the generator's, not an editor's."""
    return any(path == name or path.startswith(name + "/") for name in GENERATED)


def write_file(path: Path, content: str) -> bool:
    """Atomically write `content` to `path` if it differs; True when it was written."""
    return write_bytes(path, content.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> bool:
    """Atomically write `data` to `path` if it differs; True when it was written."""
    try:
        if path.read_bytes() == data:
            return False
        mode: int | None = path.stat().st_mode & 0o7777
    except OSError:
        mode = None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600). A file replaced keeps its mode (a record
        # rewritten by `briefing archive` stays as its editor had it); a new one gets the
        # mode any file the user creates would have, so the web server can read it.
        os.fchmod(fd, 0o666 & ~_umask() if mode is None else mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def sync_generated(docs_dir: Path, pages: dict[str, str]) -> list[str]:
    """Make the generated part of `docs_dir` hold exactly `pages`; return the paths written.

    Files under the generated folders that no page claims any more are removed, so a
    deleted topic or source does not linger on the site.
    """
    written = [
        dest for dest, content in sorted(pages.items()) if write_file(docs_dir / dest, content)
    ]
    for name in GENERATED:
        folder = docs_dir / name
        if folder.is_file() and name not in pages:  # a page no longer made (changes.md)
            folder.unlink()
        if not folder.is_dir():
            continue
        for file in sorted(folder.rglob("*")):
            rel = file.relative_to(docs_dir).as_posix()
            if file.is_file() and rel not in pages:
                file.unlink()
    return written
