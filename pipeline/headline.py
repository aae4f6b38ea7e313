"""Headline choice for the text cleaner: the best-scoring title-shaped line around the main region."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from functools import lru_cache
from itertools import accumulate

from pipeline.clean import (_DATE_ANY, _MONTH, _NAME, _URL_TAIL, DATED_LINE_WORDS, PROSE_MIN_WORDS,
                            _ellipsis, _line_rule)
from pipeline.describe.dates import contains_date
from pipeline.prefilter import fold

# Headline choice: every title-shaped line from TITLE_WINDOW blocks before the main region to its
# first block is scored and the best one wins. Tuned on zyte-articles text/ (88 pages): title agrees
# with the URL slug on 67/85 pages (even/odd 36/42, 31/43; the old backward walk gave 28/85) and
# with the HTML <title> on 72/88 (was 32/88). Weights are in units of "one headline-length line";
# halving or doubling any one of them, or a window of 20 or 35, gains on neither half (caps alone
# changes nothing there and is kept as a prior); a window of 10/15 gave 61/85 and 65/85.
TITLE_WINDOW = 25         # the headline stood up to 20 blocks above the region (galleries, share bars)
TITLE_MAX_WORDS = 30
LEDE_BLOCKS = 3           # prose blocks of the region whose words a headline shares
TITLE_WEIGHTS = dict(
    repeat=3.0,           # printed again as "Headline - Site", "Section|Headline", or once more verbatim
    lede=2.0,             # share of its words in the first paragraphs (over at least 4 words)
    shape=1.0,            # min(words, 8) / 8: a headline is a phrase, not a label
    anchor=1.5,           # one of the last two such lines before a byline, dateline or author name
    distance=0.06,        # per block between it and the region
    period=2.0,           # ends with a full stop: a standfirst or a caption
    sentences=1.5,        # two sentences: a standfirst
    short=1.0,            # one or two words: a section label
    caps=2.0,             # SHOUTED: a kicker or a subheading
    name=2.5,             # "Jane Doe", "The Daily Planet": a byline or the outlet
    list_item=1.5,        # a bullet: a menu or a teaser list
)
_TITLE_TOKEN = re.compile(r"[^\W\d_]{3,}")
_DATE_WORDS = re.compile(rf"\b(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b|\b{_MONTH}|\d+(?:st|nd|rd|th|am|pm)?\b"
                         r"|\b(?:at|am|pm|updated|published|posted|ago)\b", re.I)
_COPY_SEP = re.compile(r"\s*(?:[-|–—:·•»/]|::)\s")      # "Headline - Site", "Headline | Section"
_TWO_SENTENCES = re.compile(r"^(?:\S+\s+){4,}\S*[a-z]{3}[.!?] [A-Z]")
_END_STOP = re.compile(r"[.!][\"'”’»)]*\Z")


def _title_tokens(text: str) -> set[str]:
    """{w.lower() for w in _TITLE_TOKEN.findall(text)}; an ASCII text is lower-cased first, in one
    call (there lower() keeps every letter a letter and every other character as it is)."""
    if text.isascii():
        return set(_TITLE_TOKEN.findall(text.lower()))
    return {w.lower() for w in _TITLE_TOKEN.findall(text)}


def _dateish(text: str) -> bool:
    """Only date words and numbers: "Monday 5:30PM", "November 20", "Updated 2 hours ago"."""
    return len(re.findall(r"[^\W\d_]{2,}", _DATE_WORDS.sub(" ", text))) < 2


@lru_cache(maxsize=4096)   # a pure function of the line; pick_title asks again for each neighbour
def datey(text: str) -> bool:
    """A dateline in any language: date words with a number, or a date/time with no capitalised word."""
    if _dateish(text):
        return any(c.isdigit() for c in text)
    if len(text.split()) <= 10 and contains_date(text):
        return not re.search(r"\b[A-Z][a-z]{3,}", _DATE_WORDS.sub(" ", text))
    return False


def _title_shaped(text: str, reason: str | None) -> bool:
    # a line the list rules called a teaser can be the headline ("Up next:" above it), a
    # lexicon hit cannot
    if reason is not None and not (reason == "teaser" and _line_rule(text, fold(text)) is None):
        return False
    words = len(text.split())
    if not 2 <= words <= TITLE_MAX_WORDS or "/" in text and _URL_TAIL.search(text) or _ellipsis(text):
        return False
    if "@" in text or "http" in text.lower() or "www." in text.lower():
        return False
    if text.endswith(":") or text.count(": ") >= 2:   # "Tested by: … Price: …" is a fact box
        return False
    if sum(map(str.isalpha, text)) < 0.6 * len(text.replace(" ", "")):
        return False
    return not (words <= DATED_LINE_WORDS and _DATE_ANY.search(text)) and not datey(text)


class _Lowered:
    """A page's texts lower-cased, and joined by newlines to find in one pass the blocks that hold a line."""

    def __init__(self, texts: list[str]) -> None:
        self.lows = [u.lower() for u in texts]
        self.joined = "\n".join(self.lows)
        self.starts = list(accumulate((len(u) + 1 for u in self.lows), initial=0))  # offset of each block

    def holding(self, low: str) -> list[int]:
        """Indices of the blocks whose lower-cased text holds low, in order."""
        if not low or "\n" in low:
            return [j for j, ul in enumerate(self.lows) if low in ul]
        joined, starts, out = self.joined, self.starts, []
        pos = joined.find(low)
        while pos >= 0:   # an occurrence holds no newline: it lies inside one block
            j = bisect_right(starts, pos) - 1
            out.append(j)
            pos = joined.find(low, starts[j + 1])
        return out


