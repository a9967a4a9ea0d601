"""Engine stage: hand the generated `docs/` to MkDocs + Material and build `site/`."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.check import Checked
from generator.opendata import write_site_files
from generator.pipeline import Generated
from generator.siteconfig import (
    OVERRIDES,
    missing_extensions,
    nav_for,
    site_name,
    with_script,
    with_stylesheet,
)
from generator.swap import STAGING, commit, recover
from generator.write import GENERATED, sync_generated


class EngineError(Exception):
    """MkDocs refused the build; the message holds what it said."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


PDF_PATHS = ("briefing.pdf", "pdf")


def build_site(root: Path, result: Generated, pdf: bool = True, engine: str = "mkdocs") -> None:
    """Build into a staging folder, then swap generated pages and `site/` into place.

    Nothing under `docs/` or `site/` changes unless MkDocs succeeded (strict mode:
    a broken link or anchor is a failure); then :func:`generator.swap.commit` puts all
    of it in place at once. Call with the build lock held.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    recover(root)  # finish, or clear away, what a killed build left
    staging = root / STAGING / f"build-{os.getpid()}"
    staged_docs = staging / "docs"
    docs = root / "docs"
    if docs.is_dir():
        shutil.copytree(docs, staged_docs, ignore=_ignore_generated(docs))
    else:
        staged_docs.mkdir(parents=True)
    sync_generated(staged_docs, result.pages)

    staged_site = staging / "site"
    if engine == "zensical":
        try:
            zensical_build(root, staged_docs, staged_site, result)
        except EngineError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # Zensical runs no plugin: the pipeline's own files (claims.json, feed.xml) go in
        # here, as the plugin's on_post_build writes them into an MkDocs build.
        write_site_files(result.site_files, staged_site)
    else:
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        try:
            config = load_config(
                str(root / "mkdocs.yml"),
                docs_dir=str(staged_docs),
                site_dir=str(staged_site),
                strict=True,
            )
            plugin = config.plugins.get("briefing")
            if plugin is None:
                raise EngineError(
                    f"{root / 'mkdocs.yml'}: `plugins:` does not name `briefing`; "
                    "write `plugins: [briefing, search]`"
                )
            plugin.prepared = result
            # The pages are in the staged docs/ now; MkDocs reads them from there, and
            # keeping them here too would add their size to MkDocs' own (1,000 topics:
            # hundreds of megabytes).
            result.pages.clear()
            build(config)
        except (MkDocsException, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            detail = "\n".join(collect.messages) or str(exc)
            raise EngineError(f"mkdocs build failed: {exc}\n{detail}".rstrip()) from None
        except EngineError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finally:
            logger.removeHandler(collect)

    if pdf:
        from generator.pdf import write_pdfs

        assert result.reading is not None
        write_pdfs(result.reading, staged_site, root / STAGING / "pdf-cache")
    else:
        _keep_previous_pdfs(root / "site", staged_site)
    # Generated pages first and site/ last: once readers see the new site, every
    # generated page is new too. Hand-written pages under docs/ are never moved.
    moves = [(staged_docs / name, docs / name) for name in GENERATED]
    for staged, _ in moves:
        if not staged.suffix:  # a generated folder, even if empty, replaces the old one
            staged.mkdir(exist_ok=True)
    docs.mkdir(exist_ok=True)
    commit(root, staging, [*moves, (staged_site, root / "site")])


def zensical_build(root: Path, docs: Path, site: Path, result: Generated) -> None:
    """Build `docs` into `site` with Zensical, Material for MkDocs' successor.

    Zensical reads `mkdocs.yml` but runs no MkDocs plugins, so it gets a copy beside the
    staged docs with what the plugin sets (site name, navigation, stylesheet, Markdown
    extensions, theme overrides) filled in, from the same functions. It wants paths
    relative to that file, hence the copy of the theme overrides.
    """
    if result.checked is None:
        raise EngineError("zensical build: the briefs did not check")
    import yaml

    work = docs.parent
    config = plain_config(root, result.checked, docs)
    config["docs_dir"] = os.path.relpath(docs, work)
    config["site_dir"] = os.path.relpath(site, work)
    theme = config["theme"]
    # The briefing's overrides, under the project's own (which win where both have a file).
    copy = work / "briefing-overrides"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(OVERRIDES, copy)
    custom = theme.get("custom_dir")
    if custom and custom != str(OVERRIDES):
        shutil.copytree(root / custom, copy, dirs_exist_ok=True)
    theme["custom_dir"] = copy.name
    config_file = work / "zensical.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--strict", "-f", str(config_file)],
        cwd=work,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0 or not (site / "index.html").is_file():
        detail = (done.stdout + done.stderr).strip().splitlines()[-20:]
        raise EngineError("zensical build failed:\n" + "\n".join(detail))


def plain_config(root: Path, checked: Checked, docs: Path) -> dict[str, Any]:
    """The project's `mkdocs.yml` with what the plugin sets filled in and the plugin left out.

    What an engine that runs no MkDocs plugins needs to build the generated `docs/` as the
    plugin would (Zensical; the benchmark's plain `mkdocs build` over the same pages).
    """
    import yaml

    config: dict[str, Any] = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config["plugins"] = [
        p
        for p in config.get("plugins") or []
        # Material's `offline` turns directory URLs off (a briefing's URLs are public and
        # stay: the plugin undoes it, which no other engine can) and loads a shim from unpkg.
        if (next(iter(p)) if isinstance(p, dict) else p) not in ("briefing", "offline")
    ]
    config["site_name"] = site_name(checked)
    config["nav"] = nav_for(checked, docs)
    config["extra_css"] = with_stylesheet(list(config.get("extra_css") or []))
    config["extra_javascript"] = with_script(list(config.get("extra_javascript") or []))
    extensions = list(config.get("markdown_extensions") or [])
    extensions += [{name: options} for name, options in missing_extensions(extensions).items()]
    config["markdown_extensions"] = extensions
    theme = config.setdefault("theme", {"name": "material"})
    if not theme.get("custom_dir"):
        theme["custom_dir"] = str(OVERRIDES)
    return config


def _keep_previous_pdfs(site: Path, staged_site: Path) -> None:
    """`--no-pdf` is for quick previews: the PDFs of the last full build stay in place."""
    for name in PDF_PATHS:
        old = site / name
        if old.is_dir():
            shutil.copytree(old, staged_site / name)
        elif old.is_file():
            shutil.copy2(old, staged_site / name)


def _ignore_generated(docs: Path):  # type: ignore[no-untyped-def]
    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if Path(folder) == docs and n in GENERATED]

    return ignore


SERVE_CONFIG = ".briefing-serve.yml"


def serve(root: Path, dev_addr: str | None, strict: bool = False, fmt: str = "text") -> None:
    """`mkdocs serve` with the plugin told `--strict` and `--format`, rebuilding on edits.

    The options reach the plugin through a configuration file beside `mkdocs.yml` that
    inherits it (`INHERIT`) and sets only the plugin's options; it is removed on exit.
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    import yaml
    from mkdocs.commands.serve import serve as mkdocs_serve

    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    config_file = root / "mkdocs.yml"
    try:
        config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        config = None  # tags such as !ENV: MkDocs reads it; the plugin keeps its own options
    plugins = config.get("plugins") if isinstance(config, dict) else None
    serve_config = root / SERVE_CONFIG
    if isinstance(plugins, list):
        named = [
            {"briefing": {"strict": strict, "format": fmt}} if _is_briefing(p) else p
            for p in plugins
        ]
        text = yaml.safe_dump({"INHERIT": "mkdocs.yml", "plugins": named}, sort_keys=False)
        serve_config.write_text(text, encoding="utf-8")
        config_file = serve_config
    try:
        # Dirty rebuilds: only pages whose Markdown the generator rewrote are rendered
        # again (it writes a page only when its content changed). The plugin redoes every
        # page when the navigation changes.
        mkdocs_serve(config_file=str(config_file), livereload=True, build_type="dirty", **options)
    finally:
        serve_config.unlink(missing_ok=True)


def _is_briefing(plugin: Any) -> bool:
    return plugin == "briefing" or (isinstance(plugin, dict) and "briefing" in plugin)
