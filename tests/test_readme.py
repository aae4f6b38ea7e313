"""The README documents every column of every table and the two commands a user runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from schemas import MODELS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands():
    head = README[:600]
    assert "make pipeline" in head and "make test" in head


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_column_is_documented(name):
    section = README.split(f"### `{name}`", 1)[1].split("###", 1)[0]
    for column, spec in MODELS[name].to_schema().columns.items():
        assert f"| `{column}` |" in section, f"{name}.{column} missing from README"
        assert spec.description in section, f"{name}.{column}: README description is stale"
