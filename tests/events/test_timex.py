"""Relative and absolute dates resolved against the publication date, with their precision."""

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.events.timex import find_timexes, resolve_timex

SEED004 = dt.date(2013, 3, 21)   # a Thursday


@pytest.mark.parametrize("text, anchor, date, end, precision", [
    ("Last Friday", SEED004, "2013-03-15", None, "day"),
    ("warned on Monday", SEED004, "2013-03-18", None, "day"),
    ("third nuclear test last month", SEED004, "2013-02-01", "2013-02-28", "month"),
    ("Earlier this month", SEED004, "2013-03-01", "2013-03-31", "month"),
    ("yesterday", SEED004, "2013-03-20", None, "day"),
    ("this past May", dt.date(2014, 10, 22), "2014-05-01", "2014-05-31", "month"),
    ("in May 2009", dt.date(2011, 4, 12), "2009-05-01", "2009-05-31", "month"),
    ("Sept. 3", dt.date(2014, 10, 22), "2014-09-03", None, "day"),
    ("late last year", dt.date(2010, 11, 26), "2009-01-01", "2009-12-31", "year"),
    ("next month", SEED004, "2013-04-01", "2013-04-30", "month"),
    ("Last Friday", dt.date(2010, 11, 26), "2010-11-19", None, "day"),   # anchor is a Friday
    ("on Friday", dt.date(2009, 6, 13), "2009-06-12", None, "day"),
    ("in October 2006", dt.date(2009, 5, 26), "2006-10-01", "2006-10-31", "month"),
    ("on Saturday, May 18", dt.date(2019, 11, 19), "2019-05-18", None, "day"),
    ("last week", SEED004, "2013-03-11", "2013-03-17", "week"),
    ("in 2007", SEED004, "2007-01-01", "2007-12-31", "year"),
    ("two years ago", SEED004, "2011-01-01", "2011-12-31", "year"),
])
def test_resolution(text, anchor, date, end, precision):
    t = resolve_timex(text, anchor)
    assert t is not None
    assert t.date == dt.date.fromisoformat(date)
    assert t.date_end == (dt.date.fromisoformat(end) if end else None)
    assert t.precision == precision


def test_next_month_is_future():
    assert resolve_timex("next month", SEED004).future


def test_future_tense_moves_forward():
    assert resolve_timex("Feb. 14", dt.date(2019, 11, 18), future=True).date == dt.date(2020, 2, 14)
    assert resolve_timex("on Tuesday", dt.date(2019, 11, 21), future=True).date == dt.date(2019, 11, 26)


def test_modal_may_and_verb_march_are_not_months():
    assert find_timexes("Beijing may respond, and protesters march on.", SEED004) == []


def test_text_and_offsets():
    s = "The test was carried out last month in the north."
    (t,) = find_timexes(s, SEED004)
    assert s[t.start:t.end] == "last month" == t.text


def test_ago_arithmetic_agrees_with_dateparser():
    """'N units ago' is computed, not parsed: on month ends, leap days and year ends the
    computed dates must be the ones dateparser gives (as the events stage used it before)."""
    dateparser = pytest.importorskip("dateparser")
    from pipeline.events.timex import AGO_ARITHMETIC_MAX, _ago_date

    anchors = [dt.date(2020, 2, 29), dt.date(2021, 3, 31), dt.date(2019, 12, 31), dt.date(2024, 1, 1),
               dt.date(2023, 10, 29), dt.date(2009, 5, 27)]
    for anchor in anchors:
        base = dt.datetime(anchor.year, anchor.month, anchor.day, 12)
        for unit in ("day", "week", "month", "year"):
            for n in (0, 1, 2, 3, 6, 11, 12, 13, 25, 59, AGO_ARITHMETIC_MAX):
                parsed = dateparser.parse(f"{n} {unit}s ago", settings={"RELATIVE_BASE": base})
                assert _ago_date(n, unit, anchor) == parsed.date(), (anchor, n, unit)


def test_ago_in_a_sentence():
    (t,) = find_timexes("The plant closed three months ago.", dt.date(2021, 3, 31))
    assert (t.date, t.date_end, t.precision) == (dt.date(2020, 12, 1), dt.date(2020, 12, 31), "month")


