"""End to end through the Prefect flow: the seeds table, versions, up-to-date reruns, samples."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from pipeline import store
from schemas import MODELS, arrow_schema

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.flow

# The table: title, published, updated, outlet, authors per seed.
SEEDS = {
    "000": ("China and US gang up on N Korea", dt.date(2011, 4, 12), None, None, []),
    "001": ("China ‘exasperated’ by ally North Korea, WikiLeaks reports", dt.date(2010, 11, 30),
            dt.date(2010, 12, 1), "France 24", ["News Wires"]),
    "002": ("China Ties to North Korean Ally Decline", dt.date(2014, 10, 22), None, "Washington Free Beacon", []),
    "004": ("US intensifies pressure on China over North Korea", dt.date(2013, 3, 21), None,
            "World Socialist Web Site", ["Peter Symonds"]),
}


def _run(raw: Path, out: Path, **kw):
    from pipeline.flows import RunConfig, build_dataset

    return build_dataset(RunConfig(raw=raw, out=out, **kw))


def _articles(out: Path, version: str | None = None) -> dict[str, dict]:
    table = store.load_table(out, "articles", version or "latest")
    return {row["source_path"]: row for row in table.to_pylist()}


@pytest.fixture(scope="module")
def seeds_run(prefect_harness, seeds_dir, tmp_path_factory):
    raw = tmp_path_factory.mktemp("raw")
    out = tmp_path_factory.mktemp("out")
    for path in sorted(seeds_dir.iterdir()):
        shutil.copy(path, raw / path.name)
    summary = _run(raw, out)
    return raw, out, summary


def test_seed_table_holds_exactly(seeds_run):
    _, out, summary = seeds_run
    assert not summary.up_to_date and summary.rows["articles"] == 4
    rows = {path[:3]: row for path, row in _articles(out).items()}
    for seed, (title, published, updated, outlet, authors) in SEEDS.items():
        row = rows[seed]
        assert row["title"] == title, seed
        assert row["published_date"] == published, seed
        assert row["updated_date"] == updated, seed
        assert row["outlet"] == outlet, seed
        assert row["authors"] == authors, seed
        assert row["language"] == "en" and row["source_format"] in ("txt", "md")
        assert row["word_count"] == len(row["body"].split()) and row["duplicate_of"] is None
    assert rows["002"]["subtitle"] == "Report says Beijing views U.S. as main regional threat"
    assert {"China", "North Korea", "United States"} <= set(rows["000"]["tags"])
    assert {"China", "North Korea"} <= set(rows["002"]["tags"])


def test_seed_bodies_lose_boilerplate_and_keep_the_article(seeds_run):
    _, out, _ = seeds_run
    rows = {path[:3]: row["body"] for path, row in _articles(out).items()}
    assert "bloggers like this" not in rows["000"] and "Home >" not in rows["000"]
    assert rows["000"].startswith("THE strategic rivals")
    assert "Read more" not in rows["001"] and "Latest update" not in rows["001"] and "Text by" not in rows["001"]
    assert rows["001"].startswith("China may be rethinking")
    assert "Published under" not in rows["002"] and "/ AP" not in rows["002"]
    assert "To contact" not in rows["004"] and "**" not in rows["004"] and "#" not in rows["004"]
    assert "senior South Korean officials in Seoul on Monday." in rows["004"]
    for body in rows.values():
        assert "\n\n\n" not in body and body == body.strip()


def test_version_files_and_manifest(seeds_run):
    raw, out, summary = seeds_run
    version_dir = out / summary.version
    assert (out / "LATEST").read_text().strip() == summary.version
    for name, model in MODELS.items():
        schema = pq.read_schema(version_dir / f"{name}.parquet")
        assert schema.names == arrow_schema(model).names
        assert schema.field(0).metadata[b"description"]
        meta = pq.ParquetFile(version_dir / f"{name}.parquet").metadata
        if name != "rejects":  # the seeds give no rejects; the other three tables hold rows
            assert meta.num_row_groups >= 1
            assert {meta.row_group(0).column(i).compression for i in range(meta.num_columns)} == {"ZSTD"}
    manifest = json.loads((version_dir / "manifest.json").read_text())
    assert manifest["version"] == summary.version and manifest["parent"] is None
    assert manifest["rows"]["articles"] == 4 and manifest["rows"]["rejects"] == 0
    assert manifest["rows"]["quotes"] > 20 and manifest["rows"]["events"] > 20
    assert (version_dir / "README.md").is_file() and (version_dir / "report.html").is_file()
    assert sorted(i["path"] for i in manifest["inputs"]) == sorted(p.name for p in raw.iterdir())
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["lexicons"] and manifest["code_sha256"] and manifest["pipeline_version"]


def test_stored_offsets_hold(seeds_run):
    _, out, _ = seeds_run
    bodies = {row["article_id"]: row["body"] for row in _articles(out).values()}
    quotes = store.load_table(out, "quotes").to_pylist()
    events = store.load_table(out, "events").to_pylist()
    for q in quotes:
        assert bodies[q["article_id"]][q["start_char"]:q["end_char"]] == q["quote_text"]
    for e in events:
        assert bodies[e["article_id"]][e["start_char"]:e["end_char"]] == e["sentence"]
    speakers = {q["speaker"] for q in quotes}
    assert {"Michele Flournoy", "John Tkacik", "Hong Lei"} <= speakers
    quote_ids = {q["quote_id"] for q in quotes}
    assert any(e["quote_id"] in quote_ids for e in events)


def test_rerun_is_up_to_date_and_new_file_makes_new_version(seeds_run):
    raw, out, first = seeds_run
    again = _run(raw, out)
    assert again.up_to_date and again.version == first.version
    assert len(store.list_versions(out)) == 1
    (raw / "extra.md").write_text(
        "# Harbour board meets\n\nThe harbour board of the fictional town met on Tuesday to discuss berth fees "
        "and the dredging of the outer channel, officials said after the meeting ended late.\n\n"
        "Members agreed to publish the full budget next month, the chair said.\n",
        encoding="utf-8",
    )
    third = _run(raw, out)
    assert not third.up_to_date and third.version != first.version
    manifest = store.read_manifest(out, third.version)
    assert manifest["parent"] == first.version and manifest["rows"]["articles"] == 5
    assert "extra.md" in _articles(out)
    assert len(_articles(out, first.version)) == 4  # the old version is untouched


def test_samples_every_input_lands_somewhere(prefect_harness, tmp_path):
    summary = _run(REPO / "raw", tmp_path)
    articles = _articles(tmp_path)
    rejects = store.load_table(tmp_path, "rejects").to_pylist()
    inputs = store.read_manifest(tmp_path, summary.version)["inputs"]
    assert len(inputs) == len(articles) + len(rejects) >= 9
    original = articles["samples/01_port_berth_fees.txt"]
    assert articles["samples/07_port_berth_fees_dup.html"]["duplicate_of"] == original["article_id"]
    assert original["duplicate_of"] is None
    assert articles["samples/03_mackerel_talks_cp1252.txt"]["outlet"] == "Northern Ledger"
    wrapped = articles["samples/09_offshore_wind_auction.txt"]  # hard-wrapped at 72 columns
    assert wrapped["word_count"] > 400 and wrapped["body"].startswith("Seven consortia have bid")
    assert "\n" not in wrapped["body"].split("\n\n")[0]
    assert articles["samples/06_westmarch_debate.html"]["outlet"] == "The Capital Observer"


def test_cli_run_and_versions(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a.txt").write_text(
        "Council votes on budget\n\nThe town council approved its budget on Monday after a long debate about "
        "libraries, parking charges and the repair of the old harbour wall, officials said.\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    cmd = [sys.executable, "-m", "pipeline", "run", "--raw", str(raw), "--out", str(tmp_path / "out")]
    first = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=REPO)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "version written" in first.stdout and "articles 1" in first.stdout and "time taken" in first.stdout
    second = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, cwd=REPO)
    assert second.returncode == 0 and "up to date" in second.stdout
    listing = subprocess.run([sys.executable, "-m", "pipeline", "versions", "--out", str(tmp_path / "out")],
                             capture_output=True, text=True, timeout=60, cwd=REPO)
    assert listing.returncode == 0 and "LATEST" in listing.stdout
    missing = subprocess.run([sys.executable, "-m", "pipeline", "run", "--raw", str(tmp_path / "nope")],
                             capture_output=True, text=True, timeout=60, cwd=REPO)
    assert missing.returncode == 2 and "does not exist" in missing.stdout
