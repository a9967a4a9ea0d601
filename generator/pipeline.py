"""The pipeline in one call: read and check everything, then render, without writing.

`briefing build`, `briefing serve`, the MkDocs plugin and the Zensical engine all call
:func:`generate`; what it returns holds every file the generator writes, so any engine
that reads `docs/` publishes the same site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.check import Checked, Memo, run_check
from generator.diagnostics import Report

if TYPE_CHECKING:  # rendering is imported only where pages are made: `check` needs none
    from generator.reading import Reading


@dataclass
class Generated:
    """What one run produced: the checked briefing, its pages, and every diagnostic."""

    report: Report
    checked: Checked | None
    pages: dict[str, str] = field(default_factory=dict)
    """Generated Markdown (and assets) by path under `docs/`."""
    site_files: dict[str, str] = field(default_factory=dict)
    """Files the pipeline adds to the built site beside the engine's pages (`claims.json`)."""
    reading: Reading | None = None
    """The reading model the pages were made from; None when nothing was rendered."""

    def ok(self, strict: bool = False) -> bool:
        return self.checked is not None and not self.report.failed(strict)


@dataclass
class Preview:
    """What a long-lived caller (the MkDocs plugin under `serve`) keeps between runs on
    one project, so that a save re-reads, re-checks and re-renders only what it changed."""

    check: Memo = field(default_factory=Memo)
    pages: dict[str, tuple[tuple[object, ...], str]] = field(default_factory=dict)
    """Each page's Markdown, with the model records it was made from."""
    made: list[str] = field(default_factory=list)
    """The pages the last run had to make again (the rest were unchanged)."""


def generate(
    root: Path, strict: bool = False, render: bool = True, preview: Preview | None = None
) -> Generated:
    """Check everything, then (with `render`) make every page; `check` needs no pages.

    With `preview` (kept from the last run on the same project), only what changed is
    read, checked and rendered again; the result is the same as without.
    """
    report = Report()
    checked = run_check(root, report, preview.check if preview is not None else None)
    if checked is None or report.failed(strict) or not render:
        return Generated(report, checked)
    return make_pages(report, checked, preview)


def make_pages(report: Report, checked: Checked, preview: Preview | None = None) -> Generated:
    """Every generated file of a checked briefing, from one reading model."""
    # Rendering imports only what rendering needs: `briefing check` never gets here.
    from generator.opendata import site_files
    from generator.reading import read
    from generator.render import page_makers, render_pages
    from generator.siteconfig import theme_pages

    reading = read(checked)
    if preview is None:
        pages = render_pages(reading)
    else:
        pages, kept, preview.made = {}, {}, []
        for path, (inputs, make) in page_makers(reading).items():
            old = preview.pages.get(path)
            if old is not None and old[0] == inputs:
                pages[path] = old[1]
            else:
                pages[path] = make()
                preview.made.append(path)
            kept[path] = (inputs, pages[path])
        preview.pages = kept
    pages.update(theme_pages())
    return Generated(report, checked, pages, site_files(reading), reading)
