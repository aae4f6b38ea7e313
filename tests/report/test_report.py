"""The HTML report: sections, counts, charts, inert article text, empty tables, changes since the parent."""

from __future__ import annotations

import dataclasses
import hashlib
import html
import re
from pathlib import Path

import pytest

from report_data import HOSTILE_TITLE, article, filled_tables, manifest_of, reject, tables_of
from pipeline import store
from pipeline.report import REPORT, render_report, write_report
from pipeline.tabulate import to_arrow, to_frame, validate
from schemas import MODELS

SECTIONS = ("Overview", "Articles per outlet", "Articles over time", "Articles", "Rejects by reason", "Validation summary",
            "Quotes", "Events", "What changed since the parent version")


def _text(page: str) -> str:
    """Visible text of the page, charts removed, entities decoded."""
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _section(page: str, anchor: str) -> str:
    return page.split(f'<section id="{anchor}">', 1)[1].split("</section>", 1)[0]


@pytest.fixture(scope="module")
def filled_page() -> str:
    parent = tables_of([article(1), article(2), article(5)], rejects=[reject("empty.txt", "empty")])
    child = filled_tables()
    return render_report(child, manifest_of("v2", child, parent="v1"), parent, manifest_of("v1", parent))


def test_every_section_and_real_charts(filled_page):
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in filled_page
    # outlets, time, rejects, speakers, quote types, events over time, pair timeline
    assert filled_page.count("<svg") == 7
    assert "<script" not in filled_page.lower()
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", filled_page), "the page must need no network"
    ids = re.findall(r'\bid="([^"]+)"', filled_page)
    assert len(ids) == len(set(ids)), "element ids repeat between inline charts"


def test_hostile_article_text_is_inert(filled_page):
    assert "<script>alert(1)</script>" not in filled_page
    assert "</table> too" not in filled_page and "<b>Evil</b>" not in filled_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; and &lt;/table&gt; too" in filled_page
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; Co" in filled_page


def test_counts_outlets_rejects_and_validation(filled_page):
    overview = _text(_section(filled_page, "overview"))
    assert re.search(r"articles\s+4\s+quotes\s+5\s+events\s+4\s+rejects\s+3", overview)
    outlets = _text(_section(filled_page, "outlets"))
    for name in ("Harbour Gazette", "Valley Times", "<b>Evil</b> & Co", "(unknown)"):
        assert name in outlets
    assert "3 of 4 articles have a published date, from 2020-02-02 to 2020-04-04" in _text(filled_page)
    rejects = _text(_section(filled_page, "rejects"))
    assert "unsupported_format" in rejects and "blob.bin" in rejects
    validation = _text(_section(filled_page, "validation"))
    assert re.search(r"articles\s+published_date\s+not_in_future\s+1\s+2999-01-01", validation)


def test_speakers_types_and_events(filled_page):
    quotes = _text(_section(filled_page, "quotes"))
    assert re.search(r"Ana Silva\s+3\s+2\s+minister; finance minister\s+person", quotes)
    assert re.search(r"direct\s+2\s+indirect\s+2\s+partial\s+1", quotes)
    events = _text(_section(filled_page, "events"))
    assert "4 events in 2 articles; 3 dated." in events
    assert re.search(r"China → North Korea\s+2\s+ACCUSE, CONSULT\s+2020-02-02\s+2020-03-05", events)
    assert "Council → —" in events


def test_changes_since_parent(filled_page):
    changes = _text(_section(filled_page, "changes"))
    assert re.search(r"articles\s+3\s+4\s+\+1", changes) and re.search(r"quotes\s+0\s+5\s+\+5", changes)
    assert "Articles added: 2" in changes and "Articles removed: 1" in changes
    assert "a05.txt" in changes and "a03.txt" in changes
    assert re.search(r"inputs added\s+2\s+inputs removed\s+1", changes)


