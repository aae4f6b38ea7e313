"""Cluster keys: reports of the same real event (type, sides, subtype, date at precision) share one id."""

from __future__ import annotations

import datetime as dt
import hashlib


def date_key(date: dt.date | None, precision: str) -> str:
    """The date at its precision: 2013-03-15 (day), 2013-W11 (week), 2013-03 (month), 2013 (year)."""
    if date is None or precision == "unknown":
        return "unknown"
    if precision == "week":
        y, w, _ = date.isocalendar()
        return f"{y}-W{w:02d}"
    if precision == "month":
        return date.strftime("%Y-%m")
    if precision == "year":
        return str(date.year)
    return date.isoformat()


def cluster_id(event_type: str, actor_codes, recipient_codes, subtype: str | None,
               date: dt.date | None, precision: str) -> str:
    """Deterministic 16-hex key; independent of article, sentence and actor spelling."""
    actors = ",".join(sorted({c for c in actor_codes if c}))
    recipients = ",".join(sorted({c for c in recipient_codes if c}))
    key = f"{event_type}|{actors}|{recipients}|{subtype or ''}|{date_key(date, precision)}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
