"""One self-contained HTML report per version: counts, time series, rejects, quotes, events, changes."""

from __future__ import annotations

import datetime as dt
import html
import itertools
import math
import os
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline import store

REPORT = "report.html"
TOP = 20  # rows shown in "top" tables; the full data is one `load(...)` away
TOP_PAIRS = 10
MAX_LISTED = 200  # rejects and changed articles listed in full up to this many


def esc(value) -> str:
    """Any value as inert HTML text (article text is hostile: titles may hold markup)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


# ---------------------------------------------------------------- charts
# Inline SVG written here rather than by matplotlib: the charts are bars and dots, and drawing
# them through matplotlib took 0.45 s of a 2,000-article incremental run (bench_refresh), about
# a quarter of it. No ids, scripts or fonts: the page stays self-contained and the same data
# renders the same bytes.

_BLUE = "#3b6ea8"
# matplotlib's tab20, so that a series keeps the colour it had when matplotlib drew the charts
_PALETTE = ("#1f77b4", "#aec7e8", "#ff7f0e", "#ffbb78", "#2ca02c", "#98df8a", "#d62728", "#ff9896",
            "#9467bd", "#c5b0d5", "#8c564b", "#c49c94", "#e377c2", "#f7b6d2", "#7f7f7f", "#c7c7c7",
            "#bcbd22", "#dbdb8d", "#17becf", "#9edae5")
_FONT = 11          # px
_CHAR = 0.6 * _FONT  # average advance of a sans-serif character, to size label columns
_GRID = "#dddddd"


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text_el(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return (f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}"{extra}>{html.escape(text, quote=False)}'
            "</text>")


def _ticks(top: float, target: int = 5) -> list[int]:
    """Integer ticks from 0 with a 1-2-5 step, the last at or above top."""
    if top <= 0:
        return [0, 1]
    raw = top / target
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if raw <= m * magnitude)
    step = max(1, int(step))
    return list(range(0, int(math.ceil(top / step)) * step + 1, step))


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return (f'<figure><svg class="chart" width="{_num(width)}" height="{_num(height)}" '
            f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" font-family="sans-serif" '
            f'font-size="{_FONT}" fill="#222"><title>{html.escape(title, quote=False)}</title>'
            + "".join(body) + "</svg></figure>")


def _legend(x: float, y: float, names: list[str], colour_of, title: str | None = None) -> tuple[list[str], float]:
    """Swatches and names in a column from (x, y); the parts and the legend's width."""
    parts, width = [], 0.0
    if title:
        parts.append(_text_el(x, y + 9, title, extra=' font-weight="bold"'))
        y += 16
        width = len(title) * _CHAR
    for i, name in enumerate(names):
        parts.append(f'<rect x="{_num(x)}" y="{_num(y + i * 16)}" width="10" height="10" fill="{colour_of(i)}"/>')
        parts.append(_text_el(x + 14, y + i * 16 + 9, name))
        width = max(width, 14 + len(name) * _CHAR)
    return parts, width


