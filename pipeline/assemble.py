"""Entries -> the version's four tables: ids, duplicates, rows, validation, offsets and rejects."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
from collections import Counter
from collections.abc import Callable
from typing import Any

from pipeline import cache, incremental
from pipeline.dedupe import duplicate_origins, mark_duplicates
from pipeline.extract import extract
from pipeline.model import Article, Event, Quote, Reason, Reject, Source
from pipeline.tabulate import to_arrow, to_frame, validate
from schemas import MODELS, arrow_schema


# dataclasses.asdict deep-copies every value; over 2,000 cached articles and their events it took
# 1.3 s of a 3 s incremental run (bench_refresh). Tables are built as columns, one attrgetter
# pass per table (a dict per row took another 0.1 s at 2,000 articles).
_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_QUOTE_FIELDS = tuple(f.name for f in dataclasses.fields(Quote))
_EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
_ACTOR_FIELDS = ("name", "country_code", "sector")


# The columns of a cached article's row that can differ from the run that validated it: ids are
# salted and copies marked across the whole run, and "not in the future" moves with the clock.
# Everything else in the row is the cached Article as it was (tabulate.validate, known_valid).
_CHANGING_ARTICLE_COLUMNS = ("article_id", "duplicate_of", "published_date", "updated_date")


def _columns(items: list, fields: tuple[str, ...]) -> dict[str, list]:
    """{field: [item.field for item in items]}, for tabulate.to_frame."""
    if not items:
        return {name: [] for name in fields}
    return dict(zip(fields, map(list, zip(*map(operator.attrgetter(*fields), items)))))


def _article_rows(articles: list[Article]) -> dict[str, list]:
    columns = _columns(articles, _ARTICLE_FIELDS)
    for key in ("authors", "tags", "warnings"):
        columns[key] = [list(value) for value in columns[key]]
    return columns


def _offsets_hold(rows: list, table: str, text_field: str, body_of: dict[str, str],
                  path_of: dict[str, str], trusted: set[str] = frozenset()) -> tuple[list, list[Reject]]:
    """Keep rows whose text is exactly body[start:end] (DESIGN rule 10); quarantine the others.

    Rows of the articles in trusted (checked when they were cached, with the same body) are kept
    unchecked."""
    good, bad = [], []
    for row in rows:
        if row.article_id in trusted:
            good.append(row)
            continue
        body = body_of.get(row.article_id, "")
        text = getattr(row, text_field)
        if 0 <= row.start_char < row.end_char <= len(body) and body[row.start_char:row.end_char] == text:
            good.append(row)
        else:
            bad.append(Reject(path_of.get(row.article_id, "?"), "validate", Reason.VALIDATION,
                              f"{table}: {text_field} is not body[start_char:end_char]", None, table,
                              text_field, "offsets_match_body", f"{row.start_char}:{row.end_char} {text[:200]!r}"))
    return good, bad


def _quote_rows(quotes: list[Quote]) -> dict[str, list]:
    return _columns(quotes, _QUOTE_FIELDS)


def _event_rows(events: list[Event]) -> dict[str, list]:
    columns = _columns(events, _EVENT_FIELDS)
    columns["contexts"] = [list(value) for value in columns["contexts"]]
    # Actor dataclasses become dicts, as Arrow structs want
    for key in ("actors", "recipients"):
        columns[key] = [[{f: getattr(actor, f) for f in _ACTOR_FIELDS} for actor in actors] for actors in columns[key]]
    return columns


def _reject_rows(rejects: list[Reject]) -> list[dict[str, Any]]:
    rows = []
    for reject in rejects:
        row = dataclasses.asdict(reject)
        row["reason"] = Reason(reject.reason).value
        rows.append(row)
    return rows


def _unique_ids(articles: list[Article], extracted: dict[str, tuple[list[Quote], list[Event]]]
                ) -> tuple[list[Article], dict[str, tuple[list[Quote], list[Event]]]]:
    """Byte-identical files share a content hash; later paths get an id salted with their path
    (and their quotes and events are extracted again so that their ids follow)."""
    seen: set[str] = set()
    result, by_id = [], {}
    for article in sorted(articles, key=lambda a: a.source_path):
        if article.article_id in seen:
            salted = hashlib.sha256(f"{article.content_sha256}:{article.source_path}".encode()).hexdigest()[:16]
            article = dataclasses.replace(article, article_id=salted)
            by_id[article.article_id] = extract(article)
        else:
            by_id[article.article_id] = extracted.get(article.article_id, ([], []))
        seen.add(article.article_id)
        result.append(article)
    return result, by_id


@dataclasses.dataclass
class Built:
    """A version's tables and what its manifest and index say about them."""

    tables: dict[str, Any]           # name -> pa.Table, the version's four tables
    rejects: list[Reject]            # every reject, sorted as in the rejects table
    stats: Counter
    duplicates: int                  # articles marked as copies (validated or not)
    index: dict[str, incremental.Indexed]
    from_parent: bool = False


