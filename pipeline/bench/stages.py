"""Time each stage function directly over a corpus, in this process, one core, no Prefect."""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.clean import clean
from pipeline.dedupe import mark_duplicates
from pipeline.describe import describe
from pipeline.events import extract_events
from pipeline.extract import link_quotes
from pipeline.model import Article, StageError
from pipeline.parse.html import _OPTIONS, parse_html
from pipeline.parse.text import parse_text
from pipeline.quotes import extract_quotes
from pipeline.reading import read
from pipeline.sources import FORMATS, discover
from pipeline.tabulate import to_arrow, to_frame, validate
from schemas import MODELS

STAGES = ("read", "parse", "clean", "describe", "quotes", "events", "dedupe", "validate", "write")
PATHS = ("text", "html")   # text = plain text and Markdown; html = saved pages
MAX_BYTES = 20_000_000


def _rows(items: list) -> list[dict]:
    rows = []
    for item in items:
        row = dataclasses.asdict(item)
        rows.append({k: list(v) if isinstance(v, tuple) else v for k, v in row.items()})
    return rows


class _Clock:
    """Seconds per (path, stage), and documents per path."""

    def __init__(self) -> None:
        self.seconds: dict[str, dict[str, float]] = {p: defaultdict(float) for p in (*PATHS, "all")}
        self.docs: dict[str, int] = defaultdict(int)

    def run(self, path: str, stage: str, fn, *args):
        t = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.seconds[path][stage] += time.perf_counter() - t


def time_stages(raw_dir: Path) -> dict:
    """Per-stage seconds over every source under raw_dir, split by path (text vs HTML)."""
    clock = _Clock()
    sources, _, _ = discover(raw_dir, MAX_BYTES)
    articles: list[tuple[str, Article]] = []
    html_texts: list[str] = []
    rejects = 0
    for source in sources:
        try:
            raw = clock.run("all", "read", read, source, FORMATS[source.path.suffix.lower()], MAX_BYTES)
            path = "html" if raw.format == "html" else "text"
            clock.seconds[path]["read"] += 0.0
            clock.docs[path] += 1
            if path == "html":
                html_texts.append(raw.text)
                doc = clock.run(path, "parse", parse_html, raw)
            else:
                doc = clock.run(path, "parse", parse_text, raw)
            doc = clock.run(path, "clean", clean, doc)
            articles.append((path, clock.run(path, "describe", describe, doc)))
        except StageError:
            rejects += 1
    quotes, events = [], []
    for path, article in articles:
        q = clock.run(path, "quotes", extract_quotes, article)
        e = clock.run(path, "events", extract_events, article)
        quotes += q
        events += clock.run(path, "events", link_quotes, e, q)
    # whole-run stages: they see every article at once, so they are not split by path
    kept = clock.run("all", "dedupe", mark_duplicates, [a for _, a in articles])
    tables = {}
    for name, items in (("articles", kept), ("quotes", quotes), ("events", events)):
        frame = clock.run("all", "validate", to_frame, _rows(items), MODELS[name])
        frame, _ = clock.run("all", "validate", validate, frame, MODELS[name], name, lambda row: "?")
        tables[name] = clock.run("all", "write", to_arrow, frame, MODELS[name])
    out = Path(tempfile.mkdtemp(prefix="bench-write-"))
    try:
        for name, table in tables.items():
            clock.run("all", "write", lambda t, p: pq.write_table(t, p, compression="zstd"), table, out / f"{name}.parquet")
    finally:
        shutil.rmtree(out, ignore_errors=True)
    # read time is split by path after the fact, in proportion to documents (it is tiny)
    total_docs = max(sum(clock.docs.values()), 1)
    for path in PATHS:
        clock.seconds[path]["read"] = clock.seconds["all"]["read"] * clock.docs[path] / total_docs
    per_stage = {}
    for stage in STAGES:
        per_stage[stage] = sum(clock.seconds[p].get(stage, 0.0) for p in PATHS) if stage not in (
            "read", "dedupe", "validate", "write") else clock.seconds["all"].get(stage, 0.0)
    return {
        "sources": len(sources),
        "articles": len(articles),
        "rejects": rejects,
        "quotes": len(quotes),
        "events": len(events),
        "docs_by_path": dict(clock.docs),
        "seconds_by_stage": {k: round(v, 4) for k, v in per_stage.items()},
        "seconds_by_path": {p: {k: round(v, 4) for k, v in clock.seconds[p].items()} for p in PATHS},
        "html_texts": html_texts,
    }


def time_bare_trafilatura(html_texts: list[str]) -> float:
    """Seconds for a bare loop of trafilatura.bare_extraction (same options) over the same pages."""
    from trafilatura import bare_extraction

    t = time.perf_counter()
    for text in html_texts:
        try:
            bare_extraction(text, **_OPTIONS)
        except Exception:
            pass
    return time.perf_counter() - t
