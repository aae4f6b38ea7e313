"""Hostile titles and bodies stay data: plain text in every column, valid offsets, intact Parquet."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.clean import clean
from pipeline.describe import describe
from pipeline.extract import extract
from pipeline.model import Source
from pipeline.parse.html import parse_html
from pipeline.parse.text import parse_text
from pipeline.reading import decode

PARAGRAPH = (
    "The harbour board of the fictional town of Aldwick voted on Tuesday to raise berth fees by a "
    "tenth, after a year in which cargo traffic fell for the third time in a row, officials said. "
    "\"We had no choice,\" said Mara Quill, the board's chair, after the vote was taken."
)
# Hidden or reordering characters that must never reach a column (README: "What happens to bad input").
FORBIDDEN = {chr(c) for c in [*range(0, 9), 11, 12, *range(14, 32), *range(0x7F, 0xA0)]} | set(
    "\u200b\u2060\ufeff\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
HIDDEN = "zero\u200bwidth over\u202eride iso\u2066late\u2069 joiner\u2060x bom\ufeffx nul\x00x bell\x07x"
HIDDEN_REFS = "&#8203;a &#x202E;b &#x2066;c &#1;d &#x1F;e &#0;f &#127;g"
ENTITIES = "Tom &amp; Jerry &lt;script&gt;alert(1)&lt;/script&gt; double &amp;amp; escaped"
MD_INJECTION = "**[click me](javascript:alert(1))** <img src=x onerror=alert(2)> | a | b |\n"


def _run(name: str, text: str):
    data = text.encode("utf-8")
    source = Source(Path("/raw") / name, name, len(data), hashlib.sha256(data).hexdigest())
    raw = decode(source, data, name.rsplit(".", 1)[1])
    doc = parse_html(raw) if raw.format == "html" else parse_text(raw)
    return describe(clean(doc))


def _html(title: str, extra: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>{title}</h1><p>{extra} {PARAGRAPH}</p><p><script>document.write('injected')</script>"
            f"{PARAGRAPH.replace('Tuesday', 'Monday')}</p></article></body></html>")


CASES = {
    "hidden.html": _html("Board &#x202E;votes&#x202C; on fees", HIDDEN + " " + HIDDEN_REFS),
    "entities.html": _html("Fees &lt;b&gt;up&lt;/b&gt; &amp; more", ENTITIES),
    "markdown.html": _html("**Fees** [up](javascript:alert(1)) # not a heading", MD_INJECTION.strip()),
    "hidden.txt": f"Board votes\u202e on fees\n\n{HIDDEN} {HIDDEN_REFS} {PARAGRAPH}\n\n{PARAGRAPH}\n",
    "entities.txt": f"Fees &lt;b&gt;up&lt;/b&gt;\n\n{ENTITIES} {PARAGRAPH}\n\n{PARAGRAPH}\n",
    "markdown.md": f"# Fees <b>up</b> [x](javascript:alert(1)) &amp; more\u202e\n\n{MD_INJECTION}\n{PARAGRAPH} {ENTITIES}\n\n{PARAGRAPH}\n",
}


@pytest.fixture(scope="module")
def articles():
    return {name: _run(name, text) for name, text in CASES.items()}


@pytest.mark.parametrize("name", sorted(CASES))
def test_no_hidden_or_control_characters_in_any_text_column(articles, name):
    article = articles[name]
    values = [article.title, article.subtitle, article.body, *article.authors, *article.tags]
    for value in filter(None, values):
        assert not FORBIDDEN & set(value), (name, [c for c in value if c in FORBIDDEN])
        assert all(unicodedata.category(c) != "Cc" or c in "\n\t" for c in value)
    assert "zerowidth" in article.body if "hidden" in name else True
    assert "&#" not in article.body  # references to hidden characters are gone, not left as text


@pytest.mark.parametrize("name", ["entities.html", "entities.txt", "markdown.md"])
def test_entities_are_decoded_exactly_once(articles, name):
    body = articles[name].body
    assert "Tom & Jerry" in body and "&amp; escaped" in body  # "&amp;amp;" -> "&amp;", not "&"
    assert "<script>alert(1)</script>" in body  # an escaped tag is the article's text, kept as text
    assert "&lt;" not in body and "&amp; Jerry" not in body


def test_real_markup_never_survives(articles):
    for name, article in articles.items():
        for value in filter(None, (article.title, article.body)):
            assert "document.write" not in value and "injected" not in value, name
            assert "onerror" not in value and "<img" not in value, name
    for name in ("markdown.md", "markdown.html"):
        title = articles[name].title or ""
        assert "<b>" not in title and "**" not in title, name


def test_offsets_stay_valid_on_hostile_bodies(articles):
    for name, article in articles.items():
        quotes, events = extract(article)
        assert quotes, name  # the quote in PARAGRAPH is still found
        for q in quotes:
            assert article.body[q.start_char:q.end_char] == q.quote_text, name
        for e in events:
            assert article.body[e.start_char:e.end_char] == e.sentence, name


def test_hostile_strings_round_trip_through_parquet_unchanged(articles, tmp_path):
    titles = [a.title for a in articles.values()] + ["'; DROP TABLE articles; --", "PAR1\x00\x00", "\ud7ff\U0010ffff"]
    bodies = [a.body for a in articles.values()] + ["x"] * 3
    table = pa.table({"title": pa.array(titles, pa.string()), "body": pa.array(bodies, pa.string())})
    pq.write_table(table, tmp_path / "t.parquet", compression="zstd")
    assert pq.read_table(tmp_path / "t.parquet").to_pylist() == table.to_pylist()


def test_the_report_escapes_a_hostile_title(articles):
    import dataclasses

    from pipeline.assemble import _article_rows
    from pipeline.report import render_report
    from pipeline.tabulate import to_arrow, to_frame
    from schemas import MODELS

    article = dataclasses.replace(articles["entities.html"], title="<script>alert('t')</script> **[x](javascript:y)**")
    tables = {"articles": to_arrow(to_frame(_article_rows([article]), MODELS["articles"]), MODELS["articles"])}
    for name in ("quotes", "events", "rejects"):
        tables[name] = to_arrow(to_frame([], MODELS[name]), MODELS[name])
    manifest = {"version": "v1", "created_at": "2024-01-01T00:00:00+00:00", "parent": None,
                "rows": {n: t.num_rows for n, t in tables.items()}, "rejects_by_reason": {}, "stats": {}}
    html = render_report(tables, manifest, None, None)
    assert "<script>alert(" not in html
