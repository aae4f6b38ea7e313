"""One self-contained HTML report per version: counts, time series, rejects, quotes, events, changes.

Every aggregate is computed on the Arrow tables (pyarrow.compute, numpy), and plain Python only
sees the values a section shows. Converting the tables to pandas and grouping there cost 1.0 s of
CPU for the card and report at 5,000 generated articles (112,000 quotes, 102,000 events), a large
part of an incremental run that adds 1 % of the files; this takes 0.07 s for the same bytes
(in-process from the stored tables of a store built from pipeline.bench.generate, min of 3).
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import store
from pipeline.charts import _EPOCH_ORDINAL, _short, _timeline, _value_counts, barh_chart, esc, time_chart
from pipeline.charts import pair_timeline  # noqa: F401  (callers import it from here)

REPORT = "report.html"
TOP = 20  # rows shown in "top" tables; the full data is one `load(...)` away
TOP_PAIRS = 10
MAX_LISTED = 200  # rejects and changed articles listed in full up to this many

def table_html(headers: list[str] | None, rows: list[list], numeric: set[int] = frozenset()) -> str:
    """A table; headers=None gives a key/value table whose first column is a row header."""
    if headers is None:
        body = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
        return f'<table class="kv"><tbody>{body}</tbody></table>'
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td class="num">{esc(v)}</td>' if i in numeric else f"<td>{esc(v)}</td>"
                         for i, v in enumerate(row)) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def empty_note(text: str) -> str:
    return f'<p class="empty">{esc(text)}</p>'


def _rows(table: pa.Table | None) -> int:
    return 0 if table is None else table.num_rows


def _pylists(table: pa.Table, columns: list[str]) -> list[list]:
    return [table.column(c).to_pylist() for c in columns]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _label(value, missing: str = "(unknown)") -> str:
    return missing if _missing(value) else str(value)


def _tally(pairs, missing: str) -> list[tuple[str, int]]:
    """(label, count) from (value, count) pairs, most frequent first; missing values under one label."""
    counter: dict[str, int] = {}
    for value, n in pairs:
        label = _label(value, missing)
        counter[label] = counter.get(label, 0) + n
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] == missing, kv[0]))


def _counts(values, missing: str = "(unknown)") -> list[tuple[str, int]]:
    """(label, count), most frequent first; missing values counted under one label. values: an
    Arrow array (counted by Arrow) or any iterable of values."""
    if isinstance(values, (pa.Array, pa.ChunkedArray)):
        return _tally(_value_counts(values), missing)
    return _tally(Counter(values.tolist() if isinstance(values, pd.Series) else values).items(), missing)


def _median(values: list) -> float:
    """pandas' median: nulls skipped, the mean of the two middle values of an even count."""
    ordered = sorted(v for v in values if v is not None)
    if not ordered:
        return 0
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _sorted_rows(table: pa.Table, keys: list[str], columns: list[str], limit: int) -> list[list]:
    """The first `limit` rows of table sorted by keys (ascending, nulls last, stable), as lists."""
    order = pc.sort_indices(table.select(keys), sort_keys=[(k, "ascending") for k in keys])   # nulls at the end
    listed = table.select(columns).take(order[:limit])
    return [list(row) for row in zip(*_pylists(listed, columns))]


def _pair_counts(table: pa.Table, key: str, column: str) -> dict:
    """Per value of key, (value of column, rows) for each value of column found with it."""
    cells = table.group_by([key, column], use_threads=False).aggregate([(key, "count")])
    found: dict = {}
    for k, value, n in zip(*_pylists(cells, [key, column, f"{key}_count"])):
        found.setdefault(k, []).append((value, n))
    return found


# ---------------------------------------------------------------- sections

def _overview(tables, manifest) -> str:
    rows = [[name, tables[name].num_rows if name in tables else manifest.get("rows", {}).get(name, "")]
            for name in store.TABLES]
    facts = [
        ["version", manifest.get("version")],
        ["created", manifest.get("created_at")],
        ["parent", manifest.get("parent") or "none (first version)"],
        ["pipeline version", manifest.get("pipeline_version")],
        ["inputs", len(manifest.get("inputs") or [])],
        ["code sha256", (manifest.get("code_sha256") or "")[:16]],
        ["build time", f"{manifest['seconds']} s" if "seconds" in manifest else ""],
    ]
    return ('<div class="cols">' + table_html(None, facts) + table_html(["table", "rows"], rows, {1})
            + "</div>")


