"""kill -9 at each step of a write, two writers at once, and a broken LATEST or manifest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import store

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("_store_writer.py")


def _writer(out: Path, version: str, mode: str = "ok", lock_timeout: float = 30.0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(WRITER), str(out), version, mode, str(lock_timeout)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=120)


def _v1(out: Path) -> None:
    store.write_version(out, "v1", {name: pa.table({"x": [1]}) for name in store.TABLES}, {"version": "v1"})


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".tmp-"))


@pytest.mark.parametrize("mode,leftover", [
    ("kill-after-parquet:1", "dir"),       # one table of four written
    ("kill-after-parquet:4", "dir"),       # every table, no manifest yet
    ("kill-before-rename", "dir"),         # complete temp folder, never renamed
    ("kill-after-rename", None),           # version in place, LATEST not moved
    ("kill-before-latest", "file"),        # LATEST's temp file written, not renamed over LATEST
])
def test_kill_9_mid_write_keeps_the_previous_version(tmp_path, mode, leftover):
    _v1(tmp_path)
    proc = _writer(tmp_path, "v2", mode)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == -9, (stdout, stderr)
    assert "locked" in stdout  # it died holding the lock, inside write_version

    assert store.latest(tmp_path) == "v1"
    assert store.load_table(tmp_path, "articles").num_rows == 1
    visible = [m["version"] for m in store.list_versions(tmp_path)]
    # the rename is atomic: a version folder is either absent or complete
    # (once renamed, a version is complete: it stays, listed but not LATEST; `repair` would adopt it)
    assert visible == (["v1", "v2"] if mode in ("kill-after-rename", "kill-before-latest") else ["v1"])
    for name in visible:
        assert all((tmp_path / name / f"{t}.parquet").is_file() for t in store.TABLES)
    found = _leftovers(tmp_path)
    if leftover == "dir":
        assert len(found) == 1 and (tmp_path / found[0]).is_dir()
    elif leftover == "file":
        assert len(found) == 1 and found[0].startswith(".tmp-LATEST-")
    else:
        assert found == []

    # the next run gets the lock at once (the kernel dropped the dead run's flock), cleans up, succeeds
    started = time.monotonic()
    proc = _writer(tmp_path, "v3", "ok", lock_timeout=2)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 0, (stdout, stderr)
    result = json.loads(stdout.splitlines()[-1])
    assert result["removed"] == found and result["parent"] == "v1"
    assert time.monotonic() - started < 30
    assert store.latest(tmp_path) == "v3" and _leftovers(tmp_path) == []
    assert store.load_table(tmp_path, "articles").num_rows == 3


def test_two_writers_at_once_take_turns(tmp_path):
    _v1(tmp_path)
    first, second = _writer(tmp_path, "v2", "slow:0.3"), _writer(tmp_path, "v3", "slow:0.3")
    results = [proc.communicate(timeout=60) + (proc.returncode,) for proc in (first, second)]
    assert [code for _, _, code in results] == [0, 0], results
    done = [json.loads(out.splitlines()[-1]) for out, _, _ in results]
    # one waited for the other: the later one's parent is the earlier one's version
    parents = {d["version"]: d["parent"] for d in done}
    assert sorted(parents.values()) == sorted(["v1", next(v for v in parents if parents[v] == "v1")])
    last = next(v for v in parents if parents[v] != "v1")
    assert store.latest(tmp_path) == last
    assert [m["version"] for m in store.list_versions(tmp_path)] == ["v1", "v2", "v3"]
    assert _leftovers(tmp_path) == []


def test_second_writer_gives_up_with_a_clear_message(tmp_path):
    _v1(tmp_path)
    holder = _writer(tmp_path, "v2", "slow:0.6")  # holds the lock for ~2.4 s
    try:
        assert holder.stdout.readline().strip() == "locked"
        proc = _writer(tmp_path, "v3", "ok", lock_timeout=0.5)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 3, (stdout, stderr)
        assert "another run holds the lock" in stdout and "Traceback" not in stderr
    finally:
        holder.communicate(timeout=60)
    assert holder.returncode == 0
    assert store.latest(tmp_path) == "v2" and not (tmp_path / "v3").exists()


def _two_versions(out: Path) -> None:
    _v1(out)
    store.write_version(out, "v2", {name: pa.table({"x": [1, 2]}) for name in store.TABLES}, {"version": "v2"})


@pytest.mark.parametrize("breakage", ["garbage", "missing", "binary", "escape", "directory"])
def test_broken_latest_versions_and_repair_from_the_command_line(tmp_path, breakage):
    _two_versions(tmp_path)
    latest = tmp_path / "LATEST"
    if breakage == "garbage":
        latest.write_text("no-such-version\n")
    elif breakage == "missing":
        latest.unlink()
    elif breakage == "binary":
        latest.write_bytes(b"\xff\xfe\x00\x9c")
    elif breakage == "escape":
        latest.write_text("../../etc\n")
    else:
        latest.unlink()
        latest.mkdir()
    result = _cli("versions", "--out", str(tmp_path))
    assert result.returncode == 3, result
    assert "repair" in result.stdout and "Traceback" not in result.stdout + result.stderr
    if breakage == "directory":
        latest.rmdir()
    result = _cli("repair", "--out", str(tmp_path))
    assert result.returncode == 0, result
    assert "LATEST -> v2" in result.stdout
    result = _cli("versions", "--out", str(tmp_path))
    assert result.returncode == 0 and "v1" in result.stdout and "LATEST" in result.stdout, result


@pytest.mark.parametrize("breakage", ["not json", "not an object", "missing", "missing table"])
def test_broken_manifest_is_detected_and_repair_sets_the_version_aside(tmp_path, breakage):
    _two_versions(tmp_path)
    manifest = tmp_path / "v2" / "manifest.json"
    if breakage == "not json":
        manifest.write_text("{truncated")
    elif breakage == "not an object":
        manifest.write_text("[1, 2]")
    elif breakage == "missing":
        manifest.unlink()
    else:
        (tmp_path / "v2" / "quotes.parquet").unlink()
    result = _cli("versions", "--out", str(tmp_path))
    if breakage in ("not json", "not an object"):
        assert result.returncode == 3 and "repair" in result.stdout, result
    assert "Traceback" not in result.stdout + result.stderr
    result = _cli("repair", "--out", str(tmp_path))
    assert result.returncode == 0 and "LATEST -> v1" in result.stdout, result
    if breakage != "missing":  # a folder without a manifest was never a version: left as it is
        assert (tmp_path / ".broken-v2").is_dir() and not (tmp_path / "v2").exists()
    result = _cli("versions", "--out", str(tmp_path))
    assert result.returncode == 0 and "v1" in result.stdout and "v2" not in result.stdout, result
    assert store.load_table(tmp_path, "articles").num_rows == 1


def test_repair_store_reports_what_it_did(tmp_path):
    _two_versions(tmp_path)
    (tmp_path / ".tmp-v3-123").mkdir()
    (tmp_path / ".tmp-LATEST-123").write_text("v3\n")
    (tmp_path / "v2" / "manifest.json").write_text("{")
    (tmp_path / "LATEST").write_text("v2\n")
    result = store.repair_store(tmp_path)
    assert result == store.RepairResult("v1", [".tmp-LATEST-123", ".tmp-v3-123"], ["v2"])
    assert store.latest(tmp_path) == "v1" and _leftovers(tmp_path) == []
    assert os.listdir(tmp_path / ".broken-v2")  # set aside, never deleted


def test_failed_write_leaves_nothing_behind(tmp_path):
    _v1(tmp_path)
    with pytest.raises(store.StoreError):
        store.write_version(tmp_path, "v1", {name: pa.table({"x": [9]}) for name in store.TABLES}, {"version": "v1"})
    bad = {name: pa.table({"x": [1]}) for name in store.TABLES} | {"events": "not a table"}
    with pytest.raises(Exception):
        store.write_version(tmp_path, "v2", bad, {"version": "v2"})
    assert _leftovers(tmp_path) == [] and store.latest(tmp_path) == "v1"
