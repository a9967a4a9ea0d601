"""A synthetic briefing of any size, the same for the same seed.

Articles are generated sentences; every quote is a sentence (or the start of one) drawn
from its article, so the whole briefing checks clean and quote verification does real
work. Used by `benchmarks/run.py` and by a test that keeps it valid.
"""

from __future__ import annotations

import calendar
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

_VOCABULARY = """
ministry officials forces convoy port base airfield talks envoy council reported said
according equipment systems transport aircraft ships supply coast eastern western northern
southern capital government interim agreement lease withdrawal presence naval military
defence analysts satellite images week month region security sources diplomats statement
spokesman commander troops logistics fuel harbour runway hangar radar missile cargo flight
route border negotiations
"""
_WORDS = _VOCABULARY.split()


@dataclass(frozen=True)
class Size:
    topics: int
    claims: int  # per topic
    sources: int

    def __str__(self) -> str:
        return f"{self.topics} topics × {self.claims} claims, {self.sources} sources"


def _sentence(rng: random.Random, serial: int) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(10, 22))]
    words.insert(rng.randint(1, len(words) - 1), f"no. {serial}")
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _article(rng: random.Random, index: int, sentences: int) -> list[str]:
    return [_sentence(rng, index * 10_000 + n) for n in range(sentences)]


def make_project(dest: Path, size: Size, seed: int = 7) -> Path:
    """Write a briefing project of `size` at `dest` (briefs, docs, mkdocs.yml, overrides)."""
    rng = random.Random(seed)
    briefs = dest / "briefs"
    (briefs / "sources").mkdir(parents=True)
    (briefs / "topics").mkdir()
    articles = []
    for index in range(size.sources):
        sentences = _article(rng, index, max(40, size.topics * size.claims // size.sources))
        articles.append(sentences)
        source_id = f"article-{index:04d}"
        (briefs / "sources" / f"{source_id}.txt").write_text(
            "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)) + "\n",
            encoding="utf-8",
        )
        (briefs / "sources" / f"{source_id}.yml").write_text(
            f'title: "Synthetic report {index}"\n'
            f"publisher: Outlet {index % 7}\n"
            f"url: https://example.org/news/{source_id}\n"
            f"published: 2025-{1 + index % 12:02d}-{1 + index % 28:02d}\n"
            "accessed: 2026-11-21\n",
            encoding="utf-8",
        )
    slugs = [f"topic-{t:04d}" for t in range(size.topics)]
    (briefs / "briefing.yml").write_text(
        "title: Synthetic briefing\nas_of: 2026-11-21\nprepared_by: Benchmark desk\n"
        "topics:\n" + "".join(f"  - {slug}\n" for slug in slugs),
        encoding="utf-8",
    )
    used = [0] * size.sources
    for t, slug in enumerate(slugs):
        lines = [f"title: Topic {t}", "key_points: [" + f"c{t}-0, c{t}-1" + "]", "sections:"]
        for c in range(size.claims):
            if c % 10 == 0:
                lines += [f"  - heading: Section {c // 10 + 1}", "    claims:"]
            claim_id = f"c{t}-{c}"
            lines += [
                f"      - id: {claim_id}",
                # No figure of its own: a claim states none its quotes lack (issue 12).
                "        text: This claim says what its sources say.",
            ]
            if c % 5 == 0:
                # The generated articles hold no dates, so an editor's note answers for it.
                month = calendar.month_name[1 + c % 12]
                lines.append(f"        date: 2025-{1 + c % 12:02d}")
                lines.append(f"        note: Dated {month} 2025 by the desk, not by the articles.")
            if c % 10 == 3:
                lines += ["        status: disputed", f"        disputed_by: [c{t}-{c + 1}]"]
            if c % 10 == 4:
                lines += ["        status: disputed", f"        disputed_by: [c{t}-{c - 1}]"]
            lines.append("        cites:")
            for _ in range(1 + (c % 3 == 0)):
                s = rng.randrange(size.sources)
                sentence = articles[s][used[s] % len(articles[s])]
                used[s] += 1
                quote = sentence if rng.random() < 0.5 else " ".join(sentence.split()[:8])
                lines += [f"          - source: article-{s:04d}", f'            quote: "{quote}"']
        (briefs / "topics" / f"{slug}.yml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for s in range(size.sources):  # every source cited at least once: no warnings
        if not used[s]:
            raise ValueError(f"{size}: source {s} is never cited; use fewer sources")
    shutil.copytree(
        REPO / "docs", dest / "docs", ignore=shutil.ignore_patterns("index.md", "topics", "sources")
    )
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest
