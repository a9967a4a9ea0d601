"""The incremental preview: what `briefing serve` keeps between saves, and what it redoes.

A save re-reads only the files it changed and looks again only for the quotes it
changed; the cross-file rules run in full; the pages are exactly those of a full run;
a save that breaks the briefs prints its diagnostics and leaves the last good pages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import make_project

from generator.pipeline import Generated, Preview, generate, release

TOPIC = "briefs/topics/syria-bases.yml"
# A key point (shown twice on its page) citing an article quoted on several pages.
CLAIM_TEXT = "Russia has started gradually withdrawing its military presence from Syria."
QUOTE = 'Russia has started gradually withdrawing its military presence from Syria."'


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _same_as_full_run(root: Path, result: Generated, preview: Preview | None = None) -> None:
    """Once the pages a save held back are made, the pages of a full run; the run after
    that (nothing changed) also gives its site files."""
    full = generate(root)
    assert result.report.sorted() == full.report.sorted()
    if preview is not None and result.held:
        release(result, preview, root / "released")
        result = generate(root, preview=preview)
        assert preview.made == []
    assert result.pages == full.pages
    assert result.site_files == full.site_files


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "p", real=True)


def test_an_edit_rereads_its_file_only_and_gives_the_pages_of_a_full_run(project: Path) -> None:
    preview = Preview()
    first = generate(project, preview=preview)
    assert first.ok()
    assert set(preview.made) == {p for p in first.pages if p.endswith(".md")}

    again = generate(project, preview=preview)
    assert preview.check.files.rebuilt == [] and preview.made == []
    assert again.pages == first.pages

    _edit(
        project,
        TOPIC,
        CLAIM_TEXT,
        "Russia has started gradually withdrawing its military presence from Syria, the newspaper reported.",
    )
    edited = generate(project, preview=preview)
    assert preview.check.files.rebuilt == [TOPIC]
    assert preview.check.located == 0  # no quote changed, so none is looked for again
    made = set(preview.made)
    _same_as_full_run(project, edited, preview)
    changed = {p for p in edited.pages if edited.pages[p] != first.pages[p]}
    # Its topic page, the source page quoting it, the timeline-free index pages...
    assert {"topics/syria-bases.md", "sources/russia-permanent-pack-up.md"} <= changed
    # ...are made again; pages that show nothing of the edited file are not.
    assert changed <= made
    assert "topics/eu-aid-conditions.md" not in made


def test_a_save_makes_the_edited_page_first_and_the_rest_on_release(
    project: Path, tmp_path: Path
) -> None:
    """The page of the edited file is made at once; the pages that only show the edit
    (the source page quoting the claim, the indexes) wait for `release`, and so do the
    site files: `serve` shows the page being edited without waiting for the rest."""
    from generator.write import sync_generated

    preview = Preview()
    first = generate(project, preview=preview)
    docs = tmp_path / "docs"
    sync_generated(docs, first.pages)
    _edit(project, TOPIC, CLAIM_TEXT, CLAIM_TEXT.replace("Syria.", "Syria, it said."))
    edited = generate(project, preview=preview)
    assert "Syria, it said." in edited.pages["topics/syria-bases.md"]
    assert "sources/russia-permanent-pack-up.md" in edited.held
    assert "topics/syria-bases.md" not in edited.held
    for path in edited.held:  # still what is on disk, until released
        assert edited.pages[path] == first.pages[path]
    assert edited.site_files == {}
    held = set(edited.held)
    written = release(edited, preview, docs)
    assert "sources/russia-permanent-pack-up.md" in written and set(written) <= held
    assert "Syria, it said." in (docs / "sources/russia-permanent-pack-up.md").read_text(
        encoding="utf-8"
    )
    settled = generate(project, preview=preview)
    assert preview.made == [] and settled.held == {}
    full = generate(project)
    assert settled.pages == full.pages and settled.site_files == full.site_files


def test_a_save_of_the_briefing_record_holds_nothing_back(project: Path) -> None:
    """An edit that changes every page (the briefing's title) makes them all at once."""
    preview = Preview()
    generate(project, preview=preview)
    text = (project / "briefs/briefing.yml").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    _edit(project, "briefs/briefing.yml", title, "title: Another title")
    edited = generate(project, preview=preview)
    assert edited.held == {}
    assert edited.pages == generate(project).pages


def test_an_edited_quote_is_the_only_one_looked_for(project: Path) -> None:
    preview = Preview()
    generate(project, preview=preview)
    _edit(project, TOPIC, QUOTE, 'Russia has started gradually withdrawing its military presence"')
    edited = generate(project, preview=preview)
    assert preview.check.located == 1
    assert edited.ok()
    _same_as_full_run(project, edited, preview)


def test_an_edited_source_record_changes_the_pages_that_show_it(project: Path) -> None:
    preview = Preview()
    first = generate(project, preview=preview)
    rel = "briefs/sources/russia-struggle-syria-bases.yml"
    text = (project / rel).read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    _edit(project, rel, title, "title: A headline the editors corrected")
    edited = generate(project, preview=preview)
    assert preview.check.files.rebuilt == [rel]
    made = set(preview.made)
    _same_as_full_run(project, edited, preview)
    changed = {p for p in edited.pages if edited.pages[p] != first.pages[p]}
    assert "sources/russia-struggle-syria-bases.md" in changed
    assert changed <= made


def test_cross_file_rules_see_unchanged_files(project: Path) -> None:
    """A duplicate id is found though the file holding the first one was not re-read."""
    preview = Preview()
    generate(project, preview=preview)
    _edit(
        project,
        "briefs/topics/libya-pivot.yml",
        "      - id: temporary-storage",
        "      - id: wsj-gradual-withdrawal",
    )
    broken = generate(project, preview=preview)
    assert preview.check.files.rebuilt == ["briefs/topics/libya-pivot.yml"]
    assert any(
        "duplicate claim id 'wsj-gradual-withdrawal'" in d.message for d in broken.report.errors
    )
    _same_as_full_run(project, broken)


def test_a_deleted_topic_is_forgotten(project: Path) -> None:
    preview = Preview()
    generate(project, preview=preview)
    _edit(project, "briefs/briefing.yml", "eu-aid-conditions", "")
    (project / "briefs/topics/eu-aid-conditions.yml").unlink()
    edited = generate(project, preview=preview)
    assert "topics/eu-aid-conditions.md" not in edited.pages
    _same_as_full_run(project, edited, preview)


def _plugin_config(root: Path):  # type: ignore[no-untyped-def]
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.config import load_config

    return load_config(str(root / "mkdocs.yml"))


def test_a_broken_save_keeps_the_last_good_pages_and_prints_diagnostics(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mkdocs.exceptions import PluginError

    config = _plugin_config(project)
    plugin = config.plugins["briefing"]
    plugin.on_startup(command="serve", dirty=True)
    plugin.on_config(config)
    page = project / "docs/topics/syria-bases.md"
    good = page.read_text(encoding="utf-8")
    assert CLAIM_TEXT in good
    capsys.readouterr()

    _edit(project, TOPIC, QUOTE, 'Russia has never withdrawn anything from Syria."')
    plugin.on_config(_plugin_config(project))  # no exception: the server keeps serving
    err = capsys.readouterr().err
    assert f"{TOPIC}:" in err and "quote not found" in err
    assert "still serving the last good pages" in err
    assert page.read_text(encoding="utf-8") == good

    _edit(project, TOPIC, 'Russia has never withdrawn anything from Syria."', QUOTE)
    _edit(
        project,
        TOPIC,
        CLAIM_TEXT,
        "Russia has started gradually withdrawing its military presence from Syria, it said.",
    )
    plugin.on_config(_plugin_config(project))
    assert "presence from Syria, it said." in page.read_text(encoding="utf-8")

    # A plain `mkdocs build` still refuses broken briefs.
    _edit(project, TOPIC, QUOTE, 'Russia has never withdrawn anything from Syria."')
    built = _plugin_config(project)
    builder = built.plugins["briefing"]
    builder.on_startup(command="build", dirty=False)
    with pytest.raises(PluginError):
        builder.on_config(built)


def test_edits_after_an_edition_give_the_labels_of_a_full_run(project: Path) -> None:
    """Change labels (new, updated, withdrawn) reach pages through the editions: a
    preview redoes the pages they touch, as a full run would show them."""
    from generator.cli import main

    assert main(["edition", "--root", str(project)]) == 0
    text = (project / "briefs/briefing.yml").read_text(encoding="utf-8")
    as_of = next(line for line in text.splitlines() if line.startswith("as_of:"))
    _edit(project, "briefs/briefing.yml", as_of, "as_of: 2030-01-01")
    preview = Preview()
    first = generate(project, preview=preview)
    _same_as_full_run(project, first, preview)
    _edit(project, TOPIC, CLAIM_TEXT, CLAIM_TEXT.replace("Syria.", "Syria, it said."))
    edited = generate(project, preview=preview)
    _same_as_full_run(project, edited, preview)
    assert edited.pages["changes.md"] != first.pages["changes.md"]


def test_serve_writes_the_held_pages_after_the_build(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under `serve`, the build after a save writes the edited topic's page; the pages
    it held back are written just after that build (so `serve` rebuilds them next), and
    the build after that writes the site files."""
    import time

    import generator.plugin

    monkeypatch.setattr(generator.plugin, "RELEASE_AFTER", 0.05)
    config = _plugin_config(project)
    plugin = config.plugins["briefing"]
    plugin.on_startup(command="serve", dirty=True)
    plugin.on_config(config)
    source_page = project / "docs/sources/russia-permanent-pack-up.md"
    _edit(project, TOPIC, CLAIM_TEXT, CLAIM_TEXT.replace("Syria.", "Syria, it said."))
    config = _plugin_config(project)
    plugin.on_config(config)
    assert "Syria, it said." in (project / "docs/topics/syria-bases.md").read_text("utf-8")
    assert "Syria, it said." not in source_page.read_text("utf-8")
    site = Path(config.site_dir)
    plugin.on_post_build(config)
    assert not (site / "claims.json").exists()  # the site files wait for the held pages
    deadline = time.monotonic() + 30
    while "Syria, it said." not in source_page.read_text("utf-8"):
        assert time.monotonic() < deadline, "the held pages were never written"
        time.sleep(0.02)
    config = _plugin_config(project)
    plugin.on_config(config)
    plugin.on_post_build(config)
    assert "Syria, it said." in (site / "claims.json").read_text("utf-8")


def test_serve_writes_a_save_s_pages_unseen_by_its_watcher(project: Path) -> None:
    """The build that writes a save's pages into docs/ is the rebuild they call for: the
    watcher of `serve` does not see them, so they start no second rebuild (which would
    hold back every request until it ended)."""
    page = project / "docs/topics/syria-bases.md"

    class Server:
        def __init__(self) -> None:
            self.calls: list[tuple[str, str, bool]] = []

        def _call(self, kind: str, path: str) -> None:
            self.calls.append((kind, path, "Syria, it said." in page.read_text("utf-8")))

        def watch(self, path: str) -> None:
            self._call("watch", path)

        def unwatch(self, path: str) -> None:
            self._call("unwatch", path)

    config = _plugin_config(project)
    plugin = config.plugins["briefing"]
    plugin.on_startup(command="serve", dirty=True)
    plugin.on_config(config)
    server = Server()
    plugin.on_serve(server, config=config, builder=None)
    _edit(project, TOPIC, CLAIM_TEXT, CLAIM_TEXT.replace("Syria.", "Syria, it said."))
    server.calls.clear()
    plugin.on_config(_plugin_config(project))
    docs = str(project / "docs")
    # Not yet written when the watcher lets go of docs/, written when it looks again.
    assert server.calls == [("unwatch", docs, False), ("watch", docs, True)]
