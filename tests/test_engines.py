"""Both engines build the same generated docs/ into the same site, as a reader checks it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import make_project

from generator.cli import main


def _site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Path:
    root = make_project(tmp_path_factory.mktemp(engine) / "project", real=True)
    assert main(["build", "--engine", engine, "--root", str(root)]) == 0
    return root / "site"


# Each engine's own files: its theme's scripts and stylesheets (bundled differently),
# its search index (and MkDocs' copy of it as a script, for search from a folder) and its
# compressed sitemap. Everything else is the briefing's.
ENGINE_OWN = re.compile(
    r"assets/(javascripts|stylesheets)/.*|search/search_index\.jso?n?|search\.json|sitemap\.xml\.gz"
)


def _files(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not ENGINE_OWN.fullmatch(p.relative_to(site).as_posix())
    }


def test_both_engines_publish_the_same_files(sites: dict[str, Path]) -> None:
    """Every file of the site, not only its pages: claims.json, the stylesheet, the PDFs."""
    mkdocs, zensical = sites["mkdocs"], sites["zensical"]
    files = _files(mkdocs)
    assert {"claims.json", "assets/briefing.css", "briefing.pdf", "index.html"} <= files
    assert any(f.startswith("pdf/") for f in files)
    assert files == _files(zensical)
    for name in sorted(files):
        if not name.endswith((".html", ".xml")):  # data, stylesheet, PDFs: the pipeline's own
            assert (mkdocs / name).read_bytes() == (zensical / name).read_bytes(), name


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {engine: _site(tmp_path_factory, engine) for engine in ("mkdocs", "zensical")}


def _reader_view(page: Path) -> dict[str, set[str]]:
    """What a reader relies on: anchors, footnotes, links to sources and PDFs."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    return {
        "anchors": {str(t["id"]) for t in article.select("[id]")},
        "footnotes": {str(li["id"]) for li in article.select(".footnote li[id]")},
        "links": {
            str(a["href"])
            for a in article.select("a[href]")
            if "sources/" in str(a["href"]) or str(a["href"]).endswith(".pdf")
        },
    }


def test_both_engines_publish_every_page_anchor_footnote_and_source_link(
    sites: dict[str, Path],
) -> None:
    mkdocs, zensical = sites["mkdocs"], sites["zensical"]
    pages = sorted(p.relative_to(mkdocs) for p in mkdocs.glob("**/index.html"))
    topic_pages = [p for p in pages if p.parts[0] == "topics"]
    assert len(topic_pages) == 4 and any(p.parts[0] == "sources" for p in pages)
    for page in pages:
        assert (zensical / page).is_file(), f"zensical has no {page}"
        if page.parts[0] not in ("topics", "sources", "timeline"):
            continue
        want, got = _reader_view(mkdocs / page), _reader_view(zensical / page)
        for kind in ("footnotes", "links"):
            assert want[kind] == got[kind], f"{page}: {kind} differ"
        # Heading permalinks may be spelt differently; claim and passage anchors may not.
        content = {a for a in want["anchors"] if not a.startswith("__")}
        missing = content - got["anchors"]
        assert not missing, f"{page}: zensical lacks anchors {sorted(missing)[:5]}"
    for page in topic_pages:
        assert _reader_view(zensical / page)["footnotes"], f"{page} has footnotes"


def test_zensical_site_requests_nothing_from_other_hosts(sites: dict[str, Path]) -> None:
    for page in sites["zensical"].glob("**/*.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.select("script[src], link[href], img[src], iframe[src]"):
            url = str(tag.get("src") or tag.get("href"))
            if tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"]):
                continue
            assert not url.startswith(("http:", "https:", "//")), f"{page}: {url}"
