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
