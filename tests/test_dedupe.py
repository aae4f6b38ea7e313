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


def _corpus() -> list[Article]:
    """Distinct generated stories, copies of some with boilerplate added, and a shared stock paragraph."""
    import random

    from pipeline.bench_refresh import article

    rng = random.Random(3)
    stories = [article(i, rng) for i in range(30)]
    stock = " Readers can reach the newsroom by phone or email at any time of the day or night."
    articles = [_article(f"{i:02d}.md", body + stock, dt.date(2023, 1, 1 + i % 20)) for i, body in enumerate(stories)]
    for i in range(0, 30, 4):   # copies dated earlier, later and undated, with extra text
        date = [dt.date(2022, 12, 31), dt.date(2023, 2, 1), None][i % 3]
        articles.append(_article(f"copy{i:02d}.html", "Menu Home News. " + stories[i] + " Share this story.", date))
    return articles


def test_known_samples_give_the_same_answer_as_hashing_every_body():
    from pipeline.dedupe import shingle_samples

    articles = _corpus()
    expected = [a.duplicate_of for a in mark_duplicates(articles)]
    assert sum(1 for d in expected if d) >= 7   # the corpus does have copies to find
    samples = dict(zip([a.source_path for a in articles], shingle_samples([a.body for a in articles])))
    assert [a.duplicate_of for a in mark_duplicates(articles, samples)] == expected
    # an incremental run knows the old articles' samples only
    old = {path: s for path, s in samples.items() if not path.startswith(("copy", "1"))}
    assert [a.duplicate_of for a in mark_duplicates(articles, old)] == expected


def test_known_samples_spare_hashing_the_bodies_of_distinct_articles(monkeypatch):
    from pipeline import dedupe

    articles = [a for a in _corpus() if not a.source_path.startswith("copy")]
    samples = dict(zip([a.source_path for a in articles], dedupe.shingle_samples([a.body for a in articles])))
    hashed = []
    real = dedupe._shingles
    monkeypatch.setattr(dedupe, "_shingles", lambda body, token_hash: hashed.append(body) or real(body, token_hash))
    assert all(a.duplicate_of is None for a in dedupe.mark_duplicates(articles, samples))
    assert hashed == []   # no candidate pair, so no full shingle set was needed
    dedupe.mark_duplicates(articles)
    assert len(hashed) == len(articles)


def test_sample_is_deterministic_and_short_bodies_still_have_one():
    from pipeline.dedupe import SAMPLE, shingle_samples

    first, short, empty = shingle_samples([STORY, "Too short", ""])
    assert first == shingle_samples([STORY])[0] and first == tuple(sorted(first))
    assert all(h % SAMPLE == 0 for h in first) and len(first) >= 3
    assert len(short) == 1 and len(empty) == 1


def test_samples_are_those_of_the_full_shingle_sets():
    # shingle_samples tokenises most bodies with bytes.translate, keeps token hashes between calls
    # and samples in numpy; mark_duplicates hashes through _shingles: both must agree
    from pipeline.dedupe import _sample_of, _shingles, _TokenHashes, shingle_samples

    bodies = [STORY, STORY.replace("'", "’").replace(" - ", " — "), "“Quoted,” she said.\u00a0Done" * 9,
              "Ein größerer Text über Straße, ſ and İstanbul, ﬁne ΣΑΣ " * 5, "one two three four",
              "", "   ", "a_b c1 d-e" * 30, "Café naïve résumé » « … • ·" * 12]
    for body in bodies:
        assert shingle_samples([body])[0] == _sample_of(_shingles(body, _TokenHashes())), body[:40]
