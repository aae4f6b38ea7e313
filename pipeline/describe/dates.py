"""Dates as written on news pages, and the choice of published/updated dates among candidates."""

from __future__ import annotations

import csv
import datetime as dt
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pipeline.lexicon import read_sections
from pipeline.model import Signals

DATA = Path(__file__).resolve().parents[1] / "data"
MIN_DATE = dt.date(1800, 1, 1)
# Candidates longer than this are prose, not a date line: only the fast rules look at them.
DATEPARSER_MAX_CHARS = 120
# Tokens either side of a year handed to dateparser: "3 de septiembre de 2014" needs 4 before.
WINDOW_BEFORE, WINDOW_AFTER = 4, 1
# Fixed so that a result never depends on the clock (relative parsers are off anyway).
RELATIVE_BASE = dt.datetime(2000, 1, 1)


def _read_sections(path: Path) -> dict[str, list[list[str]]]:
    return {name: [entry.split() for entry in entries] for name, entries in read_sections(path).items()}


_WORDS = _read_sections(DATA / "date_words.txt")
MONTHS: dict[str, int] = {
    spelling: int(row[0]) for row in _WORDS["months"] for spelling in row[1:]
}
WEEKDAYS: frozenset[str] = frozenset(w for row in _WORDS["weekdays"] for w in row)

