"""The changes page (`changes/`) and the Atom feed (`feed.xml`): what changed, for readers.

Both read the :class:`~generator.changes.Changes` that checking computed; neither
exists when no edition is older than the briefing's `as_of`. The page states claims
only with their footnotes (numbered in its own reading order, as the timeline does);
old wording and withdrawn claims are shown inside the generator's labels, quoted.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from generator.changes import PAGE, Changes, Tally, Update, Withdrawn, withdrawn_words
from generator.check import Checked
from generator.dates import FuzzyDate
from generator.model import Claim
from generator.render import (
    _label,
    _lead,
    escape,
    footnote_body,
    footnotes_for,
    inline,
    markers,
)
from generator.write import write_file

FEED = "feed.xml"
ATOM = "http://www.w3.org/2005/Atom"


def edition_anchor(as_of: FuzzyDate) -> str:
    # An underscore cannot occur in a claim id: no clash with a withdrawn claim's anchor.
    return f"edition_{as_of.text}"


def topic_groups(
    checked: Checked, changes: Changes
) -> list[tuple[str, str, list[Claim], list[Update], list[Withdrawn]]]:
    """(slug, title, new, updated, withdrawn) per topic: the briefing's topics in order,
    then topics that are gone, in the edition's order."""
    groups = []
    for topic in checked.briefing.topics:
        new = [c for c in changes.new if c.topic_slug == topic.slug]
        updated = [u for u in changes.updated if u.claim.topic_slug == topic.slug]
        withdrawn = [
            w for w in changes.withdrawn if w.claim.topic_slug == topic.slug and not w.topic_gone
        ]
        if new or updated or withdrawn:
            groups.append((topic.slug, topic.title, new, updated, withdrawn))
    gone: dict[str, list[Withdrawn]] = {}
    for item in changes.withdrawn:
        if item.topic_gone:
            gone.setdefault(item.claim.topic_slug, []).append(item)
    for slug, items in gone.items():
        groups.append((slug, items[0].topic_title, [], [], items))
    return groups


def _before(update: Update, changes: Changes) -> str:
    """The old side of an update: the claim as it read, all in a label."""
    before = update.before
    details = []
    if "status" in update.fields:
        details.append(before.status.capitalize())
    if "date" in update.fields and before.date is not None:
        details.append(before.date.words())
    lead = f"Before, on {changes.since.words()}"
    if "topic" in update.fields:
        details.append(f"in {escape(update.before_topic_title)}")
    if details:
        lead += f" ({', '.join(details)})"
    return (
        f'<span class="briefing-label">{lead}: '
        f'<span class="change-old">“{inline(before.text)}”</span></span>'
    )


