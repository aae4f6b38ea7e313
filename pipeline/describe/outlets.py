"""Outlet registry lookups and `resolve_outlet(doc, url, hint)`: which outlet published a document."""

from __future__ import annotations

import csv
import functools
import re
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.model import Document
from pipeline.prefilter import fold as _ignorecase_fold, required as _required, trie_regex as _trie

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
REGISTRY_CSV = DATA_DIR / "outlets.csv"
TEXT_TOML = DATA_DIR / "outlet_text.toml"

# Boilerplate vote: the leading outlet must be named in at least this many times as many dropped
# blocks as the runner-up. Tuned on zyte-articles (88 text dumps split into gold body vs the rest,
# no url, no site name; 77 pages from registry outlets): 1.5 gave 66 right / 3 wrong / 8 none,
# 2.0 gave 63 / 3 / 11, 3.0 gave 58 / 4 / 15; the 11 pages of unlisted sites stayed None throughout.
# The pages 1.5 wins are sister sites in one network's chrome (Fox Business 7 vs Fox News 4).
DOMINANCE = 1.5

_TOKEN = re.compile(r"[^\W_]+")
_DOMAIN_IN_TEXT = re.compile(r"(?<![\w.@-])((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})(?![\w-])", re.I)
_HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
# Between two words of one outlet name: spaces, hyphens, "&", "/", apostrophes; never a line break
# or sentence punctuation ("... in France. 24 hours later" is not "France 24").
_BAD_GAP = re.compile(r"[\n,;:!?()\[\]\"“”|]")


@dataclass(frozen=True)
class Outlet:
    """One registry row."""

    name: str
    aliases: tuple[str, ...]
    domains: tuple[str, ...]
    country: str
    kind: str


@dataclass(frozen=True)
class OutletMatch:
    """The outlet a document was attributed to, and which clue (`signal`) decided it."""

    name: str
    domain: str | None
    country: str | None
    signal: str   # hint, url, signals.url, site_name, domains, boilerplate, self_reference, domain


@dataclass(frozen=True)
class _Surface:
    outlet: int
    spellings: tuple[tuple[str, ...], ...]   # original-case tokens of every spelling with this key
    safe: bool                               # may be trusted in running text


def registry_files() -> list[Path]:
    """Data files the outlet resolution depends on (their hashes go into a version's provenance)."""
    return [REGISTRY_CSV, TEXT_TOML]


def _fold(text: str) -> str:
    text = text.casefold()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _fold_words(joined: str, words: list[str]) -> list[str]:
    """[_fold(w) for w in words], where joined == " ".join(words), in one call instead of one per
    word (most blocks of the benchmark corpus are not ASCII: curly quotes). Folding is character by character (casefold has no
    context; NFKD reorders combining marks only between two starters, and a space is one), so
    _fold(joined) is the folded words joined by spaces; split back when no word folded into
    something with a space in it (U+FDFA does), else word by word. tests/describe/test_outlets.py
    compares the two."""
    folded = _fold(joined).split(" ")
    return folded if len(folded) == len(words) else [_fold(t) for t in words]


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(text))


