"""Incremental runs: unchanged inputs reuse cached results, and the snapshot equals a full rebuild."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import cache, store
from pipeline.dedupe import shingle_samples
from pipeline.model import Article

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.flow

NEW = ("# Harbour board meets\n\nThe harbour board of the fictional town met on Tuesday to discuss berth fees "
       "and the dredging of the outer channel, officials said after the meeting ended late.\n\n"
       "\u201cWe will publish the full budget next month,\u201d the chair, Mara Quell, said.\n")


def _run(raw: Path, out: Path, **kw):
    from pipeline.flows import RunConfig, run

    return run(RunConfig(raw=raw, out=out, **kw))


def _default_max_bytes() -> int:
    from pipeline.flows import RunConfig

    return RunConfig.model_fields["max_bytes"].default


def _tables(out: Path, version: str) -> dict[str, pa.Table]:
    keys = {"articles": "source_path", "quotes": "quote_id", "events": "event_id", "rejects": "source_path"}
    return {name: store.load_table(out, name, version).sort_by(key) for name, key in keys.items()}


def test_only_new_or_changed_sources_are_processed(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(REPO / "raw" / "samples", raw)
    first = _run(raw, out)
    assert first.processed == 9 and first.reused == 0

    (raw / "10_harbour_board.md").write_text(NEW, encoding="utf-8")               # new
    changed = raw / "04_glacier_drone_survey.md"                                  # changed bytes
    text = changed.read_text(encoding="utf-8")
    assert "twice as fast" in text
    changed.write_text(text.replace("twice as fast", "three times as fast"), encoding="utf-8")
    (raw / "05_rowing_eights_final.meta.json").write_text('{"outlet": "Lakeside Gazette"}')  # changed sidecar
    (raw / "09_offshore_wind_auction.txt").unlink()                               # removed
    second = _run(raw, out)
    assert (second.reused, second.processed) == (6, 3)
    manifest = store.read_manifest(out, second.version)
    assert manifest["incremental"] == {"reused": 6, "processed": 3, "parent_rows": False}
    articles = {r["source_path"]: r for r in store.load_table(out, "articles").to_pylist()}
    assert "09_offshore_wind_auction.txt" not in articles and "10_harbour_board.md" in articles
    assert "three times as fast" in articles["04_glacier_drone_survey.md"]["body"]
    # duplicate detection still runs over the whole set, cached rows included
    assert articles["07_port_berth_fees_dup.html"]["duplicate_of"] == articles["01_port_berth_fees.txt"]["article_id"]

    # the incremental snapshot is exactly what a full rebuild gives
    full = _run(raw, tmp_path / "full", use_cache=False)
    assert full.processed == 9
    ours, theirs = _tables(out, second.version), _tables(tmp_path / "full", full.version)
    for name in ours:
        assert ours[name].equals(theirs[name]), name
    assert manifest["stats"] == store.read_manifest(tmp_path / "full", full.version)["stats"]

    # nothing changed: no version; the cache holds only live entries after compaction
    assert _run(raw, out).up_to_date
    assert len(store.list_versions(out)) == 2

    # the cache keeps each article's dedupe sample, exactly what hashing its body gives
    entries = cache.ResultCache(out, cache.code_key(_default_max_bytes())).load().values()
    kept = [e for e in entries if isinstance(e.result, Article)]
    assert {e.result.source_path for e in kept} >= set(articles)
    assert [e.dedupe_sample for e in kept] == shingle_samples([e.result.body for e in kept])


def test_code_change_reprocesses_everything_and_prunes_old_entries(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.md").write_text(NEW, encoding="utf-8")
    _run(raw, out)
    old = {p.name for p in (out / cache.CACHE_DIR).iterdir()}
    assert len(old) == 1
    # max_bytes is part of the code key like the code and lexicon hashes: a new key, a full rebuild
    again = _run(raw, out, max_bytes=10_000_000)
    assert (again.reused, again.processed) == (0, 1) and not again.up_to_date
    new = {p.name for p in (out / cache.CACHE_DIR).iterdir()}
    assert len(new) == 1 and not (new & old)


def test_timeouts_are_not_cached():
    from pipeline.model import Reason, Reject

    flaky = cache.Entry(Reject("a.html", "parse", Reason.HTML_TIMEOUT, "slow"), [], [], None)
    firm = cache.Entry(Reject("b.txt", "read", Reason.EMPTY, "empty"), [], [], None)
    assert not flaky.cacheable and firm.cacheable


def test_dask_local_cluster_gives_the_same_tables(prefect_harness, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw" / "samples", raw)
    (raw / "10_harbour_board.md").write_text(NEW, encoding="utf-8")
    (raw / "11_empty.txt").write_text("   \n", encoding="utf-8")
    here = _run(raw, tmp_path / "local", use_cache=False)
    # batches of 3 so that both workers get work, HTML included
    there = _run(raw, tmp_path / "dask", use_cache=False, runner="dask", dask_workers=2, batch_size=3)
    assert there.processed == here.processed == 11
    ours, theirs = _tables(tmp_path / "local", here.version), _tables(tmp_path / "dask", there.version)
    for name in ours:
        assert ours[name].num_rows and ours[name].equals(theirs[name]), name


def test_rows_that_failed_validation_are_validated_again(prefect_harness, tmp_path, monkeypatch):
    import datetime as dt

    import schemas.articles

    # a date check that fails one day, as "not in the future" does until that day comes
    real, bad_day = schemas.articles._not_future, dt.date(2001, 2, 3)
    monkeypatch.setattr(schemas.articles, "_not_future", lambda s: real(s) & s.map(lambda d: d != bad_day))
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.md").write_text(NEW, encoding="utf-8")
    (raw / "b.md").write_text(NEW.replace("Tuesday", "Friday"), encoding="utf-8")
    (raw / "b.meta.json").write_text('{"published": "2001-02-03"}')
    first = _run(raw, out)
    assert first.rejects_by_reason == {"validation_failed": 1}
    (raw / "c.md").write_text(NEW.replace("Tuesday", "Monday"), encoding="utf-8")
    second = _run(raw, out)
    assert (second.reused, second.processed) == (2, 1)
    assert second.rejects_by_reason == {"validation_failed": 1}
    full = _run(raw, tmp_path / "full", use_cache=False)
    ours, theirs = _tables(out, second.version), _tables(tmp_path / "full", full.version)
    for name in ours:
        assert ours[name].equals(theirs[name]), name
    # the cache knows which rows passed: those are rechecked on their changing columns only
    entries = cache.ResultCache(out, cache.code_key(_default_max_bytes())).load().values()
    assert {e.result.source_path: e.row_valid for e in entries} == {"a.md": True, "b.md": False, "c.md": True}

    # the day passes: the rejected row is valid now, in an incremental run as in a full one
    monkeypatch.undo()
    (raw / "d.md").write_text(NEW.replace("Tuesday", "Sunday"), encoding="utf-8")
    third = _run(raw, out)
    assert (third.reused, third.processed) == (3, 1) and third.rejects_by_reason == {}
    assert third.rows["articles"] == 4


def test_cached_rows_whose_offsets_held_are_not_checked_again(prefect_harness, tmp_path, monkeypatch):
    import dataclasses

    import pipeline.assemble as assemble
    import pipeline.process as process

    real_extract, real_hold = process.extract, assemble._offsets_hold

    def extract(article):   # b.md's first quote no longer matches its offsets: a bug to quarantine
        quotes, events = real_extract(article)
        if article.source_path == "b.md":
            quotes = [dataclasses.replace(quotes[0], quote_text=quotes[0].quote_text + "!")] + quotes[1:]
        return quotes, events

    trusted_seen: list[set[str]] = []

    def hold(rows, table, text_field, body_of, path_of, trusted=frozenset()):
        trusted_seen.append({path_of[aid] for aid in trusted})
        return real_hold(rows, table, text_field, body_of, path_of, trusted)

    monkeypatch.setattr(process, "extract", extract)
    monkeypatch.setattr(assemble, "_offsets_hold", hold)
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.md").write_text(NEW, encoding="utf-8")
    (raw / "b.md").write_text(NEW.replace("Tuesday", "Friday"), encoding="utf-8")
    first = _run(raw, out, workers=0)
    assert first.rejects_by_reason == {"validation_failed": 1} and trusted_seen[-1] == set()
    entries = cache.ResultCache(out, cache.code_key(_default_max_bytes())).load().values()
    assert {e.result.source_path: e.offsets_valid for e in entries} == {"a.md": True, "b.md": False}

    (raw / "c.md").write_text(NEW.replace("Tuesday", "Monday"), encoding="utf-8")
    second = _run(raw, out, workers=0)
    assert (second.reused, second.processed) == (2, 1)
    assert trusted_seen[-1] == {"a.md"}                       # b.md's rows are checked again, c.md's are new
    assert second.rejects_by_reason == {"validation_failed": 1}
    full = _run(raw, tmp_path / "full", workers=0, use_cache=False)
    ours, theirs = _tables(out, second.version), _tables(tmp_path / "full", full.version)
    for name in ours:
        assert ours[name].equals(theirs[name]), name
