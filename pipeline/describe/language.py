"""Language of an article as an ISO 639-1 code: a valid hint, else py3langid on the first characters."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"
SAMPLE_CHARS = 2000
# Fewer words than this: too short to tell. Tuned on the 88 zyte-articles gold bodies
# (random 20-word windows, 5 per page): 98.0 % agree with the page's own full-text label.
MIN_UNITS = 20
# py3langid 0.4 normalised probability (softmax with temperature sqrt(bytes)). On the same
# 20-word windows, keeping p >= 0.7 kept 95.0 % of them at 100 % agreement (0.5: 98.2 % kept,
# 99.3 %); every full body (first 2,000 chars) scored >= 0.799 (an Indonesian page, id vs ms).
MIN_PROBABILITY = 0.7
# Scripts written without spaces: each character counts as a word towards MIN_UNITS.
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")
_HINT = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def _load_codes() -> tuple[frozenset[str], dict[str, str]]:
    codes: set[str] = set()
    aliases: dict[str, str] = {}
    for line in (DATA / "iso639_1.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) == 1:
            codes.add(parts[0])
        elif len(parts) == 2:
            aliases[parts[0]] = parts[1]
    return frozenset(codes), aliases


CODES, ALIASES = _load_codes()


def normalise_code(code: str | None) -> str | None:
    """'en-US' -> 'en', 'iw' -> 'he', 'yue' -> 'zh'; None when it is no ISO 639-1 language."""
    if not code or not isinstance(code, str):
        return None
    match = _HINT.match(code)
    if match is None:
        return None
    primary = match.group(1).lower()
    primary = ALIASES.get(primary, primary)
    return primary if primary in CODES else None


# py3langid walks its byte automaton in a Python loop, one byte at a time (~1 ms for 2,000
# characters). The automaton is an Aho-Corasick machine over byte strings of at most
# _DFA_WINDOW bytes: its state after any text is the state reached from the start state over the
# text's last _DFA_WINDOW bytes alone. Checked exhaustively on the py3langid 0.4.0 model (104,583
# states x 256 bytes: every transition goes to the longest suffix of state label + byte that is
# itself a state label; the longest label is 6 bytes). So the state at every position is computed
# for all positions at once in numpy, _DFA_WINDOW steps, with the same counts in the same order
# (first occurrence, as collections.Counter keeps them): scores are bit-identical.
# tests/describe/test_language.py compares the two walks on many texts.
_DFA_WINDOW = 6
_DFA_SHAPE = (104_583, 9_816_576)   # states, transition table size of the model checked above


@lru_cache(maxsize=1)
def _identifier():
    import numpy as np
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    class FastIdentifier(LanguageIdentifier):
        __slots__ = ("_np_next", "_np_rowbase", "_np_out", "_np_ptc32")

        def _raw_score(self, text):
            if self._np_next is None:       # another py3langid or model: its own walk
                return super()._raw_score(text)
            visits = fast_visit_counts(self, text)
            if visits is None:
                return super()._raw_score(text)
            # py3langid's _sparse_score: np.log1p(counts) @ nb_ptc[idx] + nb_pc, where the
            # float16 rows are widened to float32 for the product; widening the table once
            # (57 MB) feeds the product the same float32 rows, 4x faster than gathering float16.
            idx, counts = visits
            return np.log1p(counts) @ self._np_ptc32[idx] + self.nb_pc

    ident = FastIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident._np_next = ident._np_rowbase = ident._np_out = ident._np_ptc32 = None
    try:
        shape = (len(ident._rowbase), len(ident.tk_nextmove))
        ok = shape == _DFA_SHAPE and len(ident.tk_output) == shape[0] and callable(ident._sparse_score)
    except (AttributeError, TypeError):
        ok = False
    if ok:
        ident._np_next = np.frombuffer(ident.tk_nextmove, dtype=np.dtype(ident.tk_nextmove.typecode))
        ident._np_rowbase = np.asarray(ident._rowbase, dtype=ident._np_next.dtype)
        ident._np_out = np.asarray(ident.tk_output, dtype=np.intp)
        ident._np_ptc32 = np.asarray(ident.nb_ptc, dtype=np.float32)
    return ident


def fast_visit_counts(ident, data: bytes):
    """py3langid.langid.visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data)
    computed in numpy (see _DFA_WINDOW): (features, counts as float32) in the Counter's order
    (first occurrence), or None when no feature occurs."""
    import numpy as np

    b = np.frombuffer(data, dtype=np.uint8).astype(np.uint32)
    n = len(b)
    nxt, rowbase = ident._np_next, ident._np_rowbase
    state = np.zeros(n, dtype=nxt.dtype)
    row = np.empty(n, dtype=nxt.dtype)
    for k in range(min(_DFA_WINDOW, n) - 1, -1, -1):
        # every position i >= k has read bytes up to i-k-1 (from at most _DFA_WINDOW back): now
        # byte i-k. state[k:] = nxt[rowbase[state[k:]] + b[:n - k]], written into preallocated
        # arrays (the same uint32 sums; the gather reads row, never state, so writing in place is safe)
        s, r = state[k:], row[k:]
        rowbase.take(s, out=r)
        r += b[:n - k]
        nxt.take(r, out=s)
    feats = ident._np_out[state]
    feats = feats[feats >= 0]
    m = len(feats)
    if not m:
        return None
    # Group equal features by one sort of feature * m + position (distinct keys, so any sort
    # order is the stable one; with the walk above, 0.18 -> 0.14 ms per benchmark article against
    # a stable argsort and fancy indexing): a group's first key holds its first occurrence, and
    # reading the groups at their first occurrences, in text order, gives the Counter's order.
    keys = feats * m + np.arange(m)
    keys.sort()
    ranked = keys // m
    new_group = np.empty(m, dtype=bool)
    new_group[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new_group[1:])
    starts = np.flatnonzero(new_group)
    counts = np.diff(np.append(starts, m))
    features = ranked[starts]
    in_text_order = np.argsort(keys[starts] - features * m)
    return features[in_text_order], counts[in_text_order].astype(np.float32)


@lru_cache(maxsize=1)
def _label_codes() -> dict[str, str | None]:
    """The model's labels as ISO 639-1 codes (None: not a language we report)."""
    return {label: normalise_code(label) if len(label) == 2 else ALIASES.get(label)
            for label in _identifier().nb_classes}


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of `text`: a valid `hint` (sidecar, <html lang>) wins; None when the
    text is too short (< 20 words) or the model is not confident (p < 0.7)."""
    code = normalise_code(hint)
    if code is not None:
        return code
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    if len(sample.split()) + len(_UNSPACED.findall(sample)) < MIN_UNITS:
        return None
    ident = _identifier()
    plan = _pool_plan()
    if plan is None:
        return _pooled_best(ident.rank(sample))
    # The code whose pooled probability reaches MIN_PROBABILITY, if one does: what _pooled_best
    # returns, without ranking and pooling every label. Since pooled probabilities sum to 1 and
    # MIN_PROBABILITY > 1/2, at most one code reaches it, and then it is the best one. A code of
    # one label pools 0.0 + p == p; the labels of one code are summed in rank order (descending;
    # equal values add up alike in any order), as _pooled_best sums them.
    singles, groups = plan
    scores = ident._decide(sample).tolist()     # what rank() sorts, one column per label
    for col, code in singles:
        if scores[col] >= MIN_PROBABILITY:
            return code
    for cols, code in groups:
        total = 0.0
        for probability in sorted((scores[c] for c in cols), reverse=True):
            total += probability
        if total >= MIN_PROBABILITY:
            return code
    return None


def _pooled_best(ranked) -> str | None:
    """The code from rank()'s (label, probability) list: labels of one macrolanguage (ar, arz,
    ary) pool their probability before the threshold."""
    pooled: dict[str | None, float] = defaultdict(float)
    codes = _label_codes()
    for label, probability in ranked:
        pooled[codes[label]] += probability
    pooled.pop(None, None)
    if not pooled:
        return None
    best, probability = max(pooled.items(), key=lambda item: item[1])
    return best if probability >= MIN_PROBABILITY else None


@lru_cache(maxsize=1)
def _pool_plan():
    """(singles, groups) for detect_language: the column rank() reads for each label (its first
    occurrence) grouped by ISO code, codes of one label apart; None when the shortcut does not
    apply (a threshold of 1/2 or less, or a py3langid without _decide)."""
    ident = _identifier()
    if MIN_PROBABILITY <= 0.5 or not callable(getattr(ident, "_decide", None)):
        return None
    first: dict[str, int] = {}
    for col, label in enumerate(ident.nb_classes):
        first.setdefault(label, col)
    by_code: dict[str, list[int]] = {}
    for label, col in first.items():
        code = _label_codes()[label]
        if code is not None:
            by_code.setdefault(code, []).append(col)
    singles = tuple((cols[0], code) for code, cols in by_code.items() if len(cols) == 1)
    groups = tuple((tuple(cols), code) for code, cols in by_code.items() if len(cols) > 1)
    return singles, groups
