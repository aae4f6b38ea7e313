"""Load one table of a stored version: `load("quotes")` gives a pandas DataFrame of the latest version."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import store

if TYPE_CHECKING:   # importing pipeline (as the worker processes do) must not import pandas
    import pandas as pd
    import pyarrow as pa


def load(table: str, out: str | Path = "processed", version: str = "latest",
         as_arrow: bool = False) -> pd.DataFrame | pa.Table:
    """One table ("articles", "quotes", "events", "rejects") of a version ("latest" follows LATEST).

    Dates come back as datetime.date and list columns as arrays of Python objects; as_arrow=True
    returns the pyarrow Table with the stored schema and its column descriptions. Raises
    ValueError for an unknown table and StoreError when the store or the version is missing.
    """
    out = Path(out)
    if version != "latest" and not (out / version / store.MANIFEST).is_file():
        known = [m["version"] for m in store.list_versions(out)]
        raise store.StoreError(f"no version {version!r} in {out}; versions: {', '.join(known) or 'none'}")
    result = store.load_table(out, table, version)
    return result if as_arrow else result.to_pandas()
