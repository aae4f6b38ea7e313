"""build_registry: one pass over an article's body for its names, organisations, roles and documents."""

from __future__ import annotations

import re

from pipeline.prefilter import trie_regex
from pipeline.quotes.antecedents import _DOC_HEADS, _DOC_NAMED, Registry, _named_doc
from pipeline.quotes.speakers import Entity, _bare, _split_name, fold, lexicon, role_words

# (a name never runs over a line break: 'Story Timeline\nAudi e-tron ...' is a heading, then a name)
# (the lookbehind after the first capital, not before it: the engine then skips to capitals; same matches)
_NAME_RUN = re.compile(r"([A-Z](?<!\S.)[\w'’.-]*[\w](?:[ \t]+(?:(?:de|van|von|bin|al|der|la|le|da|di|del)[ \t]+)?"
                       r"[A-Z][\w'’.-]*[\w]){0,5})")
_POSSESSIVE = re.compile(r"['’]s$")              # (build_registry tests a token with endswith: no token has '\n')
_SENT_START = re.compile(r"(?:^|[.!?\n]\s*)$")
_PARTICIPLE = re.compile(r"(?:ing|ed|ly)$")        # (the same)
_PREP_BEFORE = re.compile(r"\b(?:to|of|in|for|from|at)\s+$")
_DOC_NAMED_HEADS = frozenset(_DOC_HEADS.split("|"))
_DOC_ANY = re.compile(r"\b(?:the|a|an|one|another|this)\s+(?:[\w-]+\s+){0,2}?(report|cable|memo|statement|study|survey|"
                      r"letter|document|documents|cables|memos|filing|complaint|lawsuit)\b", re.I)
_DOC_NOUN = re.compile(r"\b(?:report|study|survey|memo|cable|letter|statement|review|paper|document|analysis|"
                       r"documents|cables|memos|filing|complaint|lawsuit)\b", re.I)
# The same words, case-sensitive, over the lower-cased body: a case-insensitive pattern that opens with \b gives
# the engine no first character to skip to (the scan was ~7 % of the stage on generated articles; this is ~3x
# faster). Exact where lower() keeps every offset and no character re.IGNORECASE folds to an ASCII letter
# stays apart from it (only İ changes length; ı and ſ stay as they are): see _lowered.
_DOC_NOUN_LOW = re.compile(r"\b" + trie_regex(_DOC_NOUN.pattern[5:-3].split("|")) + r"\b")    # (the spec)
# ... and without its \b, whose leading assertion leaves the engine no first character to skip to (~40 % faster
# on generated articles): a hit is kept when it is a whole word, which is what a \b-bounded hit is. The words
# are letters, so a whole-word hit is never inside another hit, and at a word's start the trie takes its longest
# word first ('documents' before 'document'): the same starts as _DOC_NOUN_LOW (tests compare them).
_DOC_NOUN_TRIE = re.compile(trie_regex(_DOC_NOUN.pattern[5:-3].split("|")))


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"          # re's \w for str patterns


def _doc_noun_starts(low: str) -> list[int]:
    """[m.start() for m in _DOC_NOUN_LOW.finditer(low)]."""
    n = len(low)
    out = []
    for m in _DOC_NOUN_TRIE.finditer(low):
        p, e = m.span()
        if (p == 0 or not _is_word_char(low[p - 1])) and (e == n or not _is_word_char(low[e])):
            out.append(p)
    return out


def _lowered(body: str) -> str | None:
    """body.lower() when a case-sensitive lower-case pattern over it finds what the IGNORECASE one finds in body.

    Lower-casing keeps every character a word character or not (tests/quotes check every code point); re's
    IGNORECASE also matches 'ı' with i and 'ſ' with s, which lower() leaves as they are, and 'İ' lower-cases to
    two characters: a body with one of them gets None (the caller scans it with the IGNORECASE pattern)."""
    low = body.lower()
    if len(low) != len(body) or "ı" in low or "ſ" in low:
        return None
    return low


