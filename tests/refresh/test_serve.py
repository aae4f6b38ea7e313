"""`python -m pipeline serve`: a scheduled deployment on a local Prefect server picks up new raw files."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import store

REPO = Path(__file__).resolve().parents[2]

ARTICLE = ("# {title}\n\nThe harbour board of the fictional town met on {day} to discuss berth fees and the "
           "dredging of the outer channel, officials said after the meeting ended late.\n\n"
           "Members agreed to publish the full budget next month, the chair said.\n")


def _wait_for(predicate, timeout_s: float, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        assert proc.poll() is None, f"serve exited early while waiting for {what}"
        time.sleep(1)
    raise AssertionError(f"timed out waiting for {what}")


def _killpg(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_gone(pgid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.3)
    return False


def test_served_deployment_picks_up_a_new_file(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    (raw / "a.md").write_text(ARTICLE.format(title="Harbour board meets", day="Tuesday"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect-home"),
               # schedule and poll often enough for a test; the defaults suit hourly schedules
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2", PREFECT_RUNNER_POLL_FREQUENCY="2")
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--interval", "5", "--raw", str(raw),
                             "--out", str(out)],
                            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server_pgid = None
    try:
        def server_started() -> bool:
            nonlocal server_pgid
            log.seek(0)
            found = re.search(r"Prefect server ready \(pid (\d+)\)", log.read())
            server_pgid = int(found.group(1)) if found else None
            return server_pgid is not None

        _wait_for(server_started, 150, proc, "the Prefect server")
        _wait_for(lambda: len(store.list_versions(out)) >= 1, 150, proc, "the first version")
        (raw / "b.md").write_text(ARTICLE.format(title="Harbour board meets again", day="Friday"), encoding="utf-8")
        _wait_for(lambda: len(store.list_versions(out)) >= 2, 120, proc, "a version with the new file")
        versions = store.list_versions(out)
        assert versions[-1]["rows"]["articles"] == 2 and versions[-1]["parent"] == versions[0]["version"]
        time.sleep(12)   # two more scheduled runs find nothing new: no version
        assert len(store.list_versions(out)) == 2

        proc.send_signal(signal.SIGTERM)   # a clean stop: the served deployment, then the server
        proc.wait(60)
        assert proc.returncode == 0
        assert _group_gone(server_pgid, 30), "the Prefect server outlived serve"
    finally:
        log.seek(0)
        output = log.read()
        for pgid in (proc.pid, server_pgid):
            if pgid:
                _killpg(pgid, signal.SIGKILL)
        proc.wait(10)
        log.close()
        assert _group_gone(proc.pid, 10), output[-3000:]
