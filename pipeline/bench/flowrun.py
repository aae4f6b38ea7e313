"""Child process of the benchmark: Prefect's fixed cost, then the flow cold, unchanged and +1 %."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from pathlib import Path


def _max_rss_mib() -> dict[str, float]:
    # ru_maxrss is KiB on Linux; for children it is the largest single descendant (the Prefect
    # server or an HTML worker), not a sum
    return {"self": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def _link_subset(raw: Path, subset: Path, suffixes: set[str]) -> int:
    """Hard-link (copy where links fail) the inputs of some formats into a fresh folder; their count."""
    shutil.rmtree(subset, ignore_errors=True)
    n = 0
    for path in sorted(raw.rglob("*")):
        if path.is_file() and path.suffix.lower() in suffixes:
            target = subset / path.relative_to(raw)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(path, target)
            except OSError:
                shutil.copyfile(path, target)
            n += 1
    return n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--json", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--articles", type=int, required=True)
    args = parser.parse_args(argv)

    from pipeline.cli import PREFECT_DEFAULTS

    for key, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(key, value)
    from prefect import flow, task

    marks: dict[str, float] = {}

    @task
    def trivial() -> None:
        marks["task_start"] = time.perf_counter()
        marks["task_end"] = time.perf_counter()

    @flow
    def empty() -> None:
        return None

    @flow
    def one_task() -> None:
        trivial()

    # flows.run turns Prefect's heartbeat off; the fixed cost is measured the same way
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return _measure(args, empty, one_task, marks)


def _measure(args, empty, one_task, marks) -> int:
    from pipeline import flows
    from pipeline.bench.generate import generate

    result: dict = {}
    t = time.perf_counter()
    empty()
    result["prefect_server_start_s"] = time.perf_counter() - t   # first flow of a process starts the server
    t = time.perf_counter()
    empty()
    result["empty_flow_s"] = time.perf_counter() - t
    t = time.perf_counter()
    one_task()
    end = time.perf_counter()
    result["one_task_flow_s"] = end - t
    result["flow_start_to_first_task_s"] = marks["task_start"] - t
    result["last_task_to_exit_s"] = end - marks["task_end"]

    runs = {}
    config = flows.RunConfig(raw=args.raw, out=args.out)
    for name in ("cold", "unchanged", "plus_1pct"):
        if name == "plus_1pct":
            generate(args.raw, max(1, args.articles // 100), args.seed, start=args.articles)
        t = time.perf_counter()
        summary = flows.run(config)
        wall = time.perf_counter() - t
        runs[name] = {"wall_s": wall, "flow_body_s": summary.seconds, "up_to_date": summary.up_to_date,
                      "rows": summary.rows, "version": summary.version}
        if not summary.up_to_date:
            from pipeline import store

            runs[name]["incremental"] = store.read_manifest(args.out, summary.version)["incremental"]
    result["runs"] = runs
    # The text and HTML paths end to end: a cold run (no cache) over each half of the corpus
    # alone, in the same process, with every core the pool gets.
    result["paths"] = {}
    for path, formats in (("text", {".txt", ".text", ".md", ".markdown"}), ("html", {".html", ".htm"})):
        subset = args.out.parent / f"raw-{path}"
        n = _link_subset(args.raw, subset, formats)
        t = time.perf_counter()
        summary = flows.run(flows.RunConfig(raw=subset, out=args.out.parent / f"processed-{path}",
                                                      use_cache=False))
        result["paths"][path] = {"documents": n, "wall_s": time.perf_counter() - t, "rows": summary.rows}
    result["max_rss_mib"] = _max_rss_mib()
    args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
