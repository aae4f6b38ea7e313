"""Inline SVG charts for the version report: horizontal bars, stacked columns over time, a pair timeline."""

from __future__ import annotations

import datetime as dt
import html
import math
from collections import Counter

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # date32 values count days from 1970-01-01


def _value_counts(values: pa.Array | pa.ChunkedArray) -> list[tuple]:
    """(value, count) per distinct value of an Arrow array (null as None), in order of first appearance."""
    if len(values) == 0:
        return []
    counts = pc.value_counts(values)
    return list(zip(counts.field("values").to_pylist(), counts.field("counts").to_pylist()))


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
    """x with one decimal, a trailing ".0" dropped (the same text as rstrip("0").rstrip("."),
    since a one-decimal number only ends in 0 when its decimal is 0; called ~70,000 times)."""
    text = f"{x:.1f}"
    return text[:-2] if text[-1] == "0" else text


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


def _svg_parts(width: float, height: float, title: str, body: list[str]) -> list[str]:
    return [f'<figure><svg class="chart" width="{_num(width)}" height="{_num(height)}" '
            f'viewBox="0 0 {_num(width)} {_num(height)}" role="img" font-family="sans-serif" '
            f'font-size="{_FONT}" fill="#222"><title>{html.escape(title, quote=False)}</title>',
            *body, "</svg></figure>"]


def _svg(width: float, height: float, title: str, body: list[str]) -> str:
    return "".join(_svg_parts(width, height, title, body))


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


def _periods(dates: pa.ChunkedArray) -> tuple[pa.ChunkedArray, list[str]]:
    """Per date (no nulls), the index of its day, month or year (chosen from the span) from the
    first one's, and the label of every period from the first date to the last (gaps shown as zero,
    not skipped), as pandas' Period labels them."""
    bounds = pc.min_max(dates)
    first, last = bounds["min"].as_py(), bounds["max"].as_py()
    span = (last - first).days
    if span <= 92:
        keys = pc.subtract(dates.cast(pa.int32()).cast(pa.int64()), first.toordinal() - _EPOCH_ORDINAL)
        return keys, [(first + dt.timedelta(days=d)).isoformat() for d in range(span + 1)]
    if span <= 3 * 366:
        start = first.year * 12 + first.month - 1
        keys = pc.subtract(pc.add(pc.multiply(pc.year(dates), 12), pc.month(dates)), start + 1)
        months = range(start, last.year * 12 + last.month)
        return keys, [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in months]
    return pc.subtract(pc.year(dates), first.year), [str(y) for y in range(first.year, last.year + 1)]


