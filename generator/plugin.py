"""The MkDocs plugin `briefing`: thin glue that runs the pipeline before every (re)build.

A briefing's `mkdocs.yml` says `plugins: [briefing, search]`; plain `mkdocs build` and
`mkdocs serve` then regenerate the pages from `briefs/` (and `serve` rebuilds when a
brief changes). Everything it does is a call into the pipeline; what it remembers
between events and rebuilds lives on the plugin instance.

Options (all optional): `strict: true` makes warnings fatal, as `briefing check
--strict`; `format: json` prints diagnostics as JSON lines on stdout.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.pages import Page

from generator.diagnostics import print_report
from generator.pipeline import Generated, Preview, generate, release
from generator.siteconfig import (
    OVERRIDES,
    local_polyfills,
    missing_extensions,
    nav_for,
    site_name,
    with_script,
    with_stylesheet,
)
from generator.write import is_generated, sync_generated

RELEASE_AFTER = 0.5
"""Seconds between serving a save's edited pages and writing the pages it held back."""


class BriefingConfig(Config):  # type: ignore[no-untyped-call]
    strict = c.Type(bool, default=False)
    format = c.Choice(("text", "json"), default="text")


class BriefingPlugin(BasePlugin[BriefingConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.prepared: Generated | None = None
        """Set by `briefing build`, which has generated, checked and written the pages
        into the docs/ being built already: no second run."""
        self.built: Generated | None = None
        """What this build's pages were made from, for the files written after them."""
        self.directory_urls = True
        """The site's `use_directory_urls` as configured, before Material's `offline`
        plugin (listed after this one) turns it off; see `on_pre_build`."""
        self.navs: dict[str, list[Any]] = {}
        """The navigation of the last build of each project, so `serve` knows when every
        page must be redone."""
        self.command: str = "build"
        self.previews: dict[str, Preview] = {}
        """Under `serve`, per project: the checked model per brief file and the pages made
        last time, so a save re-reads, re-checks and re-renders only what it changed."""
        self.good: dict[str, Generated] = {}
        """Under `serve`, per project: the last result that passed, served while a save
        breaks the briefs."""
        self.server: Any = None
        """Under `serve`, the live-reload server (from `on_serve`), which watches `docs/`."""
        self.lock = threading.Lock()
        """Held between writing a build's pages and writing the pages a save held back."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        # Defining this keeps one plugin instance across the rebuilds of `mkdocs serve`.
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path).resolve().parent
        docs = Path(config.docs_dir)
        # Under `serve`, a save's held-back pages may be being written (`_release_later`).
        with self.lock:
            written = self.prepared is not None
            result = self._result(root)
            self.built = result
            if not written:
                with self._unwatched(docs):
                    sync_generated(docs, result.pages)
        checked = result.checked
        assert checked is not None  # a result that passed, or the last one that did
        config.site_name = site_name(checked)
        config.nav = nav_for(checked, docs)
        config.extra_css = with_stylesheet(list(config.extra_css))
        config.extra_javascript = with_script(list(config.extra_javascript))
        self.directory_urls = config.use_directory_urls
        for name, options in missing_extensions(list(config.markdown_extensions)).items():
            config.markdown_extensions.append(name)
            config.mdx_configs[name] = options
        dirs = config.theme.dirs
        if str(OVERRIDES) not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))

        nav = [config.site_name, config.nav]
        key = str(root)
        if self.navs.get(key) not in (None, nav):
            # `serve` rebuilds only pages whose Markdown changed; a new title or topic
            # changes the navigation on every page, so every page is due.
            with self._unwatched(docs):
                for page in docs.rglob("*.md"):
                    page.touch()
        self.navs[key] = nav
        return config

    def _result(self, root: Path) -> Generated:
        """This build's pages: handed over by `briefing build`, or generated here."""
        key = str(root)
        result, self.prepared = self.prepared, None
        if result is None:  # plain `mkdocs build` or `serve`: check here, and say what was found
            preview = self.previews.setdefault(key, Preview()) if self.command == "serve" else None
            result = generate(root, self.config.strict, preview=preview)
            print_report(result.report, self.config.strict, self.config.format)
        if not result.ok(self.config.strict) or result.checked is None:
            last = self.good.get(key) if self.command == "serve" else None
            if last is None:
                raise PluginError("the briefs have problems (above); nothing was generated")
            # A save that breaks a brief: its diagnostics are above, and the preview
            # keeps showing the last pages that passed until the next save fixes it.
            print(
                "briefing: the briefs have problems (above); still serving the last good pages",
                file=sys.stderr,
            )
            return last
        if self.command == "serve":
            self.good[key] = result
        return result

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Every plugin's on_config has run, `offline`'s too; no page is placed yet.
        _keep_urls(config, self.directory_urls)

    def on_page_content(self, html: str, *, page: Page, **kwargs: Any) -> str:
        from generator.links import engine_urls
        from generator.search import quiet_footnotes

        if is_generated(page.file.src_uri):
            # MkDocs keeps each page's Markdown beside its HTML until the build ends; once
            # rendered, a generated page's Markdown is used by no one (it is in docs/).
            page.markdown = None
            # The pages' raw HTML names other pages by their `.md` files, as Markdown
            # links do; MkDocs makes URLs of Markdown links only.
            html = engine_urls(html, page.file.src_uri, self.directory_urls)
        return quiet_footnotes(html)

    @event_priority(-100)  # after every other plugin's
    def on_post_page(self, output: str, *, page: Page, **kwargs: Any) -> str:
        # Written out next; MkDocs would keep every page's HTML until the build ends.
        if is_generated(page.file.src_uri):
            page.content = None
        return output

    # After Material's search plugin has written its index, before `offline` copies it.
    @event_priority(-50)
    def on_post_build(self, config: MkDocsConfig) -> None:
        # Into the site being built: under `briefing build` the staged one, swapped in whole.
        if self.built is not None and self.built.held:
            root = str(Path(config.config_file_path).resolve().parent)
            self._release_later(Path(config.docs_dir), self.built, self.previews[root])
        elif self.built is not None:
            from generator.opendata import write_site_files
            from generator.search import add_claims

            site = Path(config.site_dir)
            write_site_files(self.built.site_files, site)
            if self.built.reading is not None:
                add_claims(site, self.built.reading, config.use_directory_urls)

    def _release_later(self, docs: Path, result: Generated, preview: Preview) -> None:
        """Write the pages a preview save held back once its edited pages are served:
        `serve` sees them change and rebuilds them (and then writes the site files)."""

        def later() -> None:
            with self.lock:
                if self.built is result:  # else a newer build has made them already
                    release(result, preview, docs)

        timer = threading.Timer(RELEASE_AFTER, later)
        timer.daemon = True
        timer.start()

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(Path(config.config_file_path).resolve().parent / "briefs"))
        self.server = server
        return server

    @contextmanager
    def _unwatched(self, docs: Path) -> Iterator[None]:
        """Writes into `docs/` that `serve`'s watcher does not see: the build making them
        is already the rebuild they call for; seen, they would start another one, which
        holds back every request (the page just rebuilt too) until it ends."""
        if self.server is None:
            yield
            return
        self.server.unwatch(str(docs))
        try:
            yield
        finally:
            self.server.watch(str(docs))


def _keep_urls(config: MkDocsConfig, directory_urls: bool) -> None:
    """Undo what Material's `offline` plugin changes that a briefing cannot accept.

    It turns directory URLs off so that links work from disk; a briefing's URLs
    (`topics/<slug>/`) are public and stay, and its own script names `index.html` when
    the site is opened from disk. It loads its worker shim from unpkg.com; the briefing
    ships that shim, since the site asks no other host for anything.
    """
    config.use_directory_urls = directory_urls
    polyfills = config.extra.get("polyfills")
    if polyfills:
        config.extra["polyfills"] = local_polyfills(list(polyfills))