_MONTH = "(?P<mon>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|2\d\d\d)"
# Each rule: (pattern, kind). Every rule is searched; the match that starts first wins, so a
# line with "Published ... | Updated ..." gives its first date.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), kind)
    for p, kind in (
        # 2019-11-19, 2019-11-19T10:30:00+00:00, 2019/11/19, 2019.11.19
        (rf"(?<![\d.]){_YEAR}(?P<sep>[-/.])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?![\d/])", "ymd"),
        # November 20, 2019 / Nov. 20 2019 / Sept 3rd, 2014 / Nov-20-2019
        (rf"(?<![a-z]){_MONTH}(?:\s+|-|\.)?{_DAY},?(?:\s+|-)(?:of\s+)?{_YEAR}(?!\d)", "mdy"),
        # 21 March 2013 / 20th of November, 2019 / 20-Nov-2019
        (rf"(?<!\d){_DAY}(?:\s+of)?(?:\s+|-|\.\s*)?{_MONTH}(?![a-z]),?(?:\s+|-){_YEAR}(?!\d)", "dmy"),
        # 20/11/2019, 11/18/19, 11-18-2019: the order is decided in _numeric
        (r"(?<![\d/.-])(?P<a>[0-3]?\d)(?P<sep>[/-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/-])", "num"),
        # 20.11.2019: dotted numeric dates are the European/Slavic convention, always day first
        (r"(?<![\d.])(?P<a>[0-3]?\d)\.(?P<b>[01]?\d)\.(?P<y>\d{4})(?![\d.]|\.\d)", "dotted"),
        # 2019年11月20日 (Chinese, Japanese), 2019년 11월 20일 (Korean)
        (r"(?P<year>\d{4})\s*[年년]\s*(?P<m>\d{1,2})\s*[月월]\s*(?P<d>\d{1,2})\s*[日일]?", "ymd"),
    )
)
_HAS_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|2[01]\d\d)(?!\d)")
_HAS_LETTER = re.compile(r"[^\W\d_]")
# A complete date written in words still has its day in digits ("30 марта 2015"); without one,
# dateparser spends ~10-30 ms to say no.
_HAS_DAY = re.compile(r"(?<!\d)(?:0?[1-9]|[12]\d|3[01])(?!\d)")
# English month words are covered by the fast rules: if those failed, dateparser will too
# ("November 2019" cost 87 ms to reject).
_ENGLISH_MONTH = re.compile(r"(?<![^\W\d_])(?:" + "|".join(MONTHS) + r")(?![^\W\d_])", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


# Whether this thread set a date aside for being after today since after_today_reset(): such a
# result may change on a later day (the date becomes valid), so it is not cached.
_after_today = threading.local()


def after_today_reset() -> None:
    _after_today.seen = False


def after_today_seen() -> bool:
    """True when a date was set aside for being after today since after_today_reset()."""
    return getattr(_after_today, "seen", False)


def _not_after(value: dt.date, today: dt.date) -> bool:
    if value > today:
        _after_today.seen = True
        return False
    return True


def _valid(year: int, month: int, day: int, today: dt.date) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    return value if MIN_DATE <= value and _not_after(value, today) else None


def _two_digit_year(yy: int, today: dt.date) -> int:
    # "11/18/19": the most recent year ending in yy that is not after today.
    century = today.year - today.year % 100
    return century + yy if century + yy <= today.year else century - 100 + yy


def _numeric(a: int, b: int, year: int, today: dt.date) -> dt.date | None:
    """Slash/dash numeric dates: month first (US convention, the one the English-language news
    corpus uses: "11/18/19" on The Hill, Newsweek), day first only when the month-first reading is
    impossible (month > 12, no such day, or a date after today)."""
    return _valid(year, a, b, today) or _valid(year, b, a, today)


def _from_match(match: re.Match[str], kind: str, today: dt.date) -> dt.date | None:
    g = match.groupdict()
    if kind == "ymd":
        return _valid(int(g["year"]), int(g["m"]), int(g["d"]), today)
    if kind in ("mdy", "dmy"):
        # the rule matches month names case-insensitively, so a few letters ("ſ" in "Auguſt")
        # lower-case to no spelling in the lexicon: casefolded they do; else no date, not a crash
        month = MONTHS.get(g["mon"].lower()) or MONTHS.get(g["mon"].casefold())
        return _valid(int(g["year"]), month, int(g["day"]), today) if month else None
    year = int(g["y"])
    if len(g["y"]) == 2:
        year = _two_digit_year(year, today)
    if kind == "dotted":
        return _valid(year, int(g["b"]), int(g["a"]), today)
    return _numeric(int(g["a"]), int(g["b"]), year, today)


def _fast(text: str, today: dt.date) -> tuple[bool, dt.date | None]:
    """(a rule matched, first in-range date): a match that is no valid date still counts, so
    "1799-05-01" or a future date is rejected without asking dateparser."""
    matches = []
    for pattern, kind in _RULES:
        for match in pattern.finditer(text):
            matches.append((match.start(), match, kind))
    matches.sort(key=lambda item: item[0])
    for _, match, kind in matches:
        value = _from_match(match, kind, today)
        if value is not None:
            return True, value
    return bool(matches), None


_TIME = re.compile(r"(?<!\d)[0-2]?\d:[0-5]\d(?!\d)")


def contains_date(text: str) -> bool:
    """True when the fast rules see a day-month-year date or a clock time in `text`."""
    return bool(_TIME.search(text)) or _fast(text, dt.date.max)[0]


@lru_cache(maxsize=1)
def _dateparser():
    from dateparser.date import DateDataParser  # slow import (~0.3 s), only when needed

    return DateDataParser(
        settings={
            # dateparser copies today's day/month into "November 2019": a date needs all three.
            "REQUIRE_PARTS": ["day", "month", "year"],
            "RETURN_AS_TIMEZONE_AWARE": False,
            "RELATIVE_BASE": RELATIVE_BASE,
            # no "timestamp" (any 10-digit number), "relative-time" ("5 hours ago" has no anchor)
            # or "no-spaces-time" (any digit run)
            "PARSERS": ["custom-formats", "absolute-time"],
        },
        # True would make the result depend on which pages were parsed before.
        try_previous_locales=False,
    )


@lru_cache(maxsize=4096)
def _slow(text: str) -> dt.date | None:
    """dateparser on a few tokens around each year (other languages: "30 марта 2015")."""
    tokens = text.split()
    tried: set[str] = set()
    for i, token in enumerate(tokens):
        if not _HAS_YEAR.search(token):
            continue
        # tight window first: "Maret 30, 2015"; a wide one costs ~60 ms when labels fail every locale
        for lo, hi in ((i - 2, i + 1), (i - WINDOW_BEFORE, i + 1 + WINDOW_AFTER), (i, i + 4)):
            window = " ".join(tokens[max(lo, 0):hi])
            if window in tried or not (_HAS_LETTER.search(window) and _HAS_DAY.search(window)):
                continue
            tried.add(window)
            try:
                data = _dateparser().get_date_data(window)
            except Exception:  # dateparser has raised on odd inputs; a date is optional
                continue
            if data.date_obj is not None:
                return data.date_obj.date()
    return None


def parse_date(text: str, *, today: dt.date | None = None) -> dt.date | None:
    """The first date written in `text` (labels and times around it ignored), or None.

    None when there is no complete day-month-year date, when it is relative ("5 hours ago"),
    or when it is before 1800 or after `today` (default: today's date). A date-time keeps the
    date as written; its time zone is not applied.
    """
    if not text or not isinstance(text, str):
        return None
    today = today or dt.date.today()
    text = _SPACE.sub(" ", text).strip()
    matched, value = _fast(text, today)
    if matched or len(text) > DATEPARSER_MAX_CHARS or not _HAS_YEAR.search(text):
        return value
    if _ENGLISH_MONTH.search(text):
        return None
    value = _slow(text)
    if value is None or not (MIN_DATE <= value and _not_after(value, today)):
        return None
    return value


_URL_RULES = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # /2019/11/19/, /2019-11-19-slug, /2019_11_19
        r"(?<![\d])(?P<year>(?:19|20)\d\d)(?P<sep>[/_-])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)(?!\d)",
        # /2019/nov/19/ (The Guardian style)
        rf"/(?P<year>(?:19|20)\d\d)/(?P<mon>[a-z]{{3,9}})/(?P<d>[0-3]?\d)(?=[/_-]|$)",
        # /20191119/ or /20191119-slug as a whole path segment start
        r"/(?P<year>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?=[/_.-]|$)",
    )
)


