"""Editions: snapshots of the briefing as readers saw it, `briefs/editions/<as_of>.yml`.

`briefing edition` writes one when the briefing checks clean: for every topic its
slug, title and sections, and for every claim what a reader saw (text, status, date,
disputes, citations by source and quote). The file is YAML shaped like a topic file,
so it is read by the same loader and model as any brief (a snapshot edited by hand
into something invalid is a `path:line:col` diagnostic) and its schema comes from
:mod:`generator.fields` like the others (`schema/edition.schema.json`).

The file name is the day the edition spoke for (`2026-11-21.yml`): two snapshots of
one day cannot exist, recording the same `as_of` again replaces that snapshot, and no
other is ever touched. :mod:`generator.changes` compares the briefing with them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from generator import fields as spec
from generator.dates import DateError, FuzzyDate, parse_date
from generator.diagnostics import Pos, Report
from generator.load import Map, load_yaml
from generator.model import Briefing, Claim, Topic, _as_map, _build_section, _Fields, _inside

FOLDER = "briefs/editions"
SCHEMA_LINE = "# yaml-language-server: $schema=../../schema/edition.schema.json"
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NAME_RULE = "an edition is named by the day it speaks for, as `YYYY-MM-DD.yml` (its `as_of`)"


@dataclass
class Edition:
    """One recorded edition: the day it spoke for and its topics, claims in reading order."""

    as_of: FuzzyDate
    title: str
    topics: list[Topic]
    path: str
    """Relative to the project, for messages: `briefs/editions/2026-11-21.yml`."""

    def claims(self) -> list[Claim]:
        return [claim for topic in self.topics for claim in topic.claims]


def file_name(as_of: FuzzyDate) -> str:
    return f"{as_of.text}.yml"


# --- writing -------------------------------------------------------------------------


def _claim_data(claim: Claim) -> dict[str, object]:
    data: dict[str, object] = {"id": claim.claim_id, "text": claim.text, "status": claim.status}
    if claim.date is not None:
        data["date"] = claim.date.text
    if claim.disputed_by:
        data["disputed_by"] = [ref.claim_id for ref in claim.disputed_by]
    cites = []
    for citation in claim.cites:
        cite = {"source": citation.source_id, "quote": citation.quote}
        if citation.via:
            cite["via"] = citation.via
        cites.append(cite)
    data["cites"] = cites
    return data


def snapshot_yaml(briefing: Briefing) -> str:
    """The edition file of `briefing` as it stands. Repeatable: same briefing, same bytes."""
    data = {
        "as_of": briefing.as_of.text,
        "title": briefing.title,
        "topics": [
            {
                "slug": topic.slug,
                "title": topic.title,
                "sections": [
                    {"heading": s.heading, "claims": [_claim_data(c) for c in s.claims]}
                    for s in topic.sections
                ],
            }
            for topic in briefing.topics
        ],
    }
    body = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=1_000_000
    )
    head = (
        f"{SCHEMA_LINE}\n"
        f"# Written by `briefing edition`: the briefing as readers saw it on {briefing.as_of.words()}.\n"
        "# Commit it with the briefs; later builds show what changed since. Do not edit it.\n"
    )
    return head + body


def edition_day_problem(as_of: FuzzyDate) -> str | None:
    """Why `as_of` cannot name an edition, or None when it can (a single, exact day)."""
    if as_of.is_day and _DAY.fullmatch(as_of.text):
        return None
    return f"`as_of` is {as_of.text!r}, not a single day"


def as_of_pos(root: Path) -> Pos:
    """Where `as_of` is written in briefs/briefing.yml, for a diagnostic about it."""
    rel = "briefs/briefing.yml"
    node = load_yaml(root / rel, rel, Report())
    if isinstance(node, Map) and "as_of" in node.items:
        return node.items["as_of"].pos
    return Pos(rel)


# --- reading -------------------------------------------------------------------------


def _build_edition(node: Map, rel: str, report: Report) -> Edition | None:
    fields = _Fields(node, spec.EDITION, report)
    as_of = fields.date("as_of")
    title = fields.text("title")
    topics: list[Topic] = []
    for entry in fields.seq("topics"):
        mapping = _as_map(entry, report, "a topic of an edition", "`slug: ...`, `title: ...`")
        if mapping is None:
            continue
        topic_fields = _Fields(mapping, spec.EDITION_TOPIC, report)
        slug = topic_fields.text("slug")
        topic_title = topic_fields.text("title")
        if slug is not None and not spec.matches(spec.ID_FORM, slug):
            report.error(topic_fields.pos("slug"), f"topic slug {slug!r} is not a valid id")
            slug = None
        sections = [
            section
            for section in (
                _build_section(item, slug or "", report) for item in topic_fields.seq("sections")
            )
            if section is not None
        ]
        if slug is not None and topic_title is not None:
            topics.append(Topic(slug, topic_title, [], sections, mapping.pos))
    if as_of is None or title is None:
        return None
    stem = rel.rsplit("/", 1)[-1].removesuffix(".yml")
    if as_of.text != stem:
        report.error(
            fields.pos("as_of"),
            f"`as_of` is {as_of.text!r} but the file is named {stem}.yml",
            "an edition's file is named by its `as_of`; record editions with `briefing edition` "
            "rather than copying them",
        )
        return None
    edition = Edition(as_of, title, topics, rel)
    seen: dict[str, Pos] = {}
    for claim in edition.claims():
        if claim.claim_id in seen:
            report.error(
                claim.pos,
                f"duplicate claim id {claim.claim_id!r} (first at line {seen[claim.claim_id].line})",
                "claim ids are unique within an edition, as in the briefing",
            )
        seen.setdefault(claim.claim_id, claim.pos)
    return edition


def _name_problem(stem: str) -> str | None:
    if not _DAY.fullmatch(stem):
        return f"edition file name {stem!r} is not a date"
    try:
        parse_date(stem)
    except DateError as exc:
        return f"edition file name {stem!r} is not a date: {exc}"
    return None


def load_editions(root: Path, report: Report) -> list[Edition]:
    """Every edition under `briefs/editions/`, oldest first; problems go to `report`."""
    folder = root / FOLDER
    if not folder.is_dir():
        return []
    briefs = root / "briefs"
    for file in sorted(folder.iterdir()):
        if file.suffix in (".yaml", ".json") and not file.name.startswith("."):
            report.error(
                Pos(f"{FOLDER}/{file.name}"),
                "edition files end in `.yml`; this one is not read",
                f"{NAME_RULE}; `briefing edition` writes them",
            )
    editions = []
    for file in sorted(folder.glob("*.yml")):
        rel = f"{FOLDER}/{file.name}"
        problem = _name_problem(file.stem)
        if problem:
            report.error(Pos(rel), problem, NAME_RULE)
            continue
        if not _inside(file, briefs, rel, report):
            continue
        node = _as_map(load_yaml(file, rel, report), report, "an edition", "`as_of: 2026-11-21`")
        if node is None:
            continue
        edition = _build_edition(node, rel, report)
        if edition is not None:
            editions.append(edition)
    return sorted(editions, key=lambda e: e.as_of.sort_key)
