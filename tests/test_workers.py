"""The worker pool (time limit, crash isolation, order, threads) and the per-source pool built on it."""

from __future__ import annotations

import logging
import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from pipeline.model import Article, Reason, Reject, StageError
from pipeline.process import SourcePool, _lost, process_inline
from pipeline.sources import discover
from pipeline.workers import FailureLog, Lost, WorkerPool, checkpoint, mark


# Jobs must be module-level: the workers import them by name.
def job(item: str) -> str:
    if item == "sleep":
        time.sleep(60)
    if item == "loop":
        while True:
            pass
    if item == "die":
        os._exit(3)
    if item == "step3-sleep":
        mark(3)
        time.sleep(60)
    if item == "half-then-sleep":
        checkpoint("half")
        time.sleep(60)
    if item == "half-then-done":
        checkpoint("half")
    if item == "reject":
        raise StageError(Reason.NO_ARTICLE, "nothing here")
    if item == "bug":
        raise ValueError("a bug")
    return item.upper()


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(job, workers=2) as p:
        yield p


def test_results_in_order_and_failures_isolated(pool: WorkerPool) -> None:
    items = [f"x{i}" for i in range(30)]
    items[3], items[11], items[17], items[25] = "sleep", "die", "reject", "bug"
    got = pool.map(items, timeout_s=1.0)
    assert got[3] == Lost("timeout", 0, "exceeded the time limit of 1 s")
    assert isinstance(got[11], Lost) and got[11].kind == "crash" and "exit code 3" in got[11].message
    assert isinstance(got[17], StageError) and got[17].reason == Reason.NO_ARTICLE
    assert isinstance(got[25], StageError) and got[25].reason == Reason.STAGE_ERROR and "ValueError" in got[25].message
    for i, item in enumerate(items):
        if i not in (3, 11, 17, 25):
            assert got[i] == item.upper()


def test_busy_loop_times_out_and_pool_keeps_working(pool: WorkerPool) -> None:
    assert pool.map(["loop", "ok"], timeout_s=1.0) == [Lost("timeout", 0, "exceeded the time limit of 1 s"), "OK"]


def test_lost_item_reports_the_step_it_was_in(pool: WorkerPool) -> None:
    got = pool.map(["step3-sleep"], timeout_s=1.0)[0]
    assert isinstance(got, Lost) and got.step == 3


def test_lost_item_keeps_its_last_checkpoint(pool: WorkerPool) -> None:
    got = pool.map(["half-then-sleep", "half-then-done", "plain"], timeout_s=1.0)
    assert got[0] == Lost("timeout", 0, "exceeded the time limit of 1 s", "half")
    assert got[1:] == ["HALF-THEN-DONE", "PLAIN"]   # a checkpoint is not a result


def test_map_from_several_threads(pool: WorkerPool) -> None:
    # Prefect runs tasks in threads; each calls map on the same pool
    batches = [[f"b{b}i{i}" for i in range(10)] for b in range(6)]
    batches[4][7] = "loop"
    with ThreadPoolExecutor(4) as threads:
        got = list(threads.map(lambda batch: pool.map(batch, timeout_s=1.0), batches))
    for b, batch in enumerate(batches):
        for i, item in enumerate(batch):
            if (b, i) == (4, 7):
                assert isinstance(got[b][i], Lost)
            else:
                assert got[b][i] == item.upper()


def test_closed_pool_refuses_work() -> None:
    p = WorkerPool(job, workers=1)
    assert p.map(["a"], timeout_s=30) == ["A"]
    p.close()
    with pytest.raises(RuntimeError):
        p.map(["a"], timeout_s=30)


def test_failure_log_logs_each_kind_once(caplog: pytest.LogCaptureFixture) -> None:
    failures = FailureLog(logging.getLogger("pipeline.test"))
    with caplog.at_level("WARNING", logger="pipeline.test"):
        for i in range(5):
            failures.record(Reason.TIMEOUT, f"f{i}.txt", "slow")
        failures.record(Reason.CRASH, "g.txt", "died")
    assert failures.counts == Counter({"timeout": 5, "crash": 1})
    assert [r.getMessage().split(" ")[0] for r in caplog.records] == ["timeout", "crash"]


