"""Tests of the outlet registry and of resolve_outlet's clues, in order of precedence."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.describe import outlets as om
from pipeline.describe.outlets import (
    OutletMatch,
    name_key,
    normalise_outlet_name,
    outlet_for_domain,
    outlets,
    registry_files,
    resolve_outlet,
)
from pipeline.model import Block, Document, RawDocument, Signals, Source

# ISO 3166-1 alpha-3, all 249 officially assigned codes.
ISO_ALPHA3 = frozenset("""
ABW AFG AGO AIA ALA ALB AND ARE ARG ARM ASM ATA ATF ATG AUS AUT AZE BDI BEL BEN BES BFA BGD BGR BHR
BHS BIH BLM BLR BLZ BMU BOL BRA BRB BRN BTN BVT BWA CAF CAN CCK CHE CHL CHN CIV CMR COD COG COK COL
COM CPV CRI CUB CUW CXR CYM CYP CZE DEU DJI DMA DNK DOM DZA ECU EGY ERI ESH ESP EST ETH FIN FJI FLK
FRA FRO FSM GAB GBR GEO GGY GHA GIB GIN GLP GMB GNB GNQ GRC GRD GRL GTM GUF GUM GUY HKG HMD HND HRV
HTI HUN IDN IMN IND IOT IRL IRN IRQ ISL ISR ITA JAM JEY JOR JPN KAZ KEN KGZ KHM KIR KNA KOR KWT LAO
LBN LBR LBY LCA LIE LKA LSO LTU LUX LVA MAC MAF MAR MCO MDA MDG MDV MEX MHL MKD MLI MLT MMR MNE MNG
MNP MOZ MRT MSR MTQ MUS MWI MYS MYT NAM NCL NER NFK NGA NIC NIU NLD NOR NPL NRU NZL OMN PAK PAN PCN
PER PHL PLW PNG POL PRI PRK PRT PRY PSE PYF QAT REU ROU RUS RWA SAU SDN SEN SGP SGS SHN SJM SLB SLE
SLV SMR SOM SPM SRB SSD STP SUR SVK SVN SWE SWZ SXM SYC SYR TCA TCD TGO THA TJK TKL TKM TLS TON TTO
TUN TUR TUV TWN TZA UGA UKR UMI URY USA UZB VAT VCT VEN VGB VIR VNM VUT WLF WSM YEM ZAF ZMB ZWE
""".split())
KINDS = {"wire", "newspaper", "broadcaster", "magazine", "online", "state_media", "ngo", "aggregator"}

SOURCE = Source(path=Path("/raw/x.txt"), rel_path="x.txt", size=0, sha256="")


def _doc(body: tuple[str, ...] = (), dropped: tuple[str, ...] = (), **signals) -> Document:
    text = "\n\n".join((*dropped, *body))
    return Document(
        raw=RawDocument(source=SOURCE, text=text, format="txt", encoding="utf-8"),
        blocks=tuple(Block("paragraph", t) for t in body),
        signals=Signals(**signals),
        dropped=tuple((Block("paragraph", t), "teaser") for t in dropped),
    )


def _name(match: OutletMatch | None) -> str | None:
    return match.name if match else None


# ---------------------------------------------------------------- registry


def test_registry_sanity():
    rows = outlets()
    assert len(rows) >= 400
    names = [o.name for o in rows]
    assert len(names) == len(set(names)), "canonical names must be unique"
    domain_owner: dict[str, str] = {}
    key_owner: dict[str, set[str]] = defaultdict(set)
    for o in rows:
        assert o.country in ISO_ALPHA3 or o.country == "INT", (o.name, o.country)
        assert o.kind in KINDS, (o.name, o.kind)
        for d in o.domains:
            assert re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", d), (o.name, d)
            assert not d.startswith(("www.", "m.", "amp.")), (o.name, d)
            assert domain_owner.setdefault(d, o.name) == o.name, f"{d} claimed by {domain_owner[d]} and {o.name}"
        for spelling in (o.name, *o.aliases):
            key_owner[name_key(spelling)].add(o.name)
    clashes = {k: v for k, v in key_owner.items() if len(v) > 1}
    assert not clashes, f"a name or alias belongs to two outlets: {clashes}"
    assert len({o.country for o in rows}) >= 100   # every continent, not one country's press


def test_registry_files_exist():
    files = registry_files()
    assert files and all(isinstance(p, Path) and p.is_file() for p in files)


def test_gold_domains_of_news_outlets_are_registered(zyte_dir):
    # Pages of companies, personal blogs and a theatre in the corpus are not news outlets.
    not_news = {"ascom.com", "blog.comwrap.com", "my6sense.com", "expapp.com", "beachbodyondemand.com",
                "comoeducarseusfilhos.com.br", "theantijunecleaver.com", "remember8090.it", "jeongdongtheater.com"}
    missing = set()
    for line in (zyte_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        host = om._host(json.loads(line)["url"])
        if host not in not_news and outlet_for_domain(host) is None:
            missing.add(host)
    assert not missing


# ---------------------------------------------------------------- lookups


@pytest.mark.parametrize("domain, name, matched", [
    ("edition.cnn.com", "CNN", "cnn.com"),
    ("https://www.france24.com/en/20101130-china", "France 24", "france24.com"),
    ("m.bbc.co.uk", "BBC", "bbc.co.uk"),
    ("amp.theguardian.com", "The Guardian", "theguardian.com"),
    ("WWW.WSWS.ORG", "World Socialist Web Site", "wsws.org"),
    ("cnnespanol.cnn.com", "CNN en Español", "cnnespanol.cnn.com"),   # the most specific domain wins
    ("http://www.freebeacon.com:443/national-security/x", "Washington Free Beacon", "freebeacon.com"),
])
def test_outlet_for_domain(domain, name, matched):
    m = outlet_for_domain(domain)
    assert m is not None and (m.name, m.domain, m.signal) == (name, matched, "domain")


@pytest.mark.parametrize("domain", ["blog.example.com", "co.uk", "com", "", "notcnn.com", "cnn.com.evil.org"])
def test_outlet_for_domain_unknown(domain):
    assert outlet_for_domain(domain) is None


@pytest.mark.parametrize("text, name", [
    ("FRANCE 24", "France 24"),
    ("france24", "France 24"),
    ("new york times", "The New York Times"),
    ("The NYT", "The New York Times"),
    ("Agence France Presse", "Agence France-Presse"),
    ("AFP", "Agence France-Presse"),
    ("WSWS", "World Socialist Web Site"),
    ("the washington free beacon", "Washington Free Beacon"),
    ("Sydney Morning Herald", "The Sydney Morning Herald"),
    ("Yonhap News Agency", "Yonhap"),
    ("Süddeutsche Zeitung", "Süddeutsche Zeitung"),
    ("Suddeutsche Zeitung", "Süddeutsche Zeitung"),
    ("wsws.org", "World Socialist Web Site"),
])
def test_normalise_outlet_name(text, name):
    assert normalise_outlet_name(text) == name


@pytest.mark.parametrize("text", ["", "   ", "Herald", "The Daily Planet", "News"])
def test_normalise_outlet_name_unknown(text):
    assert normalise_outlet_name(text) is None


# ---------------------------------------------------------------- precedence of clues


def test_hint_is_normalised_and_wins_over_everything():
    doc = _doc(site_name="BBC News", domains=("wsws.org",))
    m = resolve_outlet(doc, url="https://www.cnn.com/x", hint="FRANCE 24")
    assert m == OutletMatch("France 24", "france24.com", "FRA", "hint")


def test_unknown_hint_is_kept_as_given():
    m = resolve_outlet(_doc(site_name="BBC News"), hint="  The Springfield Shopper ")
    assert m == OutletMatch("The Springfield Shopper", None, None, "hint")


def test_url_strips_prefixes_and_matches_parent_domain():
    m = resolve_outlet(_doc(site_name="BBC News"), url="https://edition.cnn.com/2019/world/x.html")
    assert m == OutletMatch("CNN", "cnn.com", "USA", "url")


def test_url_beats_signals_url_and_signals_url_is_used_alone():
    doc = _doc(url="https://amp.theguardian.com/world/x")
    assert resolve_outlet(doc, url="https://www.nytimes.com/x").name == "The New York Times"
    m = resolve_outlet(doc)
    assert (m.name, m.signal) == ("The Guardian", "signals.url")


def test_unknown_url_falls_through_to_weaker_clues():
    m = resolve_outlet(_doc(site_name="FRANCE 24"), url="https://blog.example.org/post")
    assert (m.name, m.signal) == ("France 24", "site_name")


@pytest.mark.parametrize("site_name, name", [
    ("FRANCE 24", "France 24"),
    ("the washington post", "The Washington Post"),
    ("Al-Jazeera", "Al Jazeera"),
    ("nytimes.com", "The New York Times"),
    ("FRANCE 24 - International breaking news & headlines", "France 24"),
])
def test_site_name_is_normalised(site_name, name):
    m = resolve_outlet(_doc(site_name=site_name, domains=("wsws.org",)))
    assert (m.name, m.signal) == (name, "site_name")


def test_unknown_site_name_falls_through_to_domains():
    m = resolve_outlet(_doc(site_name="My Little Blog", domains=("example.com", "wsws.org")))
    assert m == OutletMatch("World Socialist Web Site", "wsws.org", "INT", "domains")


# ---------------------------------------------------------------- boilerplate


def test_boilerplate_outlet_that_dominates_wins_over_body():
    doc = _doc(body=("A copy of the draft was obtained by the Washington Free Beacon.",),
               dropped=("Head of UN entity probing war crimes in Syria speaks to FRANCE 24", "Read more"))
    m = resolve_outlet(doc)
    assert (m.name, m.signal) == ("France 24", "boilerplate")


def test_boilerplate_tie_gives_way_to_body():
    doc = _doc(body=("A copy of the draft was obtained by the Washington Free Beacon.",),
               dropped=("Watch on CNN tonight", "Listen to NPR"))
    m = resolve_outlet(doc)
    assert (m.name, m.signal) == ("Washington Free Beacon", "self_reference")


def test_boilerplate_counts_blocks_and_needs_a_clear_lead():
    dropped = ("More from Vox", "Vox Media newsletter", "Follow The Verge")
    assert _name(resolve_outlet(_doc(dropped=dropped))) == "Vox"
    assert resolve_outlet(_doc(dropped=dropped[:1] + dropped[2:])) is None


def test_boilerplate_ignores_credits_and_common_words():
    dropped = ("Kim Jong Un walking in Pyongyang / AP", "Photo: Reuters", "Macron makes Time 100 as France revolts",
               "Subscribe to Foreign Affairs ministry updates")
    assert resolve_outlet(_doc(dropped=dropped)) is None


def test_boilerplate_wire_byline_alone_does_not_win():
    assert resolve_outlet(_doc(dropped=("Reuters, Washington,",))) is None
    assert _name(resolve_outlet(_doc(dropped=("Reuters, Washington,", "© 2019 ScienceAlert Pty Ltd")))) == "ScienceAlert"
    assert _name(resolve_outlet(_doc(dropped=("Reuters staff", "© Reuters 2019. All rights reserved")))) == "Reuters"


def test_boilerplate_domain_mentions_vote():
    m = resolve_outlet(_doc(dropped=("To contact us visit:", "catchitkansas.com/a?a=474349633")))
    assert (m.name, m.signal) == ("Catch It Kansas", "boilerplate")


# ---------------------------------------------------------------- self-references in the body


@pytest.mark.parametrize("sentence, name", [
    ("A copy of the draft was obtained by the Washington Free Beacon.", "Washington Free Beacon"),
    ("Fox News has learned that the meeting was cancelled.", "Fox News"),
    ("\"We have no comment,\" a spokesman told the Associated Press.", "Associated Press"),
    ("A copy of the report was provided to The Sydney Morning Herald.", "The Sydney Morning Herald"),
    ("The Irish Times understands the deal collapsed on Friday.", "The Irish Times"),
    ("The company confirmed to Reuters on Monday that it had no plans.", "Reuters"),
])
def test_self_reference_in_body(sentence, name):
    m = resolve_outlet(_doc(body=("Officials met on Monday.", sentence)))
    assert (m.name, m.signal) == (name, "self_reference")


@pytest.mark.parametrize("sentence", [
    # seed 000: "the Herald" is one of many Heralds
    "According to US cables obtained by WikiLeaks and provided exclusively to the Herald, talks were held.",
    "said the leaked cable, reprinted by Britain's Guardian newspaper.",
    "In one cable reproduced by The New York Times, an official said Beijing was angry.",
    "The leaked documents also show frustration among US diplomats, the Guardian reported.",
    "According to South Korea’s Yonhap news agency on Tuesday, banks were warned.",
    "according to documents obtained by The New York Times last week.",
    "As government documents leaked to the New York Times have unveiled, the camps grew.",
    "The New York Times said the embassy found that attacks were coordinated.",
    "The Times understands the deal collapsed on Friday.",   # one of many Times
    "a spokesman told ap on Monday",          # a name is written with its capitals
    "They told the age of the ship.",          # ordinary words that are also outlet names
])
def test_mentions_of_other_outlets_are_not_self_references(sentence):
    assert resolve_outlet(_doc(body=(sentence,))) is None


def test_two_outlets_claiming_the_page_cancel_out():
    body = ("The memo was obtained by the Washington Free Beacon.", "Fox News has learned more.")
    assert resolve_outlet(_doc(body=body)) is None


def test_names_do_not_run_across_sentences():
    assert resolve_outlet(_doc(body=("The cable was sent to France. 24 hours later it leaked.",))) is None


def test_matching_is_fast_on_a_long_page():
    body = tuple(f"Paragraph {i} about the Federal Reserve, told the committee on Tuesday." for i in range(3000))
    dropped = tuple(f"Read more: story {i} from CNN" for i in range(500))
    om._index()   # building the registry once is not part of the per-document cost
    start = time.perf_counter()
    assert _name(resolve_outlet(_doc(body=body, dropped=dropped))) == "CNN"
    assert time.perf_counter() - start < 1.0


# ---------------------------------------------------------------- seeds


SEED_EXPECTED = {"000": None, "001": "France 24", "002": "Washington Free Beacon", "004": "World Socialist Web Site"}
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:org|com|net|co\.uk))\b", re.I)


def _seed_text(seeds_dir: Path, prefix: str) -> tuple[Path, str]:
    path = next(seeds_dir.glob(f"{prefix}_*.txt"))
    return path, path.read_text(encoding="utf-8")


def _hand_built(path: Path, text: str) -> Document:
    """A stand-in for parse + clean: a line is body when it reads as a sentence of 8+ words."""
    body, dropped = [], []
    for n, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line:
            continue
        block = Block("paragraph", line, line=n)
        if len(line.split()) >= 8 and re.search(r"[.!?\"'”’]$", line):
            body.append(block)
        else:
            dropped.append((block, "boilerplate"))
    domains = tuple(dict.fromkeys(d.lower() for b, _ in dropped for d in _DOMAIN.findall(b.text)))
    raw = RawDocument(source=Source(path, path.name, len(text), ""), text=text, format="txt", encoding="utf-8")
    return Document(raw=raw, blocks=tuple(body), signals=Signals(domains=domains), dropped=tuple(dropped))


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_outlets_hand_built(seeds_dir, prefix):
    path, text = _seed_text(seeds_dir, prefix)
    assert _name(resolve_outlet(_hand_built(path, text))) == SEED_EXPECTED[prefix]


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_seed_outlets_parse_and_clean(seeds_dir, prefix):
    clean = pytest.importorskip("pipeline.clean").clean
    parse_text = pytest.importorskip("pipeline.parse.text").parse_text
    path, text = _seed_text(seeds_dir, prefix)
    raw = RawDocument(source=Source(path, path.name, len(text), ""), text=text, format="txt", encoding="utf-8")
    assert _name(resolve_outlet(clean(parse_text(raw)))) == SEED_EXPECTED[prefix]


# ---------------------------------------------------------------- corpus check of the boilerplate vote


def test_zyte_boilerplate(zyte_dir):
    """Text dumps with no url: the outlet must come from the page's chrome or body (DOMINANCE)."""
    def norm(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    right = wrong = none = false_pos = 0
    for line in (zyte_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        expected = outlet_for_domain(gold["url"])
        text = (zyte_dir / "text" / f"{gold['id']}.txt").read_text(encoding="utf-8")
        gold_body = norm(gold["body"])
        body, dropped = [], []
        for n, raw_line in enumerate(text.splitlines()):
            if raw_line.strip():
                block = Block("paragraph", raw_line.strip(), line=n)
                nl = norm(raw_line)
                (body.append(block) if len(nl) > 30 and nl in gold_body else dropped.append((block, "boilerplate")))
        raw = RawDocument(source=SOURCE, text=text, format="txt", encoding="utf-8")
        got = _name(resolve_outlet(Document(raw=raw, blocks=tuple(body), dropped=tuple(dropped))))
        if expected is None:
            false_pos += got is not None
        elif got == expected.name:
            right += 1
        elif got is None:
            none += 1
        else:
            wrong += 1
    # Measured with DOMINANCE = 1.5: 66 right, 3 wrong, 8 none of 77 registry pages; 0 of 11 others.
    assert right >= 62 and wrong <= 4 and false_pos == 0, (right, wrong, none, false_pos)


def test_ascii_gate_finds_every_opening_word():
    """_mentions skips an ASCII text where ascii_openers finds nothing: exactly the texts whose
    lower-cased tokens hold no one-word name and no first two words of a longer one."""
    import random

    from pipeline.describe.outlets import _TOKEN, _index

    idx = _index()
    rng = random.Random(5)
    words = sorted(idx.singles)[:40] + [w for p in sorted(idx.pairs)[:40] for w in p] + \
        ["the", "news", "people", "Times", "NEW", "york", "x", "2024", "a_b", "Le", "Monde"]
    seps = [" ", "  ", "-", "_", ", ", ". ", "\n", "/", "'", ""]
    for _ in range(3000):
        text = "".join(rng.choice(words) + rng.choice(seps) for _ in range(rng.randint(1, 6)))
        if rng.random() < 0.5:
            text = text.upper() if rng.random() < 0.5 else text.title()
        if not text.isascii():
            continue
        folded = " ".join(_TOKEN.findall(text)).lower().split(" ")
        has = bool(idx.singles.intersection(folded) or idx.pairs.intersection(zip(folded, folded[1:])))
        assert has == (idx.ascii_openers.search(text.lower()) is not None), text


# ---------------------------------------------------------------- fast paths against their oracles


def _self_reference_every_block(doc: Document) -> int | None:
    """_from_self_reference as first written: names looked for in every block (the oracle)."""
    from collections import Counter

    idx = om._index()
    votes: Counter = Counter()
    for block in doc.blocks:
        text = block.text or ""
        for start, end, o in om._mentions(text):
            before = om._sentence_before(text, start)
            cue = idx.before.search(before)
            if cue is not None:
                if idx.void.search(before[:cue.start()]):
                    continue
            elif not idx.after.search(text[end:end + 40]) or idx.void.search(before):
                continue
            votes[o] += 1
    return om._winner(votes)


_SELF_PIECES = ["Fox News", "FOX NEWS", "fox news", "Reuters", "the Washington Free Beacon", "The Irish Times",
                "has learned", "HAS LEARNED", "has  learnt", "understands", "can reveal", "obtained by", "OBTAINED BY",
                "told", "TOLD", "toLd", "provided exclusively to", "confirmed to", "when reached by", "not", "said",
                "according to", " ", "  ", "\n", ".", ",", "“", "”", "é", "ö", "İ", "ſ", "\u212a", "x", "the"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_SELF_PIECES), max_size=12), min_size=1, max_size=4))
