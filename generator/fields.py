"""The keys of every brief file kind: the one place they are defined.

The model stage reads each mapping by these definitions (which keys exist, which are
required, what kind of value each holds), and `schema/*.schema.json`, the JSON Schemas
editors use for completion, are generated from them by :mod:`generator.schema`; a test
regenerates them and fails when the checked-in files are stale. Adding a key here is
therefore the whole of adding it to both.

The value patterns are written once, as regular expressions that mean the same in
Python and in ECMAScript (the dialect of JSON Schema `pattern`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["text", "date", "url", "id", "sha256", "status", "texts", "ids", "list"]
"""What a key holds. `texts`/`ids` are lists of text/ids; `list` is a list of mappings."""

ID_FORM = r"[a-z0-9]+(?:-[a-z0-9]+)*"
"""Lowercase letters and digits in runs joined by single hyphens: `tartus-naval-base`."""

URL_FORM = r'[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#<>"`{}|\\^]+[^\s<>"`{}|\\^]*'
"""An http(s) URL with a host, and none of the characters RFC 3986 has percent-encoded
(white space, `<`, `>`, `"`, backtick, braces, `|`, backslash, `^`): unencoded, they
could also end the Markdown link or HTML attribute that holds the URL."""

SHA256_FORM = r"[0-9a-f]{64}"
"""A SHA-256 digest as `sha256sum` prints it: 64 lowercase hexadecimal digits."""

_POINT = r"[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?~?"
DATE_FORM = rf"{_POINT}(?:/{_POINT})?"
"""The written forms of a date (`2024-12-17`, `2024-12`, `2025`, `2025~`, `2024-12/2025-02`).

Only the form: :func:`generator.dates.parse_date` also checks the calendar (no 30
February) and that a range does not end before it starts.
"""

Status = Literal["reported", "unconfirmed", "disputed"]
STATUSES: tuple[Status, ...] = ("reported", "unconfirmed", "disputed")

EMPHASIS = re.compile(r"(?<!\*)\*(?!\*)([^*\s](?:[^*]*[^*\s])?)(?<!\*)\*(?!\*)")
"""`*emphasis*`, the one markup claim text may hold (`**` and a lone `*` are text)."""


def matches(form: str, value: str) -> bool:
    """True when the whole of `value` is written in `form` (one of the `*_FORM`s)."""
    return re.fullmatch(form, value) is not None


@dataclass(frozen=True)
class Field:
    """One key of a mapping in a brief file."""

    key: str
    kind: Kind
    doc: str
    """Shown by editors on hover; one sentence or two."""
    required: bool = False
    item: str | None = None
    """For kind `list`: the name of the shape of each item."""
    min_items: int = 0


@dataclass(frozen=True)
class Shape:
    """The keys of one kind of mapping, in the order the hints list them."""

    name: str
    what: str
    """How diagnostics name it: "a claim", "the briefing"."""
    doc: str
    fields: tuple[Field, ...]
    by_key: dict[str, Field] = field(init=False, repr=False, compare=False)
    """The fields by key (in order): every mapping of a brief is read through it."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {f.key: f for f in self.fields})

    def __getitem__(self, key: str) -> Field:
        return self.by_key[key]

    @property
    def keys(self) -> list[str]:
        return list(self.by_key)


BRIEFING = Shape(
    "briefing",
    "the briefing",
    "briefs/briefing.yml: what the whole briefing is, and the order of its topics.",
    (
        Field("title", "text", "The briefing's title, shown on every page.", required=True),
        Field(
            "as_of",
            "date",
            "The date the briefing speaks for, such as `2026-11-20`.",
            required=True,
        ),
        Field("prepared_by", "text", "Who prepared the briefing.", required=True),
        Field(
            "topics",
            "ids",
            "The topics in reading order: the file names of briefs/topics/*.yml without `.yml`.",
            required=True,
        ),
    ),
)

