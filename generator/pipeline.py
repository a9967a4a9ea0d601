"""The pipeline in one call: read and check everything, then render, without writing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.changes_page import changes_pages
from generator.check import Checked, run_check
from generator.diagnostics import Report
from generator.render import render_pages
from generator.timeline import PAGE as TIMELINE_PAGE
from generator.timeline import render_timeline


@dataclass
class Generated:
    """What one run produced: the checked briefing, its pages, and every diagnostic."""

    report: Report
    checked: Checked | None
    pages: dict[str, str]

    def ok(self, strict: bool = False) -> bool:
        return self.checked is not None and not self.report.failed(strict)


def generate(root: Path, strict: bool = False, render: bool = True) -> Generated:
    """Check everything, then (with `render`) make every page; `check` needs no pages."""
    report = Report()
    checked = run_check(root, report)
    if checked is None or report.failed(strict) or not render:
        return Generated(report, checked, {})
    pages = render_pages(checked)
    pages[TIMELINE_PAGE] = render_timeline(checked)
    pages.update(changes_pages(checked))  # editions (issue 15): changes.md, if any
    return Generated(report, checked, pages)


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
