"""Downstream loading: the latest version in pandas, Polars and DuckDB, and the `load` API."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from pipeline import store
from schemas import MODELS, arrow_schema

EXPECTED_QUOTES_PER_OUTLET = {"Harbour Gazette": 2, "Valley Times": 2, "<b>Evil</b> & Co": 1}
EXPECTED_PAIRS = {("China", "North Korea"): 2, ("United States", "China"): 1}


def _latest_dir(out):
    return out / store.latest(out)


def test_pandas_join_quotes_per_outlet(two_version_store):
    folder = _latest_dir(two_version_store)
    articles = pd.read_parquet(folder / "articles.parquet")
    quotes = pd.read_parquet(folder / "quotes.parquet")
    per_outlet = quotes.merge(articles[["article_id", "outlet"]], on="article_id").groupby("outlet").size()
    assert per_outlet.to_dict() == EXPECTED_QUOTES_PER_OUTLET
    assert articles["published_date"].dropna().iloc[0] == dt.date(2020, 2, 2)
    assert list(articles["authors"].iloc[0]) == ["Jane Roe"]


def test_pandas_events_per_actor_pair(two_version_store):
    events = pd.read_parquet(_latest_dir(two_version_store) / "events.parquet")
    pairs = events.explode("actors").explode("recipients").dropna(subset=["recipients"])
    counts = pairs.groupby([pairs["actors"].str["name"], pairs["recipients"].str["name"]]).size()
    assert counts.to_dict() == EXPECTED_PAIRS


def test_polars_joins(two_version_store):
    pl = pytest.importorskip("polars")
    folder = _latest_dir(two_version_store)
    articles = pl.read_parquet(folder / "articles.parquet")
    quotes = pl.read_parquet(folder / "quotes.parquet")
    events = pl.read_parquet(folder / "events.parquet")
    per_outlet = quotes.join(articles.select("article_id", "outlet"), on="article_id").group_by("outlet").len()
    assert dict(per_outlet.iter_rows()) == EXPECTED_QUOTES_PER_OUTLET
    pairs = (events.explode("actors").explode("recipients")
             .select(actor=pl.col("actors").struct.field("name"), recipient=pl.col("recipients").struct.field("name"))
             .drop_nulls().group_by("actor", "recipient").len())
    assert {(a, r): n for a, r, n in pairs.iter_rows()} == EXPECTED_PAIRS
    assert articles.schema["published_date"] == pl.Date


def test_duckdb_joins(two_version_store):
    duckdb = pytest.importorskip("duckdb")
    folder = _latest_dir(two_version_store)
    con = duckdb.connect()
    per_outlet = con.execute(
        "SELECT a.outlet, count(*) FROM read_parquet(?) q JOIN read_parquet(?) a USING (article_id) GROUP BY 1",
        [str(folder / "quotes.parquet"), str(folder / "articles.parquet")]).fetchall()
    assert dict(per_outlet) == EXPECTED_QUOTES_PER_OUTLET
    pairs = con.execute("""
        WITH a AS (SELECT event_id, unnest(actors).name AS actor, recipients FROM read_parquet(?)),
             p AS (SELECT actor, unnest(recipients).name AS recipient FROM a)
        SELECT actor, recipient, count(*) FROM p GROUP BY ALL""", [str(folder / "events.parquet")]).fetchall()
    assert {(a, r): n for a, r, n in pairs} == EXPECTED_PAIRS


def test_load_latest_as_pandas_and_arrow(two_version_store):
    from pipeline.load import load

    quotes = load("quotes", out=two_version_store)
    assert isinstance(quotes, pd.DataFrame) and len(quotes) == 5
    assert list(quotes.columns) == list(MODELS["quotes"].to_schema().columns)
    table = load("events", out=str(two_version_store), version="latest", as_arrow=True)
    assert isinstance(table, pa.Table) and table.num_rows == 4
    assert table.schema.equals(arrow_schema(MODELS["events"]), check_metadata=False)
    assert table.schema.field("event_type").metadata[b"description"] == b"PLOVER event type."


def test_load_a_named_version(two_version_store):
    from pipeline.load import load

    parent = load("articles", out=two_version_store, version="20240101T000000Z-aaaaaaaa")
    assert sorted(parent["source_path"]) == ["a01.txt", "a02.txt", "a05.txt"]
    assert load("quotes", out=two_version_store, version="20240101T000000Z-aaaaaaaa").empty


def test_load_errors_are_clear(two_version_store, tmp_path):
    from pipeline.load import load

    with pytest.raises(ValueError, match="unknown table"):
        load("speakers", out=two_version_store)
    with pytest.raises(store.StoreError, match="no version 'nope'.*20240101T000000Z-aaaaaaaa"):
        load("articles", out=two_version_store, version="nope")
    with pytest.raises(store.StoreError, match="make pipeline"):
        load("articles", out=tmp_path / "empty")


def test_load_is_exported_from_the_package():
    import pipeline

    assert callable(pipeline.load), "re-export it: `from pipeline.load import load` in pipeline/__init__.py"
    assert pipeline.load.__module__ == "pipeline.load"
