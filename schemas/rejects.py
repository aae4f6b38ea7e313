"""The rejects table: every input or row that did not become (or stay) an article, with a reason."""

from __future__ import annotations

import pandera.pandas as pdv
from pandera.typing import Series

from pipeline.model import Reason

STAGES = ["discover", "read", "parse", "clean", "describe", "extract", "validate"]


class RejectsModel(pdv.DataFrameModel):
    source_path: Series[str] = pdv.Field(description="Input path relative to the raw folder.")
    stage: Series[str] = pdv.Field(isin=STAGES, description="Stage that rejected it.")
    reason: Series[str] = pdv.Field(isin=[r.value for r in Reason], description="Machine-readable reason code (pipeline.model.Reason).")
    message: Series[str] = pdv.Field(description="Human-readable explanation.")
    content_sha256: Series[str] = pdv.Field(nullable=True, description="SHA-256 of the input's bytes, when it could be read.")
    table: Series[str] = pdv.Field(nullable=True, description="For validation failures: the table of the failing row.")
    column: Series[str] = pdv.Field(nullable=True, description="For validation failures: the failing column.")
    check: Series[str] = pdv.Field(nullable=True, description="For validation failures: the failed check.")
    value: Series[str] = pdv.Field(nullable=True, description="For validation failures: the offending value, as text.")

    class Config:
        strict = True
        ordered = True
