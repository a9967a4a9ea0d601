"""Model stage: positioned YAML nodes to typed records, checking each file's shape.

Shape errors (missing or unknown keys, wrong types, bad dates, bad ids and URLs) are
reported here; rules that need more than one file live in :mod:`generator.check`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from generator import fields as spec
from generator.dates import FORMS, DateError, FuzzyDate, parse_date
from generator.diagnostics import Diagnostic, Pos, Report
from generator.fields import STATUSES, Status
from generator.load import Map, Node, Scalar, Seq, load_yaml, read_text

T = TypeVar("T")

ID_RULE = "lowercase letters, digits and single hyphens, such as `tartus-naval-base`"


@dataclass(frozen=True)
class Ref:
    """A reference to a claim by id, with where it was written."""

    claim_id: str
    pos: Pos


@dataclass
class Source:
    """One archived source article: `briefs/sources/<source_id>.yml` and its `.txt`."""

    source_id: str
    title: str
    accessed: FuzzyDate
    text: str
    pos: Pos
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    published: FuzzyDate | None = None
    archive_url: str | None = None
    relays: list[str] = field(default_factory=list)
    text_sha256: str | None = None
    """The SHA-256 recorded by `briefing archive`, if any; `text_sha256_pos` is where."""
    text_sha256_pos: Pos | None = None


@dataclass
class Citation:
    """A claim's citation: which source, the verbatim quote, and who the article credits."""

    source_id: str
    quote: str
    pos: Pos
    source_pos: Pos
    quote_pos: Pos
    via: str | None = None


@dataclass
class Claim:
    """One short statement, supported by the quotes it cites."""

    claim_id: str
    text: str
    cites: list[Citation]
    topic_slug: str
    pos: Pos
    status: Status = "reported"
    date: FuzzyDate | None = None
    disputed_by: list[Ref] = field(default_factory=list)
    note: str | None = None
    """An editor's note shown to readers (why an inference is kept, where an article
    looks wrong); it answers the wording warnings for what it names."""


@dataclass
class Section:
    heading: str
    claims: list[Claim]
    pos: Pos


@dataclass
class Topic:
    """One briefing page: `briefs/topics/<slug>.yml`."""

    slug: str
    title: str
    key_points: list[Ref]
    sections: list[Section]
    pos: Pos

    @property
    def claims(self) -> list[Claim]:
        return [claim for section in self.sections for claim in section.claims]


@dataclass
class Briefing:
    """The whole briefing: `briefs/briefing.yml` and everything it gathers."""

    title: str
    as_of: FuzzyDate
    prepared_by: str
    topic_order: list[Ref]
    pos: Pos
    topics: list[Topic] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    unreadable_sources: set[str] = field(default_factory=set)
    unreadable_topics: set[str] = field(default_factory=set)
    """Sources whose record or text is broken: already reported, so citing them adds no error."""

    def claims(self) -> Iterable[Claim]:
        for topic in self.topics:
            yield from topic.claims


# What a valid value looks like, for the hint of a missing key.
_EXAMPLES = {
    "title": "`title: The Libya pivot`",
    "a source:title": "the headline as published: `title: Russia moves air defences to Libya`",
    "the briefing:title": "`title: Russia after Assad`",
    "as_of": "the date the briefing speaks for, such as `as_of: 2026-11-20`",
    "prepared_by": "`prepared_by: Briefing desk`",
    "topics": "the topics in reading order, such as `topics: [syria-bases, libya-pivot]`",
    "accessed": "the date the text was archived, such as `accessed: 2025-01-02`",
    "sections": "a list of `- heading: ...` items, each with `claims:`",
    "heading": "`heading: Air defences on the move`",
    "claims": "a list of claims, each starting `- id: ...`",
    "cites": "a list of citations, each starting `- source: ...` with `quote: ...` below it",
    "id": "`id: s400-to-libya` (lowercase letters, digits, hyphens; unique in the briefing)",
    "text": "the statement itself: `text: Russia is moving air defences to Libya.`",
    "source": "the cited source's id, the name of its file in briefs/sources/ without `.yml`",
    "quote": 'the words of the article, verbatim: `quote: "..."`',
    "status": "`status: unconfirmed` (one of reported, unconfirmed, disputed)",
    "via": "whom the article credits, as text: `via: US and Libyan officials`",
    "note": "an editor's note for readers, as text: `note: The article gives no year.`",
    "publisher": "`publisher: The Moscow Times`",
}


