"""Frozen dataclasses passed between the pipeline stages, and the one enum of reason codes."""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import Any


class Reason(str, Enum):
    """Why an input or a row did not become (or stay) an article row.

    One enum for rejects, quarantine and the manifest's counts (DESIGN.md rule 13).
    """

    # discover / read
    EMPTY = "empty"                      # zero bytes or whitespace only
    BINARY = "binary"                    # looks like a binary file (NUL bytes, magic numbers)
    TOO_BIG = "too_big"                  # over the configured size limit; never read whole
    UNDECODABLE = "undecodable"          # no encoding decodes it
    UNREADABLE = "unreadable"            # permission denied, vanished, I/O error
    UNSUPPORTED = "unsupported_format"   # extension we do not read
    BAD_SIDECAR = "bad_sidecar"          # sidecar .meta.json malformed or of wrong types (kept as warning)
    # parse / clean
    HTML_TIMEOUT = "html_timeout"        # trafilatura exceeded the per-document time limit
    HTML_CRASH = "html_crash"            # trafilatura raised
    NO_ARTICLE = "no_article"            # nothing that looks like article text was found
    TOO_SHORT = "too_short"              # body below the minimum length of an article
    # any stage, in a worker process
    TIMEOUT = "timeout"                  # a stage other than HTML extraction exceeded the per-document time limit
    CRASH = "crash"                      # the worker process died on this document outside HTML extraction
    # internal
    STAGE_ERROR = "stage_error"          # a stage raised on this document (bug; kept, not fatal)
    # validate
    VALIDATION = "validation_failed"     # a pandera check failed for the row


@dataclass(frozen=True)
class Source:
    """One input file found under the raw folder."""

    path: Path                     # absolute path
    rel_path: str                  # path relative to the raw folder, POSIX separators
    size: int
    sha256: str                    # hash of the raw bytes ("" when unreadable)
    sidecar: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    sidecar_error: str | None = None


@dataclass(frozen=True)
class RawDocument:
    """A source's bytes decoded to text."""

    source: Source
    text: str
    format: str                    # "txt", "md" or "html"
    encoding: str


@dataclass(frozen=True)
class Block:
    """One unit of page structure: a line or paragraph of a text dump, an element of HTML."""

    kind: str                      # heading, paragraph, list_item, quote, caption, table, meta, ...
    text: str
    level: int = 0                 # heading level or list depth
    line: int = -1                 # first line number in the raw text (-1 when unknown)


@dataclass(frozen=True)
class Signals:
    """Metadata clues a parser or the cleaner found; describe/ turns them into Article fields.

    Raw strings, not normalised: dates as written, bylines as written. Each date candidate is
    (text, signal_name) so that `date_source` can say which signal won.
    """

    title: str | None = None
    subtitle: str | None = None
    authors: tuple[str, ...] = ()
    published: tuple[tuple[str, str], ...] = ()
    updated: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    site_name: str | None = None
    url: str | None = None
    domains: tuple[str, ...] = ()          # domains the page names about itself (footers, contact lines)
    language: str | None = None


@dataclass(frozen=True)
class Document:
    """A parsed (and later cleaned) document: its blocks and what was dropped, with reasons."""

    raw: RawDocument
    blocks: tuple[Block, ...]
    signals: Signals = Signals()
    dropped: tuple[tuple[Block, str], ...] = ()   # (block, reason) removed by the cleaner

    @property
    def body(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)


@dataclass(frozen=True)
class Article:
    """One row of the articles table."""

    article_id: str
    source_path: str
    source_format: str
    content_sha256: str
    url: str | None
    outlet: str | None
    outlet_domain: str | None
    outlet_country: str | None
    outlet_signal: str | None
    title: str | None
    subtitle: str | None
    authors: tuple[str, ...]
    published_date: dt.date | None
    updated_date: dt.date | None
    date_source: str | None
    language: str | None
    tags: tuple[str, ...]
    body: str
    word_count: int
    paragraph_count: int
    duplicate_of: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reject:
    """One input or row that did not become an article, with a machine-readable reason."""

    source_path: str
    stage: str                     # discover, read, parse, clean, describe, validate
    reason: Reason
    message: str
    content_sha256: str | None = None
    table: str | None = None       # for validation failures: which table, column, check, value
    column: str | None = None
    check: str | None = None
    value: str | None = None


class StageError(Exception):
    """Raised by a stage for one document it cannot handle; becomes a reject, never a crash."""

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message


_FIELD_GETTERS: dict[type, operator.attrgetter] = {}


def _pickle_by_fields(self):
    """Pickle a row object as its constructor call. The default for a frozen dataclass rebuilds the
    instance dict attribute by attribute; over a 5,000-article cache (~210,000 quotes and events)
    loading took 1.45 s that way and 0.83 s this way (pipeline.cache, bench at 5,000). The fields
    are read by one attrgetter per class, in C (a generator of getattr calls took 0.9 s of
    saving that cache)."""
    cls = type(self)
    getter = _FIELD_GETTERS.get(cls)
    if getter is None:
        names = [f.name for f in fields(cls)]
        # attrgetter of one name returns the value itself, not a 1-tuple
        getter = _FIELD_GETTERS[cls] = (operator.attrgetter(*names) if len(names) > 1
                                        else (lambda obj, _n=names[0]: (getattr(obj, _n),)))
    return cls, getter(self)


@dataclass(frozen=True)
class Quote:
    """One row of the quotes table: a quotation in Article.body and who said it."""

    quote_id: str
    article_id: str
    quote_text: str                # == body[start_char:end_char]
    quote_type: str                # direct, partial, indirect
    start_char: int
    end_char: int
    speaker: str | None
    speaker_mention: str | None
    speaker_kind: str              # person, organisation, document, unnamed, unknown
    speaker_role: str | None
    speaker_id: str | None
    cue: str | None
    paragraph_index: int
    confidence: float

    __reduce__ = _pickle_by_fields


@dataclass(frozen=True)
class Actor:
    name: str
    country_code: str | None
    sector: str | None

    __reduce__ = _pickle_by_fields


@dataclass(frozen=True)
class Event:
    """One row of the events table: a PLOVER-coded event reported in Article.body."""

    event_id: str
    article_id: str
    event_type: str
    event_mode: str | None
    event_subtype: str | None
    contexts: tuple[str, ...]
    actors: tuple[Actor, ...]
    recipients: tuple[Actor, ...]
    event_date: dt.date | None
    event_date_end: dt.date | None
    date_precision: str            # day, week, month, year, unknown
    date_text: str | None
    date_source: str               # explicit, relative, publication_fallback
    factuality: str                # asserted, negated, hypothetical, future
    is_background: bool
    location_text: str | None
    location_country_code: str | None
    dead: int | None
    injured: int | None
    sentence: str
    start_char: int
    end_char: int
    quote_id: str | None
    confidence: float
    event_cluster_id: str

    __reduce__ = _pickle_by_fields
