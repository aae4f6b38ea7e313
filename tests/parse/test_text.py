"""Unit tests of the text/Markdown block parser on small inline strings."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.model import RawDocument, Source, StageError
from pipeline.parse.text import inline_markdown, looks_like_markdown, parse_text


def _doc(text: str, fmt: str = "txt"):
    raw = RawDocument(Source(Path("/x"), "x", len(text), "0"), text, fmt, "utf-8")
    return parse_text(raw)


def _kinds(text: str, fmt: str = "txt"):
    return [(b.kind, b.text, b.level, b.line) for b in _doc(text, fmt).blocks]


def test_plain_text_one_block_per_line_with_line_numbers() -> None:
    blocks = _kinds("Title here\n\nFirst line.\nSecond line.\n")
    assert blocks == [("paragraph", "Title here", 0, 1), ("paragraph", "First line.", 0, 3),
                      ("paragraph", "Second line.", 0, 4)]


def test_plain_text_bullets_are_list_items_with_depth() -> None:
    blocks = _kinds("• Home\n    • World\n- News\n* Sport\n-5 degrees tonight\n")
    assert blocks[0] == ("list_item", "Home", 0, 1)
    assert blocks[1] == ("list_item", "World", 2, 2)
    assert [b[0] for b in blocks[2:]] == ["list_item", "list_item", "paragraph"]
    assert blocks[4][1] == "-5 degrees tonight"


def test_plain_text_entities_and_spaces() -> None:
    assert _kinds("Tom &amp; Jerry\u00a0 say&nbsp;hi")[0][1] == "Tom & Jerry say hi"


def test_markdown_headings_atx_and_setext() -> None:
    blocks = _kinds("# Big title #\n\nSub title\n---------\n\nText.\n", "md")
    assert blocks[0][:3] == ("heading", "Big title", 1)
    assert blocks[1][:3] == ("heading", "Sub title", 2)
    assert blocks[2][:2] == ("paragraph", "Text.")


def test_markdown_inline_markup() -> None:
    text = "A **bold** and *em* and _under_ word, [link text](http://x.org/a) ![img](p.png) `code`."
    assert inline_markdown(text) == "A bold and em and under word, link text code."
    assert inline_markdown("snake_case_name and 2*3*4") == "snake_case_name and 2*3*4"


def test_markdown_paragraph_joins_soft_lines_and_splits_hard_breaks() -> None:
    blocks = _kinds("Peter Symonds  \n21 March 2013\n\nOne line\ncontinues here.\n", "md")
    assert blocks == [("paragraph", "Peter Symonds", 0, 1), ("paragraph", "21 March 2013", 0, 2),
                      ("paragraph", "One line continues here.", 0, 4)]


def test_markdown_lists_quotes_rules_and_code() -> None:
    blocks = _kinds("- one\n  - two\n1. three\n\n> quoted\n> more\n\n***\n\n```\nx = 1\n```\n", "md")
    assert blocks[0][:3] == ("list_item", "one", 0)
    assert blocks[1][:3] == ("list_item", "two", 1)
    assert blocks[2][:2] == ("list_item", "three")
    assert blocks[3][:3] == ("quote", "quoted more", 1)
    assert blocks[4][:2] == ("code", "x = 1")
    assert len(blocks) == 5


def test_markdown_front_matter_becomes_meta() -> None:
    blocks = _kinds("---\ntitle: Hello\ndate: 2020-01-02\n---\n\nBody text.\n", "md")
    assert blocks[0][:2] == ("meta", "title: Hello")
    assert blocks[1][:2] == ("meta", "date: 2020-01-02")
    assert blocks[2][:2] == ("paragraph", "Body text.")


def test_txt_that_is_markdown_is_parsed_as_markdown() -> None:
    text = "# Title\n\nSee [the site](http://example.org/x) for **more**.\n"
    assert looks_like_markdown(text)
    assert not looks_like_markdown("Ni** My** and a line\n– Jo** Al****\n")
    assert _kinds(text)[0][:2] == ("heading", "Title")
    assert _kinds(text)[1][1] == "See the site for more."


def test_other_formats_are_refused() -> None:
    with pytest.raises(StageError):
        _doc("<p>x</p>", "html")


def test_hard_wrapped_text_is_unwrapped_into_paragraphs():
    from pipeline.parse.text import wrap_width

    para = ("The harbour board of the fictional town met on Tuesday to discuss berth fees and the "
            "dredging of the outer channel, officials said after the meeting had ended late at night.")
    import textwrap

    wrapped = "\n\n".join(textwrap.fill(para.replace("Tuesday", day), 70) for day in ("Monday", "Tuesday", "Friday"))
    text = "HARBOUR BOARD MEETS\n\nBy Jane Roe\n\n" + wrapped + "\n"
    assert wrap_width(text.splitlines()) is not None
    source = Source(path=Path("/x/a.txt"), rel_path="a.txt", size=len(text), sha256="0" * 64)
    blocks = parse_text(RawDocument(source=source, text=text, format="txt", encoding="utf-8")).blocks
    paragraphs = [b.text for b in blocks if b.text.startswith("The harbour")]
    assert len(paragraphs) == 3 and paragraphs[1] == para
    assert [b.text for b in blocks[:2]] == ["HARBOUR BOARD MEETS", "By Jane Roe"]


def test_page_dump_with_long_lines_is_not_taken_as_wrapped():
    from pipeline.parse.text import wrap_width

    lines = ["Home", "World", "Sport"] + ["A long paragraph line " * 12] * 10
    assert wrap_width(lines) is None


def test_tidy_skips_the_space_substitution_only_where_it_changes_nothing():
    import html
    import itertools

    from pipeline.parse.text import _SPACES, _tidy

    pieces = ["a", " ", "  ", "\t", "\u00a0", "\u2009", "\u200a", "\u202f", "&nbsp;", "&amp;", "b"]
    for n in range(1, 4):
        for parts in itertools.product(pieces, repeat=n):
            text = "".join(parts)
            assert _tidy(text) == _SPACES.sub(" ", html.unescape(text)).strip(), repr(text)
