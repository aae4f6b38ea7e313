"""Failures inside a real flow run: unreadable, vanished and changed files, rows that fail
validation, a run that finds a dead run's leftovers, and a run that meets another run's lock."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import multiprocessing
import os
import time
from collections import Counter
from pathlib import Path

import pytest

from pipeline import store
from pipeline.model import Quote

pytestmark = pytest.mark.flow

PARAGRAPH = (
    "The harbour board of the fictional town of Aldwick voted on Tuesday to raise berth fees by a "
    "tenth, after a year in which cargo traffic fell for the third time in a row, officials said. "
    "\"We had no choice,\" said Mara Quill, the board's chair, after the vote was taken."
)


def _article(n: int) -> str:
    return f"Harbour board story {n}\n\n{PARAGRAPH} Item {n}.\n\n{PARAGRAPH.replace('Tuesday', 'Monday')}\n"


def _raw(folder: Path, names: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        (folder / name).write_text(_article(i), encoding="utf-8")
    return folder


def _tables(out: Path) -> tuple[dict, dict]:
    articles = {r["source_path"]: r for r in store.load_table(out, "articles").to_pylist()}
    rejects = [r for r in store.load_table(out, "rejects").to_pylist()]
    return articles, rejects


def _denied(real_open, path_name: str):
    """open() that fails like a file without read permission (CI runs as root: chmod 000 reads fine)."""
    def fake_open(file, *args, **kwargs):
        if Path(file).name == path_name:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)
    return fake_open


def test_unreadable_vanished_and_changed_files(prefect_harness, tmp_path, monkeypatch):
    import builtins

    from pipeline import flows, reading, sources
    from pipeline.flows import RunConfig, build_dataset

    names = ["ok.txt", "denied-at-discovery.txt", "denied-at-read.txt", "vanishes.txt", "changes.txt"]
    raw = _raw(tmp_path / "raw", names)
    new_bytes = _article(99).encode("utf-8")
    monkeypatch.setattr(sources, "open", _denied(builtins.open, "denied-at-discovery.txt"), raising=False)
    monkeypatch.setattr(reading, "open", _denied(builtins.open, "denied-at-read.txt"), raising=False)
    real_discover = flows.discover

    def discover_then_touch(raw_dir, max_bytes):  # between discovery and reading
        found = real_discover(raw_dir, max_bytes)
        (raw / "vanishes.txt").unlink()
        (raw / "changes.txt").write_bytes(new_bytes)
        return found

    monkeypatch.setattr(flows, "discover", discover_then_touch)
    # workers=0: the stages run in this process, where the patched open() applies
    summary = build_dataset(RunConfig(raw=raw, out=tmp_path / "out", workers=0))
    articles, rejects = _tables(tmp_path / "out")
    by_path = {r["source_path"]: r for r in rejects}
    assert set(articles) | set(by_path) == set(names) and len(articles) + len(rejects) == len(names)
    assert by_path["denied-at-discovery.txt"]["reason"] == "unreadable"
    assert "Permission denied" in by_path["denied-at-discovery.txt"]["message"]
    assert by_path["denied-at-read.txt"]["reason"] == "unreadable"
    assert "Permission denied" in by_path["denied-at-read.txt"]["message"]
    assert by_path["vanishes.txt"]["reason"] == "unreadable" and "vanished" in by_path["vanishes.txt"]["message"]
    changed = articles["changes.txt"]
    digest = hashlib.sha256(new_bytes).hexdigest()
    assert changed["content_sha256"] == digest and changed["article_id"] == digest[:16]
    assert "story 99" in (changed["title"] or "") + changed["body"] or "Item 99" in changed["body"]
    assert summary.rejects_by_reason == {"unreadable": 3}


def test_rows_failing_validation_are_quarantined_with_their_check(prefect_harness, tmp_path, monkeypatch):
    from pipeline import process
    from pipeline.flows import RunConfig, build_dataset

    names = ["good.txt", "future.txt", "ancient.txt", "bad-count.txt", "bad-quote.txt"]
    raw = _raw(tmp_path / "raw", names)
    real_describe, real_extract = process.describe, process.extract
    future = dt.date.today() + dt.timedelta(days=30)

    def bad_describe(doc):
        article = real_describe(doc)
        if article.source_path == "future.txt":
            return dataclasses.replace(article, published_date=future)
        if article.source_path == "ancient.txt":
            return dataclasses.replace(article, published_date=dt.date(1700, 1, 1))
        if article.source_path == "bad-count.txt":
            return dataclasses.replace(article, word_count=article.word_count + 5)
        return article

    def bad_extract(article):
        quotes, events = real_extract(article)
        if article.source_path == "bad-quote.txt":
            broken = Quote(f"q-{article.article_id}", article.article_id, "no", "direct", 10, 4,
                           None, None, "unknown", None, None, None, 0, 0.5)
            quotes = [*quotes, broken]
        return quotes, events

    monkeypatch.setattr(process, "describe", bad_describe)
    monkeypatch.setattr(process, "extract", bad_extract)
    out = tmp_path / "out"
    summary = build_dataset(RunConfig(raw=raw, out=out, workers=0))   # the patches apply in this process
    articles, rejects = _tables(out)
    assert set(articles) == {"good.txt", "bad-quote.txt"}  # a bad quote row leaves its article in place
    failed = {r["source_path"]: r for r in rejects if r["reason"] == "validation_failed"}
    assert set(failed) == {"future.txt", "ancient.txt", "bad-count.txt", "bad-quote.txt"}
    for row in failed.values():
        assert row["stage"] == "validate" and row["table"] and row["check"] and row["message"]
    assert (failed["future.txt"]["table"], failed["future.txt"]["column"], failed["future.txt"]["check"]) == (
        "articles", "published_date", "not_in_future")
    assert failed["future.txt"]["value"] == str(future)
    assert failed["ancient.txt"]["check"] == "not_before_1800" and "1700" in failed["ancient.txt"]["value"]
    assert failed["bad-count.txt"]["table"] == "articles" and failed["bad-count.txt"]["check"] == "word_count_consistent"
    assert failed["bad-quote.txt"]["table"] == "quotes" and failed["bad-quote.txt"]["check"] in ("offsets_ordered", "offsets_match_body")
    assert failed["future.txt"]["content_sha256"]  # the row is traceable to its input bytes
    # nothing silently dropped: the manifest counts every quarantined row
    manifest = store.read_manifest(out, summary.version)
    assert manifest["rejects_by_reason"] == dict(Counter(r["reason"] for r in rejects)) == {"validation_failed": 4}
    assert manifest["rows"]["articles"] == 2 and manifest["rows"]["rejects"] == 4
    quotes = store.load_table(out, "quotes").to_pylist()
    assert quotes and all(q["start_char"] < q["end_char"] for q in quotes)
    assert {q["article_id"] for q in quotes} <= {a["article_id"] for a in articles.values()}


def test_a_run_after_a_crash_cleans_up_and_succeeds(prefect_harness, tmp_path):
    from pipeline.flows import RunConfig, build_dataset

    raw, out = _raw(tmp_path / "raw", ["a.txt", "b.txt"]), tmp_path / "out"
    first = build_dataset(RunConfig(raw=raw, out=out))
    # what a run killed mid-write leaves: a half-written version folder and LATEST's temp file
    (out / ".tmp-20990101T000000Z-deadbeef-4242").mkdir()
    (out / ".tmp-20990101T000000Z-deadbeef-4242" / "articles.parquet").write_bytes(b"PAR1 half")
    (out / ".tmp-LATEST-4242").write_text("20990101T000000Z-deadbeef\n")
    (raw / "c.txt").write_text(_article(7), encoding="utf-8")
    second = build_dataset(RunConfig(raw=raw, out=out))
    assert second.version != first.version and store.latest(out) == second.version
    assert [p.name for p in out.iterdir() if p.name.startswith(".tmp-")] == []
    assert store.read_manifest(out, second.version)["parent"] == first.version
    assert second.rows["articles"] == 3


def _hold(out, ready, seconds):
    with store.locked(out, 5):
        ready.set()
        time.sleep(seconds)


def test_a_run_meeting_another_runs_lock_exits_3(prefect_harness, tmp_path, monkeypatch, capsys):
    from pipeline import cli

    for key, value in cli.PREFECT_DEFAULTS.items():  # main() sets these; keep them out of other tests
        monkeypatch.setenv(key, os.environ.get(key, value))
    raw, out = _raw(tmp_path / "raw", ["a.txt"]), tmp_path / "out"
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold, args=(out, ready, 4))
    holder.start()
    try:
        assert ready.wait(30)
        code = cli.main(["run", "--raw", str(raw), "--out", str(out), "--lock-timeout", "0.5", "--no-progress"])
        assert code == cli.STORE == 3
        assert "another run holds the lock" in capsys.readouterr().out
        assert store.list_versions(out) == []
    finally:
        holder.join(30)
    # once the other run is gone the same command succeeds
    assert cli.main(["run", "--raw", str(raw), "--out", str(out), "--lock-timeout", "5", "--no-progress"]) == 0
    assert len(store.list_versions(out)) == 1