def barh_chart(counts: list[tuple[str, int]], xlabel: str) -> str:
    """Horizontal bars, largest on top, each with its value."""
    labels = [_short(str(k)) for k, _ in counts]
    values = [int(v) for _, v in counts]
    ticks = _ticks(max(values, default=0))
    left = 8 + max((len(label) for label in labels), default=1) * _CHAR
    plot, row, top = 420.0, 20, 6
    width, height = left + plot + 40, top + row * len(counts) + 38
    scale = plot / ticks[-1]
    body = []
    for t in ticks:
        x = left + t * scale
        body.append(f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{top + row * len(counts)}" stroke="{_GRID}"/>')
        body.append(_text_el(x, top + row * len(counts) + 14, str(t), "middle"))
    for i, (label, value) in enumerate(zip(labels, values)):
        y = top + i * row
        body.append(_text_el(left - 6, y + row / 2 + 4, label, "end"))
        body.append(f'<rect x="{_num(left)}" y="{y + 3}" width="{_num(value * scale)}" height="{row - 6}" fill="{_BLUE}"/>')
        body.append(_text_el(left + value * scale + 4, y + row / 2 + 4, str(value)))
    body.append(_text_el(left + plot / 2, height - 6, xlabel, "middle"))
    return _svg(width, height, xlabel, body)


def _granularity(dates: pd.Series) -> str:
    span = (dates.max() - dates.min()).days
    if span <= 92:
        return "D"
    return "M" if span <= 3 * 366 else "Y"


def _periods(dates: pd.Series, freq: str) -> pd.PeriodIndex:
    """Every period from the first date to the last (gaps shown as zero, not skipped)."""
    return pd.period_range(dates.min().to_period(freq), dates.max().to_period(freq), freq=freq)


def _column_chart(periods: list[str], stacks: list[tuple[str, list[int]]], ylabel: str, legend: bool) -> str:
    """Vertical bars per period, stacked in the given order; labels of about 12 periods shown."""
    totals = [sum(values[k] for _, values in stacks) for k in range(len(periods))]
    ticks = _ticks(max(totals, default=0))
    slot = max(4.0, min(40.0, 640.0 / max(len(periods), 1)))
    plot_w = slot * len(periods)
    label_h = 8 + max((len(p) for p in periods), default=1) * _CHAR * 0.72   # labels at 45 degrees
    # room for the y labels, and for the first period's label, which reaches left of its bar
    left, top, plot_h = max(14 + len(str(ticks[-1])) * _CHAR + 14, label_h - slot / 2), 8, 200.0
    body = []
    scale = plot_h / ticks[-1]
    for t in ticks:
        y = top + plot_h - t * scale
        body.append(f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + plot_w)}" y2="{_num(y)}" stroke="{_GRID}"/>')
        body.append(_text_el(left - 4, y + 4, str(t), "end"))
    base = [0] * len(periods)
    for i, (_, values) in enumerate(stacks):
        colour = _PALETTE[i % len(_PALETTE)] if legend else _BLUE
        for k, v in enumerate(values):
            if v:
                y = top + plot_h - (base[k] + v) * scale
                body.append(f'<rect x="{_num(left + k * slot + slot * 0.075)}" y="{_num(y)}" width="{_num(slot * 0.85)}" '
                            f'height="{_num(v * scale)}" fill="{colour}"/>')
                base[k] += v
    step = max(1, len(periods) // 12)
    for k in range(0, len(periods), step):
        x, y = left + (k + 0.5) * slot, top + plot_h + 12
        body.append(_text_el(x, y, periods[k], "end", f' transform="rotate(-45 {_num(x)} {_num(y)})"'))
    ymid = top + plot_h / 2
    body.append(_text_el(10, ymid, ylabel, "middle", f' transform="rotate(-90 10 {_num(ymid)})"'))
    width, height = left + plot_w + 10, top + plot_h + label_h + 10
    if legend:
        parts, legend_w = _legend(width + 6, top, [_short(name, 24) for name, _ in stacks],
                                  lambda i: _PALETTE[i % len(_PALETTE)])
        body += parts
        width += 12 + legend_w
        height = max(height, top + 16 * len(stacks) + 8)
    return _svg(width, height, f"{ylabel} per period", body)


def time_chart(dates: pd.Series, groups: pd.Series | None, ylabel: str) -> str:
    """Counts per day, month or year (chosen from the span); stacked by group when given."""
    dates = pd.to_datetime(dates)
    freq = _granularity(dates)
    periods = _periods(dates, freq)
    keys = dates.dt.to_period(freq)
    labels = [str(p) for p in periods]
    if groups is None:
        counts = keys.value_counts().reindex(periods, fill_value=0)
        return _column_chart(labels, [("", [int(v) for v in counts.values])], ylabel, legend=False)
    table = pd.crosstab(keys, groups.fillna("(none)")).reindex(periods, fill_value=0)
    order = table.sum().sort_values(ascending=False, kind="stable").index
    return _column_chart(labels, [(str(name), [int(v) for v in table[name].values]) for name in order], ylabel,
                         legend=True)


def _date_ticks(first: dt.date, last: dt.date) -> list[dt.date]:
    """About six dates from first to last: days, month starts or year starts, by the span."""
    span = (last - first).days
    if span <= 0:
        return [first]
    if span <= 92:
        step = max(1, math.ceil(span / 6))
        return [first + dt.timedelta(days=d) for d in range(0, span + 1, step)]
    if span <= 3 * 366:
        months = [dt.date(y, m, 1) for y in range(first.year, last.year + 1) for m in range(1, 13)]
        months = [d for d in months if first <= d <= last]
        return months[:: max(1, math.ceil(len(months) / 6))]
    years = list(range(first.year + (first > dt.date(first.year, 1, 1)), last.year + 1))
    return [dt.date(y, 1, 1) for y in years[:: max(1, math.ceil(len(years) / 6))]]


def pair_timeline(points: pd.DataFrame, pairs: list[str]) -> str:
    """One row per actor pair, one dot per day and event type, coloured by the type; a dot that
    stands for several events is larger (one dot per event made a 10 MB page of 100,000 dots)."""
    days = [d if isinstance(d, dt.date) else pd.Timestamp(d).date() for d in points["event_date"].tolist()]
    first, last = min(days), max(days)
    span = max((last - first).days, 1)
    types = sorted(points["event_type"].unique())
    colour = {kind: _PALETTE[i % len(_PALETTE)] for i, kind in enumerate(types)}
    labels = [_short(p, 48) for p in pairs]
    left = 8 + max((len(label) for label in labels), default=1) * _CHAR
    top, row, plot_w = 8, 24, 520.0
    plot_h = row * len(pairs)

    def x_of(day: dt.date) -> float:
        return left + 12 + (day - first).days / span * (plot_w - 24)

    body = []
    ticks = _date_ticks(first, last)
    long_span = (last - first).days > 92
    for tick in ticks:
        x = x_of(tick)
        body.append(f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{top + plot_h}" stroke="{_GRID}"/>')
        body.append(_text_el(x, top + plot_h + 14, tick.strftime("%Y-%m" if long_span else "%Y-%m-%d"), "middle"))
    for i, label in enumerate(labels):
        body.append(_text_el(left - 6, top + i * row + row / 2 + 4, label, "end"))
    row_of = {pair: i for i, pair in enumerate(pairs)}
    dots = Counter(zip(points["pair"].tolist(), points["event_type"].tolist(), days))
    for (pair, kind, day), n in sorted(dots.items(), key=lambda p: (p[0][2], p[0][0], p[0][1])):
        y = top + row_of[pair] * row + row / 2
        radius = 5 if n == 1 else min(9.0, 5 + math.log2(n))
        title = "" if n == 1 else f"<title>{n} {esc(kind)} events on {day.isoformat()}</title>"
        body.append(f'<circle cx="{_num(x_of(day))}" cy="{_num(y)}" r="{_num(radius)}" fill="{colour[kind]}" '
                    f'fill-opacity="0.85" stroke="white" stroke-width="0.5">{title}</circle>')
    width, height = left + plot_w + 10, top + plot_h + 24
    parts, legend_w = _legend(width + 6, top, [str(t) for t in types], lambda i: _PALETTE[i % len(_PALETTE)],
                              "event type")
    body += parts
    return _svg(width + 12 + legend_w, max(height, top + 16 * (len(types) + 1) + 8), "events of the top actor pairs over time",
                body)


# ---------------------------------------------------------------- html pieces

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


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{esc(title)}</h2>\n{body}\n</section>'


def _frame(tables: dict[str, pa.Table], name: str) -> pd.DataFrame:
    table = tables.get(name)
    if table is None:
        return pd.DataFrame()
    if "body" in table.column_names:   # no section shows article text; converting it cost the most
        table = table.drop_columns(["body"])
    return table.to_pandas()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _label(value, missing: str = "(unknown)") -> str:
    return missing if _missing(value) else str(value)


def _counts(values, missing: str = "(unknown)") -> list[tuple[str, int]]:
    """(label, count), most frequent first; missing values counted under one label."""
    counter: Counter = Counter()
    # tolist: iterating an Arrow-backed column makes a Python call per value, 10x slower
    for value, n in Counter(values.tolist() if isinstance(values, pd.Series) else values).items():   # distinct values first: labels are made once each
        counter[_label(value, missing)] += n
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] == missing, kv[0]))


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


