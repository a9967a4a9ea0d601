"""PDF stage: the checked model to print HTML (Jinja2) to PDF (WeasyPrint).

Rendered from the model, never scraped from the site. Footnote numbers are the web
page's (:func:`generator.render.topic_footnotes`); a footnote's body is printed at the
foot of the page where it is first called, and a later call repeats only its number.
The same input gives the same bytes: dates come from `briefing.yml`, not the clock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from generator.check import Checked, Passage
from generator.model import Claim, Source, Topic
from generator.render import (
    _EMPHASIS,
    Footnote,
    source_passage_text,
    text_fragment,
    topic_counts,
    topic_footnotes,
)
from generator.support import (
    attribution,
    claim_support,
    dispute_pairs,
    dispute_partners,
    single_article_notice,
)
from generator.write import write_bytes


def inline_html(text: str) -> Markup:
    """Claim text as HTML: escaped, with `*emphasis*` as <em>."""
    out = Markup("")
    last = 0
    for match in _EMPHASIS.finditer(text):
        out += escape(text[last : match.start()]) + Markup("<em>%s</em>") % match.group(1)
        last = match.end()
    return out + escape(text[last:])


@dataclass
class PrintTopic:
    """One topic as printed; `claim_html` must be called in the web page's reading order."""

    checked: Checked
    topic: Topic
    notes: dict[tuple[str, str], Footnote] = field(init=False)
    called: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.notes = self._footnotes()

    def _footnotes(self) -> dict[tuple[str, str], Footnote]:
        return topic_footnotes(self.checked, self.topic)

    @property
    def anchor_prefix(self) -> str:
        return f"fn-{self.topic.slug}"

    @property
    def notice(self) -> str | None:
        return single_article_notice(self.checked, self.topic)

    @property
    def disagreements(self) -> list[tuple[Claim, Claim]]:
        return dispute_pairs(self.checked, self.topic)

    @property
    def counts(self) -> str:
        return topic_counts(self.checked, self.topic)

    @property
    def key_points(self) -> list[Claim]:
        return [self.checked.claims[ref.claim_id] for ref in self.topic.key_points]

    def disputers(self, claim: Claim) -> list[Claim]:
        return dispute_partners(self.checked, claim)

    def claim_html(
        self, claim: Claim, with_date: bool = False, with_support: bool = False
    ) -> Markup:
        parts = Markup("")
        if claim.status != "reported":
            parts += Markup('<span class="status status-%s">%s</span> ') % (
                claim.status,
                claim.status.capitalize(),
            )
        if with_date and claim.date is not None:
            parts += Markup('<span class="date">%s</span> — ') % claim.date.words()
        credit = attribution(self.checked, claim)
        if credit.before:
            parts += Markup('<span class="label">%s</span> ') % credit.before
        markers = [self._marker(self.checked.passage(c)) for c in claim.cites]
        html = (
            parts + inline_html(claim.text) + Markup('<span class="fn-sep">,</span>').join(markers)
        )
        if with_support:
            words = claim_support(self.checked, claim).label()
            if credit.after:
                words += f" · {credit.after}"
            html += Markup(' <span class="label support">%s</span>') % words
        return html

    def _marker(self, passage: Passage) -> Markup:
        note = self.notes[passage.key]
        anchor = f"{self.anchor_prefix}-{note.number}"
        if note.number in self.called:
            return Markup('<a class="fn-again" href="#%s">%d</a>') % (anchor, note.number)
        self.called.add(note.number)
        return Markup('<span class="fn" id="%s" data-n="%d">%s</span>') % (
            anchor,
            note.number,
            self._body(note),
        )

    def _body(self, note: Footnote) -> Markup:
        source = note.source
        body = Markup('<span class="fn-quote">“%s”</span> ') % source_passage_text(
            self.checked, note.passage
        )
        if note.citation.via:
            body += Markup("Attributed to %s. ") % note.citation.via
        publisher = source.publisher or "publisher not recorded"
        published = source.published.words() if source.published else "date not recorded"
        body += Markup('— <a href="#source-%s">%s</a>, %s, %s.') % (
            source.source_id,
            source.title,
            publisher,
            published,
        )
        if source.url:
            url = source.url + text_fragment(source.text, note.passage)
            body += Markup(' <a href="%s">Original article</a>.') % url
        return body


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string that cannot close the string or the <style> element."""
    escaped = "".join(c if c.isalnum() or c in " .,:;'!?()-" else f"\\{ord(c):x} " for c in text)
    return Markup(f'"{escaped}"')


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("generator", "templates"), autoescape=True, undefined=StrictUndefined
    )
    env.filters["css_string"] = css_string
    return env


@cache
def _css() -> str:
    return (Path(__file__).parent / "templates" / "print.css").read_text(encoding="utf-8")


def print_html(checked: Checked, topics: Iterable[Topic] | None = None) -> str:
    """Print HTML for the whole briefing, or for the given topics alone."""
    briefing = checked.briefing
    chosen = list(briefing.topics if topics is None else topics)
    single = topics is not None and len(chosen) == 1
    pages = [PrintTopic(checked, topic) for topic in chosen]
    cited = {source_id for page in pages for source_id, _ in page.notes}
    sources: list[Source] = sorted(
        (s for s in briefing.sources.values() if topics is None or s.source_id in cited),
        key=lambda s: s.title.lower(),
    )
    title = chosen[0].title if single else briefing.title
    timeline = None
    if topics is None:
        from generator.timeline import print_timeline

        timeline = print_timeline(checked)
    subject = f"{title}: a footnoted briefing as of {briefing.as_of.words()}"
    return (
        _environment()
        .get_template("print.html.j2")
        .render(
            briefing=briefing,
            title=title,
            subject=subject,
            single=single,
            created=briefing.as_of.start.first.isoformat(),
            pages=pages,
            timeline=timeline,
            sources=sources,
            css=Markup(_css()),
        )
    )


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"the PDF loads nothing from outside: {url}")


def typeset(html: str, cache_dir: Path | None = None) -> bytes:
    """HTML to PDF bytes; identical HTML is typeset once when a cache folder is given."""
    import weasyprint

    key = hashlib.sha256(f"{weasyprint.__version__}\0{html}".encode()).hexdigest()
    cached = cache_dir / f"{key}.pdf" if cache_dir else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    data: bytes = weasyprint.HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()
    if cached is not None:
        write_bytes(cached, data)
    return data


def pdf_targets(checked: Checked, slugs: Iterable[str] | None = None) -> dict[str, str]:
    """Print HTML keyed by the PDF's path under site/: the whole briefing and each topic."""
    wanted = None if slugs is None else set(slugs)
    targets = {} if wanted else {"briefing.pdf": print_html(checked)}
    for topic in checked.briefing.topics:
        if wanted is None or topic.slug in wanted:
            targets[f"pdf/{topic.slug}.pdf"] = print_html(checked, [topic])
    return targets


def write_pdfs(
    checked: Checked, site_dir: Path, cache_dir: Path | None, slugs: Iterable[str] | None = None
) -> list[str]:
    written = []
    for dest, html in pdf_targets(checked, slugs).items():
        write_bytes(site_dir / dest, typeset(html, cache_dir))
        written.append(dest)
    return written
