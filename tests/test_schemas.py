"""The Arrow schema written to Parquet is derived from the pandera models, column for column."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from pipeline.tabulate import to_arrow, to_frame, validate
from schemas import MODELS, arrow_schema


@pytest.mark.parametrize("name", sorted(MODELS))
def test_arrow_schema_matches_model(name):
    model = MODELS[name]
    columns = model.to_schema().columns
    schema = arrow_schema(model)
    assert schema.names == list(columns)
    for field in schema:
        column = columns[field.name]
        assert field.nullable == column.nullable
        assert field.metadata[b"description"].decode() == column.description
        assert column.description, f"{name}.{field.name} has no description"


def test_list_and_date_columns_have_real_types():
    schema = arrow_schema(MODELS["articles"])
    assert schema.field("authors").type == pa.list_(pa.string())
    assert schema.field("published_date").type == pa.date32()
    assert schema.field("word_count").type == pa.int32()
    actors = arrow_schema(MODELS["events"]).field("actors").type
    assert pa.types.is_list(actors) and actors.value_type.names == ["name", "country_code", "sector"]


def _article(**overrides):
    row = dict(article_id="0123456789abcdef", source_path="a.txt", source_format="txt", content_sha256="a" * 64,
               url=None, outlet=None, outlet_domain=None, outlet_country=None, outlet_signal=None, title="T",
               subtitle=None, authors=["Jane Roe"], published_date=dt.date(2020, 1, 2), updated_date=None,
               date_source="dateline", language="en", tags=[], body="Two words.", word_count=2,
               paragraph_count=1, duplicate_of=None, warnings=[])
    row.update(overrides)
    return row


def test_validation_quarantines_bad_rows_with_their_check():
    model = MODELS["articles"]
    rows = [
        _article(),
        _article(article_id="1" * 16, source_path="b.txt", published_date=dt.date.today() + dt.timedelta(days=3)),
        _article(article_id="2" * 16, source_path="c.txt", word_count=7),
        _article(article_id="3" * 16, source_path="d.txt", published_date=dt.date(1700, 1, 1)),
    ]
    good, rejects = validate(to_frame(rows, model), model, "articles", lambda r: r["source_path"])
    assert list(good["source_path"]) == ["a.txt"]
    by_path = {r.source_path: r for r in rejects}
    assert set(by_path) == {"b.txt", "c.txt", "d.txt"}
    assert by_path["b.txt"].check == "not_in_future" and by_path["b.txt"].column == "published_date"
    assert by_path["c.txt"].check == "word_count_consistent"
    assert by_path["d.txt"].check == "not_before_1800"
    assert all(r.reason.value == "validation_failed" and r.table == "articles" for r in rejects)


def test_to_arrow_round_trip_keeps_types():
    model = MODELS["articles"]
    table = to_arrow(to_frame([_article()], model), model)
    assert table.schema.equals(arrow_schema(model), check_metadata=False)
    row = table.to_pylist()[0]
    assert row["authors"] == ["Jane Roe"] and row["published_date"] == dt.date(2020, 1, 2)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_empty_tables_have_final_schema(name):
    table = to_arrow(to_frame([], MODELS[name]), MODELS[name])
    assert table.num_rows == 0
    assert table.schema.names == arrow_schema(MODELS[name]).names
