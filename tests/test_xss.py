"""Nothing gets in: hostile text in every field is shown literally, never run.

Each payload goes into every text field an editor writes: claim text, quote (the
archived text holds it, so the quote checks), `via`, section heading, topic title,
source title, publisher, relays, briefing title and `prepared_by`. The site and the
PDFs are built, then read back: no script but the theme's own, no event-handler
attribute, no `javascript:` (or `data:`, `vbscript:`) link anywhere, and every payload
readable, character for character, on the pages and in the PDF text.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import make_project
from pypdf import PdfReader

from generator.cli import main
from generator.textmatch import normalise

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "[x](javascript:alert(3))",
    '<a href="javascript:alert(4)">link</a>',
    "![x](javascript:alert(5))",
    "[^1]",
    '{: onclick="alert(6)" }',
    "{{ 7*7 }}",
    "{% raw %}",
    "</title><script>alert(7)</script>",
    '"><svg onload=alert(8)>',
    "'><details open ontoggle=alert(9)>",
    "&lt;script&gt;alert(10)&lt;/script&gt;",
    "<javascript:alert(11)>",
    "<https://evil.example/>",
    "<!-- hidden",
    "<iframe src=javascript:alert(12)></iframe>",
    "<style>body{display:none}</style>",
    "`code` \\_not\\_ a * b",
    "$x$ :material-alert: ==mark== ~~strike~~ ^sup^",
    "<<script>script>alert(13)<</script>/script>",
    "%3Cscript%3Ealert(14)%3C/script%3E",
]
# Every payload in one line, for the fields a page holds once (titles, publisher...).
ALL = " · ".join(PAYLOADS)
# Characters a URL may hold that mean something to Markdown or HTML.
URL = "https://news.example.org/harbour/it's_(*here*)?a=[1]&b=2~3#top"
ARCHIVE_URL = "https://archive.example.org/web/2025/https://news.example.org/harbour?x='1'"
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "xlink:href", "poster")
# The theme's bundle, and the briefing's own two (its script and the worker shim that
# lets search run from a folder), both shipped in the package.
THEME_SCRIPT = re.compile(
    r"^(\.\./)*/?assets/(javascripts/bundle\.[0-9a-f]+\.min|briefing|iframe-worker-shim)\.js$"
)
# The theme's own inline scripts begin so (they set its scope, palette and anchor target).
THEME_INLINE = ("__md_scope=new URL(", "var palette=__md_get(", "var target=document.")


def yaml_text(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def hostile_project(root: Path) -> Path:
    archived = ["Harbour news"]
    sections = []
    claims = []
    for number, payload in enumerate(PAYLOADS):
        quote = f"Sign {number} read {payload} on the quay"
        archived.append(f"{quote}.")
        claims.append(f"claim-{number}")
        sections.append(
            f"  - heading: {yaml_text(payload)}\n"
            "    claims:\n"
            f"      - id: claim-{number}\n"
            f"        text: {yaml_text(f'Officials said {payload} today')}\n"
            "        date: 2024-12\n"
            "        cites:\n"
            "          - source: harbour-news\n"
            f"            quote: {yaml_text(quote)}\n"
            f"            via: {yaml_text(payload)}\n"
        )
    topic = (
        f"title: {yaml_text(ALL)}\nkey_points: [{claims[0]}, {claims[1]}]\nsections:\n"
        + "".join(sections)
    )
    source = (
        f"title: {yaml_text(ALL)}\npublisher: {yaml_text(ALL)}\n"
        f"url: {yaml_text(URL)}\narchive_url: {yaml_text(ARCHIVE_URL)}\n"
        "published: 2024-12-17\naccessed: 2025-01-02\n"
        f"relays: {json.dumps(PAYLOADS, ensure_ascii=False)}\n"
    )
    briefing = (
        f"title: {yaml_text(ALL)}\nas_of: 2025-01-31\nprepared_by: {yaml_text(ALL)}\n"
        "topics: [ports]\n"
    )
    return make_project(
        root,
        {
            "briefs/briefing.yml": briefing,
            "briefs/topics/ports.yml": topic,
            "briefs/sources/harbour-news.yml": source,
            "briefs/sources/harbour-news.txt": "\n".join(archived) + "\n",
        },
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = hostile_project(tmp_path_factory.mktemp("xss") / "p")
    assert main(["build", "--root", str(root)]) == 0
    return root / "site"


def visible(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def pages(site: Path) -> list[tuple[Path, BeautifulSoup]]:
    return [
        (file, BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser"))
        for file in sorted(site.rglob("*.html"))
    ]


def test_no_script_but_the_themes_own(built: Path) -> None:
    for file, soup in pages(built):
        for script in soup.find_all("script"):
            where = f"{file.relative_to(built)}: {str(script)[:120]}"
            if script.get("src"):
                assert THEME_SCRIPT.match(script["src"]), where
                continue
            body = script.get_text()
            if script.get("type") == "application/ld+json":
                # Data, not code: the payloads may be in it, but only as JSON strings of
                # one intact document (a `</script>` in it would have cut it short).
                json.loads(body)
                continue
            if script.get("type") == "application/json":
                assert script.get("id") == "__config", where
                json.loads(body)  # the configuration is still one intact JSON document
            else:
                assert body.startswith(THEME_INLINE), where
            assert "alert(" not in body, where


def test_no_event_handler_attribute_and_no_script_url(built: Path) -> None:
    for file, soup in pages(built):
        for element in soup.find_all(True):
            for name, value in element.attrs.items():
                where = f"{file.relative_to(built)}: <{element.name} {name}={value!r}>"
                assert not name.lower().startswith("on"), where
                if name.lower() in URL_ATTRIBUTES:
                    scheme = re.sub(r"[\x00-\x20]", "", str(value)).lower()
                    assert not scheme.startswith(("javascript:", "vbscript:", "data:")), where
        for tag in ("iframe", "object", "embed", "img", "style", "details"):
            inside = [e for e in soup.find_all(tag) if e.find_parent("article")]
            assert not inside, f"{file.relative_to(built)}: <{tag}> in the content"


def test_the_search_index_is_as_safe_as_the_pages(built: Path) -> None:
    """The theme's search shows titles and text from the index as HTML."""
    index = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    shown = ""
    for doc in index["docs"]:
        soup = BeautifulSoup(f"<h1>{doc['title']}</h1>{doc['text']}", "html.parser")
        assert not soup.find_all(["script", "img", "iframe", "style", "svg", "a", "details"])
        for element in soup.find_all(True):
            assert not [a for a in element.attrs if a.lower().startswith("on")], element
        shown += " " + visible(soup)
    for payload in PAYLOADS:
        assert " ".join(payload.split()) in shown, payload