def _tables_of(articles: list[Article], extracted: dict[str, tuple[list[Quote], list[Event]]],
               fresh: dict[str, cache.Entry], known_valid: set[str], checked: dict[str, str]
               ) -> tuple[dict[str, Any], list[Reject]]:
    """Articles (sorted by path, ids unique, duplicates marked) and their quotes and events as
    validated Arrow tables, and the rows quarantined. Sets the fresh entries' validity flags.

    known_valid: paths of articles whose row passed validation when cached; checked: path ->
    article_id of cached articles whose quotes' and events' offsets were checked then.
    """
    frames, row_rejects = {}, []
    path_of = {a.article_id: a.source_path for a in articles}
    frame = to_frame(_article_rows(articles), MODELS["articles"])
    frames["articles"], bad = validate(frame, MODELS["articles"], "articles", lambda row: row["source_path"],
                                       frame["source_path"].isin(known_valid), _CHANGING_ARTICLE_COLUMNS)
    row_rejects += bad
    valid = set(frames["articles"]["source_path"])
    for entry in fresh.values():
        entry.row_valid = isinstance(entry.result, Article) and entry.result.source_path in valid
    # quotes and events of an article that failed validation leave with it (it is in rejects)
    kept = set(frames["articles"]["article_id"])
    # rows cached with their offsets checked, of articles whose id did not change (a salted id
    # means extracted again), are not checked again (0.4 s of a +1 % run at 5,000)
    trusted = {aid for aid in kept if checked.get(path_of[aid]) == aid}
    quotes = [q for aid in sorted(kept) for q in extracted[aid][0]]
    events = [e for aid in sorted(kept) for e in extracted[aid][1]]
    body_of = {a.article_id: a.body for a in articles}
    quotes, bad_quotes = _offsets_hold(quotes, "quotes", "quote_text", body_of, path_of, trusted)
    events, bad_events = _offsets_hold(events, "events", "sentence", body_of, path_of, trusted)
    row_rejects += bad_quotes + bad_events
    off = {r.source_path for r in bad_quotes + bad_events}
    for entry in fresh.values():
        entry.offsets_valid = (entry.row_valid and entry.result.source_path not in off
                               and path_of.get(entry.result.article_id) == entry.result.source_path)
    for table, rows in (("quotes", _quote_rows(quotes)), ("events", _event_rows(events))):
        frames[table], bad = validate(to_frame(rows, MODELS[table]), MODELS[table], table,
                                      lambda row: path_of.get(row["article_id"], "?"))
        row_rejects += bad
    return {name: to_arrow(frame, MODELS[name]) for name, frame in frames.items()}, row_rejects


def _with_rejects(tables: dict[str, Any], rejects: list[Reject]) -> list[Reject]:
    """Sort the rejects as the table lists them and add the rejects table to tables."""
    rejects = sorted(rejects, key=lambda r: (r.source_path, r.stage))
    frame = to_frame(_reject_rows(rejects), MODELS["rejects"])
    MODELS["rejects"].validate(frame)  # a bad reject row is our bug: fail loudly
    tables["rejects"] = to_arrow(frame, MODELS["rejects"])
    return rejects


