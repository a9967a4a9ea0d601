"""The pre-commit hook and the GitHub Pages workflow: well-formed, and running what the README says."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

import yaml
from conftest import REPO


def readme_build_command() -> str:
    """The build command of the README's quick start (the first line of its first block)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1]
    block = quick_start.split("```sh\n", 1)[1].split("```", 1)[0]
    command = block.splitlines()[0].split("#", 1)[0].strip()
    assert command.startswith("./run build"), command
    return command


def load(path: str) -> dict[Any, Any]:
    data = yaml.safe_load((REPO / path).read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def test_pre_commit_hook_checks_the_briefs_and_passes_on_the_real_ones() -> None:
    config = load(".pre-commit-config.yaml")
    [repo] = config["repos"]
    assert repo["repo"] == "local"
    [hook] = repo["hooks"]
    assert hook["language"] == "system"
    assert (
        hook["pass_filenames"] is False
    )  # the whole briefing is checked, as files depend on each other
    files = re.compile(hook["files"])
    for changed in ("briefs/topics/libya-pivot.yml", "briefs/sources/x.txt", "briefs/briefing.yml"):
        assert files.search(changed), changed
    for unrelated in ("generator/check.py", "docs/about.md", "tests/base/briefs/briefing.yml"):
        assert not files.search(unrelated), unrelated
    argv = shlex.split(hook["entry"])
    assert argv[:2] == ["./run", "check"]
    # `./run check` sets up the machine, then runs `briefing check` with the rest of the
    # arguments; a test never installs anything, so it runs that last step itself, from
    # the repository's root as pre-commit does.
    run_script = (REPO / "run").read_text(encoding="utf-8")
    assert re.search(r'check\)\n.*\n\s*exec "\$VENV/bin/briefing" check "\$@"', run_script)
    command = [sys.executable, "-m", "generator", "check", *argv[2:]]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "all quotes verified" in result.stdout


def test_publish_workflow_builds_as_the_readme_says_and_deploys_to_pages() -> None:
    workflow = load(".github/workflows/publish.yml")
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read"}  # write access only where deploying

    build = workflow["jobs"]["build"]
    steps = build["steps"]
    uses = [step.get("uses", "") for step in steps]
    assert uses[0].startswith("actions/checkout@v")
    runs = [step["run"].strip() for step in steps if "run" in step]
    command = readme_build_command()
    assert any(run == command or run.startswith(command + " ") for run in runs), runs
    [upload] = [
        step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@v")
    ]
    # The folder the build writes: mkdocs.yml's site_dir, where the PDFs go too.
    site_dir = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))["site_dir"]
    assert upload["with"]["path"] == site_dir
    assert steps.index(upload) > max(i for i, step in enumerate(steps) if "run" in step)

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    [step] = deploy["steps"]
    assert step["uses"].startswith("actions/deploy-pages@v")
    assert "${{ steps." + step["id"] + ".outputs.page_url }}" == deploy["environment"]["url"]
