"""The quotes table: one row per quotation in an article body (filled by the quotes stage)."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pdv
from pandera.typing import Series

QUOTE_TYPES = ["direct", "partial", "indirect"]
SPEAKER_KINDS = ["person", "organisation", "document", "unnamed", "unknown"]


class QuotesModel(pdv.DataFrameModel):
    quote_id: Series[str] = pdv.Field(unique=True, description="Stable id: hash of article_id and offsets.")
    article_id: Series[str] = pdv.Field(description="The article the quote is in (articles.article_id).")
    quote_text: Series[str] = pdv.Field(str_length={"min_value": 1}, description="The quoted words, without the quote marks; equals body[start_char:end_char].")
    quote_type: Series[str] = pdv.Field(isin=QUOTE_TYPES, description="direct, partial (a quoted fragment in reported speech) or indirect (reported speech, no marks).")
    start_char: Series["int32"] = pdv.Field(ge=0, description="Start offset of quote_text in articles.body (Python str index).")
    end_char: Series["int32"] = pdv.Field(gt=0, description="End offset (exclusive) of quote_text in articles.body.")
    speaker: Series[str] = pdv.Field(nullable=True, description="Canonical speaker name (pronouns and short forms resolved), null when unknown.")
    speaker_mention: Series[str] = pdv.Field(nullable=True, description="The speaker as written next to the quote ('he', 'Ms Flournoy').")
    speaker_kind: Series[str] = pdv.Field(isin=SPEAKER_KINDS, description="person, organisation, document, unnamed or unknown.")
    speaker_role: Series[str] = pdv.Field(nullable=True, description="The speaker's role as the article gives it.")
    speaker_id: Series[str] = pdv.Field(nullable=True, description="Same person across articles, same id (case/diacritics/hyphen-insensitive name key).")
    cue: Series[str] = pdv.Field(nullable=True, description="Cue verb or phrase ('said', 'according to').")
    paragraph_index: Series["int32"] = pdv.Field(ge=0, description="0-based paragraph of the body the quote starts in.")
    confidence: Series[float] = pdv.Field(ge=0, le=1, description="Extractor confidence in [0, 1].")

    @pdv.dataframe_check(name="offsets_ordered")
    def _offsets(cls, df: pd.DataFrame) -> pd.Series:
        return df["start_char"] < df["end_char"]

    class Config:
        strict = True
        ordered = True
