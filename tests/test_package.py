"""The tool as a package: its import graph, what `check` loads, `briefing init`, the plugin."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, make_project

from generator.cli import main

PACKAGE = REPO / "generator"
HEAVY = (
    "weasyprint",
    "pypdf",
    "pikepdf",
    "jinja2",
    "markupsafe",
    "mkdocs",
    "material",
    "zensical",
    "markdown",
    "trafilatura",
    "htmldate",
    "lxml",
    "warcio",
)


def _imports(path: Path) -> set[str]:
    """The `generator.*` modules a file imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "generator":
                found.update(f"generator.{alias.name}" for alias in node.names)
            elif node.module.startswith("generator."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("generator."))
    return found


def import_graph() -> dict[str, set[str]]:
    modules = {f"generator.{p.stem}": p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {name: _imports(path) & modules.keys() for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_the_package_counting_function_level_imports() -> None:
    graph = import_graph()
    assert "generator.reading" in graph and "generator.plugin" in graph
    assert find_cycle(graph) is None


def test_one_reading_model_feeds_every_output() -> None:
    """The outputs read the reading model; none recomputes footnotes or support."""
    graph = import_graph()
    for output in ("render", "printing", "opendata", "jsonld", "timeline"):
        assert "generator.reading" in graph[f"generator.{output}"], output
        assert "generator.support" not in graph[f"generator.{output}"], output


def _loaded_after(args: list[str], cwd: Path) -> tuple[int, set[str]]:
    code = (
        "import json, sys\n"
        "from generator.cli import main\n"
        f"status = main({args!r})\n"
        f"heavy = {HEAVY!r}\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & set(heavy))\n"
        "print(json.dumps([status, loaded]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120
    )
    status, loaded = json.loads(done.stdout.strip().splitlines()[-1])
    return status, set(loaded)


def test_check_imports_no_site_engine_pdf_or_template_stack() -> None:
    status, loaded = _loaded_after(["check", "--root", str(REPO)], REPO)
    assert status == 0
    assert loaded == set(), f"`briefing check` imported {sorted(loaded)}"


def test_the_heavy_import_probe_sees_what_build_loads(tmp_path: Path) -> None:
    """The probe above can fail: a build does load the engine and the PDF stack."""
    root = make_project(tmp_path / "p")
    status, loaded = _loaded_after(["build", "--root", str(root)], tmp_path)
    assert status == 0
    assert {"mkdocs", "markdown", "weasyprint", "jinja2", "pikepdf"} <= loaded


# --- briefing init ---------------------------------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_init_refuses_a_folder_that_holds_anything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "draft.txt").write_text("an editor's words")
    (folder / ".hidden").mkdir()
    before = _tree(folder)
    assert main(["init", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(folder) in err and "not empty" in err
    assert _tree(folder) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]  # nothing staged left


def test_init_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "brief").write_text("x")
    assert main(["init", str(tmp_path / "brief")]) == 2
    assert "is a file" in capsys.readouterr().err
    assert (tmp_path / "brief").read_text() == "x"


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("init") / "new-briefing"
    assert main(["init", str(folder)]) == 0
    return folder


def test_init_lays_out_a_whole_briefing(started: Path) -> None:
    files = _tree(started)
    for rel in (
        "briefs/briefing.yml",
        "mkdocs.yml",
        ".gitignore",
        "docs/about.md",
        "docs/method.md",
        "schema/topic.schema.json",
        "schema/source.schema.json",
        "schema/briefing.schema.json",
    ):
        assert rel in files, rel
    sources = [f for f in files if f.startswith("briefs/sources/")]
    assert len([s for s in sources if s.endswith(".yml")]) == 1
    assert len([s for s in sources if s.endswith(".txt")]) == 1
    assert any(f.startswith("briefs/topics/") for f in files)
    for rel, data in files.items():
        if rel.startswith("briefs/") and rel.endswith(".yml"):
            first = data.decode().splitlines()[0]
            assert first.startswith("# yaml-language-server: $schema="), rel
            schema = (started / rel).parent / first.split("$schema=", 1)[1]
            assert schema.resolve().is_file(), rel
    text = next(files[s] for s in sources if s.endswith(".txt")).decode()
    assert "example" in text.lower()  # clearly an example, not a real article
    assert "plugins:\n  - briefing" in files["mkdocs.yml"].decode()
    assert "/site/" in files[".gitignore"].decode()


def test_an_init_briefing_checks_and_builds(
    started: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--strict", "--root", str(started)]) == 0
    assert main(["build", "--root", str(started)]) == 0
    site = started / "site"
    for rel in ("index.html", "claims.json", "briefing.pdf", "assets/briefing.css", "timeline"):
        assert (site / rel).exists(), rel
    topic = next((site / "topics").iterdir())
    page = (topic / "index.html").read_text(encoding="utf-8")
    assert 'class="footnote"' in page and "briefing.css" in page


def test_plain_mkdocs_build_runs_the_plugin(tmp_path: Path) -> None:
    """No `briefing` command: MkDocs finds the plugin by its entry point and generates."""
    folder = tmp_path / "b"
    assert main(["init", str(folder)]) == 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (folder / "docs" / "topics" / "harbour-ferry.md").is_file()
    site = folder / "site"
    data = json.loads((site / "claims.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["claims"]] == ["second-pier-opened", "shorter-crossings"]
    page = (site / "topics" / "harbour-ferry" / "index.html").read_text(encoding="utf-8")
    assert 'id="second-pier-opened"' in page and "PDF of this topic" in page


def test_plain_mkdocs_build_stops_on_a_broken_brief(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    assert main(["init", str(folder)]) == 0
    topic = folder / "briefs" / "topics" / "harbour-ferry.yml"
    topic.write_text(
        topic.read_text().replace("the harbour authority opened", "the airport authority opened")
    )
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert done.returncode != 0
    assert "briefs/topics/harbour-ferry.yml:" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (folder / "site").exists()
