"""`python -m pipeline.bench`: generate a corpus, time the stages and the flow, print one table."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from pipeline.bench.generate import generate

# Targets of the performance issue, checked in the table (2 cores).
TEXT_PATH_MIN_ARTICLES_S = 300
HTML_MAX_RATIO = 1.25
UNCHANGED_MAX_S = 3.0          # plus Prefect's fixed start-up
PLUS_1PCT_MAX_SHARE = 0.05     # of the cold run
PEAK_RSS_MAX_MIB = 2048        # at 10,000 articles
PREFECT_MAX_SHARE = 0.10       # of a 5,000-article run


def machine() -> dict:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpu": model, "cores": len(os.sched_getaffinity(0)), "memory_gib": round(mem_gib, 1),
            "python": platform.python_version(), "os": platform.platform(terse=True)}


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def run(n: int, out: Path, seed: int = 0, flow: bool = True) -> dict:
    """The whole benchmark; returns the figures (also written to out/bench.json by main)."""
    from pipeline.bench.stages import time_bare_trafilatura, time_stages

    raw, processed = out / "raw", out / "processed"
    for folder in (raw, processed):
        shutil.rmtree(folder, ignore_errors=True)
    t = time.perf_counter()
    counts = generate(raw, n, seed)
    result: dict = {"articles": n, "seed": seed, "formats": counts, "machine": machine(),
                    "generate_s": round(time.perf_counter() - t, 2), "taken_at": time.strftime("%Y-%m-%d")}
    result["raw_bytes"] = _du(raw)

    stages = time_stages(raw)
    html_texts = stages.pop("html_texts")
    bare = time_bare_trafilatura(html_texts)
    result["stages"] = stages
    by_path = stages["seconds_by_path"]
    docs = stages["docs_by_path"]
    whole_run = sum(stages["seconds_by_stage"][s] for s in ("dedupe", "validate", "write"))
    total_docs = max(sum(docs.values()), 1)
    text_s = sum(by_path["text"].values()) + whole_run * docs.get("text", 0) / total_docs
    result["text_path_articles_s_1core"] = docs.get("text", 0) / text_s if text_s else None
    html_extract = sum(by_path["html"].get(s, 0.0) for s in ("read", "parse", "clean", "describe"))
    result["bare_trafilatura_s"] = bare
    # 1 core, stage functions called directly: where the HTML path's time goes
    result["html_ratio_1core"] = html_extract / bare if bare else None
    result["html_ratio_1core_with_quotes_events"] = sum(by_path["html"].values()) / bare if bare else None
    result["html_parse_only_ratio"] = by_path["html"].get("parse", 0.0) / bare if bare else None
    result["stage_max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    if flow:
        flow_json = out / "flow.json"
        cmd = [sys.executable, "-m", "pipeline.bench.flowrun", "--raw", str(raw), "--out", str(processed),
               "--json", str(flow_json), "--seed", str(seed), "--articles", str(n)]
        subprocess.run(cmd, check=True)
        f = json.loads(flow_json.read_text())
        result["flow"] = f
        cold = f["runs"]["cold"]
        result["articles_s_end_to_end"] = n / cold["wall_s"]
        # the flow body's own clock misses what Prefect does around it; an empty flow run measures
        # that fixed cost directly, so the larger of the two is charged to Prefect
        result["prefect_overhead_s"] = max(cold["wall_s"] - cold["flow_body_s"], f["empty_flow_s"])
        result["prefect_overhead_share"] = result["prefect_overhead_s"] / cold["wall_s"]
        result["output_bytes"] = _du(processed)
        # the targets: each path alone, end to end (a cold flow run: read .. write, all cores)
        paths = f["paths"]
        text = paths["text"]
        result["text_path_articles_s"] = text["documents"] / text["wall_s"] if text["documents"] else None
        html = paths["html"]
        result["html_ratio"] = html["wall_s"] / bare if bare and html["documents"] else None
    return result


def _fmt_rows(r: dict) -> list[tuple[str, str, str]]:
    """(figure, value, target check) rows of the printed table."""
    ok = lambda cond: "ok" if cond else "MISSED"  # noqa: E731
    rows = [("corpus", f"{r['articles']} articles {r['formats']}, {r['raw_bytes'] / 2**20:.1f} MiB", "")]
    st = r["stages"]
    n_art = max(st["articles"], 1)
    for stage, sec in st["seconds_by_stage"].items():
        rows.append((f"stage {stage} (1 core)", f"{sec:7.2f} s  {1000 * sec / n_art:6.2f} ms/article", ""))
    tp = r["text_path_articles_s_1core"]
    rows.append(("text+md stages, 1 core", f"{tp:.0f} articles/s (stage functions, no flow)", ""))
    rows.append(("bare trafilatura loop", f"{r['bare_trafilatura_s']:.2f} s for {st['docs_by_path'].get('html', 0)} pages", ""))
    rows.append(("HTML stages / bare, 1 core", f"{r['html_ratio_1core']:.2f}x read..describe; parse only "
                 f"{r['html_parse_only_ratio']:.2f}x; with quotes+events {r['html_ratio_1core_with_quotes_events']:.2f}x", ""))
    if "flow" in r:
        f, runs = r["flow"], r["flow"]["runs"]
        text, html = f["paths"]["text"], f["paths"]["html"]
        if r.get("text_path_articles_s"):
            rows.append(("text+md path, end to end", f"{r['text_path_articles_s']:.0f} articles/s "
                         f"({text['documents']} in {text['wall_s']:.1f} s, cold flow run)",
                         ok(r["text_path_articles_s"] >= TEXT_PATH_MIN_ARTICLES_S) + f" (>= {TEXT_PATH_MIN_ARTICLES_S}/s)"))
        if r.get("html_ratio"):
            rows.append(("HTML path / bare trafilatura", f"{r['html_ratio']:.2f}x ({html['documents']} pages: flow "
                         f"{html['wall_s']:.1f} s, read..write, vs {r['bare_trafilatura_s']:.1f} s)",
                         ok(r["html_ratio"] <= HTML_MAX_RATIO) + f" (<= {HTML_MAX_RATIO}x)"))
        cold = runs["cold"]["wall_s"]
        rows.append(("end to end, cold flow run", f"{r['articles_s_end_to_end']:.0f} articles/s ({cold:.1f} s)", ""))
        fixed = f["empty_flow_s"]
        un = runs["unchanged"]["wall_s"]
        rows.append(("unchanged re-run", f"{un:.2f} s (fixed flow cost {fixed:.2f} s)",
                     ok(un <= UNCHANGED_MAX_S + fixed) + f" (<= {UNCHANGED_MAX_S} s + fixed)"))
        plus = runs["plus_1pct"]["wall_s"]
        how = runs["plus_1pct"].get("incremental", {})
        how = " (parent's rows reused)" if how.get("parent_rows") else " (rebuilt from the cache)" if how else ""
        rows.append(("+1 % new files", f"{plus:.2f} s = {100 * plus / cold:.1f} % of cold{how}",
                     ok(plus <= PLUS_1PCT_MAX_SHARE * cold) + f" (<= {100 * PLUS_1PCT_MAX_SHARE:.0f} %)"))
        rows.append(("Prefect server start-up", f"{f['prefect_server_start_s']:.1f} s (once per process)", ""))
        rows.append(("Prefect fixed cost", f"empty flow {f['empty_flow_s']:.2f} s; 1-task flow "
                     f"{f['one_task_flow_s']:.2f} s (start->task {f['flow_start_to_first_task_s']:.2f} s, "
                     f"task->exit {f['last_task_to_exit_s']:.2f} s)", ""))
        rows.append(("Prefect overhead of cold run", f"{r['prefect_overhead_s']:.2f} s = "
                     f"{100 * r['prefect_overhead_share']:.1f} %",
                     ok(r["prefect_overhead_share"] <= PREFECT_MAX_SHARE) + f" (<= {100 * PREFECT_MAX_SHARE:.0f} %)"))
        rss = f["max_rss_mib"]
        peak = max(rss["self"], rss["children"])
        rows.append(("peak RSS, flow", f"{rss['self']:.0f} MiB flow process, {rss['children']:.0f} MiB largest child",
                     ok(peak <= PEAK_RSS_MAX_MIB) + f" (<= {PEAK_RSS_MAX_MIB} MiB at 10k)"))
        rows.append(("output on disk", f"{r['output_bytes'] / 2**20:.1f} MiB", ""))
    rows.append(("peak RSS, stage timing", f"{r['stage_max_rss_mib']:.0f} MiB (all articles held in memory)", ""))
    m = r["machine"]
    rows.append(("machine", f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, Python {m['python']}", ""))
    return rows


def render(r: dict) -> str:
    rows = _fmt_rows(r)
    w0, w1 = max(len(a) for a, _, _ in rows), max(len(b) for _, b, _ in rows)
    return "\n".join(f"{a:<{w0}}  {b:<{w1}}  {c}".rstrip() for a, b, c in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.bench", description=__doc__)
    parser.add_argument("--articles", type=int, default=5000, help="articles to generate (default: 5000)")
    parser.add_argument("--out", type=Path, default=Path("bench-out"), help="work folder (default: bench-out)")
    parser.add_argument("--json", type=Path, default=None, help="figures as JSON (default: OUT/bench.json)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-flow", action="store_true", help="time the stages only (no Prefect)")
    args = parser.parse_args(argv)
    if args.articles < 1:
        parser.error("--articles must be at least 1")
    args.out.mkdir(parents=True, exist_ok=True)
    result = run(args.articles, args.out, args.seed, flow=not args.no_flow)
    path = args.json or args.out / "bench.json"
    path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    print(render(result))
    print(f"figures written to {path}")
    return 0