def _doc_nouns(body: str):
    """_DOC_NOUN.finditer(body), found on the lower-cased body and confirmed at each hit."""
    low = _lowered(body)
    if low is None:
        yield from _DOC_NOUN.finditer(body)
        return
    for start in _doc_noun_starts(low):
        m = _DOC_NOUN.match(body, start)
        if m is not None:
            yield m


_DOC_SOURCE = re.compile(r"\s+(?:from|in|by|of)\s+(?:the\s+)?((?:[A-Z][\w.&’'-]*\s+){0,5}[A-Z][\w.&’'-]*[\w])")
_DOC_OWNER = re.compile(r"\b((?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*)['’]s\s+(?:[a-z][\w-]*\s+)?$")

_ROLE_BEFORE = re.compile(r"((?:[\w.-]+\s+){1,3})$")      # the spec of _tokens_before (tests compare them)


# The same pairs read on the reversed window, where the pattern is anchored at its start: one match attempt instead
# of a search, and no walk in Python (~1.7x faster than the walk before names of generated articles).
_ROLE_BEFORE_REVERSED = re.compile(r"(?:\s+[\w.-]+){1,3}")


def _tokens_before(body: str, lo: int, hi: int) -> list[str]:
    """_ROLE_BEFORE.search(body, lo, hi).group(1).split() (or [] when it does not match).

    The regex tries every start in the window (~15 % of the quotes stage on generated articles); its
    token and space classes are disjoint, so the match is forced: up to three (token, spaces) pairs ending
    at hi, the leftmost token cut at lo. Reversed, they are (spaces, token) pairs opening the reversed window,
    which _ROLE_BEFORE_REVERSED matches greedily the same way (disjoint classes: no other split of them)."""
    m = _ROLE_BEFORE_REVERSED.match(body[lo:hi][::-1])
    return m.group()[::-1].split() if m else []


def _tokens_before_walk(body: str, lo: int, hi: int) -> list[str]:
    """The walk back from hi that _tokens_before was before (tests compare the two)."""
    out: list[str] = []
    i = hi
    while len(out) < 3:
        j = i
        while j > lo and body[j - 1].isspace():
            j -= 1
        if j == i:
            break
        k = j
        while k > lo and (body[k - 1].isalnum() or body[k - 1] in "_.-"):
            k -= 1
        if k == j:
            break
        out.append(body[k:j])
        i = k
    out.reverse()
    return out


_APPOS_BEFORE = re.compile(r"(?:\b[Tt]he|\b[\w.-]+['’]s)\s+((?:[a-z][\w’'-]*\s+){0,4}[a-z][\w’'-]*),\s+$")
_APPOS_AFTER = re.compile(r",\s+(?:(?:the|a|an|[\w.-]+['’]s)\s+)((?:[\w’'.-]+\s+){0,5}?[\w’'.-]+)\s*(?=[,.;)—–]|\s+(?:who|said|says|told|and)\b)")
_VERBISH = re.compile(r"\b(?:is|was|are|were|had|has|have|will|would|could|did|does|said|says|told)\b")
_ROLE_CUT = re.compile(r"\s+(?:of|for|at|in|on|to|with|from|who|whose|which|and)\s.*$")


def _note_roles(reg: Registry, body: str, start: int, end: int, name: str, role: str | None) -> bool:
    """The roles a person's name comes with: 'Gov. Eric Holcomb', 'actor James Van Der Beek',
    'The suspect, Michael Webb,', 'Eric Holcomb, the governor,'. Stored for 'the governor said'."""
    lx = lexicon()
    words: set[str] = set(role_words(role))
    for w in _tokens_before(body, max(0, start - 40), start):
        b = _bare(w)
        if b in lx["roles"] or lx["nouns"].get(b) == "unnamed" or b in lx["role_abbrev"]:
            words |= role_words(b)
    # (_APPOS_BEFORE ends in ',\s+$': a window that does not end so cannot match; most names skip the search)
    win = body[max(0, start - 60):start]
    appos = _APPOS_BEFORE.search(body, max(0, start - 60), start) \
        if win[-1:].isspace() and win.rstrip().endswith(",") else None
    for found in (appos, _APPOS_AFTER.match(body, end)):
        if found and not _VERBISH.search(found.group(1)):
            words |= role_words(_ROLE_CUT.sub("", found.group(1)))
    if words:
        reg.roles.append((start, name, frozenset(words)))
    return bool(words)


