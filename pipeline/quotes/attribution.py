"""Sentences outside quote marks, cue phrases, and which cue and speaker each quotation takes."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

from pipeline.prefilter import trie_regex
from pipeline.quotes.marks import Span
from pipeline.quotes.speakers import DATA, Mention, np_after, np_before

# Patterns used inside the hot loops, compiled once (a re.match(str, ...) call costs a cache lookup each time).
_WORD = re.compile(r"\w+")
_PASSIVE_BY = re.compile(r"\s+by\s+")       # the agent of a passive cue: 'was once described by Mao as'

# ('It added that ...': a subject, not the opener of a passive 'Once described as ...')
_SUBJECT_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i"})
_LAST_TOKEN = re.compile(r"([\w.]+)$")     # the spec of _last_token (tests compare them)
_PREV_WORD = re.compile(r"(\w+)\W*$")       # the spec of _prev_word (tests compare them)


def _last_token(body: str, lo: int, hi: int) -> str | None:
    """_LAST_TOKEN.search(body, lo, hi).group(1), or None when it does not match: the run of word characters and
    dots that ends at hi, or before a newline at hi - 1 (where '$' also matches), walked back from there."""
    j = hi - 1 if hi > lo and body[hi - 1] == "\n" else hi
    k = j
    while k > lo and (body[k - 1].isalnum() or body[k - 1] in "_."):
        k -= 1
    return body[k:j] if k < j else None


# The same word read on the reversed window: the non-word characters, then the word, open it (disjoint classes, so
# the greedy match is the walk's); one anchored match instead of a walk in Python.
_PREV_WORD_REVERSED = re.compile(r"\W*(\w+)")


def _prev_word(body: str, lo: int, hi: int) -> str:
    """_PREV_WORD.search(body, lo, hi).group(1), or '' when it does not match: the last run of word characters
    of body[lo:hi] followed only by non-word characters. The regex tries every start of the window; this
    matches once on the reversed window (it runs once per cue of a body)."""
    m = _PREV_WORD_REVERSED.match(body[lo:hi][::-1])
    return m.group(1)[::-1] if m else ""


def _prev_word_walk(body: str, lo: int, hi: int) -> str:
    """The walk back from hi that _prev_word was before (\\w is isalnum() or '_'; tests compare the two)."""
    j = hi
    while j > lo and not (body[j - 1].isalnum() or body[j - 1] == "_"):
        j -= 1
    k = j
    while k > lo and (body[k - 1].isalnum() or body[k - 1] == "_"):
        k -= 1
    return body[k:j]


_SPACES = re.compile(r"\s+")
_REPORTS_TO = re.compile(r"\s+(?:directly\s+)?to\s+(?:him|her|them|me|us|you)\b")
_CAPS_WORD = re.compile(r"[A-Z]{2,}\b(?![’'.]?\s+[a-z])")
_END_RE = re.compile(r"[.!?]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9])")


def _lexicon_lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(line)
    return out


@lru_cache(maxsize=1)
def cue_rules() -> dict:
    cues, reporting, needs_that = [], set(), set()
    for line in _lexicon_lines("quote_cues.txt"):
        phrase, _, flag = line.partition(" +")
        phrase = phrase.strip()
        cues.append(phrase)
        if line.endswith("+") or flag:
            reporting.add(phrase)
        if flag.strip() == "that":
            needs_that.add(phrase)
    cues.sort(key=len, reverse=True)
    # case-sensitive: 'States' in 'United States' is no cue; a capital is allowed at a sentence start.
    # A trie-shaped pattern scans ~3x faster than a flat alternation of 200 phrases.
    alt = trie_regex(cues + [c[0].upper() + c[1:] for c in cues]).replace(r"\ ", r"\s+")
    # every match starts with one of these: the lookahead rejects most positions before the \b and the trie are
    # tried (the scan of a body ~15 % faster on generated articles; the same matches, as the lookahead only
    # states what the trie's first character already requires)
    firsts = "".join(sorted({c[0] for c in cues} | {c[0].upper() for c in cues}))
    nouns = "|".join(_lexicon_lines("quote_cue_nouns.txt"))
    scare = sorted(_lexicon_lines("quote_scare.txt"), key=len, reverse=True)
    return {
        "cue": re.compile(rf"(?=[{re.escape(firsts)}])\b{alt}(?![\w-])"),
        "cue_spec": re.compile(rf"\b{alt}(?![\w-])"),     # the pattern "cue" is (tests compare them)
        "reporting": reporting,
        "needs_that": needs_that,
        "possessive": re.compile(rf"\b[Ii]n\s+((?:[A-Z][\w.’'-]*\s+){{0,3}}[A-Z][\w-]*)['’]s?\s+(?:own\s+)?(?:{nouns})\b"),
        # the end of every 'possessive' match: a body without one has none (the scan skips to an apostrophe)
        "possessive_tail": re.compile(rf"['’]s?\s+(?:own\s+)?(?:{nouns})\b"),
        "be": re.compile(r"\b(?:was|were|is|are|been|being|be)\s+(?:\w+ly\s+|once\s+|also\s+)?$", re.I),
        "starters": {w.casefold() for w in _lexicon_lines("quote_starters.txt")},
        "scare": re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(s) for s in scare)})\s*[:,]?\s*$", re.I),
        # the same, read on the reversed text from its start: one anchored match instead of a search that tries
        # every start of the 40 characters ('$' before a final newline adds no match: \s* takes the newline)
        "scare_reversed": re.compile(rf"\s*[:,]?\s*(?:{'|'.join(re.escape(s[::-1]) for s in scare)})(?![\w-])", re.I),
        "abbrev": {a for a in _lexicon_lines("quote_abbrev.txt")},
    }


def sentences(body: str, spans: list[Span], para_starts: list[int]) -> list[tuple[int, int]]:
    """Sentence bounds; a full stop inside quote marks ends a sentence only where the quote ends."""
    abbrev = cue_rules()["abbrev"]
    opens = [s.open_start for s in spans]
    breaks = set(para_starts[1:])
    for m in _END_RE.finditer(body):
        i = m.start()
        k = bisect_right(opens, i) - 1
        if k >= 0 and spans[k].open_start < i < spans[k].close_end and m.end() < spans[k].close_end:
            continue
        g = m.group()
        if g[0] == ".":
            tok = _last_token(body, max(0, i - 12), i)
            if tok:
                if tok.casefold() in abbrev or (len(tok) == 1 and tok.isupper()):
                    continue
                if g == "." and tok.isupper() and len(tok) <= 4 and _CAPS_WORD.match(body, m.end() + 1):
                    continue                # 'the ID. SPACE VIZZION': a model name in capitals, not a new sentence
        elif g[-1] in "”\"’'»" and _cue_follows(body, m.end()):
            continue                        # '"... the Chinese part?" He Jianxiong, the former ..., said'
        breaks.add(m.end())
    bounds, start = [], 0
    for b in sorted(breaks):
        if b > start:
            bounds.append((start, b))
        start = b
    if start < len(body):
        bounds.append((start, len(body)))
    out = []
    for a, b in bounds:
        while a < b and body[a].isspace():
            a += 1
        while b > a and body[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out


# A quotation ending in ? or ! takes the cue of the next words when they are its speaker and a cue:
# '"... part?" He Jianxiong, the former director ..., said' (held-out 2); the cue must come within this many
# characters (that example has 90).
_NEXT_CUE_CHARS = 200


def _cue_follows(body: str, pos: int) -> bool:
    nxt = cue_rules()["cue"].search(body, pos, pos + _NEXT_CUE_CHARS)
    if nxt is None or nxt.group()[:1].isupper():
        return False
    between = body[pos:nxt.start()]
    if any(c in between for c in ".!?\n\"“”"):
        return False
    return _nwords(between) <= 4 or parenthetical_subject(body, pos, nxt.start())


@dataclass
class Cue:
    text: str
    start: int
    end: int


def cues_in(body: str, lo: int, hi: int) -> list[Cue]:
    """Cues starting in body[lo:hi]; a capitalised cue only at the start of the range."""
    starts, cues = _cue_index(body)
    out = []
    for k in range(bisect_left(starts, lo), bisect_left(starts, hi)):
        cue = cues[k]
        if cue.end > hi:
            continue
        if cue.text[0].isupper() and not cue.text.startswith(("According", "In ")) \
                and body[lo:cue.start].strip(" \"'“‘”’"):
            continue                        # 'United States': a capital is allowed only at a sentence start
        out.append(cue)
    return out


@lru_cache(maxsize=4)
def _cue_index(body: str) -> tuple[list[int], list[Cue]]:
    """Every cue of a body, found in one pass (the body's sentences and gaps then look them up)."""
    rules = cue_rules()
    cue_rx = rules["cue"]
    out = []
    for m in cue_rx.finditer(body):
        word = m.group()
        low = word.casefold()
        start, end = m.span()
        if start > 0 and body[start - 1] == "-":
            continue                        # 'so-called'
        if low in ("say", "tell") and body[max(0, start - 4):start].casefold().endswith("to "):
            continue                        # "declined to say", "refused to tell"
        if low in ("reported", "reports", "report") and _REPORTS_TO.match(body, end):
            continue                        # 'Vindman reported to him': answered to, not speech
        pw = _prev_word(body, max(0, start - 20), start)
        pwf = pw.casefold()
        if pwf in _NOUN_BEFORE and " " not in low and not (pw[:1].isupper() and pwf in _NAME_PART) \
                and not (low.endswith("ed") and pwf in _NAME_PART):   # 'state media reported': a verb
            continue                        # 'the report', 'his comments': a noun ('Bloomberg News reported': a verb)
        if low.endswith("s") and " " not in low and body[end:end + 1] == " " \
                and cue_rx.match(body, end + 1) is not None:
            continue                        # 'intelligence reports said': the noun before the verb
        out.append(Cue(word if word.isalpha() else _SPACES.sub(" ", word), start, end))
    if rules["possessive_tail"].search(body):
        for m in rules["possessive"].finditer(body):
            out.append(Cue(m.group(), m.start(1), m.end(1)))
        out.sort(key=lambda c: c.start)     # (the scan's cues come in order already; the sort is stable)
    return [c.start for c in out], out


_NAME_PART = {"media", "news", "press", "intelligence"}     # capitalised, part of a name: 'Bloomberg News'
_NOUN_BEFORE = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "these", "those", "this", "that",
                "such", "whose", "media", "news", "press", "intelligence", "earlier", "recent", "initial", "some"}


def speaker_for(body: str, cue: Cue, lo: int, hi: int, after_quote: bool) -> Mention | None:
    """The speaker a cue names within body[lo:hi]: the subject before it, or after it when inverted."""
    low = cue.text.casefold()
    if low.startswith("in ") and low not in ("in a statement", "in an interview"):
        return np_after(body, cue.start, cue.end)       # "In Deng Yuwen's conclusion"
    pre = body[lo:cue.start]
    if (low.endswith("ed") and " " not in low and (cue_rules()["be"].search(pre[-40:]) or (
            pre.strip() and all(w.casefold() in cue_rules()["starters"] and w.casefold() not in _SUBJECT_PRONOUNS
                                for w in _WORD.findall(pre))))) \
            or (low in ("said", "told") and cue_rules()["be"].search(pre[-40:])):
        # passive: 'was once described by Mao as', 'were said to have', 'was told by police that'
        by = _PASSIVE_BY.match(body[cue.end:hi])   # passive: "was once described by Mao as"
        return np_after(body, cue.end + by.end(), hi) if by else None
    if low == "according to":
        return np_after(body, cue.end, hi)
    if low.startswith("in a") or low.startswith("in an"):
        return np_before(body, lo, cue.start)
    before = np_before(body, lo, cue.start)
    if before is not None:
        return before
    if low.endswith("ing") or low == "weighed in":
        # "Benioff weighed in, telling Cook": the subject opens the clause
        start = lo
        while start < cue.start and not body[start].isalnum():
            start += 1
        found = np_after(body, start, cue.start)
        if found is not None:
            return found
    between = body[lo:cue.start].strip(" ,.;:!?\"'”’“‘»«")
    if after_quote and (not between or body[lo:cue.start].rstrip().endswith(",")):
        return np_after(body, cue.end, hi)      # '..." announced in October, said Derek Scissors'

    if not between and lo > 0:
        return np_after(body, cue.end, hi)
    return None



