"""Derive the Parquet/Arrow schema from a pandera model: one schema, two uses (DESIGN rule 6)."""

from __future__ import annotations

import pyarrow as pa

# Nested types pandas cannot express; a model column names one in Field(metadata={"arrow": ...}).
ACTOR = pa.struct(
    [
        pa.field("name", pa.string()),
        pa.field("country_code", pa.string()),
        pa.field("sector", pa.string()),
    ]
)
NESTED = {
    "list<string>": pa.list_(pa.string()),
    "list<actor>": pa.list_(ACTOR),
}
# pandera dtype (as str()) -> Arrow type.
SCALAR = {
    "str": pa.string(),
    "string": pa.string(),
    "string[python]": pa.string(),
    "string[pyarrow]": pa.string(),
    "int32": pa.int32(),
    "Int32": pa.int32(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "date": pa.date32(),
    "datetime64[us, UTC]": pa.timestamp("us", tz="UTC"),
}


def arrow_schema(model) -> pa.Schema:
    """The Arrow schema of a pandera DataFrameModel, with descriptions as field metadata."""
    fields = []
    for name, column in model.to_schema().columns.items():
        meta = (column.metadata or {}) if hasattr(column, "metadata") else {}
        if "arrow" in meta:
            arrow_type = NESTED[meta["arrow"]]
        else:
            arrow_type = SCALAR[str(column.dtype)]
        field_meta = {"description": column.description or ""}
        fields.append(pa.field(name, arrow_type, nullable=column.nullable, metadata=field_meta))
    return pa.schema(fields, metadata={"model": model.__name__})
