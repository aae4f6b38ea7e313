"""Property tests: the cleaner, the date resolver and the quote extractor on arbitrary text never
raise, are deterministic and keep their invariants (quotes' own offsets tests live in tests/quotes)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.clean import clean
from pipeline.describe import describe
from pipeline.describe.dates import resolve_dates
from pipeline.extract import extract
from pipeline.model import RawDocument, Reason, Signals, Source, StageError
from pipeline.parse.text import parse_text
from pipeline.reading import decode

TODAY = dt.date(2024, 6, 1)
# Pieces that exercise the cleaner's rules: blank lines, Markdown, list bullets, boilerplate
# phrases, quote marks, control and hidden characters, entities.
_PIECES = st.sampled_from([
    "\n", "\n\n", "\n\n\n\n", "\r\n", "  ", "\t", "# ", "## ", "* ", "- ", "1. ", "> ", "```\n", "---\n",
    "Read more", "Share this:", "Like this:", "Related", "By Jane Roe", "Published under: Economy",
    "Home > World > Europe", "Photo: AFP", "Updated: 12 May 2019", "[link](https://x.example/a)",
    "**bold**", "_em_", "“", "”", "\"", "'", " said ", "&amp;", "&lt;b&gt;", "&#8238;", "\u202e", "\u200b",
    "\x00", "\x0c", "é", "Ω", "日本", "The board voted to raise fees after a long debate.",
])
TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=20)), max_size=40).map("".join)


def _raw(text: str, fmt: str) -> RawDocument:
    source = Source(Path(f"/raw/p.{fmt}"), f"p.{fmt}", len(text), hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
    return RawDocument(source=source, text=text, format=fmt, encoding="utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["txt", "md"]))
def test_cleaner_never_raises_is_deterministic_and_well_formed(text, fmt):
    first = clean(parse_text(_raw(text, fmt)))
    again = clean(parse_text(_raw(text, fmt)))
    assert first.blocks == again.blocks and first.dropped == again.dropped and first.signals == again.signals
    body = first.body
    assert "\n\n\n" not in body
    if body.strip():
        assert all(p.strip() for p in body.strip().split("\n\n"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.sampled_from(["txt", "md"]))
def test_read_clean_describe_extract_on_arbitrary_bytes(text, fmt):
    data = text.encode("utf-8", "surrogatepass")
    source = Source(Path(f"/raw/p.{fmt}"), f"p.{fmt}", len(data), hashlib.sha256(data).hexdigest())
    try:
        raw = decode(source, data, fmt)
        doc = parse_text(raw) if raw.format != "html" else None
        if doc is None:
            return  # HTML goes to trafilatura, tested on real pages
        article = describe(clean(doc))
    except StageError as exc:
        assert exc.reason in (Reason.EMPTY, Reason.BINARY, Reason.NO_ARTICLE)
        return
    body = article.body
    assert body and body == body.strip() and "\n\n\n" not in body
    assert not any(ord(c) < 32 and c not in "\n\t" for c in body + (article.title or ""))
    assert article.paragraph_count == body.count("\n\n") + 1
    quotes, events = extract(article)
    for q in quotes:
        assert body[q.start_char:q.end_char] == q.quote_text
    for e in events:
        assert body[e.start_char:e.end_char] == e.sentence
    assert (quotes, events) == extract(article)


_DATE_TEXT = st.one_of(
    st.text(max_size=40),
    st.dates(min_value=dt.date(1700, 1, 1), max_value=dt.date(2200, 1, 1)).map(str),
    st.sampled_from(["12 May 2019", "May 12, 2019 10:15 AM", "2030-01-01", "1799-12-31", "yesterday", "", "0000-00-00"]),
)
_SIGNAL = st.sampled_from(["html_metadata", "label_created", "label_updated", "dateline", "url", "no_such_signal", ""])
_CANDIDATES = st.lists(st.tuples(_DATE_TEXT, _SIGNAL), max_size=4).map(tuple)
_SIDECAR = st.fixed_dictionaries({}, optional={
    "published": st.one_of(_DATE_TEXT, st.integers(), st.none()),
    "updated": st.one_of(_DATE_TEXT, st.none()),
    "url": st.one_of(st.text(max_size=30), st.just("https://x.example/2019/05/12/slug")),
})


@settings(max_examples=300, deadline=None)
@given(_CANDIDATES, _CANDIDATES, st.one_of(st.none(), st.text(max_size=40), st.just("https://x.example/2031/01/02/a")), _SIDECAR)
def test_date_resolver_never_raises_and_keeps_its_invariants(published, updated, url, sidecar):
    signals = Signals(published=published, updated=updated, url=url)
    result = resolve_dates(signals, sidecar, today=TODAY)
    assert result == resolve_dates(signals, sidecar, today=TODAY)
    for value in (result.published, result.updated):
        assert value is None or dt.date(1800, 1, 1) <= value <= TODAY
    if result.published and result.updated:
        assert result.updated >= result.published
    assert (result.date_source is None) == (result.published is None and result.updated is None)