def _example(what: str, key: str) -> str | None:
    return _EXAMPLES.get(f"{what}:{key}") or _EXAMPLES.get(key)


# URL characters that must be percent-encoded (RFC 3986): they would also let a URL
# break out of the Markdown or HTML around it.
_URL_UNSAFE = set('<>"`{}|\\^')


class _Fields:
    """Reads one mapping by its :class:`~generator.fields.Shape`, reporting wrong types,
    missing and unknown keys."""

    def __init__(self, node: Map, shape: spec.Shape, report: Report) -> None:
        self.node = node
        self.shape = shape
        self.report = report
        self.what = what = shape.what
        if node.keys.keys() <= shape.by_key.keys():
            return  # every key is known: the usual case, settled in one set comparison
        known = shape.keys
        for key, pos in node.keys.items():
            if key not in known:
                import difflib  # here: only a broken brief needs a hint

                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean `{close[0]}`?" if close else None
                valid = ", ".join(f"`{k}`" for k in known)
                hint = f"{hint + ' ' if hint else ''}valid keys for {what}: {valid}"
                self.report.error(pos, f"unknown key {key!r} in {what}", hint)

    def _field(self, key: str, *kinds: spec.Kind) -> spec.Field:
        """The definition of `key`; reading it as another kind is a bug in this module."""
        field = self.shape.by_key[key]
        assert field.kind in kinds, f"{self.shape.name}.{key} is {field.kind}, read as {kinds}"
        return field

    def _missing(self, key: str) -> None:
        self.report.error(
            self.node.pos,
            f"{self.what} is missing required key {key!r}",
            _example(self.what, key),
        )

    def pos(self, key: str) -> Pos:
        node = self.node.items.get(key)
        return node.pos if node is not None else self.node.pos

    def text(self, key: str) -> str | None:
        """A text value (of kind text, id, status or sha256), white space collapsed."""
        return self._scalar(self._field(key, "text", "id", "status", "sha256"))

    def _scalar(self, field: spec.Field) -> str | None:
        key = field.key
        node = self.node.items.get(key)
        if node is None:
            if field.required:
                self._missing(key)
            return None
        if not isinstance(node, Scalar):
            self.report.error(
                node.pos, f"{key!r} must be text, not {_kind(node)}", _example(self.what, key)
            )
            return None
        value = " ".join(node.value.split())
        if not value:
            if field.required:
                self.report.error(node.pos, f"{key!r} must not be empty", _example(self.what, key))
            return None
        return value

    def date(self, key: str) -> FuzzyDate | None:
        value = self._scalar(self._field(key, "date"))
        if value is None:
            return None
        try:
            return parse_date(value)
        except DateError as exc:
            self.report.error(self.pos(key), f"{key!r}: {exc}", f"write a date as {FORMS}")
            return None

    def url(self, key: str) -> str | None:
        value = self._scalar(self._field(key, "url"))
        if value is None:
            return None
        try:
            parts = urlsplit(value)
            scheme, netloc = parts.scheme, parts.netloc
        except ValueError:  # e.g. an unclosed `[` in the host
            scheme = netloc = ""
        unsafe = sorted({c for c in value if c in _URL_UNSAFE or c.isspace()})
        web = scheme in ("http", "https") and netloc and not (set(netloc) & _URL_UNSAFE)
        if not web or not value.isprintable() or not (unsafe or spec.matches(spec.URL_FORM, value)):
            fixed = _url_in_full(value, scheme, netloc)
            self.report.error(
                self.pos(key),
                f"{key!r} must be an http(s) URL, not {value!r}",
                f"write it in full: `{fixed}`"
                if fixed
                else "only web addresses are published, with their host, such as "
                "`https://www.example.com/news/article`",
            )
            return None
        unsafe = sorted({c for c in value if c in _URL_UNSAFE or c.isspace()})
        if unsafe:
            listed = ", ".join(repr(c) for c in unsafe)
            encoded = ", ".join(f"{c!r} as %{ord(c):02X}" for c in unsafe)
            self.report.error(
                self.pos(key),
                f"{key!r} holds characters a URL cannot hold as they are: {listed}",
                f"percent-encode them ({encoded}), as the browser's address bar does",
            )
            return None
        return value

    def seq(self, key: str, missing: tuple[str, str] | None = None) -> list[Node]:
        """A list; `missing` is the message and hint for a list that is absent or too short."""
        field = self._field(key, "list", "texts", "ids")
        node = self.node.items.get(key)
        if node is None:
            if missing and field.required:
                self.report.error(self.node.pos, *missing)
            elif field.required:
                self._missing(key)
            return []
        if isinstance(node, Seq):
            if missing and len(node.items) < field.min_items:
                self.report.error(node.pos, *missing)
            return node.items
        example = _example(self.what, key) or (
            f"write `{key}: [{node.value}]`, or one `- {node.value}` line per item"
            if isinstance(node, Scalar) and node.value
            else f"start each item of `{key}` with `- ` on a line of its own"
        )
        self.report.error(node.pos, f"{key!r} must be a list, not {_kind(node)}", example)
        return []

    def texts(self, key: str) -> list[Scalar]:
        self._field(key, "texts", "ids")
        out = []
        for item in self.seq(key):
            if isinstance(item, Scalar) and item.value.strip():
                out.append(Scalar(" ".join(item.value.split()), item.pos))
            else:
                kind = "empty" if isinstance(item, Scalar) else _kind(item)
                self.report.error(
                    item.pos,
                    f"each item of {key!r} must be text, not {kind}",
                    f"such as `{key}: [first, second]`",
                )
        return out


