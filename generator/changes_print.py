"""The "What changed since <date>" part of `briefing.pdf`, printed after the contents.

The changes page's content as print HTML: claims that are new or updated with their
footnotes (numbered in this part's own reading order, as the timeline's are), the old
wording and withdrawn claims inside the generator's labels, quoted.
"""

from __future__ import annotations

from markupsafe import Markup

from generator.changes import Changes, withdrawn_words
from generator.changes_page import topic_groups
from generator.check import Checked
from generator.diagnostics import Pos
from generator.model import Claim, Section, Topic
from generator.pdf import PART_LINK, PrintTopic, inline_html
from generator.render import Footnote, footnotes_for


class PrintChanges(PrintTopic):
    """What changed, as printed; its `topic` holds the stated claims, one section per topic."""

    changes: Changes

    def __init__(self, checked: Checked, changes: Changes) -> None:
        self.changes = changes
        self._grouped = topic_groups(checked, changes)
        sections = [
            Section(title, [*new, *(u.claim for u in updated)], Pos("briefs/briefing.yml"))
            for _, title, new, updated, _ in self._grouped
        ]
        super().__init__(
            checked, Topic("changes", changes.title, [], sections, Pos("briefs/briefing.yml"))
        )

    def _footnotes(self) -> dict[tuple[str, str], Footnote]:
        return footnotes_for(self.checked, self.topic.claims)

    @property
    def anchor_prefix(self) -> str:
        # Topic slugs never start with a hyphen: no clash with a topic named "changes".
        return "fn--changes"

    @property
    def title(self) -> str:
        return self.changes.title

    @property
    def counts(self) -> str:
        changes = self.changes
        return (
            f"The briefing as of {changes.as_of.words()} against the edition of "
            f"{changes.since.words()}: {changes.summary}"
        )

    def _see(self, claim: Claim) -> Markup:
        return Markup(' <a class="label" href="%s%s--%s">(see the topic)</a>') % (
            PART_LINK,
            claim.topic_slug,
            claim.claim_id,
        )

    def groups(self) -> list[tuple[str, list[Markup]]]:
        """(topic title, items) in reading order; call once, as footnotes are printed
        where first called."""
        changes = self.changes
        out = []
        for _, title, new, updated, withdrawn in self._grouped:
            items = []
            for claim in new:
                label = Markup('<span class="label">New since %s</span> ') % changes.since.words()
                items.append(label + self.claim_html(claim, with_date=True) + self._see(claim))
            for update in updated:
                label = Markup('<span class="label">Updated: %s</span> ') % update.words()
                items.append(label + self.claim_html(update.claim, with_date=True))
                items.append(
                    Markup('<span class="label">Before, on %s: “%s”</span>')
                    % (changes.since.words(), inline_html(update.before.text))
                    + self._see(update.claim)
                )
            for item in withdrawn:
                items.append(
                    Markup('<span class="label">%s “<del>%s</del>”</span>')
                    % (withdrawn_words(changes), inline_html(item.claim.text))
                )
            out.append((title, items))
        return out


def print_changes(checked: Checked) -> PrintChanges | None:
    """The changes part of the whole briefing's PDF, or None without an earlier edition."""
    changes = checked.changes
    return None if changes is None else PrintChanges(checked, changes)
