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
import importlib.util
import logging
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
from generator.pipeline import Generated, generate  # noqa: E402
from generator.reading import read  # noqa: E402
from generator.write import sync_generated  # noqa: E402

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


def bench_check(workdir: Path, sizes: list[Size], runs: int) -> None:
    assert load._Loader is yaml.CSafeLoader, "the C loader must be on the hot path"
    rows = []
    for size in sizes:
        root = project(workdir, size)
        files = brief_files(root)
        claims = size.topics * size.claims

        def floor(files: list[Path] = files) -> None:
            for file in files:
                yaml.load(file.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        def check(root: Path = root) -> None:
            report = Report()
            assert run_check(root, report) is not None and not report.errors

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
        if size.topics >= 1000:
            target(f"check within 1.3× of C-loader parsing ({size})", ratio <= 1.3, f"{ratio:.2f}×")
    table(
        "`briefing check` against bare `yaml.load` (C loader) of the same files",
        ["briefing", "YAML", "yaml.load (C)", "briefing check", "ratio", "claims/s"],
        rows,
    )


# --- generator against mkdocs ---------------------------------------------------------


def _fresh_docs(root: Path, name: str) -> Path:
    docs = root / name
    shutil.rmtree(docs, ignore_errors=True)
    shutil.copytree(
        root / "docs", docs, ignore=shutil.ignore_patterns("index.md", "topics", "sources")
    )
    return docs


def bench_generator(workdir: Path, sizes: list[Size], runs: int, engines: list[str]) -> None:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    rows = []
    for size in sizes:
        root = project(workdir, size)
        docs = _fresh_docs(root, "bench-docs")

        def generator(root: Path = root, docs: Path = docs) -> None:
            result = generate(root)
            assert result.ok()
            sync_generated(docs, result.pages)
            shutil.rmtree(docs / "topics")  # the next run writes every page again

        generator_s = median_time(generator, runs)
        result = generate(root)
        sync_generated(docs, result.pages)
        page_count = len(result.pages)

        def mkdocs(root: Path = root, docs: Path = docs, result: Generated = result) -> None:
            site = root / "bench-site"
            shutil.rmtree(site, ignore_errors=True)
            config = load_config(str(root / "mkdocs.yml"), docs_dir=str(docs), site_dir=str(site))
            config.plugins["briefing"].prepared = result  # type: ignore[attr-defined]
            build(config)

        logging.getLogger("mkdocs").setLevel(logging.ERROR)
        engine_times = {"mkdocs": median_time(mkdocs, runs)}
        if "zensical" in engines:
            from generator.engine import zensical_build

            engine_times["zensical"] = median_time(
                lambda root=root, docs=docs, result=result: zensical_build(
                    root, docs, root / "bench-zsite", result
                ),
                runs,
            )
        fraction = generator_s / engine_times["mkdocs"]
        rows.append(
            [
                str(size),
                str(page_count),
                f"{generator_s:.2f} s",
                f"{engine_times['mkdocs']:.2f} s",
                f"{engine_times['mkdocs'] / page_count * 1000:.0f} ms",
                f"{fraction:.1%}",
                f"{engine_times['zensical']:.2f} s" if "zensical" in engine_times else "—",
            ]
        )
        if size.topics >= 100:
            target(f"generator ≤ 10% of mkdocs build ({size})", fraction <= 0.10, f"{fraction:.1%}")
    table(
        "Generator (load, check, render, write) against the engines over the same docs/",
        [
            "briefing",
            "pages",
            "generator",
            "mkdocs build",
            "per page",
            "generator/mkdocs",
            "zensical build",
        ],
        rows,
    )


# --- memory ----------------------------------------------------------------------------


def peak_rss_mb(args: list[str]) -> float:
    """Peak resident memory of `briefing ARGS`, measured from a small launcher process:
    Linux carries ru_maxrss across exec, so a child forked from this (large) process
    would report this process's size."""
    launcher = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)\n"
        "print('PEAK', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", launcher, sys.executable, "-m", "generator", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    ).stdout
    match = re.search(r"PEAK (\d+)", out)
    assert match, out
    return int(match.group(1)) / 1024  # ru_maxrss is in KiB on Linux