BODY = ("The city council voted on Tuesday to approve the new budget for the coming year, which "
        "includes funding for three new libraries. \u201cThis budget invests in every neighbourhood,\u201d "
        "the mayor, Jane Roe, told reporters after the meeting.\n\n"
        "Opponents argued that the plan relies on optimistic revenue forecasts and warned that "
        "property taxes could rise if the economy slows down next spring.\n")


def test_source_pool_gives_what_inline_processing_gives(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text("Council approves budget\n\n" + BODY, encoding="utf-8")
    paras = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    (raw / "b.html").write_text(f"<html><head><title>Budget</title></head><body><article><h1>Budget</h1>"
                                f"{paras}</article></body></html>", encoding="utf-8")
    (raw / "c.txt").write_bytes(b"%PDF-1.7\n\x00\x01\x02binary")
    (raw / "d.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    sources, _, _ = discover(raw, 1_000_000)
    with SourcePool(workers=2) as sp:
        pooled = sp.process(sources, 1_000_000, timeout_s=60)
    inline = process_inline(sources, 1_000_000)
    assert [o.result for o in pooled] == [o.result for o in inline]
    assert [o.quotes for o in pooled] == [o.quotes for o in inline]
    assert [o.events for o in pooled] == [o.events for o in inline]
    assert [o.stats for o in pooled] == [o.stats for o in inline]
    by_name = {Path(o.result.source_path).name: o for o in pooled}
    assert isinstance(by_name["a.txt"].result, Article) and by_name["a.txt"].quotes
    assert isinstance(by_name["b.html"].result, Article)
    assert isinstance(by_name["c.txt"].result, Reject) and by_name["c.txt"].result.reason == Reason.BINARY
    assert by_name["c.txt"].result.stage == "read"
    assert isinstance(by_name["d.html"].result, Reject) and by_name["d.html"].result.reason == Reason.NO_ARTICLE


@pytest.mark.parametrize("name, lost, reason, stage", [
    ("p.html", Lost("timeout", 1, "exceeded"), Reason.HTML_TIMEOUT, "parse"),
    ("p.html", Lost("crash", 1, "died"), Reason.HTML_CRASH, "parse"),
    ("p.html", Lost("timeout", 4, "exceeded"), Reason.TIMEOUT, "extract"),
    ("p.txt", Lost("timeout", 1, "exceeded"), Reason.TIMEOUT, "parse"),
    ("p.md", Lost("crash", 2, "died"), Reason.CRASH, "clean"),
    ("p.txt", Lost("timeout", 0, "exceeded"), Reason.TIMEOUT, "read"),
])
def test_lost_source_is_charged_to_its_stage(tmp_path: Path, name: str, lost: Lost, reason: Reason, stage: str) -> None:
    (tmp_path / name).write_text("x", encoding="utf-8")
    (source,), _, _ = discover(tmp_path, 1000)
    reject = _lost(source, lost)
    assert (reject.reason, reject.stage, reject.source_path) == (reason, stage, name)


def test_start_runs_every_worker_before_the_first_map() -> None:
    with WorkerPool(job, workers=2) as p:
        p.start()
        started = {w.proc.pid for w in p._all}
        assert len(started) == 2 and all(w.proc.is_alive() for w in p._all)
        assert p.map(["a", "b", "c", "d", "e"], timeout_s=10.0) == ["A", "B", "C", "D", "E"]
        assert {w.proc.pid for w in p._all} == started   # map used the started workers, no new ones
    assert not p._all


def test_start_after_close_starts_nothing() -> None:
    p = WorkerPool(job, workers=2)
    p.close()
    p.start()
    assert not p._all


def test_close_while_starting_leaves_no_process() -> None:
    import multiprocessing
    import threading

    before = {c.pid for c in multiprocessing.active_children()}
    p = WorkerPool(job, workers=2)
    t = threading.Thread(target=p.start)
    t.start()
    time.sleep(0.05)   # close lands while the first worker is starting
    p.close()
    t.join(30)
    assert not t.is_alive() and not p._all
    assert {c.pid for c in multiprocessing.active_children()} <= before
