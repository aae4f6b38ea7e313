"""Actor mentions (countries, demonyms, capitals, institutions, people) mapped to country codes."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.prefilter import trie_regex

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    text: str          # the alias as written, or the title + name it heads
    code: str | None
    sector: str | None
    kind: str          # country, demonym, capital, institution, igo, person, region, group
    name_end: int = -1  # end of the extended mention (title and person name), else == end


@dataclass(frozen=True)
class _Lexicon:
    by_prefix: dict[str, list[tuple[str, str | None, str | None, str]]]
    sectors: dict[str, str]
    titles: frozenset[str]
    # every alias in one regex (a trie), followed by what may follow a name: the end, a character
    # that is neither alphanumeric nor "-", or "-" and a capital ("US-China"). Backtracking makes
    # its match at a position the longest alias allowed there, as the longest-first scan of
    # by_prefix finds it; entry gives the first row of that alias, as the scan does.
    alias_rx: re.Pattern
    entry: dict[str, tuple[str, str | None, str | None, str]]


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r and not next(iter(r.values()), "").startswith("#")]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    by_prefix: dict[str, list] = {}
    for r in _rows("actors.csv"):
        alias = r["alias"]
        entry = (alias, r["country_code"] or None, r["sector"] or None, r["kind"])
        by_prefix.setdefault(alias[:2], []).append(entry)
    for entries in by_prefix.values():
        entries.sort(key=lambda e: -len(e[0]))
    sectors = {r["word"]: r["sector"] for r in _rows("event_sectors.csv")}
    titles = frozenset(
        line.strip() for line in (DATA / "event_titles.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    entry: dict[str, tuple[str, str | None, str | None, str]] = {}
    for entries in by_prefix.values():
        for e in entries:
            if len(e[0]) >= 2:   # by_prefix is looked up by two characters: shorter aliases never match
                entry.setdefault(e[0], e)
    alias_rx = re.compile(f"(?:{trie_regex(entry)})" + r"(?=\Z|[^\w-]|_|-[A-Z])")
    return _Lexicon(by_prefix, sectors, titles, alias_rx, entry)


# Aliases start with a capital, except a few Arabic-article names ("al-Shabaab"): scanning only
# those word starts is ~3x faster than every word.
_WORD_START = re.compile(r"(?<![\w.])(?:[A-Z]|al-)")
_NEXT_WORD = re.compile(r"[\s-]*([A-Za-z][\w.'’-]*)")
_CAP_RUN = re.compile(r"\s+(?:[A-Z][\w.'’-]*|[a-z][\w-]*)")
_NAME = re.compile(r"([A-Z][\w'’-]*?)(?:['’]s)?(?![\w'’-])")
_SPLIT = re.compile(r"\s+")


def _alias_keys() -> list[str]:
    """The aliases that can match where _WORD_START does (those opening with A-Z or "al-")."""
    return [k for k in lexicon().entry if "A" <= k[0] <= "Z" or k.startswith("al-")]


_ALIAS_END = r"(?=\Z|[^\w-]|_|-[A-Z])"


@lru_cache(maxsize=1)
def _alias_scan() -> re.Pattern:
    r"""find_mentions without people in one regex: _WORD_START's look-behind, then the aliases.
    finditer resumes after each hit as find_mentions skips to its end, so the hits are the same.

    Written as trie_regex(keys) is, "(?:A...|B...|...)", with _WORD_START's look-behind moved
    after each branch's first letter as (?<![\w.].): the pattern then opens with a set of
    characters, so the engine skips at C speed to a capital or an "a" instead of starting a match
    at every position (2x faster on the benchmark corpus). Same matches: the assertion is
    zero-width and looks at the same character (the one before the first letter; none at the
    start, where both succeed), and the tries behind it are trie_regex's own, in the same order.
    tests/events/test_extract.py compares it with the plain form (_plain_alias_scan)."""
    by_first: dict[str, list[str]] = {}
    for k in _alias_keys():
        by_first.setdefault(k[0], []).append(k[1:])
    branches = [re.escape(c) + r"(?<![\w.].)" + trie_regex(rest) for c, rest in sorted(by_first.items())]
    return re.compile("(?:" + "|".join(branches) + ")" + _ALIAS_END)


def _plain_alias_scan() -> re.Pattern:
    """_alias_scan as first written (the test oracle)."""
    return re.compile(r"(?<![\w.])(?:" + trie_regex(_alias_keys()) + ")" + _ALIAS_END)


def find_mentions(text: str, people: dict[str, tuple[str, str | None]] | None = None) -> list[Mention]:
    """Longest dictionary aliases in `text` (case-sensitive), plus people known to the article.

    `people` maps a person's name or surname to (country code, sector); it is filled as titles
    introduce people ("US Secretary of Defence Chuck Hagel") so later "Hagel" resolves.
    """
    lex = lexicon()
    out: list[Mention] = []
    if not people:
        # no people to look for: one scan for the aliases at the word starts below (same hits)
        for a in _alias_scan().finditer(text):
            alias, code, sector, kind = lex.entry[a.group()]
            out.append(_extend(text, Mention(a.start(), a.end(), alias, code, sector, kind, a.end()), lex))
        return out
    pos_end = -1
    for m in _WORD_START.finditer(text):
        i = m.start()
        if i < pos_end:
            continue
        hit = None
        a = lex.alias_rx.match(text, i)
        if a is not None:
            alias, code, sector, kind = lex.entry[a.group()]
            hit = Mention(i, a.end(), alias, code, sector, kind, a.end())
        if hit is None and people:
            word = _NAME.match(text, i)
            if word and word.group(1) in people:
                code, sector = people[word.group(1)]
                j = word.end(1)
                while (nxt := _NAME.match(text, j + 1)) and text[j] == " " and nxt.group(1) in people:
                    j = nxt.end(1)
                hit = Mention(i, j, text[i:j], code, sector, "person", j)
        if hit is None:
            continue
        hit = _extend(text, hit, lex)
        out.append(hit)
        pos_end = hit.end
    return out


def _extend(text: str, m: Mention, lex: _Lexicon) -> Mention:
    """Sector from the head noun after a demonym or country ("Chinese officials", "US military")."""
    nxt = _NEXT_WORD.match(text, m.end)
    sector = m.sector
    if nxt and m.kind in ("demonym", "country", "capital", "region", "person"):
        word = nxt.group(1).lower().rstrip(".,'’s")
        if word in lex.sectors:
            sector = lex.sectors[word]
    return Mention(m.start, m.end, m.text, m.code, sector, m.kind, m.name_end)


def titled_people(text: str, mentions: list[Mention]) -> dict[str, tuple[str, str | None]]:
    """People introduced by a country and a title: {"Chuck Hagel": ("USA", "GOV"), "Hagel": ...}."""
    lex = lexicon()
    found: dict[str, tuple[str, str | None]] = {}
    for m in mentions:
        if m.code is None or m.kind not in ("country", "demonym", "capital", "institution"):
            continue
        tokens = []
        pos = m.end + 2 if text.startswith(("'s", "’s"), m.end) else m.end
        for _ in range(9):
            t = _CAP_RUN.match(text, pos)
            if not t:
                break
            tokens.append(t.group().strip())
            pos = t.end()
        # The name is the run of capitalised non-title words that follows at least one title word.
        seen_title, name = False, []
        for tok in tokens:
            clean = tok.rstrip(",.;:")
            if clean in lex.titles or clean.lower() in lex.titles:
                if name:
                    break
                seen_title = True
                continue
            if seen_title and clean[:1].isupper() and clean not in ("The", "He", "She"):
                name.append(clean.rstrip("'’s") if clean.endswith(("'s", "’s")) else clean)
                if tok != clean:
                    break
                continue
            if name or clean[:1].isupper() or clean in ("of", "for", "and", "the", "to", "on"):
                if name:
                    break
                if not (clean in ("of", "for", "and", "the") or clean[:1].isupper()):
                    break
                continue
            break
        if seen_title and 1 <= len(name) <= 3:
            found[" ".join(name)] = (m.code, "GOV" if m.sector is None else m.sector)
            for part in {name[0], name[-1]}:
                found[part] = (m.code, "GOV" if m.sector is None else m.sector)
    return found
