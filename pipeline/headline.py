"""Headline choice for the text cleaner: the best-scoring title-shaped line around the main region."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
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


# The characters str.isdigit() is true for: \d (the decimal digits) and the other digits
# (superscripts, circled numbers ...), as of Unicode 14 (Python 3.11); tests/test_headline_fast.py
# checks the class against str.isdigit over every code point.
_DIGIT = re.compile("[\\d\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089"
                    "\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e"
                    "\u2780-\u2788\u278a-\u2792\U00010a40-\U00010a43\U00010e60-\U00010e68"
                    "\U00011052-\U0001105a\U0001f100-\U0001f10a]")


def _title_tokens(text: str) -> set[str]:
    """{w.lower() for w in _TITLE_TOKEN.findall(text)}, from the text lower-cased in one call when
    that is the same: without "İ" (the one character lower() turns into two) and "Σ" (lower-cased
    by its neighbours), lower() maps each character to one that is a letter exactly when it was
    (tests/test_headline_fast.py checks every code point)."""
    if text.isascii() or "\u0130" not in text and "\u03a3" not in text:
        return set(_TITLE_TOKEN.findall(text.lower()))
    return {w.lower() for w in _TITLE_TOKEN.findall(text)}


_RUN = re.compile(r"[^\W\d_]{2,}")
# What a _DATE_WORDS match can take of a run of letters: a run that starts with one of these
# (weekday and _MONTH prefixes) or is one of the whole words (the suffixes after a number too).
_DATE_PREFIXES = frozenset("mon tue wed thu fri sat sun jan feb mar apr may jun jul aug sep oct nov dec".split())
_DATE_WHOLE = frozenset("at am pm updated published posted ago st nd rd th".split())


def _dateish(text: str) -> bool:
    """Only date words and numbers: "Monday 5:30PM", "November 20", "Updated 2 hours ago"."""
    # Every _DATE_WORDS match takes a whole run of letters, a prefix of one that starts at a word
    # boundary (a month) or digits with the suffix run after them: replaced by a space it shortens
    # or removes a run and never splits one. So two ASCII runs of 2+ letters that no match can
    # touch (an ASCII run: re.I pairs "ſ" with "s", "K" with "k") leave two runs behind.
    safe = 0
    for m in _RUN.finditer(text):
        r = m.group()
        if r.isascii():
            low = r.lower()
            if low[:3] not in _DATE_PREFIXES and low not in _DATE_WHOLE:
                safe += 1
                if safe == 2:
                    return False
    return len(_RUN.findall(_DATE_WORDS.sub(" ", text))) < 2


def datey(text: str) -> bool:
    """A dateline in any language: date words with a number, or a date/time with no capitalised word."""
    # both answers need a digit: the first branch asks for one, and every pattern of contains_date
    # holds a \d (which str.isdigit() is true for)
    return _DIGIT.search(text) is not None and _datey(text)


@lru_cache(maxsize=4096)   # a pure function of the line; pick_title asks again for each neighbour
def _datey(text: str) -> bool:
    """datey() of a text that holds a digit."""
    if _dateish(text):
        return True
    if len(text.split()) <= 10 and contains_date(text):
        return not re.search(r"\b[A-Z][a-z]{3,}", _DATE_WORDS.sub(" ", text))
    return False


def _title_shaped(text: str, reason: str | None) -> bool:
    # a line the list rules called a teaser can be the headline ("Up next:" above it), a
    # lexicon hit cannot
    if reason is not None and reason != "teaser":
        return False
    words = len(text.split(None, TITLE_MAX_WORDS))   # min(words, TITLE_MAX_WORDS + 1)
    if not 2 <= words <= TITLE_MAX_WORDS or "/" in text and _URL_TAIL.search(text) or _ellipsis(text):
        return False
    if "@" in text:
        return False
    low = text.lower()
    if "http" in low or "www." in low:
        return False
    if text.endswith(":") or text.count(": ") >= 2:   # "Tested by: … Price: …" is a fact box
        return False
    if sum(map(str.isalpha, text)) < 0.6 * (len(text) - text.count(" ")):
        return False
    # the lexicon check after the cheap ones (none of them raises, so the order is free) and
    # before the date ones (datey() can raise: a month that lower-cases apart)
    if reason is not None and _line_rule(text, fold(text)) is not None:
        return False
    # _DATE_ANY and datey() need a digit
    return _DIGIT.search(text) is None or (
        not (words <= DATED_LINE_WORDS and _DATE_ANY.search(text)) and not _datey(text))


class _Lowered:
    """A page's texts lower-cased, and joined by newlines to find in one pass the blocks that hold a line."""

    def __init__(self, texts: list[str]) -> None:
        joined = "\n".join(texts)
        low = joined.lower()
        if len(low) == len(joined) and "Σ" not in joined:
            # lower() maps each character on its own (final sigma aside), "\n" to itself, and here
            # each to one character: the join of the lower-cased texts, at the same offsets
            self.joined = low
            self.starts = list(accumulate(map((1).__add__, map(len, texts)), initial=0))
            self._lows = None
        else:
            self._lows = [u.lower() for u in texts]
            self.joined = "\n".join(self._lows)
            self.starts = list(accumulate((len(u) + 1 for u in self._lows), initial=0))

    def low(self, j: int) -> str:
        """texts[j].lower()"""
        if self._lows is not None:
            return self._lows[j]
        return self.joined[self.starts[j]:self.starts[j + 1] - 1]

    @property
    def lows(self) -> list[str]:
        if self._lows is None:
            self._lows = [self.low(j) for j in range(len(self.starts) - 1)]
        return self._lows

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


