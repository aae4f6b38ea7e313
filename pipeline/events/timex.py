"""Time expressions in news sentences, resolved against the publication date with a precision."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from pipeline.prefilter import fold

_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_NUM = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": 3}

_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# Month names are matched case-sensitively so that the modal "may" and the verb "march" never
# become months; abbreviations take an optional period ("Sept. 3").
_MON = (r"(?:January|February|March|April|May|June|July|August|September|October|November|"
        r"December|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.|Jul\.|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_MOD = r"(?:(?i:early|late|mid|the end of|the start of|the beginning of)[- ]?)"

_PATTERNS: list[tuple[str, str]] = [
    # (name, regex); tried in this order at each position, first (longest) wins.
    ("iso", rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    ("wd_mdy", rf"\b(?:on\s+)?{_WD},?\s+(?P<mon>{_MON})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?\b"),
    ("mdy", rf"\b(?:(?i:on|since|by|until|from)\s+)?(?P<mon>{_MON})\s+(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?(?![\d,]*\d)"),
    ("dmy", rf"\b(?:(?i:on|since|by)\s+)?(?:the\s+)?(?P<day>{_DAY})\s+(?:of\s+)?(?P<mon>{_MON})(?:,?\s+(?P<year>{_YEAR}))?\b"),
    ("my", rf"\b(?:(?i:in|since|by|during|until|from|of)\s+)?(?:{_MOD})?(?P<mon>{_MON})\s+(?:of\s+)?(?P<year>{_YEAR})\b"),
    ("past_month", rf"\b(?i:this\s+past|last|earlier\s+this|this)\s+(?P<mon>{_MON})\b"),
    ("in_month", rf"\b(?:(?i:in|since|by|during|until|from)\s+)(?:{_MOD})?(?P<mon>{_MON})\b(?!\s+\d)"),
    ("mod_month", rf"\b(?i:early|late|mid)[- ](?P<mon>{_MON})\b(?!\s+\d)"),
    ("rel_day", r"\b(?i:the\s+day\s+before\s+yesterday|yesterday|today|tonight|tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)|earlier\s+today)\b"),
    ("weekday", rf"\b(?P<pre>(?i:on|last|this\s+past|this|next|early|late|on\s+the\s+night\s+of)\s+)?(?P<wd>{_WD})(?:\s+(?i:morning|afternoon|evening|night))?\b"),
    ("weekend", r"\b(?i:(?P<pre>this|last|next|at\s+the|over\s+the|the\s+past)\s+weekend)\b"),
    ("rel_unit", r"\b(?i:(?P<mod>early|late|mid|earlier|later)[- ])?(?i:(?P<pre>last|this|next|earlier\s+this|later\s+this|the\s+past)\s+(?P<unit>week|month|year))\b"),
    ("ago", r"\b(?i:(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several)\s+(?P<unit>day|week|month|year)s?\s+ago)\b"),
    ("year", rf"\b(?P<pre>(?i:in|since|by|during|until|from|of|early|late|mid|in\s+early|in\s+late|in\s+mid)[- ]+)(?P<year>{_YEAR})\b(?![-\d%])"),
    ("lead_year", rf"^(?P<year>{_YEAR})\b(?![-\d%])"),
]
_TIMEX = re.compile("|".join(f"(?P<{name}>{rx.replace('(?P<', f'(?P<{name}_')})" for name, rx in _PATTERNS))
_NAMES = [name for name, _ in _PATTERNS]
# Most sentences hold no time expression; this cheap test spares them the big alternation.
_GATE = re.compile(r"\d|(?i:day|night|week|month|year|ago|tomorrow)|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_DIGIT = re.compile(r"\d")
_GATE_WORDS = ("day", "night", "week", "month", "year", "ago", "tomorrow")
_GATE_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _gate(text: str) -> bool:
    """_GATE.search(text) is not None, 2.5x faster: substring tests on the text folded as
    re.IGNORECASE folds it (pipeline.prefilter.fold), which finds a word where the regex does."""
    if _DIGIT.search(text):
        return True
    low = fold(text)
    return any(w in low for w in _GATE_WORDS) or any(m in text for m in _GATE_MONTHS)


@dataclass(frozen=True)
class Timex:
    """A resolved time expression: start date, end date (periods), precision and its source."""

    text: str
    start: int                    # offsets inside the string it was found in
    end: int
    date: dt.date | None
    date_end: dt.date | None
    precision: str                # day, week, month, year, unknown
    source: str                   # explicit or relative
    future: bool = False          # the words themselves point forward ("next month", "tomorrow")


def _month_span(y: int, m: int) -> tuple[dt.date, dt.date]:
    return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])


def _week_span(d: dt.date) -> tuple[dt.date, dt.date]:
    monday = d - dt.timedelta(days=d.weekday())
    return monday, monday + dt.timedelta(days=6)


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_no(word: str) -> int:
    return _MONTHS[word.rstrip(".").lower()]


def _day_no(word: str) -> int:
    return int(re.match(r"\d+", word).group())


def _group(m: re.Match, name: str, key: str) -> str | None:
    return m.group(f"{name}_{key}")


def _resolve(name: str, m: re.Match, anchor: dt.date, future: bool) -> tuple | None:
    """(date, date_end, precision, source, future_words) for one match, or None."""
    text = m.group(name)
    low = text.lower()
    g = lambda key: _group(m, name, key)  # noqa: E731
    if name == "iso":
        d = _safe_date(int(g("y")), int(g("m")), int(g("d")))
        return (d, None, "day", "explicit", False) if d else None
    if name in ("wd_mdy", "mdy", "dmy"):
        mon, day = _month_no(g("mon")), _day_no(g("day"))
        if g("year"):
            d = _safe_date(int(g("year")), mon, day)
            return (d, None, "day", "explicit", False) if d else None
        # No year: the nearest such day on the side of the anchor the tense points to.
        d = _safe_date(anchor.year, mon, day)
        if d is None:
            d = _safe_date(anchor.year - 1, mon, day)
        if d is None:
            return None
        if future and d < anchor:
            d = _safe_date(anchor.year + 1, mon, day) or d
        elif not future and d > anchor:
            d = _safe_date(anchor.year - 1, mon, day) or d
        return d, None, "day", "explicit", False
    if name == "my":
        s, e = _month_span(int(g("year")), _month_no(g("mon")))
        return s, e, "month", "explicit", False
    if name in ("past_month", "in_month", "mod_month"):
        mon = _month_no(g("mon"))
        y = anchor.year
        strict = name == "past_month" and low.startswith("last")
        if future and name != "past_month":
            if mon < anchor.month:
                y += 1
        elif mon > anchor.month or (strict and mon == anchor.month):
            y -= 1
        s, e = _month_span(y, mon)
        return s, e, "month", "relative", False
    if name == "rel_day":
        if "before yesterday" in low:
            return anchor - dt.timedelta(days=2), None, "day", "relative", False
        if "yesterday" in low or "last night" in low:
            return anchor - dt.timedelta(days=1), None, "day", "relative", False
        if "tomorrow" in low:
            return anchor + dt.timedelta(days=1), None, "day", "relative", True
        return anchor, None, "day", "relative", False
    if name == "weekday":
        wd = _WEEKDAYS.index(g("wd").lower())
        pre = (g("pre") or "").strip().lower()
        back = (anchor.weekday() - wd) % 7
        if pre == "next" or (future and pre in ("", "on", "this")):
            ahead = (wd - anchor.weekday()) % 7 or 7
            return anchor + dt.timedelta(days=ahead), None, "day", "relative", True
        if pre in ("last", "this past") and back == 0:
            back = 7
        return anchor - dt.timedelta(days=back), None, "day", "relative", False
    if name == "weekend":
        pre = (g("pre") or "").lower()
        if pre == "next" or (future and pre == "this"):
            sat = anchor + dt.timedelta(days=(5 - anchor.weekday()) % 7 or 7)
            return sat, sat + dt.timedelta(days=1), "week", "relative", True
        back = (anchor.weekday() - 5) % 7
        if pre == "last" and anchor.weekday() >= 5:
            back += 7
        sat = anchor - dt.timedelta(days=back)
        return sat, sat + dt.timedelta(days=1), "week", "relative", False
    if name == "rel_unit":
        pre, unit = g("pre").lower().split()[0], g("unit").lower()
        step = {"last": -1, "next": 1}.get(pre, 0)
        if pre == "the":          # "the past week": the span leading up to the anchor
            step = 0
        fut = step > 0 or (pre == "later" and future)
        if unit == "week":
            s, e = _week_span(anchor + dt.timedelta(weeks=step))
            return s, e, "week", "relative", fut
        if unit == "month":
            y, mo = divmod(anchor.year * 12 + anchor.month - 1 + step, 12)
            s, e = _month_span(y, mo + 1)
            return s, e, "month", "relative", fut
        y = anchor.year + step
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "relative", fut
    if name == "ago":
        return _ago(text, anchor)
    if name in ("year", "lead_year"):
        y = int(g("year"))
        if y > anchor.year + 50:
            return None
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year", "explicit", False
    return None


# "N units ago" up to this N is computed as dateparser's relative-date parser does it (the anchor
# at noon minus a relativedelta); tests/events/test_timex.py checks the two agree on a grid of
# anchors and counts. Larger counts still go to dateparser.
AGO_ARITHMETIC_MAX = 200


def _ago_date(n: int, unit: str, anchor: dt.date) -> dt.date:
    """The date n units before anchor, as dateparser.parse(f"{n} {unit}s ago") gives it."""
    if 0 <= n <= AGO_ARITHMETIC_MAX:
        return anchor - relativedelta(**{unit + "s": n})
    try:
        import dateparser

        base = dt.datetime(anchor.year, anchor.month, anchor.day, 12)
        parsed = dateparser.parse(f"{n} {unit}s ago", settings={"RELATIVE_BASE": base})
    except Exception:   # dateparser is optional at run time: fall back to arithmetic
        parsed = None
    return parsed.date() if parsed else anchor - dt.timedelta(days=n * {"day": 1, "week": 7, "month": 30, "year": 365}[unit])


@lru_cache(maxsize=4096)
def _ago(text: str, anchor: dt.date) -> tuple | None:
    """'two years ago', resolved as dateparser resolves it (_ago_date)."""
    m = re.search(r"(\w+)\s+(day|week|month|year)s?\s+ago", text, re.I)
    n = _NUM.get(m.group(1).lower()) if not m.group(1).isdigit() else int(m.group(1))
    unit = m.group(2).lower()
    if n is None:
        return None
    d = _ago_date(n, unit, anchor)
    if unit == "day":
        return d, None, "day", "relative", False
    if unit == "week":
        s, e = _week_span(d)
        return s, e, "week", "relative", False
    if unit == "month":
        s, e = _month_span(d.year, d.month)
        return s, e, "month", "relative", False
    return dt.date(d.year, 1, 1), dt.date(d.year, 12, 31), "year", "relative", False


# Every pattern above starts a match at the start of a word, and only at a word of these: the
# lowercased words below, a digit, or a capitalised month or weekday (its first three letters).
# Trying the big alternation at those words only, instead of at every character, made
# find_timexes 2x faster on the benchmark corpus (pipeline/bench) with identical matches.
_STARTERS = frozenset(
    "on since by until from in during of the early late mid this last earlier later next at over yesterday "
    "today tonight tomorrow a an one two three four five six seven eight nine ten several".split()
)
_CAPITALS = frozenset("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun".split())
_WORD = re.compile(r"\w+")


# Most tries at a starter fail ("the", "of", a number): on the benchmark corpus 84,000 tries
# per 17,000 gated sentences found 17,000 expressions, and no try at "the" or at a number
# succeeded. A starter below is tried only where its guard matches; each guard is what every
# pattern that can open with that word needs next (read off _PATTERNS: "the" opens only
# dmy "the 3", my "the end/start/beginning of", rel_day "the day before", weekend and rel_unit
# "the past"; a number opens only iso "2013-", dmy "3 May", "3rd of May", ago "3 days" and, at
# the very start, lead_year), so skipping a try where the guard fails changes no match.
_MON_START = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"    # every _MON opens so
_CAP_START = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
# after in/of/by/from/until/during: a month (my, mdy, in_month), a modifier (my, in_month) or a year
_MONTH_NEXT = rf"(?:\s+(?:{_MON_START}|(?i:early|late|mid|the))|[- ]+[12])"
_AGO_NEXT = r"(?i:\s+(?:day|week|month|year)s?\s+ago)"       # a count opens only ago
_GUARDS = {
    key: re.compile(rx) for key, rx in {
        "the": r"(?i:the)\s+(?:\d|(?i:end|start|beginning|day|past))",
        "of": rf"(?i:of){_MONTH_NEXT}",
        "in": rf"(?i:in)(?:{_MONTH_NEXT}|[- ]+(?i:early|late|mid))",
        "from": rf"(?i:from){_MONTH_NEXT}",
        "until": rf"(?i:until){_MONTH_NEXT}",
        "during": rf"(?i:during){_MONTH_NEXT}",
        "by": rf"(?i:by)(?:{_MONTH_NEXT}|\s+\d)",                       # and dmy "by 3 May"
        "on": rf"(?i:on)\s+(?:\d|{_CAP_START}|(?i:the))",                # mdy, dmy, weekday, wd_mdy
        "at": r"(?i:at)\s+(?i:the)\s+(?i:weekend)",
        "over": r"(?i:over)\s+(?i:the)\s+(?i:weekend)",
        **{n: rf"(?i:{n}){_AGO_NEXT}" for n in _NUM},
        "digit": rf"\d+(?:-|(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON_START}|{_AGO_NEXT})",
        # a capitalised month or weekday opens mdy and my ("May 3", "May 2009": then a space),
        # or wd_mdy and weekday (the whole weekday name): "Mayor" and "Marta" are not tried
        "capital": rf"(?:{_MON}\s|{_WD}(?!\w))",
    }.items()
}


def _word_kind(word: str) -> str:
    """What _timex_matches does at a word: "digit", "capital", the starter (lower-cased) whose
    guard applies, or "" (no pattern starts there)."""
    if word[0].isdigit():
        return "digit"
    if word[:3] in _CAPITALS:
        return "capital"
    low = word.lower()
    return low if low in _STARTERS else ""


_KINDS: dict[str, str] = {}     # _word_kind by word: the same words recur in every sentence
_KINDS_MAX = 50_000             # entries kept before the memo starts again (a few MB)


def _timex_matches(text: str) -> Iterator[re.Match]:
    """The matches of _TIMEX.finditer(text), trying only the words that can start one."""
    end = 0
    guards = _GUARDS
    kinds = _KINDS
    for w in _WORD.finditer(text):
        start = w.start()
        if start < end:
            continue
        word = w.group()
        kind = kinds.get(word)
        if kind is None:
            if len(kinds) >= _KINDS_MAX:
                kinds.clear()
            kind = kinds[word] = _word_kind(word)
        if not kind:
            continue
        if kind == "digit":
            guard = guards["digit"] if start else None
        else:
            guard = guards.get(kind)
        if guard is None or guard.match(text, start):
            m = _TIMEX.match(text, start)
            if m is not None:
                end = m.end()
                yield m


def find_timexes(text: str, anchor: dt.date | None, future: bool = False) -> list[Timex]:
    """Every time expression in `text`, resolved against `anchor` (None: found, not resolved)."""
    return resolve_matches(timex_matches(text), anchor, future)


def timex_matches(text: str) -> list[tuple[str, re.Match]]:
    """(pattern name, match) of every time expression in `text`, unresolved: what
    find_timexes(text, anchor, future) resolves, whatever the anchor and tense (a sentence read
    for present and future events is scanned once)."""
    if not _gate(text):
        return []
    out = []
    for m in _timex_matches(text):
        name = m.lastgroup
        if name not in _NAMES:
            name = next(n for n in _NAMES if m.group(n) is not None)
        out.append((name, m))
    return out


def resolve_matches(matches: list[tuple[str, re.Match]], anchor: dt.date | None,
                    future: bool = False) -> list[Timex]:
    """find_timexes for the matches timex_matches(text) found."""
    out = []
    for name, m in matches:
        span_text = m.group(name).strip()
        if anchor is None:
            out.append(Timex(span_text, m.start(), m.end(), None, None, "unknown", "relative"))
            continue
        r = _resolve(name, m, anchor, future)
        if r is None or r[0] is None:
            continue
        d, e, prec, src, fut = r
        out.append(Timex(span_text, m.start(), m.end(), d, e, prec, src, fut))
    return out


def resolve_timex(text: str, anchor: dt.date, future: bool = False) -> Timex | None:
    """Resolve one expression ("last Friday", "in May 2009") against the publication date."""
    found = find_timexes(text, anchor, future)
    return found[0] if found else None


def timex_key(t: Timex) -> str:
    """The date at its precision, as text: 2013-03-15, 2013-W11, 2013-03, 2013."""
    if t.date is None:
        return "unknown"
    if t.precision == "day":
        return t.date.isoformat()
    if t.precision == "week":
        y, w, _ = t.date.isocalendar()
        return f"{y}-W{w:02d}"
    if t.precision == "month":
        return t.date.strftime("%Y-%m")
    return str(t.date.year)