def test_self_reference_cue_precheck_as_every_block(blocks):
    doc = _doc(body=tuple(" ".join(b) for b in blocks))
    assert om._from_self_reference(doc) == _self_reference_every_block(doc)


@pytest.mark.parametrize("sentence", [
    "A copy of the draft was obtained by the Washington Free Beacon.", "Fox News has learned that it was cancelled.",
    "\"We have no comment,\" a spokesman told the Associated Press.", "The company confirmed to Reuters on Monday.",
    "The Irish Times understands the deal collapsed.", "“Fox News” has learned it — Straße ﷺ Ærø ÖBB.",
])
def test_self_reference_cue_precheck_on_sentences(sentence):
    doc = _doc(body=("Officials met on Monday.", sentence))
    assert om._from_self_reference(doc) == _self_reference_every_block(doc)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Fox", "News", "ﷺ", "Straße", "ÆRØ", "İstanbul", "Ω", "ǅ", "ﬁ", "a\u0301",
                                 "e\u0308\u0301", "x", "2013", "½", "Café", "ΣΑΣ"]), max_size=12))
def test_fold_words_as_folding_each_word(words):
    """_fold_words folds the joined words once; folding each word gives the same list."""
    assert om._fold_words(" ".join(words), words) == [om._fold(w) for w in words]