def _outlets(articles: pa.Table | None) -> str:
    if not _rows(articles):
        return empty_note("The articles table is empty in this version.")
    words: dict = {}   # per outlet (None: unknown): word counts, and how many are duplicates
    dups: dict = {}
    for outlet, dup, n in zip(articles.column("outlet").to_pylist(),
                              pc.is_valid(articles.column("duplicate_of")).to_pylist(),
                              articles.column("word_count").to_pylist()):
        group = words.get(outlet)
        if group is None:
            group = words[outlet] = []
            dups[outlet] = 0
        group.append(n)
        dups[outlet] += dup
    counts = _tally(((outlet, len(group)) for outlet, group in words.items()), "(unknown)")
    by_label: dict[str, list] = {}
    dups_of: dict[str, int] = {}
    for outlet, group in words.items():
        label = _label(outlet)
        by_label.setdefault(label, []).extend(group)
        dups_of[label] = dups_of.get(label, 0) + dups[outlet]
    rows = [[name, n, dups_of[name], int(_median(by_label[name]))] for name, n in counts]
    return barh_chart(counts[:TOP], "articles") + table_html(
        ["outlet", "articles", "of which duplicates", "median words"], rows, {1, 2, 3})


def _over_time(articles: pa.Table | None) -> str:
    if not _rows(articles):
        return empty_note("The articles table is empty in this version.")
    dates = articles.column("published_date")
    dated = len(dates) - dates.null_count
    bounds = pc.min_max(dates)
    note = (f"<p>{dated} of {articles.num_rows} articles have a published date"
            + (f", from {esc(bounds['min'].as_py())} to {esc(bounds['max'].as_py())}." if dated else ".")
            + "</p>")
    if not dated:
        return note + empty_note("No article has a published date, so there is nothing to plot.")
    sources = table_html(["date source", "articles"], _counts(articles.column("date_source"), "(no date)"), {1})
    return note + time_chart(dates.drop_null(), None, "articles") + sources


def _article_list(articles: pa.Table | None) -> str:
    if not _rows(articles):
        return empty_note("The articles table is empty in this version.")
    cols = ["published_date", "title", "outlet", "language", "word_count", "source_path", "duplicate_of"]
    listed = _sorted_rows(articles, ["published_date", "source_path"], cols, MAX_LISTED)
    n = articles.num_rows
    more = f"first {MAX_LISTED} of {n}" if n > MAX_LISTED else f"all {n}"
    opened = " open" if n <= 50 else ""
    return (f"<details{opened}><summary>Articles by published date ({more})</summary>"
            + table_html(["published", "title", "outlet", "lang", "words", "source", "duplicate of"],
                         listed, {4}) + "</details>")


def _rejects(rejects: pa.Table | None, manifest: dict) -> str:
    if not _rows(rejects):
        return empty_note("No input was rejected in this version.")
    counts = _counts(rejects.column("reason"))
    stages = Counter(zip(*_pylists(rejects, ["stage", "reason"])))
    by_stage = table_html(["stage", "reason", "rejects"],
                          [[s, r, n] for (s, r), n in sorted(item for item in stages.items()
                                                             if not _missing(item[0][0]) and not _missing(item[0][1]))],
                          {2})
    listed = rejects.slice(0, MAX_LISTED)
    detail = table_html(["source", "stage", "reason", "message"],
                        [list(row) for row in zip(*_pylists(listed, ["source_path", "stage", "reason", "message"]))])
    more = f" (first {MAX_LISTED} of {rejects.num_rows})" if rejects.num_rows > MAX_LISTED else ""
    return (barh_chart(counts, "rejects") + by_stage
            + f"<details><summary>Every reject{more}</summary>{detail}</details>")


