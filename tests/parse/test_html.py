"""Unit tests of the HTML parser on small inline pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.model import Document, RawDocument, Reason, Source, StageError
from pipeline.parse.html import parse_html

PARAS = [
    "The city council voted on Tuesday to approve the new budget for the coming year, "
    "which includes funding for three new libraries and a renovated central park.",
    "Opponents argued that the spending plan relies on optimistic revenue forecasts and "
    "warned that property taxes could rise if the economy slows down next spring.",
    "The mayor said she would sign the measure this week. \u201cThis budget invests in every "
    "neighborhood,\u201d she told reporters after the meeting at city hall.",
    "A final vote on the related transport plan is expected in December, officials said, "
    "after two more public hearings in the northern and southern districts.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB"><head>
<title>Council approves budget | Springfield Gazette</title>
<meta property="og:title" content="Council approves budget">
<meta property="og:site_name" content="Springfield Gazette">
<meta property="og:url" content="https://gazette.example.com/news/council-budget">
<meta name="author" content="Jane Roe; John Doe">
<meta property="article:published_time" content="2021-03-02T10:00:00Z">
<meta property="article:modified_time" content="2021-03-03T08:30:00Z">
<meta property="article:section" content="Politics">
<meta name="keywords" content="budget, council, libraries">
<meta name="description" content="The council approved a budget with three new libraries.">
<style>.x {{ color: red }} body {{ font-family: STYLESHEETTEXT }}</style>
<script>var tracker = "SCRIPTTEXT"; function f() {{ return 1; }}</script>
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News NAVLINK</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Council approves budget</h1>
<h2>The council approved a budget with three new libraries.</h2>
<p>{PARAS[0]}</p>
<p>{PARAS[1]}</p>
<script>document.write("INLINESCRIPT");</script>
<h3>What happens next</h3>
<p>{PARAS[2]}</p>
<p>{PARAS[3]}</p>
</article></main>
<footer><p>Copyright 2021 Springfield Gazette FOOTERTEXT. All rights reserved.</p>
<ul><li><a href="/about">About us</a></li><li><a href="/contact">Contact</a></li></ul></footer>
</body></html>"""


def raw_of(html: str, name: str = "page.html") -> RawDocument:
    return RawDocument(Source(Path("/tmp") / name, name, len(html), ""), html, "html", "utf-8")


@pytest.fixture(scope="module")
def doc() -> Document:
    return parse_html(raw_of(PAGE))


def test_paragraphs_kept_one_blank_line_apart(doc: Document) -> None:
    for para in PARAS:
        assert para in doc.body
    assert f"{PARAS[0]}\n\n{PARAS[1]}" in doc.body
    assert "\n\n\n" not in doc.body
    assert [b.text for b in doc.blocks if b.kind == "paragraph"] == PARAS


def test_headings_are_blocks_and_headline_is_not_in_body(doc: Document) -> None:
    headings = [b for b in doc.blocks if b.kind == "heading"]
    assert [(h.text, h.level) for h in headings] == [("What happens next", 3)]
    assert "Council approves budget" not in doc.body


def test_nav_footer_script_style_absent(doc: Document) -> None:
    for marker in ("NAVLINK", "FOOTERTEXT", "SCRIPTTEXT", "INLINESCRIPT", "STYLESHEETTEXT", "About us"):
        assert marker not in doc.body


def test_metadata_signals(doc: Document) -> None:
    s = doc.signals
    assert s.title == "Council approves budget"
    assert s.authors == ("Jane Roe", "John Doe")
    assert s.published == (("2021-03-02", "html_metadata"),)
    assert ("2021-03-03T08:30:00Z", "meta_modified") in s.updated
    assert s.site_name == "Springfield Gazette"
    assert s.url == "https://gazette.example.com/news/council-budget"
    assert s.language == "en-GB"
    assert {"Politics", "budget", "council", "libraries"} <= set(s.tags)


def test_dek_heading_matching_description_becomes_subtitle(doc: Document) -> None:
    assert doc.signals.subtitle == "The council approved a budget with three new libraries."
    assert doc.signals.subtitle not in doc.body


def test_description_alone_is_not_a_subtitle() -> None:
    page = PAGE.replace("<h2>The council approved a budget with three new libraries.</h2>", "")
    assert parse_html(raw_of(page)).signals.subtitle is None


def test_lists_and_quotes_become_their_own_blocks() -> None:
    page = PAGE.replace(
        "<h3>What happens next</h3>",
        "<ul><li>First point about the budget vote in detail</li><li>Second point about taxes</li></ul>"
        "<blockquote><p>We will keep every promise we made to the voters of this city.</p></blockquote>",
    )
    kinds = {b.text: b.kind for b in parse_html(raw_of(page)).blocks}
    assert kinds.get("First point about the budget vote in detail") == "list_item"
    assert kinds.get("Second point about taxes") == "list_item"
    assert kinds.get("We will keep every promise we made to the voters of this city.") == "quote"


@pytest.mark.parametrize("html", [
    "<html><head><title>Nothing</title></head><body></body></html>",
    # a lone link is returned by trafilatura's fallback as text ("Home"); a real chrome-only page
    # has menus and a footer, which it recognises
    "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
    "<li><a href='/sport'>Sport</a></li></ul></nav>"
    "<footer><p>Copyright 2021 Example Media. All rights reserved.</p></footer></body></html>",
    "<html><body><script>var a = 1;</script></body></html>",
])
def test_empty_page_is_no_article(html: str) -> None:
    with pytest.raises(StageError) as info:
        parse_html(raw_of(html))
    assert info.value.reason == Reason.NO_ARTICLE


def test_trafilatura_raising_is_html_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.parse.html as html_mod

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    # _extract runs trafilatura's steps itself (its release pinned) or calls bare_extraction
    monkeypatch.setattr(html_mod, "bare_extraction", boom)
    monkeypatch.setattr(html_mod, "trafilatura_sequence", boom)
    with pytest.raises(StageError) as info:
        parse_html(raw_of(PAGE))
    assert info.value.reason == Reason.HTML_CRASH
