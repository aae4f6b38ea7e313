"""One source in, one result out: read, parse, clean, describe and extract, without Prefect.

`process_source` is what a worker process runs for each input (pipeline.workers); `SourcePool`
spreads a batch of sources over the workers with a per-document time limit, and
`process_inline` does the same work in the calling thread where child processes are not allowed
(a daemonic Dask worker). Either way each source gives one `Outcome` (the cache's Entry): its Article with quotes and
events, or its Reject, plus the counts of what the stages did.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Sequence

from pipeline.cache import Entry as Outcome
from pipeline.clean import clean
from pipeline.dedupe import shingle_samples
from pipeline.describe import describe
from pipeline.describe.dates import after_today_reset, after_today_seen
from pipeline.extract import extract
from pipeline.model import Event, Quote, Reason, Reject, Source, StageError
from pipeline.parse.html import parse_html
from pipeline.parse.text import parse_text
from pipeline.reading import read
from pipeline.sources import FORMATS
from pipeline.workers import FailureLog, Lost, WorkerPool, checkpoint, mark

log = logging.getLogger("pipeline")

# The steps of one source, in order; a worker marks each as it enters it, so an input that runs
# out of time or kills its worker is charged to the step it was in.
STEPS = ("read", "parse", "clean", "describe", "extract")
_READ, _PARSE, _CLEAN, _DESCRIBE, _EXTRACT = range(len(STEPS))


_logged: set[str] = set()
_logged_lock = threading.Lock()


def log_once(kind: str, message: str) -> None:
    """Each kind of failure is logged once per process, not once per document (DESIGN rule 12)."""
    with _logged_lock:
        if kind in _logged:
            return
        _logged.add(kind)
    log.warning("%s (further failures of this kind are counted, not logged)", message)


def _reject(source: Source, step: str, exc: Exception) -> Reject:
    if isinstance(exc, StageError):
        return Reject(source.rel_path, step, exc.reason, exc.message, source.sha256 or None)
    # a bug in one stage must not sink the run: keep the input as a reject, log the kind once
    log_once(f"{step}:{type(exc).__name__}", f"{step} raised {type(exc).__name__} on {source.rel_path}: {exc}")
    return Reject(source.rel_path, step, Reason.STAGE_ERROR, f"{type(exc).__name__}: {exc}"[:500],
                  source.sha256 or None)


def process_source(job: tuple[Source, int]) -> Outcome:
    """Read, parse, clean, describe and extract one source (`job` is the source and the size limit)."""
    source, max_bytes = job
    stats: Counter = Counter()
    step = _READ
    try:
        mark(_READ)
        raw = read(source, FORMATS[source.path.suffix.lower()], max_bytes)
        step = _PARSE
        mark(_PARSE)
        doc = parse_html(raw) if raw.format == "html" else parse_text(raw)
        step = _CLEAN
        mark(_CLEAN)
        doc = clean(doc)
        stats.update(f"dropped_blocks.{reason}" for _, reason in doc.dropped)
        stats["kept_blocks"] += len(doc.blocks)
        step = _DESCRIBE
        mark(_DESCRIBE)
        after_today_reset()
        article = describe(doc)
        if after_today_seen():   # a date was after today: on a later day it may not be (not cached)
            stats["dates_after_today"] += 1
    except Exception as exc:
        return Outcome(_reject(source, STEPS[step], exc), [], [], stats)
    mark(_EXTRACT)
    checkpoint((article, stats))   # kept by the parent if extraction runs out of time or crashes
    quotes: list[Quote] = []
    events: list[Event] = []
    try:
        quotes, events = extract(article)
    except Exception as exc:  # the article stands without them; the failure is counted
        log_once(f"extract:{type(exc).__name__}", f"extract raised {type(exc).__name__} on {source.rel_path}: {exc}")
        stats["extract_errors"] += 1
    stats["quotes"] += len(quotes)
    stats["events"] += len(events)
    # the dedupe sample is a pure function of the body: hashed here, in parallel, not in the flow
    return Outcome(article, quotes, events, stats, shingle_samples([article.body])[0])


def process_inline(sources: Sequence[Source], max_bytes: int) -> list[Outcome]:
    """Process sources one after the other in this thread (no time limit, no crash isolation)."""
    return [process_source((source, max_bytes)) for source in sources]


def _lost(source: Source, lost: Lost) -> Reject:
    """The Reject of a source whose worker ran out of time or died, charged to the step it was in."""
    step = STEPS[lost.step] if 0 <= lost.step < len(STEPS) else "parse"
    html = FORMATS.get(source.path.suffix.lower()) == "html" and step == "parse"
    if lost.kind == "timeout":
        reason = Reason.HTML_TIMEOUT if html else Reason.TIMEOUT
    else:
        reason = Reason.HTML_CRASH if html else Reason.CRASH
    return Reject(source.rel_path, step, reason,
                  f"{step} {lost.message}", source.sha256 or None)


class SourcePool:
    """Worker processes that run process_source, with a per-document time limit; thread-safe."""

    def __init__(self, workers: int | None = None, start_method: str | None = None):
        self._pool = WorkerPool(process_source, workers, preload=["pipeline.process", "pipeline.warmup"], start_method=start_method)
        self.failures = FailureLog(log)

    def __enter__(self) -> SourcePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._pool.close()

    def start(self) -> None:
        """Start the worker processes now (they otherwise start with the first batch)."""
        self._pool.start()

    def process(self, sources: Sequence[Source], max_bytes: int, timeout_s: float) -> list[Outcome]:
        """One Outcome per source, in order; a timeout or a dead worker costs only its own source."""
        outcomes = []
        for source, got in zip(sources, self._pool.map([(s, max_bytes) for s in sources], timeout_s)):
            if isinstance(got, Lost) and got.partial is not None:
                # extraction ran out of time or killed the worker: the article stands without
                # quotes and events, as when extraction raises
                article, stats = got.partial
                self.failures.record(Reason.TIMEOUT if got.kind == "timeout" else Reason.CRASH, source.rel_path,
                                     f"extract {got.message}; the article is kept without quotes and events")
                # extract_lost keeps the entry out of the cache: a loaded machine may be the cause
                got = Outcome(article, [], [], stats + Counter(extract_errors=1, extract_lost=1))
            elif isinstance(got, Lost):
                reject = _lost(source, got)
                self.failures.record(Reason(reject.reason), source.rel_path, reject.message)
                got = Outcome(reject, [], [], Counter())
            elif isinstance(got, StageError):   # process_source catches its own errors; defensive
                got = Outcome(_reject(source, "parse", got), [], [], Counter())
            outcomes.append(got)
        return outcomes