def _url_in_full(value: str, scheme: str, netloc: str) -> str | None:
    """The web address an editor most likely meant by a URL with its start cut short."""
    if not value.isprintable() or any(c.isspace() for c in value):
        return None
    if not scheme and netloc:  # //host/path
        return "https:" + value
    if scheme in ("http", "https") and not netloc and not value.startswith(f"{scheme}:/"):
        return f"{scheme}://{value[len(scheme) + 1 :]}"  # https:host/path
    if not scheme and re.match(r"[\w-]+(\.[\w-]+)+(/|$)", value):
        return "https://" + value  # host/path
    return None


def _kind(node: Node) -> str:
    return {Scalar: "text", Seq: "a list", Map: "a mapping"}[type(node)]


def _as_map(node: Node | None, report: Report, what: str, example: str) -> Map | None:
    if node is None:
        return None
    if not isinstance(node, Map):
        report.error(
            node.pos, f"{what} must be a mapping, not {_kind(node)}", f"such as: {example}"
        )
        return None
    return node


_ID = re.compile(spec.ID_FORM)


def is_id(value: str) -> bool:
    """Ids name files and anchors: `[a-z0-9-]`, so never a path (`..`, `/`) or markup."""
    return _ID.fullmatch(value) is not None


def id_like(value: str) -> str:
    """The valid id nearest to `value`, for a hint: `Harbour_News 2` → `harbour-news-2`."""
    return "-".join(re.findall(r"[a-z0-9]+", value.lower()))


def check_id(value: str, pos: Pos, report: Report, what: str, fix: str = "write `{id}`") -> bool:
    """Report `value` unless it is a valid id; `fix` words the hint around the nearest valid one."""
    if is_id(value):
        return True
    better = id_like(value)
    hint = f"{fix.format(id=better)} instead: " if better else ""
    report.error(pos, f"{what} {value!r} is not a valid id", f"{hint}ids use {ID_RULE}")
    return False


def build_briefing(node: Node | None, report: Report) -> Briefing | None:
    mapping = _as_map(node, report, "briefing.yml", "`title: Russia after Assad`")
    if mapping is None:
        return None
    fields = _Fields(mapping, spec.BRIEFING, report)
    title = fields.text("title")
    as_of = fields.date("as_of")
    prepared_by = fields.text("prepared_by")
    order = [Ref(s.value, s.pos) for s in fields.texts("topics")]
    if title is None or as_of is None or prepared_by is None:
        return None
    return Briefing(title, as_of, prepared_by, order, mapping.pos)