def _printed_again(i: int, texts: list[str], kinds: list[str], lowered: _Lowered) -> bool:
    """The line recurs as itself or inside a "Headline - Site" / "Section|Headline" line, alone:
    a menu or teaser list printed twice repeats its neighbours too, and the outlet's name recurs
    more than twice."""
    t = texts[i]
    low = lowered.low(i)
    # every block the loop can accept holds the line (u == t, or ul starts or ends with low); a
    # block equal to t holds it too, so more than two such blocks are more than two holders
    holders = lowered.holding(low)
    if len(holders) > 2 and texts.count(t) > 2:
        return False
    n = len(t)
    for j in holders:
        u = texts[j]
        if j == i or len(u) < n:
            continue
        ul = lowered.low(j)
        if u == t:
            if len(t.split(None, 3)) < 4 or "list_item" in (kinds[i], kinds[j]):
                continue
        elif low not in ul:   # both forms below hold the line
            continue
        elif not (ul.startswith(low) and _COPY_SEP.match(ul[len(low):]) and len(ul[len(low):].split(None, 8)) <= 8
                  or ul.endswith(low) and len(ul[:-len(low)].split(None, 8)) <= 8):
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

    known: dict[int, bool] = {}

    def byline_like(k: int) -> bool:
        v = known.get(k)
        if v is None:
            v = known[k] = reasons[k] in ("byline", "date_label") or reasons[k] is None and datey(texts[k])
        return v

    # the anchors are found even for a lone candidate: datey() can raise (a month that matches
    # case-insensitively but lower-cases apart), and pick_title raised then
    anchored: set[int] = set()
    n_texts = len(texts)
    for b in range(first, stop):
        name = (reasons[b] is None and _NAME.fullmatch(texts[b]) and len(texts[b].split(None, 4)) <= 4
                and any(byline_like(k) for k in (b - 1, b + 1) if first <= k < n_texts))
        if byline_like(b) or name:
            at = bisect_left(shaped, b)
            anchored.update(shaped[max(0, at - 2):at])
    if len(shaped) == 1:   # max() of one: its score cannot change the answer
        return shaped[0]
    lede: set[str] = set()
    found = 0
    for j in range(start, n_texts):
        if reasons[j] is None and len(texts[j].split(None, PROSE_MIN_WORDS - 1)) >= PROSE_MIN_WORDS:
            lede |= _title_tokens(texts[j])
            found += 1
            if found == LEDE_BLOCKS:
                break
    kinds = [b.kind for b in blocks]
    lowered = _Lowered(texts)
    w = TITLE_WEIGHTS

    def score(i: int) -> float:
        t = texts[i]
        n = len(t.split(None, 8))   # min(words, 9): the terms below look no further than 8
        tokens = _title_tokens(t)
        letters = list(filter(str.isalpha, t))
        return (w["repeat"] * _printed_again(i, texts, kinds, lowered)
                + w["lede"] * len(tokens & lede) / max(len(tokens), 4)
                + w["shape"] * min(n, 8) / 8
                + w["anchor"] * (i in anchored)
                - w["distance"] * abs(start - i)
                - w["period"] * (t.endswith(".") and not t.endswith(".."))
                - w["sentences"] * bool(("? " in t or ". " in t or "! " in t) and _TWO_SENTENCES.search(t))
                - w["short"] * (n <= 2)
                - w["caps"] * (sum(map(str.isupper, letters)) > 0.8 * len(letters))
                - w["name"] * bool(n <= 4 and _NAME.fullmatch(t))
                - w["list_item"] * (kinds[i] == "list_item"))

    return max(shaped, key=lambda i: (score(i), i))
