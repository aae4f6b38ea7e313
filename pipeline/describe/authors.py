"""Bylines as written to a clean tuple of author names (persons, or the agency that is the byline)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.describe.dates import MONTHS, WEEKDAYS, contains_date
from pipeline.lexicon import read_sections

DATA = Path(__file__).resolve().parents[1] / "data"
MAX_TOKENS = 6      # "Reject strings that are clearly not names": longer is a sentence
MAX_CHARS = 60


_LEX = read_sections(DATA / "author_labels.txt")
_AGENCIES = {a.casefold(): a for a in _LEX["agencies"]}
_AGENCY_WORDS = frozenset(w.casefold() for w in _LEX["agency_words"] if " " not in w)
_AGENCY_PHRASES = tuple(w.casefold() for w in _LEX["agency_words"] if " " in w)
_ROLE_WORDS = frozenset(w.casefold() for w in _LEX["role_words"])
_TAIL_WORDS = frozenset(w.casefold() for w in _LEX["tail_words"])
_PLACEHOLDERS = frozenset(w.casefold() for w in _LEX["placeholders"])
_PARTICLES = frozenset(w.casefold() for w in _LEX["particles"])
_DATE_WORDS = frozenset(MONTHS) | WEEKDAYS
_FULL_WEEKDAYS = frozenset(w for w in WEEKDAYS if w.endswith("day"))


def _alternation(phrases: Sequence[str]) -> str:
    return "|".join(
        r"\s+".join(re.escape(word) for word in p.split()) for p in sorted(phrases, key=len, reverse=True)
    )


_LABEL = re.compile(rf"^(?:{_alternation(_LEX['labels'])})(?:\s*[:\-–—]\s*|\s+)(?=\S)", re.I)
_DROP_SEGMENT = re.compile(rf"^(?:{_alternation(_LEX['drop_segments'])})\b", re.I)
# A drop label that ends in "by" can sit mid-segment: "Jane Doe, photos by John Roe".
_DROP_BY_HEADS = tuple(d[:-3].casefold() for d in _LEX["drop_segments"] if d.endswith(" by"))
_MID_BY = re.compile(r"(?<!\S)by\s*:?\s+(?=\S)", re.I)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_HANDLE = re.compile(r"@\w+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# "Jonathan GarberFOXBusiness": an outlet glued to the name by a lost line break.
_GLUED_CAPS = re.compile(r"(?<=[a-z])(?=[A-Z]{2,})")
_HARD_SPLIT = re.compile(r"\s*[;\n]\s*")
# After these the byline goes on with a role, an outlet or a date: "Amy Kuperinsky | NJ Advance
# Media", "Tim Childers - Live Science Contributor".
_TAIL_SPLIT = re.compile(r"\s*[|·•]\s*|\s+/\s+|\s+[-–—]+\s+|\s*--+\s*")
_PERSON_SPLIT = re.compile(r"\s*,\s*|\s+(?:and|&|und|et)\s+|\s*&\s*", re.I)
_DATE_BEFORE_CUT = re.compile(
    r"(?:[\s,]*\b(?:" + "|".join(sorted(_DATE_WORDS, key=len, reverse=True)) + r")\.?)+[\s,]*$", re.I
)
_NAME_TOKEN = re.compile(r"^[^\W\d_](?:[^\W\d_]|[.'’\-])*$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class _Entry:
    name: str
    kind: str       # person, org (agency, newsroom, outlet) or single (one word, e.g. "Regan")


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    text = _PARENS.sub(" ", _HANDLE.sub(" ", text))
    return _SPACE.sub(" ", text).strip(" \t,;:|")


def _after_by(segment: str) -> str:
    """'Posted on March 30, 2015 by Admin' -> 'Admin'; 'Jane Doe, photos by X' -> 'Jane Doe,'."""
    match = _MID_BY.search(segment)
    if match is None or match.start() == 0:
        return segment
    prefix = segment[: match.start()].rstrip()
    for head in _DROP_BY_HEADS:
        if prefix.casefold().endswith(head):
            return prefix[: len(prefix) - len(head)]
    if _LABEL.match(segment):   # "Text by X", "Written by X": the label rule's job
        return segment
    rest = segment[match.end():]
    if "," in prefix and not any(ch.isdigit() for ch in prefix):
        return prefix.rsplit(",", 1)[0] + ", " + rest    # "A, additional reporting by B"
    return rest


def _strip_labels(text: str) -> str:
    while True:
        stripped = _LABEL.sub("", text, count=1)
        if stripped == text:
            return text
        text = stripped


def _cut_at_date(text: str) -> str:
    """The byline before its date or time; digits that are no date stay (and reject the name)."""
    if not contains_date(text):
        return text
    for i, ch in enumerate(text):
        if ch.isdigit():
            return _DATE_BEFORE_CUT.sub("", text[:i])
    return text


def _title_case(name: str) -> str:
    words = []
    for i, word in enumerate(name.split()):
        low = word.lower()
        if 0 < i < len(name.split()) - 1 and low in _PARTICLES:
            words.append(low)
            continue
        word = low.title()
        if len(word) > 2 and word.startswith("Mc"):
            word = "Mc" + word[2:].capitalize()
        words.append(word)
    return " ".join(words)


def _entry(candidate: str, person_seen: bool) -> _Entry | None:
    candidate = _GLUED_CAPS.split(candidate, maxsplit=1)[0]
    candidate = candidate.strip(" .,:-–—'\"’")
    if not candidate or any(ch.isdigit() for ch in candidate):
        return None
    agency = _AGENCIES.get(candidate.casefold())
    if agency:
        return _Entry(agency, "org")
    tokens = candidate.split()
    # From the third token on: "Phil Helsel is a reporter" is a bio, "This is a sentence" is not.
    for i, token in enumerate(tokens[2:], start=2):
        if token.casefold() in _TAIL_WORDS:
            tokens = tokens[:i]
            break
    while len(tokens) > 1 and tokens[-1].casefold().rstrip(".,") in _FULL_WEEKDAYS:
        tokens.pop()
    folded = [t.casefold().strip(".,") for t in tokens]
    if any(t in _AGENCY_WORDS for t in folded) or any(p in " ".join(folded) for p in _AGENCY_PHRASES):
        return _Entry(" ".join(tokens), "org") if len(tokens) <= MAX_TOKENS else None
    roles = [i for i, t in enumerate(folded) if t in _ROLE_WORDS]
    if roles:
        if person_seen:          # "Tom Krisher; AP Auto Writer": a role tail
            return None
        lead = 0
        while lead < len(tokens) and folded[lead] in _ROLE_WORDS:   # "Senior Writer Jane Doe"
            lead += 1
        end = next((i for i in roles if i >= lead), len(tokens))
        tokens = tokens[lead:end]
    if not tokens or len(tokens) > MAX_TOKENS:
        return None
    name = " ".join(tokens)
    letters = [ch for ch in name if ch.isalpha()]
    if len(name) > MAX_CHARS or len(letters) < 2 or any(ch.isdigit() for ch in name):
        return None
    if name.isupper() or name.islower():
        name = _title_case(name)
        tokens = name.split()
    if name.casefold() in _PLACEHOLDERS or name.casefold().strip(".") in _DATE_WORDS:
        return None
    for i, token in enumerate(tokens):
        if not _NAME_TOKEN.match(token):
            return None
        if token[0].islower() and token.casefold() not in _PARTICLES:
            return None          # "Syrian defense ministries", "Cleveland com": not a name
    if tokens[0].casefold() == "the":
        return None              # an outlet ("The Water Coolest"); agencies were matched above
    return _Entry(name, "person" if len(tokens) > 1 else "single")


def _dedupe_key(name: str) -> str:
    tokens = [t for t in name.casefold().split() if len(t.strip(".")) > 1]
    return " ".join(tokens) or name.casefold()


def normalise_authors(raw: Sequence[str]) -> tuple[str, ...]:
    """Clean author names from raw bylines: labels, roles, outlets, dates and handles removed.

    Agencies and newsrooms ("AFP", "News Wires") are kept when they are the byline, dropped as
    an outlet tail when a person is named. Order is kept; duplicates are merged into the fullest
    spelling ("Troy Smith" + "Troy L. Smith" -> "Troy L. Smith").
    """
    if isinstance(raw, str):
        raw = (raw,)
    entries: list[_Entry] = []
    for text in raw:
        if not isinstance(text, str):
            continue
        for segment in _HARD_SPLIT.split(_clean(text)):
            if not segment or _DROP_SEGMENT.match(segment):
                continue
            segment = _cut_at_date(_after_by(segment))
            head = next((part for part in _TAIL_SPLIT.split(segment) if part.strip()), "")
            head = _strip_labels(head.strip(" ,:;"))
            if _DROP_SEGMENT.match(head):
                continue
            whole = _AGENCIES.get(head.casefold())
            candidates = [whole] if whole else _PERSON_SPLIT.split(head)
            for candidate in candidates:
                entry = _entry(candidate, any(e.kind == "person" for e in entries))
                if entry is not None:
                    entries.append(entry)
    if any(e.kind == "person" for e in entries):
        entries = [e for e in entries if e.kind == "person"]
    out: dict[str, str] = {}
    for entry in entries:
        key = _dedupe_key(entry.name)
        if key not in out or len(entry.name) > len(out[key]):
            out[key] = entry.name
    return tuple(out.values())