def build_source(node: Node | None, source_id: str, text: str, report: Report) -> Source | None:
    mapping = _as_map(node, report, "a source record", "`title: Headline as published`")
    if mapping is None:
        return None
    fields = _Fields(mapping, spec.SOURCE, report)
    title = fields.text("title")
    accessed = fields.date("accessed")
    text_sha256 = fields.text("text_sha256")
    if text_sha256 is not None and not spec.matches(spec.SHA256_FORM, text_sha256):
        report.error(
            fields.pos("text_sha256"),
            f"'text_sha256' must be a SHA-256 (64 lowercase hexadecimal digits), not {text_sha256!r}",
            "delete the line, then run `briefing archive` to write it",
        )
        text_sha256 = None
    source = Source(
        source_id=source_id,
        title=title or "",
        accessed=accessed or parse_date("1970"),
        text=text,
        pos=mapping.pos,
        publisher=fields.text("publisher"),
        authors=[s.value for s in fields.texts("authors")],
        url=fields.url("url"),
        published=fields.date("published"),
        archive_url=fields.url("archive_url"),
        relays=[s.value for s in fields.texts("relays")],
        text_sha256=text_sha256,
        text_sha256_pos=fields.pos("text_sha256") if text_sha256 else None,
    )
    return source if title is not None and accessed is not None else None


def build_topic(node: Node | None, slug: str, report: Report) -> Topic | None:
    mapping = _as_map(node, report, "a topic", "`title: The Libya pivot`")
    if mapping is None:
        return None
    fields = _Fields(mapping, spec.TOPIC, report)
    title = fields.text("title")
    key_points = [Ref(s.value, s.pos) for s in fields.texts("key_points")]
    sections = []
    for item in fields.seq("sections"):
        section = _build_section(item, slug, report)
        if section is not None:
            sections.append(section)
    if title is None:
        return None
    return Topic(slug, title, key_points, sections, mapping.pos)


def _build_section(node: Node, slug: str, report: Report) -> Section | None:
    mapping = _as_map(node, report, "a section", "`heading: ...` with `claims:`")
    if mapping is None:
        return None
    fields = _Fields(mapping, spec.SECTION, report)
    heading = fields.text("heading")
    claims = [c for c in (_build_claim(i, slug, report) for i in fields.seq("claims")) if c]
    if heading is None:
        return None
    return Section(heading, claims, mapping.pos)


def _build_claim(node: Node, slug: str, report: Report) -> Claim | None:
    mapping = _as_map(node, report, "a claim", "`id: ...`, `text: ...`, `cites: [...]`")
    if mapping is None:
        return None
    fields = _Fields(mapping, spec.CLAIM, report)
    claim_id = fields.text("id")
    text = fields.text("text")
    date = fields.date("date")
    status = fields.text("status") or "reported"
    if status not in STATUSES:
        report.error(
            fields.pos("status"),
            f"status {status!r} is not one of {', '.join(STATUSES)}",
            "`reported` (the default), `unconfirmed` for rumours, `disputed` with `disputed_by`",
        )
        status = "reported"
    disputed_by = [Ref(s.value, s.pos) for s in fields.texts("disputed_by")]
    if status == "disputed" and not disputed_by:
        report.error(
            fields.pos("status"),
            "a disputed claim needs `disputed_by`",
            "name the claims that contradict it: `disputed_by: [other-claim-id]`",
        )
    if disputed_by and status != "disputed":
        report.error(
            fields.pos("disputed_by"),
            f"`disputed_by` is given but status is {status!r}",
            "set `status: disputed`, or remove `disputed_by`",
        )
    no_citation = (
        "a claim must cite at least one source",
        'add `cites:` with an item `- source: <source-id>` and `quote: "..."`',
    )
    cites = [c for c in (_build_citation(i, report) for i in fields.seq("cites", no_citation)) if c]
    if claim_id is None or text is None:
        return None
    # Kept even when invalid (it is reported): key points and disputes naming it then
    # add no second error. A failed check renders nothing, so it never becomes an anchor.
    pos = fields.pos("id")
    check_id(claim_id, pos, report, "claim id")
    return Claim(
        claim_id=claim_id,
        text=text,
        cites=cites,
        topic_slug=slug,
        pos=pos,
        status=status,  # type: ignore[arg-type]
        date=date,
        disputed_by=disputed_by,
        note=fields.text("note"),
    )