def build_registry(body: str) -> Registry:
    """One pass over the body: multi-word names, titled people and named documents."""
    reg = Registry(body)
    lx = lexicon()
    first_names, honorifics = lx["first_names"], lx["honorifics"]
    entities = reg.entities
    for m in _NAME_RUN.finditer(body):
        run, run_start = m.group(1), m.start(1)
        toks = run.split()              # (a run holds no line break: its tokens end at their last character)
        if len(toks) < 2:
            # a lone capitalised word adds nothing: _split_name makes it a one-word organisation, or a person with
            # no role (a role or title needs a second token to name), and both branches below need two name words
            # or a role (~70 % of the runs of generated articles; tests compare the registry with the old loop)
            continue
        if len(toks) > 1 and toks[0].endswith(("ing", "ed", "ly")) \
                and _SENT_START.search(body, max(0, run_start - 3), run_start):
            toks = toks[1:]                 # "Hosting Cook at Dreamforce": a sentence-initial participle
        elif len(toks) > 2 and _PREP_BEFORE.search(body[max(0, run_start - 6):run_start]):
            toks = toks[1:]                 # "ambassador to Britain Liu Xiaming"
        if toks[-1].endswith(("'s", "’s")):
            toks[-1] = toks[-1][:-2]        # "President Trump’s advisers": Trump holds the role
        name, role, kind, gender = _split_name(toks)
        if not name:
            continue
        if kind == "person":
            parts = name.split()
            if len(parts) >= 2:
                at = run_start + run.rfind(parts[0])
                roled = _note_roles(reg, body, at, m.end(1), name, role)
                reg.full_names.append((at, name))
                if role or gender or _bare(parts[0]) in first_names or roled:
                    # a given name the list lacks is still a person's when the article gives them a role
                    # ('filmmaker Charlie McDowell')
                    entities.append(Entity(name, "person", run_start, gender, role))
            elif role:
                _note_roles(reg, body, run_start + run.rfind(parts[0]), m.end(1), name, role)
                if any(_bare(t) in honorifics for t in role.split()):
                    entities.append(Entity(name, "person", run_start, gender, role))
        elif kind == "organisation" and len(name.split()) >= 2:
            reg.orgs.append((run_start, name))
    # document phrases are found from their head noun backwards: a scan per noun, not per character
    # (a match of _DOC_NAMED or _DOC_ANY that ends with the noun has the noun as its last group, after a space,
    # and _DOC_OWNER ends in "'s" and a space: a noun without them skips those searches)
    for noun in _doc_nouns(body):
        lo = max(0, noun.start() - 120)
        spaced = body[noun.start() - 1:noun.start()].isspace()
        m = _DOC_NAMED.search(body, lo, noun.end()) if spaced and noun.group() in _DOC_NAMED_HEADS else None
        if m and m.end() == noun.end() and _named_doc(m):
            reg.documents.append((m.start(), _named_doc(m)))
        owner = body[max(0, noun.start() - 60):noun.start()]
        src = _DOC_SOURCE.match(body, noun.end()) or (
            _DOC_OWNER.search(body, max(0, noun.start() - 60), noun.start())
            if spaced and ("'s" in owner or "’s" in owner) else None)
        if src and _split_name(src.group(1).split())[3] is None:
            reg.doc_sources.append((noun.start(), noun.group().casefold(), src.group(1)))
        m = _DOC_ANY.search(body, max(0, noun.start() - 40), noun.end()) if spaced else None
        if m and m.end() == noun.end():
            reg.entities.append(Entity(m.group(1).casefold(), "document", m.start()))
    reg.entities.sort(key=lambda e: e.pos)
    for p, name in reg.full_names:
        ft = fold(name).split()
        for key in {ft[0], ft[-1]}:
            reg.by_token.setdefault(key, []).append((p, name))
    for p, name in reg.orgs:
        reg.by_token.setdefault("org:" + fold(name).split()[-1], []).append((p, name))
    for e in reg.entities:
        reg.remember(e)
    return reg
