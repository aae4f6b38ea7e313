"""Literal prefilters for lexicon regexes: skip a pattern when the text lacks every string it needs.

Case-insensitive patterns with a word boundary in front (most of the boilerplate lexicon) get no
help from the regex engine's own prefix scan, so each search tries every position of the text.
`required(pattern)` reads the parsed pattern and returns lower-case strings one of which every
match contains; `Guarded` tries a list of patterns in order and skips those whose strings are
absent from the lower-cased text. The result is the same as trying every pattern: a skipped
pattern cannot match.

Why folding is exact: under re.IGNORECASE a character matches a literal when their simple
lower-case forms are equal or listed together in the engine's table of extra cases (re._casefix,
"ſ" with "s", "ı" with "i", "ς" with "σ", ...). fold() lower-cases (İ first becomes I: its full
lower-case form has two characters) and maps each such group to one member, so a text that matches
a literal holds the literal's folded form. tests/test_prefilter.py checks this against the engine
for every code point.
"""

from __future__ import annotations

import re
from itertools import product
from re import _constants as K  # noqa: N812 (the regex parser's opcode names)
from re import _parser
from re._casefix import _EXTRA_CASES


def _canon() -> dict[int, int]:
    groups: dict[int, set[int]] = {}
    for key, others in _EXTRA_CASES.items():
        group = {key, *others}
        for member in list(group):
            group |= groups.get(member, set())
        for member in group:
            groups[member] = group
    return {member: min(group) for member, group in groups.items() if member != min(group)}


_CANON = _canon()
_CANON_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CANON)) + "]")


def fold(text: str) -> str:
    """Lower-case text in which every character re.IGNORECASE matches with another has one form."""
    if text.isascii():
        return text.lower()
    if "\u0130" in text:    # İ: re.IGNORECASE folds it to i, str.lower() to i + combining dot
        text = text.replace("\u0130", "I")
    low = text.lower()
    return low.translate(_CANON) if _CANON_CHARS.search(low) else low


_COMMON = frozenset(" .,:;-'\"")   # punctuation found in nearly every block
_MAX_STRINGS = 64        # a product of alternatives larger than this is not spelled out
_REPEATS = (K.MAX_REPEAT, K.MIN_REPEAT, K.POSSESSIVE_REPEAT)


def _exact(op, av) -> frozenset[str] | None:
    """Every string this element can match, lower-cased, when that is a small finite set."""
    if op is K.LITERAL:
        return frozenset([fold(chr(av))])
    if op is K.AT:
        return frozenset([""])       # zero-width: contributes nothing to the matched text
    if op is K.IN:
        chars = set()
        for iop, iav in av:
            if iop is K.LITERAL:
                chars.add(fold(chr(iav)))
            elif iop is K.RANGE and iav[1] - iav[0] < 16:
                chars.update(fold(chr(c)) for c in range(iav[0], iav[1] + 1))
            else:
                return None
        return frozenset(chars)
    if op is K.SUBPATTERN:
        return _seq_exact(av[3])
    if op is K.BRANCH:
        alts = [_seq_exact(a) for a in av[1]]
        return frozenset().union(*alts) if all(a is not None for a in alts) else None
    if op in _REPEATS and av[1] <= 1:
        inner = _seq_exact(av[2])
        if inner is None:
            return None
        return (inner | {""}) if av[0] == 0 else inner
    return None


def _seq_exact(items) -> frozenset[str] | None:
    out = frozenset([""])
    for op, av in items:
        e = _exact(op, av)
        if e is None or len(out) * len(e) > _MAX_STRINGS:
            return None
        out = frozenset(a + b for a, b in product(out, e))
    return out


def _usable(strings: frozenset[str] | None) -> bool:
    """Strings worth testing: none empty or a lone letter, digit or common punctuation mark."""
    return bool(strings) and all(s and not (len(s) == 1 and (s.isalnum() or s in _COMMON)) for s in strings)


def _score(strings: frozenset[str]) -> tuple:
    # prefer longer strings, then fewer of them; other punctuation ("/", "(@", "©") is rare in
    # prose, so it counts as long
    def one(s: str) -> int:
        if any(c.isalnum() for c in s):
            return len(s)
        return 0 if set(s) <= _COMMON else 99
    return (min(one(s) for s in strings), -len(strings))


