"""The articles table: one row per distinct article."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pdv
from pandera.engines.pandas_engine import Date
from pandera.typing import Series

from schemas.text import word_count

EARLIEST = dt.date(1800, 1, 1)
FORMATS = ["txt", "md", "html"]


def _not_future(s: pd.Series) -> pd.Series:
    today = dt.date.today()
    return s.map(lambda d: d is None or pd.isna(d) or d <= today)


def _not_before_1800(s: pd.Series) -> pd.Series:
    return s.map(lambda d: d is None or pd.isna(d) or d >= EARLIEST)


class ArticlesModel(pdv.DataFrameModel):
    article_id: Series[str] = pdv.Field(
        unique=True, str_matches=r"^[0-9a-f]{16}$",
        description="Stable id: the first 16 hex digits of the raw bytes' SHA-256 (same content, same id; a byte-identical copy at another path gets a hash of content and path).",
    )
    source_path: Series[str] = pdv.Field(unique=True, description="Path of the input file, relative to the raw folder.")
    source_format: Series[str] = pdv.Field(isin=FORMATS, description="Input format: txt, md or html.")
    content_sha256: Series[str] = pdv.Field(str_matches=r"^[0-9a-f]{64}$", description="SHA-256 of the input's raw bytes.")
    url: Series[str] = pdv.Field(nullable=True, description="Canonical URL (sidecar, else the page's own canonical link).")
    outlet: Series[str] = pdv.Field(nullable=True, description="Canonical outlet name from the outlet registry; null when the page gives no reliable signal.")
    outlet_domain: Series[str] = pdv.Field(nullable=True, description="The outlet's main domain.")
    outlet_country: Series[str] = pdv.Field(nullable=True, description="The outlet's country, ISO 3166-1 alpha-3 (INT for international bodies).")
    outlet_signal: Series[str] = pdv.Field(nullable=True, description="Which clue identified the outlet: hint (sidecar), url, signals.url (the page's canonical link), site_name, domains (footer/contact domains), boilerplate (the site's own navigation and teasers), self_reference ('obtained by the X'), site_name_unregistered (a site name not in the registry, kept as printed).")
    title: Series[str] = pdv.Field(nullable=True, description="Headline, markup removed.")
    subtitle: Series[str] = pdv.Field(nullable=True, description="Standfirst/dek printed under the headline, when the page has one.")
    authors: Series[object] = pdv.Field(nullable=False, metadata={"arrow": "list<string>"}, description="Bylines, one name per item (agency bylines kept as printed).")
    published_date: Series[Date] = pdv.Field(nullable=True, description="Publication date.")
    updated_date: Series[Date] = pdv.Field(nullable=True, description="Last update date, when later than the publication date.")
    date_source: Series[str] = pdv.Field(nullable=True, description="Signal that gave published_date: sidecar, html_metadata, label_created, dateline, url, ...")
    language: Series[str] = pdv.Field(nullable=True, description="ISO 639-1 language code; null when the text is too short to tell.")
    tags: Series[object] = pdv.Field(nullable=False, metadata={"arrow": "list<string>"}, description="Topic tags from breadcrumbs, 'Published under' lines and page metadata.")
    body: Series[str] = pdv.Field(str_length={"min_value": 1}, description="Clean article text; paragraphs separated by one blank line.")
    word_count: Series["int32"] = pdv.Field(gt=0, description="Number of whitespace-separated words in body.")
    paragraph_count: Series["int32"] = pdv.Field(gt=0, description="Number of paragraphs in body.")
    duplicate_of: Series[str] = pdv.Field(nullable=True, description="article_id of an earlier copy of the same article (earliest date, then path), else null.")
    warnings: Series[object] = pdv.Field(nullable=False, metadata={"arrow": "list<string>"}, description="Non-fatal problems with this input (e.g. a malformed sidecar that was ignored).")

    @pdv.check("published_date", "updated_date", name="not_in_future")
    def _no_future(cls, s: pd.Series) -> pd.Series:
        return _not_future(s)

    @pdv.check("published_date", "updated_date", name="not_before_1800")
    def _no_ancient(cls, s: pd.Series) -> pd.Series:
        return _not_before_1800(s)

    @pdv.dataframe_check(name="word_count_consistent")
    def _word_count(cls, df: pd.DataFrame) -> pd.Series:
        return df["body"].map(word_count) == df["word_count"]

    class Config:
        strict = True
        ordered = True
