"""The `briefing` command: check, build, serve.

Exit codes: 0 all well, 1 the briefs (or the build) have problems, 2 usage error.
Whatever the input, the user gets a message, never a traceback (unless `--debug`).

Diagnostics go to stderr as `path:line:col: severity: message` lines; with
`--format json` they go to stdout instead, one JSON object per line, and stdout holds
nothing else, so an editor or CI job can read it while people still see stderr.
"""

from __future__ import annotations

import argparse
import fcntl
import gc
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from generator import __version__
from generator.diagnostics import Report, print_report
from generator.pipeline import Generated, generate

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefing",
        description="Check briefs against their archived articles and publish a footnoted briefing.",
        epilog="Exit codes: 0 all well, 1 the briefs (or the build) have problems, 2 usage error.",
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    base = argparse.ArgumentParser(add_help=False)
    base.add_argument(
        "--root", type=Path, default=Path("."), help="the briefing project (default: .)"
    )
    base.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    common = argparse.ArgumentParser(add_help=False, parents=[base])
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="how to print diagnostics: `text` (default) as path:line:col: lines on stderr; "
        "`json` as one JSON object per line on stdout (keys path, line, column, severity, "
        "message, hint), with nothing else on stdout",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser(
        "check", parents=[common], help="validate every brief and verify every quote"
    )
    build = commands.add_parser(
        "build", parents=[common], help="check, generate docs/, build site/ and the PDFs"
    )
    build.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="the site builder: MkDocs + Material (default) or Zensical, its successor",
    )
    build.add_argument(
        "--no-pdf",
        action="store_true",
        help="skip the PDFs (keeps the last ones) for a quick preview",
    )
    pdf = commands.add_parser(
        "pdf", parents=[common], help="write only the PDFs (all, or the named topics')"
    )
    pdf.add_argument(
        "topics",
        nargs="*",
        metavar="TOPIC",
        help="topic slugs; none means the whole briefing and every topic",
    )
    init = commands.add_parser(
        "init",
        help="start a new briefing in DIR (new or empty): example briefs, docs, mkdocs.yml",
    )
    init.add_argument(
        "folder", nargs="?", type=Path, default=Path("."), metavar="DIR", help="default: ."
    )
    init.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands.add_parser(
        "archive",
        parents=[base],
        help="record each archived text's SHA-256 in its source record (writes under briefs/)",
    )
    add = commands.add_parser(
        "add",
        parents=[base],
        help="archive an article from its URL or a saved page into briefs/sources/",
        description="Fetch an article's page (or read one saved from a browser), extract its "
        "text and metadata, and write briefs/sources/ID.txt, ID.yml and ID.warc.gz. "
        "The only command that uses the network.",
    )
    add.add_argument("source", metavar="SOURCE", help="an http(s) URL, or a saved .html/.htm file")
    add.add_argument(
        "--id", dest="source_id", metavar="ID", help="the source's id (default: from the headline)"
    )
    add.add_argument("--url", help="the address to record (for a saved page: where it came from)")
    add.add_argument(
        "--timeout",
        type=_seconds,
        metavar="S",
        help="seconds to wait for the page (default: 30)",
    )
    commands.add_parser(
        "edition",
        parents=[common],
        help="record the briefing as it stands as briefs/editions/<as_of>.yml (writes under briefs/)",
    )
    serve = commands.add_parser(
        "serve", parents=[common], help="preview the site, rebuilding on edits"
    )
    serve.add_argument(
        "--dev-addr", metavar="IP:PORT", help="address to serve on (default 127.0.0.1:8000)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "init":
        return _guarded(lambda: _init(args.folder), args.debug)
    root: Path = args.root.resolve()
    if not (root / "briefs").is_dir():
        print(
            f"briefing: error: {root} has no briefs/ folder; is it a briefing project?",
            file=sys.stderr,
        )
        return EXIT_USAGE
    return _guarded(lambda: _run(args, root), args.debug)


def _run(args: argparse.Namespace, root: Path) -> int:
    if args.command == "check":
        return _check(root, args.strict, args.format)
    if args.command == "build":
        return _build(root, args.strict, args.format, pdf=not args.no_pdf, engine=args.engine)
    if args.command == "pdf":
        return _pdf(root, args.strict, args.format, args.topics)
    if args.command == "archive":
        return _archive(root)
    if args.command == "add":
        return _add(root, args.source, args.source_id, args.url, args.timeout)
    if args.command == "edition":
        return _edition(root, args.strict, args.format)
    return _serve(root, args.dev_addr, args.strict, args.format)


def _guarded(command: Callable[[], int], debug: bool) -> int:
    """Run a command; the user gets a message, never a traceback (unless `--debug`)."""
    try:
        return command()
    except KeyboardInterrupt:
        print("briefing: interrupted; the previous output is unchanged", file=sys.stderr)
        return EXIT_FAILED
    except Exception:
        if debug:
            import traceback  # here: only a bug, shown with --debug, needs it

            traceback.print_exc()
        else:
            print(
                "briefing: internal error (a bug, not a problem with your briefs); nothing was published. "
                "Please report it with the output of the same command run with --debug.",
                file=sys.stderr,
            )
        return EXIT_FAILED


def _done(message: str, fmt: str) -> None:
    """A success line: stdout for people, stderr when stdout carries JSON diagnostics."""
    print(message, file=sys.stderr if fmt == "json" else sys.stdout)


def _summary(result: Generated) -> str:
    assert result.checked is not None
    briefing = result.checked.briefing
    claims = list(briefing.claims())
    topics = len(briefing.topics)
    return f"{topics} topics, {len(claims)} claims, {len(briefing.sources)} sources, {len(result.checked.passages)} quotes"


def _check(root: Path, strict: bool, fmt: str) -> int:
    result = generate(root, strict, render=False)
    print_report(result.report, strict, fmt)
    if not result.ok(strict):
        return EXIT_FAILED
    _done(f"briefing check: all quotes verified: {_summary(result)}", fmt)
    return EXIT_OK


def _generate_or_stop(root: Path, strict: bool, fmt: str, command: str) -> Generated | None:
    """Read and check everything; on any problem say so and return None before writing."""
    result = generate(root, strict)
    print_report(result.report, strict, fmt)
    if not result.ok(strict) or result.checked is None:
        print(
            f"briefing {command}: stopped before writing anything; docs/ and site/ are unchanged",
            file=sys.stderr,
        )
        return None
    return result


@contextmanager
def _lock(root: Path, command: str) -> Iterator[bool]:
    """One build at a time per project: a second one is told so instead of corrupting the first."""
    folder = root / ".briefing-staging"
    folder.mkdir(exist_ok=True)
    with open(folder / "lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"briefing {command}: another build of this project is running; try again when it ends",
                file=sys.stderr,
            )
            yield False
            return
        yield True


def _build(root: Path, strict: bool, fmt: str, pdf: bool = True, engine: str = "mkdocs") -> int:
    from generator.engine import EngineError, build_site

    started = time.monotonic()
    result = _generate_or_stop(root, strict, fmt, "build")
    if result is None or result.checked is None:
        return EXIT_FAILED
    # The checked and reading models (millions of objects at a thousand topics) live
    # until the PDFs are made: the collector's full passes during MkDocs' build need not
    # walk them each time (0.7 s of a 200-topic build).
    gc.freeze()
    with _lock(root, "build") as acquired:
        if not acquired:
            return EXIT_FAILED
        try:
            build_site(root, result, pdf=pdf, engine=engine)
        except EngineError as exc:
            print(f"briefing build: {exc}\ndocs/ and site/ are unchanged", file=sys.stderr)
            return EXIT_FAILED
    assert result.reading is not None
    footnotes = sum(len(view.notes) for view in result.reading.topics)
    seconds = time.monotonic() - started
    pdfs = " and PDFs" if pdf else ""
    _done(
        f"briefing build: {_summary(result)}, {footnotes} footnotes in {seconds:.1f} s → {root / 'site'}{pdfs}",
        fmt,
    )
    return EXIT_OK


def _pdf(root: Path, strict: bool, fmt: str, topics: list[str]) -> int:
    from generator.pdf import write_pdfs
    from generator.swap import STAGING, recover

    started = time.monotonic()
    result = _generate_or_stop(root, strict, fmt, "pdf")
    if result is None or result.checked is None:
        return EXIT_FAILED
    known = [t.slug for t in result.checked.briefing.topics]
    unknown = [t for t in topics if t not in known]
    if unknown:
        print(
            f"briefing pdf: error: unknown topic {', '.join(unknown)}; topics are: {', '.join(known)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    with _lock(root, "pdf") as acquired:
        if not acquired:
            return EXIT_FAILED
        recover(root)  # a build killed while swapping its output in is finished first
        assert result.reading is not None
        written = write_pdfs(
            result.reading, root / "site", root / STAGING / "pdf-cache", topics or None
        )
    seconds = time.monotonic() - started
    _done(f"briefing pdf: {', '.join('site/' + w for w in written)} in {seconds:.1f} s", fmt)
    return EXIT_OK


def _init(folder: Path) -> int:
    from generator.init import InitError, init

    folder = folder.resolve()
    try:
        written = init(folder)
    except InitError as exc:
        print(f"briefing init: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    for rel in written:
        print(f"  {rel}")
    where = "" if folder == Path.cwd() else f"cd {folder} && "
    print(
        f"briefing init: a new briefing in {folder} ({len(written)} files).\n"
        f"Next: {where}briefing check, then briefing build (or briefing serve to preview).\n"
        "Replace the example source and topic with your own; `briefing add URL` archives an article."
    )
    return EXIT_OK


def _archive(root: Path) -> int:
    """Record each text's SHA-256; only once every quote checks, and one line per record."""
    from generator import archive
    from generator.check import run_check

    report = Report()
    checked = run_check(root, report)
    if checked is not None:
        changes = archive.plan(root, checked, report)
    if checked is None or report.errors:
        errors = Report()
        errors.items = report.errors  # a stale hash is what this command resolves: no warnings
        print_report(errors, False)
        print(
            "briefing archive: stopped before writing anything; a text's SHA-256 is recorded "
            "only when every quote checks",
            file=sys.stderr,
        )
        return EXIT_FAILED
    done = archive.write(changes)
    for change in done:
        print(change.describe())
    current = len(checked.briefing.sources) - len(done)
    print(f"briefing archive: {len(done)} source record(s) written, {current} already current")
    return EXIT_OK


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 3600:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds between 0 and 3600")
    return seconds


def _add(
    root: Path, source: str, source_id: str | None, url: str | None, timeout: float | None
) -> int:
    """Archive one article; on bad input say what and why, and leave briefs/ as it was."""
    from generator.add import DEFAULT_TIMEOUT, AddError, add

    try:
        added = add(root, source, source_id, url, timeout or DEFAULT_TIMEOUT)
    except AddError as exc:
        print(exc.format(), file=sys.stderr)
        return EXIT_FAILED
    print("\n".join(added.lines))
    return EXIT_OK


def _edition(root: Path, strict: bool, fmt: str) -> int:
    """Record the briefing as an edition; only when it checks clean, and one file per day."""
    from generator import editions
    from generator.check import run_check
    from generator.write import write_file

    report = Report()
    checked = run_check(root, report)
    if checked is not None and not report.failed(strict):
        problem = editions.edition_day_problem(checked.briefing.as_of)
        if problem:
            report.error(
                editions.as_of_pos(root),
                f"cannot record an edition: {problem}",
                f"{editions.NAME_RULE}: write `as_of` as a full date, such as 2026-11-21",
            )
    print_report(report, strict, fmt)
    if checked is None or report.failed(strict):
        print(
            "briefing edition: stopped before writing anything; an edition is recorded only "
            "when the briefing checks clean",
            file=sys.stderr,
        )
        return EXIT_FAILED
    briefing = checked.briefing
    rel = f"{editions.FOLDER}/{editions.file_name(briefing.as_of)}"
    existed = (root / rel).is_file()
    written = write_file(root / rel, editions.snapshot_yaml(briefing))
    what = "unchanged" if not written else "replaced" if existed else "recorded"
    claims = sum(len(t.claims) for t in briefing.topics)
    _done(
        f"briefing edition: {rel} {what} ({claims} claims in {len(briefing.topics)} topics, "
        f"as of {briefing.as_of.words()})",
        fmt,
    )
    return EXIT_OK


def _serve(root: Path, dev_addr: str | None, strict: bool, fmt: str) -> int:
    from generator.engine import serve

    result = generate(root, strict, render=False)
    if not result.ok(strict):
        print_report(result.report, strict, fmt)
        print("briefing serve: fix the briefs above, then run it again", file=sys.stderr)
        return EXIT_FAILED
    serve(root, dev_addr, strict, fmt)  # the plugin checks again and reports at every rebuild
    return EXIT_OK
