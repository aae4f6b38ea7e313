"""Extraction quality metric of the Zyte article-extraction benchmark (word 4-gram shingles)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """The set of word n-grams of a text (tokens are runs of word characters)."""
    tokens = _TOKEN.findall(text or "")
    return {tuple(tokens[i : i + n]) for i in range(max(len(tokens) - n + 1, 0))}


def precision_recall(gold: str, predicted: str, n: int = 4) -> tuple[float, float]:
    """Shingle precision and recall of one page, as the benchmark defines them."""
    g, p = shingles(gold, n), shingles(predicted, n)
    tp, fp, fn = len(g & p), len(p - g), len(g - p)
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    if tp == 0:
        return 0.0, 0.0
    return tp / (tp + fp), tp / (tp + fn)


@dataclass(frozen=True)
class Score:
    precision: float
    recall: float
    f1: float
    pages: int


def corpus_score(pairs: Iterable[tuple[str, str]], n: int = 4) -> Score:
    """Macro-average precision and recall over (gold, predicted) pages; F1 of the averages."""
    ps, rs = [], []
    for gold, predicted in pairs:
        p, r = precision_recall(gold, predicted, n)
        ps.append(p)
        rs.append(r)
    if not ps:
        return Score(0.0, 0.0, 0.0, 0)
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return Score(p, r, f1, len(ps))


def corpus_sha256(root, folder: str, suffix: str) -> str:
    """Hash of a gold corpus (sorted page names and bytes of root/folder/*suffix, then gold.jsonl),
    which quality floors pin so that a changed corpus cannot pass silently (DESIGN rule 14)."""
    import hashlib
    from pathlib import Path

    root = Path(root)
    h = hashlib.sha256()
    for path in sorted((root / folder).glob(f"*{suffix}")):
        h.update(path.name.encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
    h.update(b"gold.jsonl\0")
    h.update((root / "gold.jsonl").read_bytes())
    return h.hexdigest()


def gold_rows(root) -> dict[str, dict]:
    """The gold.jsonl rows of a corpus folder, by page id."""
    import json
    from pathlib import Path

    lines = (Path(root) / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return {row["id"]: row for row in map(json.loads, lines)}


def page_document(path, fmt: str):
    """A gold corpus page as the RawDocument the parsers take (UTF-8, as the corpora are stored)."""
    import hashlib

    from pipeline.model import RawDocument, Source

    data = path.read_bytes()
    source = Source(path=path, rel_path=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
    return RawDocument(source=source, text=data.decode("utf-8"), format=fmt, encoding="utf-8")