def _printed_again(i: int, texts: list[str], counts: Counter, kinds: list[str],
                   lowered: _Lowered | None = None) -> bool:
    """The line recurs as itself or inside a "Headline - Site" / "Section|Headline" line, alone:
    a menu or teaser list printed twice repeats its neighbours too, and the outlet's name recurs
    more than twice."""
    t = texts[i]
    if counts[t] > 2:
        return False
    if lowered is None:
        lowered = _Lowered(texts)
    lows = lowered.lows
    low = lows[i]
    n = len(t)
    # every block the loop can accept holds the line (u == t, or ul starts or ends with low)
    for j in lowered.holding(low):
        u = texts[j]
        if j == i or len(u) < n:
            continue
        ul = lows[j]
        if u == t:
            if len(t.split()) < 4 or "list_item" in (kinds[i], kinds[j]):
                continue
        elif low not in ul:   # both forms below hold the line
            continue
        elif not (ul.startswith(low) and _COPY_SEP.match(ul[len(low):]) and len(ul[len(low):].split()) <= 8
                  or ul.endswith(low) and len(ul[:-len(low)].split()) <= 8):
            continue
        return not any(0 <= i + k < len(texts) and 0 <= j + k < len(texts) and texts[i + k] == texts[j + k] != t
                       for k in (-1, 1))
    return False


def pick_title(blocks, texts, reasons, start: int) -> int | None:
    """The index of the headline among the blocks just before (or opening) the main region."""
    first = max(0, start - TITLE_WINDOW)
    stop = min(start + 1, len(texts))
    shaped = [i for i in range(first, stop) if _title_shaped(texts[i], reasons[i])
              and not (i >= start and _END_STOP.search(texts[i]))]
    if not shaped:
        return None
    lede: set[str] = set()
    found = 0
    for j in range(start, len(texts)):
        if found < LEDE_BLOCKS and reasons[j] is None and len(texts[j].split()) >= PROSE_MIN_WORDS:
            lede |= _title_tokens(texts[j])
            found += 1

    def byline_like(k: int) -> bool:
        return reasons[k] in ("byline", "date_label") or reasons[k] is None and datey(texts[k])

    anchored: set[int] = set()
    for b in range(first, stop):
        name = (reasons[b] is None and _NAME.fullmatch(texts[b]) and len(texts[b].split()) <= 4
                and any(byline_like(k) for k in (b - 1, b + 1) if first <= k < len(texts)))
        if byline_like(b) or name:
            anchored.update([i for i in shaped if i < b][-2:])
    counts = Counter(texts)
    kinds = [b.kind for b in blocks]
    lowered = _Lowered(texts)
    w = TITLE_WEIGHTS

    def score(i: int) -> float:
        t = texts[i]
        n = len(t.split())
        tokens = _title_tokens(t)
        letters = list(filter(str.isalpha, t))
        return (w["repeat"] * _printed_again(i, texts, counts, kinds, lowered)
                + w["lede"] * len(tokens & lede) / max(len(tokens), 4)
                + w["shape"] * min(n, 8) / 8
                + w["anchor"] * (i in anchored)
                - w["distance"] * abs(start - i)
                - w["period"] * (t.endswith(".") and not t.endswith(".."))
                - w["sentences"] * bool(_TWO_SENTENCES.search(t))
                - w["short"] * (n <= 2)
                - w["caps"] * (sum(map(str.isupper, letters)) > 0.8 * len(letters))
                - w["name"] * bool(n <= 4 and _NAME.fullmatch(t))
                - w["list_item"] * (kinds[i] == "list_item"))

    return max(shaped, key=lambda i: (score(i), i))
