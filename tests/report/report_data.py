"""Rows and tables for the report, card and loading tests (quotes and events filled by hand)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pyarrow as pa

from pipeline.tabulate import to_arrow, to_frame
from schemas import MODELS
from schemas.articles import word_count

HOSTILE_TITLE = "<script>alert(1)</script> and </table> too"


def article(n: int, **overrides) -> dict:
    body = f"Article number {n} says something.\n\nA second paragraph."
    row = dict(article_id=f"{n:016x}", source_path=f"a{n:02d}.txt", source_format="txt",
               content_sha256=hashlib.sha256(str(n).encode()).hexdigest(), url=None,
               outlet="Harbour Gazette" if n % 2 else "Valley Times", outlet_domain=None,
               outlet_country=None, outlet_signal="sidecar", title=f"Title {n}", subtitle=None,
               authors=["Jane Roe"], published_date=dt.date(2020, 1 + n % 12, 1 + n), updated_date=None,
               date_source="sidecar", language="en", tags=[], body=body, word_count=word_count(body),
               paragraph_count=2, duplicate_of=None, warnings=[])
    row.update(overrides)
    return row


def quote(n: int, article_id: str, speaker: str | None, quote_type: str = "direct", role: str | None = None) -> dict:
    return dict(quote_id=f"q{n}", article_id=article_id, quote_text="something", quote_type=quote_type,
                start_char=20, end_char=29, speaker=speaker, speaker_mention=speaker,
                speaker_kind="person" if speaker else "unknown", speaker_role=role,
                speaker_id=speaker.lower() if speaker else None, cue="said", paragraph_index=0, confidence=0.9)


def _actor(name: str) -> dict:
    return {"name": name, "country_code": None, "sector": "government"}


def event(n: int, article_id: str, actor: str, recipient: str | None, kind: str,
          date: dt.date | None) -> dict:
    return dict(event_id=f"e{n}", article_id=article_id, event_type=kind, event_mode=None, event_subtype=None,
                contexts=[], actors=[_actor(actor)], recipients=[_actor(recipient)] if recipient else [],
                event_date=date, event_date_end=None, date_precision="day" if date else "unknown",
                date_text=None, date_source="explicit" if date else "publication_fallback",
                factuality="asserted", is_background=False, location_text=None, location_country_code=None,
                dead=None, injured=None, sentence="Article number 1 says something.", start_char=0,
                end_char=32, quote_id=None, confidence=0.8, event_cluster_id=f"c{n}")


def reject(path: str, reason: str, stage: str = "read", **extra) -> dict:
    row = dict(source_path=path, stage=stage, reason=reason, message=f"{reason} on {path}", content_sha256=None,
               table=None, column=None, check=None, value=None)
    row.update(extra)
    return row


def tables_of(articles=(), quotes=(), events=(), rejects=()) -> dict[str, pa.Table]:
    rows = {"articles": articles, "quotes": quotes, "events": events, "rejects": rejects}
    return {name: to_arrow(to_frame(list(r), MODELS[name]), MODELS[name]) for name, r in rows.items()}


def manifest_of(version: str, tables: dict[str, pa.Table], parent: str | None = None, inputs=None) -> dict:
    rejects = tables["rejects"].column("reason").to_pylist()
    return {
        "version": version, "created_at": "2024-05-01T10:00:00+00:00", "parent": parent,
        "pipeline_version": "0.1.0", "fingerprint": "f" * 64, "code_sha256": "c" * 64,
        "lexicons": {"boilerplate_lines.txt": "d" * 64},
        "inputs": inputs if inputs is not None else [
            {"path": p, "sha256": hashlib.sha256(p.encode()).hexdigest(), "size": 100, "sidecar_sha256": None}
            for p in tables["articles"].column("source_path").to_pylist()],
        "inputs_rejected_at_discovery": [],
        "rows": {name: t.num_rows for name, t in tables.items()},
        "rejects_by_reason": {r: rejects.count(r) for r in sorted(set(rejects))},
        "stats": {}, "config": {"batch_size": 200}, "seconds": 1.5,
    }


def filled_tables() -> dict[str, pa.Table]:
    articles = [article(1), article(2), article(3, title=HOSTILE_TITLE, outlet="<b>Evil</b> & Co"),
                article(4, outlet=None, published_date=None, date_source=None)]
    quotes = [quote(1, articles[0]["article_id"], "Ana Silva", role="minister"),
              quote(2, articles[0]["article_id"], "Ana Silva", "partial", role="finance minister"),
              quote(3, articles[1]["article_id"], "Ana Silva", "indirect", role="minister"),
              quote(4, articles[1]["article_id"], "Bo Lind", role="mayor"),
              quote(5, articles[2]["article_id"], None, "indirect")]
    events = [event(1, articles[0]["article_id"], "China", "North Korea", "CONSULT", dt.date(2020, 2, 2)),
              event(2, articles[0]["article_id"], "China", "North Korea", "ACCUSE", dt.date(2020, 3, 5)),
              event(3, articles[1]["article_id"], "United States", "China", "REQUEST", dt.date(2020, 3, 9)),
              event(4, articles[1]["article_id"], "Council", None, "PROTEST", None)]
    rejects = [reject("empty.txt", "empty"), reject("blob.bin", "unsupported_format", "discover"),
               reject("late.txt", "validation_failed", "validate", table="articles", column="published_date",
                      check="not_in_future", value="2999-01-01")]
    return tables_of(articles, quotes, events, rejects)