def _build_citation(node: Node, report: Report) -> Citation | None:
    mapping = _as_map(node, report, "a citation", '`source: ...` and `quote: "..."`')
    if mapping is None:
        return None
    fields = _Fields(mapping, spec.CITATION, report)
    source_id = fields.text("source")
    quote = fields.text("quote")
    via = fields.text("via")
    if source_id is None or quote is None:
        return None
    return Citation(source_id, quote, mapping.pos, fields.pos("source"), fields.pos("quote"), via)


class FileMemo:
    """What each brief file gave when last read, by its content: kept by a long-lived
    caller (the MkDocs plugin under `serve`) so that a save re-reads only what changed.

    An unchanged file gives back the very same record (a :class:`Topic`, :class:`Source`
    or :class:`Briefing`) and the diagnostics it gave, so callers may tell unchanged
    records by identity. The records are never modified after they are built, except a
    :class:`Briefing`'s gathered fields, which every load sets afresh.
    """

    def __init__(self) -> None:
        self._entries: dict[str, tuple[bytes, object, list[Diagnostic]]] = {}
        self._seen: set[str] = set()
        self.rebuilt: list[str] = []
        """The files the last load had to read again (new or changed)."""

    def begin(self) -> None:
        self._seen = set()
        self.rebuilt = []

    def end(self) -> None:
        """Forget files the last load did not see (deleted, renamed)."""
        for rel in set(self._entries) - self._seen:
            del self._entries[rel]

    def get(self, rel: str, files: list[Path], report: Report, build: Callable[[Report], T]) -> T:
        """`build(report)` for the file `rel` (whose content is `files`), or what it gave
        before for the same content, its diagnostics replayed into `report`."""
        self._seen.add(rel)
        try:
            data = b"\0".join(f.read_bytes() if f.exists() else b"\1" for f in files)
        except OSError:
            data = None  # unreadable: built afresh, and reported by `build`
        entry = self._entries.get(rel)
        if data is not None and entry is not None and entry[0] == data:
            report.items.extend(entry[2])
            return entry[1]  # type: ignore[return-value]
        own = Report()
        value = build(own)
        report.items.extend(own.items)
        self.rebuilt.append(rel)
        if data is not None:
            self._entries[rel] = (data, value, own.items)
        return value


def _direct(rel: str, files: list[Path], report: Report, build: Callable[[Report], T]) -> T:
    return build(report)


def load_briefing(root: Path, report: Report, memo: FileMemo | None = None) -> Briefing | None:
    """Read every brief under `root/briefs`; sorted walks keep the output repeatable.

    With a `memo`, a file whose content has not changed since it was last read is not
    parsed again: its record and diagnostics come from the memo.
    """
    briefs = root / "briefs"
    rel_briefing = "briefs/briefing.yml"
    if not (briefs / "briefing.yml").is_file():
        report.error(
            Pos(rel_briefing),
            "briefing.yml not found",
            "every briefing has briefs/briefing.yml with `title`, `as_of`, `prepared_by` and `topics`",
        )
        return None
    get = memo.get if memo is not None else _direct
    if memo is not None:
        memo.begin()
    briefing = get(
        rel_briefing,
        [briefs / "briefing.yml"],
        report,
        lambda r: build_briefing(load_yaml(briefs / "briefing.yml", rel_briefing, r), r),
    )

    sources: dict[str, Source] = {}
    unreadable: set[str] = set()
    inside = _Inside(briefs)
    for file, rel in _brief_files(briefs, "sources", report, unreadable, inside):
        source = get(
            rel,
            [file, file.with_suffix(".txt")],
            report,
            lambda r, file=file, rel=rel: _load_source(file, rel, r, inside),  # type: ignore[misc]
        )
        if source is not None:
            sources[source.source_id] = source
        else:
            unreadable.add(file.stem)
    # Beside a record, `<id>.txt` is its text and `<id>.warc.gz` the page as `briefing add`
    # fetched it (provenance, never read here); without one, either is a leftover.
    archived = [*(briefs / "sources").glob("*.txt"), *(briefs / "sources").glob("*.warc.gz")]
    for file in sorted(archived):
        stem = file.name.removesuffix(".txt").removesuffix(".warc.gz")
        if not any((file.parent / f"{stem}{suffix}").exists() for suffix in (".yml", ".yaml")):
            noun = "text" if file.suffix == ".txt" else "page"
            report.warning(
                Pos(f"briefs/sources/{file.name}"),
                f"archived {noun} with no source record briefs/sources/{stem}.yml",
                f"add the record (title, accessed, ...), or remove the {noun} if it is not needed",
            )

    topics: list[Topic] = []
    broken_topics: set[str] = set()
    for file, rel in _brief_files(briefs, "topics", report, broken_topics, inside):
        topic = get(
            rel,
            [file],
            report,
            lambda r, file=file, rel=rel: build_topic(load_yaml(file, rel, r), file.stem, r),  # type: ignore[misc]
        )
        if topic is not None:
            topics.append(topic)
        else:
            broken_topics.add(file.stem)
    if memo is not None:
        memo.end()

    if briefing is None:
        return None
    briefing.sources = sources
    briefing.unreadable_sources = unreadable
    briefing.unreadable_topics = broken_topics
    briefing.topics = topics
    return briefing


