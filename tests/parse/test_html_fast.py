"""parse_html's fast paths against what they replace.

_extract runs bare_extraction's steps without copying the page tree or building an Extractor per
page: the same trafilatura Document as bare_extraction(tree, url=url, **_OPTIONS). _inline_text
and _lines render a block with str.split() instead of a regex per line: the same text as
_inline_text_reference below, the code they replaced.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura import bare_extraction
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

import pipeline.parse.html as H

sys.path.insert(0, str(Path(__file__).parent))
from test_html import PAGE  # noqa: E402

_SPACES = re.compile(r"[^\S\n]+")


def _inline_text_reference(el, skip=None) -> str:
    """pipeline.parse.html._inline_text before its fast paths."""
    parts: list[str] = []
    skipped = skip or []

    def walk(node) -> None:
        if node.text:
            parts.append(node.text)
        for child in node:
            if child in skipped:
                pass
            elif child.tag == "lb":
                parts.append("\n")
            elif child.tag in H._BLOCK_TAGS or child.tag in ("item", "row"):
                parts.append("\n")
                walk(child)
                parts.append("\n")
            elif child.tag == "cell":
                walk(child)
                parts.append(" ")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def test_regex_whitespace_is_str_whitespace() -> None:
    # _lines rests on it: \s (what _SPACES matched) and str.split()/strip() know the same characters
    space = re.compile(r"\s")
    for code in range(0x110000):
        ch = chr(code)
        assert (space.match(ch) is not None) == ch.isspace(), hex(code)


# trafilatura's output vocabulary, with text made of words and every kind of space and line break
# (that XML allows: no C0 control but tab and newline)
_TAGS = ["p", "hi", "lb", "head", "list", "item", "quote", "table", "row", "cell", "code", "div", "ref", "del"]
_TEXT = st.lists(st.sampled_from(["word", "Two", " ", "  ", "\n", "\t", "\u00a0", "\u2003", "\u3000",
                                  "\u2028", "\x85", ".", "é"]), max_size=6).map("".join)


@st.composite
def _trees(draw, depth: int = 0):
    el = etree.Element(draw(st.sampled_from(_TAGS)))
    el.text = draw(st.one_of(st.none(), _TEXT))
    el.tail = draw(st.one_of(st.none(), _TEXT))
    if depth < 3:
        for _ in range(draw(st.integers(0, 3))):
            el.append(draw(_trees(depth + 1)))
    return el


def _lines_reference(text: str) -> str:
    return "\n".join(line for line in (_SPACES.sub(" ", x).strip() for x in text.split("\n")) if line)


@settings(max_examples=300, deadline=None)
@given(_TEXT, _TEXT, _TEXT)
def test_lines_are_the_reference(a, b, c) -> None:
    text = a + b + c
    assert H._lines(text) == _lines_reference(text)


@settings(max_examples=150, deadline=None)
@given(_trees())
def test_inline_text_is_the_reference_on_any_block(tree) -> None:
    for el in tree.iter():
        assert H._inline_text(el) == _inline_text_reference(el)
        nested = [child for child in el if child.tag == "list"]
        assert H._inline_text(el, skip=nested) == _inline_text_reference(el, skip=nested)


def _same_document(a, b) -> None:
    assert (a is None) == (b is None)
    if a is None:
        return
    for field in ("title", "author", "url", "hostname", "description", "sitename", "date", "categories",
                  "tags", "fingerprint", "id", "license", "language", "image", "pagetype", "filedate",
                  "raw_text", "text", "comments"):
        assert getattr(a, field) == getattr(b, field), field
    assert etree.tostring(a.body) == etree.tostring(b.body)
    assert etree.tostring(a.commentsbody) == etree.tostring(b.commentsbody)


@pytest.mark.parametrize("url", [None, "https://gazette.example.com/news/council-budget", "https://example.org/x"])
def test_extract_is_bare_extraction_on_the_inline_page(url) -> None:
    _same_document(H._extract(load_html(PAGE), url), bare_extraction(load_html(PAGE), url=url, **H._OPTIONS))


def test_extract_is_bare_extraction_on_corpus_pages(zyte_dir: Path) -> None:
    pages = sorted((zyte_dir / "html").glob("*.html"))[::6]
    assert pages
    for path in pages:
        text = path.read_text(encoding="utf-8", errors="replace")
        _same_document(H._extract(load_html(text), None), bare_extraction(load_html(text), **H._OPTIONS))


@pytest.mark.parametrize("page", [
    "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    "<html><body><p></p></body></html>",   # no text: None from both
    "<html><head><title>T</title></head><body><p>Too short.</p></body></html>",
    "<html><body><article><p>" + "A sentence of an article that goes on. " * 8 + "</p></article></body></html>",
])
def test_extract_is_bare_extraction_on_small_pages(page: str) -> None:
    _same_document(H._extract(load_html(page), None), bare_extraction(load_html(page), **H._OPTIONS))


@pytest.mark.parametrize("url", [None, "https://example.org/a", "https://example.org/\udcff"])
def test_extractor_template_is_the_extractor_bare_extraction_builds(url) -> None:
    built = Extractor(output_format="xml", precision=True, comments=False, formatting=False, links=False,
                      images=False, tables=True, dedup=False, with_metadata=True, url=url)
    ours = H._extractor(url)
    for slot in Extractor.__slots__:
        assert getattr(ours, slot) == getattr(built, slot), slot
    assert H._extractor(None) is H._extractor(None)     # one template per day
    assert ours.url == url and H._extractor(None).url is None


def _blocks_reference(body):
    """pipeline.parse.html._blocks before its paragraph fast path."""
    if body.text and body.text.strip():
        yield H.Block("paragraph", H._clean(body.text))
    for child in body:
        yield from H._element_blocks(child, 0)
        if child.tail and child.tail.strip():
            yield H.Block("paragraph", H._clean(child.tail))


@settings(max_examples=150, deadline=None)
@given(_trees())
def test_blocks_are_the_reference_on_any_body(body) -> None:
    body.tag = "body"
    assert list(H._blocks(body)) == list(_blocks_reference(body))
