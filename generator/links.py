"""Links between generated pages: the URLs MkDocs gives them, and a check that they resolve.

The renderer writes most of a page as raw HTML blocks (Python-Markdown converts them
several times faster than the same content as Markdown), so it writes its links as the
URLs MkDocs would have made of `page.md#anchor`: the site's public URLs with
`use_directory_urls: true` (`topics/<slug>/`, `sources/<id>/`), relative to the page.
MkDocs does not validate links inside raw HTML; :func:`broken_links` does, for every
generated page, and the build fails on the first it finds.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping

_HREF = re.compile(r'\shref="([^"]*)"')
_ID = re.compile(r'\sid="([^"]*)"|\{ #([^\s}]+)')
# Not links to another page of the site: a scheme, a site-absolute path, or a query.
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|\?)")


def page_url(path: str) -> str:
    """The URL of the page `path` (under `docs/`) relative to the site's root, as MkDocs
    makes it with directory URLs: `topics/x.md` → `topics/x/`, `sources/index.md` →
    `sources/`, `index.md` → `` (the root)."""
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index")
        return stem
    return stem + "/"


def href(here: str, there: str, anchor: str = "") -> str:
    """A link from page `here` to page `there` (paths under `docs/`), at `anchor`:
    `#anchor` alone on the same page, else the relative URL MkDocs would write."""
    fragment = f"#{anchor}" if anchor else ""
    if here == there:
        return fragment or "./"
    relative = posixpath.relpath(page_url(there) or ".", page_url(here) or ".")
    return ("./" if relative == "." else relative + "/") + fragment


def _resolve(here: str, url: str, pages: Mapping[str, object]) -> str | None:
    """The page (path under `docs/`) a relative `url` on page `here` leads to, if any."""
    start = page_url(here)
    joined = posixpath.normpath(posixpath.join(start or ".", url)) if url else start
    joined = "" if joined == "." else joined.strip("/")
    for candidate in (f"{joined}.md", f"{joined}/index.md" if joined else "index.md"):
        if candidate in pages:
            return candidate
    return None


def broken_links(pages: Mapping[str, str], only: Iterable[str] | None = None) -> list[str]:
    """Every link of the generated Markdown pages (of `only`, if given) that leads to no
    generated page or to an anchor its page lacks, as `page: href` messages.

    Anchors are the `id="…"` attributes of raw HTML and the `{ #id }` of attribute lists;
    a page's own headings' anchors (made by the `toc` extension) are not linked to. Links
    to files of the site that are not pages (the feed, the PDFs) are left to the tests.
    """
    markdown = {path: text for path, text in pages.items() if path.endswith(".md")}
    ids: dict[str, set[str]] = {}

    def anchors(path: str) -> set[str]:
        found = ids.get(path)
        if found is None:
            found = ids[path] = {a or b for a, b in _ID.findall(markdown[path])}
        return found

    problems = []
    for path in sorted(markdown if only is None else only):
        for url in dict.fromkeys(_HREF.findall(markdown[path])):
            if _EXTERNAL.match(url):
                continue
            target, _, anchor = url.partition("#")
            name = target.rpartition("/")[2]
            if name.endswith(".md"):
                problems.append(
                    f"{path}: links to {url}, a Markdown file (MkDocs leaves raw HTML as is)"
                )
                continue
            if "." in name.strip("."):
                continue  # a file of the site (the feed, a PDF), not a page
            page = _resolve(path, target, markdown) if target else path
            if page is None:
                problems.append(f"{path}: links to {url}, which is no generated page")
            elif anchor and anchor not in anchors(page):
                problems.append(f"{path}: links to {url}, but {page} has no anchor {anchor!r}")
    return problems