def _seq_required(items) -> frozenset[str] | None:
    """Strings one of which every match of this sequence contains (None: no useful set)."""
    candidates: list[frozenset[str]] = []
    run: list = []           # consecutive elements with small exact sets

    def flush() -> None:
        exact = _seq_exact(run)
        if exact is not None:
            candidates.append(exact)
        else:                # too many combinations: each element on its own
            candidates.extend(e for e in (_exact(op, av) for op, av in run) if e is not None)
        run.clear()

    for op, av in items:
        if _exact(op, av) is not None:
            run.append((op, av))
            continue
        flush()
        if op is K.SUBPATTERN:
            candidates.append(_seq_required(av[3]))
        elif op is K.BRANCH:
            alts = [_seq_required(a) for a in av[1]]
            if all(_usable(a) for a in alts):
                candidates.append(frozenset().union(*alts))
        elif op in _REPEATS and av[0] >= 1:
            candidates.append(_seq_required(av[2]))
        elif op is K.ATOMIC_GROUP:
            candidates.append(_seq_required(av))
    flush()
    good = [c for c in candidates if _usable(c)]
    return max(good, key=_score) if good else None


def _minimal(strings: frozenset[str]) -> list[str]:
    """Drop strings that contain another one of the set (the shorter one is found anyway)."""
    return sorted(s for s in strings if not any(t != s and t in s for t in strings))


def required(pattern: re.Pattern) -> list[str] | None:
    """Lower-case strings one of which every match of pattern contains, or None when the pattern
    has no such strings worth testing."""
    found = _seq_required(_parser.parse(pattern.pattern, pattern.flags))
    return _minimal(found) if found else None


