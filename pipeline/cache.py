"""Per-source result cache beside the store, so a run reprocesses only new or changed inputs."""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import logging
import os
import pickle
import shutil
import time
from collections import Counter
from pathlib import Path

from pipeline import __version__, provenance
from pipeline.model import Article, Event, Quote, Reason, Reject, Source

log = logging.getLogger(__name__)

CACHE_DIR = ".cache"   # hidden: the store lists only visible folders as versions
_SUFFIX = ".pkl"
# Failures that may not happen again (a loaded machine, a file being written) are never cached.
NOT_CACHED = frozenset({Reason.HTML_TIMEOUT, Reason.HTML_CRASH, Reason.TIMEOUT, Reason.CRASH, Reason.UNREADABLE})
# Each run appends one file of new entries; past this many files, or when over a quarter of the
# stored entries belong to removed or changed inputs, the live entries are rewritten into one file.
# At 2,000 sources, loading 40 small files instead of one costs ~20 ms more: not worth compacting
# sooner.
_MAX_FILES = 32
_MAX_STALE_SHARE = 0.25


@dataclasses.dataclass
class Entry:
    """What processing one source gave: its Article (with quotes and events) or its Reject."""

    result: Article | Reject
    quotes: list[Quote]
    events: list[Event]
    stats: Counter
    # dedupe.shingle_sample(result.body): a pure function of the body, kept so that an incremental
    # run hashes only new articles' shingles (None: not computed yet; the flow fills it in)
    dedupe_sample: tuple[int, ...] | None = None
    # the article's row passed every check of the articles model in the run that stored it (the
    # code key covers the schemas); such rows are rechecked on their changing columns only
    row_valid: bool = False
    # every quote's and event's text was body[start_char:end_char] in the run that stored it (the
    # body and the rows are cached together, so it still is); such rows are not checked again
    offsets_valid: bool = False

    @property
    def cacheable(self) -> bool:
        if self.stats and self.stats.get("extract_lost"):   # extraction timed out or crashed: retry next run
            return False
        if self.stats and self.stats.get("dates_after_today"):   # its dates may differ on a later day
            return False
        return not (isinstance(self.result, Reject) and Reason(self.result.reason) in NOT_CACHED)


def code_key(max_bytes: int) -> str:
    """Everything besides an input that decides its result: pipeline version, code, lexicons, size limit."""
    payload = json.dumps([__version__, provenance.code_sha256(), provenance.lexicon_hashes(), max_bytes],
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def source_key(source: Source, sidecar_sha256: str) -> str:
    """An input's identity for the cache: its path (it is in every row), bytes and sidecar."""
    return hashlib.sha256(f"{source.rel_path}\0{source.sha256}\0{sidecar_sha256}".encode()).hexdigest()


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection inside (unpickling thousands of entries triggers it over and over)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def old_objects_frozen():
    """Leave the objects that exist now out of cyclic garbage collection until the block ends.

    A run holds every cached entry (hundreds of thousands of objects at 2,000 articles); one full
    collection over them, triggered by whatever allocates next, cost 0.35 s of a 2 s incremental
    run (bench_refresh), and the first young collection after load() (which pauses the
    collector) another 0.1 s at 5,000. Enter it right after load(). Frozen objects are still
    freed by reference counting, and are collected as usual again after the block.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class ResultCache:
    """Entries of one code key under OUT/.cache/<key>/, as pickled batch files.

    Pickles are read back only from the store's own folder, which is as trusted as the code.
    Only call while holding the store's lock.
    """

    def __init__(self, out: Path, key: str):
        self.root = out / CACHE_DIR
        self.dir = self.root / key[:32]
        self._stored: dict[str, Entry] = {}
        self._files: list[Path] = []

    def load(self) -> dict[str, Entry]:
        """Every entry stored for this code key; a file that cannot be read is dropped, not fatal."""
        self._stored, self._files = {}, []
        if not self.dir.is_dir():
            return {}
        for path in sorted(self.dir.glob(f"*{_SUFFIX}")):
            try:
                with open(path, "rb") as handle, gc_paused():
                    batch = pickle.load(handle)
            except Exception as exc:  # truncated by a crash, or written by an incompatible pickle
                log.warning("dropping unreadable cache file %s: %s", path.name, exc)
                path.unlink(missing_ok=True)
                continue
            self._stored.update(batch)
            self._files.append(path)
        return dict(self._stored)

    def save(self, new: dict[str, Entry], live: set[str]) -> None:
        """Add the new entries, prune other code keys' folders and, when worth it, stale entries."""
        self._prune_other_keys()
        new = {k: e for k, e in new.items() if e.cacheable}
        self._stored.update(new)
        stale = [k for k in self._stored if k not in live]
        if len(self._files) + 1 > _MAX_FILES or len(stale) > _MAX_STALE_SHARE * max(len(self._stored), 1):
            keep = {k: e for k, e in self._stored.items() if k in live}
            old = list(self._files)
            self._files = [self._write(keep)] if keep else []
            for path in old:
                path.unlink(missing_ok=True)
            self._stored = keep
        elif new:
            self._files.append(self._write(new))

    def append(self, new: dict[str, Entry], live: set[str]) -> None:
        """Add the new entries without reading the stored ones (a run that reuses its parent's rows
        never loads them); once the folder would hold more than _MAX_FILES files, load and
        compact as save() does."""
        files = sorted(self.dir.glob(f"*{_SUFFIX}")) if self.dir.is_dir() else []
        if len(files) + 1 > _MAX_FILES:
            self.load()
            self.save(new, live)
            return
        self._prune_other_keys()
        new = {k: e for k, e in new.items() if e.cacheable}
        if new:
            self._write(new)

    def _prune_other_keys(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for other in self.root.iterdir():
            if other != self.dir and other.is_dir():
                shutil.rmtree(other, ignore_errors=True)   # written by other code: never valid again

    def _write(self, entries: dict[str, Entry]) -> Path:
        path = self.dir / f"{time.time_ns()}-{os.getpid()}{_SUFFIX}"
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(entries, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)   # a reader sees the whole file or none of it
        return path
