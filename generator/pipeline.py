"""The pipeline in one call: read and check everything, then render, without writing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.check import Checked, run_check
from generator.diagnostics import Report
from generator.render import render_pages


@dataclass
class Generated:
    """What one run produced: the checked briefing, its pages, and every diagnostic."""

    report: Report
    checked: Checked | None
    pages: dict[str, str]

    def ok(self, strict: bool = False) -> bool:
        return self.checked is not None and not self.report.failed(strict)


def generate(root: Path, strict: bool = False) -> Generated:
    report = Report()
    checked = run_check(root, report)
    if checked is None or report.failed(strict):
        return Generated(report, checked, {})
    return Generated(report, checked, render_pages(checked))


@dataclass
class HookState:
    """What `briefing build` hands to the MkDocs hook, and what the hook remembers
    between rebuilds of `serve`. It lives here, in an imported module, because MkDocs
    executes the hook file afresh as a module of its own at every config load."""

    prepared: Generated | None = None
    """Set by `briefing build`, which has already generated and checked: no second run."""
    nav: list[Any] | None = None
    """The navigation of the last build, so `serve` knows when every page must be redone."""


HOOK = HookState()