def _validation(rejects: pa.Table | None) -> str:
    failed = rejects.filter(pc.equal(rejects.column("reason"), "validation_failed")) if _rows(rejects) else None
    if not _rows(failed):
        return empty_note("No row failed validation: every row of every table passed its pandera checks.")
    groups: dict[tuple, list] = {}   # (table, column, check) -> [rows, the first row's value]
    for table, column, check, value in zip(*_pylists(failed, ["table", "column", "check", "value"])):
        key = ("?" if _missing(table) else table, "(row)" if _missing(column) else column,
               "?" if _missing(check) else check)
        if key in groups:
            groups[key][0] += 1
        else:
            groups[key] = [1, value]
    rows = [[t, c, k, n, _short(_label(value, ""), 80)] for (t, c, k), (n, value) in sorted(groups.items())]
    rows.sort(key=lambda r: -r[3])
    return (f"<p>{_plural(failed.num_rows, 'row')} quarantined into the rejects table.</p>"
            + table_html(["table", "column", "check", "rows", "example value"], rows, {3}))


def _quotes(quotes: pa.Table | None, articles: pa.Table | None) -> str:
    if not _rows(quotes):
        return empty_note("The quotes table is empty in this version (no quotes were extracted).")
    per_article = _value_counts(quotes.column("article_id"))
    quoted = len(per_article) - (quotes.column("article_id").null_count > 0)   # distinct ids, null not one
    named = quotes.num_rows - quotes.column("speaker").null_count
    parts = [f"<p>{quotes.num_rows} quotes in {quoted} articles; "
             f"{named} have a named speaker.</p>", "<h3>Top speakers</h3>"]
    if not named:
        parts.append(empty_note("No quote has a resolved speaker."))
    else:
        # quotes per speaker counted by Arrow and numpy (11,000 speakers at 5,000 generated articles);
        # only the top speakers' quotes are grouped further, for their articles, roles and kinds
        code, speakers = _encoded(quotes.column("speaker"), None, names=False)
        per = np.bincount(code[code >= 0], minlength=len(speakers))
        least = np.partition(per, len(per) - TOP)[len(per) - TOP] if len(per) > TOP else 0
        candidates = np.flatnonzero(per >= least)
        name_of = dict(zip(candidates.tolist(), speakers.take(candidates).to_pylist()))
        top = sorted(name_of, key=lambda c: (-per[c], name_of[c]))[:TOP]
        is_top = np.zeros(len(speakers) + 1, bool)   # + 1: the code -1 of a quote without a speaker
        is_top[top] = True
        picked = quotes.select(["speaker", "article_id", "speaker_role", "speaker_kind"]).filter(is_top[code])
        distinct = picked.group_by("speaker", use_threads=False).aggregate(
            [("article_id", "count_distinct", pc.CountOptions(mode="all"))])
        articles_of = dict(zip(*_pylists(distinct, ["speaker", "article_id_count_distinct"])))
        roles_of = _pair_counts(picked.filter(pc.is_valid(picked.column("speaker_role"))), "speaker", "speaker_role")
        kinds_of = _pair_counts(picked, "speaker", "speaker_kind")
        rows = []
        for c in top:
            name = name_of[c]
            roles = _tally(roles_of.get(name, ()), "(unknown)")
            rows.append([name, int(per[c]), articles_of[name], "; ".join(r for r, _ in roles[:3]) or "—",
                         _tally(kinds_of[name], "(unknown)")[0][0]])
        parts.append(barh_chart([(r[0], r[1]) for r in rows], "quotes"))
        parts.append(table_html(["speaker", "quotes", "articles", "roles", "kind"], rows, {1, 2}))
    parts.append("<h3>Quote types</h3>")
    types = _counts(quotes.column("quote_type"))
    parts.append(barh_chart(types, "quotes") + table_html(["type", "quotes"], types, {1}))
    if _rows(articles):
        # each quote counted under its article's outlet (a quote of an unknown article: "(unknown)")
        outlets_of: dict = {}
        for article_id, outlet in zip(*_pylists(articles, ["article_id", "outlet"])):
            outlets_of.setdefault(article_id, []).append(outlet)
        per_outlet: dict = {}
        for article_id, n in per_article:
            for outlet in outlets_of.get(article_id, (None,)):
                per_outlet[outlet] = per_outlet.get(outlet, 0) + n
        parts.append("<h3>Quotes per outlet</h3>"
                     + table_html(["outlet", "quotes"], _tally(per_outlet.items(), "(unknown)"), {1}))
    return "".join(parts)


