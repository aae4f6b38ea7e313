"""describe(): sidecar precedence, unregistered site names, updated dates, empty bodies."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.describe import clean_line, describe
from pipeline.model import Block, Document, RawDocument, Reason, Signals, Source, StageError

BODY = ("The harbour board met on Tuesday and agreed to raise berth fees by a tenth after a year in which "
        "cargo traffic fell again, the chair said after a long meeting with the fishing fleet.")


def _doc(signals: Signals, sidecar: dict | None = None, body: str = BODY, fmt: str = "html") -> Document:
    data = body.encode()
    source = Source(path=Path("/x/a.html"), rel_path="a.html", size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(), sidecar=sidecar or {})
    raw = RawDocument(source=source, text=body, format=fmt, encoding="utf-8")
    return Document(raw=raw, blocks=(Block("paragraph", body),) if body else (), signals=signals)


def test_unregistered_site_name_is_kept_as_printed():
    article = describe(_doc(Signals(site_name="The Capital Observer", url="https://capitalobserver.example/a")))
    assert article.outlet == "The Capital Observer"
    assert article.outlet_signal == "site_name_unregistered" and article.outlet_domain == "capitalobserver.example"


def test_registered_site_name_is_normalised():
    article = describe(_doc(Signals(site_name="FRANCE 24")))
    assert article.outlet == "France 24" and article.outlet_country == "FRA"


def test_same_day_update_is_not_an_update_and_sidecar_wins():
    signals = Signals(published=(("2019-10-17T08:00:00", "html_metadata"),),
                      updated=(("2019-10-17T09:00:00", "meta_modified"),), title="Page title", authors=("By Jane Roe",))
    article = describe(_doc(signals))
    assert article.published_date == dt.date(2019, 10, 17) and article.updated_date is None
    assert article.authors == ("Jane Roe",) and article.title == "Page title"
    overridden = describe(_doc(signals, {"published": "2019-10-10", "authors": ["A B"], "title": "T2", "outlet": "Reuters"}))
    assert overridden.published_date == dt.date(2019, 10, 10) and overridden.date_source == "sidecar"
    assert overridden.authors == ("A B",) and overridden.title == "T2" and overridden.outlet == "Reuters"


def test_empty_body_is_no_article():
    with pytest.raises(StageError) as exc:
        describe(_doc(Signals(), body=""))
    assert exc.value.reason == Reason.NO_ARTICLE


def test_clean_line_strips_markup_and_controls():
    assert clean_line("  **Big** news\u0007 _today_ ") == "Big news today"
    assert clean_line("") is None


def _clean_line_every_char(text):
    """clean_line as first written: every character's category looked up (the oracle)."""
    import re
    import unicodedata

    from pipeline.describe import _MARKUP

    if not text:
        return None
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    text = re.sub(r"\s+", " ", _MARKUP.sub("", text)).strip()
    return text or None


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.none(), st.text(), st.text(alphabet=st.sampled_from(
    ["a", " ", "\t", "\n", "\x00", "\x7f", "\u200b", "\u00a0", "\u2028", "*", "_", "#", "`", "\ufeff", "é", "\ue000"]))))
def test_clean_line_as_the_character_filter(text):
    from pipeline.describe import clean_line

    assert clean_line(text) == _clean_line_every_char(text)
