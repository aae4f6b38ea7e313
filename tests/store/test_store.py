"""Versioned store: whole-or-nothing versions, LATEST, lock, repair."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

import pyarrow as pa
import pytest

from pipeline import store
from pipeline.store import StoreError


def _tables(n: int = 1) -> dict[str, pa.Table]:
    return {name: pa.table({"x": list(range(n))}) for name in store.TABLES}


def test_version_ids_sort_by_time():
    a = store.version_id(dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc), "ab" * 32)
    b = store.version_id(dt.datetime(2024, 1, 2, 3, 4, 6, tzinfo=dt.timezone.utc), "00" * 32)
    assert a == "20240102T030405Z-abababab" and a < b


def test_write_version_then_latest_and_list(tmp_path):
    assert store.latest(tmp_path) is None
    store.write_version(tmp_path, "v1", _tables(), {"version": "v1", "rows": {}})
    store.write_version(tmp_path, "v2", _tables(2), {"version": "v2", "rows": {}})
    assert store.latest(tmp_path) == "v2"
    assert [m["version"] for m in store.list_versions(tmp_path)] == ["v1", "v2"]
    assert store.load_table(tmp_path, "articles").num_rows == 2
    assert store.load_table(tmp_path, "articles", version="v1").num_rows == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".tmp-")]


def test_load_table_reads_only_the_named_columns(tmp_path):
    tables = {name: pa.table({"x": [1, 2, 3], "y": ["a", "b", "c"]}) for name in store.TABLES}
    store.write_version(tmp_path, "v1", tables, {"version": "v1", "rows": {}})
    assert store.load_table(tmp_path, "quotes", columns=["y"]).to_pydict() == {"y": ["a", "b", "c"]}
    counted = store.load_table(tmp_path, "events", "v1", columns=[])
    assert counted.num_columns == 0 and counted.num_rows == 3


def test_extra_files_rendered_while_the_tables_are_written(tmp_path):
    store.write_version(tmp_path, "v1", _tables(3), {"version": "v1"}, extra_files=lambda: {"README.md": "# v1\n"})
    assert (tmp_path / "v1" / "README.md").read_text(encoding="utf-8") == "# v1\n"
    assert store.load_table(tmp_path, "rejects").num_rows == 3

    def broken() -> dict[str, str]:
        raise RuntimeError("renderer bug")

    with pytest.raises(RuntimeError, match="renderer bug"):
        store.write_version(tmp_path, "v2", _tables(), {"version": "v2"}, extra_files=broken)
    assert store.latest(tmp_path) == "v1"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".lock")) == ["LATEST", "v1"]


def test_existing_version_is_never_overwritten(tmp_path):
    store.write_version(tmp_path, "v1", _tables(), {"version": "v1"})
    with pytest.raises(StoreError):
        store.write_version(tmp_path, "v1", _tables(5), {"version": "v1"})
    assert store.load_table(tmp_path, "articles", version="v1").num_rows == 1


def test_partial_folder_is_invisible_and_cleaned(tmp_path):
    store.write_version(tmp_path, "v1", _tables(), {"version": "v1"})
    (tmp_path / ".tmp-v2-123").mkdir()
    (tmp_path / ".tmp-v2-123" / "articles.parquet").write_bytes(b"half")
    assert [m["version"] for m in store.list_versions(tmp_path)] == ["v1"]
    assert store.cleanup_partial(tmp_path) == [".tmp-v2-123"]
    assert store.latest(tmp_path) == "v1"


def test_broken_latest_is_a_clear_error_and_repair_fixes_it(tmp_path):
    store.write_version(tmp_path, "v1", _tables(), {"version": "v1"})
    store.write_version(tmp_path, "v2", _tables(), {"version": "v2"})
    (tmp_path / "LATEST").write_text("nonsense\n")
    with pytest.raises(StoreError, match="repair"):
        store.latest(tmp_path)
    assert store.repair(tmp_path) == "v2"
    assert store.latest(tmp_path) == "v2"
    (tmp_path / "LATEST").unlink()
    with pytest.raises(StoreError, match="missing"):
        store.latest(tmp_path)


def test_unreadable_manifest_is_a_clear_error(tmp_path):
    store.write_version(tmp_path, "v1", _tables(), {"version": "v1"})
    (tmp_path / "v1" / "manifest.json").write_text("{not json")
    with pytest.raises(StoreError, match="unreadable"):
        store.read_manifest(tmp_path, "v1")


def _hold_lock(path, ready, seconds):
    with store.locked(path, 5):
        ready.set()
        time.sleep(seconds)


def test_second_run_waits_for_the_lock_then_times_out(tmp_path):
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(tmp_path, ready, 3))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreError, match="lock"):
            with store.locked(tmp_path, timeout_s=0.5):
                pass
    finally:
        holder.join(30)
    with store.locked(tmp_path, timeout_s=1):
        pass