# A subject set off by an appositive or a relative clause: 'The official, who asked not to be named,',
# 'Cmdr. Sean Robertson, a spokesperson for ..., the U.S. military operation against ...,'.
_PARENTHETICAL = re.compile(r"\s*[^,;:\"“”]+?\s*,\s*(?:who|whose|which|a|an|the|one|another|[\w.-]+['’]s|"
                            r"[a-z][\w-]*|"
                            r"(?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*|\d+)\b"
                            r"[^;:\"“”]*,\s*(?:(?:has|have|had|also|then|later|now|[a-z]+ly)\s+)*$")
# ... whose head, before the first comma, has no more words than this ('A VOA reporter's source inside the
# camp' has 8) and whose whole subject has no more than this (held-out 2's longest has 30).
_PARENTHETICAL_HEAD_WORDS = 9
_PARENTHETICAL_WORDS = 40


def parenthetical_subject(body: str, lo: int, hi: int) -> bool:
    text = body[lo:hi]
    if _nwords(text) > _PARENTHETICAL_WORDS or not _PARENTHETICAL.fullmatch(text):
        return False
    return _nwords(text[:text.find(",")]) <= _PARENTHETICAL_HEAD_WORDS


def _nwords(text: str) -> int:
    return len(_WORD.findall(text))



def is_scare(body: str, span: Span, left: str) -> bool:
    return cue_rules()["scare_reversed"].match(left[-40:][::-1]) is not None     # (the "scare" search, reversed)
