"""Duplicate detection across the whole run: exact and near-duplicate bodies share one original."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from heapq import heapify, heappop
from itertools import chain

import numpy as np

from pipeline.model import Article

_TOKEN = re.compile(r"\w+")
SHINGLE = 5
# Shingles whose hash is 0 modulo SAMPLE index a body: a copy shares all its sampled shingles
# with the original however much boilerplate either adds, and a 600-word story indexes ~40.
SAMPLE = 16
# Containment of the shorter body's shingles in the longer one's. 0.8 keeps copies of one story
# saved with different boilerplate (a .txt dump and an .html page of it score 0.9+) and leaves
# out follow-up stories that reuse a few background paragraphs (they score well under 0.5).
CONTAINMENT = 0.8
MIN_SHARED = 0.5
# A sampled shingle found in this many originals is a stock phrase ("said in a statement on"):
# it stops indexing new articles, which keeps a 5,000-article run linear (the benchmark corpus's
# templates made dedupe take 8 minutes before this cap; real copies share many other shingles).
MAX_POSTINGS = 50


_MULTIPLIERS = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 1],
                        dtype=np.uint64)


class _TokenHashes(dict):
    """token -> odd CRC32, computed on first sight; lookups run in C through map()."""

    def __missing__(self, token: str) -> int:
        value = self[token] = zlib.crc32(token.encode()) | 1
        return value


def _shingles(body: str, token_hash: _TokenHashes) -> set[int]:
    """Hashes of the body's word 5-grams: per-token CRC32 combined with fixed odd multipliers
    (wrapping uint64 arithmetic), so the values are the same in every process and run."""
    tokens = _TOKEN.findall(body.casefold())
    hashes = np.array(list(map(token_hash.__getitem__, tokens)), dtype=np.uint64)
    if len(hashes) < SHINGLE:
        return {int(hashes.sum()) & 0xFFFFFFFF} if len(hashes) else {0}
    window = np.lib.stride_tricks.sliding_window_view(hashes, SHINGLE)
    combined = (window * _MULTIPLIERS).sum(axis=1, dtype=np.uint64) >> np.uint64(32)
    return set(combined.tolist())


def _sample_of(shingles: set[int]) -> tuple[int, ...]:
    return tuple(sorted(h for h in shingles if h % SAMPLE == 0)) or (min(shingles),)


class _ByteTokenHashes(dict):
    """_TokenHashes for ASCII tokens given as bytes (the same CRC32: token.encode() is the bytes)."""

    def __missing__(self, token: bytes) -> int:
        value = self[token] = zlib.crc32(token) | 1
        return value


# Characters outside ASCII that \w does not match and articles are full of (curly quotes, dashes,
# no-break spaces): a space in their place splits tokens exactly as they do, and a body that is
# ASCII once they are gone is tokenised with bytes.translate and bytes.split, 3-4x faster than
# _TOKEN.findall (its \w is [A-Za-z0-9_] on ASCII).
_NONWORD_CHARS = tuple(c for c in "“”‘’„«»—–…•·\u00a0\u2009\u202f" if not _TOKEN.match(c))
_ASCII_WORD_ONLY = bytes(c if chr(c).isalnum() or c == 0x5F else 0x20 for c in range(128)) + b" " * 128
# Token hashes kept between calls (a worker hashes one body at a time); cleared past this size, which
# bounds the cache at about 25 MB per worker (200,000 ten-character tokens measured with tracemalloc).
_HASH_CACHE_MAX = 200_000
_token_hashes = _TokenHashes()
_byte_token_hashes = _ByteTokenHashes()


def _token_hash_array(body: str) -> np.ndarray:
    """The per-token hashes _shingles combines, as a uint64 array."""
    text = body.casefold()
    for c in _NONWORD_CHARS:
        if c in text:
            text = text.replace(c, " ")
    if text.isascii():
        table = _byte_token_hashes
        if len(table) > _HASH_CACHE_MAX:
            table.clear()
        tokens = text.encode("ascii").translate(_ASCII_WORD_ONLY).split()
    else:
        table = _token_hashes
        if len(table) > _HASH_CACHE_MAX:
            table.clear()
        tokens = _TOKEN.findall(text)
    return np.array(list(map(table.__getitem__, tokens)), dtype=np.uint64)


def _sample(body: str) -> tuple[int, ...]:
    """_sample_of(_shingles(body, ...)) without building the set of every shingle."""
    hashes = _token_hash_array(body)
    if len(hashes) < SHINGLE:
        return (int(hashes.sum()) & 0xFFFFFFFF,) if len(hashes) else (0,)
    window = np.lib.stride_tricks.sliding_window_view(hashes, SHINGLE)
    combined = (window * _MULTIPLIERS).sum(axis=1, dtype=np.uint64) >> np.uint64(32)
    sampled = combined[combined % np.uint64(SAMPLE) == 0]
    return tuple(np.unique(sampled).tolist()) if len(sampled) else (int(combined.min()),)


def shingle_samples(bodies: Sequence[str]) -> list[tuple[int, ...]]:
    """Each body's sampled shingles, which index it in mark_duplicates. A pure function of the
    body, so a run keeps it with the article's cached result (pipeline.cache.Entry) and an
    incremental run hashes only the new articles' shingles. The same as
    _sample_of(_shingles(body, _TokenHashes())) for each body (tests/test_dedupe.py)."""
    return [_sample(body) for body in bodies]


def mark_duplicates(articles: Sequence[Article], samples: Mapping[str, Sequence[int]] | None = None) -> list[Article]:
    """Set duplicate_of on every later copy to the article_id of the earliest copy of its group.

    "Earliest" is by published date, then by source path, so the answer does not depend on the
    order in which batches finished. samples maps a source path to its shingle_samples() entry when it
    is known already (an incremental run keeps them in its cache); the others are computed. The
    full shingle sets are computed only for the pairs whose samples make them candidates.
    """
    by_path = {a.source_path: a for a in articles}
    originals = duplicate_origins([(a.published_date, a.source_path, a.article_id) for a in articles],
                                  samples or {}, lambda path: by_path[path].body)
    return [dataclasses.replace(a, duplicate_of=originals[a.source_path]) if a.source_path in originals else a
            for a in articles]


def duplicate_origins(keys: Sequence[tuple[dt.date | None, str, str]], samples: Mapping[str, Sequence[int]],
                      body_of: Callable[[str], str]) -> dict[str, str]:
    """{source_path: article_id of its original} for every copy among keys ((published_date,
    source_path, article_id) per article): what mark_duplicates sets, from the articles' dates,
    paths, ids and samples alone. body_of(path) gives a body when a pair needs its full shingles
    (an incremental run reads the cached articles' bodies only then)."""
    ordered = sorted(keys, key=lambda key: (key[0] or dt.date.max, key[1]))
    token_hash = _TokenHashes()
    full: dict[int, set[int]] = {}

    def shingles_of(i: int) -> set[int]:
        if i not in full:
            full[i] = _shingles(body_of(ordered[i][1]), token_hash)
        return full[i]

    sampled: list[Sequence[int]] = []
    for i, key in enumerate(ordered):
        known = samples.get(key[1])
        sampled.append(known if known is not None else _sample_of(shingles_of(i)))
    index: dict[int, list[int]] = {}
    original_of: dict[int, int] = {}
    shortest = 1 << 30   # the smallest sample among the indexed articles
    for i, sample in enumerate(sampled):
        shared = Counter(chain.from_iterable(filter(None, map(index.get, sample))))
        # every candidate's threshold below is at least this; one under it fails its own, and
        # has a smaller count than every candidate over it, so the loop would stop there anyway
        bound = MIN_SHARED * min(len(sample), shortest)
        # candidates by count, most first, then by position; a heap, because the loop below
        # nearly always stops at the first one (sorting every candidate took 40 % of the time)
        candidates = [(-count, j) for j, count in shared.items() if count >= bound]
        heapify(candidates)
        while candidates:
            negative, j = heappop(candidates)
            count = -negative
            # the sampled shingles estimate containment: a pair that shares under half of the
            # smaller sample cannot reach CONTAINMENT (0.8) but by a freak of sampling, so it is
            # not compared in full; candidates are sorted by count, so the rest are skipped too
            if count < MIN_SHARED * min(len(sample), len(sampled[j])):
                break
            sh, other = shingles_of(i), shingles_of(j)
            small, large = (sh, other) if len(sh) <= len(other) else (other, sh)
            if len(small & large) / len(small) >= CONTAINMENT:
                original_of[i] = j
                break
        if i not in original_of:  # only originals are indexed: copies point at them directly
            shortest = min(shortest, len(sample))
            for h in sample:
                postings = index.get(h)
                if postings is None:
                    index[h] = [i]
                elif len(postings) < MAX_POSTINGS:
                    postings.append(i)
    return {ordered[i][1]: ordered[j][2] for i, j in original_of.items()}