def date_from_url(url: str | None, *, today: dt.date | None = None) -> dt.date | None:
    """A date in the URL path (/2019/11/19/, /2019/nov/19/, /20191119-slug), or None."""
    if not url:
        return None
    today = today or dt.date.today()
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_RULES:
        for match in pattern.finditer(path):
            g = match.groupdict()
            month = MONTHS.get((g.get("mon") or "").lower()) if g.get("mon") else int(g["m"])
            if month:
                value = _valid(int(g["year"]), month, int(g["d"]), today)
                if value:
                    return value
    return None


@dataclass(frozen=True)
class SignalRule:
    signal: str
    role: str       # published, updated or either (see date_signals.csv)
    priority: int   # 1 is strongest


def _load_signals() -> dict[str, SignalRule]:
    with (DATA / "date_signals.csv").open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {
            r["signal"]: SignalRule(r["signal"], r["role"], int(r["priority"])) for r in rows
        }


SIGNALS: dict[str, SignalRule] = _load_signals()
# Signals missing from the table rank after every known one, in the role of their field.
UNKNOWN_PRIORITY = 1 + max(rule.priority for rule in SIGNALS.values())


@dataclass(frozen=True)
class DateResolution:
    published: dt.date | None
    updated: dt.date | None
    date_source: str | None     # signal that gave `published` (or `updated` when alone)


def _sidecar_date(value: Any, today: dt.date) -> dt.date | None:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value if MIN_DATE <= value and _not_after(value, today) else None
    if isinstance(value, str):
        return parse_date(value, today=today)
    return None


def _candidates(
    pairs: Iterable[tuple[str, str]], field: str, today: dt.date
) -> list[tuple[str, int, dt.date, str]]:
    """(role, priority, date, signal) for every candidate that parses."""
    out = []
    for text, signal in pairs:
        rule = SIGNALS.get(signal)
        role = field if rule is None or rule.role == "either" else rule.role
        priority = rule.priority if rule else UNKNOWN_PRIORITY
        value = parse_date(text, today=today)
        if value is not None:
            out.append((role, priority, value, signal))
    return out


def resolve_dates(
    signals: Signals, sidecar: dict | None = None, *, today: dt.date | None = None
) -> DateResolution:
    """Published and updated dates: the sidecar's when it has them, else the strongest signal.

    Published is the strongest published-role candidate (ties: the earliest date); updated the
    strongest updated-role one (ties: the latest). An updated date never becomes the published
    one; an updated date before the published one is dropped.
    """
    today = today or dt.date.today()
    sidecar = sidecar or {}
    cands = _candidates(signals.published, "published", today)
    cands += _candidates(signals.updated, "updated", today)
    url_date = date_from_url(signals.url or sidecar.get("url"), today=today)
    if url_date is not None:
        rule = SIGNALS.get("url", SignalRule("url", "published", UNKNOWN_PRIORITY))
        cands.append((rule.role, rule.priority, url_date, "url"))

    pub = [c for c in cands if c[0] == "published"]
    upd = [c for c in cands if c[0] == "updated"]
    best_pub = min(pub, key=lambda c: (c[1], c[2]), default=None)
    best_upd = min(upd, key=lambda c: (c[1], -c[2].toordinal()), default=None)
    published, source = (best_pub[2], best_pub[3]) if best_pub else (None, None)
    updated = best_upd[2] if best_upd else None

    side_pub = _sidecar_date(sidecar.get("published"), today)
    side_upd = _sidecar_date(sidecar.get("updated"), today)
    if side_pub is not None:
        published, source = side_pub, "sidecar"
    if side_upd is not None:
        updated = side_upd
    if published is not None and updated is not None and updated < published:
        updated = None
    if published is None and updated is not None:
        source = "sidecar" if side_upd is not None else best_upd[3]
    return DateResolution(published, updated, source if (published or updated) else None)