def time_chart(dates: pa.ChunkedArray, groups: pa.ChunkedArray | None, ylabel: str) -> str:
    """Counts per day, month or year (chosen from the span); stacked by group when given.
    dates has no nulls; a null group is counted as "(none)"."""
    keys, labels = _periods(dates)
    if groups is None:
        counts = [0] * len(labels)
        for key, n in _value_counts(keys):
            counts[key] += n
        return _column_chart(labels, [("", counts)], ylabel, legend=False)
    cells = pa.table({"key": keys, "group": pc.fill_null(groups, "(none)")}).group_by(
        ["key", "group"], use_threads=False).aggregate([("key", "count")])
    per: dict[str, list[int]] = {}
    for key, group, n in zip(*(cells.column(c).to_pylist() for c in ("key", "group", "key_count"))):
        per.setdefault(group, [0] * len(labels))[key] += n
    # groups in name order, then by total, largest first (a stable sort keeps ties in name order)
    order = sorted(sorted(per), key=lambda group: -sum(per[group]))
    return _column_chart(labels, [(str(group), per[group]) for group in order], ylabel, legend=True)


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
    stands for several events is larger (one dot per event made a 10 MB page of 100,000 dots).
    points has one row per event: pair, event_type, event_date (dated events only)."""
    days = [(d if isinstance(d, dt.date) else pd.Timestamp(d).date()).toordinal()
            for d in points["event_date"].tolist()]
    types = sorted(points["event_type"].unique())
    row_of = {pair: i for i, pair in enumerate(pairs)}
    type_of = {kind: i for i, kind in enumerate(types)}
    dots = Counter(zip(points["pair"].tolist(), points["event_type"].tolist(), days))
    ordered = sorted(dots.items(), key=lambda p: (p[0][2], p[0][0], p[0][1]))
    return "".join(_timeline(pairs, types, *(np.array(column, dtype=np.int64) for column in zip(
        *[(row_of[pair], type_of[kind], day, n) for (pair, kind, day), n in ordered]))))


def _concat(strings: pa.Array) -> str:
    """All the strings of an array (no nulls) as one, decoded from the array's data buffer (a join
    through Python lists cost 30 ms for 90,000 strings)."""
    if len(strings) == 0:
        return ""
    wide = pa.types.is_large_string(strings.type)
    offsets = np.frombuffer(strings.buffers()[1], np.int64 if wide else np.int32, len(strings) + 1,
                            strings.offset * (8 if wide else 4))
    return str(memoryview(strings.buffers()[2])[offsets[0]:offsets[-1]], "utf-8")


def _timeline(pairs: list[str], types: list[str], rows: np.ndarray, kinds: np.ndarray, days: np.ndarray,
              counts: np.ndarray) -> list[str]:
    """The pair timeline from its dots, in drawing order: per dot the row of its pair, the index of
    its event type in types, its day (a proleptic ordinal) and its number of events. In parts, to
    be joined once with the page (the dots are megabytes, and each concatenation copies them)."""
    first, last = int(days.min()), int(days.max())
    span = max(last - first, 1)
    labels = [_short(p, 48) for p in pairs]
    left = 8 + max((len(label) for label in labels), default=1) * _CHAR
    top, row, plot_w = 8, 24, 520.0
    plot_h = row * len(pairs)

    def x_of(day: int) -> float:
        return left + 12 + (day - first) / span * (plot_w - 24)

    body = []
    ticks = _date_ticks(dt.date.fromordinal(first), dt.date.fromordinal(last))
    long_span = last - first > 92
    for tick in ticks:
        x = x_of(tick.toordinal())
        body.append(f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{top + plot_h}" stroke="{_GRID}"/>')
        body.append(_text_el(x, top + plot_h + 14, tick.strftime("%Y-%m" if long_span else "%Y-%m-%d"), "middle"))
    for i, label in enumerate(labels):
        body.append(_text_el(left - 6, top + i * row + row / 2 + 4, label, "end"))
    # tens of thousands of dots over a few thousand days, ten rows, a few types and sizes: each
    # piece of text is made once per day, row or (size, type), and Arrow assembles the dots
    day_values, day_at = np.unique(days, return_inverse=True)
    styles, style_at = np.unique(counts * len(types) + kinds, return_inverse=True)
    day_list = day_values.tolist()
    style_text = []
    for style in styles.tolist():
        n, kind = divmod(style, len(types))
        radius = 5 if n == 1 else min(9.0, 5 + math.log2(n))
        style_text.append(f'" r="{_num(radius)}" fill="{_PALETTE[kind % len(_PALETTE)]}" '
                          f'fill-opacity="0.85" stroke="white" stroke-width="0.5">'
                          + ("" if n == 1 else f"<title>{n} {esc(types[kind])} events on "))
    circles = pc.binary_join_element_wise(
        pa.array([f'<circle cx="{_num(x_of(d))}" cy="' for d in day_list]).take(day_at),
        pa.array([_num(top + i * row + row / 2) for i in range(len(pairs))]).take(rows),
        pa.array(style_text).take(style_at),
        pc.if_else(pa.array(counts > 1),
                   pa.array([f"{dt.date.fromordinal(d).isoformat()}</title>" for d in day_list]).take(day_at), ""),
        "</circle>", "")
    body.append(_concat(circles))
    width, height = left + plot_w + 10, top + plot_h + 24
    parts, legend_w = _legend(width + 6, top, [str(t) for t in types], lambda i: _PALETTE[i % len(_PALETTE)],
                              "event type")
    body += parts
    return _svg_parts(width + 12 + legend_w, max(height, top + 16 * (len(types) + 1) + 8),
                      "events of the top actor pairs over time", body)


# ---------------------------------------------------------------- html pieces
