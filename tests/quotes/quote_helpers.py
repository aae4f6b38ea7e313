"""Helpers shared by the quotes tests: run the extractor on an invented body and pick one quotation."""

from __future__ import annotations

from pipeline.quotes import extract_quotes
from pipeline.quotes.score import article


def quotes(body: str):
    """Every quotation of body; their offsets always index body."""
    qs = extract_quotes(article("t", body))
    for q in qs:
        assert body[q.start_char:q.end_char] == q.quote_text
    return qs


def one(body: str, text_start: str):
    """The first quotation whose text starts with text_start (the test fails when there is none)."""
    found = [q for q in quotes(body) if q.quote_text.startswith(text_start)]
    assert found, f"no quote starting {text_start!r} in {[q.quote_text for q in quotes(body)]}"
    return found[0]


def none_starting(body: str, text_start: str) -> bool:
    return not any(q.quote_text.startswith(text_start) for q in quotes(body))