def rebuild(sources: list[Source], keys: dict[str, str], fresh: dict[str, cache.Entry],
             stored: dict[str, cache.Entry], rejects: list[Reject]) -> Built:
    """The tables from every input's entry (fresh or cached): ids, duplicates and rows over all."""
    entries = [fresh.get(keys[s.rel_path]) or stored[keys[s.rel_path]] for s in sources]
    known_valid = {e.result.source_path for e in entries if e.row_valid and isinstance(e.result, Article)}
    checked = {e.result.source_path: e.result.article_id for e in entries
               if e.offsets_valid and isinstance(e.result, Article)}
    articles = [e.result for e in entries if isinstance(e.result, Article)]
    rejects = rejects + [e.result for e in entries if isinstance(e.result, Reject)]
    stats = sum((e.stats for e in entries), Counter())
    extracted = {e.result.article_id: (e.quotes, e.events) for e in entries if isinstance(e.result, Article)}
    samples = {e.result.source_path: e.dedupe_sample for e in entries if isinstance(e.result, Article)}
    articles, extracted = _unique_ids(articles, extracted)
    articles = mark_duplicates(articles, samples)
    tables, row_rejects = _tables_of(articles, extracted, fresh, known_valid, checked)
    index = {keys[s.rel_path]: incremental.Indexed(e.dedupe_sample, e.stats)
             for s, e in zip(sources, entries) if e.cacheable}
    return Built(tables, _with_rejects(tables, rejects + row_rejects), stats,
                  sum(1 for a in articles if a.duplicate_of), index)


def from_parent(parent_tables: Callable[[], dict[str, Any] | None], index: dict[str, incremental.Indexed],
                sources: list[Source], keys: dict[str, str], fresh: dict[str, cache.Entry],
                rejects: list[Reject]) -> Built | None:
    """The tables from the parent's rows of unchanged inputs and the fresh entries of the others,
    exactly as _rebuild would make them; None when that cannot be guaranteed (see
    incremental.parent_rows; or a new input's id or a quote's or event's id already taken)."""
    reused = {s.rel_path: keys[s.rel_path] for s in sources if keys[s.rel_path] in index}
    old = incremental.parent_rows(parent_tables(), set(reused))
    if old is None:
        return None
    new = [fresh[keys[s.rel_path]] for s in sources if s.rel_path not in reused]
    articles = sorted((e.result for e in new if isinstance(e.result, Article)), key=lambda a: a.source_path)
    ids = [a.article_id for a in articles]
    if len(set(ids)) < len(ids) or old.article_ids().intersection(ids):
        return None   # bytes seen at another path: ids are salted over the whole run
    # duplicates over every article, from the parent's columns and the samples in its index
    columns = old.articles.select(["published_date", "source_path", "article_id"]).to_pydict()
    marks = list(zip(columns["published_date"], columns["source_path"], columns["article_id"]))
    marks += [(a.published_date, a.source_path, a.article_id) for a in articles]
    samples = {path: index[key].dedupe_sample for path, key in reused.items()}
    samples |= {e.result.source_path: e.dedupe_sample for e in new if isinstance(e.result, Article)}
    position = {path: i for i, path in enumerate(columns["source_path"])}
    new_bodies = {a.source_path: a.body for a in articles}
    old_bodies = old.articles.column("body")
    originals = duplicate_origins(marks, samples, lambda path: new_bodies[path] if path in new_bodies
                                  else old_bodies[position[path]].as_py())
    articles = [dataclasses.replace(a, duplicate_of=originals[a.source_path]) if a.source_path in originals
                else a for a in articles]
    extracted = {e.result.article_id: (e.quotes, e.events) for e in new if isinstance(e.result, Article)}
    fresh_tables, row_rejects = _tables_of(articles, extracted, fresh, set(), {})
    tables = {
        "articles": incremental.merge(incremental.with_duplicates(old.articles, originals),
                                      fresh_tables["articles"], "source_path", arrow_schema(MODELS["articles"])),
        "quotes": incremental.merge(old.quotes, fresh_tables["quotes"], "article_id", arrow_schema(MODELS["quotes"])),
        "events": incremental.merge(old.events, fresh_tables["events"], "article_id", arrow_schema(MODELS["events"])),
    }
    if not (incremental.unique(tables["quotes"], "quote_id") and incremental.unique(tables["events"], "event_id")):
        return None
    stats = sum((index[key].stats for key in reused.values()), Counter()) + sum((e.stats for e in new), Counter())
    rejects = rejects + old.rejects + [e.result for e in new if isinstance(e.result, Reject)] + row_rejects
    kept = {key: index[key] for key in reused.values()}
    kept |= {keys[s.rel_path]: incremental.Indexed(fresh[keys[s.rel_path]].dedupe_sample, fresh[keys[s.rel_path]].stats)
             for s in sources if s.rel_path not in reused and fresh[keys[s.rel_path]].cacheable}
    return Built(tables, _with_rejects(tables, rejects), stats, len(originals), kept, True)