def _outlets(articles: pd.DataFrame) -> str:
    if articles.empty:
        return empty_note("The articles table is empty in this version.")
    counts = _counts(articles["outlet"])
    dups = articles.groupby(articles["outlet"].map(_label))["duplicate_of"].apply(lambda s: int(s.notna().sum()))
    words = articles.groupby(articles["outlet"].map(_label))["word_count"].median()
    rows = [[name, n, dups.get(name, 0), int(words.get(name, 0))] for name, n in counts]
    return barh_chart(counts[:TOP], "articles") + table_html(
        ["outlet", "articles", "of which duplicates", "median words"], rows, {1, 2, 3})


def _over_time(articles: pd.DataFrame) -> str:
    if articles.empty:
        return empty_note("The articles table is empty in this version.")
    dated = articles[articles["published_date"].notna()]
    note = (f"<p>{len(dated)} of {len(articles)} articles have a published date"
            + (f", from {esc(dated['published_date'].min())} to {esc(dated['published_date'].max())}."
               if len(dated) else ".") + "</p>")
    if dated.empty:
        return note + empty_note("No article has a published date, so there is nothing to plot.")
    sources = table_html(["date source", "articles"], _counts(articles["date_source"], "(no date)"), {1})
    return note + time_chart(dated["published_date"], None, "articles") + sources


