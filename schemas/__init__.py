"""pandera models of the four tables and their derived Arrow schemas.

The models are imported on first use (PEP 562), so that a module needing only a helper such as
schemas.text.word_count (the pipeline's worker processes) does not import pandas and pandera.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "arrow_schema": ("schemas._arrow", "arrow_schema"),
    "ArticlesModel": ("schemas.articles", "ArticlesModel"),
    "EventsModel": ("schemas.events", "EventsModel"),
    "QuotesModel": ("schemas.quotes", "QuotesModel"),
    "RejectsModel": ("schemas.rejects", "RejectsModel"),
}

__all__ = ["MODELS", "arrow_schema", "ArticlesModel", "QuotesModel", "EventsModel", "RejectsModel"]


def __getattr__(name: str) -> Any:
    if name == "MODELS":
        value: Any = {"articles": __getattr__("ArticlesModel"), "quotes": __getattr__("QuotesModel"),
                      "events": __getattr__("EventsModel"), "rejects": __getattr__("RejectsModel")}
    elif name in _LAZY:
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
    else:
        raise AttributeError(f"module 'schemas' has no attribute {name!r}")
    globals()[name] = value
    return value