SOURCE = Shape(
    "source",
    "a source",
    "briefs/sources/<id>.yml: one archived source article; its text is <id>.txt beside it.",
    (
        Field("title", "text", "The headline as published.", required=True),
        Field(
            "publisher",
            "text",
            "The outlet, where the article shows it; left out, it is shown as not recorded.",
        ),
        Field(
            "authors",
            "texts",
            "The article's authors as the page names them (its byline), one per item.",
        ),
        Field("url", "url", "The article's address (http or https), where known."),
        Field(
            "published",
            "date",
            "When the article was published, as known: `2024-12-17`, `2024-12`, `2025`, "
            "`2025~` (about) or `2024-12/2025-02` (between).",
        ),
        Field("accessed", "date", "The date the text was archived.", required=True),
        Field("archive_url", "url", "The address of an archived copy (http or https)."),
        Field("relays", "texts", "Outlets whose reporting this article passes on."),
        Field(
            "text_sha256",
            "sha256",
            "SHA-256 of the archived .txt as stored, written by `briefing archive`; "
            "`briefing check` warns when the text no longer matches it.",
        ),
    ),
)

CITATION = Shape(
    "citation",
    "a citation",
    "One source a claim cites, with the verbatim quote that supports it.",
    (
        Field("source", "id", "The id of the source (its file name without .yml).", required=True),
        Field(
            "quote",
            "text",
            "The passage, verbatim from the archived text (typography and spacing may differ).",
            required=True,
        ),
        Field("via", "text", "Whom the article attributes the report to, if anyone."),
    ),
)

CLAIM = Shape(
    "claim",
    "a claim",
    "One short statement, supported by the quotes it cites.",
    (
        Field(
            "id",
            "id",
            "Unique across the whole briefing; the claim's anchor on its page.",
            required=True,
        ),
        Field(
            "text",
            "text",
            "The statement: plain text with *emphasis* at most; nothing the quotes do not support.",
            required=True,
        ),
        Field(
            "date",
            "date",
            "When it happened: `2024-12-17`, `2024-12`, `2025`, `2025~` (about) or "
            "`2024-12/2025-02` (between).",
        ),
        Field(
            "status",
            "status",
            "`reported` (the default), `unconfirmed` for rumours, or `disputed` with `disputed_by`.",
        ),
        Field(
            "disputed_by",
            "ids",
            "The ids of the claims that contradict this one; each must name this one back.",
        ),
        Field(
            "note",
            "text",
            "An editor's note shown to readers under the claim, such as why an inference "
            "the checker warns about is kept; it silences a wording warning only for the "
            "figure, date, name or hedge word it names.",
        ),
        Field(
            "cites",
            "list",
            "The sources that support the claim, each with a verbatim quote.",
            required=True,
            item="citation",
            min_items=1,
        ),
    ),
)

SECTION = Shape(
    "section",
    "a section",
    "A heading and the claims under it.",
    (
        Field("heading", "text", "The section's heading.", required=True),
        Field("claims", "list", "The section's claims, in reading order.", True, "claim"),
    ),
)

TOPIC = Shape(
    "topic",
    "a topic",
    "briefs/topics/<slug>.yml: one briefing page.",
    (
        Field("title", "text", "The page's title.", required=True),
        Field("key_points", "ids", "Ids of claims of this topic to show first, as key points."),
        Field("sections", "list", "The page's sections, in reading order.", True, "section"),
    ),
)

EDITION_TOPIC = Shape(
    "edition_topic",
    "a topic of an edition",
    "One topic as readers saw it in that edition: its slug, title and sections of claims.",
    (
        Field(
            "slug", "id", "The topic's slug (its file name in briefs/topics/ then).", required=True
        ),
        Field("title", "text", "The topic's title then.", required=True),
        Field("sections", "list", "Its sections then, in reading order.", True, "section"),
    ),
)

EDITION = Shape(
    "edition",
    "an edition",
    "briefs/editions/<as_of>.yml: the briefing as readers saw it on that day, written by "
    "`briefing edition`. Every build compares the briefing with the latest edition older than "
    "its `as_of` to show what changed.",
    (
        Field(
            "as_of",
            "date",
            "The day this edition spoke for: the briefing's `as_of` then, and the file's name.",
            required=True,
        ),
        Field("title", "text", "The briefing's title then.", required=True),
        Field("topics", "list", "Its topics then, in reading order.", True, "edition_topic"),
    ),
)

SHAPES = {
    shape.name: shape
    for shape in (BRIEFING, SOURCE, TOPIC, SECTION, CLAIM, CITATION, EDITION, EDITION_TOPIC)
}
FILE_KINDS = ("briefing", "source", "topic", "edition")
"""The shapes that are whole files; the others are nested in a topic."""
