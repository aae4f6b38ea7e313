"""A pool of worker processes that runs one job per item with a per-item time limit (DESIGN rule 12).

The pool is what lets the pipeline use more than one core (Python threads share one because of
the GIL) and what isolates hostile inputs: an item that runs past its time limit has its worker
killed and replaced; a worker that dies (segfault, out of memory) costs only the item it was on.

Jobs are module-level functions (pickled by reference). A job returns any picklable value, or
raises StageError for an input it rejects. While it works it may call `mark(i)` to say which step
it is in, and `checkpoint(value)` to hand the parent what it has so far; when an item is lost
the parent reads that step back, so a timeout can be charged to the right stage, and keeps the
last checkpoint, so work done before the hang is not lost.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.model import Reason, StageError

log = logging.getLogger(__name__)

Job = Callable[[Any], Any]

# Items sent to a worker in one message. Results still come back one by one, so the time limit
# stays per item. On zyte-articles (88 pages, 2 workers) batches of 1, 4 and 16 all ran at 79-86
# pages/s (noise): pickling a page costs ~0.1 ms against ~20 ms of extraction. Small batches keep
# the workers evenly loaded when a few items are slow.
_BATCH = 4
# A fresh worker imports its modules before it can take work; that is not the item's fault, so
# the start has its own, generous limit.
_START_TIMEOUT_S = 120.0
# lxml keeps some memory per parsed tree for the life of the process; recycling a worker after
# this many items bounds that at the cost of one start (0.04 s measured with forkserver).
_MAX_ITEMS_PER_WORKER = 2000

# In a worker: the shared cell the job's step is written to, and the pipe to the parent (None in
# any other process).
_step: Any = None
_conn: Any = None


def mark(step: int) -> None:
    """Record which step of its job this worker is in (read back by the parent if the item is lost)."""
    if _step is not None:
        _step.value = step


def checkpoint(value: Any) -> None:
    """Send the parent a partial result, kept as Lost.partial if the item is lost later (no-op outside a worker)."""
    if _conn is not None:
        _conn.send(("partial", value))


@dataclass(frozen=True)
class Lost:
    """An item whose worker was killed (timeout) or died (crash), and the step it was in."""

    kind: str        # "timeout" or "crash"
    step: int
    message: str
    partial: Any = None   # the job's last checkpoint, if any


def _worker_main(conn: Any, job: Job, step: Any, preload: tuple[str, ...]) -> None:
    """Worker loop: receive a list of items, send one result message per item."""
    global _step, _conn
    import importlib

    for module in preload:   # import cost paid before "ready", not by an item
        importlib.import_module(module)
    # libraries such as trafilatura log a warning per discarded page; the parent logs each kind
    # of failure once
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    _step, _conn = step, conn
    conn.send(("ready",))
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if batch is None:
            return
        for item in batch:
            step.value = 0
            try:
                msg: tuple = ("ok", job(item))
            except StageError as exc:
                msg = ("err", exc.reason.value, exc.message)
            except Exception as exc:  # a bug in a stage, not a hostile input
                msg = ("err", Reason.STAGE_ERROR.value, f"{type(exc).__name__}: {exc}"[:500])
            conn.send(msg)


class _Worker:
    def __init__(self, ctx: Any, job: Job, preload: tuple[str, ...]):
        self.conn, child = ctx.Pipe(duplex=True)
        self.step = ctx.RawValue("i", 0)
        self.proc = ctx.Process(target=_worker_main, args=(child, job, self.step, preload), daemon=True)
        self.proc.start()
        child.close()
        self.items = 0
        if not self.conn.poll(_START_TIMEOUT_S):
            self.kill()
            raise RuntimeError("worker process did not start")
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


def cores() -> int:
    """Cores this process may run on (the affinity mask, which containers and taskset narrow)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


