"""Benchmark: how the generator's cost grows with the briefing, measured side by side.

    python benchmarks/run.py                 # the full run (several minutes)
    python benchmarks/run.py --quick         # small sizes, one run each: a smoke test
    python benchmarks/run.py --sizes 100x50x50 --runs 5

A size is TOPICSxCLAIMSxSOURCES (claims per topic). Every figure is the median of
`--runs` runs, and each is set against a baseline measured in the same run on the same
files, so the ratios hold on any machine even when the absolute times do not.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402
from synthetic import Size, make_project  # noqa: E402

from generator import load  # noqa: E402
from generator.check import run_check  # noqa: E402
from generator.diagnostics import Report  # noqa: E402
from generator.reading import read  # noqa: E402

TARGETS: list[tuple[str, bool | None, str]] = []


def median_time(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def interleaved(fns: list[Callable[[], object]], runs: int) -> list[float]:
    """Median times of several functions run in turn, so load on the machine hits all alike."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(runs):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[i].append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def table(title: str, header: list[str], rows: list[list[str]]) -> None:
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()


def target(name: str, met: bool | None, figure: str) -> None:
    TARGETS.append((name, met, figure))


def parse_size(text: str) -> Size:
    topics, claims, sources = (int(n) for n in text.lower().split("x"))
    return Size(topics, claims, sources)


def project(workdir: Path, size: Size) -> Path:
    root = workdir / f"t{size.topics}-c{size.claims}-s{size.sources}"
    if not root.exists():
        make_project(root, size)
    return root


def brief_files(root: Path) -> list[Path]:
    return sorted((root / "briefs").rglob("*.yml"))


# --- check ---------------------------------------------------------------------------


def _process(
    args: list[str], cwd: Path = REPO, env: dict[str, str] | None = None
) -> Callable[[], None]:
    """A command run to completion, as a function to time (the whole process is the figure)."""

    def run() -> None:
        done = subprocess.run(args, cwd=cwd, env=env or _env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}"[-3000:])

    return run


def _env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", **extra}


_BARE_PARSE = (
    "import pathlib, sys, yaml\n"
    "for f in sorted(pathlib.Path(sys.argv[1]).rglob('*.yml')):\n"
    "    yaml.load(f.read_text(encoding='utf-8'), Loader=yaml.CSafeLoader)\n"
)


def bench_check(workdir: Path, sizes: list[Size], runs: int) -> None:
    """`briefing check` as a whole process against a bare process that only parses the
    same YAML files with the C loader (interpreter start-up on both sides)."""
    assert load._Loader is yaml.CSafeLoader, "the C loader must be on the hot path"
    rows = []
    for size in sizes:
        root = project(workdir, size)
        files = brief_files(root)
        claims = size.topics * size.claims
        floor = _process([sys.executable, "-c", _BARE_PARSE, str(root / "briefs")])
        check = _process([sys.executable, "-m", "generator", "check", "--root", str(root)])
        floor_s, check_s = interleaved([floor, check], runs)
        ratio = check_s / floor_s
        rows.append(
            [
                str(size),
                f"{sum(f.stat().st_size for f in files) / 1e6:.1f} MB",
                f"{floor_s * 1000:.0f} ms",
                f"{check_s * 1000:.0f} ms",
                f"{ratio:.2f}×",
                f"{claims / check_s:,.0f}",
            ]
        )
        if size.topics >= 200:
            target(
                f"check within 1.3× of a bare C-loader parse ({size})",
                ratio <= 1.3,
                f"{ratio:.2f}×",
            )
    table(
        "`briefing check` (whole process) against a process that only parses the same YAML "
        "(C loader)",
        ["briefing", "YAML", "bare parse", "briefing check", "ratio", "claims/s"],
        rows,
    )


# --- build -------------------------------------------------------------------------


def plain_mkdocs_config(root: Path, docs: Path, site: Path) -> Path:
    """A `mkdocs.yml` for plain MkDocs over the generated `docs/`: what the plugin sets,
    written out, and no plugin (so nothing is generated or checked)."""
    from generator.engine import plain_config

    report = Report()
    checked = run_check(root, report)
    assert checked is not None and not report.errors, report.sorted()[:3]
    config = plain_config(root, checked, docs)
    config["docs_dir"] = str(docs)
    config["site_dir"] = str(site)
    file = root / "plain-mkdocs.yml"
    file.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return file


def baseline_checkout(workdir: Path, commit: str) -> Path:
    """The generator as it was at `commit`, checked out beside this one (`git worktree`)."""
    tree = workdir / f"baseline-{commit}"
    if not tree.exists():
        subprocess.run(
            ["git", "worktree", "add", "--detach", "-q", str(tree), commit], cwd=REPO, check=True
        )
    return tree


