"""What a briefing needs of the site engine, for MkDocs and Zensical alike.

The MkDocs plugin applies it to the loaded configuration; the Zensical engine writes
it into the configuration file it generates (Zensical runs no plugins); so both
engines build the same site.

The briefing's look ships with the package (`generator/theme/`): its stylesheet is
written into `docs/` by the pipeline like any generated page, and its template
overrides are layered over Material's. Every briefing gets them, this repository's
and one made by `briefing init`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from generator.changes import PAGE as CHANGES_PAGE
from generator.check import Checked

THEME = Path(__file__).parent / "theme"
OVERRIDES = THEME / "overrides"
"""Templates layered over Material's: the PDF links, an escaped `<title>`."""
STYLESHEET = "assets/briefing.css"
"""Where the stylesheet is written under `docs/`, and named in `extra_css`."""
SCRIPT = "assets/briefing.js"
"""The briefing's own script (footnote back-references, tooltips by keyboard, links from
disk), written under `docs/` and named in `extra_javascript`."""
WORKER_SHIM = "assets/iframe-worker-shim.js"
"""Lets Material's search run from a folder (file://). Material's `offline` plugin names
it on unpkg.com; the briefing ships it instead, so the site asks no other host."""

MARKDOWN_EXTENSIONS: dict[str, dict[str, Any]] = {
    "attr_list": {},  # the heading ids the generator fixes: `## 2024 { #year_2024 }`
    "footnotes": {},  # hand-written pages' footnotes look like the generated ones
    "toc": {"permalink": True},
}
"""The Markdown extensions the generated pages are written for, with their options.

Not `md_in_html`: the generated pages are raw HTML blocks under Markdown headings
(:mod:`generator.render`), and its block preprocessor makes Python-Markdown read every
tag of them more slowly (a quarter of a topic page's conversion). A site that names it
for pages of its own keeps it."""


def site_name(checked: Checked) -> str:
    # MkDocs themes print the site name and navigation titles as raw HTML.
    return html.escape(checked.briefing.title)


def nav_for(checked: Checked, docs_dir: Path) -> list[Any]:
    """Topics in briefing order, the timeline, the sources index and the hand-written pages.

    Never one entry per source: at a thousand pages a full navigation doubles the
    build time, and readers reach sources through footnotes and the index.
    """
    topics = [{html.escape(t.title): f"topics/{t.slug}.md"} for t in checked.briefing.topics]
    nav: list[Any] = [
        {"Home": "index.md"},
        {"Topics": topics},
        {"Timeline": "timeline.md"},
        *([{"What changed": CHANGES_PAGE}] if checked.changes is not None else []),
        {"Sources": "sources/index.md"},
    ]
    for title, name in (("About", "about.md"), ("Method", "method.md")):
        if (docs_dir / name).is_file():
            nav.append({title: name})
    return nav


def missing_extensions(configured: list[Any]) -> dict[str, dict[str, Any]]:
    """The extensions of :data:`MARKDOWN_EXTENSIONS` that `configured` does not name."""
    names = {next(iter(e)) if isinstance(e, dict) else str(e) for e in configured}
    return {name: options for name, options in MARKDOWN_EXTENSIONS.items() if name not in names}


def with_stylesheet(extra_css: list[str]) -> list[str]:
    return extra_css if STYLESHEET in extra_css else [*extra_css, STYLESHEET]


def with_script(extra_javascript: list[Any]) -> list[Any]:
    named = {str(s.get("path")) if isinstance(s, dict) else str(s) for s in extra_javascript}
    return extra_javascript if SCRIPT in named else [*extra_javascript, SCRIPT]


def local_polyfills(polyfills: list[str]) -> list[str]:
    """The page's polyfills with Material's unpkg.com worker shim swapped for the briefing's."""
    return [WORKER_SHIM if "iframe-worker" in url else url for url in polyfills]


def theme_pages() -> dict[str, str]:
    """The theme's files to write under `docs/`, by path."""
    return {
        STYLESHEET: (THEME / "briefing.css").read_text(encoding="utf-8"),
        SCRIPT: (THEME / "briefing.js").read_text(encoding="utf-8"),
        WORKER_SHIM: (THEME / "iframe-worker-shim.js").read_text(encoding="utf-8"),
    }
