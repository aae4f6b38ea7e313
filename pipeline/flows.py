"""Prefect flow and tasks: the only module that imports Prefect; it batches sources and owns all I/O."""

from __future__ import annotations

import atexit
import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import json
import logging
import multiprocessing
import os
import threading
import time
import typing
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from pydantic import BaseModel, Field

from pipeline import __version__, assemble, cache, fetch, incremental, provenance, store
from pipeline.card import render_card
from pipeline.dedupe import shingle_samples
from pipeline.model import Article, Reason, Source
from pipeline.process import SourcePool, log_once, process_inline
from pipeline.report import load_parent, render_report
from pipeline.workers import cores
from pipeline.sources import discover

log = logging.getLogger("pipeline")


class RunConfig(BaseModel):
    """Typed parameters of one run (DESIGN rule 9)."""

    raw: Path
    out: Path
    batch_size: int = Field(200, ge=1, description="Sources per Prefect task: a task costs ~6 ms, so hundreds per task.")
    max_bytes: int = Field(20_000_000, ge=1, description="Inputs larger than this are rejected without being read.")
    timeout_s: float = Field(30.0, gt=0, description="Time limit for processing one document, all stages "
                                                     "(HTML extraction included); past it the document is rejected.")
    workers: int | None = Field(None, ge=0, description="Worker processes per machine (None: one per core; 0: "
                                                        "in the flow's own threads, without the time limit, for debugging).")
    lock_timeout_s: float = Field(600.0, ge=0, description="How long to wait for another run's lock on the store.")
    force: bool = Field(False, description="Write a new version even when nothing changed.")
    use_cache: bool = Field(True, description="Reuse the stored results of unchanged inputs (OUT/.cache).")
    runner: Literal["threads", "dask"] = Field("threads", description="Where batches run: a thread pool, or Dask.")
    dask_address: str | None = Field(None, description="Scheduler of an existing Dask cluster (tcp://host:port); "
                                                       "None starts a LocalCluster.")
    dask_workers: int | None = Field(None, ge=1, description="Workers of the LocalCluster (default: one per core).")
    dask_processes: bool = Field(True, description="LocalCluster workers as processes (False: threads).")


@dataclasses.dataclass
class RunSummary:
    out: str
    version: str | None
    up_to_date: bool
    rows: dict[str, int]
    rejects_by_reason: dict[str, int]
    seconds: float
    reused: int = 0        # inputs whose cached results were reused
    processed: int = 0     # inputs read, parsed and extracted in this run


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
                parent_tables = load_parent(out, parent)
            except OSError:
                parent_tables = None  # the report still shows the change in counts
        files["report.html"] = render_report(tables, manifest, parent_tables, parent_manifest)
    except Exception as exc:
        log_once(f"report:{type(exc).__name__}", f"could not render the card or report: {exc}")
    return files


# One pool of worker processes per process, created on first use: a task may run in the flow's
# threads, in a Dask worker process or in a test, and processes cannot be passed to it as a parameter.
_pool: SourcePool | None = None
_pool_key: tuple[int, int] | None = None
_pool_lock = threading.Lock()


def get_pool(workers: int | None = None) -> SourcePool | None:
    """This process's worker pool (closed at exit), or None where child processes are not allowed."""
    global _pool, _pool_key
    key = (os.getpid(), workers or cores())
    with _pool_lock:
        if _pool is not None and _pool_key == key:
            return _pool
        if multiprocessing.current_process().daemon:
            # e.g. a Dask worker started with distributed.worker.daemon=True (its default)
            log_once("pool:daemon", "daemonic process: documents are processed in-process, without a time "
                      "limit; start Dask workers with DASK_DISTRIBUTED__WORKER__DAEMON=False")
            return None
        if _pool is not None and _pool_key and _pool_key[0] == key[0]:
            _pool.close()
        _pool, _pool_key = SourcePool(key[1]), key
        atexit.register(_pool.close)
        return _pool


def _start_pool_early(config: RunConfig) -> None:
    """Start this process's workers in the background while the flow reads its inputs and cache.

    Starting them (the fork server imports and warms every stage) takes 1-2 s, which a run with
    few new files would otherwise wait for after loading its cache. If nothing needs processing
    they are stopped unused.
    """
    pool = get_pool(config.workers)
    if pool is not None:
        threading.Thread(target=pool.start, name="start-workers", daemon=True).start()


