"""Event triggers from pipeline/data/event_triggers.csv, sentence splitting and factuality cues."""

from __future__ import annotations

import csv
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from re import _constants as _sre  # the regex parser's opcodes, to read the trigger patterns
from re import _parser

from pipeline.prefilter import fold, trie_regex

DATA = Path(__file__).resolve().parents[1] / "data"
# event_triggers.csv pattern syntax: a regex matched case-insensitively from a word start, where a
# space means any whitespace and " _ " allows up to four words in between; the longest pattern
# starting at a word wins. kind "noun" marks nominal mentions ("nuclear test"), which take their
# actor only from a modifier or a "by" phrase and are background beside a verb event.
_GAP = r"(?:\s+[^\s.;:!?]+){0,4}?"


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    event_type: str
    mode: str | None
    subtype: str | None
    contexts: tuple[str, ...]
    kind: str          # verb or noun: a noun trigger in a sentence with a verb event is background


@dataclass(frozen=True)
class _Entry:
    regex: re.Pattern
    event_type: str
    mode: str | None
    subtype: str | None
    contexts: tuple[str, ...]
    kind: str


def _csv(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r and not next(iter(r.values()), "").startswith("#")]


def _compile(pattern: str) -> re.Pattern:
    rx = (pattern.replace(" _ ", "\x00").replace(" ?", r"\s*").replace(" ", r"\s+")
          .replace("\x00", _GAP + r"\s+"))
    return re.compile(rf"(?:{rx})(?![\w-])", re.I)


def _literal_prefix(items) -> tuple[str, bool]:
    """The letters and digits a parsed pattern always opens with (and whether that is all of it)."""
    out = []
    for op, av in items:
        if op is _sre.LITERAL and chr(av).isalnum():
            out.append(chr(av))
            continue
        if op is _sre.SUBPATTERN:
            sub, complete = _literal_prefix(av[3])
            out.append(sub)
            if complete:
                continue
        return "".join(out), False
    return "".join(out), True


@lru_cache(maxsize=1)
def _starts() -> re.Pattern:
    """Word starts that open like some trigger: a C-speed prefilter. Each trigger contributes the
    letters its pattern always opens with ("detonat", "withdr"), at least its three-letter index
    key, so that "with", "should" or "program" are not tried against "withdraw", "shoot", "protest"."""
    # a trie: the regex engine then rejects most words at their first character
    return re.compile(rf"(?<![\w'’-])(?:{trie_regex(_prefixes())})", re.I)


@lru_cache(maxsize=1)
def _prefixes() -> frozenset[str]:
    prefixes = set()
    for key, entries in _entries().items():
        for e in entries:
            p = _literal_prefix(_parser.parse(e.regex.pattern, e.regex.flags))[0].lower()
            prefixes.add(p if len(p) >= len(key) and p.startswith(key) else key)
    return frozenset(prefixes)


@lru_cache(maxsize=1)
def _folded_scan() -> re.Pattern | None:
    r"""_starts() without IGNORECASE and its look-behind, for the text as pipeline.prefilter.fold
    folds it: a superset of its matches, found ~2x faster (each is then checked with _starts()).

    Exact because (1) a character matches a lower-case ASCII letter under re.IGNORECASE only if
    it folds to that letter (prefilter's tested property); (2) no character that is not a word
    character folds into one (checked over every code point: tests/events/test_extract.py), so a
    word start stays one after folding; (3) the prefixes here are ASCII letters and digits only ("co-" is cut to
    "co", which only adds candidates), so a match never runs across a word start and hides it.

    Written for " " + the folded text as "the non-word character before the word, then the
    word": [^a-z0-9_](?<=\W) is \W opening with a plain character set, which the engine skips to
    at C speed (20 % faster than \b at every position). A match at i of the padded text is a
    match of \b(?:...) at i of the folded text (\b before a word character: the one before it is
    no word character, or there is none, where the pad stands), and a match still ends inside its
    word, so finditer sees the same matches."""
    cut = {re.match(r"[a-z0-9]*", p).group() for p in _prefixes()}
    if "" in cut or not all(c.isascii() for c in cut):
        return None
    return re.compile(rf"[^a-z0-9_](?<=\W)(?:{trie_regex(cut)})")


def _trigger_starts(text: str) -> list[int]:
    """The start of every match of _starts().finditer(text), in order."""
    rx, fast = _starts(), _folded_scan()
    low = fold(text) if fast is not None else ""
    if fast is None or len(low) != len(text):
        return [w.start() for w in rx.finditer(text)]
    match = rx.match
    return [i for i in (m.start() for m in fast.finditer(" " + low))
            if (i == 0 or low[i - 1] not in "'’-") and match(text, i)]


@lru_cache(maxsize=1)
def _entries() -> dict[str, list[_Entry]]:
    index: dict[str, list[_Entry]] = {}
    rows = _csv("event_triggers.csv")
    # Longer patterns first, so "nuclear test" beats "test" and "suicide bomber" beats "bomber".
    rows.sort(key=lambda r: -len(r["pattern"]))
    for r in rows:
        pat = r["pattern"]
        key = re.sub(r"\(\?-i:(\w)\)", r"\1", pat)[:3].lower()
        entry = _Entry(_compile(pat), r["event_type"], r["mode"] or None, r["subtype"] or None,
                       tuple(c for c in r["contexts"].split(";") if c), r["kind"] or "verb")
        index.setdefault(key, []).append(entry)
    return index


_WORD = re.compile(r"(?<![\w'’-])\w")


def find_triggers(text: str) -> list[Trigger]:
    """Non-overlapping trigger matches in `text`, in order."""
    index = _entries()
    out: list[Trigger] = []
    end = -1
    for i in _trigger_starts(text):
        if i < end:
            continue
        for e in index.get(text[i:i + 3].lower(), ()):
            m = e.regex.match(text, i)
            if m:
                out.append(Trigger(i, m.end(), m.group(), e.event_type, e.mode, e.subtype, e.contexts, e.kind))
                end = m.end()
                break
    return out


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    lines = (DATA / "event_abbreviations.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x.strip() for x in lines if x.strip() and not x.startswith("#"))


_INITIALS = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")    # "U.S", "e.g"
# A sentence ends at [.!?]+ and closing quotes or brackets before a space and a capital or digit,
# or at a run of line breaks: r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n+", written so that
# it opens with one character class (the engine then skips to those characters at C speed, 4x
# faster on the benchmark corpus). Same matches: a match's first character picks the branch, and
# [.!?][.!?]* backtracks as [.!?]+ does.
_BOUNDARY = re.compile(r"[.!?\n](?:(?<=\n)\n*|(?<=[.!?])[.!?]*[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9]))")


def sentences(body: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `body`, stripped of surrounding whitespace."""
    abbrev = _abbreviations()
    spans, start = [], 0
    for m in _BOUNDARY.finditer(body):
        if m.group()[0] == ".":
            k = max(body.rfind(" ", start, m.start()), body.rfind("\n", start, m.start()))
            word = body[max(k + 1, start):m.start()]
            # an initial ("J. Smith": one capital), or initials (_INITIALS needs a ".")
            if word in abbrev or (len(word) == 1 and "A" <= word <= "Z") or \
                    ("." in word and _INITIALS.fullmatch(word)):
                continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(body)))
    out = []
    for s, e in spans:
        seg = body[s:e]
        ls = len(seg) - len(seg.lstrip())
        rs = len(seg.rstrip())
        if rs > ls:
            out.append((s + ls, s + rs))
    return out


@lru_cache(maxsize=1)
def _cues() -> tuple[re.Pattern, dict[str, str]]:
    """One regex for every cue, longest first, tried at every position (a zero-width lookahead,
    so cues inside other cues are still seen), and each cue's factuality by its casefolded text.

    It replaced one regex per cue (~150 finditer calls per trigger, a third of the events stage).
    """
    rows = _csv("event_cues.csv")
    rows.sort(key=lambda r: -len(r["cue"]))
    values: dict[str, str] = {}
    for r in rows:
        values.setdefault(r["cue"].casefold(), r["factuality"])
    alts = "|".join(re.escape(r["cue"]) for r in rows)
    return re.compile(rf"(?=(?<![\w'])({alts})(?!\w))", re.I), values


@lru_cache(maxsize=1)
def _cue_needs() -> re.Pattern | None:
    """Every cue folded (pipeline.prefilter.fold), in one regex: a window whose folded text holds
    none of them holds no cue match (a text matching a literal under re.IGNORECASE holds the
    literal's folded form), so most windows (90 % on the benchmark corpus) skip the cue scan,
    which tries every position."""
    cues = {fold(r["cue"]) for r in _csv("event_cues.csv")}
    return re.compile(trie_regex(sorted(cues))) if all(cues) else None


# r"[,;:—–]|\b(?:but|while|and|after|before|as|which|who)\b", opening with one character class
# (1.6x faster, same matches): (?<!\w.) after the first letter is the \b before it.
_CLAUSE = re.compile(r"[,;:—–abw](?:(?<=[,;:—–])|(?<!\w.)(?<=b)(?:ut|efore)\b|(?<!\w.)(?<=w)(?:hile|hich|ho)\b"
                     r"|(?<!\w.)(?<=a)(?:nd|fter|s)\b)")


def clause_marks(sentence: str) -> list[int]:
    """The ends of the clause marks of a sentence, in order (for factuality)."""
    return [m.end() for m in _CLAUSE.finditer(sentence)]


def factuality(sentence: str, trig_start: int, clause_ends: list[int] | None = None) -> str:
    """asserted, negated, hypothetical or future, from cue words shortly before the trigger.

    The window is the six words before the trigger within its clause (tuned by hand on the
    events probe and the seeds, where wider windows took cues from the previous clause).
    `clause_ends` is clause_marks(sentence), computed once for all the triggers of a sentence:
    valid when trig_start opens a word (as every trigger does), since the marks that end before
    it are then those of sentence[:trig_start].
    """
    left = sentence[:trig_start]
    if clause_ends is None:
        cut = [m.end() for m in _CLAUSE.finditer(left)]
        window = left[cut[-1]:] if cut else left
    else:
        k = bisect_right(clause_ends, trig_start)
        window = left[clause_ends[k - 1]:] if k else left
    window = " ".join(window.split()[-6:])
    # left.lstrip().lower().startswith("if ") without lower-casing all of it: only I/i, F/f and " "
    # lower-case to "i", "f", " " (İ lower-cases to two characters)
    if left.lstrip()[:3].lower() == "if ":
        return "hypothetical"
    needs = _cue_needs()
    if needs is not None and needs.search(fold(window)) is None:
        return "asserted"
    rx, values = _cues()
    last = None
    for last in rx.finditer(window):   # the cue nearest the trigger wins
        pass
    return _cue_value(values, last.group(1)) if last is not None else "asserted"


def _cue_value(values: dict[str, str], matched: str) -> str:
    """The factuality of the cue the regex matched. Case-insensitive matching and casefolding
    disagree on a few letters ("İf" matches the cue "if" but casefolds to "i̇f"): such a match
    is looked up by matching each cue again, not by its folded text."""
    value = values.get(matched.casefold())
    if value is None:
        value = next((v for cue, v in values.items() if re.fullmatch(re.escape(cue), matched, re.I)), "asserted")
    return value


@lru_cache(maxsize=1)
def context_keywords() -> tuple[tuple[str, str], ...]:
    return tuple((r["keyword"], r["context"]) for r in _csv("event_contexts.csv"))


@lru_cache(maxsize=1)
def number_words() -> dict[str, int]:
    return {r["word"]: int(r["value"]) for r in _csv("event_numbers.csv")}
