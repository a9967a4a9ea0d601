"""`briefing add`: an article's page served on 127.0.0.1 becomes a source that checks.

The pages in tests/pages/ are invented outlets and stories, built as news pages are:
navigation, cookie banner, ads, related stories, newsletter box, comments and footer
around the article, and metadata given three ways (JSON-LD `NewsArticle`; Open Graph
with `article:published_time`; only a byline and a dateline in the text). A server
started here serves them, and the bad responses, on a free port of 127.0.0.1: no test
reaches any other host.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import hashlib
import http.server
import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, TESTS, make_project
from test_cli import tree_digest
from test_schema import schema_errors

from generator.add import MAX_PAGE_BYTES, slug
from generator.cli import main

PAGES = TESTS / "pages"
SOURCES = Path("briefs/sources")


# -- the server -----------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    release: threading.Event  # set by the fixture: a slow response stops waiting

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        pass

    def _send(self, status: int, content_type: str | None, body: bytes, **headers: str) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        named = {name.replace("_", "-"): value for name, value in headers.items()}
        named.setdefault("Content-Length", str(len(body)))
        for name, value in named.items():
            self.send_header(name, value)
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        # The client may stop reading, as it should when a page is too large.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(self.path)

    def _route(self, path: str) -> None:
        html = "text/html; charset=utf-8"
        name = path.lstrip("/")
        if path == "/chunked/valley-courier-night-bus.html":
            body = (PAGES / "valley-courier-night-bus.html").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Connection", "close")
            self.end_headers()
            for start in range(0, len(body), 1000):
                part = body[start : start + 1000]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzipped/lakeside-post-library.html":
            body = gzip.compress((PAGES / "lakeside-post-library.html").read_bytes())
            self._send(200, html, body, Content_Encoding="gzip")
        elif path == "/cp1252/harbour-gazette-ferry.html":  # an older site's encoding
            page = (PAGES / "harbour-gazette-ferry.html").read_text(encoding="utf-8")
            page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
            self._send(200, "text/html; charset=windows-1252", page.encode("cp1252"))
        elif path == "/latest/ferry":
            self._send(301, html, b"<p>Moved</p>", Location="/harbour-gazette-ferry.html")
        elif path == "/missing.html":
            self._send(404, html, b"<html><body><h1>Page not found</h1></body></html>")
        elif path == "/broken.html":
            self._send(500, html, b"<html><body><h1>Internal Server Error</h1></body></html>")
        elif path == "/slow.html":
            self.release.wait(10)  # bounded: the fixture releases it at the end
            self._send(200, html, (PAGES / "harbour-gazette-ferry.html").read_bytes())
        elif path == "/trickle.html":  # headers at once, then the page a little at a time
            body = (PAGES / "harbour-gazette-ferry.html").read_bytes()
            self._send(200, html, b"", Content_Length=str(len(body)))
            for start in range(0, len(body), 200):
                self.wfile.write(body[start : start + 200])
                self.wfile.flush()
                if self.release.wait(0.1):
                    break
        elif path == "/chart.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        elif path == "/report.pdf":
            self._send(200, "application/pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
        elif path == "/mislabelled-report.html":
            self._send(200, html, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
        elif path == "/notes.txt":
            self._send(200, "text/plain; charset=utf-8", b"Notes from the council meeting.\n")
        elif path == "/huge-declared.html":
            self._send(200, html, b"", Content_Length=str(MAX_PAGE_BYTES + 1))
            self.wfile.write(b"<p>" + b"x" * (MAX_PAGE_BYTES + 1))
        elif path == "/huge-streamed.html":
            self.send_response(200)
            self.send_header("Content-Type", html)
            self.send_header("Connection", "close")  # no length: the body ends when it closes
            self.end_headers()
            self.wfile.write(b"<!DOCTYPE html><html><body><p>")
            chunk = b"All work and no play. " * 4096
            for _ in range(MAX_PAGE_BYTES // len(chunk) + 2):
                self.wfile.write(chunk)
        elif (PAGES / name).is_file() and "/" not in name:
            self._send(200, html, (PAGES / name).read_bytes())
        else:
            self._send(404, html, b"<p>Not found</p>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The pages and the bad responses at http://127.0.0.1:<free port>."""
    release = threading.Event()
    handler = type("Handler", (_Handler,), {"release": release})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(10)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """A proxy set on the machine must not carry these requests anywhere."""
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


