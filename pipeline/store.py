"""Versioned Parquet store: immutable version folders, manifest, LATEST pointer, and a run lock."""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

TABLES = ("articles", "quotes", "events", "rejects")
LATEST = "LATEST"
MANIFEST = "manifest.json"
_TMP_PREFIX = ".tmp-"
_BROKEN_PREFIX = ".broken-"
_LOCK = ".lock"


class StoreError(Exception):
    """The store is inconsistent (missing LATEST target, unreadable manifest) or locked."""


def version_id(now: dt.datetime, fingerprint: str) -> str:
    """Sortable, readable version name: UTC time of the run plus the inputs' fingerprint."""
    return f"{now.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}-{fingerprint[:8]}"


@contextlib.contextmanager
def locked(out: Path, timeout_s: float = 600.0) -> Iterator[None]:
    """Hold the store's exclusive lock; a second run waits up to timeout_s, then fails clearly."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / _LOCK, "a+") as handle:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"another run holds the lock on {out} (waited {timeout_s:.0f} s); "
                        "try again when it has finished"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cleanup_partial(out: Path) -> list[str]:
    """Remove leftovers of runs that died while writing (only call while holding the lock):
    half-written version folders and LATEST's temporary file."""
    removed = []
    if out.is_dir():
        for child in sorted(out.iterdir()):
            if not child.name.startswith(_TMP_PREFIX):
                continue
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
            removed.append(child.name)
    return removed


def latest(out: Path) -> str | None:
    """Name of the newest complete version, or None for an empty store."""
    pointer = out / LATEST
    if not pointer.exists():
        if any(_is_version(p) for p in out.iterdir()) if out.is_dir() else False:
            raise StoreError(
                f"{pointer} is missing but {out} holds versions; "
                "run `python -m pipeline repair --out DIR` to point it at the newest complete one"
            )
        return None
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"{pointer} cannot be read ({exc}); "
            "run `python -m pipeline repair --out DIR` to rewrite it"
        ) from None
    # a name with a separator or a leading dot would point outside the store or at a partial folder
    if not name or "/" in name or "\\" in name or name.startswith(".") or not (out / name / MANIFEST).is_file():
        raise StoreError(
            f"{pointer} names {name!r}, which is not a complete version; "
            "run `python -m pipeline repair --out DIR` to fix it"
        )
    return name


def read_manifest(out: Path, version: str) -> dict:
    path = out / version / MANIFEST
    hint = "run `python -m pipeline repair --out DIR` to set the broken version aside"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:  # UnicodeDecodeError is a ValueError
        raise StoreError(f"manifest {path} is unreadable: {exc}; {hint}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("version"), str):
        raise StoreError(f"manifest {path} is unreadable: not an object with a \"version\"; {hint}")
    return manifest


def _is_version(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith(".") and (path / MANIFEST).is_file()


def list_versions(out: Path) -> list[dict]:
    """Manifests of every complete version, oldest first."""
    if not out.is_dir():
        return []
    return [read_manifest(out, p.name) for p in sorted(out.iterdir()) if _is_version(p)]


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def set_latest(out: Path, version: str) -> None:
    """Point LATEST at a version atomically (write a temp file, then rename over)."""
    tmp = out / f"{_TMP_PREFIX}{LATEST}-{os.getpid()}"
    tmp.write_text(version + "\n", encoding="utf-8")
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, out / LATEST)
    _fsync_dir(out)


def write_version(out: Path, version: str, tables: dict[str, pa.Table], manifest: dict,
                  extra_files: dict[str, str] | Callable[[], dict[str, str]] | None = None) -> Path:
    """Write every table, the manifest and extra text files (card, report) into a temp folder,
    then rename it into place.

    extra_files may be a function that renders them: it runs while the tables are written (Arrow
    writes Parquet without holding the GIL, so rendering overlaps the writing on a second core).
    The version is visible whole or not at all; LATEST moves only after the rename.
    """
    missing = set(TABLES) - set(tables)
    if missing:
        raise ValueError(f"tables missing from the version: {sorted(missing)}")
    tmp = out / f"{_TMP_PREFIX}{version}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        _write_into(tmp, tables, manifest, extra_files)
        final = out / version
        if final.exists():
            raise StoreError(f"version {version} already exists in {out}")
        os.rename(tmp, final)
    except BaseException:
        # an error (disk full, a bad table) leaves nothing behind; a kill -9 leaves the temp
        # folder, which the next run's cleanup_partial removes
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _fsync_dir(out)
    set_latest(out, version)
    return final


def _write_into(tmp: Path, tables: dict[str, pa.Table], manifest: dict,
                extra_files: dict[str, str] | Callable[[], dict[str, str]] | None) -> None:
    # two tables at a time: each Parquet write runs without the GIL on its own core (at 5,000
    # articles the four took 0.3-0.4 s one after the other)
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix="write-tables") as pool:
        writing = [pool.submit(pq.write_table, tables[name], tmp / f"{name}.parquet", compression="zstd")
                   for name in TABLES]
        try:
            if callable(extra_files):
                extra_files = extra_files()
        finally:
            for future in writing:
                future.result()   # an error in any surfaces; the caller removes the folder
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True, default=str), encoding="utf-8")
    for name, text in (extra_files or {}).items():
        (tmp / name).write_text(text, encoding="utf-8")
    for child in tmp.iterdir():
        with open(child, "rb") as handle:
            os.fsync(handle.fileno())


@dataclasses.dataclass
class RepairResult:
    latest: str | None                 # what LATEST names now (None: the store holds no version)
    removed: list[str]                 # partial folders and temp files of runs that died
    set_aside: list[str]               # broken versions, renamed to .broken-NAME (kept, not deleted)


def _complete(path: Path) -> bool:
    try:
        read_manifest(path.parent, path.name)
    except StoreError:
        return False
    return all((path / f"{name}.parquet").is_file() for name in TABLES)


def repair_store(out: Path) -> RepairResult:
    """Remove partial folders, set aside versions with a broken manifest or a missing table
    (renamed, never deleted), and point LATEST at the newest complete version."""
    removed = cleanup_partial(out)
    set_aside, versions = [], []
    for path in sorted(out.iterdir()) if out.is_dir() else []:
        if not _is_version(path):
            continue
        if _complete(path):
            versions.append(path.name)
            continue
        target = out / f"{_BROKEN_PREFIX}{path.name}"
        n = 1
        while target.exists():
            target, n = out / f"{_BROKEN_PREFIX}{path.name}-{n}", n + 1
        os.rename(path, target)
        set_aside.append(path.name)
    if not versions:
        (out / LATEST).unlink(missing_ok=True)
        return RepairResult(None, removed, set_aside)
    set_latest(out, versions[-1])
    return RepairResult(versions[-1], removed, set_aside)


def repair(out: Path) -> str | None:
    """Repair the store (see repair_store); return the name LATEST now holds."""
    return repair_store(out).latest


def load_table(out: Path, table: str, version: str = "latest", columns: list[str] | None = None) -> pa.Table:
    """Read one table of a version ('latest' follows LATEST); only the named columns when given
    (columns=[] reads none: a table that knows its row count)."""
    if table not in TABLES:
        raise ValueError(f"unknown table {table!r}; expected one of {TABLES}")
    name = latest(out) if version == "latest" else version
    if name is None:
        raise StoreError(f"{out} holds no version yet; run `make pipeline` first")
    return pq.read_table(out / name / f"{table}.parquet", columns=columns)
