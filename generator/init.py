"""`briefing init [DIR]`: start a new briefing, with the layout of this one.

DIR gets `briefs/` (the briefing record, one example source with its archived text,
one example topic citing it), `docs/` (the hand-written about and method pages),
`schema/` (so editors' YAML tools complete and check the brief files), `mkdocs.yml`
naming the `briefing` plugin, and a `.gitignore` for the generated paths. The example
is written for the tool and says so; nothing in it is real.

DIR must not exist or be empty: nothing an editor wrote is ever overwritten. All files
are staged in a folder beside DIR and moved into place at once, so an interrupted
init leaves nothing half-made.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from generator.schema import generated as generated_schemas

STARTER = Path(__file__).parent / "starter"


class InitError(Exception):
    """DIR cannot take a new briefing; the message says why and what to do."""


def starter_files() -> dict[str, bytes]:
    """Every file of a new briefing, by path relative to its folder."""
    files: dict[str, bytes] = {}
    for path in sorted(STARTER.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            rel = path.relative_to(STARTER).as_posix()
            files[".gitignore" if rel == "gitignore" else rel] = path.read_bytes()
    for name, text in generated_schemas().items():
        files[f"schema/{name}"] = text.encode("utf-8")
    return files


def init(folder: Path) -> list[str]:
    """Write a new briefing into `folder` (absent or empty); return the paths written."""
    if folder.exists() and not folder.is_dir():
        raise InitError(f"{folder} is a file, not a folder; name a new or empty folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise InitError(
            f"{folder} is not empty; a briefing is started in a new or empty folder, "
            "so nothing in it is overwritten (name another, e.g. `briefing init my-briefing`)"
        )
    files = starter_files()
    parent = folder.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".init", dir=parent))
    try:
        for rel, data in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        mode = 0o777 & ~_umask()
        os.chmod(staging, mode)
        if folder.is_dir():
            folder.rmdir()  # empty, checked above; replaced by the staged folder at once
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return sorted(files)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
