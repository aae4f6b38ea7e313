"""The events table: who did what to whom and when, coded in PLOVER (filled by the events stage)."""

from __future__ import annotations

import pandera.pandas as pdv
from pandera.engines.pandas_engine import Date
from pandera.typing import Series

EVENT_TYPES = [
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
]
PRECISIONS = ["day", "week", "month", "year", "unknown"]
DATE_SOURCES = ["explicit", "relative", "publication_fallback"]
FACTUALITY = ["asserted", "negated", "hypothetical", "future"]


class EventsModel(pdv.DataFrameModel):
    event_id: Series[str] = pdv.Field(unique=True, description="Stable id: hash of article_id and offsets.")
    article_id: Series[str] = pdv.Field(description="The article reporting the event.")
    event_type: Series[str] = pdv.Field(isin=EVENT_TYPES, description="PLOVER event type.")
    event_mode: Series[str] = pdv.Field(nullable=True, description="PLOVER mode of the event type.")
    event_subtype: Series[str] = pdv.Field(nullable=True, description="Finer label where clear (nuclear_test, talks, sanctions_vote, ...).")
    contexts: Series[object] = pdv.Field(metadata={"arrow": "list<string>"}, description="PLOVER contexts.")
    actors: Series[object] = pdv.Field(metadata={"arrow": "list<actor>"}, description="Who acted: {name, country_code, sector}.")
    recipients: Series[object] = pdv.Field(metadata={"arrow": "list<actor>"}, description="Who was acted upon: {name, country_code, sector}.")
    event_date: Series[Date] = pdv.Field(nullable=True, description="Start date of the event (at date_precision).")
    event_date_end: Series[Date] = pdv.Field(nullable=True, description="End date for periods (a month, a week), else null.")
    date_precision: Series[str] = pdv.Field(isin=PRECISIONS, description="day, week, month, year or unknown.")
    date_text: Series[str] = pdv.Field(nullable=True, description="The words the date came from ('last Friday').")
    date_source: Series[str] = pdv.Field(isin=DATE_SOURCES, description="explicit, relative or publication_fallback.")
    factuality: Series[str] = pdv.Field(isin=FACTUALITY, description="asserted, negated, hypothetical or future.")
    is_background: Series[bool] = pdv.Field(description="A past event recalled by a later story.")
    location_text: Series[str] = pdv.Field(nullable=True, description="Where, as written.")
    location_country_code: Series[str] = pdv.Field(nullable=True, description="ISO 3166-1 alpha-3 of the location.")
    dead: Series["Int32"] = pdv.Field(nullable=True, description="People killed, when stated.")
    injured: Series["Int32"] = pdv.Field(nullable=True, description="People injured, when stated.")
    sentence: Series[str] = pdv.Field(description="The sentence reporting the event.")
    start_char: Series["int32"] = pdv.Field(ge=0, description="Start offset of the sentence in articles.body.")
    end_char: Series["int32"] = pdv.Field(gt=0, description="End offset (exclusive) of the sentence in articles.body.")
    quote_id: Series[str] = pdv.Field(nullable=True, description="The quote the event is reported in, if any.")
    confidence: Series[float] = pdv.Field(ge=0, le=1, description="Extractor confidence in [0, 1].")
    event_cluster_id: Series[str] = pdv.Field(description="Same real-world event across reports, same id.")

    class Config:
        strict = True
        ordered = True