def _encoded(values: pa.Array | pa.ChunkedArray, missing: str | None, names: bool = True) -> tuple[np.ndarray, list]:
    """Per value its code, and the distinct values by code (in order of first appearance; an Arrow
    array unless names); a null is counted as `missing`, or has the code -1 when missing is None."""
    if missing is not None:
        values = pc.fill_null(values, missing)
    encoded = pc.dictionary_encode(values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values)
    codes = pc.fill_null(encoded.indices, -1).to_numpy().astype(np.int64)
    return codes, encoded.dictionary.to_pylist() if names else encoded.dictionary


def _name_slots(column: pa.ChunkedArray, fill: str) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The non-empty names of each row of a list<struct<name, ...>> column, in row order, with fill
    as the one name of a row that has none: the row and the name's code per slot, and the names by code."""
    rows, names, base = [], [], 0
    for chunk in column.chunks:
        flat = pc.struct_field(pc.list_flatten(chunk), "name")
        keep = pc.fill_null(pc.not_equal(flat, ""), False)
        rows.append(pc.list_parent_indices(chunk).filter(keep).to_numpy().astype(np.int64) + base)
        names.append(flat.filter(keep))
        base += len(chunk)
    named_rows = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    codes, by_code = (_encoded(pa.concat_arrays(names), fill) if named_rows.size
                      else (np.zeros(0, np.int64), []))
    fill_code = by_code.index(fill) if fill in by_code else len(by_code)
    if fill_code == len(by_code):
        by_code.append(fill)
    named = np.bincount(named_rows, minlength=len(column))
    slots = np.maximum(named, 1)
    starts = np.cumsum(slots) - slots
    slot_code = np.full(int(slots.sum()), fill_code, np.int64)
    # the k-th name of a row goes to the row's first slot + k
    slot_code[starts[named_rows] + np.arange(named_rows.size) - (np.cumsum(named) - named)[named_rows]] = codes
    if len(slot_code) == len(column):   # one slot per row
        return np.arange(len(column)), slot_code, by_code
    return np.repeat(np.arange(len(column)), slots), slot_code, by_code


def _actor_pairs(events: pa.Table) -> tuple[np.ndarray, Callable[[int], str], np.ndarray]:
    """One pair per (event, actor, recipient), in event order and each event's pairs in actor-then-
    recipient order ('(unknown)' for no actor, '—' for no recipient): the pair's code, the
    "actor → recipient" text of a code, and the event of each pair."""
    actor_row, actor_code, actors = _name_slots(events.column("actors"), "(unknown)")
    recip_row, recip_code, recipients = _name_slots(events.column("recipients"), "—")
    per_event = np.bincount(recip_row, minlength=events.num_rows)   # at least 1 each
    start = np.cumsum(per_event) - per_event
    repeat = per_event[actor_row]      # each actor pairs with every recipient of its event
    if len(recip_row) == events.num_rows:    # one recipient (or none) per event: one pair per actor
        actor_index, recip_index = np.arange(len(actor_row)), start[actor_row]
    else:
        actor_index = np.repeat(np.arange(len(actor_row)), repeat)
        recip_index = np.repeat(start[actor_row], repeat) + (
            np.arange(len(actor_index)) - np.repeat(np.cumsum(repeat) - repeat, repeat))
    a_code, r_code = actor_code[actor_index], recip_code[recip_index]
    if any("→" in name for name in actors) or any("→" in name for name in recipients):
        # an arrow in a name could make two (actor, recipient) pairs print the same: count the texts
        codes, texts = _encoded(pc.binary_join_element_wise(pa.array(actors).take(a_code),
                                                            pa.array(recipients).take(r_code), " → "), "")
        return codes, texts.__getitem__, actor_row[actor_index]
    width = len(recipients)
    return (a_code * width + r_code, lambda code: f"{actors[code // width]} → {recipients[code % width]}",
            actor_row[actor_index])


