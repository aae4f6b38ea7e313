"""The result cache's own pieces: entries written by older code, and the garbage-collector pauses."""

from __future__ import annotations

import gc
from collections import Counter

from pipeline import cache
from pipeline.model import Reason, Reject


def test_entries_round_trip_with_their_dedupe_sample_and_validity(tmp_path):
    store = cache.ResultCache(tmp_path, "k" * 64)
    assert store.load() == {}
    entry = cache.Entry(Reject("a.txt", "read", Reason.EMPTY, "empty"), [], [], Counter(kept_blocks=2))
    assert entry.dedupe_sample is None and entry.row_valid is False   # the flow fills them in
    entry.dedupe_sample, entry.row_valid = (16, 32), True
    store.save({"x": entry}, {"x"})
    again = cache.ResultCache(tmp_path, "k" * 64).load()["x"]
    assert again.dedupe_sample == (16, 32) and again.row_valid is True and again.stats == Counter(kept_blocks=2)


def test_gc_pauses_restore_the_collector_as_they_found_it():
    assert gc.isenabled()
    with cache.old_objects_frozen():
        assert gc.isenabled() and gc.get_freeze_count() > 0
        with cache.gc_paused():
            assert not gc.isenabled()
            with cache.gc_paused():
                pass
            assert not gc.isenabled()   # an inner pause does not end the outer one
        assert gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with cache.gc_paused():
            pass
        assert not gc.isenabled()   # left disabled, as it was
    finally:
        gc.enable()