def test_urls_reach_the_links_exactly_as_written(built: Path) -> None:
    source = BeautifulSoup(
        (built / "sources/harbour-news/index.html").read_text(encoding="utf-8"), "html.parser"
    )
    hrefs = [a["href"] for a in source.select("article a[href]")]
    assert URL in hrefs and ARCHIVE_URL in hrefs
    topic = BeautifulSoup((built / "topics/ports/index.html").read_text(), "html.parser")
    originals = [a["href"] for a in topic.select("article a[href]") if ":~:text=" in a["href"]]
    assert len(originals) == len(PAYLOADS)
    # The text directive joins the article's own fragment: a second `#` would break it.
    for href in originals:
        assert href.startswith(URL + ":~:text=") and href.count("#") == 1, href


def test_titles_cannot_break_out_of_the_head(built: Path) -> None:
    for file, soup in pages(built):
        assert soup.head is not None and soup.title is not None, file
        assert soup.title.string is not None, file
        # One <title> in the head (an SVG figure may hold its own, for screen readers).
        assert len(soup.head.find_all("title")) == 1, file
    topic = BeautifulSoup((built / "topics/ports/index.html").read_text(), "html.parser")
    assert topic.title is not None and topic.title.string is not None
    assert " ".join(topic.title.string.split()).startswith(ALL)


@pytest.mark.parametrize(
    ("page", "needles"),
    [
        ("index.html", [ALL]),  # briefing title, prepared by, topic title
        ("topics/ports/index.html", [ALL, *PAYLOADS]),  # heading, claim, via, quote
        ("sources/harbour-news/index.html", [ALL, *PAYLOADS]),  # title, publisher, relays
        ("sources/index.html", [ALL]),
        ("timeline/index.html", PAYLOADS),  # claim texts by date
    ],
)
def test_every_payload_is_shown_literally(built: Path, page: str, needles: list[str]) -> None:
    file = built / page
    assert file.is_file(), f"the site has no {page}"
    soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article") or soup
    text = visible(article)
    for needle in needles:
        assert " ".join(needle.split()) in text, f"{page}: {needle!r} not shown as written"
    if page.startswith("topics/"):
        for number, payload in enumerate(PAYLOADS):
            claim = article.select_one(f"#claim-{number}")
            assert claim is not None and f"Officials said {payload} today" in visible(claim)
            assert f"Sign {number} read {payload} on the quay" in text  # the footnote's quote
            assert f"Attributed to {payload}." in text


def pdf_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return "".join(normalise(out.stdout).split())


def pdf_links(pdf: Path) -> list[str]:
    links = []
    for page in PdfReader(pdf).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                links.append(str(action["/URI"]))
            assert action is None or action.get("/S") in ("/URI", "/GoTo", None), action
    return links


@pytest.mark.parametrize("pdf", ["briefing.pdf", "pdf/ports.pdf"])
def test_pdfs_print_every_payload_and_link_only_to_the_web(built: Path, pdf: str) -> None:
    text = pdf_text(built / pdf)
    for payload in PAYLOADS:
        assert "".join(normalise(payload).split()) in text, f"{pdf}: {payload!r} not printed"
    for sentence in ("Officials said", "Sign 0 read", "Attributed to"):
        assert "".join(sentence.split()) in text
    links = pdf_links(built / pdf)
    assert links, "the PDF links to the original article"
    for link in links:
        assert link.startswith(("https://", "http://")), link
