"""`briefing add`: archive an article from its web page.

The one stage that touches the network. It fetches an http(s) page (or reads a page
saved from a browser), extracts the article's main text and its metadata with
trafilatura (the date with htmldate), and writes three files under `briefs/sources/`:

- `<id>.txt`, the article's text: one block (paragraph, heading, block quote, list
  item) per paragraph, blocks separated by a blank line, characters as published;
- `<id>.warc.gz`, the page as fetched (an HTTP `response` record) or as saved (a
  `resource` record), so a reader can ask what the text was taken from;
- `<id>.yml`, the record: title, publisher, authors, url, published, accessed and the
  text's SHA-256, written as an editor would, to be corrected by hand where needed.

Everything is fetched, extracted and checked first; the files are written (each
atomically) only once all of it succeeded, so bad input leaves `briefs/` as it was.
Every expected failure is an :class:`AddError` with what went wrong and what to do.

trafilatura, htmldate and warcio are imported inside the functions that use them:
`briefing check` and `build` must not load them (nor touch the network).
"""

from __future__ import annotations

import codecs
import datetime
import http.client
import io
import logging
import re
import socket
import ssl
import time
import unicodedata
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator import __version__
from generator import fields as spec
from generator.check import text_sha256
from generator.diagnostics import Report
from generator.load import parse_yaml
from generator.model import ID_RULE, build_source, id_like, is_id
from generator.write import write_bytes

DEFAULT_TIMEOUT = 30.0
"""Seconds to wait for the whole page (`--timeout` changes it)."""

MAX_PAGE_BYTES = 10 * 1024 * 1024
"""The largest page accepted: news pages are well under it, a runaway response is not."""

MIN_TEXT_CHARS = 200
"""Less text than this is a teaser, a paywall or an index page, not an article."""

MAX_ID_CHARS = 60
"""A default id (the headline's slug) is cut at a word boundary to at most this."""

SAVED_SUFFIXES = (".html", ".htm")
HTML_TYPES = ("text/html", "application/xhtml+xml")
SOURCES = "briefs/sources"
ARCHIVED_SUFFIXES = (".yml", ".yaml", ".txt", ".warc.gz")
"""The files that make up a source: an id with any of them is taken."""

_USER_AGENT = f"briefing/{__version__} (archiving an article for a news briefing)"
_READ_CHUNK = 64 * 1024
_SAVE_HINT = (
    "if a browser shows the article, save the page there (File > Save Page As,\n"
    "'Web page, HTML only') and run `briefing add PAGE.html --url URL`"
)


class AddError(Exception):
    """Bad input: what went wrong, and what to do about it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def format(self) -> str:
        text = f"briefing add: error: {self.message}"
        if self.hint:
            text += "".join(
                f"\n    hint: {line}" if i == 0 else f"\n          {line}"
                for i, line in enumerate(self.hint.splitlines())
            )
        return text


@dataclass(frozen=True)
class Page:
    """A web page as received: its HTML and the WARC file that keeps it."""

    html: bytes
    where: str
    """The URL it was fetched from (after redirects), or the saved file's path."""
    charset: str | None
    """The charset the server declared, if any."""
    url: str | None
    """Where the page was fetched from (after redirects); None for a saved file."""
    warc: bytes
    described: str
    """What the WARC holds, for the summary: "the HTTP response (200 OK, ...)"."""


@dataclass(frozen=True)
class Article:
    """What the page says about itself, and its text."""

    title: str
    text: str
    blocks: int
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class Added:
    """What `add` wrote, for the summary it prints."""

    source_id: str
    lines: list[str]


