"""Assembly stage: parts typeset one by one (WeasyPrint, cached) put together as one
tagged PDF (pikepdf, on qpdf).

A PDF is made of parts: one per topic, the timeline, the sources appendix, and a title
page with contents typeset last with the page numbers the parts turned out to have. A
part is typeset as a tagged PDF (PDF/UA-1) and fixed up once, when it is typeset
(footnotes tagged as notes, running headers as artifacts); the fixed part is what the
cache keeps. Assembly then copies pages and structure in C++ (qpdf) and touches from
Python only what depends on the part's place in the whole: page and annotation keys
into the one structure tree, links between parts, the outline, the named destinations
and the "Page N of M" stamps. Everything is derived from the parts' bytes and the
briefing's own dates, so the same input gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator.write import write_bytes

if TYPE_CHECKING:  # imported where used: `briefing check` loads no PDF library
    import pikepdf

# A link from one part to an anchor in another; made a link inside the PDF on assembly.
PART_LINK = "x-briefing:"

# What each part is typeset as: tagged, with the document language and title it names.
PDF_VARIANT = "pdf/ua-1"

# Part of every cache key: bump it when `_finish_part` changes what it does to a part.
PART_FORMAT = "tagged-5"

# Below this many parts to typeset, starting worker processes costs more than it saves.
PARALLEL_FROM = 4

# The name each page gives its "Page N of M" stamp (a Form XObject) in its resources.
STAMP = "/BriefingPageNumber"


@dataclass(frozen=True)
class Heading:
    """A heading of a part: listed in the contents (`toc`) and in the PDF outline."""

    level: int
    title: str
    anchor: str
    toc: bool = True


@dataclass(frozen=True)
class Part:
    """A piece of a PDF typeset on its own, so an unchanged topic is not typeset again."""

    html: str
    headings: tuple[Heading, ...]


@dataclass(frozen=True)
class TocEntry:
    """A line of the contents: a heading and the page it lands on in the whole PDF."""

    kind: str
    title: str
    anchor: str
    page: int


@dataclass(frozen=True)
class Info:
    """The document's metadata: from the briefing, never from the clock."""

    title: str
    author: str
    subject: str
    created: str  # a PDF date, "D:YYYYMMDDHHmmSSZ"
    lang: str = "en"


# --- typesetting -----------------------------------------------------------------------


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the PDF loads nothing from outside: {url}")


def _typeset_uncached(job: tuple[str, bool]) -> bytes:
    """One part's HTML to PDF bytes: tagged and fixed up, or (for stamps) plain."""
    import weasyprint

    html, tagged = job
    document = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch)
    if not tagged:
        plain: bytes = document.write_pdf()
        return plain
    return _finish_part(document.write_pdf(pdf_variant=PDF_VARIANT))


