"""The MkDocs hook: thin glue that runs the same generator before every (re)build.

`mkdocs.yml` names this file under `hooks:`. With it, `mkdocs build` and `mkdocs
serve` regenerate the pages from `briefs/` and `serve` reloads when a brief changes.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from generator.changes import PAGE as CHANGES_PAGE
from generator.check import Checked
from generator.opendata import write_open_data
from generator.pipeline import HOOK, generate
from generator.write import sync_generated

# What this build's pages were generated from, for the files written after them
# (this module is executed afresh at each config load, so it is this build's own).
_BUILT: Checked | None = None


def _root(config: MkDocsConfig) -> Path:
    return Path(config.config_file_path).resolve().parent


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    result = HOOK.prepared or generate(_root(config))
    if not result.ok() or result.checked is None:
        lines = "\n".join(d.format() for d in result.report.sorted())
        raise PluginError(f"the briefs have errors; nothing was generated:\n{lines}")
    docs = Path(config.docs_dir)
    sync_generated(docs, result.pages)
    global _BUILT
    _BUILT = result.checked
    briefing = result.checked.briefing
    # MkDocs themes print the site name and navigation titles as raw HTML.
    config.site_name = html.escape(briefing.title)
    config.nav = nav_for(result.checked, docs)
    nav = [config.site_name, config.nav]
    if HOOK.nav is not None and HOOK.nav != nav:
        # `serve` rebuilds only pages whose Markdown changed; a new title or topic
        # changes the navigation on every page, so every page is due.
        for page in docs.rglob("*.md"):
            page.touch()
    HOOK.nav = nav
    return config


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
        *([{"What changed": CHANGES_PAGE}] if checked.changes else []),  # issue 15
        {"Sources": "sources/index.md"},
    ]
    for title, name in (("About", "about.md"), ("Method", "method.md")):
        if (docs_dir / name).is_file():
            nav.append({title: name})
    return nav


def on_post_build(config: MkDocsConfig) -> None:
    # Into the site being built: under `briefing build` the staged one, swapped in whole.
    if _BUILT is not None:
        write_open_data(_BUILT, Path(config.site_dir))


def on_serve(server: Any, config: MkDocsConfig, builder: Any) -> Any:
    # MkDocs polls for changes every 0.5 s; a watch takes the observer's interval when
    # it is scheduled, so the briefs are polled ten times a second: an edit shows at once.
    observer = getattr(server, "observer", None)
    if observer is not None and isinstance(getattr(observer, "_timeout", None), float):
        observer._timeout = 0.1
    server.watch(str(_root(config) / "briefs"))
    return server
