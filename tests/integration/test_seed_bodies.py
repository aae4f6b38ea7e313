"""Seeds end to end through parse_text + clean: what must go, what must stay, and the signals."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipeline.clean import clean
from pipeline.model import Document, RawDocument, Source
from pipeline.parse.text import parse_text


def _cleaned(seeds_dir: Path, prefix: str) -> Document:
    (path,) = sorted(seeds_dir.glob(f"{prefix}_*.txt"))
    data = path.read_bytes()
    source = Source(path=path, rel_path=path.name, size=len(data),
                    sha256=hashlib.sha256(data).hexdigest())
    raw = RawDocument(source=source, text=data.decode("utf-8"), format="txt", encoding="utf-8")
    return clean(parse_text(raw))


SEEDS = {
    "000": dict(
        title="China and US gang up on N Korea",
        published=("April 12, 2011", "dateline"), updated=None, authors=(),
        tags=("China", "North Korea", "United States"),
        stay=["THE strategic rivals China and the US", "Beijing was increasingly",
              "no longer regarded North Korea as a useful"],
        go=["Home >", "bloggers like this", "April 12, 2011", "gang up on N Korea"],
    ),
    "001": dict(
        title="China ‘exasperated’ by ally North Korea, WikiLeaks reports",
        published=("2010-11-30", "label_created"), updated=("2010-12-01", "label_updated"),
        authors=("News Wires",), tags=(),
        stay=["China may be rethinking its longtime ties",
              "AFP - Chinese officials are increasingly exasperated",
              "part of a coordinated campaign of computer sabotage"],
        go=["Don't miss", "Read more", "Macron makes Time 100", "Text by", "Latest update",
            "Date created", "Clinton begins damage control", "WikiLeaks releases 250,000",
            "exasperated’ by ally"],
    ),
    "002": dict(
        title="China Ties to North Korean Ally Decline",
        published=("October 22, 2014", "dateline"), updated=None, authors=(),
        tags=("China", "North Korea"),
        stay=["Once described as 'closer than lips and teeth,",
              "include more details on Chinese support to North Korea"],
        go=["Report says Beijing views", "walking with a stick", "/ AP", "October 22, 2014",
            "Published under", "Ally Decline"],
    ),
    "004": dict(
        title="US intensifies pressure on China over North Korea",
        published=("21 March 2013", "dateline"), updated=None, authors=("Peter Symonds",),
        tags=(),
        stay=["Amid continuing tensions on the Korean Peninsula",
              "senior South Korean officials in Seoul on Monday.",
              "The New York Times, however, reported",
              "underscores the acute geopolitical tensions"],
        go=["#", "*", "](", "http://", "To contact", "Socialist Equality Party visit",
            "Peter Symonds", "21 March 2013", "US intensifies pressure"],
    ),
}


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_signals(seeds_dir: Path, prefix: str) -> None:
    want = SEEDS[prefix]
    sig = _cleaned(seeds_dir, prefix).signals
    assert sig.title == want["title"]
    assert want["published"] in sig.published
    if want["updated"]:
        assert want["updated"] in sig.updated
    else:
        assert sig.updated == ()
    assert sig.authors == want["authors"]
    assert sig.tags == want["tags"]


@pytest.mark.parametrize("prefix", sorted(SEEDS))
def test_seed_body_must_stay_and_go(seeds_dir: Path, prefix: str) -> None:
    want = SEEDS[prefix]
    body = _cleaned(seeds_dir, prefix).body
    for fragment in want["stay"]:
        assert fragment in body, fragment
    for fragment in want["go"]:
        assert fragment not in body, fragment


def test_seed_002_subtitle_and_repeated_caption(seeds_dir: Path) -> None:
    doc = _cleaned(seeds_dir, "002")
    assert doc.signals.subtitle == "Report says Beijing views U.S. as main regional threat"
    captions = [b for b, reason in doc.dropped if reason == "caption"]
    assert len(captions) == 2


def test_seed_004_contact_domain_and_joined_paragraph(seeds_dir: Path) -> None:
    doc = _cleaned(seeds_dir, "004")
    assert doc.signals.domains == ("wsws.org",)
    paragraphs = doc.body.split("\n\n")
    assert any(p.startswith("The Obama administration") and p.endswith("“off to a very productive start”.")
               for p in paragraphs)


def test_every_dropped_block_has_a_reason(seeds_dir: Path) -> None:
    for prefix in SEEDS:
        doc = _cleaned(seeds_dir, prefix)
        assert doc.dropped
        assert all(isinstance(reason, str) and reason for _, reason in doc.dropped)
