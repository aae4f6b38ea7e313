"""Literal prefilters (pipeline/prefilter.py): skipping a pattern must never change a result."""

from __future__ import annotations

import random
import re
import sys
from re._casefix import _EXTRA_CASES

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import clean
from pipeline.bench.generate import article
from pipeline.prefilter import Guarded, fold, required, trie_regex

# characters that re.IGNORECASE folds in unusual ways, and their ASCII partners
_ODD = "İıſKSsKkIiΣσςµμßẞ"


def _cased() -> list[str]:
    chars = {chr(c) for c in range(sys.maxunicode + 1)
             if not 0xD800 <= c < 0xE000 and (chr(c).lower() != chr(c) or chr(c).upper() != chr(c))}
    chars |= {chr(c) for k, v in _EXTRA_CASES.items() for c in (k, *v)}
    return sorted(chars)


def test_fold_maps_every_ignorecase_match_to_one_form():
    """A text that matches a literal under re.IGNORECASE holds the literal's folded form."""
    cased = _cased()
    haystack = "".join(cased)
    for lit in cased:
        for m in re.finditer(re.escape(lit), haystack, re.I):
            assert fold(m.group()) == fold(lit), (lit, m.group())


def test_fold_is_per_character():
    """Folding never changes a character count, so a folded text lines up with the original."""
    for c in range(sys.maxunicode + 1):
        if not 0xD800 <= c < 0xE000:
            assert len(fold(chr(c))) == 1, hex(c)


def test_uncased_characters_match_only_themselves():
    for c in range(0x80, sys.maxunicode + 1, 61):
        ch = chr(c)
        if 0xD800 <= c < 0xE000 or ch.lower() != ch or ch.upper() != ch or ch in _ODD:
            continue
        assert fold(ch) == ch
        assert re.compile(re.escape(ch), re.I).fullmatch(ch.upper()) is not None


def test_required_strings_of_some_patterns():
    assert required(re.compile(r"\b(we use cookies|cookies? policy)\b", re.I)) == [
        "cookie policy", "cookies policy", "we use cookies"]
    assert required(re.compile(r"[/|]\s*(ap|afp)\s*\Z", re.I)) == ["/", "|"]
    # nothing worth testing for: the pattern is always tried
    assert required(re.compile(r".{0,80}\d{4}")) is None
    assert required(re.compile(r"(a|b)\s+c", re.I)) is None


@settings(max_examples=200, deadline=None)
@given(st.sets(st.text(alphabet="abcdeé-", min_size=1, max_size=6), min_size=1, max_size=12),
       st.text(alphabet="abcdeé- ", max_size=40))
def test_trie_regex_finds_the_longest_string_at_each_position(strings, text):
    rx = re.compile(trie_regex(strings))
    for s in strings:
        assert rx.fullmatch(s)
    for i in range(len(text) + 1):
        m = rx.match(text, i)
        longest = max((s for s in strings if text.startswith(s, i)), key=len, default=None)
        assert (m.group() if m else None) == longest


def _plain_first(items: list[tuple], text: str, how: str):
    for item in items:
        if getattr(item[-1], how)(text):
            return item
    return None


def _guarded_first(g: Guarded, text: str, how: str):
    for item in g.candidates(fold(text)):
        if getattr(item[-1], how)(text):
            return item
    return None


# One text that some pattern of each lexicon list matches; the test below varies their case and
# spelling with the characters re.IGNORECASE folds in unusual ways.
_HITS = [
    "This website uses cookies to improve it", "All rights reserved.", "Sign up for our newsletter",
    "Your email address will not be published", "Jane Doe is a freelance writer based in Oslo",
    "Follow us on Twitter", "Photo: Jane Doe / AP", "(AP Photo/John Smith)", "© Reuters 2019",
    "Фото: личный архив", "Getty Images via AFP", "Read more", "Continue reading below",
    "Share this article", "12 comments", "Loading...", "Terms of use | Privacy policy",
    "Advertisement", "Skip to main content", "Home | News | World | Europe", "Click here to subscribe",
    "Share on Facebook (opens in new window)", "Caption: a view of the port", "Related articles:",
]


def _variants(text: str, rng: random.Random) -> list[str]:
    swaps = {"i": "ıİI", "s": "ſS", "k": "KK", "I": "ıİ", "S": "ſs", "K": "Kk"}
    out = [text, text.upper(), text.lower(), text.swapcase()]
    for _ in range(6):
        out.append("".join(rng.choice(swaps[c]) if c in swaps and rng.random() < 0.4 else c for c in text))
    return [f"{pre}{t}{post}" for t in out for pre, post in (("", ""), ("Intro. ", " and more"))]


def test_guarded_lists_give_the_same_first_match_as_a_plain_loop():
    rules = clean._rules()
    lists = [(rules["phrases"], "search"), (rules["caption_end"], "search"),
             (rules["caption_start"], "match"), (rules["lines"], "match")]
    rng = random.Random(7)
    texts = [v for hit in _HITS for v in _variants(hit, rng)]
    for index in range(30):      # the benchmark generator's pages, line by line
        texts += [line for line in article(0, index)[2].splitlines() if line.strip()]
    assert sum(_plain_first(g.items, t, how) is not None for g, how in lists for t in texts) > 200
    for g, how in lists:
        for t in texts:
            assert _guarded_first(g, t, how) is _plain_first(g.items, t, how), t


def _group_texts() -> list[str]:
    rng = random.Random(11)
    texts = [v for hit in _HITS for v in _variants(hit, rng)]
    for index in range(30):
        texts += [line for line in article(0, index)[2].splitlines() if line.strip()]
    return texts


def test_group_lists_are_each_guarded_list_on_its_own():
    """GuardedGroup.lists (strings found by key, then `in`) against Guarded.candidates and against
    the scan it replaced (scan(): the longest string at each position)."""
    rules = clean._rules()
    for name in ("group", "group_long", "group_phrases"):
        group = rules[name]
        strings = sorted(group.owners[next(iter(group.guards))])
        for text in _group_texts():
            low = fold(text)
            assert group.present(low) == {s for s in strings if s in low}
            lists = group.lists(low)
            for list_name, guard in group.guards.items():
                assert lists[list_name] == guard.candidates(low), (name, list_name, text)
                assert lists[list_name] == group.candidates(list_name, group.scan(low))


@settings(max_examples=300, deadline=None)
@given(st.sets(st.text(alphabet="abcdeéxyz -", min_size=1, max_size=7), min_size=1, max_size=14),
       st.text(alphabet="abcdeéxyz -", max_size=60))
def test_present_finds_exactly_the_strings_a_text_holds(strings, text):
    from pipeline.prefilter import GuardedGroup

    items = [(re.compile(re.escape(s)),) for s in sorted(strings)]
    group = GuardedGroup({"only": Guarded(items)})
    needed = {s for n in group.guards["only"].needs if n for s in n}
    assert group.present(text) == {s for s in needed if s in text}
    assert group.lists(text)["only"] == group.guards["only"].candidates(text)
