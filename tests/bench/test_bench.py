"""Smoke test of the benchmark (N=50): it runs end to end and reports every figure. No timings are asserted."""

from __future__ import annotations

import pytest

from pipeline.bench import generate as gen
from pipeline.bench.run import render, run
from pipeline.bench.stages import STAGES

pytestmark = pytest.mark.smoke


def test_generator_is_deterministic_and_realistic(tmp_path):
    assert gen.article(7, 3) == gen.article(7, 3)
    assert gen.article(7, 3) != gen.article(8, 3)
    counts = gen.generate(tmp_path, 40, seed=1)
    assert sum(counts.values()) == 40 and set(counts) == {"txt_wire", "txt_wordpress", "md", "html"}
    for path in tmp_path.rglob("*.*"):
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".html":
            words = len(text.split())
            assert gen.MIN_WORDS <= words <= gen.MAX_WORDS + 600, (path.name, words)   # + boilerplate
    wire = next(tmp_path.rglob("*_txt_wire.txt")).read_text(encoding="utf-8")
    assert "Don't miss" in wire and "Read more" in wire and "Latest update :" in wire and "\u201c" in wire


def test_adding_files_keeps_the_first_ones(tmp_path):
    gen.generate(tmp_path, 10, seed=2)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*.*")}
    gen.generate(tmp_path, 1, seed=2, start=10)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*.*")}
    assert len(after) == 11 and all(after[p] == data for p, data in before.items())


def test_stage_timings_without_the_flow(tmp_path):
    result = run(50, tmp_path, seed=0, flow=False)
    stages = result["stages"]
    assert stages["sources"] == 50 and stages["articles"] + stages["rejects"] == 50
    assert stages["articles"] >= 45, "the generated articles should almost all become articles"
    assert stages["quotes"] > 0 and stages["events"] > 0
    assert set(stages["seconds_by_stage"]) == set(STAGES)
    assert result["bare_trafilatura_s"] > 0 and result["html_ratio_1core"] > 0
    table = render(result)
    assert "HTML stages / bare, 1 core" in table and "stage quotes" in table


@pytest.mark.flow
def test_full_benchmark_runs_the_flow(tmp_path):
    """The flow runs in a child process with its own temporary Prefect server (so no harness here)."""
    result = run(50, tmp_path, seed=0, flow=True)
    runs = result["flow"]["runs"]
    assert runs["cold"]["rows"]["articles"] >= 45
    assert runs["unchanged"]["up_to_date"] is True
    assert runs["plus_1pct"]["rows"]["articles"] == runs["cold"]["rows"]["articles"] + 1
    assert 0 < result["prefect_overhead_share"] < 1 and result["output_bytes"] > 0
    paths = result["flow"]["paths"]
    assert paths["text"]["documents"] + paths["html"]["documents"] == 51   # 50, then 1 more
    assert paths["text"]["rows"]["articles"] + paths["html"]["rows"]["articles"] == runs["plus_1pct"]["rows"]["articles"]
    assert result["text_path_articles_s"] > 0 and result["html_ratio"] > 0
    table = render(result)
    assert "unchanged re-run" in table and "text+md path, end to end" in table and "HTML path / bare" in table