def _article_list(articles: pd.DataFrame) -> str:
    if articles.empty:
        return empty_note("The articles table is empty in this version.")
    cols = ["published_date", "title", "outlet", "language", "word_count", "source_path", "duplicate_of"]
    listed = articles.sort_values(["published_date", "source_path"], na_position="last").head(MAX_LISTED)
    more = f"first {MAX_LISTED} of {len(articles)}" if len(articles) > MAX_LISTED else f"all {len(articles)}"
    opened = " open" if len(articles) <= 50 else ""
    return (f"<details{opened}><summary>Articles by published date ({more})</summary>"
            + table_html(["published", "title", "outlet", "lang", "words", "source", "duplicate of"],
                         listed[cols].values.tolist(), {4}) + "</details>")


def _rejects(rejects: pd.DataFrame, manifest: dict) -> str:
    if rejects.empty:
        return empty_note("No input was rejected in this version.")
    counts = _counts(rejects["reason"])
    by_stage = table_html(["stage", "reason", "rejects"],
                          [[s, r, n] for (s, r), n in rejects.groupby(["stage", "reason"]).size().items()], {2})
    listed = rejects.head(MAX_LISTED)
    detail = table_html(["source", "stage", "reason", "message"],
                        listed[["source_path", "stage", "reason", "message"]].values.tolist())
    more = f" (first {MAX_LISTED} of {len(rejects)})" if len(rejects) > MAX_LISTED else ""
    return (barh_chart(counts, "rejects") + by_stage
            + f"<details><summary>Every reject{more}</summary>{detail}</details>")


def _validation(rejects: pd.DataFrame) -> str:
    failed = rejects[rejects["reason"] == "validation_failed"] if not rejects.empty else rejects
    if failed.empty:
        return empty_note("No row failed validation: every row of every table passed its pandera checks.")
    groups = failed.fillna({"table": "?", "column": "(row)", "check": "?"}).groupby(["table", "column", "check"])
    rows = [[t, c, k, len(g), _short(_label(g["value"].iloc[0], ""), 80)] for (t, c, k), g in groups]
    rows.sort(key=lambda r: -r[3])
    return (f"<p>{_plural(len(failed), 'row')} quarantined into the rejects table.</p>"
            + table_html(["table", "column", "check", "rows", "example value"], rows, {3}))


def _quotes(quotes: pd.DataFrame, articles: pd.DataFrame) -> str:
    if quotes.empty:
        return empty_note("The quotes table is empty in this version (no quotes were extracted).")
    named = quotes[quotes["speaker"].notna()]
    parts = [f"<p>{len(quotes)} quotes in {quotes['article_id'].nunique()} articles; "
             f"{len(named)} have a named speaker.</p>", "<h3>Top speakers</h3>"]
    if named.empty:
        parts.append(empty_note("No quote has a resolved speaker."))
    else:
        # plain Python over the columns: a pandas group per speaker cost 0.3 s at 650 speakers;
        # only the top speakers' roles and kinds are shown, so only theirs are counted (10,700
        # speakers at 5,000 generated articles: 0.6 s -> 0.1 s)
        groups: dict[str, list[tuple]] = {}
        for row in zip(*(named[c].tolist() for c in ("speaker", "article_id", "speaker_role", "speaker_kind"))):
            groups.setdefault(row[0], []).append(row)
        top = sorted(groups, key=lambda speaker: (-len(groups[speaker]), speaker))[:TOP]
        rows = []
        for speaker in top:
            group = groups[speaker]
            roles = _counts([r[2] for r in group if not _missing(r[2])])
            rows.append([speaker, len(group), len({r[1] for r in group}),
                         "; ".join(r for r, _ in roles[:3]) or "—", _counts([r[3] for r in group])[0][0]])
        parts.append(barh_chart([(r[0], r[1]) for r in rows[:TOP]], "quotes"))
        parts.append(table_html(["speaker", "quotes", "articles", "roles", "kind"], rows[:TOP], {1, 2}))
    parts.append("<h3>Quote types</h3>")
    types = _counts(quotes["quote_type"])
    parts.append(barh_chart(types, "quotes") + table_html(["type", "quotes"], types, {1}))
    if not articles.empty:
        outlet = quotes.merge(articles[["article_id", "outlet"]], on="article_id", how="left")["outlet"]
        parts.append("<h3>Quotes per outlet</h3>" + table_html(["outlet", "quotes"], _counts(outlet), {1}))
    return "".join(parts)


