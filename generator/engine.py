"""Engine stage: hand the generated `docs/` to MkDocs + Material and build `site/`."""

from __future__ import annotations

import html
import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from generator.changes_page import write_feed
from generator.pipeline import HOOK, Generated, generate
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


ENGINES = ("mkdocs", "zensical")


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

    if engine == "zensical":
        try:
            zensical_build(root, staged_docs, staging / "site", result)
        except EngineError:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    else:
        collect = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(collect)
        HOOK.prepared = result
        try:
            config = load_config(
                str(root / "mkdocs.yml"),
                docs_dir=str(staged_docs),
                site_dir=str(staging / "site"),
                strict=True,
            )
            build(config)
        except (MkDocsException, OSError) as exc:
            shutil.rmtree(staging, ignore_errors=True)
            detail = "\n".join(collect.messages) or str(exc)
            raise EngineError(f"mkdocs build failed: {exc}\n{detail}".rstrip()) from None
        finally:
            HOOK.prepared = None
            logger.removeHandler(collect)

    staged_site = staging / "site"
    assert result.checked is not None
    write_feed(result.checked, staged_site)  # editions (issue 15): both engines publish it
    if pdf:
        from generator.pdf import write_pdfs

        assert result.checked is not None
        write_pdfs(result.checked, staged_site, root / STAGING / "pdf-cache")
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


def zensical_build(root: Path, docs: Path, site: Path, result: Generated | None = None) -> None:
    """Build `docs` into `site` with Zensical, Material for MkDocs' successor.

    Zensical reads `mkdocs.yml` but runs no MkDocs hooks, so it gets a copy beside the
    staged docs with what the hook would have set (site name, navigation) filled in.
    It wants paths relative to that file, hence the copy of the theme overrides.
    """
    import yaml

    from generator.hook import nav_for

    if result is None:
        result = generate(root)
    if result.checked is None:
        raise EngineError("zensical build: the briefs did not check")
    work = docs.parent
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks", None)
    config["site_name"] = html.escape(result.checked.briefing.title)
    config["nav"] = nav_for(result.checked, docs)
    config["docs_dir"] = os.path.relpath(docs, work)
    config["site_dir"] = os.path.relpath(site, work)
    theme = config.get("theme") or {}
    custom = theme.get("custom_dir")
    if custom:
        copy = work / "briefing-overrides"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(root / custom, copy)
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


def serve(root: Path, dev_addr: str | None) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.serve import serve as mkdocs_serve

    options: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    # Dirty rebuilds: only pages whose Markdown the generator rewrote are rendered again
    # (it writes a page only when its content changed), so an edit shows in well under
    # a second even with hundreds of topics. The hook redoes every page when the
    # navigation changes.
    mkdocs_serve(
        config_file=str(root / "mkdocs.yml"), livereload=True, build_type="dirty", **options
    )