_GUARDED_PHRASES = [
    "the 3 of May", "the 21st of March 2013", "the end of March 2009", "The Start of May", "the beginning of June",
    "the day before yesterday", "the past weekend", "the past week", "THE PAST MONTH", "the  \n 4 May",
    "of early March 2009", "of 2009", "of-2009", "of the end of May 2010", "in mid-2009", "in late March",
    "in  early 2009", "in-2009", "IN MAY 2009", "by the 5th of June", "by May 3", "by 2012", "by-2012",
    "by mid-March", "on the night of Monday", "on\nMonday", "on 3 May", "On the 4th of July", "at the weekend",
    "over the weekend", "At The Weekend", "a week ago", "an year ago", "A month ago", "2013-03-04",
    "3rd of May", "5 days ago", "12 Weeks ago", "2009 was a year", "07 June 2012", "1 Jan.", "the 2013 budget",
    "of course", "in the city", "on the road", "the day after", "a day later", "13 people", "2,000 troops",
    "Monday", "Monday morning", "Mondays", "Sunday,", "May 2009", "May 3", "Mayor Smith", "Marta", "March 3rd",
    "Sept. 3", "Sept 3", "Jan. 2013", "Marchetti", "Market Street", "from May", "from 2009", "from the bank",
    "until June 2010", "until-2010", "during March", "during late May", "two days ago", "Two Weeks Ago",
    "several years ago", "seven months", "ten years later", "3 years, according", "12 months ago", "A year ago",
    "Thursday night", "on Thu", "Sat.", "in mid-March 2009", "by the 5th of May", "since 4 June",
]


def _every_try(text):
    """(span, group) of the timex matches found by trying the pattern at every starter word: the
    unguarded search that _timex_matches must agree with."""
    import re

    from pipeline.events.timex import _CAPITALS, _STARTERS, _TIMEX

    end, found = 0, []
    for w in re.finditer(r"\w+", text):
        word = w.group()
        if w.start() >= end and (word[0].isdigit() or word[:3] in _CAPITALS or word.lower() in _STARTERS):
            m = _TIMEX.match(text, w.start())
            if m is not None:
                end = m.end()
                found.append((m.span(), m.lastgroup))
    return found


@pytest.mark.parametrize("phrase", _GUARDED_PHRASES)
def test_guarded_tries_find_what_every_try_finds(phrase):
    """_timex_matches skips tries its guards rule out; trying every starter finds the same."""
    from pipeline.events.timex import _timex_matches

    for text in (phrase, f"He said {phrase} that", f"{phrase}, they said.", f"x {phrase.upper()} y"):
        assert [(m.span(), m.lastgroup) for m in _timex_matches(text)] == _every_try(text), text


def test_gate_is_the_regex():
    """The substring gate answers as the gate regex on every case variant the engine folds."""
    from pipeline.events.timex import _GATE, _gate

    texts = ["", "no dates here", "a 3", "Monday", "MONDAY", "toMORrow", "two weeks ago", "AGO", "in May",
             "in may", "in MAY", "the nıght", "wee\u212a", "ſeptember", "İn January", "the Day", "Dec.",
             "\u0663", "\u00b2 only", "yesterday", "YEARS", "mont h", "decade"]
    for t in texts:
        assert _gate(t) == (_GATE.search(t) is not None), t


_TIMEX_PIECES = ["the", "The", "THE", "of", "in", "by", "on", "On", "at", "over", "from", "until", "during", "since",
                 "a", "an", "two", "Several", "3", "21st", "2013", "2013-03-04", "May", "Mayor", "March", "Mar.",
                 "Sept.", "Monday", "Mondays", "Sat", "day", "days", "DAYS", "week", "months", "year", "ago", "AGO",
                 "end", "start", "beginning", "past", "weekend", "early", "late", "mid", "night", "morning",
                 "yesterday", "last", "next", "this", " ", " ", " ", "  ", "\n", "-", ",", ".", "é"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_TIMEX_PIECES), max_size=20))
def test_guarded_tries_on_generated_text(pieces):
    from pipeline.events.timex import _timex_matches

    text = "".join(pieces)
    assert [(m.span(), m.lastgroup) for m in _timex_matches(text)] == _every_try(text)
