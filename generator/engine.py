"""Engine stage: hand the generated `docs/` to MkDocs + Material and build `site/`."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path
from typing import Any

from generator.pipeline import HOOK, Generated
from generator.write import GENERATED, replace_dir, sync_generated

STAGING = ".briefing-staging"


class EngineError(Exception):
    """MkDocs refused the build; the message holds what it said."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.levelname.lower()}: {record.getMessage()}")


PDF_PATHS = ("briefing.pdf", "pdf")


def build_site(root: Path, result: Generated, pdf: bool = True) -> None:
    """Build into a staging folder, then swap generated pages and `site/` into place.

    Nothing under `docs/` or `site/` changes unless MkDocs succeeded (strict mode:
    a broken link or anchor is a failure).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    staging = root / STAGING / f"build-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staged_docs = staging / "docs"
    docs = root / "docs"
    if docs.is_dir():
        shutil.copytree(docs, staged_docs, ignore=_ignore_generated(docs))
    else:
        staged_docs.mkdir(parents=True)
    sync_generated(staged_docs, result.pages)

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
    if pdf:
        from generator.pdf import write_pdfs

        assert result.checked is not None
        write_pdfs(result.checked, staged_site, root / STAGING / "pdf-cache")
    else:
        _keep_previous_pdfs(root / "site", staged_site)
    sync_generated(docs, result.pages)
    replace_dir(staged_site, root / "site")
    shutil.rmtree(staging, ignore_errors=True)


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
