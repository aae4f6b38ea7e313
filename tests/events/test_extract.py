"""Events from inline sentences: type, actors (metonyms, titles), dates, factuality, offsets."""

import datetime as dt

from hypothesis import given, settings, strategies as st

from pipeline.events import extract_events, lexicon_files
from pipeline.model import Article


def _article(body, pub=dt.date(2013, 3, 21)):
    return Article(article_id="t", source_path="t", source_format="txt", content_sha256="", url=None,
                   outlet=None, outlet_domain=None, outlet_country=None, outlet_signal=None, title=None,
                   subtitle=None, authors=(), published_date=pub, updated_date=None, date_source=None,
                   language="en", tags=(), body=body, word_count=len(body.split()), paragraph_count=1)


def _one(body, etype, pub=dt.date(2013, 3, 21)):
    evs = [e for e in extract_events(_article(body, pub)) if e.event_type == etype]
    assert evs, [e.event_type for e in extract_events(_article(body, pub))]
    return evs[0]


def codes(actors):
    return sorted(a.country_code for a in actors)


def test_metonyms_resolve():
    e = _one("Beijing criticised Washington on Monday.", "ACCUSE")
    assert codes(e.actors) == ["CHN"] and codes(e.recipients) == ["USA"]
    assert e.event_date == dt.date(2013, 3, 18) and e.date_source == "relative"


def test_title_maps_person_to_country():
    body = ("Last Friday, US Secretary of Defence Chuck Hagel announced new interceptors.\n\n"
            "Hagel later met Japanese officials in Tokyo.")
    evs = extract_events(_article(body))
    consult = next(e for e in evs if e.event_type == "CONSULT")
    assert codes(consult.actors) == ["USA"] and codes(consult.recipients) == ["JPN"]
    assert consult.location_country_code == "JPN"
    mob = next(e for e in evs if e.event_type == "MOBILIZE")
    assert mob.event_date == dt.date(2013, 3, 15) and mob.event_subtype == "missile_defense_deployment"


def test_sanctions_vote_month():
    e = _one("Earlier this month, China voted for a new round of sanctions on North Korea.", "SANCTION")
    assert e.event_subtype == "sanctions_vote" and e.date_precision == "month"
    assert (e.event_date, e.event_date_end) == (dt.date(2013, 3, 1), dt.date(2013, 3, 31))
    assert codes(e.recipients) == ["PRK"]


def test_background_noun_event():
    evs = extract_events(_article("The Obama administration is exploiting North Korea’s third nuclear test last month."))
    test = next(e for e in evs if e.event_subtype == "nuclear_test")
    assert test.is_background and codes(test.actors) == ["PRK"] and test.date_precision == "month"


def test_publication_fallback_and_unknown():
    e = _one("China's foreign ministry criticized the deployment.", "ACCUSE", dt.date(2009, 7, 20))
    assert e.date_source == "publication_fallback" and e.event_date == dt.date(2009, 7, 20)
    e = _one("China's foreign ministry criticized the deployment.", "ACCUSE", None)
    assert e.event_date is None and e.date_precision == "unknown"


def test_factuality():
    assert _one("Russia is unlikely to agree to cut output.", "AGREE").factuality == "hypothetical"
    assert _one("Seoul did not criticize Tokyo.", "ACCUSE").factuality == "negated"
    e = _one("Officials will visit Beijing next month.", "CONSULT")
    assert e.factuality == "future" and e.event_date > dt.date(2013, 3, 21)


def test_casualties_and_complement():
    e = _one("North Korean artillery shelled Yeonpyeong Island on Tuesday, killing two South Korean marines.",
             "ASSAULT", dt.date(2010, 11, 24))
    assert e.dead == 2 and e.event_date == dt.date(2010, 11, 23)
    evs = extract_events(_article("South Korea and the United States agreed on Friday to deploy THAAD."))
    assert [x.event_type for x in evs] == ["AGREE"] and codes(evs[0].actors) == ["KOR", "USA"]


def test_cluster_same_event_two_reports():
    a = _one("Pyongyang conducted a nuclear test on Monday.", "MOBILIZE", dt.date(2013, 2, 13))
    b = _one("North Korea carried out a nuclear test on Monday, officials said.", "MOBILIZE", dt.date(2013, 2, 14))
    assert a.event_cluster_id == b.event_cluster_id


def test_lexicon_files_exist():
    assert all(p.exists() for p in lexicon_files())


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([
    "China", "criticised", "the US", "on Monday", "last month", "next week", "Sept. 3", "in 2030",
    "will", "not", "talks", ".", ",", "\n\n", "Pyongyang", "nuclear test", "sanctions", "“", "”",
    "May", "killing two", "He", "said", "met with", "in Seoul", "ção", " ", "U.S.", "2019-13-45",
]), max_size=40), st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31))))
def test_property_offsets_and_no_future_dates(words, pub):
    body = " ".join(words)
    for e in extract_events(_article(body, pub)):
        assert body[e.start_char:e.end_char] == e.sentence
        if e.factuality != "future" and pub is not None and e.event_date is not None:
            assert e.event_date <= pub


