"""Validation of an incremental run: rows known to be valid are rechecked on their changing columns
only, and whatever fails, the rows kept and the rejects are those of validating every row."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest

from pipeline import tabulate
from pipeline.tabulate import to_frame, validate
from schemas import MODELS
from schemas.articles import word_count

MODEL = MODELS["articles"]
CHANGING = ("article_id", "duplicate_of", "published_date", "updated_date")


def _row(n: int, **overrides) -> dict:
    body = f"Article number {n} says something.\n\nA second paragraph."
    row = dict(article_id=f"{n:016x}", source_path=f"a{n:02d}.txt", source_format="txt",
               content_sha256=hashlib.sha256(str(n).encode()).hexdigest(), url=None, outlet=None,
               outlet_domain=None, outlet_country=None, outlet_signal=None, title=f"Title {n}", subtitle=None,
               authors=["Jane Roe"], published_date=dt.date(2020, 1, 1 + n), updated_date=None,
               date_source="sidecar", language="en", tags=[], body=body, word_count=word_count(body),
               paragraph_count=2, duplicate_of=None, warnings=[])
    row.update(overrides)
    return row


def _both(rows: list[dict], known: list[bool]):
    """(validation with the known rows, validation of every row), as comparable values."""
    def outcome(frame, bad):
        return frame.to_dict("records"), [(r.source_path, r.check, r.column, r.value) for r in bad]

    source = lambda row: row["source_path"]  # noqa: E731
    fast = validate(to_frame(rows, MODEL), MODEL, "articles", source, pd.Series(known), CHANGING)
    full = validate(to_frame(rows, MODEL), MODEL, "articles", source)
    return outcome(*fast), outcome(*full)


def test_all_good_rows_pass_without_checking_the_known_rows_bodies(monkeypatch):
    rows = [_row(n) for n in range(1, 6)]
    seen = []
    real = tabulate.pandera.pandas.DataFrameSchema.validate

    def spy(self, df, *args, **kwargs):
        seen.append((sorted(self.columns), len(df)))
        return real(self, df, *args, **kwargs)

    monkeypatch.setattr(tabulate.pandera.pandas.DataFrameSchema, "validate", spy)
    fast, full = _both(rows, [True, True, True, False, True])
    assert fast == full and full[1] == []
    # the whole model saw the one unknown row; all rows met only the changing and unique columns
    assert seen[:2] == [(sorted(MODEL.to_schema().columns), 1), (sorted({*CHANGING, "source_path"}), 5)]


@pytest.mark.parametrize("case", [
    "known row now in the future",     # the clock moved on: a date check's answer can change
    "known rows share a salted id",    # ids depend on the other articles of the run
    "new row repeats a known path",    # uniqueness spans old and new rows
    "new row fails a check",
    "known id malformed",
])
def test_any_failure_gives_the_rejects_of_full_validation(case):
    rows = [_row(n) for n in range(1, 6)]
    known = [True, True, True, True, False]
    if case == "known row now in the future":
        rows[1]["published_date"] = dt.date.today() + dt.timedelta(days=3)
    elif case == "known rows share a salted id":
        rows[2]["article_id"] = rows[3]["article_id"]
    elif case == "new row repeats a known path":
        rows[4]["source_path"] = rows[0]["source_path"]
    elif case == "new row fails a check":
        rows[4]["word_count"] = 999
    elif case == "known id malformed":
        rows[0]["article_id"] = "not-hex"
    fast, full = _both(rows, known)
    assert full[1], "the case must fail validation"
    assert fast == full


def test_a_dataframe_check_reading_a_changing_column_disables_the_shortcut(monkeypatch):
    monkeypatch.setitem(tabulate.DATAFRAME_CHECK_COLUMNS, "word_count_consistent", ("body", "word_count", "article_id"))
    rows = [_row(n) for n in range(1, 4)]
    assert not tabulate._still_valid(to_frame(rows, MODEL), MODEL, pd.Series([True] * 3), CHANGING)
    monkeypatch.delitem(tabulate.DATAFRAME_CHECK_COLUMNS, "word_count_consistent")   # undeclared: reads all
    assert not tabulate._still_valid(to_frame(rows, MODEL), MODEL, pd.Series([True] * 3), CHANGING)
    monkeypatch.undo()
    assert tabulate._still_valid(to_frame(rows, MODEL), MODEL, pd.Series([True] * 3), CHANGING)