def _load_source(file: Path, rel: str, report: Report, inside: _Inside) -> Source | None:
    """A source record and its archived text; None when either is unusable (reported)."""
    text_rel = rel[:-4] + ".txt"
    text_file = file.with_suffix(".txt")
    text = None
    if not text_file.is_file() and not text_file.is_symlink():
        report.error(
            Pos(rel),
            f"no archived text for source {file.stem!r}",
            f"save the article's text as {text_rel}",
        )
    elif inside(text_file, text_rel, report):
        text = read_text(text_file, text_rel, report)
        if text is not None and not text.strip():
            report.error(
                Pos(text_rel),
                "the archived text is empty",
                "paste the article's text into it: quotes are checked against it",
            )
            text = None
    source = build_source(load_yaml(file, rel, report), file.stem, text or "", report)
    return source if text is not None else None


def _brief_files(
    briefs: Path, folder: str, report: Report, rejected: set[str], inside: _Inside
) -> Iterator[tuple[Path, str]]:
    """The `.yml` files of `briefs/<folder>` in name order, with paths for diagnostics.

    A file whose name is not a valid id, that links outside `briefs/` or that ends in
    `.yaml` is reported and skipped; its name goes into `rejected`, so that naming it
    elsewhere adds no second error.
    """
    what = "source" if folder == "sources" else "topic"
    for file in sorted((briefs / folder).glob("*.yaml")):
        report.error(
            Pos(f"briefs/{folder}/{file.name}"),
            "brief files end in `.yml`; this one is not read",
            f"rename it to {file.stem}.yml",
        )
        rejected.add(file.stem)
    for file in sorted((briefs / folder).glob("*.yml")):
        rel = f"briefs/{folder}/{file.name}"
        if inside(file, rel, report) and check_id(
            file.stem, Pos(rel), report, f"{what} file name", "rename the file to `{id}.yml`"
        ):
            yield file, rel
        else:
            rejected.add(file.stem)


class _Inside:
    """:func:`_inside` for many files of a few folders: a file that is no link, in a
    folder that resolves inside `briefs/`, is inside without resolving the file's path
    (which reads every folder on the way)."""

    def __init__(self, briefs: Path) -> None:
        self.briefs = briefs
        self._folders: dict[Path, bool] = {}

    def __call__(self, file: Path, rel: str, report: Report) -> bool:
        folder = file.parent
        inside = self._folders.get(folder)
        if inside is None:
            inside = self._folders[folder] = folder.resolve().is_relative_to(self.briefs.resolve())
        if inside and not file.is_symlink():
            return True
        return _inside(file, self.briefs, rel, report)


def _inside(file: Path, folder: Path, rel: str, report: Report) -> bool:
    """Refuse a symlink that leads out of `briefs/`: its content is not the editors'."""
    try:
        file.resolve().relative_to(folder.resolve())
    except ValueError:
        report.error(
            Pos(rel),
            "this file is a link to somewhere outside briefs/",
            "copy the file into briefs/ instead",
        )
        return False
    return True