def baseline_project(tree: Path, root: Path) -> Path:
    """The same briefs, in a project laid out as the baseline wants it: its own
    `mkdocs.yml`, hand-written docs and theme overrides (and its hook file, if it has one)."""
    dest = root.parent / f"{root.name}-baseline-{tree.name}"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir()
    shutil.copytree(root / "briefs", dest / "briefs")
    if not (tree / "generator" / "wording.py").exists():
        # Editors' notes (`note:`) came with the wording rules; an older generator
        # refuses the key, so its copy goes without them (a little less to render).
        for topic in (dest / "briefs" / "topics").glob("*.yml"):
            lines = topic.read_text(encoding="utf-8").splitlines(keepends=True)
            kept = [line for line in lines if not line.lstrip().startswith("note: ")]
            topic.write_text("".join(kept), encoding="utf-8")
    shutil.copytree(
        tree / "docs", dest / "docs", ignore=shutil.ignore_patterns("index.md", "topics", "sources")
    )
    shutil.copy(tree / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("overrides", "generator"):  # `hooks: [generator/hook.py]`, `custom_dir`
        if (tree / name).is_dir():
            (dest / name).symlink_to(tree / name)
    return dest


def bench_build(
    workdir: Path, sizes: list[Size], runs: int, baseline: str | None, engines: list[str]
) -> None:
    """`briefing build --no-pdf` (whole process) against plain `mkdocs build` over the same
    generated `docs/`, and against the same command of an earlier commit."""
    rows = []
    for size in sizes:
        root = project(workdir, size)
        build = _process(
            [sys.executable, "-m", "generator", "build", "--no-pdf", "--root", str(root)]
        )
        build()  # docs/ now holds the generated pages plain MkDocs is given
        config = plain_mkdocs_config(root, root / "docs", workdir / "plain-site")
        mkdocs = _process([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)])
        fns = [build, mkdocs]
        if baseline:
            tree = baseline_checkout(workdir, baseline)
            old_root = baseline_project(tree, root)
            fns.append(
                _process(
                    [
                        sys.executable,
                        "-m",
                        "generator",
                        "build",
                        "--no-pdf",
                        "--root",
                        str(old_root),
                    ],
                    cwd=old_root,
                    env=_env(PYTHONPATH=str(tree)),
                )
            )
        if "zensical" in engines:
            fns.append(
                _process(
                    [sys.executable, "-m", "generator", "build", "--no-pdf", "--engine", "zensical"]
                    + ["--root", str(root)]
                )
            )
        times = interleaved(fns, runs)
        build_s, mkdocs_s = times[0], times[1]
        baseline_s = times[2] if baseline else None
        zensical_s = times[-1] if "zensical" in engines else None
        ratio = build_s / mkdocs_s
        rows.append(
            [
                str(size),
                f"{build_s:.1f} s",
                f"{mkdocs_s:.1f} s",
                f"{ratio:.2f}×",
                f"{baseline_s:.1f} s" if baseline_s else "—",
                f"{build_s / baseline_s:.2f}×" if baseline_s else "—",
                f"{zensical_s:.1f} s" if zensical_s else "—",
            ]
        )
        if size.topics >= 200:
            target(
                f"build within 1.1× of plain mkdocs build ({size})", ratio <= 1.1, f"{ratio:.2f}×"
            )
            if baseline_s:
                target(
                    f"build ≤ 0.5× of {baseline} ({size})",
                    build_s / baseline_s <= 0.5,
                    f"{build_s / baseline_s:.2f}×",
                )
    table(
        "`briefing build --no-pdf` (whole process) against plain `mkdocs build` over the same "
        f"docs/ and against commit {baseline or '(none given)'}",
        [
            "briefing",
            "briefing build",
            "mkdocs build",
            "ratio",
            f"build at {baseline}" if baseline else "baseline",
            "now/baseline",
            "build --engine zensical",
        ],
        rows,
    )


# --- memory ----------------------------------------------------------------------------


def peak_rss_mb(args: list[str], module: str = "generator") -> tuple[float, float]:
    """Peak resident memory (MB) and wall time (s) of `python -m MODULE ARGS`, from a small
    launcher process: Linux carries ru_maxrss across exec, so a child forked from this
    (large) process would report this process's size."""
    launcher = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print('WALL', time.perf_counter() - start)\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", launcher, sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
        env=_env(),
    ).stdout
    peak, wall = re.search(r"PEAK (\d+)", out), re.search(r"WALL ([\d.]+)", out)
    assert peak and wall, out
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN is the largest single process.
    return int(peak.group(1)) / 1024, float(wall.group(1))


