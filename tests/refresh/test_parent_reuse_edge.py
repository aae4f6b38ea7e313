"""Edge cases of the incremental fast path (a run that reuses the parent version's rows): each step
of a growing raw folder is built incrementally and again in full without the cache, and both
versions must be the same, table by table, row order included."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
import types
from pathlib import Path

import pyarrow as pa
import pytest

from pipeline import flows, incremental, store
from pipeline.bench.generate import article, generate
from pipeline.sources import discover

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.flow


def _run(raw: Path, out: Path, **kw):
    # in the flow's threads: the pool changes where documents are processed, not what rows come out
    return flows.run(flows.RunConfig(raw=raw, out=out, workers=0, **kw))


def _tables(out: Path, version: str) -> dict[str, pa.Table]:
    return {name: store.load_table(out, name, version) for name in store.TABLES}


def _table_diff(name: str, ours: pa.Table, theirs: pa.Table) -> list[str]:
    """Where two tables differ: row counts, else the first differing row of each column."""
    if ours.num_rows != theirs.num_rows:
        return [f"{name}: {ours.num_rows} rows, a full rebuild gives {theirs.num_rows}"]
    if ours.schema != theirs.schema:
        return [f"{name}: schema {ours.schema} != {theirs.schema}"]
    diffs = []
    for column in ours.column_names:
        a, b = ours.column(column).to_pylist(), theirs.column(column).to_pylist()
        bad = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        if bad:
            i = bad[0]
            diffs.append(f"{name}.{column}: {len(bad)} rows differ, first row {i}: "
                         f"{str(a[i])[:120]!r} != {str(b[i])[:120]!r}")
    return diffs


def _same_as_full_rebuild(raw: Path, out: Path, full_out: Path, parent_rows: bool | None, **kw) -> dict:
    """Run incrementally, rebuild in full without the cache, and check both give the same version
    (parent_rows: which path the incremental run must take; None: either)."""
    summary = _run(raw, out, **kw)
    assert not summary.up_to_date
    manifest = store.read_manifest(out, summary.version)
    full = _run(raw, full_out, use_cache=False, **{k: v for k, v in kw.items() if k != "force"})
    full_manifest = store.read_manifest(full_out, full.version)
    ours, theirs = _tables(out, summary.version), _tables(full_out, full.version)
    diffs = [d for name in store.TABLES for d in _table_diff(name, ours[name], theirs[name])]
    diffs += [f"manifest {key}: {manifest[key]} != {full_manifest[key]}"
              for key in ("rows", "rejects_by_reason", "stats") if manifest[key] != full_manifest[key]]
    assert not diffs, "\n".join(diffs)
    if parent_rows is not None:
        assert manifest["incremental"]["parent_rows"] is parent_rows, manifest["incremental"]
    return manifest


def _articles(out: Path) -> dict[str, dict]:
    return {r["source_path"]: r for r in store.load_table(out, "articles").to_pylist()}


def _text(seed: int, index: int, kind: str = "txt") -> str:
    """A generated article of the given kind (txt or md) at or after index."""
    while True:
        name, _, text = article(seed, index)
        if name.endswith("." + kind):
            return text
        index += 1


def _write(path: Path, text: str, published: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if published:
        path.with_name(path.name + ".meta.json").write_text(json.dumps({"published": published}), encoding="utf-8")
    return path


def _sources(raw: Path, max_bytes: int = 20_000_000) -> int:
    return len(discover(raw, max_bytes)[0])


def test_duplicate_marks_follow_new_and_removed_copies(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw / "gen", 26, seed=11)
    base, base2, base3 = _text(99, 1), _text(99, 20), _text(99, 40, "md")
    # a story and its later near copy; a chain of three near copies; one story copied twice
    _write(raw / "fam" / "a_orig.txt", base, "2021-03-10")
    _write(raw / "fam" / "b_copy.txt", base + "\nAn editor's note was added to this copy.\n", "2021-03-12")
    _write(raw / "chain" / "x.txt", base2, "2021-01-01")
    _write(raw / "chain" / "y.txt", base2 + "\nA first line added by the second copy.\n", "2021-01-02")
    _write(raw / "chain" / "z.txt", base2 + "\nA first line added by the second copy.\nAnd one more by the third.\n",
           "2021-01-03")
    _write(raw / "sev" / "d1.md", base3, "2022-05-05")
    _write(raw / "sev" / "d2.md", base3 + "\nUpdate: a correction was appended.\n", "2022-05-06")
    _write(raw / "sev" / "d3.md", "Reposted from the wire.\n\n" + base3, "2022-05-07")
    # one sidecar named after the stem serves two inputs
    _write(raw / "fam2" / "shared.txt", _text(99, 60))
    _write(raw / "fam2" / "shared.md", _text(99, 70, "md"))
    (raw / "fam2" / "shared.meta.json").write_text(json.dumps({"published": "2020-10-10"}), encoding="utf-8")
    first = _run(raw, out)
    assert first.processed == 36
    ids = {p: r["article_id"] for p, r in _articles(out).items()}
    assert _articles(out)["fam/b_copy.txt"]["duplicate_of"] == ids["fam/a_orig.txt"]
    assert _articles(out)["chain/z.txt"]["duplicate_of"] == ids["chain/x.txt"]

    # a new copy dated earlier becomes the original of a reused original and its copy; a new
    # story is the original of three old ones; the head of a chain is removed
    _write(raw / "fam" / "c_earlier.txt", base + "\nFirst published in the morning edition.\n", "2021-03-01")
    _write(raw / "sev" / "d0.md", base3 + "\nSyndicated.\n", "2022-05-01")
    (raw / "chain" / "x.txt").unlink()
    (raw / "chain" / "x.txt.meta.json").unlink()
    _same_as_full_rebuild(raw, out, tmp_path / "full1", parent_rows=True)
    arts = _articles(out)
    c_id, d0_id = arts["fam/c_earlier.txt"]["article_id"], arts["sev/d0.md"]["article_id"]
    assert arts["fam/a_orig.txt"]["duplicate_of"] == c_id
    assert arts["fam/b_copy.txt"]["duplicate_of"] == c_id
    assert {arts[f"sev/d{i}.md"]["duplicate_of"] for i in (1, 2, 3)} == {d0_id}
    assert arts["chain/y.txt"]["duplicate_of"] is None
    assert arts["chain/z.txt"]["duplicate_of"] == arts["chain/y.txt"]["article_id"]

    # sidecars: one changes a reused copy's date to before its original's (its key changes), one
    # is removed (the date falls back to the text's own, or none), one is added to an unchanged input
    _write(raw / "fam" / "b_copy.txt.meta.json", json.dumps({"published": "2021-02-01"}))
    (raw / "sev" / "d0.md.meta.json").unlink()
    plain = sorted((raw / "gen" / "000").glob("*.txt"))[0]
    _write(plain.with_name(plain.stem + ".meta.json"), json.dumps({"published": "2019-07-04", "outlet": "Example"}))
    (raw / "fam2" / "shared.meta.json").write_text(json.dumps({"published": "2020-10-11"}), encoding="utf-8")
    unchanged = sorted((raw / "gen" / "000").glob("*.md"))[-1]
    _write(unchanged.with_name(unchanged.name + ".meta.json"), '{"published": "2019-')   # not JSON: a warning
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full2", parent_rows=True)
    assert manifest["incremental"]["processed"] == 6
    arts = _articles(out)
    assert arts["fam/b_copy.txt"]["duplicate_of"] is None
    assert arts["fam/a_orig.txt"]["duplicate_of"] == arts["fam/b_copy.txt"]["article_id"]
    assert str(arts[plain.relative_to(raw).as_posix()]["published_date"]) == "2019-07-04"

    # forced with nothing changed: every row from the parent (in a later second than the parent's:
    # see test_a_forced_run_in_the_parents_second)
    time.sleep(1.01 - time.time() % 1)
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full3", parent_rows=True, force=True)
    assert manifest["incremental"]["processed"] == 0

    # a new input byte-identical to a reused one, whose path sorts first: it takes the plain id and
    # the reused one is salted, so the parent's rows cannot stand; two new identical inputs either
    shutil.copy(raw / "chain" / "y.txt", raw / "chain" / "-y.txt")
    _same_as_full_rebuild(raw, out, tmp_path / "full_ids1", parent_rows=False)
    assert _articles(out)["chain/-y.txt"]["article_id"] == _articles(out)["chain/-y.txt"]["content_sha256"][:16]
    (raw / "chain" / "-y.txt").unlink()
    twin = _text(99, 80)
    _write(raw / "twins" / "one.txt", twin)
    _write(raw / "twins" / "two.txt", twin)
    _same_as_full_rebuild(raw, out, tmp_path / "full_ids2", parent_rows=False)
    (raw / "twins" / "two.txt").unlink()
    _same_as_full_rebuild(raw, out, tmp_path / "full_ids3", parent_rows=False)   # the parent is salted

    # inputs removed, nothing added: the original of two copies and a plain article
    (raw / "fam" / "b_copy.txt").unlink()
    sorted((raw / "gen" / "000").glob("*.md"))[0].unlink()
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full4", parent_rows=True)
    assert manifest["incremental"]["processed"] == 0
    assert _articles(out)["fam/a_orig.txt"]["duplicate_of"] == _articles(out)["fam/c_earlier.txt"]["article_id"]


def test_odd_paths_moves_discovery_rejects_and_the_share_border(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    limit = 60_000   # every run of this test: the limit is part of the result cache's key
    generate(raw / "gen", 24, seed=12)
    (raw / "notes.pdf").write_bytes(b"%PDF-1.4 not an article")
    (raw / "big.txt").write_text(_text(98, 0) * 20, encoding="utf-8")   # over the limit
    (raw / "empty.txt").write_bytes(b"")
    _run(raw, out, max_bytes=limit)
    rejected = set(store.load_table(out, "rejects").column("source_path").to_pylist())
    assert {"notes.pdf", "big.txt", "empty.txt"} <= rejected

    # odd names: spaces, accents, full-width and astral characters, nested folders, and names
    # whose order differs between walking the folders and sorting the full paths
    odd = ["dir with space/é café.txt", "ｆｕｌｌ/Ａ.md", "emoji/😀 news.txt", "a-b.txt", "a/b.txt", "A.txt"]
    for i, name in enumerate(odd):
        _write(raw / name, _text(97, 3 * i, "md" if name.endswith(".md") else "txt"))
    _same_as_full_rebuild(raw, out, tmp_path / "full1", parent_rows=True, max_bytes=limit)
    assert set(odd) <= set(_articles(out))

    # moves and renames (same bytes, new path); discovery rejects that disappear or change
    gen_file = sorted((raw / "gen" / "000").glob("*.txt"))[1]
    (raw / "moved").mkdir()
    gen_file.rename(raw / "moved" / gen_file.name)
    (raw / "emoji" / "😀 news.txt").rename(raw / "emoji" / "😀 renamed.txt")
    (raw / "notes.pdf").unlink()
    (raw / "big.txt").write_text(_text(98, 0), encoding="utf-8")   # under the limit now
    (raw / "empty.txt").write_text(_text(98, 5), encoding="utf-8")
    (raw / "new.rtf").write_bytes(b"{\\rtf1 unsupported}")
    grown = sorted((raw / "gen" / "000").glob("*.md"))[-1]
    grown.write_text(grown.read_text(encoding="utf-8") * 30, encoding="utf-8")   # over the limit now
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full2", parent_rows=True, max_bytes=limit)
    assert manifest["incremental"]["processed"] == 4
    assert {f"moved/{gen_file.name}", "emoji/😀 renamed.txt", "big.txt", "empty.txt"} <= set(_articles(out))
    assert grown.relative_to(raw).as_posix() in set(store.load_table(out, "rejects").column("source_path").to_pylist())

    # only the discovery rejects change (a dangling link appears): nothing to process
    (raw / "dangling.txt").symlink_to(raw / "nowhere.txt")
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full_link", parent_rows=True, max_bytes=limit)
    assert manifest["incremental"]["processed"] == 0

    # exactly REUSE_MAX_NEW_SHARE of the inputs new: still the parent's rows
    while _sources(raw, limit) % 3:
        sorted((raw / "gen" / "000").glob("*.md"))[0].unlink()
    new = _sources(raw, limit) // 3
    assert new / (_sources(raw, limit) + new) == flows.REUSE_MAX_NEW_SHARE
    generate(raw / "gen", new, seed=12, start=500)
    _same_as_full_rebuild(raw, out, tmp_path / "full3", parent_rows=True, max_bytes=limit)
    # one more than that: the result cache
    new = _sources(raw, limit) // 3 + 1
    generate(raw / "gen", new, seed=12, start=600)
    _same_as_full_rebuild(raw, out, tmp_path / "full4", parent_rows=False, max_bytes=limit)
    # and the version that run wrote is a parent whose rows are reused
    _write(raw / "after.txt", _text(97, 40))
    _same_as_full_rebuild(raw, out, tmp_path / "full5", parent_rows=True, max_bytes=limit)


def _quote_sentence(out: Path) -> tuple[str, str]:
    """(article_id, text) of a quote of the latest version."""
    quotes = store.load_table(out, "quotes").to_pylist()
    assert quotes
    return quotes[0]["article_id"], quotes[0]["quote_text"]


def test_index_continuity_shared_quotes_and_the_report(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    shutil.copytree(REPO / "raw" / "samples", raw)
    generate(raw / "gen", 20, seed=13)
    _run(raw, out)

    # an input that turns into a reject, then a reject that turns into an article and a new
    # article quoting the same words as a reused one
    _, said = _quote_sentence(out)
    sorted((raw / "gen" / "000").glob("*.txt"))[2].write_bytes(b"\x00\x01binary\x00" * 30)
    (raw / "zz_broken.txt").write_bytes(b"\x00\x02\x00" * 30)
    _run(raw, out)
    (raw / "zz_broken.txt").write_text(_text(96, 7), encoding="utf-8")
    _write(raw / "quoting.txt", "Council debates the surplus again\n\n"
           "The council met again on Monday to discuss the budget and the harbour works. Members spoke "
           "for three hours before the vote was called.\n\n"
           f"\u201c{said},\u201d Ana Rowe, the finance minister, told reporters after the meeting. She added "
           "that the figures would be published next week.\n\n"
           "Opposition members said they would study the figures before deciding how to vote.\n", "2024-02-02")
    parent = store.latest(out)
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full1", parent_rows=True)
    assert manifest["parent"] == parent
    texts = store.load_table(out, "quotes").column("quote_text").to_pylist()
    assert texts.count(said) >= 2, "the new article should repeat the reused one's quote"
    # the fast path's version has its card and report, and the report compares with the parent
    version_dir = out / manifest["version"]
    assert (version_dir / "README.md").is_file()
    report = (version_dir / "report.html").read_text(encoding="utf-8")
    assert parent in report

    # slow (many new), fast, slow (index deleted), slow (index truncated), fast, fast
    generate(raw / "gen", 12, seed=13, start=200)
    _same_as_full_rebuild(raw, out, tmp_path / "full2", parent_rows=False)
    generate(raw / "gen", 1, seed=13, start=300)
    _same_as_full_rebuild(raw, out, tmp_path / "full3", parent_rows=True)
    [runs] = (out / ".cache").glob(f"*/{incremental.RUNS_DIR}")
    index_file = runs / f"{store.latest(out)}.index.pkl"
    assert index_file.is_file()
    index_file.unlink()
    generate(raw / "gen", 1, seed=13, start=301)
    _same_as_full_rebuild(raw, out, tmp_path / "full4", parent_rows=False)
    index_file = runs / f"{store.latest(out)}.index.pkl"
    index_file.write_bytes(index_file.read_bytes()[:100])
    generate(raw / "gen", 1, seed=13, start=302)
    _same_as_full_rebuild(raw, out, tmp_path / "full5", parent_rows=False)
    generate(raw / "gen", 1, seed=13, start=303)
    _same_as_full_rebuild(raw, out, tmp_path / "full6", parent_rows=True)
    # a run without the cache on the same store leaves an index too
    generate(raw / "gen", 1, seed=13, start=304)
    _run(raw, out, use_cache=False)
    (raw / "quoting.txt").unlink()
    (raw / "quoting.txt.meta.json").unlink()
    _same_as_full_rebuild(raw, out, tmp_path / "full7", parent_rows=True)


def test_every_input_removed(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw / "gen", 3, seed=17)
    (raw / "notes.pdf").write_bytes(b"%PDF-1.4")
    _run(raw, out)
    shutil.rmtree(raw / "gen")
    # no input left: nothing is new, and the version holds only the discovery reject
    manifest = _same_as_full_rebuild(raw, out, tmp_path / "full1", parent_rows=True)
    assert manifest["rows"]["articles"] == 0
    generate(raw / "gen", 1, seed=17, start=10)
    _same_as_full_rebuild(raw, out, tmp_path / "full2", parent_rows=False)   # 1 new of 1


class _TwoDaysLater(dt.date):
    """datetime.date whose today() is two days ahead; constructs plain dates."""

    def __new__(cls, *args):
        return dt.date(*args)

    @classmethod
    def today(cls):
        return dt.date.today() + dt.timedelta(days=2)


def test_a_date_in_the_future_when_cached(prefect_harness, tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, 6, seed=14)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    # an article whose only date is its sidecar's, tomorrow's
    undated = "\n".join(line for line in _text(95, 0).splitlines() if not re.search(r"\b(1[89]|20)\d\d\b", line))
    _write(raw / "embargoed.txt", undated, tomorrow.isoformat())
    _run(raw, out)
    assert _articles(out)["embargoed.txt"]["published_date"] is None   # after today: not trusted
    # ... and not cached: on a later day the same sidecar gives a date
    manifest = store.read_manifest(out, store.latest(out))
    assert manifest["stats"]["dates_after_today"] == 1
    # two days later (the clock of date parsing and of validation)
    import pipeline.describe.dates
    import schemas.articles

    later = types.ModuleType("datetime_later")
    later.__dict__.update(vars(dt))
    later.date = _TwoDaysLater
    monkeypatch.setattr(pipeline.describe.dates, "dt", later)
    monkeypatch.setattr(schemas.articles, "dt", later)
    generate(raw, 1, seed=14, start=50)
    _same_as_full_rebuild(raw, out, tmp_path / "full", parent_rows=True)


class _FrozenClock(dt.datetime):
    """datetime.datetime whose now() is always the same instant (two runs in one second)."""

    @classmethod
    def now(cls, tz=None):
        return dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc).astimezone(tz)


def test_a_forced_run_in_the_parents_second(prefect_harness, tmp_path, monkeypatch):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, 4, seed=15)
    clock = types.ModuleType("datetime_frozen")
    clock.__dict__.update(vars(dt))
    clock.datetime = _FrozenClock
    monkeypatch.setattr(flows, "dt", clock)
    first = _run(raw, out)
    # nothing changed: a forced run takes every row from the parent, in well under a second
    second = _run(raw, out, force=True)
    assert second.version != first.version
    assert store.read_manifest(out, second.version)["parent"] == first.version


@pytest.mark.skipif(not Path("/proc/self/mem").is_file(),
                    reason="needs Linux's /proc/self/mem (a file no one can read)")
def test_an_unreadable_sidecar_appears(prefect_harness, tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    generate(raw, 4, seed=16)
    _write(raw / "x.txt", _text(94, 0))
    _run(raw, out)
    # as root nothing is unreadable but this (for another user, a chmod 000 sidecar); an
    # unreadable sidecar has a digest of its own, so the input's key changes and it is processed
    (raw / "x.txt.meta.json").symlink_to("/proc/self/mem")
    _same_as_full_rebuild(raw, out, tmp_path / "full", parent_rows=True)