def _events(events: pa.Table | None) -> str | list[str]:
    """The events section, in parts when it has a pair timeline (see _timeline)."""
    if not _rows(events):
        return empty_note("The events table is empty in this version (no events were extracted).")
    dates = events.column("event_date")
    dated = events.num_rows - dates.null_count
    parts = [f"<p>{events.num_rows} events in {pc.count_distinct(events.column('article_id')).as_py()} articles; "
             f"{dated} dated.</p>",
             "<h3>Events by type</h3>", table_html(["event type", "events"], _counts(events.column("event_type")), {1}),
             "<h3>Events by type over time</h3>"]
    if dated:
        with_date = events.select(["event_date", "event_type"]).filter(pc.is_valid(dates))
        parts.append(time_chart(with_date.column("event_date"), with_date.column("event_type"), "events"))
    else:
        parts.append(empty_note("No event has a date, so there is nothing to plot."))
    pair_code, pair_text, event_of = _actor_pairs(events)
    parts.append("<h3>Top actor pairs</h3>")
    # most events first, ties in order of first appearance (pandas' value_counts)
    per_pair = pc.value_counts(pa.array(pair_code))
    counts = per_pair.field("counts").to_numpy()
    best = np.argsort(-counts, kind="stable")[:TOP_PAIRS]
    top_codes = per_pair.field("values").to_numpy()[best]
    top_names = [pair_text(c) for c in top_codes.tolist()]
    # the top pairs' events: pair (index in top), event type (code), day (proleptic ordinal, if dated)
    in_top = pc.index_in(pa.array(pair_code), value_set=pa.array(top_codes))
    picked = np.flatnonzero(pc.is_valid(in_top).to_numpy(zero_copy_only=False))
    pair = in_top.to_numpy(zero_copy_only=False)[picked].astype(np.int64)
    type_code, type_names = _encoded(events.column("event_type"), "(unknown)")
    kind = type_code[event_of[picked]]
    day_of = pc.fill_null(dates.cast(pa.int32()), 0).to_numpy().astype(np.int64) + _EPOCH_ORDINAL
    has_day = pc.is_valid(dates).to_numpy(zero_copy_only=False)
    day, valid = day_of[event_of[picked]], has_day[event_of[picked]]
    per_type = np.bincount(pair * len(type_names) + kind, minlength=len(top_names) * len(type_names))
    per_type = per_type.reshape(len(top_names), len(type_names)).tolist()
    rows = []
    for p, (name, n) in enumerate(zip(top_names, counts[best].tolist())):
        days = day[(pair == p) & valid]
        first, last = (dt.date.fromordinal(int(days.min())), dt.date.fromordinal(int(days.max()))) if days.size \
            else ("—", "—")
        types = _tally(((type_names[t], k) for t, k in enumerate(per_type[p]) if k), "(unknown)")
        rows.append([name, n, ", ".join(t for t, _ in types[:4]), first, last])
    if valid.any():
        # one dot per (day, pair, type), drawn in that order, the pair and type by their texts
        pair_rank = np.argsort(np.argsort(np.array(top_names, dtype=object), kind="stable"))
        type_rank = np.argsort(np.argsort(np.array(type_names, dtype=object), kind="stable"))
        n_pairs, n_types, first_day = len(top_names), len(type_names), int(day[valid].min())
        key = ((day[valid] - first_day) * n_pairs + pair_rank[pair[valid]]) * n_types + type_rank[kind[valid]]
        per_key = pc.value_counts(pa.array(key))       # hashing, then sorting the distinct keys only
        key, dot_counts = per_key.field("values").to_numpy(), per_key.field("counts").to_numpy()
        order = np.argsort(key)
        key, dot_counts = key[order], dot_counts[order]
        drawn_rank = key % n_types
        present = np.unique(drawn_rank)              # the types drawn, in text order
        by_rank = np.argsort(type_rank)              # type code of each rank
        parts += _timeline(top_names, [type_names[by_rank[r]] for r in present.tolist()],
                           np.argsort(pair_rank)[(key // n_types) % n_pairs], np.searchsorted(present, drawn_rank),
                           key // (n_types * n_pairs) + first_day, dot_counts)
    else:
        parts.append(empty_note("None of the top actor pairs has a dated event, so there is no timeline."))
    parts.append(table_html(["actor → recipient", "events", "types", "first", "last"], rows, {1}))
    return parts


def _changes(tables, manifest, parent_tables, parent_manifest) -> str:
    if not manifest.get("parent"):
        return empty_note("This is the first version: there is no parent to compare with.")
    if parent_manifest is None:
        return empty_note(f"The parent version {manifest['parent']} is no longer in the store; nothing to compare.")
    parts = [f"<p>Compared with the parent version <code>{esc(manifest['parent'])}</code>.</p>"]
    old_rows, rows = parent_manifest.get("rows", {}), manifest.get("rows", {})
    delta = []
    for name in store.TABLES:
        new = tables[name].num_rows if name in tables else rows.get(name, 0)
        old = parent_tables[name].num_rows if parent_tables and name in parent_tables else old_rows.get(name, 0)
        delta.append([name, old, new, f"{new - old:+d}"])
    parts.append(table_html(["table", "parent", "this version", "change"], delta, {1, 2, 3}))
    old_in = {i["path"]: i.get("sha256") for i in parent_manifest.get("inputs") or []}
    new_in = {i["path"]: i.get("sha256") for i in manifest.get("inputs") or []}
    changed = sum(1 for p in new_in.keys() & old_in.keys() if new_in[p] != old_in[p])
    facts = [["inputs added", len(new_in.keys() - old_in.keys())],
             ["inputs removed", len(old_in.keys() - new_in.keys())],
             ["inputs changed", changed],
             ["code changed", "yes" if manifest.get("code_sha256") != parent_manifest.get("code_sha256") else "no"],
             ["lexicons changed", ", ".join(sorted(
                 k for k in set(manifest.get("lexicons") or {}) | set(parent_manifest.get("lexicons") or {})
                 if (manifest.get("lexicons") or {}).get(k) != (parent_manifest.get("lexicons") or {}).get(k)))
              or "none"]]
    parts.append(table_html(None, facts))
    reasons = sorted(set(manifest.get("rejects_by_reason") or {}) | set(parent_manifest.get("rejects_by_reason") or {}))
    if reasons:
        rr = [[r, (parent_manifest.get("rejects_by_reason") or {}).get(r, 0),
               (manifest.get("rejects_by_reason") or {}).get(r, 0)] for r in reasons]
        parts.append("<h3>Rejects by reason</h3>" + table_html(
            ["reason", "parent", "this version", "change"], [r + [f"{r[2] - r[1]:+d}"] for r in rr], {1, 2, 3}))
    if not parent_tables or "articles" not in parent_tables:
        parts.append(empty_note("The parent's articles table could not be read, so added and removed articles are not listed."))
        return "".join(parts)
    new_a, old_a = tables.get("articles"), parent_tables["articles"]
    cols = ["article_id", "source_path", "outlet", "title"]
    new_ids = new_a.column("article_id").combine_chunks() if _rows(new_a) else pa.array([], pa.string())
    old_ids = old_a.column("article_id").combine_chunks() if _rows(old_a) else pa.array([], pa.string())
    for label, frame, ids, other in (("added", new_a, new_ids, old_ids), ("removed", old_a, old_ids, new_ids)):
        only = pc.invert(pc.is_in(ids, value_set=other))
        count = pc.count_distinct(ids.filter(only), mode="all").as_py() if len(ids) else 0
        parts.append(f"<h3>Articles {label}: {count}</h3>")
        if count:
            parts.append(table_html(cols, _sorted_rows(frame.select(cols).filter(only), ["source_path"], cols,
                                                       MAX_LISTED)))
    return "".join(parts)


_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222;max-width:1100px;margin:0 auto;padding:1.5em}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #3b6ea8;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}nav a{margin-right:1em}code{background:#f3f3f3;padding:0 .25em}
table{border-collapse:collapse;margin:.6em 0;font-size:13px}th,td{border:1px solid #ddd;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f1f4f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
td{max-width:520px;overflow-wrap:anywhere}.cols{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}
figure{margin:.6em 0}svg.chart{max-width:100%;height:auto}table.kv th{font-weight:600;background:#f7f7f7}.empty{color:#666;font-style:italic;background:#fafafa;border-left:3px solid #bbb;padding:.5em .8em}
#articles td:first-child{white-space:nowrap}details{margin:.6em 0}summary{cursor:pointer;color:#3b6ea8}
"""

_SECTIONS = [("overview", "Overview"), ("outlets", "Articles per outlet"), ("time", "Articles over time"),
             ("articles", "Articles"),
             ("rejects", "Rejects by reason"), ("validation", "Validation summary"), ("quotes", "Quotes"),
             ("events", "Events"), ("changes", "What changed since the parent version")]


def render_report(tables: dict[str, pa.Table], manifest: dict,
                  parent_tables: dict[str, pa.Table] | None = None,
                  parent_manifest: dict | None = None) -> str:
    """The report of one version as a self-contained HTML page (inline CSS and SVG, no scripts)."""
    articles, rejects = tables.get("articles"), tables.get("rejects")
    bodies = {
        "overview": _overview(tables, manifest),
        "outlets": _outlets(articles),
        "time": _over_time(articles),
        "articles": _article_list(articles),
        "rejects": _rejects(rejects, manifest),
        "validation": _validation(rejects),
        "quotes": _quotes(tables.get("quotes"), articles),
        "events": _events(tables.get("events")),
        "changes": _changes(tables, manifest, parent_tables, parent_manifest),
    }
    version = esc(manifest.get("version", "?"))
    nav = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in _SECTIONS)
    page = [f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>news-dataset {version}</title><style>{_CSS}</style></head><body>"
            f"<h1>news-dataset — version {version}</h1><nav>{nav}</nav>\n"]
    for i, (anchor, title) in enumerate(_SECTIONS):   # joined once: the events section can be megabytes
        body = bodies[anchor]
        page += ["\n" if i else "", f'<section id="{anchor}"><h2>{esc(title)}</h2>\n',
                 *(body if isinstance(body, list) else [body]), "\n</section>"]
    page.append(f"\n<footer><p>Generated from <code>manifest.json</code> and the Parquet tables of this version. "
                f"Load them with <code>from pipeline import load; load(\"articles\", version=\"{version}\")</code>.</p>"
                f"</footer></body></html>\n")
    return "".join(page)


# What the "changes" section reads of the parent version: its articles' ids and labels, and the
# other tables' row counts (reading the parent whole took 0.04 s of an incremental run).
PARENT_COLUMNS = {"articles": ["article_id", "source_path", "outlet", "title"], "quotes": [], "events": [],
                  "rejects": []}


def _load_version(out: Path, version: str, columns: dict[str, list[str]] | None = None) -> dict[str, pa.Table]:
    return {name: store.load_table(out, name, version, (columns or {}).get(name)) for name in store.TABLES}


def load_parent(out: Path, version: str) -> dict[str, pa.Table]:
    """The parts of a parent version that render_report compares with."""
    return _load_version(out, version, PARENT_COLUMNS)


def write_report(out: Path, version: str | None = None) -> Path:
    """(Re)write OUT/<version>/report.html (latest when version is None) and return its path."""
    out = Path(out)
    name = version if version and version != "latest" else store.latest(out)
    if name is None:
        raise store.StoreError(f"{out} holds no version yet; run `make pipeline` first")
    manifest = store.read_manifest(out, name)
    parent_tables = parent_manifest = None
    parent = manifest.get("parent")
    if parent and (out / parent / store.MANIFEST).is_file():
        parent_manifest = store.read_manifest(out, parent)
        try:
            parent_tables = load_parent(out, parent)
        except OSError:  # a parent with a missing table still gives the counts delta
            parent_tables = None
    text = render_report(_load_version(out, name), manifest, parent_tables, parent_manifest)
    path = out / name / REPORT
    tmp = path.with_name(f".{REPORT}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