def bench_memory(workdir: Path, sizes: list[Size]) -> None:
    rows = []
    for size in sizes:
        root = project(workdir, size)
        check, check_s = peak_rss_mb(["check", "--root", str(root)])
        build, build_s = peak_rss_mb(["build", "--no-pdf", "--root", str(root)])
        config = plain_mkdocs_config(root, root / "docs", workdir / "plain-site")
        plain, plain_s = peak_rss_mb(["build", "-q", "-f", str(config)], module="mkdocs")
        rows.append(
            [
                str(size),
                f"{check:.0f} MB",
                f"{check_s:.1f} s",
                f"{build:.0f} MB",
                f"{build_s:.1f} s",
                f"{plain:.0f} MB",
                f"{plain_s:.1f} s",
            ]
        )
        if size.topics >= 1000:
            target(
                f"peak memory of build --no-pdf under 300 MB ({size})",
                build < 300,
                f"{build:.0f} MB",
            )
    table(
        "Peak memory (resident set) and wall time, one run each",
        [
            "briefing",
            "`briefing check`",
            "time",
            "`briefing build --no-pdf`",
            "time",
            "plain `mkdocs build`, same docs/",
            "time",
        ],
        rows,
    )


# --- PDF -------------------------------------------------------------------------------


def bench_pdf(workdir: Path, pdf_sizes: list[Size], runs: int, real: bool = True) -> None:
    """Every PDF from an empty cache, then one topic edited with a warm cache, set against
    typesetting alone (bare WeasyPrint, tagged as the parts are) what the edit changed:
    the topic's part, and for a dated claim the timeline's part too, which shows it."""
    import pikepdf
    import weasyprint

    from generator.assemble import PDF_VARIANT, Typesetter
    from generator.pdf import write_pdfs
    from generator.printing import timeline_part, topic_part

    def typeset_alone(html: str) -> float:
        start = time.perf_counter()
        weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
        return time.perf_counter() - start

    rows = []
    cases: list[tuple[str, Path]] = [("the real briefing", REPO)] if real else []
    cases += [(str(size), project(workdir, size)) for size in pdf_sizes]
    for name, root in cases:
        report = Report()
        checked = run_check(root, report)
        assert checked is not None and not report.errors
        out = workdir / "pdf-out"
        cache = workdir / "pdf-cache"
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        start = time.perf_counter()
        written = write_pdfs(read(checked), out, cache)
        cold = time.perf_counter() - start
        counts = {w: len(pikepdf.open(out / w).pages) for w in written}
        pages = sum(counts.values())
        whole = counts["briefing.pdf"]
        topics = checked.briefing.topics
        topic = topics[len(topics) // 2]
        claims = [claim for section in topic.sections for claim in section.claims]
        edits = [
            ("undated claim", [c for c in claims if c.date is None], runs),
            ("dated claim", [c for c in claims if c.date is not None], 1),
        ]
        for kind, candidates, edit_runs in edits:
            if not candidates:
                continue
            claim = candidates[0]
            text = claim.text
            edit_times: list[float] = []
            alone: list[float] = []
            typeset: list[int] = []
            # Each run a new edit (nothing of it cached), typeset alone in turn with it,
            # so load on the machine hits both alike.
            for run in range(edit_runs):
                claim.text = f"{text} Edited for the benchmark, run {run}."
                typesetter = Typesetter(cache)
                start = time.perf_counter()
                reading = read(checked)
                write_pdfs(reading, out, cache, typesetter=typesetter)
                edit_times.append(time.perf_counter() - start)
                typeset.append(len(typesetter.typeset_html))
                seconds = typeset_alone(topic_part(reading, reading.topic(topic.slug)).html)
                timeline = timeline_part(reading)
                if claim.date is not None and timeline is not None:
                    seconds += typeset_alone(timeline.html)
                alone.append(seconds)
            claim.text = text
            edit, single = statistics.median(edit_times), statistics.median(alone)
            ratio = edit / single
            rows.append(
                [
                    name,
                    f"{whole} + {pages - whole}",
                    f"{cold:.1f} s ({cold / pages:.3f} s a page)",
                    kind,
                    f"{edit:.2f} s",
                    "/".join(str(n) for n in typeset),
                    f"{single:.2f} s",
                    f"{ratio:.2f}×",
                ]
            )
            if len(topics) >= 100 and kind == "undated claim":
                target(
                    f"one-topic PDF edit ≤ 2× typesetting that topic's part ({name})",
                    ratio <= 2,
                    f"{ratio:.2f}×",
                )
    table(
        "PDF: every PDF from an empty cache, then one claim of one topic edited (warm "
        "cache) against typesetting alone what the edit changed (the topic's part; "
        "for a dated claim the timeline's part too)",
        [
            "briefing",
            "pages (whole + per topic)",
            "cold",
            "edit",
            "edit takes",
            "parts typeset",
            "changed parts typeset alone",
            "edit / alone",
        ],
        rows,
    )


# --- incremental preview ---------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


CLAIM_TEXT = "This claim says what its sources say."
_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india"]


class _Server:
    """A preview server in the background, and a way to time one edit until it is served."""

    def __init__(self, args: list[str], cwd: Path, url: str, ready: str, log: Path) -> None:
        self.url = url
        self.log = log.open("w")
        self.process = subprocess.Popen(
            args, cwd=cwd, stdout=self.log, stderr=subprocess.STDOUT, env=_env()
        )
        deadline = time.monotonic() + 900
        while ready not in _fetch(url):
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError(f"{args[:4]} did not come up; see {log}")
            time.sleep(0.2)

    def edit(self, file: Path, old: str, new: str, marker: str) -> float:
        """Save `file` with `old` replaced by `new`; seconds until the page shows `marker`."""
        text = file.read_text(encoding="utf-8")
        assert old in text, (file, old)
        start = time.perf_counter()
        file.write_text(text.replace(old, new, 1), encoding="utf-8")
        self.wait(self.url, marker, start)
        return time.perf_counter() - start

    def wait(self, url: str, marker: str, start: float) -> float:
        """Seconds from `start` until `url` shows `marker`."""
        while marker not in _fetch(url):
            if time.perf_counter() - start > 300 or self.process.poll() is not None:
                raise RuntimeError(f"the edit never reached {url}; see {self.log.name}")
            time.sleep(0.02)
        return time.perf_counter() - start

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)
        self.log.close()


