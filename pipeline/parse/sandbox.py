"""Run parse_html in worker processes with a per-document time limit (DESIGN rule 12)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from pipeline.model import Document, RawDocument, Reason, StageError

log = logging.getLogger(__name__)

ParseFn = Callable[[RawDocument], Document]

# Documents sent to a worker in one message. Results still come back one by one, so the time
# limit stays per document. On zyte-articles (88 pages, 2 workers) batches of 1, 4 and 16 all ran
# at 79-86 pages/s (noise): pickling a page costs ~0.1 ms against ~20 ms of extraction. Small
# batches keep the two workers evenly loaded when a few pages are slow.
_BATCH = 4
# A fresh worker imports lxml and trafilatura before it can take work; that is not the page's
# fault, so the start has its own, generous limit.
_START_TIMEOUT_S = 120.0
# lxml keeps some memory per parsed tree for the life of the process; recycling a worker after
# this many pages bounds that at the cost of one start (0.04 s measured with forkserver).
_MAX_PAGES_PER_WORKER = 2000


def _default_parse(raw: RawDocument) -> Document:
    from pipeline.parse.html import parse_html

    return parse_html(raw)


def _worker_main(conn: Any, parse_fn: ParseFn) -> None:
    """Worker loop: receive a list of RawDocument, send one result message per document."""
    import pipeline.parse.html  # noqa: F401  (import cost paid before "ready", not by a page)

    # trafilatura logs a warning per discarded page; the parent logs each kind of failure once
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    conn.send(("ready",))
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if batch is None:
            return
        for raw in batch:
            try:
                doc = parse_fn(raw)
                # the raw text goes back to the parent already; do not pickle it twice
                msg: tuple = ("ok", doc.blocks, doc.signals, doc.dropped)
            except StageError as exc:
                msg = ("err", exc.reason.value, exc.message)
            except Exception as exc:  # a bug in a stage, not a hostile page
                msg = ("err", Reason.STAGE_ERROR.value, f"{type(exc).__name__}: {exc}")
            conn.send(msg)


class _Worker:
    def __init__(self, ctx: Any, parse_fn: ParseFn):
        self.conn, child = ctx.Pipe(duplex=True)
        self.proc = ctx.Process(target=_worker_main, args=(child, parse_fn), daemon=True)
        self.proc.start()
        child.close()
        self.pages = 0
        if not self.conn.poll(_START_TIMEOUT_S):
            self.kill()
            raise RuntimeError("HTML sandbox worker did not start")
        self.conn.recv()

    def kill(self) -> None:
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.proc.join(2)
        self.kill()


class HtmlSandbox:
    """A pool of worker processes running parse_html, safe to call from several threads.

    A page that runs past `timeout_s` gets StageError(HTML_TIMEOUT) and its worker is killed and
    replaced; a worker that dies (segfault, out of memory) gives StageError(HTML_CRASH). Callers
    in a script started with spawn semantics need the usual `if __name__ == "__main__":` guard.
    """

    def __init__(self, workers: int | None = None, parse_fn: ParseFn | None = None, start_method: str | None = None):
        # parse_fn is a test hook: a module-level function, pickled by reference to the workers
        self._parse_fn = parse_fn or _default_parse
        self._size = workers or min(2, os.cpu_count() or 1)
        method = start_method or ("forkserver" if sys.platform.startswith("linux") else "spawn")
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver":
            # workers forked from a server that already imported trafilatura start in ~50 ms,
            # which is what makes replacing a worker after a timeout cheap
            self._ctx.set_forkserver_preload(["pipeline.parse.html"])
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._logged: set[Reason] = set()
        self.counts: Counter[str] = Counter()   # results by kind: ok, or a Reason value
        self._closed = False
        for _ in range(self._size):
            self._idle.put(None)   # a slot; the worker starts on first use

    def __enter__(self) -> HtmlSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()

    def parse(self, raw: RawDocument, timeout_s: float) -> Document:
        """Parse one page in a worker; raises StageError (HTML_TIMEOUT, HTML_CRASH, ...)."""
        result = self.parse_many([raw], timeout_s)[0]
        if isinstance(result, StageError):
            raise result
        return result

    def parse_many(self, raws: Sequence[RawDocument], timeout_s: float) -> list[Document | StageError]:
        """Parse pages on all workers; one result per page, in order, failures as StageError."""
        if self._closed:
            raise RuntimeError("HtmlSandbox is closed")
        results: list[Document | StageError | None] = [None] * len(raws)
        chunks = [list(range(i, min(i + _BATCH, len(raws)))) for i in range(0, len(raws), _BATCH)]
        pending: queue.SimpleQueue[list[int]] = queue.SimpleQueue()
        for chunk in chunks:
            pending.put(chunk)

        errors: list[BaseException] = []

        def drain() -> None:
            slot = self._idle.get()
            try:
                while True:
                    try:
                        chunk = pending.get_nowait()
                    except queue.Empty:
                        return
                    slot = self._run_batch(slot, [raws[i] for i in chunk], timeout_s, results, chunk)
            except BaseException as exc:   # e.g. a worker that cannot start: the caller must know
                errors.append(exc)
                slot = None
            finally:
                self._idle.put(slot)

        n_threads = min(self._size, len(chunks))
        if n_threads <= 1:
            drain()
        else:
            threads = [threading.Thread(target=drain, daemon=True) for _ in range(n_threads)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        if errors:
            raise errors[0]
        return results  # type: ignore[return-value]

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self._parse_fn)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _run_batch(self, worker: _Worker | None, batch: list[RawDocument], timeout_s: float,
                   results: list, where: list[int]) -> _Worker | None:
        pos = 0
        while pos < len(batch):
            if worker is None or not worker.proc.is_alive() or worker.pages >= _MAX_PAGES_PER_WORKER:
                if worker is not None:
                    self._retire(worker)
                worker = self._start()
            try:
                worker.conn.send(batch[pos:])
            except OSError:   # died between the liveness check and the send: replace it, retry
                self._retire(worker)
                worker = None
                continue
            while pos < len(batch):
                raw = batch[pos]
                if not worker.conn.poll(timeout_s):
                    self._retire(worker)
                    worker = None
                    results[where[pos]] = self._fail(Reason.HTML_TIMEOUT, raw, f"parse exceeded {timeout_s:g} s")
                    pos += 1
                    break
                try:
                    msg = worker.conn.recv()
                except (EOFError, OSError):
                    code = worker.proc.exitcode
                    self._retire(worker)
                    worker = None
                    results[where[pos]] = self._fail(Reason.HTML_CRASH, raw, f"HTML worker died (exit code {code})")
                    pos += 1
                    break
                worker.pages += 1
                if msg[0] == "ok":
                    results[where[pos]] = Document(raw=raw, blocks=msg[1], signals=msg[2], dropped=msg[3])
                    with self._lock:
                        self.counts["ok"] += 1
                else:
                    results[where[pos]] = self._fail(Reason(msg[1]), raw, msg[2])
                pos += 1
        return worker

    def _fail(self, reason: Reason, raw: RawDocument, message: str) -> StageError:
        with self._lock:
            self.counts[reason.value] += 1
            first = reason not in self._logged
            self._logged.add(reason)
        if first:
            log.warning("HTML %s (first of its kind, later ones are only counted): %s: %s",
                        reason.value, raw.source.rel_path, message)
        return StageError(reason, message)
