"""Unit tests of the HTML parser and its sandbox on small inline pages."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from pipeline.model import Document, RawDocument, Reason, Source, StageError
from pipeline.parse.html import parse_html
from pipeline.parse.sandbox import HtmlSandbox

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

    monkeypatch.setattr(html_mod, "bare_extraction", boom)
    with pytest.raises(StageError) as info:
        parse_html(raw_of(PAGE))
    assert info.value.reason == Reason.HTML_CRASH


# --- sandbox: test hooks must be module-level so the workers can import them by name ---

def slow_on_marker(raw: RawDocument) -> Document:
    if "SLEEP-FOREVER" in raw.text:
        time.sleep(60)
    if "LOOP-FOREVER" in raw.text:
        while True:
            pass
    if "DIE-NOW" in raw.text:
        import os

        os._exit(3)
    return parse_html(raw)


@pytest.fixture(scope="module")
def sandbox():
    with HtmlSandbox(workers=2, parse_fn=slow_on_marker) as sb:
        yield sb


def test_sandbox_parses_like_parse_html(sandbox: HtmlSandbox) -> None:
    got = sandbox.parse(raw_of(PAGE), timeout_s=30)
    want = parse_html(raw_of(PAGE))
    assert got.blocks == want.blocks and got.signals == want.signals
    assert got.raw.text == PAGE


@pytest.mark.parametrize("marker", ["SLEEP-FOREVER", "LOOP-FOREVER"])
def test_sandbox_timeout_then_keeps_working(sandbox: HtmlSandbox, marker: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(StageError) as info:
        sandbox.parse(raw_of(PAGE + f"<!-- {marker} -->"), timeout_s=1.0)
    assert info.value.reason == Reason.HTML_TIMEOUT
    assert time.monotonic() - t0 < 10
    assert PARAS[0] in sandbox.parse(raw_of(PAGE), timeout_s=30).body


def test_sandbox_worker_death_is_crash(sandbox: HtmlSandbox) -> None:
    with pytest.raises(StageError) as info:
        sandbox.parse(raw_of(PAGE + "<!-- DIE-NOW -->"), timeout_s=30)
    assert info.value.reason == Reason.HTML_CRASH
    assert PARAS[1] in sandbox.parse(raw_of(PAGE), timeout_s=30).body


def test_sandbox_many_keeps_order_and_isolates_failures(sandbox: HtmlSandbox) -> None:
    raws = [raw_of(PAGE, f"p{i}.html") for i in range(40)]
    raws[5] = raw_of(PAGE + "<!-- SLEEP-FOREVER -->", "slow.html")
    raws[22] = raw_of("<html><body></body></html>", "empty.html")
    results = sandbox.parse_many(raws, timeout_s=1.0)
    assert len(results) == 40
    assert isinstance(results[5], StageError) and results[5].reason == Reason.HTML_TIMEOUT
    assert isinstance(results[22], StageError) and results[22].reason == Reason.NO_ARTICLE
    for i, res in enumerate(results):
        if i not in (5, 22):
            assert isinstance(res, Document) and res.raw is raws[i]


def test_sandbox_logs_each_failure_kind_once(caplog: pytest.LogCaptureFixture) -> None:
    empty = [raw_of("<html><body></body></html>", f"e{i}.html") for i in range(5)]
    with HtmlSandbox(workers=1) as sb, caplog.at_level("WARNING", logger="pipeline.parse.sandbox"):
        results = sb.parse_many(empty, timeout_s=30)
    assert all(isinstance(r, StageError) and r.reason == Reason.NO_ARTICLE for r in results)
    assert len([r for r in caplog.records if "no_article" in r.getMessage()]) == 1
    assert sb.counts["no_article"] == 5


def test_sandbox_from_worker_threads(sandbox: HtmlSandbox) -> None:
    # Prefect runs tasks in threads, where signal.alarm cannot be used
    from concurrent.futures import ThreadPoolExecutor

    raws = [raw_of(PAGE, f"t{i}.html") for i in range(6)] + [raw_of(PAGE + "<!-- LOOP-FOREVER -->")]

    def one(raw: RawDocument) -> str:
        try:
            return sandbox.parse(raw, timeout_s=1.0).blocks[0].kind
        except StageError as exc:
            return exc.reason.value

    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(one, raws))
    assert got == ["paragraph"] * 6 + ["html_timeout"]
