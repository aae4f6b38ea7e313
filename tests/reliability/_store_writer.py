"""Test helper run as a subprocess: write one store version the way the flow does, optionally
killed with SIGKILL (or slowed down) at a chosen step. Not a test module.

usage: python _store_writer.py OUT VERSION MODE [LOCK_TIMEOUT_S]
MODE: ok | kill-after-parquet:N | kill-before-rename | kill-after-rename | kill-before-latest | slow:SECONDS
Exit codes: 0 written, 3 StoreError (printed on stdout), -9 killed.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline import store


def _die() -> None:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)


def _inject(mode: str) -> None:
    real_write = pq.write_table
    written = 0
    if mode.startswith(("kill-after-parquet:", "slow:")):
        kind, arg = mode.split(":")

        def write_table(*args, **kwargs):
            nonlocal written
            real_write(*args, **kwargs)
            written += 1
            if kind == "kill-after-parquet" and written == int(arg):
                _die()
            if kind == "slow":
                time.sleep(float(arg))

        store.pq.write_table = write_table
    elif mode == "kill-before-rename":
        store.os.rename = lambda *a, **k: _die()
    elif mode == "kill-after-rename":
        store.set_latest = lambda *a, **k: _die()
    elif mode == "kill-before-latest":
        # LATEST's temp file is written and synced; the rename over LATEST never happens
        store.os.replace = lambda *a, **k: _die()
    elif mode != "ok":
        raise SystemExit(f"unknown mode {mode}")


def main() -> int:
    out, version, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
    _inject(mode)
    tables = {name: pa.table({"x": list(range(3))}) for name in store.TABLES}
    try:
        with store.locked(out, timeout):  # the same steps, in the same order, as flows.build_dataset
            print("locked", flush=True)
            removed = store.cleanup_partial(out)
            parent = store.latest(out)
            store.write_version(out, version, tables, {"version": version, "parent": parent})
    except store.StoreError as exc:
        print(f"error: {exc}", flush=True)
        return 3
    print(json.dumps({"version": version, "parent": parent, "removed": removed}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
