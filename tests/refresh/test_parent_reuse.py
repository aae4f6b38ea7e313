"""Runs with few new inputs reuse the parent version's rows, and give what a full rebuild gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import incremental, store
from pipeline.bench.generate import generate

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.flow


def _run(raw: Path, out: Path, **kw):
    from pipeline.flows import RunConfig, run

    # in the flow's threads: the pool changes where documents are processed, not what rows come out
    return run(RunConfig(raw=raw, out=out, workers=0, **kw))


def _tables(out: Path, version: str) -> dict[str, pa.Table]:
    return {name: store.load_table(out, name, version) for name in store.TABLES}


def _same_as_full_rebuild(raw: Path, out: Path, full_out: Path, parent_rows: bool) -> dict:
    """Run incrementally, rebuild in full without the cache, and check both give the same version."""
    summary = _run(raw, out)
    manifest = store.read_manifest(out, summary.version)
    assert manifest["incremental"]["parent_rows"] is parent_rows
    full = _run(raw, full_out, use_cache=False)
    full_manifest = store.read_manifest(full_out, full.version)
    ours, theirs = _tables(out, summary.version), _tables(full_out, full.version)
    for name in store.TABLES:
        # same rows in the same order, not just the same set
        assert ours[name].equals(theirs[name]), name
    for key in ("rows", "rejects_by_reason", "stats"):
        assert manifest[key] == full_manifest[key], key
    return manifest


def _articles(out: Path) -> dict[str, dict]:
    return {r["source_path"]: r for r in store.load_table(out, "articles").to_pylist()}


def test_parent_rows_give_the_rows_of_a_full_rebuild(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(REPO / "raw" / "samples", raw)
    generate(raw / "gen", 30, seed=3)
    first = _run(raw, out)
    assert first.processed == 39

    # new inputs: an article, a near copy of a generated one whose path sorts first (so the old
    # article becomes the copy), and a file that is rejected
    generate(raw / "gen", 1, seed=3, start=100)
    victim = sorted((raw / "gen" / "000").glob("*.txt"))[0]
    near_copy = raw / "gen" / "000" / "-copy.txt"   # "-" sorts before the digits
    near_copy.write_text(victim.read_text(encoding="utf-8") + "\nA line the copy adds at its end.\n",
                         encoding="utf-8")
    (raw / "gen" / "broken.txt").write_bytes(b"\x00\x01\x02binary\x00" * 40)
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full1", parent_rows=True)
    assert manifest["incremental"]["processed"] == 3
    articles = _articles(out)
    rel = lambda p: p.relative_to(raw).as_posix()  # noqa: E731
    assert articles[rel(victim)]["duplicate_of"] == articles[rel(near_copy)]["article_id"]
    assert "gen/broken.txt" in set(store.load_table(out, "rejects").column("source_path").to_pylist())

    # removing the copy's original clears its mark; a changed input is processed again
    near_copy.unlink()
    changed = raw / "04_glacier_drone_survey.md"
    changed.write_text(changed.read_text(encoding="utf-8").replace("twice as fast", "three times as fast"),
                       encoding="utf-8")
    _same_as_full_rebuild(raw, out, tmp_path / "full2", parent_rows=True)
    assert _articles(out)[rel(victim)]["duplicate_of"] is None

    # a byte-identical copy salts ids across the run: the parent's rows cannot stand alone
    shutil.copy(victim, raw / "gen" / "zz_identical.txt")
    _same_as_full_rebuild(raw, out, tmp_path / "full3", parent_rows=False)
    # ... and a parent with salted ids is rebuilt in full too
    (raw / "gen" / "zz_identical.txt").unlink()
    _same_as_full_rebuild(raw, out, tmp_path / "full4", parent_rows=False)
    # the version written by that run is a good parent again
    generate(raw / "gen", 1, seed=3, start=101)
    _same_as_full_rebuild(raw, out, tmp_path / "full5", parent_rows=True)


def test_many_new_inputs_take_the_result_cache(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, 8, seed=4)
    _run(raw, out)
    generate(raw, 4, seed=4, start=50)   # a third of the inputs are new: over REUSE_MAX_NEW_SHARE
    summary = _run(raw, out)
    assert store.read_manifest(out, summary.version)["incremental"] == {
        "reused": 8, "processed": 4, "parent_rows": False}


def test_only_the_latest_versions_index_is_kept(tmp_path):
    first, second = incremental.Indexed((1, 2), {}), incremental.Indexed(None, {})
    incremental.save_index(tmp_path, "v1", {"a": first})
    assert incremental.load_index(tmp_path, "v1") == {"a": first}
    incremental.save_index(tmp_path, "v2", {"a": first, "b": second})
    assert incremental.load_index(tmp_path, "v1") is None
    assert incremental.load_index(tmp_path, "v2") == {"a": first, "b": second}
    # a damaged index is ignored (the run rebuilds from the cache), not fatal
    next((tmp_path / incremental.RUNS_DIR).iterdir()).write_bytes(b"not a pickle")
    assert incremental.load_index(tmp_path, "v2") is None


def test_a_damaged_parent_is_rebuilt_from_the_cache(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, 10, seed=5)
    first = _run(raw, out)
    (out / first.version / "quotes.parquet").write_bytes(b"PAR1 cut short")
    generate(raw, 1, seed=5, start=20)
    _same_as_full_rebuild(raw, out, tmp_path / "full", parent_rows=False)


@pytest.mark.parametrize("seed", range(300))
def test_merge_inserts_new_rows_as_a_stable_sort_would(seed):
    """incremental.merge slices the old rows around the new ones: the same table as sorting both."""
    import random

    rng = random.Random(seed)
    schema = pa.schema([("k", pa.large_string()), ("v", pa.int64())])
    words = ["a", "b", "é", "z", "ab", "€", "a\u0301", "B", "ü"]
    old_keys = sorted(rng.choice(words) + str(rng.randint(0, 20)) for _ in range(rng.randint(0, 40)))
    new_keys = [rng.choice(words) + str(rng.randint(0, 20)) for _ in range(rng.randint(0, 10))]
    old = pa.table({"k": old_keys, "v": range(len(old_keys))}, schema=schema)
    new = pa.table({"k": new_keys, "v": range(100, 100 + len(new_keys))}, schema=schema)
    assert incremental.merge(old, new, "k", schema).equals(pa.concat_tables([old, new]).sort_by("k"))
