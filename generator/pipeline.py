"""The pipeline in one call: read and check everything, then render, without writing.

`briefing build`, `briefing serve`, the MkDocs plugin and the Zensical engine all call
:func:`generate`; what it returns holds every file the generator writes, so any engine
that reads `docs/` publishes the same site.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from generator.check import Checked, Memo, run_check
from generator.diagnostics import Pos, Report

if TYPE_CHECKING:  # rendering is imported only where pages are made: `check` needs none
    from generator.reading import Reading


SHARE_FROM = 1000
"""From this many claims on, a whole build shares rendering with a second core (below
it, forking costs more than it saves)."""


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
    held: dict[str, tuple[tuple[object, ...], Callable[[], str]]] = field(default_factory=dict)
    """Pages a preview save changed but holds back until the edited pages are served,
    with the inputs and the maker of each (see :func:`make_pages`): `pages` still has
    what they were, until :func:`release` makes and writes them. While any are held, the
    site files wait too: `site_files` is empty."""

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
    from generator.cores import in_two
    from generator.links import broken_links
    from generator.opendata import site_files
    from generator.reading import read
    from generator.render import page_makers, render_pages
    from generator.siteconfig import theme_pages

    reading = read(checked)
    held: dict[str, tuple[tuple[object, ...], Callable[[], str]]] = {}
    files: dict[str, str] | None = None
    if preview is None and len(checked.claims) >= SHARE_FROM:
        # A whole build: every other page and the site files are made by a second core.
        makers = page_makers(reading)
        paths = list(makers)

        def made(share: list[str]) -> dict[str, str]:
            return {path: makers[path][1]() for path in share}

        mine, (theirs, files) = in_two(
            lambda: made(paths[0::2]), lambda: (made(paths[1::2]), site_files(reading))
        )
        pages = {path: mine[path] if path in mine else theirs[path] for path in paths}
    elif preview is None:
        pages = render_pages(reading)
    else:
        pages, kept, preview.made = {}, {}, []
        makers = page_makers(reading)
        # The home page's first input is the briefing's own record (title, date, topic
        # order, editions): when it changed, every page shows it, and none waits.
        home = preview.pages.get("index.md")
        may_hold = home is not None and home[0][0] == makers["index.md"][0][0]
        for path, (inputs, make) in makers.items():
            old = preview.pages.get(path)
            if old is not None and old[0] == inputs:
                pages[path] = old[1]
                kept[path] = old
                continue
            preview.made.append(path)
            if may_hold and old is not None and old[0][0] == inputs[0]:
                # Its own record (a topic's, a source's, the briefing's) is unchanged: it
                # shows what the save changed elsewhere, and can wait (see `release`).
                pages[path] = old[1]
                held[path] = (inputs, make)
                kept[path] = old
            else:
                pages[path] = make()
                kept[path] = (inputs, pages[path])
        preview.pages = kept
        if len(held) == len(preview.made):  # nothing of its own was edited: all are due
            for path, (inputs, make) in held.items():
                pages[path] = make()
                preview.pages[path] = (inputs, pages[path])
            held = {}
    pages.update(theme_pages())
    # The pages link to each other in raw HTML, which MkDocs does not check: a link that
    # leads nowhere is the generator's mistake, and no site is published with one. A
    # preview save is not checked: its held-back pages (see `release`) are behind the
    # pages it made for half a second, by design.
    for problem in broken_links(pages) if preview is None else ():
        page, _, message = problem.partition(": ")
        report.error(Pos(f"docs/{page}"), f"the generator made a broken link: {message}")
    if held:
        # The pages of what was edited are served first; the rest (the timeline, the
        # pages of the sources it quotes, the indexes) and `claims.json` come with the
        # next rebuild, which writing them starts.
        return Generated(report, checked, pages, {}, reading, held)
    return Generated(
        report, checked, pages, site_files(reading) if files is None else files, reading
    )


def release(generated: Generated, preview: Preview, docs_dir: Path) -> list[str]:
    """Make and write the pages a preview save held back; return the paths written.

    An engine watching `docs/` then rebuilds them, and the next run (nothing changed)
    returns the site files again.
    """
    from generator.write import write_file

    written = []
    for path, (inputs, make) in generated.held.items():
        generated.pages[path] = content = make()
        preview.pages[path] = (inputs, content)
        if write_file(docs_dir / path, content):
            written.append(path)
    generated.held = {}
    return written
