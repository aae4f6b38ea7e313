"""One self-contained HTML report per version: counts, time series, rejects, quotes, events, changes."""

from __future__ import annotations

import html
import io
import itertools
import os
import re
from collections import Counter
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
import pyarrow as pa

matplotlib.use("Agg")  # never a display: reports are rendered in CI and on headless servers

from matplotlib.figure import Figure  # noqa: E402  (after the backend is chosen)

from pipeline import store  # noqa: E402

REPORT = "report.html"
TOP = 20  # rows shown in "top" tables; the full data is one `load(...)` away
TOP_PAIRS = 10
MAX_LISTED = 200  # rejects and changed articles listed in full up to this many
_CHART_RC = {
    "svg.fonttype": "path",      # glyphs as paths: the file needs no fonts and shows the same everywhere
    "svg.hashsalt": "news-dataset",  # stable ids: the same data renders the same file
    "text.parse_math": False,    # "$" in an outlet or speaker name is text, not mathtext
    "font.size": 9,
}
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SVG_ID = re.compile(r'id="([^"]+)"')
_chart_counter = itertools.count()


def esc(value) -> str:
    """Any value as inert HTML text (article text is hostile: titles may hold markup)."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return html.escape(str(value), quote=True)


# ---------------------------------------------------------------- charts

def _svg(fig: Figure) -> str:
    """A figure as an inline <svg> element with ids unique in the page."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = _COMMENT.sub("", svg)  # matplotlib repeats every label in a comment; labels are data
    prefix = f"c{next(_chart_counter)}-"
    for name in set(_SVG_ID.findall(svg)):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}{name}"')
        svg = svg.replace(f'"#{name}"', f'"#{prefix}{name}"').replace(f"url(#{name})", f"url(#{prefix}{name})")
    svg = svg.replace("<svg", '<svg class="chart"', 1)
    return f'<figure>{svg}</figure>'


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def barh_chart(counts: list[tuple[str, int]], xlabel: str) -> str:
    """Horizontal bars, largest on top."""
    with matplotlib.rc_context(_CHART_RC):
        fig = _figure(7.5, 0.8 + 0.28 * len(counts))
        ax = fig.add_subplot()
        labels = [_short(str(k)) for k, _ in counts][::-1]
        values = [v for _, v in counts][::-1]
        ax.barh(range(len(values)), values, color="#3b6ea8")
        ax.set_yticks(range(len(values)), labels)
        ax.set_xlabel(xlabel)
        ax.xaxis.get_major_locator().set_params(integer=True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        return _svg(fig)


def _granularity(dates: pd.Series) -> str:
    span = (dates.max() - dates.min()).days
    if span <= 92:
        return "D"
    return "M" if span <= 3 * 366 else "Y"


def _periods(dates: pd.Series, freq: str) -> pd.PeriodIndex:
    """Every period from the first date to the last (gaps shown as zero, not skipped)."""
    return pd.period_range(dates.min().to_period(freq), dates.max().to_period(freq), freq=freq)


def time_chart(dates: pd.Series, groups: pd.Series | None, ylabel: str) -> str:
    """Counts per day, month or year (chosen from the span); stacked by group when given."""
    dates = pd.to_datetime(dates)
    freq = _granularity(dates)
    periods = _periods(dates, freq)
    keys = dates.dt.to_period(freq)
    with matplotlib.rc_context(_CHART_RC):
        fig = _figure(9, 3.2)
        ax = fig.add_subplot()
        x = range(len(periods))
        if groups is None:
            counts = keys.value_counts().reindex(periods, fill_value=0)
            ax.bar(x, counts.values, color="#3b6ea8", width=0.85)
        else:
            table = pd.crosstab(keys, groups.fillna("(none)")).reindex(periods, fill_value=0)
            order = table.sum().sort_values(ascending=False).index
            bottom = [0] * len(periods)
            colors = matplotlib.colormaps["tab20"]
            for i, name in enumerate(order):
                ax.bar(x, table[name].values, bottom=bottom, width=0.85, label=_short(str(name), 24),
                       color=colors(i % 20))
                bottom = [b + v for b, v in zip(bottom, table[name].values)]
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
        step = max(1, len(periods) // 12)
        ax.set_xticks(list(x)[::step], [str(p) for p in periods][::step], rotation=45, ha="right")
        ax.set_ylabel(ylabel)
        ax.yaxis.get_major_locator().set_params(integer=True)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        return _svg(fig)


def pair_timeline(points: pd.DataFrame, pairs: list[str]) -> str:
    """One row per actor pair, one dot per dated event, coloured by event type."""
    with matplotlib.rc_context(_CHART_RC):
        fig = _figure(9, 1.0 + 0.35 * len(pairs))
        ax = fig.add_subplot()
        colors = matplotlib.colormaps["tab20"]
        types = sorted(points["event_type"].unique())
        row = {pair: len(pairs) - 1 - i for i, pair in enumerate(pairs)}
        for i, kind in enumerate(types):
            sub = points[points["event_type"] == kind]
            ax.scatter(pd.to_datetime(sub["event_date"]), sub["pair"].map(row), s=36, label=kind,
                       color=colors(i % 20), alpha=0.85, edgecolors="white", linewidths=0.5)
        ax.set_yticks(list(row.values()), [_short(p, 48) for p in row])
        ax.set_ylim(-0.7, len(pairs) - 0.3)
        ax.grid(axis="x", color="#ddd")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, title="event type")
        locator = mdates.AutoDateLocator(maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        return _svg(fig)


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
    return table.to_pandas() if table is not None else pd.DataFrame()


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _label(value, missing: str = "(unknown)") -> str:
    return missing if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA else str(value)


def _counts(series: pd.Series, missing: str = "(unknown)") -> list[tuple[str, int]]:
    counter = Counter(_label(v, missing) for v in series)
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
        rows = []
        for speaker, group in named.groupby("speaker"):
            roles = _counts(group["speaker_role"].dropna())
            rows.append([speaker, len(group), group["article_id"].nunique(),
                         "; ".join(r for r, _ in roles[:3]) or "—", _counts(group["speaker_kind"])[0][0]])
        rows.sort(key=lambda r: (-r[1], r[0]))
        parts.append(barh_chart([(r[0], r[1]) for r in rows[:TOP]], "quotes"))
        parts.append(table_html(["speaker", "quotes", "articles", "roles", "kind"], rows[:TOP], {1, 2}))
    parts.append("<h3>Quote types</h3>")
    types = _counts(quotes["quote_type"])
    parts.append(barh_chart(types, "quotes") + table_html(["type", "quotes"], types, {1}))
    if not articles.empty:
        outlet = quotes.merge(articles[["article_id", "outlet"]], on="article_id", how="left")["outlet"]
        parts.append("<h3>Quotes per outlet</h3>" + table_html(["outlet", "quotes"], _counts(outlet), {1}))
    return "".join(parts)


def _names(actors) -> list[str]:
    if actors is None or (not isinstance(actors, (list, tuple)) and not hasattr(actors, "__len__")):
        return []
    return [a["name"] for a in actors if a is not None and a.get("name")]


def actor_pairs(events: pd.DataFrame) -> pd.DataFrame:
    """One row per (event, actor, recipient); an event with no recipient pairs its actor with '—'."""
    rows = []
    for event in events.itertuples(index=False):
        actors = _names(event.actors) or ["(unknown)"]
        recipients = _names(event.recipients) or ["—"]
        for actor, recipient in itertools.product(actors, recipients):
            rows.append((event.event_id, f"{actor} → {recipient}", event.event_type, event.event_date))
    return pd.DataFrame(rows, columns=["event_id", "pair", "event_type", "event_date"])


def _events(events: pd.DataFrame) -> str:
    if events.empty:
        return empty_note("The events table is empty in this version (no events were extracted).")
    dated = events[events["event_date"].notna()]
    parts = [f"<p>{len(events)} events in {events['article_id'].nunique()} articles; {len(dated)} dated.</p>",
             "<h3>Events by type</h3>", table_html(["event type", "events"], _counts(events["event_type"]), {1}),
             "<h3>Events by type over time</h3>"]
    parts.append(time_chart(dated["event_date"], dated["event_type"], "events") if len(dated)
                 else empty_note("No event has a date, so there is nothing to plot."))
    pairs = actor_pairs(events)
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
        "events": _events(_frame(tables, "events")),
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


def _load_version(out: Path, version: str) -> dict[str, pa.Table]:
    return {name: store.load_table(out, name, version) for name in store.TABLES}


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
            parent_tables = _load_version(out, parent)
        except OSError:  # a parent with a missing table still gives the counts delta
            parent_tables = None
    text = render_report(_load_version(out, name), manifest, parent_tables, parent_manifest)
    path = out / name / REPORT
    tmp = path.with_name(f".{REPORT}.{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
