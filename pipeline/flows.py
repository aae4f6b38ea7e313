"""Prefect flow and tasks: the only module that imports Prefect; it batches sources and owns all I/O."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from pydantic import BaseModel, Field

from pipeline import __version__, provenance, store
from pipeline.card import render_card
from pipeline.clean import clean
from pipeline.dedupe import mark_duplicates
from pipeline.extract import extract
from pipeline.describe import describe
from pipeline.model import Article, Event, Quote, RawDocument, Reason, Reject, Source, StageError
from pipeline.parse.html import parse_html
from pipeline.parse.sandbox import HtmlSandbox
from pipeline.parse.text import parse_text
from pipeline.reading import read
from pipeline.report import render_report
from pipeline.sources import FORMATS, discover
from pipeline.tabulate import to_arrow, to_frame, validate
from schemas import MODELS

log = logging.getLogger("pipeline")


class RunConfig(BaseModel):
    """Typed parameters of one run (DESIGN rule 9)."""

    raw: Path
    out: Path
    batch_size: int = Field(200, ge=1, description="Sources per Prefect task: a task costs ~6 ms, so hundreds per task.")
    max_bytes: int = Field(20_000_000, ge=1, description="Inputs larger than this are rejected without being read.")
    html_timeout_s: float = Field(30.0, gt=0, description="Time limit for extracting one HTML page.")
    lock_timeout_s: float = Field(600.0, ge=0, description="How long to wait for another run's lock on the store.")
    force: bool = Field(False, description="Write a new version even when nothing changed.")


@dataclasses.dataclass
class BatchResult:
    articles: list[Article]
    rejects: list[Reject]
    quotes: dict[str, list[Quote]]    # by article_id
    events: dict[str, list[Event]]
    stats: Counter


@dataclasses.dataclass
class RunSummary:
    out: str
    version: str | None
    up_to_date: bool
    rows: dict[str, int]
    rejects_by_reason: dict[str, int]
    seconds: float


_logged_failures: set[str] = set()


def _log_once(kind: str, message: str) -> None:
    """Each kind of failure is logged once per process, not once per document (DESIGN rule 12)."""
    if kind not in _logged_failures:
        _logged_failures.add(kind)
        log.warning("%s (further failures of this kind are counted, not logged)", message)


def _finish(raw_or_doc, stage: str, source: Source, stats: Counter) -> Article | Reject:
    """Run the stages after parsing (clean, describe); any failure becomes a Reject."""
    try:
        stage = "clean"
        doc = clean(raw_or_doc)
        stats.update(f"dropped_blocks.{reason}" for _, reason in doc.dropped)
        stats["kept_blocks"] += len(doc.blocks)
        stage = "describe"
        return describe(doc)
    except StageError as exc:
        return Reject(source.rel_path, stage, exc.reason, exc.message, source.sha256 or None)
    except Exception as exc:  # a bug in one stage must not sink the run: keep the input as a reject
        return _stage_bug(stage, source, exc)


def _stage_bug(stage: str, source: Source, exc: Exception) -> Reject:
    _log_once(f"{stage}:{type(exc).__name__}", f"{stage} raised {type(exc).__name__} on {source.rel_path}: {exc}")
    return Reject(source.rel_path, stage, Reason.STAGE_ERROR, f"{type(exc).__name__}: {exc}"[:500], source.sha256 or None)


def process_sources(sources: list[Source], config: RunConfig, sandbox: HtmlSandbox | None,
                    stats: Counter) -> list[Article | Reject]:
    """Read, parse, clean and describe sources; one Article or Reject per source, in order.

    HTML goes to the sandbox's worker processes in one call per batch (a time limit per page,
    crashes isolated); text and Markdown are parsed in this thread.
    """
    results: list[Article | Reject | None] = [None] * len(sources)
    html: list[tuple[int, RawDocument]] = []
    for i, source in enumerate(sources):
        try:
            raw = read(source, FORMATS[source.path.suffix.lower()], config.max_bytes)
        except StageError as exc:
            results[i] = Reject(source.rel_path, "read", exc.reason, exc.message, source.sha256 or None)
            continue
        except Exception as exc:
            results[i] = _stage_bug("read", source, exc)
            continue
        if raw.format == "html":
            html.append((i, raw))
            continue
        try:
            doc = parse_text(raw)
        except StageError as exc:
            results[i] = Reject(source.rel_path, "parse", exc.reason, exc.message, raw.source.sha256)
            continue
        except Exception as exc:
            results[i] = _stage_bug("parse", raw.source, exc)
            continue
        results[i] = _finish(doc, "clean", raw.source, stats)
    if html:
        raws = [raw for _, raw in html]
        if sandbox is not None:
            parsed = sandbox.parse_many(raws, config.html_timeout_s)
        else:
            parsed = []
            for raw in raws:
                try:
                    parsed.append(parse_html(raw))
                except StageError as exc:
                    parsed.append(exc)
                except Exception as exc:
                    parsed.append(StageError(Reason.HTML_CRASH, f"{type(exc).__name__}: {exc}"[:500]))
        for (i, raw), doc in zip(html, parsed):
            if isinstance(doc, StageError):
                results[i] = Reject(raw.source.rel_path, "parse", doc.reason, doc.message, raw.source.sha256)
            else:
                results[i] = _finish(doc, "clean", raw.source, stats)
    return results


def _documents(out: Path, parent: str | None, tables: dict, manifest: dict) -> dict[str, str]:
    """The version's dataset card and report. A rendering bug must not cost the data: it is logged
    and the files can be rebuilt with `python -m pipeline report`."""
    files = {}
    try:
        files["README.md"] = render_card(manifest, tables)
        parent_tables = parent_manifest = None
        if parent:
            parent_manifest = store.read_manifest(out, parent)
            try:
                parent_tables = {name: store.load_table(out, name, parent) for name in store.TABLES}
            except OSError:
                parent_tables = None  # the report still shows the change in counts
        files["report.html"] = render_report(tables, manifest, parent_tables, parent_manifest)
    except Exception as exc:
        _log_once(f"report:{type(exc).__name__}", f"could not render the card or report: {exc}")
    return files


# The sandbox of the running flow: worker processes cannot be a task parameter.
_sandbox: HtmlSandbox | None = None


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch(sources: list[Source], config: RunConfig) -> BatchResult:
    """Read, parse, clean and describe a batch of sources."""
    articles, rejects, quotes, events, stats = [], [], {}, {}, Counter()
    for result in process_sources(sources, config, _sandbox, stats):
        if isinstance(result, Reject):
            rejects.append(result)
            continue
        try:
            quotes[result.article_id], events[result.article_id] = extract(result)
        except Exception as exc:  # the article stands without them; the failure is counted
            _log_once(f"extract:{type(exc).__name__}", f"extract raised {type(exc).__name__} on {result.source_path}: {exc}")
            quotes[result.article_id], events[result.article_id] = [], []
            stats["extract_errors"] += 1
        stats["quotes"] += len(quotes[result.article_id])
        stats["events"] += len(events[result.article_id])
        articles.append(result)
    return BatchResult(articles, rejects, quotes, events, stats)


def _article_rows(articles: list[Article]) -> list[dict[str, Any]]:
    rows = []
    for article in articles:
        row = dataclasses.asdict(article)
        for key in ("authors", "tags", "warnings"):
            row[key] = list(row[key])
        rows.append(row)
    return rows


def _quote_rows(quotes: list[Quote]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(q) for q in quotes]


def _event_rows(events: list[Event]) -> list[dict[str, Any]]:
    rows = []
    for event in events:
        row = dataclasses.asdict(event)  # nested Actor dataclasses become dicts, as Arrow structs want
        row["contexts"] = list(row["contexts"])
        row["actors"] = list(row["actors"])
        row["recipients"] = list(row["recipients"])
        rows.append(row)
    return rows


def _reject_rows(rejects: list[Reject]) -> list[dict[str, Any]]:
    rows = []
    for reject in rejects:
        row = dataclasses.asdict(reject)
        row["reason"] = Reason(reject.reason).value
        rows.append(row)
    return rows


def _unique_ids(articles: list[Article], extracted: dict[str, tuple[list[Quote], list[Event]]]
                ) -> tuple[list[Article], dict[str, tuple[list[Quote], list[Event]]]]:
    """Byte-identical files share a content hash; later paths get an id salted with their path
    (and their quotes and events are extracted again so that their ids follow)."""
    seen: set[str] = set()
    result, by_id = [], {}
    for article in sorted(articles, key=lambda a: a.source_path):
        if article.article_id in seen:
            salted = hashlib.sha256(f"{article.content_sha256}:{article.source_path}".encode()).hexdigest()[:16]
            article = dataclasses.replace(article, article_id=salted)
            by_id[article.article_id] = extract(article)
        else:
            by_id[article.article_id] = extracted.get(article.article_id, ([], []))
        seen.add(article.article_id)
        result.append(article)
    return result, by_id


def _run_batches(batches: list[list[Source]], config: RunConfig, on_progress: Callable[[int], None] | None) -> list[BatchResult]:
    futures = [process_batch.submit(batch, config) for batch in batches]
    results = []
    for future in as_completed(futures):
        result = future.result()
        results.append(result)
        if on_progress:
            on_progress(len(result.articles) + len(result.rejects))
    return results


@dataclasses.dataclass
class ProgressHooks:
    """Callbacks the CLI sets to draw a progress bar (flow parameters must stay serialisable)."""

    on_total: Callable[[int], None] | None = None
    on_progress: Callable[[int], None] | None = None


progress_hooks = ProgressHooks()


@flow(name="build-news-dataset", log_prints=False)
def build_dataset(config: RunConfig) -> RunSummary:
    """raw/ -> articles, quotes, events and rejects tables, validated, in a new immutable version."""
    started = time.monotonic()
    on_total, on_progress = progress_hooks.on_total, progress_hooks.on_progress
    out = config.out.resolve()
    with store.locked(out, config.lock_timeout_s):
        store.cleanup_partial(out)
        parent = store.latest(out)
        sources, rejects, sidecar_hashes = discover(config.raw, config.max_bytes)
        fingerprint, provenance_info = provenance.fingerprint(sources, rejects, sidecar_hashes, config.max_bytes)
        if parent and not config.force and store.read_manifest(out, parent).get("fingerprint") == fingerprint:
            manifest = store.read_manifest(out, parent)
            return RunSummary(str(out), parent, True, manifest["rows"], manifest["rejects_by_reason"],
                              time.monotonic() - started)
        if on_total:
            on_total(len(sources))
        batches = [sources[i : i + config.batch_size] for i in range(0, len(sources), config.batch_size)]
        global _sandbox
        with HtmlSandbox() as _sandbox:
            try:
                results = _run_batches(batches, config, on_progress)
            finally:
                _sandbox = None
        articles = [a for r in results for a in r.articles]
        rejects = rejects + [x for r in results for x in r.rejects]
        stats = sum((r.stats for r in results), Counter())
        extracted = {aid: (r.quotes[aid], r.events[aid]) for r in results for aid in r.quotes}
        articles, extracted = _unique_ids(articles, extracted)
        articles = mark_duplicates(articles)

        frames, row_rejects = {}, []
        path_of = {a.article_id: a.source_path for a in articles}
        frames["articles"], bad = validate(to_frame(_article_rows(articles), MODELS["articles"]),
                                          MODELS["articles"], "articles", lambda row: row["source_path"])
        row_rejects += bad
        # quotes and events of an article that failed validation leave with it (it is in rejects)
        kept = set(frames["articles"]["article_id"])
        quotes = [q for aid in sorted(kept) for q in extracted[aid][0]]
        events = [e for aid in sorted(kept) for e in extracted[aid][1]]
        for table, rows in (("quotes", _quote_rows(quotes)), ("events", _event_rows(events))):
            frames[table], bad = validate(to_frame(rows, MODELS[table]), MODELS[table], table,
                                          lambda row: path_of.get(row["article_id"], "?"))
            row_rejects += bad
        rejects = sorted(rejects + row_rejects, key=lambda r: (r.source_path, r.stage))
        frames["rejects"] = to_frame(_reject_rows(rejects), MODELS["rejects"])
        MODELS["rejects"].validate(frames["rejects"])  # a bad reject row is our bug: fail loudly
        tables = {name: to_arrow(frame, MODELS[name]) for name, frame in frames.items()}

        now = dt.datetime.now(dt.timezone.utc)
        version = store.version_id(now, fingerprint)
        rows = {name: table.num_rows for name, table in tables.items()}
        by_reason = dict(sorted(Counter(Reason(r.reason).value for r in rejects).items()))
        manifest = {
            "version": version,
            "created_at": now.isoformat(),
            "parent": parent,
            "pipeline_version": __version__,
            "fingerprint": fingerprint,
            **provenance_info,
            "rows": rows,
            "rejects_by_reason": by_reason,
            "stats": dict(sorted(stats.items())) | {"duplicates": sum(1 for a in articles if a.duplicate_of)},
            "config": json.loads(config.model_dump_json(exclude={"raw", "out"})),
            "seconds": round(time.monotonic() - started, 3),
        }
        store.write_version(out, version, tables, manifest, extra_files=_documents(out, parent, tables, manifest))
        return RunSummary(str(out), version, False, rows, by_reason, time.monotonic() - started)