def test_empty_quotes_and_events_say_so_without_charts():
    tables = tables_of([article(1)])
    page = render_report(tables, manifest_of("v0", tables))
    assert "The quotes table is empty in this version" in page
    assert "The events table is empty in this version" in page
    assert "No input was rejected" in page and "No row failed validation" in page
    assert "This is the first version" in page
    assert page.count("<svg") == 2  # outlets and articles over time only


def test_empty_store_version_renders():
    tables = tables_of()
    page = render_report(tables, manifest_of("v0", tables))
    assert page.count("<svg") == 0 and page.count("The articles table is empty") == 3


def test_write_report_for_latest_and_named_versions(two_version_store):
    path = write_report(two_version_store)
    assert path == two_version_store / "20240501T100000Z-bbbbbbbb" / REPORT
    assert "Articles removed: 1" in path.read_text(encoding="utf-8")
    first = write_report(two_version_store, "20240101T000000Z-aaaaaaaa").read_text(encoding="utf-8")
    assert "This is the first version" in first
    assert not list(two_version_store.rglob(".report.html.*")), "no temp file left behind"


def test_missing_parent_still_reports(tmp_path):
    out = tmp_path / "processed"
    tables = filled_tables()
    store.write_version(out, "v2", tables, manifest_of("v2", tables, parent="v1-deleted"))
    assert "no longer in the store" in write_report(out).read_text(encoding="utf-8")


# ---------------------------------------------------------------- the seeds, through the real stages

