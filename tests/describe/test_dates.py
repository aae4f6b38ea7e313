"""Unit tests of date parsing and of the choice of published/updated dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.describe.dates import (
    SIGNALS,
    DateResolution,
    date_from_url,
    parse_date,
    resolve_dates,
)
from pipeline.model import Signals

TODAY = dt.date(2020, 1, 1)
D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the seeds' date lines
        ("April 12, 2011", D(2011, 4, 12)),                 # 000
        ("Latest update : 2010-12-01", D(2010, 12, 1)),     # 001
        ("Date created : 2010-11-30", D(2010, 11, 30)),     # 001
        ("October 22, 2014", D(2014, 10, 22)),              # 002
        ("21 March 2013", D(2013, 3, 21)),                  # 004
        # common formats
        ("2010-12-01", D(2010, 12, 1)),
        ("2019-11-19T10:30:00+00:00", D(2019, 11, 19)),
        ("2019-11-19T23:30:00-05:00", D(2019, 11, 19)),     # the date as written, no TZ shift
        ("2019/11/19", D(2019, 11, 19)),
        ("Nov. 20, 2019", D(2019, 11, 20)),
        ("Sept. 3, 2014", D(2014, 9, 3)),
        ("Sept 3rd, 2014", D(2014, 9, 3)),
        ("the 20th of November, 2019", D(2019, 11, 20)),
        ("20-Nov-2019", D(2019, 11, 20)),
        ("Updated: 3:15 PM ET, Wed November 20, 2019", D(2019, 11, 20)),
        ("Published 10:02 AM EST Nov 19, 2019", D(2019, 11, 19)),
        ("Posted: Fri 6:45 PM, Feb 16, 2018  | ", D(2018, 2, 16)),
        ("Updated 10:01 pm PST, Tuesday, November 19, 2019", D(2019, 11, 19)),
        ("By Sherif Saed, Wednesday, 20 November 2019 08:05 GMT", D(2019, 11, 20)),
        ("By Mike Wall 2019-11-18T20:51:19Z Science & Astronomy", D(2019, 11, 18)),
        # the first date of a line wins
        ("PUBLISHED: November 19, 2019 at 8:59 pm | UPDATED: November 20, 2019", D(2019, 11, 19)),
        # numeric: month first unless impossible; dotted is day first
        ("20/11/2019", D(2019, 11, 20)),
        ("05/06/2019", D(2019, 5, 6)),
        ("By Justine Coleman - 11/18/19 11:04 PM EST", D(2019, 11, 18)),
        ("20.11.2019", D(2019, 11, 20)),
        ("05.06.2019", D(2019, 6, 5)),
        # CJK and other languages (dateparser)
        ("2019年11月20日", D(2019, 11, 20)),
        ("30 марта 2015", D(2015, 3, 30)),
        ("le 3 septembre 2014 à 10h", D(2014, 9, 3)),
        ("Posted on Maret 30, 2015 by Admin", D(2015, 3, 30)),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Published 5 hours ago",            # relative: no anchor
        "updated 15M ago",
        "yesterday",
        "Updated Nov 19, 6:55 AM",          # no year
        "November 2019",                    # no day: dateparser would invent one
        "2019",
        "1799-05-01",                       # before 1800
        "May 3, 1799",
        "2030-01-01",                       # after today
        "January 2, 2020",
        "13/13/2019",                       # no such date either way
        "2019-02-30",
        "",
        "   ",
        "Read more",
        "hello 2019 world",
        "Version 1.2.3 released",
    ],
)
def test_parse_date_none(text):
    assert parse_date(text, today=TODAY) is None


def test_numeric_day_first_when_month_first_is_in_the_future():
    assert parse_date("12/01/2019", today=D(2019, 2, 1)) == D(2019, 1, 12)


def test_today_defaults_to_the_clock():
    assert parse_date("April 12, 2011") == D(2011, 4, 12)
    assert parse_date((dt.date.today() + dt.timedelta(days=2)).isoformat()) is None


def test_non_string_is_none():
    assert parse_date(None) is None  # type: ignore[arg-type]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.dates(min_value=D(1850, 1, 1), max_value=D(2100, 1, 1)))
def test_parse_date_never_raises_and_stays_in_range(text, today):
    value = parse_date(text, today=today)
    assert value is None or D(1800, 1, 1) <= value <= today


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["Updated: ", "Published ", "", "By Jane Doe | ", "Posted on "]),
    st.dates(min_value=D(1800, 1, 1), max_value=D(2100, 1, 1)),
    st.sampled_from(["%B %d, %Y", "%d %B %Y", "%Y-%m-%d", "%b. %d, %Y", "%A, %d %B %Y"]),
)
def test_parse_date_round_trip(label, date, fmt):
    value = parse_date(label + date.strftime(fmt) + " 10:15 AM", today=TODAY)
    assert value == (date if date <= TODAY else None)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/2019/11/19/some-slug/", D(2019, 11, 19)),
        ("https://example.com/world/2019/nov/19/some-slug", D(2019, 11, 19)),
        ("https://example.com/news/20191119-some-slug", D(2019, 11, 19)),
        ("https://example.com/2019-11-19-some-slug.html", D(2019, 11, 19)),
        ("https://example.com/2019/11/", None),                      # no day
        ("https://example.com/articles/slug-11574168580", None),     # an id, not a date
        ("https://example.com/2030/01/01/slug", None),               # future
        ("", None),
        (None, None),
    ],
)
def test_date_from_url(url, expected):
    assert date_from_url(url, today=TODAY) == expected


def test_signal_table_names():
    names = {"html_metadata", "label_created", "label_updated", "label_published", "dateline", "url"}
    assert names <= set(SIGNALS)
    assert {rule.role for rule in SIGNALS.values()} <= {"published", "updated", "either"}
    assert SIGNALS["label_updated"].role == "updated"
    assert SIGNALS["html_metadata"].role == "either"


def test_seed_001_created_and_updated():
    signals = Signals(
        published=(("Date created : 2010-11-30", "label_created"),),
        updated=(("Latest update : 2010-12-01", "label_updated"),),
    )
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(
        D(2010, 11, 30), D(2010, 12, 1), "label_created"
    )


def test_seed_dateline():
    signals = Signals(published=(("April 12, 2011", "dateline"),))
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(D(2011, 4, 12), None, "dateline")


def test_sidecar_wins():
    signals = Signals(
        published=(("2019-11-19", "html_metadata"),), updated=(("2019-11-22", "label_updated"),)
    )
    got = resolve_dates(signals, {"published": "2019-11-18", "updated": dt.date(2019, 11, 20)}, today=TODAY)
    assert got == DateResolution(D(2019, 11, 18), D(2019, 11, 20), "sidecar")


def test_unusable_sidecar_falls_back_to_signals():
    signals = Signals(published=(("2019-11-19", "html_metadata"),))
    got = resolve_dates(signals, {"published": "soon", "updated": 42}, today=TODAY)
    assert got == DateResolution(D(2019, 11, 19), None, "html_metadata")


def test_strongest_signal_wins():
    signals = Signals(
        published=(
            ("2019-11-01", "url"),
            ("November 3, 2019", "dateline"),
            ("2019-11-02", "html_metadata"),
        ),
        url="https://example.com/2019/10/30/slug",
    )
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(D(2019, 11, 2), None, "html_metadata")


def test_same_signal_earliest_published_latest_updated():
    signals = Signals(
        published=(("2019-11-05", "label_published"), ("2019-11-03", "label_published")),
        updated=(("2019-11-06", "label_updated"), ("2019-11-09", "label_updated")),
    )
    got = resolve_dates(signals, {}, today=TODAY)
    assert (got.published, got.updated) == (D(2019, 11, 3), D(2019, 11, 9))


def test_unparsable_candidate_skipped():
    signals = Signals(published=(("5 hours ago", "html_metadata"), ("October 22, 2014", "dateline")))
    assert resolve_dates(signals, {}, today=TODAY).published == D(2014, 10, 22)


def test_url_date_as_last_resort():
    signals = Signals(url="https://example.com/2019/11/19/slug")
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(D(2019, 11, 19), None, "url")
    from_sidecar = resolve_dates(Signals(), {"url": "https://example.com/2019/11/19/slug"}, today=TODAY)
    assert from_sidecar.published == D(2019, 11, 19)


def test_updated_alone_does_not_become_published():
    signals = Signals(updated=(("Updated: November 20, 2019", "label_updated"),))
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(None, D(2019, 11, 20), "label_updated")


def test_published_role_signal_in_updated_field_is_published():
    # the table, not the field a parser chose, says what a known signal means
    signals = Signals(updated=(("2019-11-19", "jsonld_published"),))
    assert resolve_dates(signals, {}, today=TODAY).published == D(2019, 11, 19)


def test_html_metadata_follows_its_field():
    # parse/html.py files modified times under "html_metadata" in Signals.updated
    signals = Signals(
        published=(("2019-11-19", "html_metadata"),), updated=(("2019-11-20T08:00:00Z", "html_metadata"),)
    )
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(
        D(2019, 11, 19), D(2019, 11, 20), "html_metadata"
    )
    only_modified = Signals(updated=(("2019-11-20", "html_metadata"),))
    assert resolve_dates(only_modified, {}, today=TODAY).published is None


def test_either_and_unknown_signals_follow_their_field():
    signals = Signals(
        published=(("2019-11-19", "some_new_signal"),), updated=(("2019-11-21", "time_element"),)
    )
    got = resolve_dates(signals, {}, today=TODAY)
    assert got == DateResolution(D(2019, 11, 19), D(2019, 11, 21), "some_new_signal")


def test_updated_before_published_dropped():
    signals = Signals(
        published=(("2019-11-19", "label_published"),), updated=(("2019-11-10", "label_updated"),)
    )
    assert resolve_dates(signals, {}, today=TODAY) == DateResolution(D(2019, 11, 19), None, "label_published")


def test_nothing():
    assert resolve_dates(Signals(), {}, today=TODAY) == DateResolution(None, None, None)
    assert resolve_dates(Signals(), None, today=TODAY) == DateResolution(None, None, None)


_PIECES = st.sampled_from(
    ["2019", "1799", "2100", "19", "31", "02", "0", "-", "/", ".", ":", ",", " ", "T", "Z", "+05:00",
     "Nov", "November", "Sept.", "de", "марта", "Maret", "ago", "Updated:", "年", "月", "日", "th", "am"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join), st.dates(min_value=D(1850, 1, 1)))
def test_parse_date_date_like_noise_stays_in_range(text, today):
    value = parse_date(text, today=today)
    assert value is None or D(1800, 1, 1) <= value <= today


def test_a_month_name_that_lower_cases_to_no_spelling_is_read_not_raised():
    """"Auguſt" matches the month rule case-insensitively but lower-cases to "auguſt": it raised
    KeyError, which made clean() reject the whole article."""
    import datetime as dt

    from pipeline.describe.dates import parse_date
    from pipeline.headline import datey

    assert parse_date("Auguſt 5, 2019") == dt.date(2019, 8, 5)
    assert datey("Auguſt 5, 2019 Something Else Here") in (True, False)
