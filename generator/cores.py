"""Work shared with a second core: one part in a forked process, the other here.

MkDocs builds on one core; what the generator does before it (rendering the pages, the
site files) is the part of `briefing build` a second core can take. A forked process
starts with the parent's memory (the reading model as it stands), so nothing is sent to
it; it sends back only its result, pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


def in_two(here: Callable[[], A], there: Callable[[], B]) -> tuple[A, B]:
    """`here()` in this process while a forked one runs `there()`; both results.

    Where forking cannot help or is unsafe (one core, other threads running, no
    `os.fork`) or the forked process fails, `there()` runs here after `here()`, so the
    result is always the same: a failure in `there()` is raised here, with its traceback.
    """
    if not _may_fork():
        return here(), there()
    read_end, write_end = os.pipe()
    sys.stdout.flush()  # else the child's copy of unwritten output is written twice
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # the forked process: its result into the pipe, then out, whatever happens
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(there(), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        mine = here()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()  # read to the end, so the forked process can finish
        _, status = os.waitpid(pid, 0)
    if status == 0 and data:
        try:
            return mine, pickle.loads(data)  # noqa: S301 (our own forked process wrote it)
        except Exception:  # noqa: BLE001 (a result that cannot be read is made again)
            pass
    return mine, there()


def _may_fork() -> bool:
    return (
        hasattr(os, "fork")
        and _cores() > 1
        and threading.active_count() == 1  # a fork copies no other thread, nor their locks
    )


def _cores() -> int:
    """The cores this process may run on (fewer than the machine's, in a container)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
