"""pandera models of the four tables and their derived Arrow schemas."""

from schemas._arrow import arrow_schema
from schemas.articles import ArticlesModel
from schemas.events import EventsModel
from schemas.quotes import QuotesModel
from schemas.rejects import RejectsModel

MODELS = {
    "articles": ArticlesModel,
    "quotes": QuotesModel,
    "events": EventsModel,
    "rejects": RejectsModel,
}

__all__ = ["MODELS", "arrow_schema", "ArticlesModel", "QuotesModel", "EventsModel", "RejectsModel"]