def add(root: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["add", *args, "--root", str(root)])
    out, err = capsys.readouterr()
    return code, out, err


# -- the pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    page: str
    source_id: str
    title: str
    publisher: str | None
    authors: list[str]
    published: str
    body: str
    """CSS selector of the article's own blocks on the page: each must be in the text."""
    boilerplate: str
    """CSS selector of what is around the article: none of it may be in the text."""
    quote: str
    """A sentence of the body, for a claim that must pass `briefing check`."""


STORIES = [
    Story(
        page="harbour-gazette-ferry.html",
        source_id="ferry-operator-suspends-winter-crossings-to-skerra-island",
        title="Ferry operator suspends winter crossings to Skerra Island",
        publisher="The Harbour Gazette",
        authors=["Maren Tollefsen", "Ivo Brandt"],
        published="2025-01-14",
        body=".story-body > p, .story-body > h2, .story-body blockquote p, .standfirst",
        boilerplate="#cookie-consent, header.site-header, .ad, .related-inline, .tags, "
        ".newsletter-signup, .related-stories, #comments, footer, .share, figcaption",
        quote="an inspection in December had found “serious corrosion” in the steel piles",
    ),
    Story(
        page="valley-courier-night-bus.html",
        source_id="council-approves-night-bus-trial-for-lower-valley",
        title="Council approves night bus trial for Lower Valley",
        publisher="Valley Courier",
        authors=["Priya Raman"],
        published="2025-02-03",
        body=".article-content > p, .article-content > h2, .article-content > blockquote",
        boilerplate="#consent, .topbar, .inline-promo, .paywall-nudge, .newsletter, "
        ".comments-area, .col-side, footer",
        quote="The trial will cost £412,000, of which £150,000 comes from the regional transport fund",
    ),
    Story(
        page="lakeside-post-library.html",
        source_id="library-to-open-on-sundays-after-volunteers-step-in",
        title="Library to open on Sundays after volunteers step in",
        publisher=None,  # only the masthead's logo names it; a host name is not an outlet
        authors=["Tomasz Wierzbicki"],
        published="2025-03-09",
        body="#story > p:not(.byline):not(.dateline)",
        boilerplate=".masthead, #cookie-notice, .banner-ad, .sidebar, .reader-comments, .footer",
        quote="We're not replacing staff, we're adding hours that simply didn't exist",
    ),
]


def _strings(html: bytes, selector: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(el.get_text(" ").split()) for el in soup.select(selector)]


def _boilerplate(html: bytes, selector: str) -> list[str]:
    """Every phrase of the page's furniture long enough to be unmistakable."""
    soup = BeautifulSoup(html, "html.parser")
    phrases = []
    for element in soup.select(selector):
        phrases.extend(s for s in element.stripped_strings if len(s) >= 12)
        phrases.extend(
            img["alt"] for img in element.select("img[alt]") if len(str(img["alt"])) >= 12
        )
    assert len(phrases) >= 5, phrases  # the selector found the furniture
    return [str(p) for p in phrases]