def close_pool() -> None:
    """Stop this process's worker processes now (the next batch starts new ones)."""
    global _pool
    with _pool_lock:
        if _pool is not None and _pool_key and _pool_key[0] == os.getpid():
            _pool.close()
        _pool = None


def _dask_worker_threads() -> int | None:
    """The thread count of the Dask worker running this task (None outside Dask): its pool's size."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return None
    return getattr(worker, "nthreads", None) or getattr(getattr(worker, "state", None), "nthreads", None)


@task(name="process-batch", cache_policy=NO_CACHE)
def process_batch(sources: list[Source], config: RunConfig) -> list[cache.Entry]:
    """Read, parse, clean, describe and extract a batch of sources; one entry per source, in order.

    The work runs in this process's worker pool, one process per core: the flow's threads only
    wait, so a batch uses every core, and a document that hangs or kills its worker costs only
    itself. Where child processes are not allowed the batch runs in this thread.
    """
    pool = None if config.workers == 0 else get_pool(config.workers or _dask_worker_threads())
    if pool is None:
        return process_inline(sources, config.max_bytes)
    return pool.process(sources, config.max_bytes, config.timeout_s)


def _run_batches(batches: list[list[Source]], config: RunConfig, on_progress: Callable[[int], None] | None
                 ) -> list[tuple[list[Source], list[cache.Entry]]]:
    futures = {process_batch.submit(batch, config): batch for batch in batches}
    results = []
    for future in as_completed(list(futures)):
        entries = future.result()
        results.append((futures[future], entries))
        if on_progress:
            on_progress(len(entries))
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
        if sources and config.workers != 0 and config.runner == "threads":
            _start_pool_early(config)
        keys = {s.rel_path: cache.source_key(s, sidecar_hashes.get(s.rel_path, "")) for s in sources}
        results_cache = cache.ResultCache(out, cache.code_key(config.max_bytes))
        # few new inputs: the parent's rows of the others are reused as they are (its index says
        # which inputs it was built from); else every input's cached entry is loaded
        with cache.gc_paused():   # 5,000 small entries: 0.03 s, or 0.14 s with the collector on
            index = incremental.load_index(results_cache.dir, parent) if parent and config.use_cache else None
        todo: list[Source] = []
        if index is not None:
            todo = [s for s in sources if keys[s.rel_path] not in index]
            if len(todo) > REUSE_MAX_NEW_SHARE * len(sources):
                index = None
        stored: dict[str, cache.Entry] = {}
        frozen = contextlib.ExitStack()
        # the parent's tables are read while the new inputs are processed
        reading = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="read-parent")
        parent_tables = reading.submit(incremental.read_parent, out, parent) if index is not None else None
        reading.shutdown(wait=False)
        if index is None:
            stored = results_cache.load()
            # every cached entry stays in memory from here on: keep them out of the cyclic GC's
            # scans (a full collection over 5,000 articles' entries, triggered by the Prefect
            # task's own allocations, stalled the batches of a +1 % run by seconds)
            frozen.enter_context(cache.old_objects_frozen())
            if not config.use_cache:
                stored = {}
            todo = [s for s in sources if keys[s.rel_path] not in stored]
        if on_total:
            on_total(len(sources))
        if on_progress and len(todo) < len(sources):
            on_progress(len(sources) - len(todo))
        try:
            fresh = _process(todo, keys, config, on_progress)
        except BaseException:
            frozen.close()
            raise
        # collect nothing while the tables are built (young collections cost 0.08 s at 2,000)
        with frozen, cache.gc_paused():
            built = (assemble.from_parent(parent_tables.result, index, sources, keys, fresh, rejects)
                     if parent_tables is not None else None)
            save_cache = results_cache.append
            if built is None:
                save_cache = results_cache.save
                if index is not None:   # the parent's rows could not be reused: the full path
                    stored = results_cache.load()
                    known = fresh.keys() | stored.keys()
                    fresh |= _process([s for s in sources if keys[s.rel_path] not in known], keys, config, None)
                built = assemble.rebuild(sources, keys, fresh, stored, rejects)
            tables, rejects, stats = built.tables, built.rejects, built.stats

            now = dt.datetime.now(dt.timezone.utc)
            version = store.version_id(now, fingerprint)
            while (out / version).exists():
                # a forced run with unchanged inputs in its parent's second would take its name
                # (runs that reuse the parent's rows finish in well under a second)
                now += dt.timedelta(seconds=1)
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
                "stats": dict(sorted(stats.items())) | {"duplicates": built.duplicates},
                "config": json.loads(config.model_dump_json(exclude={"raw", "out", "dask_address"})),
                # parent_rows: the reused inputs' rows were taken from the parent version as they
                # were (else rebuilt from the result cache)
                "incremental": {"reused": len(sources) - len(todo), "processed": len(todo),
                                "parent_rows": built.from_parent},
                "seconds": round(time.monotonic() - started, 3),
            }

            def save_cache_and_render() -> dict[str, str]:
                # while the tables are written (Parquet is written without the GIL): pickling the
                # new entries took 0.4 s of a 2,000-article cold run on its own; an error here
                # fails the run before the version is published, as it did before
                save_cache(fresh, set(keys.values()))
                return _documents(out, parent, tables, manifest)

            store.write_version(out, version, tables, manifest, extra_files=save_cache_and_render)
            incremental.save_index(results_cache.dir, version, built.index)
            return RunSummary(str(out), version, False, rows, by_reason, time.monotonic() - started,
                              len(sources) - len(todo), len(todo))


# The parent's rows are reused when at most this share of the inputs is new or changed. Past it
# the result cache may hold many of them (inputs removed, then put back), and loading it whole
# (1.7 s at 5,000 articles) costs less than processing them again.
REUSE_MAX_NEW_SHARE = 0.25


def _process(todo: list[Source], keys: dict[str, str], config: RunConfig,
             on_progress: Callable[[int], None] | None) -> dict[str, cache.Entry]:
    """{source key: entry} for the sources in todo, processed in batches; dedupe samples filled in."""
    batches = [todo[i : i + config.batch_size] for i in range(0, len(todo), config.batch_size)]
    try:
        done = _run_batches(batches, config, on_progress) if batches else []
    finally:
        close_pool()   # the flow's own process; Dask workers keep theirs until they exit
    with cache.gc_paused():
        fresh = {keys[s.rel_path]: entry for batch, entries in done for s, entry in zip(batch, entries)}
        unsampled = [e for e in fresh.values() if isinstance(e.result, Article) and e.dedupe_sample is None]
        for entry, sample in zip(unsampled, shingle_samples([e.result.body for e in unsampled])):
            entry.dedupe_sample = sample
    return fresh


def _task_runner(config: RunConfig):
    """The Dask task runner a config asks for (the flow's own thread pool otherwise)."""
    from prefect_dask import DaskTaskRunner

    if config.dask_address:
        return DaskTaskRunner(address=config.dask_address)
    # dashboard off: it needs bokeh and a port nobody asked for
    kwargs: dict[str, Any] = {"processes": config.dask_processes, "threads_per_worker": 1, "dashboard_address": None}
    if config.dask_workers:
        kwargs["n_workers"] = config.dask_workers
    return DaskTaskRunner(cluster_kwargs=kwargs)


def run(config: RunConfig) -> RunSummary:
    """Build a version with the task runner the config names: threads here, or Dask.

    Prefect's flow-run heartbeat is off for these one-shot runs: its thread sleeps in one-second
    steps and the run's exit waits for it, which cost up to 1 s of every run (half of a 2,000-article
    incremental run, pipeline.bench_refresh). Heartbeats only detect crashed runs of deployments,
    and `serve` keeps them.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        if config.runner == "threads":
            # The pool is not started here, before the flow knows whether anything changed: in a
            # fresh process that boots the fork server (imports and a warm-up run, ~1.5 s of CPU)
            # for every up-to-date run too, and a deployment served every few seconds then never
            # rested (tests/refresh/test_serve.py timed out on it).
            return build_dataset(config)
        import dask

        # Dask's own worker processes are daemonic by default, and daemonic processes cannot start
        # the worker pool's processes; a LocalCluster started here gets non-daemonic ones.
        with dask.config.set({"distributed.worker.daemon": False}):
            return build_dataset.with_options(task_runner=_task_runner(config))(config)


class RefreshConfig(RunConfig):
    """A build preceded by bringing the registry's sources into the raw folder."""

    sources_file: Path | None = Field(None, description="The sources registry (sources.toml); None: raw/ only.")
    fetch_timeout_s: float = Field(20.0, gt=0, description="Time limit of one HTTP request.")
    fetch_max_bytes: int = Field(5_000_000, ge=1, description="Pages and feeds larger than this are not saved.")
    retry_delays_s: list[float] = Field([2.0, 10.0, 30.0], description="Backoff between retries of a fetch that "
                                                                      "failed in a way that may pass (429, 5xx, timeout).")
    host_delay_s: float = Field(1.0, ge=0, description="Pause between two requests to the same host.")


@dataclasses.dataclass
class RefreshSummary:
    fetched: fetch.FetchReport
    build: RunSummary


def _transient_only(task, task_run, state) -> bool:
    """Retry a fetch only when its failure may pass (DESIGN rule 8)."""
    try:
        state.result()
    except fetch.TransientFetchError:
        return True
    except BaseException:
        return False
    return False


@task(name="fetch-url", cache_policy=NO_CACHE, retry_condition_fn=_transient_only)
def fetch_url(fetcher: fetch.Fetcher, url: str) -> tuple[bytes, str]:
    """One polite GET (robots.txt, size cap); raises TransientFetchError for failures worth a retry."""
    if not fetcher.allowed(url):
        raise fetch.FetchError(f"{url}: disallowed by robots.txt")
    return fetcher.get(url)


def _fetch_sources(config: RefreshConfig) -> fetch.FetchReport:
    report = fetch.FetchReport()
    if config.sources_file is None:
        return report
    raw = config.raw
    raw.mkdir(parents=True, exist_ok=True)
    getter = fetch_url.with_options(retries=len(config.retry_delays_s), retry_delay_seconds=config.retry_delays_s)
    last_request: dict[str, float] = {}

    def get(fetcher: fetch.Fetcher, url: str) -> tuple[bytes, str]:
        host = url.split("/")[2]
        wait = last_request.get(host, -1e9) + config.host_delay_s - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            return getter(fetcher, url)
        finally:
            last_request[host] = time.monotonic()

    with fetch.Fetcher(config.fetch_timeout_s, config.fetch_max_bytes) as fetcher:
        for source in fetch.load_registry(config.sources_file):
            try:
                if source.kind == "path":
                    fetch.copy_local(source, raw, report)
                    continue
                if source.kind == "url":
                    items = [{"url": source.url}]
                else:
                    body, _ = get(fetcher, source.feed)
                    items = fetch.parse_feed(body, source.feed)[: source.max_items]
                for item in items:
                    if fetch.already_fetched(raw, source.name, item["url"]):
                        report.skipped += 1
                        continue
                    try:
                        body, ctype = get(fetcher, item["url"])
                        extra = {k: v for k, v in (("published", item.get("published")),
                                                   ("feed_title", item.get("title"))) if v}
                        report.added.append(fetch.save_page(raw, source, item["url"], body, ctype, extra))
                    except fetch.FetchError as exc:
                        report.fail(source.name, str(exc))
            except (fetch.FetchError, OSError) as exc:
                report.fail(source.name, str(exc))
    for name, failures in report.failed.items():
        log.warning("source %s: %d fetch(es) failed, first: %s", name, len(failures), failures[0])
    return report


@flow(name="refresh-news-dataset", log_prints=False)
def refresh(config: RefreshConfig) -> RefreshSummary:
    """Bring new pages from the sources registry into raw/, then build a version if anything changed."""
    fetched = _fetch_sources(config)
    build = run(RunConfig(**config.model_dump(include=set(RunConfig.model_fields))))
    return RefreshSummary(fetched, build)


def serve(config: RefreshConfig, interval: float | None = None, cron: str | None = None) -> None:
    """Serve `refresh` as a deployment on a schedule until interrupted (needs a real Prefect server)."""
    from prefect.deployments.runner import EntrypointType

    # by module path: each run imports pipeline.flows like any other caller (a file-path entrypoint
    # loads the file under another module name, where RefreshConfig's annotations do not resolve)
    refresh.serve(name="scheduled-refresh", interval=interval, cron=cron, limit=1,
                  entrypoint_type=EntrypointType.MODULE_PATH,
                  parameters={"config": json.loads(config.model_dump_json())},
                  description="Fetch the registry's sources into raw/, then build a new version if anything changed.")


# Prefect validates flow parameters against the function's annotations, which this module's
# `from __future__ import annotations` leaves as strings; a deployment run resolves them in a
# namespace without RunConfig or RefreshConfig, so they are resolved here, once.
for _flow in (build_dataset, refresh):
    _flow.fn.__annotations__ = typing.get_type_hints(_flow.fn)
