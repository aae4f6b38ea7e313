"""The quotes stage's fast paths find what the plain regexes they replace find, on any text.

Each fast path (a walk back instead of a '$'-anchored search, a scan of the lower-cased body, a literal
prefilter) keeps the regex it replaces as its specification; these properties compare the two.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quotes import attribution, reported, speakers

# pieces that exercise the patterns' edges: their words in any case, the characters IGNORECASE folds
# to ASCII letters (İ ı ſ K), word characters that are not ASCII, and every kind of space and punctuation
_PIECES = ["report", "REPORT", "Report", "rEpOrTs", "documents", "document", "ſtudy", "ſurvey", "İ", "ı", "K",
           "memo", "s", "Smith", "Gov.", "the", "The", "spokesman", "and", "or", "as", "saying", "worth", "In",
           "in", "Deng", "Yuwen", "'s", "’s", "’", "'", "conclusion", "own", "views", "é", "x", "_", "9", "-",
           ".", ",", ";", " ", "  ", "\n", "\t", "\u00a0", "\u2003"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)


def _window(text: str, data) -> tuple[int, int]:
    hi = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, hi))
    return lo, hi


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_tokens_before_is_the_role_before_regex(text, data):
    lo, hi = _window(text, data)
    m = speakers._ROLE_BEFORE.search(text, lo, hi)
    assert speakers._tokens_before(text, lo, hi) == (m.group(1).split() if m else [])


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_prev_word_is_the_prev_word_regex(text, data):
    lo, hi = _window(text, data)
    m = attribution._PREV_WORD.search(text, lo, hi)
    assert attribution._prev_word(text, lo, hi) == (m.group(1) if m else "")


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_doc_nouns_on_the_lowered_body_are_the_ignorecase_scan(text):
    fast = [(m.span(), m.group()) for m in speakers._doc_nouns(text)]
    assert fast == [(m.span(), m.group()) for m in speakers._DOC_NOUN.finditer(text)]


_OLD_NAME_RUN = re.compile(r"(?<!\S)([A-Z][\w'’.-]*[\w](?:[ \t]+(?:(?:de|van|von|bin|al|der|la|le|da|di|del)[ \t]+)?"
                           r"[A-Z][\w'’.-]*[\w]){0,5})")


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_name_run_with_the_lookbehind_after_the_capital_finds_the_same_names(text):
    assert [m.span(1) for m in speakers._NAME_RUN.finditer(text)] == [m.span(1) for m in _OLD_NAME_RUN.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_prefilters_never_skip_a_match(text, data):
    rules = attribution.cue_rules()
    if rules["possessive"].search(text):
        assert rules["possessive_tail"].search(text)
    lo, hi = _window(text, data)
    win = text[lo:hi]
    if speakers._APPOS_BEFORE.search(text, lo, hi):
        assert win[-1:].isspace() and win.rstrip().endswith(",")
    if reported._DANGLING_CONJUNCTION.search(win):
        assert (win[:-1] if win.endswith("\n") else win).endswith(reported._DANGLING)
    if reported._WORTH_BEFORE.search(win):
        assert "worth" in win


def test_lowering_keeps_offsets_and_word_characters():
    """What _lowered relies on, over every code point: lower() keeps a character one character (İ apart) and a
    word character or not; IGNORECASE matches an ASCII letter with no other non-ASCII character than İ ı ſ K."""
    word = re.compile(r"\w")
    letter = re.compile("|".join("abcdefghijklmnopqrstuvwxyz"), re.I)
    folded = set()
    for cp in range(0x110000):
        c = chr(cp)
        low = c.lower()
        if cp == 0x130:
            assert len(low) == 2
            continue
        assert len(low) == 1 and bool(word.fullmatch(c)) == bool(word.fullmatch(low))
        if cp > 127 and letter.fullmatch(c):
            folded.add(c)
    assert folded == {"ı", "ſ", "\u212a"}    # (and İ, whose lower() has two characters)
    assert "\u212a".lower() == "k"          # Kelvin sign: lower() folds it as IGNORECASE does


_DOC_TEXT = st.lists(st.sampled_from(["The", "the", "a", "Kotak", "Wrap", "of", "and", "'s", "’s", "report", "Report",
                                      "reports", "documents", "memo", "latest", "new", " ", "  ", "\n", ",", "-",
                                      "é", "x"]), max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_DOC_TEXT)
def test_document_searches_skipped_by_build_registry_cannot_end_at_the_noun(text):
    for noun in speakers._DOC_NOUN.finditer(text):
        s, e = noun.span()
        spaced = text[s - 1:s].isspace()
        named = speakers._DOC_NAMED.search(text, max(0, s - 120), e)
        if named and named.end() == e:
            assert spaced and noun.group() in speakers._DOC_NAMED_HEADS
        doc = speakers._DOC_ANY.search(text, max(0, s - 40), e)
        if doc and doc.end() == e:
            assert spaced
        owner = text[max(0, s - 60):s]
        if speakers._DOC_OWNER.search(text, max(0, s - 60), s):
            assert spaced and ("'s" in owner or "’s" in owner)
