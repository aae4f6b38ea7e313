"""Rows -> typed DataFrames -> lazy pandera validation -> Arrow tables; failing rows become rejects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import pandera.errors
import pyarrow as pa

from pipeline.model import Reason, Reject
from schemas import arrow_schema

_STRING = pd.StringDtype("pyarrow")


def to_frame(rows: Sequence[dict[str, Any]], model) -> pd.DataFrame:
    """A DataFrame with the model's columns, in order, cast to the model's dtypes."""
    columns = model.to_schema().columns
    df = pd.DataFrame.from_records(list(rows), columns=list(columns))
    for name, column in columns.items():
        dtype = str(column.dtype)
        if dtype.startswith("string") or dtype == "str":
            df[name] = df[name].astype(_STRING)
        elif dtype in ("int32", "int64", "Int32", "float64", "bool"):
            df[name] = df[name].astype(dtype)
        else:  # dates and nested lists stay Python objects; pandera checks them as such
            df[name] = df[name].astype(object)
    return df


def validate(
    df: pd.DataFrame, model, table: str, source_of: Callable[[pd.Series], str]
) -> tuple[pd.DataFrame, list[Reject]]:
    """Split a frame into valid rows and rejects (one per failing row, naming the first failed check).

    Lazy validation collects every failure; rows are quarantined, never silently dropped
    (pandera's drop_invalid_rows is not used, DESIGN rule 7).
    """
    if df.empty:
        return df, []
    try:
        model.validate(df, lazy=True)
        return df, []
    except pandera.errors.SchemaErrors as err:
        cases = err.failure_cases
    bad: dict[int, dict[str, Any]] = {}
    for case in cases.to_dict("records"):
        index = case.get("index")
        targets = list(df.index) if index is None or pd.isna(index) else [int(index)]
        for i in targets:
            bad.setdefault(i, case)
    rejects = []
    for i, case in sorted(bad.items()):
        row = df.loc[i]
        column = case.get("column")
        rejects.append(
            Reject(
                source_path=source_of(row),
                stage="validate",
                reason=Reason.VALIDATION,
                message=f"{table}: check {case.get('check')} failed on column {column}",
                content_sha256=row.get("content_sha256") if "content_sha256" in row else None,
                table=table,
                column=None if column is None or pd.isna(column) else str(column),
                check=str(case.get("check")),
                value=None if case.get("failure_case") is None else str(case.get("failure_case"))[:500],
            )
        )
    return df.drop(index=list(bad)).reset_index(drop=True), rejects


def to_arrow(df: pd.DataFrame, model) -> pa.Table:
    """Arrow table with exactly the schema derived from the model (never inferred)."""
    schema = arrow_schema(model)
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False)