def _seed_articles(seeds_dir: Path) -> list:
    try:
        from pipeline.clean import clean
        from pipeline.describe import describe
        from pipeline.model import RawDocument, Source
        from pipeline.parse.text import parse_text
    except ImportError as exc:
        pytest.skip(f"a stage is not importable yet: {exc}")
    articles = []
    for path in sorted(seeds_dir.glob("*.txt")):
        data = path.read_bytes()
        source = Source(path=path, rel_path=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
        raw = RawDocument(source=source, text=data.decode("utf-8"), format="txt", encoding="utf-8")
        articles.append(describe(clean(parse_text(raw))))
    return articles


def test_report_of_the_seeds(seeds_dir):
    articles = _seed_articles(seeds_dir)
    rows = [dataclasses.asdict(a) | {k: list(getattr(a, k)) for k in ("authors", "tags", "warnings")}
            for a in articles]
    model = MODELS["articles"]
    frame, bad = validate(to_frame(rows, model), model, "articles", lambda r: r["source_path"])
    assert not bad, f"seed rows fail validation: {bad}"
    tables = tables_of(rejects=[reject("notes.docx", "unsupported_format", "discover")])
    tables["articles"] = to_arrow(frame, model)
    page = render_report(tables, manifest_of("seeds", tables))
    text = _text(page)
    assert re.search(rf"articles\s+{len(articles)}\s+quotes\s+0\s+events\s+0\s+rejects\s+1", text)
    outlets = _text(_section(page, "outlets"))
    for a in articles:
        assert html.escape(a.title) in page, f"title of {a.source_path} missing or not escaped"
        assert (a.outlet or "(unknown)") in outlets
    dated = sum(1 for a in articles if a.published_date)
    assert f"{dated} of {len(articles)} articles have a published date" in text
    assert "The quotes table is empty" in text and "The events table is empty" in text
    for title in SECTIONS:
        assert f"<h2>{title}</h2>" in page


def test_pair_timeline_draws_one_dot_per_pair_type_and_day() -> None:
    import datetime as dt

    import pandas as pd

    from pipeline.report import pair_timeline

    day, other = dt.date(2024, 3, 1), dt.date(2024, 3, 9)
    points = pd.DataFrame({"pair": ["A → B"] * 4 + ["C → D"],
                           "event_type": ["ASSAULT", "ASSAULT", "ASSAULT", "CONSULT", "ASSAULT"],
                           "event_date": [day, day, day, day, other]})
    svg = pair_timeline(points, ["A → B", "C → D"])
    circles = re.findall(r"<circle [^>]*>(.*?)</circle>", svg)
    assert len(circles) == 3                                  # 3 ASSAULTs of A → B on one day: one dot
    assert "3 ASSAULT events on 2024-03-01" in svg
    radii = sorted(float(r) for r in re.findall(r'<circle [^>]*r="([\d.]+)"', svg))
    assert radii[:2] == [5.0, 5.0] and radii[2] > 5.0        # the shared dot is larger


# ---------------------------------------------------------------- aggregates computed on Arrow

def _chunked(tables: dict) -> dict:
    """The same rows, each table split into three chunks (tables built in a run are often chunked)."""
    import pyarrow as pa

    def split(table):
        if table.num_rows < 3:
            return table
        third = table.num_rows // 3
        return pa.concat_tables([table.slice(0, third), table.slice(third, third), table.slice(2 * third)])
    return {name: split(table) for name, table in tables.items()}


def test_chunked_tables_render_the_same_page():
    import datetime as dt

    from report_data import event, quote

    articles = [article(n, outlet=[None, "A", "B"][n % 3]) for n in range(1, 10)]
    ids = [a["article_id"] for a in articles]
    quotes = [quote(n, ids[n % 9], ["Ana", "Bo", None][n % 3], role=["mayor", None][n % 2]) for n in range(30)]
    events = [event(n, ids[n % 9], ["China", "Peru"][n % 2], [None, "Chile"][n % 2], ["CONSULT", "ACCUSE"][n % 2],
                    dt.date(2021, 1 + n % 12, 1) if n % 5 else None) for n in range(30)]
    tables = tables_of(articles, quotes, events, [reject(f"r{n}.txt", "empty") for n in range(5)])
    manifest = manifest_of("v", tables)
    assert render_report(_chunked(tables), manifest) == render_report(tables, manifest)


def test_pairs_of_several_actors_and_recipients_and_names_with_arrows():
    import datetime as dt

    from report_data import _actor, event

    day = dt.date(2024, 3, 1)
    both = event(1, "0" * 16, "x", None, "CONSULT", day)
    both["actors"] = [_actor("Ann"), _actor(""), _actor("Ben")]          # an empty name is no actor
    both["recipients"] = [_actor("Cy"), _actor("Di")]
    # "A → B" to "C" and "A" to "B → C" print the same pair, and are counted as one
    left = event(2, "0" * 16, "A → B", "C", "ACCUSE", day)
    right = event(3, "0" * 16, "A", "B → C", "ACCUSE", day)
    nobody = event(4, "0" * 16, "x", None, "PROTEST", None)
    nobody["actors"] = []
    tables = tables_of([article(1)], events=[both, left, right, nobody])
    events = _text(_section(render_report(tables, manifest_of("v", tables)), "events"))
    for pair in ("Ann → Cy", "Ann → Di", "Ben → Cy", "Ben → Di"):
        assert re.search(rf"{pair}\s+1\s+CONSULT\s+2024-03-01\s+2024-03-01", events)
    assert re.search(r"A → B → C\s+2\s+ACCUSE", events)
    assert re.search(r"\(unknown\) → —\s+1\s+PROTEST\s+—\s+—", events)


def test_top_speakers_most_quotes_first_then_by_name():
    from report_data import quote

    quotes = [quote(n, "0" * 16, speaker) for n, speaker in enumerate(["Cy"] * 3 + ["Bo"] * 2 + ["Al"] * 2 + [None])]
    tables = tables_of([article(1)], quotes=quotes)
    speakers = _text(_section(render_report(tables, manifest_of("v", tables)), "quotes"))
    assert re.search(r"Cy\s+3\s+1\s+—\s+person\s+Al\s+2\s+1\s+—\s+person\s+Bo\s+2", speakers)
    assert "8 quotes in 1 articles; 7 have a named speaker." in speakers