def test_no_character_folds_into_a_word():
    """triggers._folded_scan relies on it: a character that is no word character folds to none."""
    import re
    import sys

    from pipeline.prefilter import fold

    nonword = "".join(c for c in map(chr, range(sys.maxunicode + 1)) if not re.match(r"\w", c) and c != "\u0130")
    folded = fold(nonword)
    assert len(folded) == len(nonword)
    assert re.search(r"\w", folded) is None


_PIECES = ["attack", "Attack", "ATTACKED", "co-operate", "condemned", "protest", "withdraw", "with", "should",
           "ſhoot", "\u212aill", "kıll", "İ", "ι", "\u0345", "-", "'", "’", " ", "  ", "\n", ".", ",", "a", "X",
           "anti-war", "re-attack", "bombed", "Strike", "strikes", "sanction", "the", "2013", "é", "ß", "ǅ",
           "_", "x", "1", "\t", "(", "“"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_trigger_starts_as_the_case_insensitive_scan(pieces):
    from pipeline.events.triggers import _starts, _trigger_starts

    text = "".join(pieces)
    assert list(_trigger_starts(text)) == [m.start() for m in _starts().finditer(text)]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["but", "and", "while", ";", ":", "—", "If ", "if ", "not ", "will "]),
                max_size=30))
def test_factuality_with_clause_marks_as_without(pieces):
    from pipeline.events.triggers import clause_marks, factuality, find_triggers

    text = "".join(pieces)
    marks = clause_marks(text)
    for t in find_triggers(text):
        assert factuality(text, t.start, marks) == factuality(text, t.start)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([".", "!", "?", "...", "\n", "\n\n", " ", "  ", "\t", "”", "’", "'", ")", "]", "\"",
                                 "“", "‘", "(", "[", "A", "Z", "a", "z", "7", "U.S", "Mr", "J", "é", "É", "x."]),
                max_size=40))
def test_boundary_as_the_plain_alternation(pieces):
    import re

    from pipeline.events.triggers import _BOUNDARY

    plain = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n+")
    text = "".join(pieces)
    assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["but", "while", "and", "after", "before", "as", "which", "who", "a", "b", "w",
                                 "was", "band", "as1", "_as", "éwho", ",", ";", ":", "—", "–", " ", "\n", "-", "But"]),
                max_size=30))
def test_clause_marks_as_the_plain_alternation(pieces):
    import re

    from pipeline.events.triggers import _CLAUSE

    plain = re.compile(r"[,;:—–]|\b(?:but|while|and|after|before|as|which|who)\b")
    text = "".join(pieces)
    assert [m.span() for m in _CLAUSE.finditer(text)] == [m.span() for m in plain.finditer(text)]


_ALIAS_PIECES = ["China", "Chinese", "US", "U.S.", "USA", "al-Shabaab", "al-Qaeda", "Shabaab", "North Korea",
                 "Korea", "South", "Beijing", "Washington", "the Pentagon", "Pentagon", "UN", "NATO", "Russia",
                 "Russian", "officials", "-", ".", " ", ", ", "\n", "'s", "_", "x", "Xi", "EU", "US-China", "é", "É"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALIAS_PIECES), max_size=25))
def test_alias_scan_as_the_word_loop(pieces):
    """find_mentions without people (one regex) finds what the per-word loop finds."""
    from pipeline.events.actors import find_mentions

    text = "".join(pieces)
    loop = find_mentions(text, {"Zzqxv": ("USA", None)})   # a name never written: the loop, no person
    assert find_mentions(text) == loop


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_ALIAS_PIECES + ["a", "al", "al-", "A", "Z", ".China", "xChina", "_US", "US_",
                                                 "Chinax", "China-", "-Beijing", "1", "\t"]), max_size=25))
def test_alias_scan_as_the_plain_regex(pieces):
    """The alias scan that opens with a character set finds what the look-behind-first form finds."""
    from pipeline.events.actors import _alias_scan, _plain_alias_scan

    text = "".join(pieces)
    assert [m.span() for m in _alias_scan().finditer(text)] == [m.span() for m in _plain_alias_scan().finditer(text)]


def _factuality_by_scan(sentence, trig_start):
    """factuality as first written: the cue regex run over every window (the oracle)."""
    from pipeline.events.triggers import _cue_value, _cues, clause_marks

    left = sentence[:trig_start]
    cut = [e for e in clause_marks(left)]
    window = left[cut[-1]:] if cut else left
    window = " ".join(window.split()[-6:])
    if left.lstrip().lower().startswith("if "):
        return "hypothetical"
    rx, values = _cues()
    last = None
    for last in rx.finditer(window):
        pass
    return _cue_value(values, last.group(1)) if last is not None else "asserted"