def name_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key of a name: "FRANCE 24" -> "france 24"."""
    return " ".join(_fold(t) for t in _tokens(text))


@functools.cache
def outlets() -> tuple[Outlet, ...]:
    """All registry rows, in file order."""
    with REGISTRY_CSV.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    rows = []
    for row in csv.DictReader(lines):
        rows.append(Outlet(
            name=row["name"].strip(),
            aliases=tuple(a.strip() for a in (row["aliases"] or "").split("|") if a.strip()),
            domains=tuple(d.strip().lower() for d in (row["domains"] or "").split("|") if d.strip()),
            country=row["country"].strip(),
            kind=row["kind"].strip(),
        ))
    return tuple(rows)


@functools.cache
def _text_rules() -> dict:
    with TEXT_TOML.open("rb") as fh:
        return tomllib.load(fh)


def _phrase_alternation(phrases: Iterable[str]) -> str:
    parts = sorted({p.strip() for p in phrases if p.strip()}, key=len, reverse=True)
    return "|".join(r"\s+".join(map(re.escape, p.split())) for p in parts)


class _Index:
    """Everything derived from the registry, built once: key, domain and n-gram lookups."""

    def __init__(self, rows: tuple[Outlet, ...], rules: dict):
        self.rows = rows
        self.by_domain: dict[str, int] = {}
        for i, o in enumerate(rows):
            for d in o.domains:
                self.by_domain.setdefault(d, i)

        # Canonical names first so that an alias can never shadow another outlet's name.
        spellings: dict[tuple[str, ...], list[tuple[int, tuple[str, ...]]]] = {}
        for pass_names in (True, False):
            for i, o in enumerate(rows):
                for s in ((o.name,) if pass_names else o.aliases):
                    toks = _tokens(s)
                    key = tuple(_fold(t) for t in toks)
                    if key and all(j == i for j, _ in spellings.get(key, [])):
                        spellings.setdefault(key, []).append((i, toks))
        # "The Sydney Morning Herald" is also written without its article, unless that spelling
        # belongs to someone else ("Daily Star" is not "The Daily Star").
        for key, entries in list(spellings.items()):
            if len(key) >= 3 and key[0] == "the":
                short = key[1:]
                i = entries[0][0]
                if all(j == i for j, _ in spellings.get(short, [])):
                    spellings.setdefault(short, []).extend((i, toks[1:]) for _, toks in entries if len(toks) > 1)

        ambiguous = {tuple(name_key(a).split()) for a in rules["names"]["ambiguous"]}
        last_words: dict[str, set[int]] = {}
        for key, entries in spellings.items():
            last_words.setdefault(key[-1], set()).add(entries[0][0])

        self.by_key: dict[str, int] = {}
        self.surface: dict[tuple[str, ...], _Surface] = {}
        self.first: dict[str, int] = {}
        for key, entries in spellings.items():
            i = entries[0][0]
            self.by_key[" ".join(key)] = i
            bare = key[1:] if key[0] == "the" and len(key) > 1 else key
            # "the Herald", "the Times": one word that ends other outlets' names too.
            generic = len(bare) == 1 and bool(last_words.get(bare[0], set()) - {i})
            safe = key not in ambiguous and not generic
            self.surface[key] = _Surface(i, tuple(dict.fromkeys(t for _, t in entries)), safe)
            self.first[key[0]] = max(self.first.get(key[0], 0), len(key))
        # for each first word, the lengths (in words) of the names it opens, longest first
        lengths: dict[str, set[int]] = {}
        for key in self.surface:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}
        # the first two words of every longer name: "the" opens names, but "the council" none
        self.pairs: frozenset[tuple[str, str]] = frozenset(k[:2] for k in self.surface if len(k) >= 2)
        self.singles: frozenset[str] = frozenset(k[0] for k in self.surface if len(k) == 1)
        # In ASCII text the tokens are the runs of [A-Za-z0-9]: a single or a pair is among its
        # lower-cased tokens exactly where this regex finds it in the lower-cased text ("\x01"
        # stands for the gap between the two words of a pair).
        alnum = re.compile(r"[a-z0-9]+")
        openers = {w for w in self.singles if alnum.fullmatch(w)}
        openers |= {a + "\x01" + b for a, b in self.pairs if alnum.fullmatch(a) and alnum.fullmatch(b)}
        self.ascii_openers = re.compile(
            r"(?<![a-z0-9])(?:" + _trie(openers).replace("\x01", "[^a-z0-9]+") + r")(?![a-z0-9])")

        sr = rules["self_reference"]
        self.before = re.compile(r"\b(?:" + _phrase_alternation(sr["before"]) + r")\s+(?:the\s+)?$", re.I)
        self.after = re.compile(r"^[\s,]*(?:" + _phrase_alternation(sr["after"]) + r")\b", re.I)
        self.void = re.compile(r"\b(?:" + _phrase_alternation(sr["void_before"]) + r")\b", re.I)
        # A self-reference needs a cue before or after the name; a block holding none of the
        # strings every cue match holds (pipeline.prefilter.required: "told", "obtained", ...)
        # cannot vote, and its names need not be looked for (65 % of the benchmark corpus's
        # blocks; _from_self_reference 0.27 -> 0.23 ms per article). None: a cue list with no such strings, every block is read.
        before_needs, after_needs = _required(self.before), _required(self.after)
        self.cue_words = (re.compile(_trie(sorted(set(before_needs) | set(after_needs))))
                          if before_needs and after_needs else None)
        credit = _phrase_alternation(rules["boilerplate"]["credit_words"])
        self.credit_before = re.compile(r"(?:/|\b(?:" + credit + r")\b[^.\n]{0,25})\s*$", re.I)
        self.credit_after = re.compile(r"^\s*(?:/|(?:" + credit + r")\b)", re.I)
        bp = rules["boilerplate"]
        secondary = set(bp["secondary_kinds"])
        self.secondary = frozenset(i for i, o in enumerate(rows) if o.kind in secondary)
        self.secondary_min_blocks = int(bp["secondary_min_blocks"])


@functools.cache
def _index() -> _Index:
    return _Index(outlets(), _text_rules())


def _to_match(i: int, signal: str, domain: str | None = None) -> OutletMatch:
    o = _index().rows[i]
    return OutletMatch(o.name, domain or (o.domains[0] if o.domains else None), o.country, signal)


# ---------------------------------------------------------------- domains


def _host(url_or_domain: str) -> str | None:
    s = url_or_domain.strip().lower()
    if not s:
        return None
    if "://" in s:
        try:
            s = urlsplit(s).hostname or ""
        except ValueError:
            return None
    elif s.startswith("//"):
        s = s[2:]
    s = re.split(r"[/?#:\s]", s, maxsplit=1)[0].strip(".")
    changed = True
    while changed:
        changed = False
        for p in _HOST_PREFIXES:
            if s.startswith(p) and "." in s[len(p):]:
                s, changed = s[len(p):], True
    return s or None


def _lookup_domain(url_or_domain: str) -> tuple[int, str] | None:
    host = _host(url_or_domain)
    if not host:
        return None
    by_domain = _index().by_domain
    labels = host.split(".")
    for k in range(len(labels) - 1):   # the host itself, then parents; never a bare TLD
        cand = ".".join(labels[k:])
        if cand in by_domain:
            return by_domain[cand], cand
    return None


def outlet_for_domain(domain: str) -> OutletMatch | None:
    """Registry outlet owning a domain, a host below it or a URL on it (edition.cnn.com -> CNN)."""
    hit = _lookup_domain(domain)
    return _to_match(hit[0], "domain", hit[1]) if hit else None


# ---------------------------------------------------------------- names


def _name_index(text: str) -> int | None:
    key = name_key(text)
    if not key:
        return None
    idx = _index()
    if key in idx.by_key:
        return idx.by_key[key]
    # With or without its article, but "Herald" is not promoted to "The Herald": one of many.
    alt = key[4:] if key.startswith("the ") else "the " + key
    surf = idx.surface.get(tuple(alt.split()))
    if surf is not None and surf.safe:
        return surf.outlet
    if re.fullmatch(r"\S+\.[a-z]{2,}\S*", text.strip(), re.I):
        hit = _lookup_domain(text)
        if hit:
            return hit[0]
    return None


def normalise_outlet_name(text: str) -> str | None:
    """Canonical registry name for a name, alias or domain ("FRANCE 24" -> "France 24"), else None."""
    i = _name_index(text or "")
    return None if i is None else _index().rows[i].name


def _case_ok(spelling: tuple[str, ...], found: list[str]) -> bool:
    for n, (want, got) in enumerate(zip(spelling, found)):
        if n == 0 and want.lower() == "the":
            continue
        if want[:1].isupper() and not got[:1].isupper():
            return False
        if len(want) > 1 and want.isupper() and want.isalpha() and not got.isupper():
            return False
    return True


def _gap_ok(text: str, end: int, start: int, prev: str) -> bool:
    gap = text[end:start]
    if len(gap) > 3 or _BAD_GAP.search(gap):
        return False
    # "L.A. Times", "St. Louis", "news.com.au" keep their dots; "France. 24" does not.
    return not ("." in gap and " " in gap and len(prev) > 2)


def _mentions(text: str, safe_only: bool = True) -> Iterator[tuple[int, int, int]]:
    """(start, end, outlet) for every registry name written in `text`, longest spelling first."""
    idx = _index()
    if text.isascii() and idx.ascii_openers.search(text.lower()) is None:
        return      # no word or pair of words that opens a name (half the blocks: a C-speed test)
    lengths = idx.lengths
    # folded tokens; folding an ASCII token is lower-casing it (tokens hold no spaces)
    words = _TOKEN.findall(text)
    joined = " ".join(words)
    folded = joined.lower().split(" ") if joined.isascii() else _fold_words(joined, words)
    surface = idx.surface
    # the words that open a name here: a one-word name, or the first two words of a longer one
    # (set intersections first: most blocks have neither, and the test runs at C speed)
    singles = idx.singles.intersection(folded)
    pairs = idx.pairs.intersection(zip(folded, folded[1:]))
    if not singles and not pairs:
        return
    pair_firsts = {a for a, _ in pairs}
    last = len(folded) - 1
    starts = [i for i, f in enumerate(folded) if f in singles
              or (f in pair_firsts and i < last and (f, folded[i + 1]) in pairs)]
    toks = None     # the tokens' positions, found only once a name passes the case test
    after = 0   # a longer name hides the shorter ones inside it ("The Times of India")
    for i in starts:
        if i < after:
            continue
        for n in lengths[folded[i]]:
            if n > len(words) - i:
                continue
            surf = surface.get(tuple(folded[i:i + n]))
            if surf is None:
                continue
            # the case test first ("people" is no "People"): both tests must pass, in any order
            if not any(_case_ok(s, words[i:i + n]) for s in surf.spellings):
                continue
            if toks is None:
                toks = list(_TOKEN.finditer(text))
            span = toks[i:i + n]
            if not all(_gap_ok(text, a.end(), b.start(), a.group()) for a, b in zip(span, span[1:])):
                continue
            if surf.safe or not safe_only:
                yield span[0].start(), span[-1].end(), surf.outlet
            after = i + n
            break


# ---------------------------------------------------------------- signals


def _winner(votes: Counter, dominance: float = 1.0) -> int | None:
    ranked = votes.most_common(2)
    if not ranked:
        return None
    top = ranked[0][1]
    second = ranked[1][1] if len(ranked) > 1 else 0
    return ranked[0][0] if top > second and top >= dominance * second else None


def _from_site_name(site_name: str) -> int | None:
    i = _name_index(site_name)
    if i is not None:
        return i
    # "FRANCE 24 - International breaking news": take the one outlet named in it, if only one is.
    found = {o for _, _, o in _mentions(site_name, safe_only=False)}
    return found.pop() if len(found) == 1 else None


def _from_domains(domains: Iterable[str]) -> tuple[int, str] | None:
    votes: Counter = Counter()
    where: dict[int, str] = {}
    for d in domains:
        hit = _lookup_domain(d)
        if hit:
            votes[hit[0]] += 1
            where.setdefault(hit[0], hit[1])
    i = _winner(votes)
    return (i, where[i]) if i is not None else None


def _from_boilerplate(doc: Document) -> int | None:
    idx = _index()
    votes: Counter = Counter()
    for block, _reason in doc.dropped:
        text = block.text or ""
        named = set()
        for start, end, o in _mentions(text):
            if idx.credit_before.search(text[max(0, start - 40):start]) or idx.credit_after.search(text[end:end + 12]):
                continue
            named.add(o)
        for m in _DOMAIN_IN_TEXT.finditer(text):
            hit = _lookup_domain(m.group(1))
            if hit:
                named.add(hit[0])
        votes.update(named)   # a block counts once per outlet: one long footer is not ten votes
    primary = Counter({o: n for o, n in votes.items() if o not in idx.secondary})
    if primary:
        return _winner(primary, DOMINANCE)
    i = _winner(votes, DOMINANCE)
    return i if i is not None and votes[i] >= idx.secondary_min_blocks else None


def _sentence_before(text: str, start: int) -> str:
    window = text[max(0, start - 160):start]
    return re.split(r"(?<=[.!?…])[\"'”’)]*\s+|\n", window)[-1]


def _from_self_reference(doc: Document) -> int | None:
    idx = _index()
    votes: Counter = Counter()
    cue_words = idx.cue_words
    for block in doc.blocks:
        text = block.text or ""
        if cue_words is not None and cue_words.search(_ignorecase_fold(text)) is None:
            continue
        for start, end, o in _mentions(text):
            before = _sentence_before(text, start)
            cue = idx.before.search(before)
            if cue is not None:
                if idx.void.search(before[:cue.start()]):
                    continue
            elif not idx.after.search(text[end:end + 40]) or idx.void.search(before):
                continue
            votes[o] += 1
    return _winner(votes)


def resolve_outlet(doc: Document, url: str | None = None, hint: str | None = None) -> OutletMatch | None:
    """The document's outlet from its strongest clue: hint, url, page url, site name, self-named
    domains, boilerplate mentions, then self-references in the body; None when no clue is clear."""
    if hint and hint.strip():
        i = _name_index(hint)
        return _to_match(i, "hint") if i is not None else OutletMatch(hint.strip(), None, None, "hint")
    for value, signal in ((url, "url"), (doc.signals.url, "signals.url")):
        hit = _lookup_domain(value) if value else None
        if hit:
            return _to_match(hit[0], signal, hit[1])
    if doc.signals.site_name:
        i = _from_site_name(doc.signals.site_name)
        if i is not None:
            return _to_match(i, "site_name")
    hit = _from_domains(doc.signals.domains)
    if hit:
        return _to_match(hit[0], "domains", hit[1])
    i = _from_boilerplate(doc)
    if i is not None:
        return _to_match(i, "boilerplate")
    i = _from_self_reference(doc)
    return _to_match(i, "self_reference") if i is not None else None