def render_changes(checked: Checked) -> str | None:
    """The Markdown of `changes/`, or None when there is no earlier edition."""
    changes = checked.changes
    if changes is None:
        return None
    groups = topic_groups(checked, changes)
    stated = [c for _, _, new, updated, _ in groups for c in [*new, *(u.claim for u in updated)]]
    notes = footnotes_for(checked, stated)
    lines = [f"# {changes.title} {{ #changes_top }}", ""]
    lines += [
        _label(
            f"The briefing as of {changes.as_of.words()} against the edition of "
            f"{changes.since.words()}: {changes.summary}. "
            f'<a href="../{FEED}">Follow the editions in a feed reader</a>.'
        ),
        "{ .changes-summary }",
        "",
    ]
    if not groups:
        lines += [_label("No claim changed."), ""]
    for slug, title, new, updated, withdrawn in groups:
        lines += [f"## {escape(title)} {{ #topic_{slug} }}", ""]
        for claim in new:
            link = f"[{inline(claim.text)}](topics/{slug}.md#{claim.claim_id})"
            lines.append(
                f"{_label(f'New since {changes.since.words()}')} "
                f"{_lead(checked, claim, with_date=True)}{link}{markers(claim, notes, checked)}"
            )
            lines += ["{ .change .change-new }", ""]
        for update in updated:
            claim = update.claim
            link = f"[{inline(claim.text)}](topics/{slug}.md#{claim.claim_id})"
            lines += ['<div class="change-update" markdown>', ""]
            lines += [_before(update, changes), "{ .change-before }", ""]
            lines.append(
                f"{_label(escape('Updated: ' + update.words()))} "
                f"{_lead(checked, claim, with_date=True)}{link}{markers(claim, notes, checked)}"
            )
            lines += ["{ .change-after }", "", "</div>", ""]
        for item in withdrawn:
            words = escape(withdrawn_words(changes))
            old = f"“<del>{inline(item.claim.text)}</del>”"
            if item.topic_gone:
                lines.append(_label(f"{words} {old} Its topic is gone too."))
                lines += [f"{{ #{item.claim.claim_id} .change .change-withdrawn }}", ""]
            else:
                link = f"[{words}](topics/{slug}.md#{item.claim.claim_id})"
                lines += [_label(f"{link} {old}"), "{ .change .change-withdrawn }", ""]
    earlier = changes.history[1:]
    if earlier:
        lines += ["## Earlier editions { #earlier_editions }", ""]
        for tally in earlier:
            lines.append(_label(f"Edition of {tally.as_of.words()}: {tally.words()}."))
            lines += [f"{{ #{edition_anchor(tally.as_of)} .edition }}", ""]
    for note in notes.values():
        lines.append(f"[^{note.number}]: {footnote_body(checked, note, 'sources/')}")
    return "\n".join(lines).rstrip() + "\n"


def changes_pages(checked: Checked) -> dict[str, str]:
    """The changes page keyed by its path under `docs/`; none without an earlier edition."""
    page = render_changes(checked)
    return {} if page is None else {PAGE: page}


# --- the feed ---------------------------------------------------------------------------


def _stamp(when: FuzzyDate) -> str:
    return when.start.first.isoformat() + "T00:00:00Z"


def _entry_link(tally: Tally, changes: Changes) -> str:
    if tally.as_of == changes.as_of:
        return "changes/"
    return f"changes/#{edition_anchor(tally.as_of)}"


def feed_xml(checked: Checked) -> str | None:
    """An Atom feed (RFC 4287), one entry per edition, newest first; None without an
    earlier edition. Links are relative to the feed, which sits at the site's root; ids
    are name-based UUIDs of the briefing's title (and the edition's day), as the site's
    own address is not known."""
    changes = checked.changes
    if changes is None:
        return None
    briefing = checked.briefing
    ET.register_namespace("", ATOM)

    def add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        element.text = text
        return element

    base = f"briefing:{briefing.title}"
    feed = ET.Element(f"{{{ATOM}}}feed")
    add(feed, "id", uuid.uuid5(uuid.NAMESPACE_URL, base).urn)
    add(feed, "title", briefing.title)
    add(feed, "subtitle", "What changed in each edition of the briefing")
    add(feed, "updated", _stamp(changes.as_of))
    author = add(feed, "author")
    add(author, "name", briefing.prepared_by)
    add(feed, "link", rel="alternate", type="text/html", href="./")
    add(feed, "link", rel="self", type="application/atom+xml", href=FEED)
    add(feed, "generator", "briefing")
    for tally in changes.history:
        entry = add(feed, "entry")
        add(entry, "id", uuid.uuid5(uuid.NAMESPACE_URL, f"{base}:{tally.as_of.text}").urn)
        add(entry, "title", f"{briefing.title}: edition of {tally.as_of.words()}")
        add(entry, "updated", _stamp(tally.as_of))
        add(entry, "link", rel="alternate", type="text/html", href=_entry_link(tally, changes))
        add(entry, "summary", f"{tally.words()}.")
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, "unicode") + "\n"


def write_feed(checked: Checked, site_dir: Path) -> None:
    """Write `feed.xml` into a built site (the staged one under `briefing build`)."""
    text = feed_xml(checked)
    if text is not None:
        write_file(site_dir / FEED, text)