def _name_lists(column: pa.ChunkedArray) -> list[list[str]]:
    """Per row of a list<struct<name, ...>> column, the non-empty names, read through Arrow
    (a Python pass over pandas' arrays of dicts cost 0.5 s at 100,000 events)."""
    out: list[list[str]] = [[] for _ in range(len(column))]
    base = 0
    for chunk in column.chunks:
        flat = pc.list_flatten(chunk)
        rows = pc.list_parent_indices(chunk).to_pylist()
        for row, name in zip(rows, pc.struct_field(flat, "name").to_pylist()):
            if name:
                out[base + row].append(name)
        base += len(chunk)
    return out


def actor_pairs(events: pa.Table) -> pd.DataFrame:
    """One row per (event, actor, recipient); an event with no recipient pairs its actor with '—'."""
    rows = []
    columns = [events.column(c).to_pylist() for c in ("event_id", "event_type", "event_date")]
    for event_id, event_type, event_date, actors, recipients in zip(
            *columns, _name_lists(events.column("actors")), _name_lists(events.column("recipients"))):
        for actor, recipient in itertools.product(actors or ["(unknown)"], recipients or ["—"]):
            rows.append((event_id, f"{actor} → {recipient}", event_type, event_date))
    return pd.DataFrame(rows, columns=["event_id", "pair", "event_type", "event_date"])


def _events(events: pd.DataFrame, table: pa.Table | None) -> str:
    if events.empty:
        return empty_note("The events table is empty in this version (no events were extracted).")
    dated = events[events["event_date"].notna()]
    parts = [f"<p>{len(events)} events in {events['article_id'].nunique()} articles; {len(dated)} dated.</p>",
             "<h3>Events by type</h3>", table_html(["event type", "events"], _counts(events["event_type"]), {1}),
             "<h3>Events by type over time</h3>"]
    parts.append(time_chart(dated["event_date"], dated["event_type"], "events") if len(dated)
                 else empty_note("No event has a date, so there is nothing to plot."))
    pairs = actor_pairs(table)
    parts.append("<h3>Top actor pairs</h3>")
    top = pairs["pair"].value_counts().head(TOP_PAIRS)
    rows = []
    for pair, n in top.items():
        sub = pairs[pairs["pair"] == pair]
        dates = sub["event_date"].dropna()
        rows.append([pair, n, ", ".join(t for t, _ in _counts(sub["event_type"])[:4]),
                     dates.min() if len(dates) else "—", dates.max() if len(dates) else "—"])
    points = pairs[pairs["pair"].isin(top.index) & pairs["event_date"].notna()]
    parts.append(pair_timeline(points, list(top.index)) if len(points)
                 else empty_note("None of the top actor pairs has a dated event, so there is no timeline."))
    parts.append(table_html(["actor → recipient", "events", "types", "first", "last"], rows, {1}))
    return "".join(parts)


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
    new_a, old_a = _frame(tables, "articles"), _frame(parent_tables, "articles")
    cols = ["article_id", "source_path", "outlet", "title"]
    new_ids = set(new_a["article_id"]) if len(new_a) else set()
    old_ids = set(old_a["article_id"]) if len(old_a) else set()
    for label, frame, ids in (("added", new_a, new_ids - old_ids), ("removed", old_a, old_ids - new_ids)):
        parts.append(f"<h3>Articles {label}: {len(ids)}</h3>")
        if ids:
            listed = frame[frame["article_id"].isin(ids)].sort_values("source_path").head(MAX_LISTED)
            parts.append(table_html(cols, listed[cols].values.tolist()))
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
    articles, rejects = _frame(tables, "articles"), _frame(tables, "rejects")
    bodies = {
        "overview": _overview(tables, manifest),
        "outlets": _outlets(articles),
        "time": _over_time(articles),
        "articles": _article_list(articles),
        "rejects": _rejects(rejects, manifest),
        "validation": _validation(rejects),
        "quotes": _quotes(_frame(tables, "quotes"), articles),
        "events": _events(_frame(tables, "events"), tables.get("events")),
        "changes": _changes(tables, manifest, parent_tables, parent_manifest),
    }
    version = esc(manifest.get("version", "?"))
    nav = "".join(f'<a href="#{a}">{esc(t)}</a>' for a, t in _SECTIONS)
    sections = "\n".join(_section(a, t, bodies[a]) for a, t in _SECTIONS)
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>news-dataset {version}</title><style>{_CSS}</style></head><body>"
            f"<h1>news-dataset — version {version}</h1><nav>{nav}</nav>\n{sections}\n"
            f"<footer><p>Generated from <code>manifest.json</code> and the Parquet tables of this version. "
            f"Load them with <code>from pipeline import load; load(\"articles\", version=\"{version}\")</code>.</p>"
            f"</footer></body></html>\n")


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
