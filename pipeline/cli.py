"""Command line: `python -m pipeline run|versions|report|repair` (also the `news-dataset` console script)."""

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
    run.add_argument("--raw", type=Path, default=Path("raw"), help="folder of raw articles (default: raw)")
    run.add_argument("--out", type=Path, default=Path("processed"), help="versioned output folder (default: processed)")
    run.add_argument("--batch-size", type=int, default=200, help="sources per Prefect task (default: 200)")
    run.add_argument("--max-bytes", type=int, default=20_000_000, help="reject inputs larger than this (default: 20 MB)")
    run.add_argument("--lock-timeout", type=float, default=600.0, help="seconds to wait for another run's lock")
    run.add_argument("--force", action="store_true", help="write a new version even if nothing changed")
    run.add_argument("--no-progress", action="store_true", help="never draw the progress bar")
    run.add_argument("-v", "--verbose", action="store_true", help="show Prefect's own logs")
    versions = sub.add_parser("versions", help="list the versions in an output folder")
    versions.add_argument("--out", type=Path, default=Path("processed"))
    report = sub.add_parser("report", help="(re)write report.html and README.md (dataset card) of a version")
    report.add_argument("--out", type=Path, default=Path("processed"))
    report.add_argument("--version", default=None, help="version name (default: LATEST)")
    repair = sub.add_parser("repair", help="remove partial versions and point LATEST at the newest complete one")
    repair.add_argument("--out", type=Path, default=Path("processed"))
    return parser


def _run(args, console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline import flows

    if not args.raw.is_dir():
        console.print(f"[red]error:[/red] raw folder {args.raw} does not exist or is not a folder")
        return USAGE
    config = flows.RunConfig(raw=args.raw, out=args.out, batch_size=args.batch_size, max_bytes=args.max_bytes,
                             lock_timeout_s=args.lock_timeout, force=args.force)
    progress = Progress(TextColumn("processing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console, transient=True, disable=args.no_progress)
    task_id = progress.add_task("sources", total=None)
    flows.progress_hooks.on_total = lambda n: progress.update(task_id, total=n)
    flows.progress_hooks.on_progress = lambda n: progress.advance(task_id, n)
    with progress:
        summary = flows.build_dataset(config)
    rows = ", ".join(f"{name} {count}" for name, count in summary.rows.items())
    if summary.up_to_date:
        console.print(f"up to date: {summary.version} (nothing changed in the inputs or the code)")
    else:
        console.print(f"version written: {summary.version} in {summary.out}")
    console.print(f"rows: {rows}")
    reasons = ", ".join(f"{k} {v}" for k, v in summary.rejects_by_reason.items()) or "none"
    console.print(f"rejects by reason: {reasons}")
    console.print(f"time taken: {summary.seconds:.1f} s")
    return OK


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

    with store.locked(args.out, 60):
        version = store.repair(args.out)
    console.print(f"LATEST -> {version}" if version else f"no complete version in {args.out}; LATEST removed")
    return OK


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    for key, value in PREFECT_DEFAULTS.items():
        if key == "PREFECT_LOGGING_LEVEL" and getattr(args, "verbose", False):
            continue
        os.environ.setdefault(key, value)
    from rich.console import Console

    from pipeline.store import StoreError

    console = Console(stderr=False)
    try:
        return {"run": _run, "versions": _versions, "report": _report, "repair": _repair}[args.command](args, console)
    except StoreError as exc:
        console.print(f"[red]error:[/red] {exc}")
        return STORE
    except KeyboardInterrupt:
        console.print("interrupted; the store is unchanged")
        return FAILED


if __name__ == "__main__":
    sys.exit(main())