class WorkerPool:
    """Worker processes running `job`, safe to call from several threads at once.

    `map` returns, per item and in order, the job's value, a StageError (the job rejected the
    item, or raised) or a Lost (time limit or worker death). Callers in a script started with
    spawn semantics need the usual `if __name__ == "__main__":` guard.
    """

    def __init__(self, job: Job, workers: int | None = None, preload: Sequence[str] = (),
                 start_method: str | None = None):
        self._job = job
        self._preload = tuple(preload)
        self.size = workers or cores()
        method = start_method or ("forkserver" if sys.platform.startswith("linux") else "spawn")
        self._ctx = multiprocessing.get_context(method)
        if method == "forkserver" and self._preload:
            # workers forked from a server that already imported the heavy modules start in
            # ~50 ms, which is what makes replacing a worker after a timeout cheap
            self._ctx.set_forkserver_preload(list(self._preload))
        self._idle: queue.Queue[_Worker | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._idle.put(None)   # a slot; the worker starts on first use

    def __enter__(self) -> WorkerPool:
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

    def start(self) -> None:
        """Start every worker now rather than on first use (e.g. while the caller reads its inputs).

        A worker that cannot start is left for map to start again, and to report.
        """
        slots = []
        try:
            for _ in range(self.size):
                slots.append(self._idle.get())
            for k, slot in enumerate(slots):
                if slot is None and not self._closed:
                    slots[k] = self._start()
        except Exception as exc:   # map starts it again and raises there, where a caller listens
            log.debug("worker start failed: %s", exc)
        finally:
            for slot in slots:
                self._idle.put(slot)

    def map(self, items: Sequence[Any], timeout_s: float) -> list[Any]:
        """Run the job on every item across the workers; one result per item, in order."""
        if self._closed:
            raise RuntimeError("WorkerPool is closed")
        results: list[Any] = [None] * len(items)
        chunks = [list(range(i, min(i + _BATCH, len(items)))) for i in range(0, len(items), _BATCH)]
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
                    slot = self._run_chunk(slot, [items[i] for i in chunk], timeout_s, results, chunk)
            except BaseException as exc:   # e.g. a worker that cannot start: the caller must know
                errors.append(exc)
                slot = None
            finally:
                self._idle.put(slot)

        n_threads = min(self.size, len(chunks))
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
        return results

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self._job, self._preload)
        with self._lock:
            if not self._closed:
                self._all.add(worker)
                return worker
        worker.stop()   # closed while it started (start() runs in the background): never leak it
        raise RuntimeError("WorkerPool is closed")

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _run_chunk(self, worker: _Worker | None, chunk: list[Any], timeout_s: float,
                   results: list, where: list[int]) -> _Worker | None:
        pos = 0
        while pos < len(chunk):
            if worker is None or not worker.proc.is_alive() or worker.items >= _MAX_ITEMS_PER_WORKER:
                if worker is not None:
                    self._retire(worker)
                worker = self._start()
            try:
                worker.conn.send(chunk[pos:])
            except OSError:   # died between the liveness check and the send: replace it, retry
                self._retire(worker)
                worker = None
                continue
            deadline, partial = time.monotonic() + timeout_s, None
            while pos < len(chunk):
                if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                    step = worker.step.value
                    self._retire(worker)
                    worker = None
                    results[where[pos]] = Lost("timeout", step, f"exceeded the time limit of {timeout_s:g} s", partial)
                    pos += 1
                    break
                try:
                    msg = worker.conn.recv()
                except (EOFError, OSError):
                    worker.proc.join(1)   # the exit code is known once the process is reaped
                    code, step = worker.proc.exitcode, worker.step.value
                    self._retire(worker)
                    worker = None
                    results[where[pos]] = Lost("crash", step, f"worker process died (exit code {code})", partial)
                    pos += 1
                    break
                if msg[0] == "partial":
                    partial = msg[1]
                    continue
                worker.items += 1
                results[where[pos]] = msg[1] if msg[0] == "ok" else StageError(Reason(msg[1]), msg[2])
                pos += 1
                deadline, partial = time.monotonic() + timeout_s, None
        return worker


class FailureLog:
    """Counts failures by reason and logs the first of each kind (DESIGN rule 12)."""

    def __init__(self, logger: logging.Logger = log):
        self.counts: Counter[str] = Counter()
        self._logger = logger
        self._logged: set[str] = set()
        self._lock = threading.Lock()

    def record(self, reason: Reason, where: str, message: str) -> None:
        with self._lock:
            self.counts[reason.value] += 1
            first = reason.value not in self._logged
            self._logged.add(reason.value)
        if first:
            self._logger.warning("%s (first of its kind, later ones are only counted): %s: %s",
                                 reason.value, where, message)