def trie_regex(strings) -> str:
    """A regex matching any of the strings, written as a trie ("ab(?:c|d)?"): the engine then
    checks one branch per character instead of every string in turn, and matches the longest
    string that starts where it matches."""
    trie: dict = {}
    for string in strings:
        node = trie
        for ch in string:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        alts = [re.escape(ch) + emit(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return (body if body.startswith("(?:") else "(?:" + body + ")") + "?"
        return body

    return emit(trie)


class Guarded:
    """Patterns tried in order, each skipped when the text lacks all of its required strings."""

    def __init__(self, items: list[tuple]) -> None:
        """items: tuples whose last element is the compiled pattern (the rest is passed back)."""
        self.items = items
        self.needs = needs = [required(item[-1]) for item in items]
        self.unguarded = [item for item, n in zip(items, needs) if n is None]
        strings = sorted({s for n in needs if n for s in n})
        self.any = re.compile(trie_regex(strings)) if strings else None
        # a match is the longest string starting there; the others starting there are its prefixes
        self.owners = {s: frozenset(i for i, n in enumerate(needs) if n and any(s.startswith(t) for t in n))
                       for s in strings}
        self.always = frozenset(i for i, n in enumerate(needs) if n is None)

    def candidates(self, low: str) -> list[tuple]:
        """The items whose pattern may match a text, in order; low is fold(text)."""
        m = self.any.search(low) if self.any is not None else None
        if m is None:
            return self.unguarded
        hit = set(self.always)
        while m is not None:
            hit |= self.owners[m.group()]
            m = self.any.search(low, m.start() + 1)
        return [item for i, item in enumerate(self.items) if i in hit]


# Letters by their frequency in English text, most common first, after the space. Only the speed of
# GuardedGroup.present depends on it (see _key).
_BY_FREQUENCY = " etaoinshrdlcumwfgypbvkjxqz"
_KEY_CHARS = 3   # a key keeps at least this many characters of its string (_key)


def _key(string: str) -> str:
    """The end of string from its least common character on (keeping _KEY_CHARS characters).

    A regex search enters its pattern at every position whose character can start a match: with
    keys, which start at rarer characters than the strings, it enters at a fraction of the
    positions. Measured on the bench corpus' HTML blocks of 300+ characters (clean's phrase and
    caption strings): 17.8 us a block scanning the strings, 6.7 with keys of 3+ characters
    (2 characters: 9.1; 4: 6.8)."""
    if len(string) <= _KEY_CHARS:
        return string
    rank = {c: i for i, c in enumerate(_BY_FREQUENCY)}
    start = max(range(len(string) - _KEY_CHARS + 1), key=lambda i: (rank.get(string[i], len(rank)), -i))
    return string[start:]


class GuardedGroup:
    """Several Guarded lists whose strings are found in one scan of a text: `lists(low)[name]`
    (or `candidates(name, scan(low))`) is what `guards[name].candidates(low)` gives.

    Why it is the same: at each position where some string of the group starts, the scan takes the
    longest one (trie_regex); every string of one list that starts there is a prefix of it, so the
    items owning a prefix of it are the items Guarded.candidates collects at that position.
    lists() takes present(low), every string of the group in the text, instead of scan(low): each
    string present is a prefix of the longest one starting where it does, so its owners are among
    that one's, and the union of owners is the same.
    """

    def __init__(self, guards: dict[str, Guarded]) -> None:
        self.guards = guards
        strings = sorted({s for g in guards.values() for n in g.needs if n for s in n})
        self.any = re.compile(trie_regex(strings)) if strings else None
        # present(): a scan for the strings' keys (a string holds its key, so a text without a key
        # lacks its strings), then `in` for the strings of each key found. The longest key
        # starting at a position is found; the keys that are prefixes of it start there too.
        by_key: dict[str, set[str]] = {}
        for string in strings:
            by_key.setdefault(_key(string), set()).add(string)
        self.keys = re.compile(trie_regex(sorted(by_key))) if by_key else None
        self.keyed = {k: tuple(sorted({s for k2, ss in by_key.items() if k.startswith(k2) for s in ss}))
                      for k in by_key}
        self.owners = {
            name: {s: frozenset(i for i, n in enumerate(g.needs) if n and any(s.startswith(t) for t in n))
                   for s in strings}
            for name, g in guards.items()
        }
        # candidate lists per scan result: most blocks find nothing, or the same few strings
        # ("ad", " of"); and per short text: a site's menus, bylines and footers recur on its pages
        self._by_found: dict[frozenset[str], dict[str, list[tuple]]] = {}
        self._by_text: dict[str, dict[str, list[tuple]]] = {}

    _MEMO_CHARS = 300       # texts up to this long have their lists kept ...
    _MEMO_ENTRIES = 20_000  # ... up to this many (then the memo starts again)

    def scan(self, low: str) -> frozenset[str]:
        """The longest string of the group starting at each position of low (fold(text)) where one does."""
        if self.any is None:
            return frozenset()
        search = self.any.search
        hits = set()
        m = search(low)
        while m is not None:
            hits.add(m.group())
            m = search(low, m.start() + 1)
        return frozenset(hits)

    def present(self, low: str) -> frozenset[str]:
        """The strings of the group that low (fold(text)) holds."""
        if self.keys is None:
            return frozenset()
        search, keyed = self.keys.search, self.keyed
        keys: set[str] = set()
        m = search(low)
        while m is not None:
            keys.add(m.group())
            m = search(low, m.start() + 1)
        return frozenset(s for s in {s for k in keys for s in keyed[k]} if s in low)

    def lists(self, low: str) -> dict[str, list[tuple]]:
        """{name: guards[name].candidates(low)} for every list of the group (shared: do not change)."""
        short = len(low) <= self._MEMO_CHARS
        if short:
            lists = self._by_text.get(low)
            if lists is not None:
                return lists
        found = self.present(low)
        lists = self._by_found.get(found)
        if lists is None:
            if len(self._by_found) >= 4096:
                self._by_found.clear()
            lists = self._by_found[found] = {name: self._candidates(name, found) for name in self.guards}
        if short:
            if len(self._by_text) >= self._MEMO_ENTRIES:
                self._by_text.clear()
            self._by_text[low] = lists
        return lists

    def candidates(self, name: str, found: frozenset[str]) -> list[tuple]:
        """guards[name].candidates(low) for found = scan(low) or present(low)."""
        return self._candidates(name, found)

    def _candidates(self, name: str, found: frozenset[str]) -> list[tuple]:
        g = self.guards[name]
        owners = self.owners[name]
        hit = set(g.always)
        for s in found:
            hit |= owners[s]
        if not hit:
            return []
        if len(hit) == len(g.items):
            return g.items
        return [item for i, item in enumerate(g.items) if i in hit]