def add(
    root: Path,
    source: str,
    source_id: str | None = None,
    url: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    today: datetime.date | None = None,
) -> Added:
    """Archive the article at `source` (an http(s) URL or a saved page) under `root`."""
    folder = root / SOURCES
    if source_id is not None:
        _check_id(source_id, folder)
    if url is not None:
        _check_url(url, "--url")
    if _is_web_address(source):
        _check_url(source, "the address")
        page = fetch(source, timeout)
    else:
        page = read_saved(Path(source), url)
    article = extract(page, url or page.url)
    if source_id is None:
        source_id = slug(article.title)
        if not source_id:
            raise AddError(
                f"cannot make an id from the headline {article.title!r}",
                f"give one with --id, such as `--id outlet-topic`: {ID_RULE}",
            )
        _check_id(source_id, folder)
    accessed = (today or datetime.date.today()).isoformat()
    record = record_text(article, accessed, schema=(root / "schema/source.schema.json").is_file())
    _verify_record(record, source_id, article.text)

    base = f"{SOURCES}/{source_id}"
    text_path, warc_path, record_path = (
        root / f"{base}{suffix}" for suffix in (".txt", ".warc.gz", ".yml")
    )
    written: list[Path] = []
    try:
        # The record last: until it exists the other two are not a source.
        for path, data in (
            (text_path, article.text.encode("utf-8")),
            (warc_path, page.warc),
            (record_path, record.encode("utf-8")),
        ):
            write_bytes(path, data)
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise AddError(
            f"could not write {base}.*: {exc.strerror or exc}",
            "nothing was kept; free some space or fix the folder's permissions, then run it again",
        ) from exc
    fields = {
        "title": article.title,
        "publisher": article.publisher,
        "authors": ", ".join(article.authors),
        "url": article.url,
        "published": article.published,
        "accessed": accessed,
    }
    missing = [key for key, value in fields.items() if not value]
    lines = [
        f"{base}.txt: {article.blocks} paragraphs and headings, {len(article.text):,} characters",
        f"{base}.warc.gz: {page.described}",
        f"{base}.yml:",
        *(f"    {key}: {value}" for key, value in fields.items() if value),
        f"    text_sha256: {text_sha256(article.text)}",
    ]
    if missing:
        them = "it" if len(missing) == 1 else "them"
        lines.append(
            f"    not stated on the page: {', '.join(missing)} (add {them} by hand if you know {them})"
        )
    lines.append(
        f"briefing add: archived {source_id!r}; read its text against the page, "
        f"then cite it as `source: {source_id}`"
    )
    return Added(source_id, lines)


# -- the id ---------------------------------------------------------------------------


# Latin letters that Unicode does not decompose into a base letter and a mark.
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)


