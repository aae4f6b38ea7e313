"""Imported by the worker pool's fork server only: run every stage once before any worker forks.

The first call of many stages pays one-off costs: dateparser loads its language data, regular
expressions compiled on first use, lazily built tables. Paid in the fork server, they are shared
by every worker forked from it (and by the workers that replace killed or recycled ones) instead
of being paid again by each: on the benchmark corpus a fresh worker's first 50 HTML pages took
about 2 s longer than the next 50 before this existed.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from pipeline.bench.generate import generate
from pipeline.process import process_source
from pipeline.sources import discover

# Articles of the generated benchmark corpus to run: enough to meet each format (HTML, wire
# text, WordPress text, Markdown) and relative dates; seed and count are arbitrary but fixed.
_ARTICLES = 8


def warm_up() -> None:
    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="news-dataset-warmup-") as folder:
        generate(Path(folder), _ARTICLES, seed=0)
        sources, _, _ = discover(Path(folder), 20_000_000)
        for source in sources:
            process_source((source, 20_000_000))


try:
    warm_up()
except Exception as exc:  # a warm-up failure must never stop the pool: workers just start cold
    logging.getLogger("pipeline").debug("worker warm-up failed: %s", exc)
