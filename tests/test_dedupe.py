"""Duplicate detection: copies with different boilerplate point at the earliest original."""

from __future__ import annotations

import datetime as dt

from pipeline.dedupe import mark_duplicates
from pipeline.model import Article

STORY = " ".join(
    f"Sentence {i} tells how the harbour board voted on fees for berth number {i * 7} this season."
    for i in range(40)
)
OTHER = " ".join(f"Unrelated line {i} about a rowing race on lake number {i * 3} and its crews." for i in range(40))


def _article(path: str, body: str, published: dt.date | None = None) -> Article:
    return Article(article_id=path[:1] * 16, source_path=path, source_format="txt", content_sha256="0" * 64,
                   url=None, outlet=None, outlet_domain=None, outlet_country=None, outlet_signal=None, title=None,
                   subtitle=None, authors=(), published_date=published, updated_date=None, date_source=None,
                   language=None, tags=(), body=body, word_count=len(body.split()), paragraph_count=1)


def test_copy_with_extra_boilerplate_points_to_earliest_original():
    articles = [
        _article("b.html", STORY + " Share this: Twitter Facebook Like this: Loading.", dt.date(2023, 6, 15)),
        _article("a.txt", STORY, dt.date(2023, 6, 14)),
        _article("c.md", OTHER, dt.date(2023, 6, 1)),
        _article("d.txt", "Short note " + STORY[: len(STORY) // 2], dt.date(2023, 6, 16)),
    ]
    marked = {a.source_path: a.duplicate_of for a in mark_duplicates(articles)}
    assert marked == {"a.txt": None, "b.html": "a" * 16, "c.md": None, "d.txt": "a" * 16}


def test_no_dates_fall_back_to_path_order_and_result_keeps_input_order():
    articles = [_article("z.txt", STORY), _article("y.txt", STORY)]
    marked = mark_duplicates(articles)
    assert [a.source_path for a in marked] == ["z.txt", "y.txt"]
    assert marked[0].duplicate_of == "y" * 16 and marked[1].duplicate_of is None


def test_distinct_articles_are_not_duplicates():
    assert all(a.duplicate_of is None for a in mark_duplicates([_article("a", STORY), _article("b", OTHER)]))