def slug(headline: str) -> str:
    """An id from a headline: `Ferry operator’s winter plan` → `ferry-operators-winter-plan`."""
    latin = unicodedata.normalize("NFKD", headline.lower().translate(_LETTERS))
    ascii_text = latin.encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", re.sub(r"['’]", "", ascii_text.lower()))
    out = ""
    for word in words:
        longer = f"{out}-{word}" if out else word
        if len(longer) > MAX_ID_CHARS:
            return out or word[:MAX_ID_CHARS]
        out = longer
    return out


def _check_id(source_id: str, folder: Path) -> None:
    if not is_id(source_id):
        better = id_like(source_id)
        raise AddError(
            f"{source_id!r} is not a valid id",
            (f"use `--id {better}` instead: " if better else "") + f"ids use {ID_RULE}",
        )
    taken = [s for s in ARCHIVED_SUFFIXES if _exists(folder / f"{source_id}{s}")]
    if taken:
        free = next(
            f"{source_id}-{n}"
            for n in range(2, 1000)
            if not any(_exists(folder / f"{source_id}-{n}{s}") for s in ARCHIVED_SUFFIXES)
        )
        raise AddError(
            f"{SOURCES}/{source_id}{taken[0]} already exists; `briefing add` never replaces a source",
            f"to archive this page as another source, give it another id: `--id {free}`",
        )


def _exists(path: Path) -> bool:
    return path.exists() or path.is_symlink()


# -- fetching -------------------------------------------------------------------------


def _is_web_address(source: str) -> bool:
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", source) is not None


def _check_url(url: str, what: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise AddError(
            f"{what} {url!r} is not an http(s) URL",
            "give the article's web address (https://...) or the path of a saved .html file",
        )
    if not spec.matches(spec.URL_FORM, url):
        raise AddError(
            f"{what} {url!r} holds characters a URL cannot hold as they are",
            "copy the address from the browser's address bar, which percent-encodes them",
        )


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT) -> Page:
    """GET `url`: the page and a WARC of the response, or an :class:`AddError`."""
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": _USER_AGENT,
            "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            final_url = response.geturl()
            headers: Message = response.headers
            _refuse_by_type(headers.get("Content-Type"), final_url)
            declared = headers.get("Content-Length", "")
            if declared.strip().isdigit() and int(declared) > MAX_PAGE_BYTES:
                raise _too_large(final_url, int(declared))
            body = _read_limited(response, deadline, final_url, timeout)
            status, reason, version = response.status, response.reason, response.version
    except AddError:
        raise
    except urllib.error.HTTPError as exc:
        raise _http_error(url, exc.code, exc.reason) from None
    except urllib.error.URLError as exc:
        raise _network_error(url, exc.reason, timeout) from None
    except TimeoutError:
        raise _timed_out(url, timeout) from None
    except http.client.HTTPException as exc:
        raise AddError(
            f"{url} sent a broken response ({type(exc).__name__})",
            "try again later;\n" + _SAVE_HINT,
        ) from None
    except (OSError, ValueError) as exc:
        raise _network_error(url, exc, timeout) from None
    html = _decoded_body(body, headers.get("Content-Encoding"), final_url)
    typed_html = "Content-Type" in headers and headers.get_content_type() in HTML_TYPES
    _refuse_by_content(html, final_url, declared_html=typed_html)
    warc = _warc_response(final_url, status, reason, version, headers, body)
    kind = headers.get("Content-Type", "no content type")
    described = f"the HTTP response ({status} {reason}, {kind}, {len(body):,} bytes)"
    return Page(html, final_url, headers.get_content_charset(), final_url, warc, described)


def _read_limited(response: Any, deadline: float, url: str, timeout: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    # read1: whatever has arrived, so a page that trickles in still meets the deadline.
    while chunk := response.read1(_READ_CHUNK):
        size += len(chunk)
        if size > MAX_PAGE_BYTES:
            raise _too_large(url, None)
        if time.monotonic() > deadline:
            raise _timed_out(url, timeout)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, size: int | None) -> AddError:
    got = f" ({size:,} bytes)" if size is not None else ""
    return AddError(
        f"{url} is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB{got}: not an article page",
        "check the address;\n" + _SAVE_HINT,
    )


def _timed_out(url: str, timeout: float) -> AddError:
    return AddError(
        f"{url} took longer than {timeout:g} s to send the page",
        f"try again later, or wait longer with `--timeout {max(timeout * 2, 60):g}`",
    )


def _http_error(url: str, code: int, reason: object) -> AddError:
    said = f"{code} {reason}".strip()
    if code in (404, 410):
        hint = "check the address: the page may have moved or been taken down"
    elif code in (401, 402, 403, 451):
        hint = "the site refuses the page to this program;\n" + _SAVE_HINT
    elif code == 429 or code >= 500:
        hint = "the site has a problem of its own: try again later"
    else:
        hint = "check the address in a browser"
    return AddError(f"{url} answered {said}", hint)


def _network_error(url: str, reason: object, timeout: float) -> AddError:
    host = urlsplit(url).hostname or url
    if isinstance(reason, TimeoutError):
        return _timed_out(url, timeout)
    if isinstance(reason, socket.gaierror):
        return AddError(
            f"cannot find the host {host!r} of {url}",
            "check the address for typing mistakes, and that this machine is online",
        )
    if isinstance(reason, ConnectionRefusedError):
        return AddError(
            f"{host} refused the connection for {url}",
            "check the address (and its port); the site may be down: try again later",
        )
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return AddError(
            f"no secure connection to {host}: {getattr(reason, 'reason', None) or reason}",
            "check the address;\n" + _SAVE_HINT,
        )
    detail = getattr(reason, "strerror", None) or str(reason)
    return AddError(
        f"cannot reach {url}: {detail}",
        "check the address and that this machine is online, then try again",
    )


def _refuse_by_type(content_type: str | None, url: str) -> None:
    """Refuse what is plainly not a web page before downloading it."""
    if content_type is None:
        return  # judged by its content instead
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in HTML_TYPES:
        return
    if kind == "application/pdf":
        raise _pdf(url)
    if kind.startswith("image/"):
        raise AddError(
            f"{url} is an image ({kind}), not a web page",
            "give the address of the article's page, not of a picture on it",
        )
    raise AddError(
        f"{url} is not a web page: the server says it is {kind or 'of no type'}",
        "give the address of the article's page;\n" + _SAVE_HINT,
    )


def _pdf(where: str) -> AddError:
    return AddError(
        f"{where} is a PDF; PDFs are not supported yet",
        "archive the article's web page instead, or copy the PDF's text into the source's "
        ".txt and write its .yml by hand",
    )


_SNIFF_BYTES = 64 * 1024
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*")


def _refuse_by_content(data: bytes, where: str, declared_html: bool = False) -> None:
    """Refuse bytes that are not an HTML document, whatever they were called.

    A PDF or an image is known by its first bytes even when the server calls it HTML;
    otherwise a page the server calls HTML is taken at its word, and anything else
    (a saved file, a response of no type) must show an HTML tag near its start.
    """
    head = data[:_SNIFF_BYTES]
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"%PDF-"):
        raise _pdf(where)
    if start.startswith(_IMAGE_MAGIC) or (start[:4] == b"RIFF" and start[8:12] == b"WEBP"):
        raise AddError(
            f"{where} is an image, not a web page",
            "give the article's page, not a picture on it",
        )
    if declared_html:
        return
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", "replace")
    elif b"\x00" in head:
        text = ""  # binary
    else:
        text = head.decode("utf-8", "replace")
    if not re.search(r"<(!doctype html|html|head|body|meta|title|p|div)\b", text.lower()):
        raise AddError(f"{where} is not an HTML page", _SAVE_HINT)