def bench_serve(workdir: Path, size: Size, runs: int) -> None:
    """Save one key-point claim under `briefing serve` against saving one generated page
    under plain `mkdocs serve --dirty` of the same site: until the topic page shows it."""
    root = workdir / f"serve-{size.topics}"
    shutil.rmtree(root, ignore_errors=True)
    make_project(root, size)
    slug = "topic-0000"
    claim = CLAIM_TEXT  # every synthetic claim reads so; c0-0 is a key point, dated
    # The floor: the same generated pages, a copy, served by MkDocs alone.
    _process([sys.executable, "-m", "generator", "build", "--no-pdf", "--root", str(root)])()
    plain_docs = workdir / f"serve-{size.topics}-plain-docs"
    shutil.rmtree(plain_docs, ignore_errors=True)
    shutil.copytree(root / "docs", plain_docs)
    config = plain_mkdocs_config(root, plain_docs, workdir / "serve-plain-site")
    ports = _free_port(), _free_port()
    plain = _Server(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-f", str(config)]
        + ["--dev-addr", f"127.0.0.1:{ports[0]}"],
        REPO,
        f"http://127.0.0.1:{ports[0]}/topics/{slug}/",
        claim,
        workdir / "serve-plain.log",
    )
    try:
        ours = _Server(
            [sys.executable, "-m", "generator", "serve", "--root", str(root)]
            + ["--dev-addr", f"127.0.0.1:{ports[1]}"],
            REPO,
            f"http://127.0.0.1:{ports[1]}/topics/{slug}/",
            claim,
            workdir / "serve-briefing.log",
        )
    except BaseException:
        plain.stop()
        raise
    brief = root / "briefs" / "topics" / f"{slug}.yml"
    page = plain_docs / "topics" / f"{slug}.md"
    ours_s: list[float] = []
    undated_s: list[float] = []
    ours_all: list[float] = []
    undated_all: list[float] = []
    claims_url = f"http://127.0.0.1:{ports[1]}/claims.json"
    plain_s: list[float] = []

    def claim_line(claim_id: str, text: str) -> str:
        return f"- id: {claim_id}\n        text: {text}"

    def save(claim_id: str, old: str, new: str, marker: str) -> tuple[float, float]:
        """Seconds until the topic page shows the save, and until every page does: the
        rest of the site follows (timeline, source pages, claims.json), and waiting for
        it means the next edit starts on a settled server."""
        start = time.perf_counter()
        page_s = ours.edit(brief, claim_line(claim_id, old), claim_line(claim_id, new), marker)
        return page_s, ours.wait(claims_url, marker, start)

    try:
        # c0-1, the second key point, has no date: the timeline page does not change with it.
        dated = undated = plain_text = claim
        for run in range(runs):
            word = _WORDS[run % len(_WORDS)]  # no figures: the wording rules stay quiet
            marker = f"{word} edit"
            edited = f"This claim, {marker}, says what its sources say."
            page_s, all_s = save("c0-0", dated, edited, marker)
            ours_s.append(page_s)
            ours_all.append(all_s)
            dated = edited
            time.sleep(1.0)  # let the server settle before the next edit
            # The first occurrence on the generated page: the first key point.
            plain_s.append(plain.edit(page, plain_text, edited, marker))
            plain_text = edited
            time.sleep(1.0)
            marker = f"{word} undated"
            edited = f"This claim, {marker}, says what its sources say."
            page_s, all_s = save("c0-1", undated, edited, marker)
            undated_s.append(page_s)
            undated_all.append(all_s)
            undated = edited
            time.sleep(1.0)
    finally:
        ours.stop()
        plain.stop()
    seconds, floor = statistics.median(ours_s), statistics.median(plain_s)
    for name, times in (("dated", ours_s), ("floor", plain_s), ("undated", undated_s)):
        print(f"serve {name}: " + ", ".join(f"{t:.2f} s" for t in times))
    ratio = seconds / floor
    other = statistics.median(undated_s)
    table(
        f"Incremental preview, one key-point claim saved ({size}): until the topic page shows it",
        [
            "`briefing serve`, dated key point (timeline too)",
            "`mkdocs serve --dirty`, one .md saved",
            "ratio",
            "`briefing serve`, undated key point",
            "ratio",
            "every page and claims.json updated (dated; undated)",
            "runs",
        ],
        [
            [
                f"{seconds:.2f} s",
                f"{floor:.2f} s",
                f"{ratio:.2f}×",
                f"{other:.2f} s",
                f"{other / floor:.2f}×",
                f"{statistics.median(ours_all):.2f} s; {statistics.median(undated_all):.2f} s",
                str(runs),
            ]
        ],
    )
    if size.topics >= 100:
        target(f"serve within 1.5× of mkdocs serve --dirty ({size})", ratio <= 1.5, f"{ratio:.2f}×")


