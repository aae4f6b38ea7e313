"""The dataset card documents every column from the models and its loading snippets run as written."""

from __future__ import annotations

import re

import pytest

from report_data import filled_tables, manifest_of, tables_of
from pipeline import store
from pipeline.card import inputs_digest, render_card, write_card
from schemas import MODELS, arrow_schema


@pytest.fixture(scope="module")
def card() -> str:
    tables = filled_tables()
    return render_card(manifest_of("20240501T100000Z-bbbbbbbb", tables, parent="20240101T000000Z-aaaaaaaa"), tables)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_every_column_with_type_and_meaning(card, name):
    section = card.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    documented = re.findall(r"^\| `(\w+)` \|", section, re.M)
    assert documented == list(MODELS[name].to_schema().columns), "card columns drift from the model"
    columns = MODELS[name].to_schema().columns
    for field in arrow_schema(MODELS[name]):
        line = next(l for l in section.splitlines() if l.startswith(f"| `{field.name}` |"))
        assert f"`{field.type}`" in line
        assert columns[field.name].description.replace("|", "\\|") in line


def test_constraints_come_from_the_checks(card):
    assert "one of `txt`, `md`, `html`" in card
    assert "matches `^[0-9a-f]{16}$`" in card
    assert "Row checks: `word_count_consistent`." in card


def test_provenance_counts_and_limits(card):
    tables = filled_tables()
    manifest = manifest_of("v", tables)
    assert "Parent version: `20240101T000000Z-aaaaaaaa`" in card
    assert "`" + "c" * 64 + "`" in card  # code hash
    assert "`boilerplate_lines.txt` | `dddddddddddddddd`" in card
    assert inputs_digest(manifest["inputs"])[:16] in card
    assert "Inputs: 4 files" in card
    assert "| `articles` | 4 |" in card and "| `quotes` | 5 |" in card
    assert "`validation_failed` 1" in card
    assert "1 of 4 articles have no outlet" in card
    # data is escaped: an outlet name holding markup is shown, not rendered
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co 1" in card and "<b>Evil" not in card


def test_empty_tables_are_named_as_limits():
    tables = tables_of(rejects=[])
    card = render_card(manifest_of("v0", tables), tables)
    assert "The `quotes` table is empty in this version" in card
    assert "The `events` table is empty in this version" in card
    assert "Parent version: none (first version)" in card


def test_loading_snippets_run_as_written(two_version_store, monkeypatch):
    """Each Python block of the card runs against the version it describes, from the repo root."""
    version = store.latest(two_version_store)
    card = write_card(two_version_store).read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", card, re.S)
    assert len(blocks) == 4 and any("polars" in b for b in blocks) and any("duckdb" in b for b in blocks)
    monkeypatch.chdir(two_version_store.parent)  # snippets use the default processed/ folder
    results = {}
    for block in blocks:
        scope: dict = {}
        exec(compile(block, "card-snippet", "exec"), scope)
        results.update({k: v for k, v in scope.items() if k in ("articles", "per_outlet", "pairs")})
    assert version in card
    assert len(results["articles"]) == 4
    assert dict(results["per_outlet"].itertuples(index=False)) == {"Harbour Gazette": 2, "Valley Times": 2,
                                                                   "<b>Evil</b> & Co": 1}
    assert results["pairs"].row(0) == ("China", "North Korea", 2)
