"""Links between generated pages: how the raw HTML spells them, and a check that they resolve.

The renderer writes most of a page as raw HTML blocks (Python-Markdown converts them
several times faster than the same content as Markdown). Its links name the page they
lead to as a Markdown link would, by its file relative to the linking page's file
(`../sources/x.md#q-1`), so `docs/` reads as before and each engine makes its URLs:
Zensical rewrites every link of a page's HTML; MkDocs rewrites only Markdown links, so
the plugin calls :func:`engine_urls` on each page's HTML (the URLs MkDocs would have
made: `topics/<slug>/`, `sources/<id>/` with `use_directory_urls: true`).

No engine checks links inside raw HTML; :func:`broken_links` does, for every generated
page, and the build stops on the first it finds.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

# The renderer separates attributes by one space; a pattern that starts with a literal
# is searched for as a string, several times faster than one that starts with `\s`.
_HREF = re.compile(r' href="([^"]*)"')
_ID = re.compile(r' id="([^"]*)"')
_ATTR_LIST_ID = re.compile(r"\{ #([^\s}]+)")
# A link to a page of the site, in a page's HTML: a relative path to a `.md` file.
_PAGE_LINK = re.compile(r'(\shref=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|/)([^"#?]*\.md)(#[^"]*)?"')
# Not a link to another page of the site: a scheme, a site-absolute path, or a query.
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|\?)")


def href(here: str, there: str, anchor: str = "") -> str:
    """A link from page `here` to page `there` (paths under `docs/`) at `anchor`: `#anchor`
    alone on the same page, else `there` relative to `here`'s folder, as in Markdown."""
    fragment = f"#{anchor}" if anchor else ""
    if here == there and anchor:
        return fragment
    return _relative(there, posixpath.dirname(here) or ".") + fragment


@lru_cache(maxsize=4096)
def _relative(path: str, folder: str) -> str:
    # A page links to few pages, many times (a topic page to a source page per footnote).
    return posixpath.relpath(path, folder)


def _target(here: str, link: str) -> str:
    """The page (path under `docs/`) a relative `.md` link on page `here` names."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(here), link))


def page_url(path: str, directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page `path`, relative to the site's root: with directory
    URLs `topics/x.md` → `topics/x/`, `sources/index.md` → `sources/`, `index.md` → ``;
    without, `topics/x.html`."""
    stem = path.removesuffix(".md")
    if not directory_urls:
        return stem + ".html"
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def url(here: str, there: str, anchor: str = "", directory_urls: bool = True) -> str:
    """The URL MkDocs writes on page `here` for a Markdown link to page `there` at `anchor`."""
    fragment = f"#{anchor}" if anchor else ""
    start, target = page_url(here, directory_urls), page_url(there, directory_urls)
    # A folder URL is its own base; a file's base is its folder.
    base = start.rstrip("/") if start.endswith("/") or not start else posixpath.dirname(start)
    relative = posixpath.relpath(target.rstrip("/") or ".", base or ".")
    if target.endswith("/") or not target:
        relative = "./" if relative == "." else relative + "/"
    return relative + fragment


def engine_urls(html: str, page: str, directory_urls: bool = True) -> str:
    """A page's HTML with its links to `.md` files made the URLs MkDocs makes of them."""

    made: dict[str, str] = {}  # a page links to few pages, many times

    def rewrite(match: re.Match[str]) -> str:
        link = match.group(2)
        base = made.get(link)
        if base is None:
            base = made[link] = url(page, _target(page, link), "", directory_urls)
        return f'{match.group(1)}{base}{match.group(3) or ""}"'

    return _PAGE_LINK.sub(rewrite, html)


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
            text = markdown[path]
            found = ids[path] = {*_ID.findall(text), *_ATTR_LIST_ID.findall(text)}
        return found

    problems = []
    for path in sorted(markdown if only is None else only):
        for link in dict.fromkeys(_HREF.findall(markdown[path])):
            if _EXTERNAL.match(link):
                continue
            target, _, anchor = link.partition("#")
            name = target.rpartition("/")[2]
            if target and not name.endswith(".md"):
                if "." not in name.strip("."):  # else a file of the site: the feed, a PDF
                    problems.append(f"{path}: links to {link}, not to a page's .md file")
                continue
            page = _target(path, target) if target else path
            if page not in markdown:
                problems.append(f"{path}: links to {link}, which is no generated page")
            elif anchor and anchor not in anchors(page):
                problems.append(f"{path}: links to {link}, but {page} has no anchor {anchor!r}")
    return problems