# --- main ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100x50x50,200x50x100,1000x50x500", help="check")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--build-sizes", default="100x50x50,200x50x100", help="sizes at which to time builds"
    )
    parser.add_argument("--memory-sizes", default="1000x50x500")
    parser.add_argument("--pdf-sizes", default="100x50x50")
    parser.add_argument("--serve-size", default="100x50x50")
    parser.add_argument(
        "--baseline-commit",
        metavar="COMMIT",
        help="also time `briefing build --no-pdf` of this commit (a `git worktree` beside)",
    )
    parser.add_argument(
        "--zensical", action="store_true", help="also time `briefing build --engine zensical`"
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test")
    parser.add_argument(
        "--only", default="check,build,memory,serve", help="which parts to run (and: pdf)"
    )
    parser.add_argument("--workdir", type=Path, help="keep the generated briefings here")
    args = parser.parse_args()
    if args.quick:
        args.sizes = args.build_sizes = args.memory_sizes = "4x10x3"
        args.pdf_sizes = args.serve_size = "4x10x3"
        args.runs = 1
    sizes = [parse_size(s) for s in args.sizes.split(",") if s]
    build_sizes = [parse_size(s) for s in args.build_sizes.split(",") if s]
    memory_sizes = [parse_size(s) for s in args.memory_sizes.split(",") if s]
    pdf_sizes = [parse_size(s) for s in args.pdf_sizes.split(",") if s]
    engines = ["mkdocs"] + (["zensical"] if args.zensical else [])

    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="briefing-bench-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"## Benchmark ({time.strftime('%Y-%m-%d')})\n")
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}, median of {args.runs} run(s)"
    )
    try:
        only = set(args.only.split(","))
        if "check" in only:
            bench_check(workdir, sizes, args.runs)
        if "build" in only:
            bench_build(workdir, build_sizes, args.runs, args.baseline_commit, engines)
        if "memory" in only:
            bench_memory(workdir, memory_sizes)
        if "pdf" in only:
            bench_pdf(workdir, pdf_sizes, args.runs, real=not args.quick)
        if "serve" in only:
            bench_serve(workdir, parse_size(args.serve_size), args.runs)
    finally:
        for tree in workdir.glob("baseline-*"):
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=REPO)
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    if TARGETS:
        table(
            "Targets",
            ["target", "figure", "met"],
            [[name, figure, "met" if met else "missed"] for name, met, figure in TARGETS],
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
