"""Quality floors of the quotes stage on hand-labelled gold: the four seeds and 26 zyte-articles pages,
plus 11 held-out zyte pages (quotes_heldout.jsonl), 11 more (quotes_heldout2.jsonl, a dev set since the
possessive-role and anonymous-source rules), 10 more (quotes_heldout3.jsonl, a dev set since session 3) and
5 more (quotes_heldout4.jsonl, labelled blind in session 3, scored, then a dev set)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.quotes import extract_quotes
from pipeline.quotes.score import article, evaluate, load_gold, seed_bodies, zyte_bodies

GOLD = Path(__file__).parent / "quotes_gold.jsonl"

# The corpora these floors were measured on (DESIGN rule 14): a changed corpus fails loudly.
ZYTE_GOLD_SHA256 = "f3bbce11cb51638a69fcff06bbddab20a8112bee9928011a2a6decac87f0df6f"
SEEDS_SHA256 = "96c04defac718ad1a022cd127286890bc7a1ea0e3ee7b849f693aaaf9d15d083"

# Measured (python -m pipeline.quotes.score) when the floors were set:
#   seeds direct+partial P=1.000 R=1.000 F1=1.000 e2e_F1=1.000; zyte direct+partial F1=0.994 e2e_F1=0.919.
# Floors are the issue's: direct+partial quote F1 >= 0.90 and end-to-end F1 >= 0.85 (quote and speaker right).
QUOTE_F1_FLOOR = 0.90
E2E_F1_FLOOR = 0.85
# All types (indirect included), measured after reported speech was found in sentences that also hold
# quotation marks, several reports per sentence and trailing cues: zyte F1=0.961 e2e_F1=0.880;
# seeds F1=0.958 e2e_F1=0.958 (before: zyte F1=0.870 e2e 0.800, seeds F1=0.963).
# After the speaker-resolution rules (role nouns, salience, document sources): zyte e2e_F1=0.895,
# seeds unchanged. Session 3 (subjects through appositives and relative clauses, more indirect forms,
# colon introductions, stray marks): zyte all types F1=0.977 e2e_F1=0.927, seeds F1=0.965 e2e_F1=0.965.
ALL_TYPES_F1_FLOOR = 0.95
ALL_TYPES_E2E_FLOOR = 0.90
# The held-out pages (tests/quality/quotes_heldout.jsonl, 11 zyte pages labelled before any rule was
# changed for them): measured all types F1=0.924 e2e_F1=0.750 (baseline F1=0.886 e2e 0.727); after the
# speaker-resolution rules F1=0.924 e2e_F1=0.859, direct+partial e2e_F1=0.897.
HELDOUT = Path(__file__).parent / "quotes_heldout.jsonl"
HELDOUT_F1_FLOOR = 0.90
HELDOUT_E2E_FLOOR = 0.84
# A second held-out set (11 zyte pages, 122 quotes) labelled before the speaker-resolution rules and only
# scored, never tuned on: before them all types F1=0.804 e2e_F1=0.634, direct+partial F1=0.938 e2e 0.743;
# after: F1=0.804 e2e_F1=0.625, direct+partial F1=0.938 e2e_F1=0.726. Its weak point is indirect recall (0.58).
# Its errors were then studied (it is a dev set since): with possessive names holding roles ("President
# Trump's") and anonymous sources kept unnamed, all types F1=0.807 e2e_F1=0.682, direct+partial e2e 0.796.
HELDOUT2 = Path(__file__).parent / "quotes_heldout2.jsonl"
HELDOUT2_QUOTE_F1_FLOOR = 0.94
HELDOUT2_F1_FLOOR = 0.92
HELDOUT2_E2E_FLOOR = 0.90
# A third held-out set (10 zyte pages, 9 with quotes, 63 quotes), labelled before the rules tuned on held-out 2
# and only scored: before them all types F1=0.765 e2e_F1=0.557, direct+partial F1=0.845 e2e 0.620; after:
# all types F1=0.765 e2e_F1=0.574, direct+partial F1=0.845 e2e_F1=0.620.
# Session 3 studied held-out 2 and 3 (dev sets since): held-out 2 all types F1=0.950 e2e_F1=0.933,
# direct+partial F1=0.966; held-out 3 all types F1=0.869 e2e_F1=0.820, direct+partial F1=0.877.
HELDOUT3 = Path(__file__).parent / "quotes_heldout3.jsonl"
HELDOUT3_QUOTE_F1_FLOOR = 0.85
HELDOUT3_F1_FLOOR = 0.84
HELDOUT3_E2E_FLOOR = 0.78
# A fourth held-out set (5 zyte pages, 63 quotes, 49 of them on one long feature), labelled blind in
# session 3 and scored before any rule was written for it: all types F1=0.793 e2e_F1=0.586,
# direct+partial F1=0.835 e2e 0.602 (speaker accuracy 0.74: pronouns in a feature with many people).
# Its errors were then studied (a dev set since): all types F1=0.895 e2e_F1=0.842, direct+partial
# F1=0.887 e2e_F1=0.830.
HELDOUT4 = Path(__file__).parent / "quotes_heldout4.jsonl"
HELDOUT4_QUOTE_F1_FLOOR = 0.86
HELDOUT4_F1_FLOOR = 0.86
HELDOUT4_E2E_FLOOR = 0.80

# Phrases in the seeds that are scare quotes or titles, never speech.
SEED_SCARE = ["rogue states", "defensive", "first strike", "pivot to Asia", "China should abandon North Korea",
              "Friendship with Foreign Countries", "pivot"]


def _sha(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def seeds(seeds_dir: Path) -> dict[str, str]:
    assert _sha(sorted(seeds_dir.glob("*.txt"))) == SEEDS_SHA256, "seeds changed: re-label and re-pin"
    return seed_bodies(seeds_dir)


@pytest.fixture(scope="module")
def zyte(zyte_dir: Path) -> dict[str, str]:
    assert _sha([zyte_dir / "gold.jsonl"]) == ZYTE_GOLD_SHA256, "zyte gold changed: re-label and re-pin"
    return zyte_bodies(zyte_dir)


def test_gold_size(seeds, zyte):
    seed_gold, _ = load_gold(GOLD, seeds)
    zyte_gold, _ = load_gold(GOLD, zyte)
    assert len({g.doc for g in seed_gold}) == 4 and len({g.doc for g in zyte_gold}) >= 25
    assert len(seed_gold) + len(zyte_gold) >= 300


@pytest.mark.parametrize("corpus", ["seeds", "zyte"])
def test_floors(corpus, seeds, zyte):
    scores = evaluate(GOLD, seeds if corpus == "seeds" else zyte)
    dp = scores["direct+partial"]
    assert dp.f1 >= QUOTE_F1_FLOOR, dp.line()
    assert dp.e2e_f1 >= E2E_F1_FLOOR, dp.line()
    assert scores["all types"].f1 >= ALL_TYPES_F1_FLOOR, scores["all types"].line()
    assert scores["all types"].e2e_f1 >= ALL_TYPES_E2E_FLOOR, scores["all types"].line()


# Each held-out set with its floors (direct+partial F1, all-types F1, all-types end-to-end F1), the
# sets labelled before it, whose pages it must not share, and its least number of pages (held-out 4
# took the last unused English pages with quotations).
HELDOUT_SETS = {
    "held-out 1": (HELDOUT, (QUOTE_F1_FLOOR, HELDOUT_F1_FLOOR, HELDOUT_E2E_FLOOR), (GOLD,), 8),
    "held-out 2": (HELDOUT2, (HELDOUT2_QUOTE_F1_FLOOR, HELDOUT2_F1_FLOOR, HELDOUT2_E2E_FLOOR), (GOLD, HELDOUT), 8),
    "held-out 3": (HELDOUT3, (HELDOUT3_QUOTE_F1_FLOOR, HELDOUT3_F1_FLOOR, HELDOUT3_E2E_FLOOR),
                   (GOLD, HELDOUT, HELDOUT2), 8),
    "held-out 4": (HELDOUT4, (HELDOUT4_QUOTE_F1_FLOOR, HELDOUT4_F1_FLOOR, HELDOUT4_E2E_FLOOR),
                   (GOLD, HELDOUT, HELDOUT2, HELDOUT3), 5),
}


@pytest.mark.parametrize("name", list(HELDOUT_SETS))
def test_heldout_floors(name, zyte):
    path, (quote_f1, all_f1, all_e2e), earlier, pages = HELDOUT_SETS[name]
    gold, indirect_docs = load_gold(path, zyte)
    assert len({g.doc for g in gold}) >= pages and len(indirect_docs) >= pages
    others: set[str] = set()
    for other in earlier:
        other_gold, other_indirect = load_gold(other, zyte)
        others |= {g.doc for g in other_gold} | other_indirect
    assert not ({g.doc for g in gold} | indirect_docs) & others, "pages shared with another set"
    scores = evaluate(path, zyte)
    assert scores["direct+partial"].f1 >= quote_f1, scores["direct+partial"].line()
    assert scores["all types"].f1 >= all_f1, scores["all types"].line()
    assert scores["all types"].e2e_f1 >= all_e2e, scores["all types"].line()


def test_seed_speakers_all_right(seeds):
    scores = evaluate(GOLD, seeds)["direct+partial"]
    assert scores.recall == 1.0 and scores.speaker_accuracy == 1.0, scores.line()


def test_no_scare_quote_on_seeds(seeds):
    for name, body in seeds.items():
        for q in extract_quotes(article(name, body)):
            assert q.quote_text.rstrip(".,") not in SEED_SCARE, (name, q.quote_text)
