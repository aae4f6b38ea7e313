"""The quotes stage's fast paths find what the plain regexes they replace find, on any text.

Each fast path (a walk back instead of a '$'-anchored search, a scan of the lower-cased body, a literal
prefilter) keeps the regex it replaces as its specification; these properties compare the two.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.quotes import antecedents, attribution, registry, reported, speakers

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
    m = registry._ROLE_BEFORE.search(text, lo, hi)
    assert registry._tokens_before(text, lo, hi) == (m.group(1).split() if m else [])


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_prev_word_is_the_prev_word_regex(text, data):
    lo, hi = _window(text, data)
    m = attribution._PREV_WORD.search(text, lo, hi)
    assert attribution._prev_word(text, lo, hi) == (m.group(1) if m else "")


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_doc_nouns_on_the_lowered_body_are_the_ignorecase_scan(text):
    fast = [(m.span(), m.group()) for m in registry._doc_nouns(text)]
    assert fast == [(m.span(), m.group()) for m in registry._DOC_NOUN.finditer(text)]


_OLD_NAME_RUN = re.compile(r"(?<!\S)([A-Z][\w'’.-]*[\w](?:[ \t]+(?:(?:de|van|von|bin|al|der|la|le|da|di|del)[ \t]+)?"
                           r"[A-Z][\w'’.-]*[\w]){0,5})")


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_name_run_with_the_lookbehind_after_the_capital_finds_the_same_names(text):
    assert [m.span(1) for m in registry._NAME_RUN.finditer(text)] == [m.span(1) for m in _OLD_NAME_RUN.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_prefilters_never_skip_a_match(text, data):
    rules = attribution.cue_rules()
    if rules["possessive"].search(text):
        assert rules["possessive_tail"].search(text)
    lo, hi = _window(text, data)
    win = text[lo:hi]
    if registry._APPOS_BEFORE.search(text, lo, hi):
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
    for noun in registry._DOC_NOUN.finditer(text):
        s, e = noun.span()
        spaced = text[s - 1:s].isspace()
        named = antecedents._DOC_NAMED.search(text, max(0, s - 120), e)
        if named and named.end() == e:
            assert spaced and noun.group() in registry._DOC_NAMED_HEADS
        doc = registry._DOC_ANY.search(text, max(0, s - 40), e)
        if doc and doc.end() == e:
            assert spaced
        owner = text[max(0, s - 60):s]
        if registry._DOC_OWNER.search(text, max(0, s - 60), s):
            assert spaced and ("'s" in owner or "’s" in owner)


# --- fast paths of session 4 (the same output on the bench corpus, the seeds and the zyte pages) ---

_CUE_PIECES = ["said", "says", "Said", "told", "according", "According", "to", "in", "In", "a", "statement", "added",
               "reported", "reports", "warned", "argued", "noted", "said-", "-said", "so", "called", "x", "é", "_",
               "9", "ſ", "K", "İ", "ı", "'", "’", "\"", "“", "-", ".", ",", " ", "  ", "\n", "\t", "\u00a0"]
_CUE_TEXT = st.lists(st.sampled_from(_CUE_PIECES), max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(_CUE_TEXT, st.data())
def test_cue_pattern_with_its_first_character_lookahead_is_the_plain_one(text, data):
    rules = attribution.cue_rules()
    assert [m.span() for m in rules["cue"].finditer(text)] == [m.span() for m in rules["cue_spec"].finditer(text)]
    lo, hi = _window(text, data)
    for pos in range(lo, hi + 1):
        a, b = rules["cue"].match(text, pos, hi), rules["cue_spec"].match(text, pos, hi)
        assert (a and a.span()) == (b and b.span())


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_words_in_is_words_of_the_slice(text, data):
    lo, hi = _window(text, data)
    assert speakers._words_in(text, lo, hi) == speakers._words(text[lo:hi], lo)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["\n", "1.", "Mr.", "U.S.", "a.b", "x\n", ".\n"]), max_size=20).map("".join),
       st.data())
def test_last_token_is_the_last_token_regex(text, data):
    lo, hi = _window(text, data)
    m = attribution._LAST_TOKEN.search(text, lo, hi)
    assert attribution._last_token(text, lo, hi) == (m.group(1) if m else None)


_DOC_LOW_TEXT = st.lists(st.sampled_from(["report", "reports", "document", "documents", "memo", "memos", "cable",
                                          "cables", "preview", "review", "reviews", "paper", "papers", "study",
                                          "lawsuit", "analysis", "x", "é", "_", "9", "-", "'", " ", "\n", "."]),
                         max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(_DOC_LOW_TEXT)
def test_doc_noun_starts_are_the_bounded_pattern_s(text):
    low = text.lower()
    assert registry._doc_noun_starts(low) == [m.start() for m in registry._DOC_NOUN_LOW.finditer(low)]


_REL_PIECES = ["who", "Who", "WHO", "whose", "whom", "which", "WHICH", "familiar", "FAMILIAR", "with", "close", "CLOSE",
               "to", "knowledge", "KNOWLEDGE", "of", "briefed", "BRIEFED", "on", "speaking", "ſpeaking", "SPEAKING",
               "ſ", "K", "İ", "ı", "by", "published", "leaked", "he", "it", "In", "in", "at", "The", "Smith", "also",
               "'s", "’s", "x", "é", " ", "  ", "\n", ",", "."]
_REL_TEXT = st.lists(st.sampled_from(_REL_PIECES), max_size=30).map("".join)


@settings(max_examples=600, deadline=None)
@given(_REL_TEXT, st.data())
def test_literal_prechecks_of_session_4_never_skip_a_match(text, data):
    if speakers._CUT_REL.search(text):
        low = text.lower()
        assert any(n in low for n in speakers._CUT_REL_NEEDS)
    lo, hi = _window(text, data)
    if reported._RELATIVE_CUE.search(text, lo, hi):
        assert text.find("wh", lo, hi) != -1
    if speakers._BY_AGENT.search(text, lo, hi):
        assert text.find("by", lo, hi) != -1


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["Smith", "'s", "’s", "s", "ing", "ed", "ly", "Hosting", "Gov.", "x", "é"]),
                min_size=1, max_size=6).map("".join))
def test_token_endings_are_the_anchored_patterns(token):
    """build_registry tests a name token (no whitespace: it comes from split()) with endswith."""
    assert bool(registry._POSSESSIVE.search(token)) == token.endswith(("'s", "’s"))
    assert registry._POSSESSIVE.sub("", token) == (token[:-2] if token.endswith(("'s", "’s")) else token)
    assert bool(registry._PARTICIPLE.search(token)) == token.endswith(("ing", "ed", "ly"))


def _old_build_registry(body: str) -> antecedents.Registry:
    """build_registry as it was before session 4 (regex token tests, the name split on every branch)."""
    reg = antecedents.Registry(body)
    lx = speakers.lexicon()
    for m in registry._NAME_RUN.finditer(body):
        toks = m.group(1).split()
        before = body[max(0, m.start(1) - 6):m.start(1)]
        if len(toks) > 1 and registry._SENT_START.search(body, max(0, m.start(1) - 3), m.start(1)) \
                and registry._PARTICIPLE.search(toks[0]):
            toks = toks[1:]
        elif len(toks) > 2 and registry._PREP_BEFORE.search(before):
            toks = toks[1:]
        if toks and registry._POSSESSIVE.search(toks[-1]):
            toks[-1] = registry._POSSESSIVE.sub("", toks[-1])
        name, role, kind, gender = speakers._split_name(toks)
        roled = False
        if kind == "person" and name and (len(name.split()) >= 2 or role):
            roled = registry._note_roles(reg, body, m.start(1) + m.group(1).rfind(name.split()[0]), m.end(1), name,
                                         role)
        if kind == "organisation" and name and len(name.split()) >= 2:
            reg.orgs.append((m.start(1), name))
        if kind == "person" and name and len(name.split()) >= 2:
            reg.full_names.append((m.start(1) + m.group(1).rfind(name.split()[0]), name))
            if role or gender:
                reg.entities.append(speakers.Entity(name, "person", m.start(1), gender, role))
            elif speakers._bare(name.split()[0]) in lx["first_names"] or roled:
                reg.entities.append(speakers.Entity(name, "person", m.start(1), gender, role))
        elif kind == "person" and name and role and any(speakers._bare(t) in lx["honorifics"] for t in role.split()):
            reg.entities.append(speakers.Entity(name, "person", m.start(1), gender, role))
    for noun in registry._DOC_NOUN.finditer(body):
        lo = max(0, noun.start() - 120)
        m = antecedents._DOC_NAMED.search(body, lo, noun.end())
        if m and m.end() == noun.end() and antecedents._named_doc(m):
            reg.documents.append((m.start(), antecedents._named_doc(m)))
        src = registry._DOC_SOURCE.match(body, noun.end()) \
            or registry._DOC_OWNER.search(body, max(0, noun.start() - 60), noun.start())
        if src and speakers._split_name(src.group(1).split())[3] is None:
            reg.doc_sources.append((noun.start(), noun.group().casefold(), src.group(1)))
        m = registry._DOC_ANY.search(body, max(0, noun.start() - 40), noun.end())
        if m and m.end() == noun.end():
            reg.entities.append(speakers.Entity(m.group(1).casefold(), "document", m.start()))
    reg.entities.sort(key=lambda e: e.pos)
    for p, name in reg.full_names:
        ft = speakers.fold(name).split()
        for key in {ft[0], ft[-1]}:
            reg.by_token.setdefault(key, []).append((p, name))
    for p, name in reg.orgs:
        reg.by_token.setdefault("org:" + speakers.fold(name).split()[-1], []).append((p, name))
    for e in reg.entities:
        reg.remember(e)
    return reg


def _registry_fields(reg: antecedents.Registry) -> tuple:
    return (reg.full_names, reg.documents, reg.orgs, reg.by_token, reg.entities, reg.roles, reg.doc_sources,
            reg.known, reg.first_seen)


_NAMES_TEXT = st.lists(st.sampled_from(["Gov.", "Eric", "Holcomb", "Hosting", "Cook", "ambassador", "to", "Britain",
                                        "Liu", "Xiaming", "Trump’s", "Trump's", "President", "the", "The", "governor",
                                        "Goldman", "Sachs", "Group", "Wrap's", "report", "memo", "from", "Kotak",
                                        "Institutional", "Equities", "Dr.", "Silvia", "said", ",", ".", " ", "  ",
                                        "\n", "\n\n"]), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(_NAMES_TEXT)
def test_build_registry_is_the_old_one_on_any_text(text):
    assert _registry_fields(registry.build_registry(text)) == _registry_fields(_old_build_registry(text))


def test_build_registry_is_the_old_one_on_the_zyte_pages_and_seeds(zyte_dir, seeds_dir):
    from pipeline.quotes.score import seed_bodies, zyte_bodies

    bodies = list(zyte_bodies(zyte_dir).values()) + list(seed_bodies(seeds_dir).values())
    assert len(bodies) > 50
    for body in bodies:
        assert _registry_fields(registry.build_registry(body)) == _registry_fields(_old_build_registry(body))


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_tokens_before_on_the_reversed_window_is_the_walk_back(text, data):
    lo, hi = _window(text, data)
    assert registry._tokens_before(text, lo, hi) == registry._tokens_before_walk(text, lo, hi)


@settings(max_examples=400, deadline=None)
@given(_TEXT, st.data())
def test_prev_word_on_the_reversed_window_is_the_walk_back(text, data):
    lo, hi = _window(text, data)
    assert attribution._prev_word(text, lo, hi) == attribution._prev_word_walk(text, lo, hi)


_SCARE_TEXT = st.lists(st.sampled_from(["so-called", "So-Called", "called", "CALLED", "named", "known as", "known",
                                        "as", "dubbed", "re", "un", "-", "_", "x", "é", "9", ":", ",", " ", "  ", "\n",
                                        "\t", "ſo", "K"]), max_size=12).map("".join)


@settings(max_examples=600, deadline=None)
@given(_SCARE_TEXT)
def test_scare_on_the_reversed_text_is_the_anchored_search(text):
    rules = attribution.cue_rules()
    assert (rules["scare_reversed"].match(text[::-1]) is not None) == bool(rules["scare"].search(text))


@settings(max_examples=400, deadline=None)
@given(_REL_TEXT)
def test_may_cut_rel_asks_for_the_needles(text):
    low = text.lower()
    assert speakers._may_cut_rel(low) == any(n in low for n in speakers._CUT_REL_NEEDS)
