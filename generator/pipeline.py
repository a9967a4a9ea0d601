"""The pipeline in one call: read and check everything, then render, without writing.

`briefing build`, `briefing serve`, the MkDocs plugin and the Zensical engine all call
:func:`generate`; what it returns holds every file the generator writes, so any engine
that reads `docs/` publishes the same site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.check import Checked, run_check
from generator.diagnostics import Report


@dataclass
class Generated:
    """What one run produced: the checked briefing, its pages, and every diagnostic."""

    report: Report
    checked: Checked | None
    pages: dict[str, str] = field(default_factory=dict)
    """Generated Markdown (and assets) by path under `docs/`."""
    site_files: dict[str, str] = field(default_factory=dict)
    """Files the pipeline adds to the built site beside the engine's pages (`claims.json`)."""
    reading: object | None = None
    """The reading model (:class:`generator.reading.Reading`) the pages were made from."""

    def ok(self, strict: bool = False) -> bool:
        return self.checked is not None and not self.report.failed(strict)


def generate(root: Path, strict: bool = False, render: bool = True) -> Generated:
    """Check everything, then (with `render`) make every page; `check` needs no pages."""
    report = Report()
    checked = run_check(root, report)
    if checked is None or report.failed(strict) or not render:
        return Generated(report, checked)
    return make_pages(report, checked)


def make_pages(report: Report, checked: Checked) -> Generated:
    """Every generated file of a checked briefing, from one reading model."""
    # Rendering imports only what rendering needs: `briefing check` never gets here.
    from generator.opendata import site_files
    from generator.reading import read
    from generator.render import render_pages
    from generator.siteconfig import theme_pages

    reading = read(checked)
    pages = render_pages(reading)
    pages.update(theme_pages())
    return Generated(report, checked, pages, site_files(reading), reading)