def bench_memory(workdir: Path, sizes: list[Size]) -> None:
    rows = []
    for size in sizes:
        root = project(workdir, size)
        check = peak_rss_mb(["check", "--root", str(root)])
        rows.append([str(size), f"{check:.0f} MB"])
        if size.topics >= 1000:
            target(f"peak memory of check under 300 MB ({size})", check < 300, f"{check:.0f} MB")
    table("Peak memory (resident set) of `briefing check`", ["briefing", "peak RSS"], rows)


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


def bench_serve(workdir: Path, size: Size, runs: int) -> None:
    root = workdir / f"serve-{size.topics}"
    shutil.rmtree(root, ignore_errors=True)
    make_project(root, size)
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "serve",
            "--root",
            str(root),
            "--dev-addr",
            f"127.0.0.1:{port}",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    slug = "topic-0000"
    url = f"http://127.0.0.1:{port}/topics/{slug}/"
    brief = root / "briefs" / "topics" / f"{slug}.yml"
    original = brief.read_text(encoding="utf-8")
    try:
        deadline = time.monotonic() + 600
        while "Claim 0 of topic 0" not in _fetch(url):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("briefing serve did not come up")
            time.sleep(0.2)
        times = []
        for run in range(runs):
            marker = f"Edit number {run} for the benchmark"
            edited = original.replace(
                "Claim 0 of topic 0 says what its sources say.", f"Claim 0 of topic 0, {marker}."
            )
            start = time.perf_counter()
            brief.write_text(edited, encoding="utf-8")
            while marker not in _fetch(url):
                if time.perf_counter() - start > 120:
                    raise RuntimeError("the edit never reached the page")
                time.sleep(0.02)
            times.append(time.perf_counter() - start)
            time.sleep(1.0)  # let the server settle before the next edit
    finally:
        server.terminate()
        server.wait(timeout=30)
    seconds = statistics.median(times)
    table(
        f"Incremental preview: `briefing serve`, one claim edited ({size})",
        ["saved → rebuilt page served (median)", "runs"],
        [[f"{seconds:.2f} s", str(runs)]],
    )
    if size.topics >= 100:
        target(f"edited page rebuilt within 1 s ({size})", seconds <= 1.0, f"{seconds:.2f} s")


# --- main ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10x50x5,100x50x50,1000x50x500")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--engine-sizes",
        default="100x50x50,1000x50x500",
        help="sizes at which to time mkdocs (and zensical) builds",
    )
    parser.add_argument("--pdf-sizes", default="100x50x50")
    parser.add_argument("--serve-size", default="100x50x50")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test")
    parser.add_argument(
        "--only", default="check,memory,engines,pdf,serve", help="which parts to run"
    )
    parser.add_argument("--workdir", type=Path, help="keep the generated briefings here")
    args = parser.parse_args()
    if args.quick:
        args.sizes = args.engine_sizes = args.pdf_sizes = args.serve_size = "4x10x3"
        args.runs = 1
    sizes = [parse_size(s) for s in args.sizes.split(",")]
    engine_sizes = [parse_size(s) for s in args.engine_sizes.split(",") if s]
    pdf_sizes = [parse_size(s) for s in args.pdf_sizes.split(",") if s]
    engines = ["mkdocs"] + (["zensical"] if importlib.util.find_spec("zensical") else [])

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="briefing-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(f"## Benchmark ({time.strftime('%Y-%m-%d')})\n")
    print(
        f"Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{platform.machine()}, median of {args.runs} run(s); engines: {', '.join(engines)}"
    )
    try:
        only = set(args.only.split(","))
        if "check" in only:
            bench_check(workdir, sizes, args.runs)
        if "memory" in only:
            bench_memory(workdir, sizes)
        if "engines" in only:
            bench_generator(workdir, engine_sizes, args.runs, engines)
        if "pdf" in only:
            bench_pdf(workdir, pdf_sizes, args.runs, real=not args.quick)
        if "serve" in only:
            bench_serve(workdir, parse_size(args.serve_size), args.runs)
    finally:
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