def _with_claim(root: Path, source_id: str, quote: str) -> None:
    """Cite the new source from a second topic of the base briefing."""
    (root / "briefs/briefing.yml").write_text(
        "title: Test briefing\nas_of: 2025-01-31\nprepared_by: Test desk\ntopics: [ports, added]\n"
    )
    topic = {
        "title": "Added",
        "sections": [
            {
                "heading": "From the page",
                "claims": [
                    {
                        "id": "added-claim",
                        "text": "A claim about the story.",
                        "cites": [{"source": source_id, "quote": quote}],
                    }
                ],
            }
        ],
    }
    (root / "briefs/topics/added.yml").write_text(
        yaml.safe_dump(topic, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def _read_warc(path: Path) -> list[tuple[str, str | None, str | None, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    out = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle):
            status = record.http_headers.get_statuscode() if record.http_headers else None
            out.append(
                (
                    record.rec_type,
                    record.rec_headers.get_header("WARC-Target-URI"),
                    status,
                    record.content_stream().read(),
                )
            )
    return out


@pytest.mark.parametrize("story", STORIES, ids=[s.page for s in STORIES])
def test_a_page_becomes_a_source_that_checks(
    story: Story, server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    html = (PAGES / story.page).read_bytes()
    # The Open Graph page comes chunked, as many servers send pages.
    path = f"/chunked/{story.page}" if "valley" in story.page else f"/{story.page}"
    url = server + path
    before = datetime.date.today()
    code, out, err = add(root, capsys, url)
    assert code == 0, err
    assert err == ""
    base = root / SOURCES / story.source_id

    record = yaml.safe_load((base.with_suffix(".yml")).read_text(encoding="utf-8"))
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    expected = {
        "title": story.title,
        **({"publisher": story.publisher} if story.publisher else {}),
        "authors": story.authors,
        "url": url,
        "published": datetime.date.fromisoformat(story.published),
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
    }
    accessed = record.pop("accessed")
    assert accessed in (before, datetime.date.today())
    assert record == expected
    # The editors' schema accepts it too (the test project has no schema/ to name).
    assert schema_errors(base.with_suffix(".yml"), "source") == []

    # Every block of the article, as published (typography included); none of the rest.
    blocks = text.rstrip("\n").split("\n\n")
    for paragraph in _strings(html, story.body):
        assert paragraph in blocks, paragraph
    for phrase in _boilerplate(html, story.boilerplate):
        assert phrase not in text, phrase
    assert "\n\n\n" not in text and text.endswith(".\n")

    # The page as served, in a WARC that warcio reads back.
    records = _read_warc(base.parent / f"{story.source_id}.warc.gz")
    assert [r[0] for r in records] == ["warcinfo", "response"]
    _, target, status, payload = records[1]
    assert (target, status, payload) == (url, "200", html)

    # What it wrote, as the editor sees it.
    for suffix in (".txt", ".warc.gz", ".yml"):
        assert f"{SOURCES}/{story.source_id}{suffix}" in out
    assert f"title: {story.title}" in out
    assert f"archived {story.source_id!r}" in out

    # Cited by a claim, the new source passes the checker: no error, no warning.
    _with_claim(root, story.source_id, story.quote)
    assert main(["check", "--strict", "--root", str(root)]) == 0, capsys.readouterr().err


def test_a_saved_page_with_its_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make_project(tmp_path / "p")
    shutil.copytree(REPO / "schema", root / "schema")
    saved = PAGES / "valley-courier-night-bus.html"
    url = "https://valleycourier.example/local/council-approves-night-bus-trial-lower-valley"
    code, out, err = add(root, capsys, str(saved), "--url", url, "--id", "night-bus-trial")
    assert code == 0, err
    written = (root / SOURCES / "night-bus-trial.yml").read_text(encoding="utf-8")
    # Where the project has the editors' schemas, the record names its own.
    assert written.startswith("# yaml-language-server: $schema=../../schema/source.schema.json\n")
    record = yaml.safe_load(written)
    assert record["url"] == url and record["publisher"] == "Valley Courier"
    records = _read_warc(root / SOURCES / "night-bus-trial.warc.gz")
    assert [(r[0], r[1], r[3]) for r in records[1:]] == [("resource", url, saved.read_bytes())]
    assert "resource record" in out


def test_a_saved_page_names_its_own_address(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    code, _, err = add(root, capsys, str(PAGES / "harbour-gazette-ferry.html"), "--id", "ferry")
    assert code == 0, err
    record = yaml.safe_load((root / SOURCES / "ferry.yml").read_text(encoding="utf-8"))
    # The page's canonical link: where the saved page says it lives.
    assert record["url"] == (
        "https://www.harbourgazette.example/news/2025/01/14/ferry-winter-crossings-skerra"
    )


def test_a_redirect_records_where_the_page_was(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    code, _, err = add(root, capsys, server + "/latest/ferry", "--id", "ferry")
    assert code == 0, err
    record = yaml.safe_load((root / SOURCES / "ferry.yml").read_text(encoding="utf-8"))
    assert record["url"] == server + "/harbour-gazette-ferry.html"
    assert _read_warc(root / SOURCES / "ferry.warc.gz")[1][1] == record["url"]


def test_a_gzipped_response_is_read_and_kept_as_sent(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    assert add(root, capsys, server + "/lakeside-post-library.html", "--id", "plain")[0] == 0
    assert add(root, capsys, server + "/gzipped/lakeside-post-library.html", "--id", "gz")[0] == 0
    plain = (root / SOURCES / "plain.txt").read_bytes()
    assert (root / SOURCES / "gz.txt").read_bytes() == plain
    # warcio undoes the content coding the headers name: the page itself comes back.
    page = (PAGES / "lakeside-post-library.html").read_bytes()
    assert _read_warc(root / SOURCES / "gz.warc.gz")[1][3] == page


def test_the_page_s_encoding_is_read_and_its_typography_kept(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    assert add(root, capsys, server + "/harbour-gazette-ferry.html", "--id", "utf8")[0] == 0
    assert add(root, capsys, server + "/cp1252/harbour-gazette-ferry.html", "--id", "cp")[0] == 0
    text = (root / SOURCES / "cp.txt").read_text(encoding="utf-8")
    assert text == (root / SOURCES / "utf8.txt").read_text(encoding="utf-8")
    assert "found “serious corrosion” in" in text and "service — a proposal" in text


def test_a_saved_page_may_open_with_a_long_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    page = (PAGES / "lakeside-post-library.html").read_text(encoding="utf-8")
    saved = tmp_path / "saved.htm"
    saved.write_text("<!-- saved from url=(0042) " + "x" * 5000 + " -->\n" + page)
    code, _, err = add(root, capsys, str(saved), "--id", "library")
    assert code == 0, err
    assert "Orrin Lake public library" in (root / SOURCES / "library.txt").read_text()


# -- bad input ------------------------------------------------------------------------


def _refused_port() -> int:
    """A port of 127.0.0.1 where nothing listens (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


BAD = [
    ("/missing.html", [], "answered 404 Not Found", "page may have moved"),
    ("/broken.html", [], "answered 500 Internal Server Error", "try again later"),
    ("/slow.html", ["--timeout", "0.5"], "took longer than 0.5 s to send the page", "--timeout"),
    ("/trickle.html", ["--timeout", "1"], "took longer than 1 s to send the page", "--timeout"),
    ("/chart.png", [], "is an image (image/png), not a web page", "article's page"),
    ("/report.pdf", [], "is a PDF; PDFs are not supported yet", "web page instead"),
    ("/mislabelled-report.html", [], "is a PDF; PDFs are not supported yet", "web page"),
    ("/notes.txt", [], "is not a web page: the server says it is text/plain", "Save Page As"),
    ("/huge-declared.html", [], "is larger than 10 MB", "check the address"),
    ("/huge-streamed.html", [], "is larger than 10 MB", "check the address"),
    ("/no-article.html", [], "found; is it an article's page?", "paywall"),
    ("refused", [], "refused the connection", "site may be down"),
    ("ftp://127.0.0.1/story.html", [], "is not an http(s) URL", "saved .html file"),
    ("/harbour-gazette-ferry.html", ["--id", "Ferry Story"], "'Ferry Story' is not a valid id",
     "use `--id ferry-story` instead"),
    ("/harbour-gazette-ferry.html", ["--id", "harbour-news"],
     "briefs/sources/harbour-news.yml already exists", "`--id harbour-news-2`"),
    ("/harbour-gazette-ferry.html", ["--url", "https://example.org/a b"],
     "holds characters a URL cannot hold", "address bar"),
    ("saved:missing.html", [], "missing.html: no such file", "saved from a browser"),
    ("saved:notes.docx", [], "is not a saved web page (.html or .htm)", "save the article"),
    ("saved:binary.html", [], "is not an HTML page", "Save Page As"),
    ("saved:report.pdf", [], "is a PDF; PDFs are not supported yet", "web page"),
    ("saved:page-folder", [], "is a folder", "saved .html file inside it"),
]  # fmt: skip


@pytest.mark.parametrize(("where", "options", "message", "hint"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_writes_nothing(
    where: str,
    options: list[str],
    message: str,
    hint: str,
    server: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_project(tmp_path / "p")
    files = tmp_path / "files"
    files.mkdir()
    (files / "notes.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (files / "binary.html").write_bytes(b"\x00\x01\x02 not a page \xff\xfe")
    (files / "report.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n")
    (files / "page-folder").mkdir()
    if where == "refused":
        source = f"http://127.0.0.1:{_refused_port()}/story.html"
    elif where.startswith("saved:"):
        source = str(files / where.removeprefix("saved:"))
    elif where.startswith("/"):
        source = server + where
    else:
        source = where
    before = tree_digest(root / "briefs")
    listing = sorted(p.relative_to(root) for p in (root / "briefs").rglob("*"))

    code, out, err = add(root, capsys, source, *options)

    assert code == 1
    assert out == ""
    first, *rest = err.splitlines()
    assert first.startswith("briefing add: error: ") and message in first, err
    assert rest and rest[0].startswith("    hint: ") and hint in "\n".join(rest), err
    assert "Traceback" not in err and "internal error" not in err
    assert tree_digest(root / "briefs") == before
    assert sorted(p.relative_to(root) for p in (root / "briefs").rglob("*")) == listing


def test_adding_the_same_page_twice_never_overwrites(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    url = server + "/lakeside-post-library.html"
    assert add(root, capsys, url)[0] == 0
    before = tree_digest(root / "briefs")
    code, _, err = add(root, capsys, url)
    source_id = "library-to-open-on-sundays-after-volunteers-step-in"
    assert code == 1
    assert f"briefs/sources/{source_id}.yml already exists" in err
    assert f"`--id {source_id}-2`" in err
    assert tree_digest(root / "briefs") == before
    # A stray text or page archive takes the id as much as a record does.
    (root / SOURCES / "library.warc.gz").write_bytes(b"")
    code, _, err = add(root, capsys, url, "--id", "library")
    assert code == 1 and "briefs/sources/library.warc.gz already exists" in err


def test_a_timeout_that_is_not_seconds_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_project(tmp_path / "p")
    with pytest.raises(SystemExit) as stop:
        main(["add", "http://127.0.0.1:9/x.html", "--timeout", "-1", "--root", str(root)])
    assert stop.value.code == 2
    assert "not a number of seconds" in capsys.readouterr().err


def test_an_unknown_host_is_named() -> None:
    """The message for a name that does not resolve (no lookup is made here)."""
    from generator.add import _network_error

    error = _network_error("https://news.invalid/story", socket.gaierror(-2, "unknown"), 30)
    assert error.message == "cannot find the host 'news.invalid' of https://news.invalid/story"
    assert error.hint is not None and "typing mistakes" in error.hint


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Ferry operator suspends winter crossings to Skerra Island",
         "ferry-operator-suspends-winter-crossings-to-skerra-island"),
        ("Tromsø’s mayor: “We won’t pay” — 40% cut", "tromsos-mayor-we-wont-pay-40-cut"),
        ("A very long headline that goes on and on well past any length that an id could want",
         "a-very-long-headline-that-goes-on-and-on-well-past-any"),
        ("Œuvre: Ærø ferry’s straße to Łódź", "oeuvre-aero-ferrys-strasse-to-lodz"),
        ("Путин и Сирия", ""),
    ],
)  # fmt: skip
def test_the_default_id_is_the_headline_slug(headline: str, expected: str) -> None:
    assert slug(headline) == expected
    assert len(slug(headline)) <= 60


def test_check_loads_no_extraction_library(tmp_path: Path) -> None:
    """`briefing check` must not import what only `add` needs, even beside a page archive."""
    root = make_project(tmp_path / "p")
    (root / SOURCES / "harbour-news.warc.gz").write_bytes(b"")
    code = (
        "import sys\n"
        "from generator.cli import main\n"
        f"assert main(['check', '--strict', '--root', {str(root)!r}]) == 0\n"
        "heavy = ['trafilatura', 'htmldate', 'warcio', 'lxml', 'justext', 'courlan']\n"
        "print('loaded:', *sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "loaded:"