def _decoded_body(body: bytes, encoding: str | None, url: str) -> bytes:
    """The body without its content coding (asked for `identity`, a server may still gzip)."""
    coding = (encoding or "identity").strip().lower()
    try:
        if coding in ("identity", ""):
            return body
        if coding in ("gzip", "x-gzip"):
            return zlib.decompress(body, 16 + zlib.MAX_WBITS)
        if coding == "deflate":
            return zlib.decompress(body)
    except zlib.error:
        raise AddError(f"{url} sent a body that is not valid {coding}", _SAVE_HINT) from None
    raise AddError(
        f"{url} sent the page compressed as {coding!r}, which is not supported", _SAVE_HINT
    )


def _warc_writer(buffer: io.BytesIO) -> Any:
    from warcio.warcwriter import WARCWriter

    writer = WARCWriter(buffer, gzip=True)
    info = writer.create_warcinfo_record(
        "", {"software": f"briefing {__version__} (warcio)", "format": "WARC File Format 1.1"}
    )
    writer.write_record(info)
    return writer


def _warc_response(
    url: str, status: int, reason: str, version: int, headers: Message, body: bytes
) -> bytes:
    """One gzipped WARC holding the HTTP response: status line, headers as sent, body."""
    from warcio.statusandheaders import StatusAndHeaders

    buffer = io.BytesIO()
    writer = _warc_writer(buffer)
    protocol = "HTTP/1.0" if version == 10 else "HTTP/1.1"
    http_headers = StatusAndHeaders(f"{status} {reason}", list(headers.items()), protocol=protocol)
    payload = body
    if "chunked" in headers.get("Transfer-Encoding", "").lower():
        # http.client removed the chunk framing; the headers say it is there, so the
        # body goes back into (one) chunk and WARC readers take it apart as sent.
        payload = (b"%x\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"
    record = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(payload),
        length=len(payload),
        http_headers=http_headers,
    )
    writer.write_record(record)
    return buffer.getvalue()


