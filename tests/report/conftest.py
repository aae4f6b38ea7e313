"""A small versioned store with two versions: a parent with empty quotes and events, and a filled child."""

from __future__ import annotations

import pytest

from pipeline import store
from report_data import article, filled_tables, manifest_of, reject, tables_of


@pytest.fixture
def two_version_store(tmp_path):
    """processed/ with a parent (articles 1, 2, 5; empty quotes and events) and a filled child."""
    out = tmp_path / "processed"
    parent_tables = tables_of([article(1), article(2), article(5)], rejects=[reject("empty.txt", "empty")])
    store.write_version(out, "20240101T000000Z-aaaaaaaa", parent_tables,
                        manifest_of("20240101T000000Z-aaaaaaaa", parent_tables))
    child = filled_tables()
    store.write_version(out, "20240501T100000Z-bbbbbbbb", child,
                        manifest_of("20240501T100000Z-bbbbbbbb", child, parent="20240101T000000Z-aaaaaaaa"))
    return out
