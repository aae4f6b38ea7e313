"""pipeline/headline.py's fast paths give what the code they replaced gave, on any input.

The replaced code is kept below as the specification (the _ref functions); the properties compare
the two, exceptions included (datey() raises KeyError on a month that matches case-insensitively
but lower-cases apart, "Auguſt 5, 2019 …", and pick_title raised with it).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from collections import Counter
from itertools import accumulate

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import headline as H
from pipeline.clean import (_DATE_ANY, _NAME, _URL_TAIL, DATED_LINE_WORDS, PROSE_MIN_WORDS, _ellipsis,
                            _line_rule, clean)
from pipeline.describe.dates import contains_date
from pipeline.model import Block, RawDocument, Source
from pipeline.parse.text import parse_text
from pipeline.prefilter import fold

# ---- the replaced code (pipeline/headline.py before the fast paths), as the specification ----


def _title_tokens_ref(text: str) -> set[str]:
    if text.isascii():
        return set(H._TITLE_TOKEN.findall(text.lower()))
    return {w.lower() for w in H._TITLE_TOKEN.findall(text)}


def _dateish_ref(text: str) -> bool:
    return len(re.findall(r"[^\W\d_]{2,}", H._DATE_WORDS.sub(" ", text))) < 2


def datey_ref(text: str) -> bool:
    if _dateish_ref(text):
        return any(c.isdigit() for c in text)
    if len(text.split()) <= 10 and contains_date(text):
        return not re.search(r"\b[A-Z][a-z]{3,}", H._DATE_WORDS.sub(" ", text))
    return False


def _title_shaped_ref(text: str, reason: str | None) -> bool:
    if reason is not None and not (reason == "teaser" and _line_rule(text, fold(text)) is None):
        return False
    words = len(text.split())
    if not 2 <= words <= H.TITLE_MAX_WORDS or "/" in text and _URL_TAIL.search(text) or _ellipsis(text):
        return False
    if "@" in text or "http" in text.lower() or "www." in text.lower():
        return False
    if text.endswith(":") or text.count(": ") >= 2:
        return False
    if sum(map(str.isalpha, text)) < 0.6 * len(text.replace(" ", "")):
        return False
    return not (words <= DATED_LINE_WORDS and _DATE_ANY.search(text)) and not datey_ref(text)


class _LoweredRef:
    def __init__(self, texts: list[str]) -> None:
        self.lows = [u.lower() for u in texts]
        self.joined = "\n".join(self.lows)
        self.starts = list(accumulate((len(u) + 1 for u in self.lows), initial=0))

    def holding(self, low: str) -> list[int]:
        if not low or "\n" in low:
            return [j for j, ul in enumerate(self.lows) if low in ul]
        joined, starts, out = self.joined, self.starts, []
        pos = joined.find(low)
        while pos >= 0:
            j = bisect_right(starts, pos) - 1
            out.append(j)
            pos = joined.find(low, starts[j + 1])
        return out


def _printed_again_ref(i, texts, counts, kinds, lowered) -> bool:
    t = texts[i]
    if counts[t] > 2:
        return False
    lows = lowered.lows
    low = lows[i]
    n = len(t)
    for j in lowered.holding(low):
        u = texts[j]
        if j == i or len(u) < n:
            continue
        ul = lows[j]
        if u == t:
            if len(t.split()) < 4 or "list_item" in (kinds[i], kinds[j]):
                continue
        elif low not in ul:
            continue
        elif not (ul.startswith(low) and H._COPY_SEP.match(ul[len(low):]) and len(ul[len(low):].split()) <= 8
                  or ul.endswith(low) and len(ul[:-len(low)].split()) <= 8):
            continue
        return not any(0 <= i + k < len(texts) and 0 <= j + k < len(texts) and texts[i + k] == texts[j + k] != t
                       for k in (-1, 1))
    return False


def pick_title_ref(blocks, texts, reasons, start: int) -> int | None:
    first = max(0, start - H.TITLE_WINDOW)
    stop = min(start + 1, len(texts))
    shaped = [i for i in range(first, stop) if _title_shaped_ref(texts[i], reasons[i])
              and not (i >= start and H._END_STOP.search(texts[i]))]
    if not shaped:
        return None
    lede: set[str] = set()
    found = 0
    for j in range(start, len(texts)):
        if found < H.LEDE_BLOCKS and reasons[j] is None and len(texts[j].split()) >= PROSE_MIN_WORDS:
            lede |= _title_tokens_ref(texts[j])
            found += 1

    def byline_like(k: int) -> bool:
        return reasons[k] in ("byline", "date_label") or reasons[k] is None and datey_ref(texts[k])

    anchored: set[int] = set()
    for b in range(first, stop):
        name = (reasons[b] is None and _NAME.fullmatch(texts[b]) and len(texts[b].split()) <= 4
                and any(byline_like(k) for k in (b - 1, b + 1) if first <= k < len(texts)))
        if byline_like(b) or name:
            anchored.update([i for i in shaped if i < b][-2:])
    counts = Counter(texts)
    kinds = [b.kind for b in blocks]
    lowered = _LoweredRef(texts)
    w = H.TITLE_WEIGHTS

    def score(i: int) -> float:
        t = texts[i]
        n = len(t.split())
        tokens = _title_tokens_ref(t)
        letters = list(filter(str.isalpha, t))
        return (w["repeat"] * _printed_again_ref(i, texts, counts, kinds, lowered)
                + w["lede"] * len(tokens & lede) / max(len(tokens), 4)
                + w["shape"] * min(n, 8) / 8
                + w["anchor"] * (i in anchored)
                - w["distance"] * abs(start - i)
                - w["period"] * (t.endswith(".") and not t.endswith(".."))
                - w["sentences"] * bool(H._TWO_SENTENCES.search(t))
                - w["short"] * (n <= 2)
                - w["caps"] * (sum(map(str.isupper, letters)) > 0.8 * len(letters))
                - w["name"] * bool(n <= 4 and _NAME.fullmatch(t))
                - w["list_item"] * (kinds[i] == "list_item"))

    return max(shaped, key=lambda i: (score(i), i))


# ---- the facts about Unicode the fast paths rest on, for the running Python ----


def test_digit_class_is_str_isdigit() -> None:
    """_DIGIT matches exactly the characters str.isdigit() is true for."""
    wrong = [c for c in range(sys.maxunicode + 1)
             if (H._DIGIT.match(chr(c)) is not None) != chr(c).isdigit()]
    assert wrong == []


def test_lower_keeps_letters_letters() -> None:
    """lower() maps every character but "İ" to one character, a letter ([^\\W\\d_]) exactly when
    the character was one: _title_tokens lower-cases the whole text first when it has no "İ"/"Σ"."""
    letter = re.compile(r"[^\W\d_]")
    two, flipped = [], []
    for c in range(sys.maxunicode + 1):
        ch = chr(c)
        low = ch.lower()
        if len(low) != 1:
            two.append(ch)
        elif (letter.match(ch) is None) != (letter.match(low) is None):
            flipped.append(ch)
    assert two == ["\u0130"] and flipped == []
    assert "ΑΣ'Β".lower() != "".join(w.lower() for w in ("ΑΣ", "'", "Β"))   # why Σ is excluded


# ---- properties: fast path == replaced code ----

def _outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except Exception as e:  # the same exception type, or the same value
        return "raised", type(e)


# words that exercise the patterns: date words and their prefixes in any case, the characters
# IGNORECASE pairs with ASCII letters (ſ K ı İ), Σ (lower-cased by context), digits of every kind
_WORDS = ["Monday", "mon", "Tuesday", "Nov", "November", "Nov.", "May", "mayor", "Auguſt", "Sept", "sat",
          "5th", "21st", "2019", "19", "12:30", "7:45", "am", "PM", "at", "AT", "Updated", "published",
          "Posted", "ago", "st", "th", "The", "thousands", "teachers", "Statehouse", "Jane", "Doe", "de",
          "İstanbul", "ΟΔΟΣ", "Σ", "ſtate", "KELVIN", "ı", "é", "²", "①", "٣", "x", "_", "a", "AP",
          "news", "http", "www.", "@x", "a.b/c", "…", "...", "hours", "2019-11-19", "20.11.2019", "11/18/19",
          "Read", "more", "Related", "articles"]
_SEPS = [" ", "  ", ", ", " - ", " | ", ": ", ". ", "! ", "? ", "'", "’", "\u00a0", "\t", "/", ".", "-", ""]
_LINE = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_SEPS)), max_size=16).map(
    lambda pairs: "".join(w + s for w, s in pairs))
_REASONS = [None, None, None, "teaser", "byline", "date_label", "caption", "menu"]


@settings(max_examples=600, deadline=None)
@given(_LINE)
def test_title_tokens(text: str) -> None:
    assert H._title_tokens(text) == _title_tokens_ref(text)


@settings(max_examples=600, deadline=None)
@given(_LINE)
def test_dateish_and_datey(text: str) -> None:
    assert H._dateish(text) == _dateish_ref(text)
    assert _outcome(H.datey, text) == _outcome(datey_ref, text)


@settings(max_examples=600, deadline=None)
@given(_LINE, st.sampled_from(_REASONS))
def test_title_shaped(text: str, reason) -> None:
    assert _outcome(H._title_shaped, text, reason) == _outcome(_title_shaped_ref, text, reason)


_PAGE_LINES = st.lists(_LINE, min_size=1, max_size=6)   # a page draws its lines from a few, so they recur


@st.composite
def _pages(draw):
    pool = draw(_PAGE_LINES)
    pool += [p + suffix for p in pool[:2] for suffix in (" - The Daily Planet", " | News")]
    n = draw(st.integers(1, 40))
    texts = [draw(st.sampled_from(pool)) for _ in range(n)]
    reasons = [draw(st.sampled_from(_REASONS)) for _ in range(n)]
    kinds = [draw(st.sampled_from(["paragraph", "list_item", "heading"])) for _ in range(n)]
    start = draw(st.integers(0, n - 1))
    return [Block(k, t) for k, t in zip(kinds, texts)], texts, reasons, start


@settings(max_examples=800, deadline=None)
@given(_pages())
def test_pick_title(page) -> None:
    blocks, texts, reasons, start = page
    assert _outcome(H.pick_title, blocks, texts, reasons, start) == _outcome(
        pick_title_ref, blocks, texts, reasons, start)


def test_pick_title_on_pages(monkeypatch) -> None:
    """On generated pages cleaned end to end, every call gives what the replaced code gives."""
    calls = []
    fast = H.pick_title

    def both(blocks, texts, reasons, start):
        got = fast(blocks, texts, reasons, start)
        calls.append(got)
        assert got == pick_title_ref(blocks, list(texts), list(reasons), start)
        return got

    monkeypatch.setattr(H, "pick_title", both)
    head = ["Home", "News | Sport | Weather", "Thousands of teachers pack the Statehouse - The Daily Planet",
            "Thousands of teachers pack the Statehouse", "By Jane Doe", "November 19, 2019 7:45 am",
            "Teachers from across the state filled the Statehouse on Tuesday to ask for higher pay and smaller "
            "classes, organisers said.", "The rally was the largest in years, and it went on for hours after "
            "the speeches were over, according to the police."]
    for k in range(len(head)):
        text = "\n\n".join(head[k:] + head[:k])
        data = text.encode()
        raw = RawDocument(source=Source(path=None, rel_path=f"p{k}.txt", size=len(data), sha256="0" * 64),
                          text=text, format="txt", encoding="utf-8")
        clean(parse_text(raw))
    assert calls, "clean never asked for a headline"