def read_saved(path: Path, url: str | None) -> Page:
    """A page saved from a browser: its bytes and a WARC `resource` record of them."""
    shown = str(path)
    if not _exists(path):
        raise AddError(
            f"{shown}: no such file",
            "give the path of a page saved from a browser (.html or .htm), or an http(s) URL",
        )
    if path.is_dir():
        raise AddError(f"{shown} is a folder", "give the path of the saved .html file inside it")
    if path.suffix.lower() == ".pdf":
        raise _pdf(shown)
    if path.suffix.lower() not in SAVED_SUFFIXES:
        raise AddError(
            f"{shown} is not a saved web page (.html or .htm)",
            "save the article's page from a browser as HTML, or give its http(s) URL",
        )
    try:
        size = path.stat().st_size
        if size > MAX_PAGE_BYTES:
            raise AddError(
                f"{shown} is larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB: not an article page",
                "save the page as 'Web page, HTML only', without its pictures and files",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise AddError(f"cannot read {shown}: {exc.strerror or exc}") from None
    _refuse_by_content(data, shown)
    buffer = io.BytesIO()
    writer = _warc_writer(buffer)
    record = writer.create_warc_record(
        url or path.resolve().as_uri(),
        "resource",
        payload=io.BytesIO(data),
        length=len(data),
        warc_content_type="text/html",
    )
    writer.write_record(record)
    described = f"the saved page ({len(data):,} bytes) as a resource record"
    return Page(data, shown, None, None, buffer.getvalue(), described)


# -- extraction -----------------------------------------------------------------------


@contextmanager
def _quiet_libraries() -> Iterator[None]:
    """trafilatura and htmldate log what they skip; an editor needs none of it."""
    loggers = [logging.getLogger(name) for name in ("trafilatura", "htmldate", "courlan")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _html_text(page: Page) -> str | bytes:
    """The page as text when the server named a charset that decodes it; else the bytes,
    for trafilatura to decode (it reads `<meta charset>` and guesses)."""
    if page.charset:
        try:
            codecs.lookup(page.charset)
            return page.html.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return page.html


def extract(page: Page, url: str | None) -> Article:
    """The article's text and metadata, or an :class:`AddError` when there is no article."""
    import htmldate
    import trafilatura
    from trafilatura.settings import Document
    from trafilatura.utils import load_html

    where = page.where
    html = _html_text(page)
    with _quiet_libraries():
        # Each step gets its own tree: trafilatura prunes the one it is given.
        tree = load_html(html)
        if tree is None:
            raise AddError(f"{where} is not an HTML page trafilatura can read", _SAVE_HINT)
        document = trafilatura.bare_extraction(
            tree,
            url=page.url or url,
            include_comments=False,  # readers' comments are not the article
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=False,
            deduplicate=False,
            with_metadata=True,
        )
        # htmldate on its own: only dates the page states (its metadata, <time>, a
        # dateline), never its "extensive" guess from any date in the text.
        published = htmldate.find_date(
            load_html(html),
            extensive_search=False,
            original_date=True,
            url=page.url or url,
            outputformat="%Y-%m-%d",
        )
    if document is None or isinstance(document, dict):  # dict only when asked for
        document = Document()
    blocks = _blocks(document.body) if document.body is not None else []
    text = "\n\n".join(blocks)
    if len(text) < MIN_TEXT_CHARS:
        found = f"only {len(text)} characters of text" if text else "no article text"
        raise AddError(
            f"{where}: {found} found; is it an article's page?",
            "an index page, a paywall or a page built by scripts shows no article to a program;\n"
            + _SAVE_HINT,
        )
    title = " ".join((document.title or "").split())
    if not title:
        raise AddError(
            f"{where}: no headline found (no <title>, <h1> or metadata names one)",
            "save the page, put the headline in its <title>, and run `briefing add` on the file",
        )
    if url is None and document.url and spec.matches(spec.URL_FORM, document.url):
        url = document.url  # a saved page's own address: its canonical link or og:url
    authors = [" ".join(a.split()) for a in (document.author or "").split(";")]
    return Article(
        title=title,
        text=text + "\n",
        blocks=len(blocks),
        publisher=_publisher(document.sitename, url),
        authors=[a for a in dict.fromkeys(authors) if a],
        published=published if isinstance(published, str) else None,
        url=url,
    )


def _publisher(sitename: str | None, url: str | None) -> str | None:
    """The outlet as the page names it; a host name (trafilatura's fallback) is not one."""
    name = " ".join((sitename or "").split())
    if not name:
        return None
    host = (urlsplit(url).netloc if url else "").lower()
    bare = name.lower().removeprefix("www.")
    if bare in (host, host.removeprefix("www.")) or re.fullmatch(r"[\w.:-]+\.[\w:-]+", name):
        return None
    return name


_WS = re.compile(r"[ \t\n\r\f\v]+")
"""ASCII white space only: a no-break or thin space is part of the typography."""


def _blocks(body: Any) -> list[str]:
    """The extracted body as text blocks: headings, paragraphs, quotes, list items, rows."""
    out: list[str] = []
    for element in body:
        tag = element.tag
        if tag == "list":
            out.extend(_inline(item) for item in element.iter("item"))
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_inline(cell) for cell in row.iter("cell")]
                out.append(" | ".join(c for c in cells if c))
        elif tag == "quote" and len(element) and all(c.tag in ("p", "quote") for c in element):
            out.extend(_inline(child) for child in element)
        else:
            out.append(_inline(element))
        if element.tail and element.tail.strip():
            out.append(_WS.sub(" ", element.tail).strip())
    return [block for block in out if block]


def _inline(element: Any) -> str:
    """One block's text, white space collapsed; a line break (`<lb/>`) kept as one."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if node.tag == "lb":
            parts.append("\n")
        elif node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    lines = (_WS.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


# -- the record -----------------------------------------------------------------------


def _scalar(value: str) -> str:
    """`value` as a YAML scalar: plain where YAML reads it back as the same text."""
    dumped: str = yaml.safe_dump(value, allow_unicode=True, width=1 << 30, default_style=None)
    return dumped.removesuffix("\n").removesuffix("\n...").removesuffix("\n")


def record_text(article: Article, accessed: str, schema: bool = True) -> str:
    """The source record as an editor would write it."""
    lines = ["# yaml-language-server: $schema=../../schema/source.schema.json"] if schema else []
    lines.append(
        f"# Written by `briefing add` on {accessed}; correct any field the page got wrong."
    )
    lines.append(f"title: {_scalar(article.title)}")
    if article.publisher:
        lines.append(f"publisher: {_scalar(article.publisher)}")
    if article.authors:
        lines.append("authors:")
        lines.extend(f"  - {_scalar(author)}" for author in article.authors)
    if article.url:
        lines.append(f"url: {_scalar(article.url)}")
    if article.published:
        lines.append(f"published: {article.published}")
    lines.append(f"accessed: {accessed}")
    digest = text_sha256(article.text)
    # A digest of digits with at most one `e` would read as a number to YAML 1.2 tools.
    plain = re.fullmatch(r"[0-9]*e?[0-9]*", digest) is None
    lines.append(f"text_sha256: {digest}" if plain else f'text_sha256: "{digest}"')
    return "\n".join(lines) + "\n"


def _verify_record(record: str, source_id: str, text: str) -> None:
    """The record must read back, by the checker's own rules, without a problem."""
    rel = f"{SOURCES}/{source_id}.yml"
    report = Report()
    source = build_source(parse_yaml(record, rel, report), source_id, text, report)
    if source is None or report.items:
        problems = "; ".join(d.message for d in report.items) or "it does not read back"
        raise AddError(
            f"the page's metadata does not make a valid record: {problems}",
            "save the page and correct its metadata, or write the record by hand",
        )


__all__ = ["AddError", "Added", "add", "extract", "fetch", "read_saved", "slug"]