def test_a_cue_that_casefolds_apart_still_has_its_value():
    """"İf" matches the cue "if" case-insensitively but casefolds to "i̇f": it once raised KeyError,
    which cost the article all its events."""
    from pipeline.events.triggers import factuality

    text = "Officials said İf rebels attack"
    assert factuality(text, text.index("attack")) == "hypothetical"
    assert factuality("They did not attack", len("They did not ")) == "negated"


_CUE_PIECES = ["not", "NOT", "n't", "never", "no longer", "No  longer", "failed to", "if", "If", "İf", "ıf", "could",
               "may", "MAY", "will", "wiLL", "plans to", "is due to", "is expected to", "going to", "ſhall", "ſhould",
               "attacked", "protest", "said", "the", " ", "  ", ",", ";", "\n", "-", "'", "’", "x", "é"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_CUE_PIECES), max_size=20))
def test_factuality_as_the_cue_scan(pieces):
    """The folded-cue pre-check and the short "if " test decide as the plain scan."""
    from pipeline.events.triggers import factuality

    text = "".join(pieces)
    for i in range(len(text) + 1):
        if i == 0 or not (text[i - 1].isalnum() and text[i:i + 1].isalnum()):
            assert _outcome(factuality, text, i) == _outcome(_factuality_by_scan, text, i), (text, i)


def _outcome(fn, *args):
    """fn's value, or the type of what it raised."""
    try:
        return fn(*args)
    except KeyError as e:
        return type(e)


def test_events_built_without_init_are_dataclass_events():
    """_new_event gives the object Event(**fields) gives: same fields, same attribute order."""
    import dataclasses

    from pipeline.model import Event

    body = ("Beijing criticised Washington on Monday. North Korean artillery shelled Yeonpyeong Island on "
            "Tuesday, killing two South Korean marines.\n\nOfficials will visit Beijing next month.")
    names = [f.name for f in dataclasses.fields(Event)]
    evs = extract_events(_article(body))
    assert len(evs) >= 3
    for ev in evs:
        plain = Event(**{n: getattr(ev, n) for n in names})
        assert ev == plain and hash(ev) == hash(plain) and repr(ev) == repr(plain)
        assert list(vars(ev)) == list(vars(plain)) == names
        assert dataclasses.replace(ev, quote_id="q") == dataclasses.replace(plain, quote_id="q")


def _link_by_replace(events, quotes):
    """link_quotes as first written, with dataclasses.replace (the oracle)."""
    import dataclasses
    from bisect import bisect_left

    spans = sorted((q.end_char, q.start_char, q.quote_id) for q in quotes if q.quote_type != "indirect")
    ends = [e for e, _, _ in spans]
    linked = []
    for event in events:
        length = max(event.end_char - event.start_char, 1)
        best, best_overlap = None, 0
        for end, start, quote_id in spans[bisect_left(ends, event.start_char + 1):]:
            if start >= event.end_char:
                continue
            overlap = min(end, event.end_char) - max(start, event.start_char)
            if overlap > best_overlap:
                best, best_overlap = quote_id, overlap
        linked.append(dataclasses.replace(event, quote_id=best) if best and best_overlap * 2 > length else event)
    return linked


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 200), st.integers(0, 80), st.sampled_from(["direct", "partial", "indirect"])),
                max_size=6))
def test_link_quotes_as_dataclasses_replace(spans):
    from pipeline.extract import link_quotes
    from pipeline.model import Quote

    body = ("Beijing criticised Washington on Monday. “We will not accept it,” the minister said. "
            "North Korean artillery shelled Yeonpyeong Island on Tuesday, killing two South Korean marines. "
            "Officials will visit Beijing next month, he said.")
    events = extract_events(_article(body))
    quotes = [Quote(f"q{i}", "t", "x", kind, s, min(s + n, len(body)), None, None, "unknown", None, None, None, 0, 0.5)
              for i, (s, n, kind) in enumerate(spans)]
    got, want = link_quotes(events, quotes), _link_by_replace(events, quotes)
    assert got == want and [list(vars(e)) for e in got] == [list(vars(e)) for e in want]


def test_triggers_built_without_init_are_dataclass_triggers():
    from pipeline.events import _new_trigger
    from pipeline.events.triggers import Trigger, find_triggers

    for t in find_triggers("Russia attacked and condemned the strikes; protesters marched in Kyiv."):
        values = {**t.__dict__, "start": t.start - 1, "end": t.end - 1}
        fast, plain = _new_trigger(values), Trigger(**values)
        assert fast == plain and repr(fast) == repr(plain) and list(vars(fast)) == list(vars(plain))