class Typesetter:
    """HTML to PDF bytes, each distinct HTML typeset once: in memory for one run, and on
    disk across runs when a cache folder is given. Parts missing from the cache are
    typeset in parallel on the machine's cores."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.memory: dict[str, bytes] = {}
        self.typeset_html: list[str] = []  # what this run typeset, not took from a cache

    def _key(self, text: str, tagged: bool = True) -> str:
        kind = PART_FORMAT if tagged else "plain"
        return hashlib.sha256(f"{_tool_versions()}\0{kind}\0{text}".encode()).hexdigest()

    def _cached(self, key: str) -> bytes | None:
        if key in self.memory:
            return self.memory[key]
        if self.cache_dir is not None:
            try:
                data = (self.cache_dir / f"{key}.pdf").read_bytes()
            except OSError:
                return None
            self.memory[key] = data
            return data
        return None

    def _save(self, key: str, data: bytes) -> None:
        self.memory[key] = data
        if self.cache_dir is not None:
            write_bytes(self.cache_dir / f"{key}.pdf", data)

    def _store(self, key: str, html: str, data: bytes) -> None:
        self._save(key, data)
        self.typeset_html.append(html)

    def many(self, htmls: list[str], tagged: bool = True) -> list[bytes]:
        keys = [self._key(html, tagged) for html in htmls]
        missing = {
            key: html for key, html in zip(keys, htmls, strict=True) if self._cached(key) is None
        }
        jobs = [(html, tagged) for html in missing.values()]
        workers = min(len(missing), os.cpu_count() or 1)
        if workers > 1 and len(missing) >= PARALLEL_FROM:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # forkserver: workers start clean, never from a parent that holds Pango state.
            context = multiprocessing.get_context("forkserver")
            with ProcessPoolExecutor(workers, mp_context=context) as pool:
                typeset = pool.map(_typeset_uncached, jobs)
                for (key, html), data in zip(missing.items(), typeset, strict=True):
                    self._store(key, html, data)
        else:
            for (key, html), job in zip(missing.items(), jobs, strict=True):
                self._store(key, html, _typeset_uncached(job))
        return [self.memory[key] for key in keys]

    def one(self, html: str, tagged: bool = True) -> bytes:
        return self.many([html], tagged)[0]

    def made_from(self, source: str, make: Callable[[], bytes]) -> bytes:
        """What `make` builds from `source` (all it depends on), built once and cached
        like a typeset part: used for assembled PDFs."""
        key = "assembled-" + self._key(source)
        cached = self._cached(key)
        if cached is None:
            cached = make()
            self._save(key, cached)
        return cached


@cache
def _tool_versions() -> str:
    """Part of every cache key: another WeasyPrint or qpdf may give other bytes."""
    from importlib.metadata import version

    return f"weasyprint {version('weasyprint')}, pikepdf {version('pikepdf')}"


# --- fixing up a typeset part (once, before it is cached) ---------------------------------

# A marked-content sequence as WeasyPrint opens it: `/Span <</MCID 3>> BDC`.
_MARKED = re.compile(rb"/(\w+)\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def _finish_part(data: bytes) -> bytes:
    """Make a part's tags say what the page shows, where WeasyPrint's do not:

    - each footnote (a span floated into the page's footnote area, which WeasyPrint
      tags as a `NonStruct` of `Span`s) becomes a `Note` with a unique `ID`, as PDF/UA
      asks;
    - the running header and footer (page margin boxes), which WeasyPrint tags with
      structure elements left out of the tree, become pagination artifacts;
    - a `Span` or `NonStruct` that only wraps marked content on its parent's page (one
      per line of text, most of a part's objects) gives that content to its parent:
      neither type means anything to a reader, and every object left out is one less
      to copy each time the whole PDF is put together;
    - a link to another part (`x-briefing:<anchor>`) becomes a link to that named
      destination, which the assembled PDF holds, so assembly need not touch it;
    - a table without header cells (the side-by-side "Where the sources disagree") is
      laid out as a table but is not one for a reader: its elements become `Div`s, as
      PDF/UA asks of a layout table.
    """
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    tree = pdf.Root.StructTreeRoot
    [document] = _kids(tree)
    part_id = hashlib.sha256(data).hexdigest()[:12]
    notes = 0
    for area in _kids(document):
        if area.get("/S") != "/NonStruct" or "/K" not in area:
            continue
        notes_here = list(_kids(area))
        if notes_here and all(kid.get("/S") == "/Span" for kid in notes_here):
            for note in notes_here:
                notes += 1
                note.S = pikepdf.Name.Note
                note.ID = pikepdf.String(f"note-{part_id}-{notes}")
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots", ()):
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(PART_LINK):
                anchor = pikepdf.String(uri.removeprefix(PART_LINK))
                del annotation["/A"]
                annotation.Dest = anchor
                annotation.Contents = anchor  # WeasyPrint's description: the target
    in_tree = set()
    for element in _walk(document):
        in_tree.add(element.objgen)
        if element.get("/S") == "/Table":
            cells = list(_walk(element))
            if not any(cell.get("/S") == "/TH" for cell in cells):
                for cell in cells:
                    cell.S = pikepdf.Name.Div
                    if "/A" in cell:
                        del cell["/A"]  # table attributes (/O /Table, /Headers)
    parent_tree = dict(_numbers(tree.ParentTree))
    for page in pdf.pages:
        marked = parent_tree.get(int(page.obj.StructParents))
        if not isinstance(marked, pikepdf.Array):
            continue
        stray = {
            mcid
            for mcid, element in enumerate(marked)
            if element is not None and element.objgen not in in_tree
        }  # margin boxes
        if not stray:
            continue
        for mcid in stray:
            marked[mcid] = None
        content = page.obj.Contents
        assert isinstance(content, pikepdf.Stream), "WeasyPrint writes one stream a page"

        def artifact(match: re.Match[bytes], stray: set[int] = stray) -> bytes:
            return b"/Artifact BMC" if int(match.group(2)) in stray else match.group(0)

        content.write(_MARKED.sub(artifact, content.read_bytes()))
    marked_of: dict[tuple[int, int], pikepdf.Object] = {
        page.obj.objgen: parent_tree[int(page.obj.StructParents)]
        for page in pdf.pages
        if isinstance(parent_tree.get(int(page.obj.StructParents)), pikepdf.Array)
    }
    _flatten(document, marked_of)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return out.getvalue()


# Structure types that say nothing of their content, and the keys of a bare element.
_TRANSPARENT = frozenset({"/Span", "/NonStruct"})
_BARE = frozenset({"/Type", "/S", "/K", "/P", "/Pg"})


def _flatten(element: pikepdf.Object, marked_of: dict[tuple[int, int], pikepdf.Object]) -> bool:
    """Splice bare `Span`/`NonStruct` leaves under `element` into it (see `_finish_part`);
    true when `element` is itself such a leaf, for its parent to splice."""
    import pikepdf

    found = element.get("/K")
    if found is None:
        return False
    kids = list(found) if isinstance(found, pikepdf.Array) else [found]
    page = element.get("/Pg")
    flat: list[Any] = []
    changed = False
    for kid in kids:
        if not isinstance(kid, pikepdf.Dictionary):
            flat.append(kid)  # marked content on this element's page
        elif kid.get("/Type") == "/OBJR":
            flat.append(pikepdf.Dictionary(dict(kid.items())))  # direct: one object less
            changed = True
        elif kid.get("/Type") == "/MCR":
            flat.append(kid)
        elif (
            _flatten(kid, marked_of)
            and page is not None
            and kid.Pg.objgen == page.objgen
            and page.objgen in marked_of
        ):
            marked = marked_of[page.objgen]
            for mcid in kid.K:
                marked[int(mcid)] = element
                flat.append(mcid)
            changed = True
        else:
            flat.append(kid)
    if changed:
        element.K = pikepdf.Array(flat)
    return (
        str(element.get("/S")) in _TRANSPARENT
        and set(element.keys()) <= _BARE
        and "/Pg" in element
        and all(isinstance(kid, int) for kid in flat)
    )


def _kids(element: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """The structure elements directly under `element` (not its marked content)."""
    import pikepdf

    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") not in ("/MCR", "/OBJR"):
            yield kid


def _walk(element: pikepdf.Dictionary) -> Iterator[pikepdf.Dictionary]:
    stack = [element]
    while stack:
        element = stack.pop()
        yield element
        stack.extend(_kids(element))


def _tree(node: pikepdf.Object, key: str) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """The (key, value) pairs of a number tree (`/Nums`) or name tree (`/Names`), in order."""
    if key in node:
        items = list(node[key])
        for index in range(0, len(items), 2):
            yield items[index], items[index + 1]
    for kid in node.get("/Kids", []):
        yield from _tree(kid, key)


def _numbers(node: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    """The (key, value) pairs of a number tree, in order."""
    return ((int(key), value) for key, value in _tree(node, "/Nums"))


def _names(node: pikepdf.Object) -> Iterator[tuple[str, pikepdf.Object]]:
    """The (name, value) pairs of a name tree, in order."""
    return ((str(key), value) for key, value in _tree(node, "/Names"))


# --- assembly ------------------------------------------------------------------------------

# Where an anchor lands: (index among the pages of all parts, left, top).
Anchors = dict[str, tuple[int, float, float]]


def _anchors(parts: list[pikepdf.Pdf]) -> Anchors:
    anchors: Anchors = {}
    offset = 0
    for pdf in parts:
        index_of = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
        names = pdf.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in _names(names.Dests):
                anchors[name] = (offset + index_of[dest[0].objgen], float(dest[2]), float(dest[3]))
        offset += len(pdf.pages)
    return anchors


def _front(
    parts: Sequence[Part],
    anchors: Anchors,
    front_html: Callable[[list[TocEntry]], str],
    typesetter: Typesetter,
) -> pikepdf.Pdf:
    """Title page and contents, with the page numbers the parts will have after them."""
    import pikepdf

    headings = [h for part in parts for h in part.headings if h.toc]
    front_pages = 2
    for _ in range(5):  # a longer contents moves every number: settle on its own length
        toc = [
            TocEntry(
                "topic" if h.level == 1 else "section",
                h.title,
                h.anchor,
                front_pages + anchors[h.anchor][0] + 1,
            )
            for h in headings
        ]
        front = pikepdf.open(io.BytesIO(typesetter.one(front_html(toc))))
        if len(front.pages) == front_pages:
            break
        front_pages = len(front.pages)
    return front


def _numbers_html(page_count: int) -> str:
    """Blank pages that carry only "Page N of M", stamped onto the assembled pages."""
    return (
        "<!DOCTYPE html><html><head><style>"
        "@page { size: A4; margin: 22mm 20mm 24mm 20mm;"
        ' @bottom-center { content: "Page " counter(page) " of " counter(pages);'
        ' font: 8pt "DejaVu Sans", sans-serif; color: #555; } }'
        " @page :first { @bottom-center { content: none; } }"
        " div { break-after: page; } div:last-child { break-after: auto; }"
        "</style></head><body>" + "<div></div>" * page_count + "</body></html>"
    )


def assemble(
    parts: Sequence[Part],
    front_html: Callable[[list[TocEntry]], str],
    info: Info,
    typesetter: Typesetter,
) -> bytes:
    """Put a document together from its typeset parts (unchanged ones come from the
    cache): contents with real page numbers, one structure tree, links across parts,
    the outline, "Page N of M" and the metadata."""
    import pikepdf

    bodies = [pikepdf.open(io.BytesIO(d)) for d in typesetter.many([p.html for p in parts])]
    anchors = _anchors(bodies)
    front = _front(parts, anchors, front_html, typesetter)
    sources = [front, *bodies]
    skip = len(front.pages)

    out = pikepdf.new()
    starts = []
    with warnings.catch_warnings():
        # pikepdf warns that named destinations are not carried over: they are, below.
        warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
        for source in sources:
            starts.append(len(out.pages))
            out.pages.extend(source.pages)
    pages = [page.obj for page in out.pages]

    def dest(anchor: str) -> pikepdf.Array:
        index, left, top = anchors[anchor]
        return pikepdf.Array([pages[skip + index], pikepdf.Name.XYZ, left, top, 0])

    # One structure tree: each part's Document becomes a Part of the one Document, in
    # reading order; the parent tree's keys move up by the keys the parts before used.
    root = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
    document = out.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=root)
    )
    in_document: list[pikepdf.Dictionary] = []
    nums: list[Any] = []
    role_map: dict[str, pikepdf.Object] = {}
    class_map: dict[str, pikepdf.Object] = {}
    named: list[tuple[str, pikepdf.Object]] = []
    base = 0
    for source, start in zip(sources, starts, strict=True):
        tree = out.copy_foreign(source.Root.StructTreeRoot)
        for element in _kids(tree):
            element.S = pikepdf.Name.Part
            element.P = document
            in_document.append(element)
        pairs = list(_numbers(tree.ParentTree))
        nums += [item for key, value in pairs for item in (base + key, value)]
        for mapping, merged in (
            (tree.get("/RoleMap"), role_map),
            (tree.get("/ClassMap"), class_map),
        ):
            if mapping is not None:
                merged.update((str(k), v) for k, v in mapping.items())
        for page in pages[start : start + len(source.pages)]:
            if "/StructParents" in page:
                page.StructParents = base + int(page.StructParents)
            for annotation in page.get("/Annots", ()):
                if "/StructParent" in annotation:
                    annotation.StructParent = base + int(annotation.StructParent)
        names = source.Root.get("/Names")
        if names is not None and "/Dests" in names:
            named += _names(out.copy_foreign(source.make_indirect(names.Dests)))
        base += max((key for key, _ in pairs), default=-1) + 1
    document.K = pikepdf.Array(in_document)
    root.K = pikepdf.Array([document])
    root.ParentTree = out.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(nums)))
    root.ParentTreeNextKey = base
    if role_map:
        root.RoleMap = pikepdf.Dictionary(role_map)
    if class_map:
        root.ClassMap = pikepdf.Dictionary(class_map)
    out.Root.StructTreeRoot = root

    named.sort(key=lambda item: item[0].encode())
    flat: list[Any] = []
    for name, value in named:
        flat += [pikepdf.String(name), value]
    out.Root.Names = pikepdf.Dictionary(
        Dests=out.make_indirect(pikepdf.Dictionary(Names=pikepdf.Array(flat)))
    )
    out.Root.Outlines = _outline(out, parts, dest)
    _stamp_page_numbers(out, typesetter)

    out.docinfo = out.make_indirect(
        pikepdf.Dictionary(
            Title=pikepdf.String(info.title),
            Author=pikepdf.String(info.author),
            Subject=pikepdf.String(info.subject),
            Creator=pikepdf.String("briefing"),
            Producer=pikepdf.String("briefing (WeasyPrint, pikepdf)"),
            CreationDate=pikepdf.String(info.created),
            ModDate=pikepdf.String(info.created),
        )
    )
    with out.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        meta.load_from_docinfo(out.docinfo)
        meta["pdfuaid:part"] = "1"
    out.Root.Lang = pikepdf.String(info.lang)
    out.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    out.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    out.Root.PageMode = pikepdf.Name.UseOutlines
    buffer = io.BytesIO()
    out.save(
        buffer,
        min_version="1.7",
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return buffer.getvalue()


def _outline(
    out: pikepdf.Pdf, parts: Sequence[Part], dest: Callable[[str], pikepdf.Array]
) -> pikepdf.Dictionary:
    """Bookmarks: each level-1 heading, with the level-2 headings of its part under it."""
    import pikepdf

    outlines = out.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    tops: list[tuple[pikepdf.Dictionary, list[pikepdf.Dictionary]]] = []
    for part in parts:
        for heading in part.headings:
            item = out.make_indirect(
                pikepdf.Dictionary(Title=pikepdf.String(heading.title), Dest=dest(heading.anchor))
            )
            if heading.level > 1 and tops:
                tops[-1][1].append(item)
            else:
                tops.append((item, []))

    def chain(parent: pikepdf.Dictionary, items: list[pikepdf.Dictionary]) -> None:
        parent.First, parent.Last = items[0], items[-1]
        for before, after in zip(items, items[1:], strict=False):
            before.Next, after.Prev = after, before
        for item in items:
            item.Parent = parent

    chain(outlines, [item for item, _ in tops])
    for item, children in tops:
        if children:
            chain(item, children)
            item.Count = len(children)  # open
    outlines.Count = sum(1 + len(children) for _, children in tops)
    return outlines


def _stamp_page_numbers(out: pikepdf.Pdf, typesetter: Typesetter) -> None:
    """ "Page N of M" on every page but the title page: the numbers are typeset once for
    M pages (cached like a part), each page of them becomes a Form XObject drawn over
    the page as a pagination artifact, so it stays out of the structure tree. The
    pages' own content is not read or rewritten."""
    import pikepdf

    numbers = pikepdf.open(io.BytesIO(typesetter.one(_numbers_html(len(out.pages)), False)))
    before = out.make_stream(b"q\n")
    after = out.make_stream(
        b"Q\n/Artifact <</Type /Pagination /Subtype /Footer>> BDC\n"
        + STAMP.encode()
        + b" Do\nEMC\n"
    )
    for index, (page, stamp) in enumerate(zip(out.pages, numbers.pages, strict=True)):
        if index == 0:
            continue  # the title page has no number
        form = out.copy_foreign(stamp.as_form_xobject())
        resources = pikepdf.Dictionary(dict(page.obj.Resources.items()))  # parts share theirs
        xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", {}).items()))
        xobjects[STAMP] = form
        resources.XObject = xobjects
        page.obj.Resources = resources
        content = page.obj.Contents
        streams = list(content) if isinstance(content, pikepdf.Array) else [content]
        page.obj.Contents = pikepdf.Array([before, *streams, after])
