"""The dataset card (README.md) of one version, generated from the models, the Arrow schemas and the manifest."""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipeline import store
from schemas import MODELS, arrow_schema

CARD = "README.md"

# Limits that hold for every version; the card adds the ones this version's counts show.
KNOWN_LIMITS = (
    "Outlets are named only when a clue matches the outlet registry; otherwise `outlet` is null.",
    "Dates are what the page says (sidecar, metadata, dateline, URL); an undated page has a null "
    "`published_date`, never a guessed one.",
    "`language` is null when the body is too short to tell.",
    "Duplicates are marked (`duplicate_of`), not removed: filter `duplicate_of IS NULL` for distinct articles.",
    "Quote and event offsets index `articles.body` as a Python string (code points, not bytes).",
    "Rows that failed a schema check are in `rejects` (reason `validation_failed`), not in their table.",
)


def _cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _text(value) -> str:
    """Data (outlet names, paths) as inert Markdown table text: no HTML a renderer would honour."""
    return _cell(html.escape(str(value), quote=False))


def _checks(column, unique: bool) -> str:
    parts = ["unique"] if unique else []
    for check in column.checks:
        stats = {k: v for k, v in (check.statistics or {}).items() if v is not None}
        if check.name == "isin":
            parts.append("one of " + ", ".join(f"`{v}`" for v in stats["allowed_values"]))
        elif check.name == "str_matches":
            parts.append(f"matches `{stats['pattern']}`")
        elif stats:
            parts.append(check.name + " " + ", ".join(f"{k}={v}" for k, v in stats.items()))
        else:
            parts.append(check.name)
    return "; ".join(parts)


def columns_markdown(name: str) -> str:
    """The column table of one table: name, Arrow type, nullable, constraints, description."""
    model = MODELS[name]
    columns = model.to_schema().columns
    lines = ["| column | type | nullable | constraints | meaning |", "| --- | --- | --- | --- | --- |"]
    for field in arrow_schema(model):
        column = columns[field.name]
        lines.append(f"| `{field.name}` | `{_cell(field.type)}` | {'yes' if field.nullable else 'no'} | "
                     f"{_cell(_checks(column, column.unique))} | {_cell(column.description)} |")
    row_checks = [c.name for c in model.to_schema().checks]
    if row_checks:
        lines.append("")
        lines.append("Row checks: " + ", ".join(f"`{c}`" for c in row_checks) + ".")
    return "\n".join(lines)


def _table_purpose(name: str) -> str:
    doc = sys.modules[MODELS[name].__module__].__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def inputs_digest(inputs: list[dict]) -> str:
    """One hash of every input's path and content hash: equal digests, same inputs."""
    digest = hashlib.sha256()
    for item in sorted(inputs, key=lambda i: i["path"]):
        digest.update(f"{item['path']}\0{item.get('sha256')}\0{item.get('sidecar_sha256')}\n".encode())
    return digest.hexdigest()


def _value_counts(table: pa.Table, column: str, missing: str) -> list[tuple[str, int]]:
    if table.num_rows == 0:
        return []
    counts: dict[str, int] = {}
    per_value = pc.value_counts(table.column(column))   # Arrow counts; Python sees each value once
    for value, n in zip(per_value.field("values").to_pylist(), per_value.field("counts").to_pylist()):
        label = missing if value is None else value
        counts[label] = counts.get(label, 0) + n
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _provenance(manifest: dict) -> str:
    inputs = manifest.get("inputs") or []
    size = sum(i.get("size") or 0 for i in inputs)
    sidecars = sum(1 for i in inputs if i.get("sidecar_sha256"))
    lines = [
        f"- Pipeline version: `{manifest.get('pipeline_version')}`",
        f"- Parent version: `{_cell(manifest['parent'])}`" if manifest.get("parent") else "- Parent version: none (first version)",
        f"- Created: {manifest.get('created_at')} in {manifest.get('seconds', '?')} s",
        f"- Inputs: {len(inputs)} files ({size:,} bytes, {sidecars} with a sidecar); "
        f"digest of paths and SHA-256s `{inputs_digest(inputs)[:16]}`; "
        f"{len(manifest.get('inputs_rejected_at_discovery') or [])} more rejected at discovery",
        f"- Code SHA-256 (pipeline and schemas): `{manifest.get('code_sha256')}`",
        f"- Run fingerprint: `{manifest.get('fingerprint')}`",
        f"- Run config: `{json.dumps(manifest.get('config'), sort_keys=True)}`",
    ]
    lexicons = manifest.get("lexicons") or {}
    if lexicons:
        lines += ["", "| lexicon file | SHA-256 |", "| --- | --- |"]
        lines += [f"| `{_cell(name)}` | `{digest[:16]}` |" for name, digest in sorted(lexicons.items())]
    lines += ["", "Every input's path, size and hash are in `manifest.json` (`inputs`)."]
    return "\n".join(lines)


