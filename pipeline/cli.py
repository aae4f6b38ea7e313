"""Command line: `python -m pipeline run|refresh|serve|versions|report|repair` (also the `news-dataset` script)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# Exit codes (documented in the README).
OK, FAILED, USAGE, STORE = 0, 1, 2, 3

# Fallbacks for runs started outside the repo (pyproject's [tool.prefect] is read only from the
# current folder): no network here, and the temporary server needs more than 20 s on a cold start.
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE": "500",
    "PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE": "500",
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="news-dataset", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="build a new version of the dataset from a raw folder")
    refresh = sub.add_parser("refresh", help="fetch the registry's sources into the raw folder, then build")
    serve = sub.add_parser("serve", help="run `refresh` on a schedule as a Prefect deployment")
    for cmd in (run, refresh, serve):
        cmd.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw articles (default: raw)")
        cmd.add_argument("--out", type=Path, default=Path("processed"), help="versioned output folder (default: processed)")
        cmd.add_argument("--batch-size", type=int, default=200, help="sources per Prefect task (default: 200)")
        cmd.add_argument("--max-bytes", type=int, default=20_000_000, help="reject inputs larger than this (default: 20 MB)")
        cmd.add_argument("--lock-timeout", type=float, default=600.0, help="seconds to wait for another run's lock")
        cmd.add_argument("--timeout", type=float, default=30.0,
                         help="seconds one document may take (all stages); past it, it is rejected (default: 30)")
        cmd.add_argument("--workers", type=int, default=None,
                         help="processes that read, parse and extract in parallel (default: one per core; "
                              "0: in the main process, without the time limit, for debugging)")
        cmd.add_argument("--force", action="store_true", help="write a new version even if nothing changed")
        cmd.add_argument("--no-cache", action="store_true", help="reprocess every input (the cache is still refreshed)")
        cmd.add_argument("--runner", choices=("threads", "dask"), default="threads",
                         help="run batches in threads (default) or on Dask (a LocalCluster unless --dask-address)")
        cmd.add_argument("--dask-address", default=None, help="scheduler of an existing cluster, tcp://HOST:PORT")
        cmd.add_argument("--dask-workers", type=int, default=None, help="workers of the LocalCluster (default: cores)")
        cmd.add_argument("-v", "--verbose", action="store_true", help="show Prefect's own logs")
    run.add_argument("--no-progress", action="store_true", help="never draw the progress bar")
    for cmd in (refresh, serve):
        cmd.add_argument("--sources", type=Path, default=None,
                         help="sources registry (default: sources.toml when it exists; else raw/ only)")
    when = serve.add_mutually_exclusive_group(required=True)
    when.add_argument("--interval", type=float, help="seconds between runs")
    when.add_argument("--cron", help="cron expression, e.g. '0 * * * *' for hourly")
    versions = sub.add_parser("versions", help="list the versions in an output folder")
    versions.add_argument("--out", type=Path, default=Path("processed"))
    report = sub.add_parser("report", help="(re)write report.html and README.md (dataset card) of a version")
    report.add_argument("--out", type=Path, default=Path("processed"))
    report.add_argument("--version", default=None, help="version name (default: LATEST)")
    repair = sub.add_parser("repair", help="remove partial versions and point LATEST at the newest complete one")
    repair.add_argument("--out", type=Path, default=Path("processed"))
    repair.add_argument("--lock-timeout", type=float, default=60.0, help="seconds to wait for a running run's lock")
    bench = sub.add_parser("bench", help="benchmark: generate N articles, time every stage and the flow")
    bench.add_argument("--articles", type=int, default=5000, help="articles to generate (default: 5000)")
    bench.add_argument("--out", type=Path, default=Path("bench-out"), help="work folder (default: bench-out)")
    bench.add_argument("--json", type=Path, default=None, help="figures as JSON (default: OUT/bench.json)")
    bench.add_argument("--seed", type=int, default=0)
    bench.add_argument("--no-flow", action="store_true", help="time the stages only (no Prefect)")
    return parser


def _run(args, console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline import flows

    if not args.raw.is_dir():
        console.print(f"[red]error:[/red] raw folder {args.raw} does not exist or is not a folder")
        return USAGE
    config = flows.RunConfig(**_config_args(args))
    progress = Progress(TextColumn("processing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=True, disable=args.no_progress)
    task_id = progress.add_task("sources", total=None)
    flows.progress_hooks.on_total = lambda n: progress.update(task_id, total=n)
    flows.progress_hooks.on_progress = lambda n: progress.advance(task_id, n)
    with progress:
        summary = flows.run(config)
    _print_summary(summary, console)
    return OK


def _config_args(args) -> dict:
    return dict(raw=args.raw.resolve(), out=args.out.resolve(), batch_size=args.batch_size, max_bytes=args.max_bytes,
                lock_timeout_s=args.lock_timeout, timeout_s=args.timeout, workers=args.workers, force=args.force, use_cache=not args.no_cache,
                runner="dask" if args.dask_address else args.runner, dask_address=args.dask_address,
                dask_workers=args.dask_workers)


def _sources_file(args) -> Path | None:
    from pipeline import fetch

    sources = args.sources
    if sources is None and Path("sources.toml").is_file():
        sources = Path("sources.toml")
    if sources is not None:
        fetch.load_registry(sources)   # a broken registry is a usage error now, not a failed run later
    return sources.resolve() if sources else None


def _refresh_config(args, sources: Path | None):
    from pipeline import flows   # imports Prefect, which reads its settings (PREFECT_API_URL) once

    return flows.RefreshConfig(**_config_args(args), sources_file=sources)


def _refresh(args, console) -> int:
    from pipeline import flows

    summary = flows.refresh(_refresh_config(args, _sources_file(args)))
    fetched = summary.fetched
    console.print(f"fetched: {len(fetched.added)} new file(s), {fetched.skipped} already there, "
                  f"{sum(map(len, fetched.failed.values()))} failed")
    for name, failures in fetched.failed.items():
        console.print(f"  {name}: {failures[0]}" + (f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""))
    _print_summary(summary.build, console)
    return OK


def _serve(args, console) -> int:
    from pipeline.server import LocalServer, stop_children

    sources = _sources_file(args)
    args.raw.mkdir(parents=True, exist_ok=True)
    server = None
    try:
        if not os.environ.get("PREFECT_API_URL"):
            server = LocalServer()
            console.print(f"starting a local Prefect server on 127.0.0.1:{server.port} ...")
            server.start()
            os.environ["PREFECT_API_URL"] = server.api_url
            console.print(f"Prefect server ready (pid {server.proc.pid}); UI: {server.ui_url}")
        from pipeline import flows

        config = _refresh_config(args, sources)
        when = f"every {args.interval:g} s" if args.interval else f"cron {args.cron!r}"
        console.print(f"serving refresh of {config.raw} into {config.out} {when}; Ctrl-C to stop", highlight=False)
        # Prefect's runner answers SIGTERM with sys.exit(0) and Ctrl-C with KeyboardInterrupt
        flows.serve(config, interval=args.interval, cron=args.cron)
    except (KeyboardInterrupt, SystemExit):
        console.print("stopping")
    finally:
        stop_children()   # a flow run still going (it holds the store lock; the store stays consistent)
        if server is not None:
            server.stop()
        sys.stdout.flush()
        sys.stderr.flush()
    # the runner leaves non-daemon threads behind that would keep the process alive
    os._exit(OK)


def _print_summary(summary, console) -> None:
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    if summary.up_to_date:
        console.print(f"up to date: {summary.version} (nothing changed in the inputs or the code)")
    else:
        console.print(f"version written: {summary.version} in {summary.out}")
    console.print(f"rows: {rows}")
    reasons = ", ".join(f"{k} {v}" for k, v in summary.rejects_by_reason.items()) or "none"
    console.print(f"rejects by reason: {reasons}")
    if summary.reused:
        console.print(f"inputs: {summary.processed} processed, {summary.reused} reused from the cache")
    console.print(f"time taken: {summary.seconds:.1f} s")


def _versions(args, console) -> int:
    from rich.table import Table

    from pipeline import store

    current = store.latest(args.out)
    manifests = store.list_versions(args.out)
    if not manifests:
        console.print(f"no versions in {args.out}")
        return OK
    table = Table("version", "created", "parent", "articles", "quotes", "events", "rejects", "")
    for m in manifests:
        rows = m.get("rows", {})
        table.add_row(m["version"], m.get("created_at", "")[:19], m.get("parent") or "-",
                      *(str(rows.get(t, "")) for t in ("articles", "quotes", "events", "rejects")),
                      "LATEST" if m["version"] == current else "")
    console.print(table)
    return OK


def _report(args, console) -> int:
    from pipeline.card import write_card
    from pipeline.report import write_report

    path = write_report(args.out, args.version)
    card = write_card(args.out, args.version)
    console.print(f"report written: {path}")
    console.print(f"dataset card written: {card}")
    return OK


def _repair(args, console) -> int:
    from pipeline import store

    with store.locked(args.out, args.lock_timeout):
        result = store.repair_store(args.out)
    for name in result.removed:
        console.print(f"removed partial leftover {name}")
    for name in result.set_aside:
        console.print(f"set aside broken version as .broken-{name}")
    console.print(f"LATEST -> {result.latest}" if result.latest else f"no complete version in {args.out}; LATEST removed")
    return OK


def _bench(args, console) -> int:
    from pipeline.bench.run import main as bench_main

    argv = ["--articles", str(args.articles), "--out", str(args.out), "--seed", str(args.seed)]
    if args.json:
        argv += ["--json", str(args.json)]
    if args.no_flow:
        argv.append("--no-flow")
    return bench_main(argv)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for key, value in PREFECT_DEFAULTS.items():
        if key == "PREFECT_LOGGING_LEVEL" and getattr(args, "verbose", False):
            continue
        os.environ.setdefault(key, value)
    from rich.console import Console

    from pipeline.fetch import RegistryError
    from pipeline.store import StoreError

    console = Console(stderr=False)
    try:
        commands = {"run": _run, "refresh": _refresh, "serve": _serve, "versions": _versions, "report": _report,
                    "repair": _repair, "bench": _bench}
        return commands[args.command](args, console)
    except RegistryError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return USAGE
    except StoreError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return STORE
    except KeyboardInterrupt:
        console.print("interrupted; the store is unchanged")
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
