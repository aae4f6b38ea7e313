"""Shared fixtures: the read-only ../shared folder (seeds, gold corpora) when it is present."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SKIP_REASON = (
    "../shared (seeds and gold corpora) is not beside this clone; it is third-party text kept "
    "out of the repo. CI always has it."
)


def shared_path(*parts: str) -> Path:
    """Path inside ../shared, skipping the calling test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(SKIP_REASON)
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture(scope="session")
def zyte_dir() -> Path:
    return shared_path("corpora", "zyte-articles")


@pytest.fixture(scope="session")
def prefect_harness():
    """One temporary Prefect server for every flow test of the session (~15 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