def _counts(manifest: dict, tables: dict[str, pa.Table]) -> str:
    rows = {name: tables[name].num_rows if name in tables else manifest.get("rows", {}).get(name, 0)
            for name in store.TABLES}
    lines = ["| table | rows |", "| --- | ---: |"] + [f"| `{n}` | {r} |" for n, r in rows.items()]
    reasons = manifest.get("rejects_by_reason") or {}
    if reasons:
        lines += ["", "Rejects by reason: " + ", ".join(f"`{r}` {n}" for r, n in sorted(reasons.items())) + "."]
    articles = tables.get("articles")
    if articles is not None and articles.num_rows:
        outlets = _value_counts(articles, "outlet", "(unknown)")
        lines += ["", "Articles per outlet: " + ", ".join(f"{_text(o)} {n}" for o, n in outlets) + "."]
        dates = articles.column("published_date").drop_null()
        if len(dates):
            lines += ["", f"Published dates from {pc.min(dates).as_py()} to {pc.max(dates).as_py()}."]
    return "\n".join(lines)


def _limits(tables: dict[str, pa.Table]) -> str:
    lines = [f"- {text}" for text in KNOWN_LIMITS]
    articles = tables.get("articles")
    if articles is not None and articles.num_rows:
        n = articles.num_rows
        no_outlet = articles.column("outlet").null_count
        no_date = articles.column("published_date").null_count
        dups = n - articles.column("duplicate_of").null_count
        lines.append(f"- In this version: {no_outlet} of {n} articles have no outlet, {no_date} no published date, "
                     f"{dups} are marked as duplicates.")
    for name in ("quotes", "events"):
        if name in tables and tables[name].num_rows == 0:
            lines.append(f"- The `{name}` table is empty in this version: its stage produced no rows.")
    return "\n".join(lines)


_SNIPPETS = '''```python
# With the project installed: a pandas DataFrame (as_arrow=True gives a pyarrow Table).
from pipeline import load
articles = load("articles", out="processed", version="{version}")
```

```python
# pandas, no project code needed (PATH is this folder; adjust it if you built with OUT=...).
import pandas as pd
PATH = "processed/{version}"
articles = pd.read_parquet(f"{{PATH}}/articles.parquet")
quotes = pd.read_parquet(f"{{PATH}}/quotes.parquet")
per_outlet = quotes.merge(articles[["article_id", "outlet"]], on="article_id").groupby("outlet").size()
```

```python
# Polars
import polars as pl
PATH = "processed/{version}"
articles = pl.read_parquet(f"{{PATH}}/articles.parquet")
events = pl.read_parquet(f"{{PATH}}/events.parquet")
pairs = (events.explode("actors").explode("recipients")
         .select(actor=pl.col("actors").struct.field("name"), recipient=pl.col("recipients").struct.field("name"))
         .group_by("actor", "recipient").len().sort("len", descending=True))
```

```python
# DuckDB
import duckdb
PATH = "processed/{version}"
per_outlet = duckdb.sql(f"""
    SELECT a.outlet, count(*) AS quotes
    FROM '{{PATH}}/quotes.parquet' q JOIN '{{PATH}}/articles.parquet' a USING (article_id)
    GROUP BY a.outlet ORDER BY quotes DESC
""").df()
```'''


def render_card(manifest: dict, tables: dict[str, pa.Table]) -> str:
    """The dataset card of a version as Markdown."""
    version = manifest.get("version", "?")
    parts = [
        f"# news-dataset, version `{version}`",
        "",
        "News articles turned into four Parquet tables: clean article text with its metadata, the quotes "
        "and the events found in it, and every input or row that was rejected, with its reason. "
        "This card is generated from the table schemas and `manifest.json`; `report.html` beside it "
        "shows the same data as charts.",
        "",
        "## Tables",
        "",
    ]
    for name in store.TABLES:
        parts += [f"### `{name}` ({name}.parquet)", "", _table_purpose(name), "", columns_markdown(name), ""]
    parts += ["Joins: `quotes.article_id` and `events.article_id` reference `articles.article_id`; "
              "`events.quote_id` references `quotes.quote_id`.", ""]
    parts += ["## Counts", "", _counts(manifest, tables), ""]
    parts += ["## Provenance", "", _provenance(manifest), ""]
    parts += ["## Known limits", "", _limits(tables), ""]
    parts += ["## Loading", "", _SNIPPETS.format(version=version), ""]
    return "\n".join(parts)


def write_card(out: Path, version: str | None = None) -> Path:
    """(Re)write OUT/<version>/README.md (latest when version is None), e.g. for versions built before cards."""
    out = Path(out)
    name = version if version and version != "latest" else store.latest(out)
    if name is None:
        raise store.StoreError(f"{out} holds no version yet; run `make pipeline` first")
    tables = {t: store.load_table(out, t, name) for t in store.TABLES}
    path = out / name / CARD
    tmp = path.with_name(f".{CARD}.{os.getpid()}")
    tmp.write_text(render_card(store.read_manifest(out, name), tables), encoding="utf-8")
    os.replace(tmp, path)
    return path
