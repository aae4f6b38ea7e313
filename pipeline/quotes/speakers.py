"""Speaker noun phrases next to a cue, their kind and role, and resolution of short forms and pronouns."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.lexicon import read_sections
from pipeline.prefilter import trie_regex

# Patterns used inside the hot loops, compiled once (a re.match(str, ...) call costs a cache lookup each time).
# Leading determiners stripped from a noun phrase to leave its name or role
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_LEADING_CAPITAL_ARTICLE = re.compile(r"^(?:The|A|An)\s+")      # (case-sensitive: a defined name's own 'The')
_LEADING_DETERMINER = re.compile(r"^(?:the|a|an|one|another)\s+", re.I)
_LEADING_DETERMINER_OR_THIS = re.compile(r"^(?:the|a|an|one|another|this)\s+", re.I)    # a document's name
_ROLE_OPENER = re.compile(r"^(?:a|an|the|who is|who was)\s+")    # 'X, who is the chief of ...' -> 'the chief of ...'
# 'The director of ..., Yang Hui,': the role is what follows the first article of the outer phrase
_UP_TO_FIRST_ARTICLE = re.compile(r"^.*?\b(?:the|a|an)\s+", re.I)
# the head noun of 'The company that runs the AMAs': up to two words after the article, then a lowercase word
_ARTICLE_NP_HEAD = re.compile(r"\s*(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){0,2}?([a-z][\w-]*)\b")
_ALL_CAPS = re.compile(r"[A-Z]{2,}")       # an acronym token ('CEO', 'FBI'): part of the role, not of the name
# Around a name: the word before it ('told Benioff'), and what follows it (a possessive, ',', '(' or a word)
_WORD_BEFORE_NAME = re.compile(r"([A-Za-z’'.-]+)\s+(?:[A-Z][\w’'.-]*\s+)*$")
_NEXT_AFTER_NAME = re.compile(r"['’]s\b|\s*(?:,|\(|[a-z]+)")

DATA = Path(__file__).resolve().parents[1] / "data"
# How far back (characters) a pronoun looks for its antecedent: every pronoun of the seeds and the
# zyte gold points less than 1,500 characters back; 3,000 leaves room and keeps the scan bounded.
_PRONOUN_WINDOW = 3000

# (a number with thousands separators is one word: the comma of '190,000' ends no appositive)
_WORD_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_](?:[\w.'’&-]*[^\W_])?\.?|[,;:()–—]")
_DETERMINERS = {"the", "a", "an", "one", "another", "this", "that", "these", "those", "its", "his", "her",
                "their", "our", "some", "several", "many", "two", "three", "four", "other", "senior", "both"}
_SKIP_BACK = {"also", "has", "have", "had", "was", "were", "is", "are", "will", "would", "could", "then",
              "reportedly", "later", "previously", "again", "once", "further", "earlier", "recently", "often",
              "publicly", "privately", "simply", "repeatedly", "once", "even", "still", "just", "already",
              "never", "always", "quickly", "flatly", "first", "last", "did", "does", "do", "since", "had",
              "today", "yesterday", "tonight"}
_STOP = {"the", "a", "an", "and", "but", "or", "in", "on", "at", "to", "by", "with", "as", "that", "while", "when",
         "after", "before", "for", "from", "of", "if", "because", "so", "than", "said", "says", "told", "into",
         "which", "who", "whose", "where", "about", "over", "under", "this", "it", "was", "is", "has", "have"}
_WORD_LISTS = read_sections(DATA / "quote_function_words.txt")
_CALENDAR = frozenset(_WORD_LISTS["calendar"])
# Verbs of aspect between a subject and its cue: 'Mr. Trump continues to insist', 'she went on to say'.
_ASPECT = frozenset(_WORD_LISTS["aspect_verbs"])
# Plural nouns whose possessive is part of a name, not an owner: 'People's Daily', 'Children's Hospital'.
_NAME_POSSESSIVES = frozenset(_WORD_LISTS["name_possessives"])
# A participle and its agent between a head noun and a cue: 'The memos published by whistle-blower website '.
_BY_AGENT = re.compile(r"(?<=\w)\s+[a-z]+ed\s+by\s+(?:[a-z][\w-]*\s+){0,3}$")
# A plural noun subject opening a sentence: 'Analysts expect', 'Industry analysts say', 'Many experts think'.
_PLURAL_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+)?([A-Za-z][a-z-]+s)\s+"
                             r"(?!of\b|in\b|at\b|for\b|from\b)[a-z]+")
# How far back 'they' looks for such a sentence: about two sentences (the held-out 2 case is ~110 characters).
_PLURAL_WINDOW = 300
_THE_NAME = re.compile(r"the\s+(?:[A-Z][\w&’'.-]*\s+){0,4}[A-Z][\w&’'.-]*$")
_CLAUSE_WORD = re.compile(r"[\w’'-]+")
_QUANTIFIERS = frozenset(_WORD_LISTS["quantifiers"])
_PREV_TOKEN = re.compile(r"(\S+)(\s*)$")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# Lowercase words inside an organisation's name after "the": 'the Department of Justice'.
_NAME_LINKS = {"of", "and", "for", "on", "&"}
# Prepositions that open a modifier after a speaker noun: 'sources in the camp', 'observers across the region'.
_PP_HEADS = frozenset(_WORD_LISTS["modifier_prepositions"])
_NAME_PARTICLES = {"de", "van", "von", "bin", "al", "der", "la", "le", "du", "da", "di", "del", "dos", "ibn", "ter"}
_CUT_REL = re.compile(r"\b(?:who|whose|which|familiar with|close to|with knowledge of|briefed on|speaking on)\b", re.I)
# A piece of each _CUT_REL phrase, none with i, s or k (the only ASCII letters IGNORECASE matches with a
# character lower() leaves non-ASCII: ı, ſ, K, İ): a text whose lower() has none of them has no match.
_CUT_REL_NEEDS = ("wh", "fam", "clo", "wledge", "efed", "pea")


def _may_cut_rel(low: str) -> bool:
    """any(n in low for n in _CUT_REL_NEEDS), written out (np_before asks it of every subject; tests compare)."""
    return "wh" in low or "fam" in low or "clo" in low or "wledge" in low or "efed" in low or "pea" in low
_FWD_CUT = {"is", "was", "are", "were", "has", "had", "have", "will", "would", "that", "who", "which", "whose", "by", "on", "in", "at", "from", "to", "with", "as", "after",
            "before", "when", "while", "for", "during", "last", "this", "on", "earlier", "later", "told", "said"}


def _lines(name: str) -> list[list[str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            rows.append(line.split())
    return rows


@lru_cache(maxsize=1)
def lexicon() -> dict:
    hon = {r[0]: (r[1] if len(r) > 1 else None) for r in _lines("quote_honorifics.txt")}
    return {
        "honorifics": hon,
        "roles": {r[0] for r in _lines("quote_roles.txt")} | set(hon),
        "nouns": {r[0]: r[1] for r in _lines("quote_nouns.txt")},
        "orgwords": {r[0] for r in _lines("quote_orgwords.txt")},
        "pronouns": {r[0]: r[1] for r in _lines("quote_pronouns.txt")},
        "starters": {r[0] for r in _lines("quote_starters.txt")},
        "first_names": {r[0]: r[1] for r in _lines("quote_first_names.txt")},
        "role_abbrev": {r[0]: r[1] for r in _lines("quote_role_abbrev.txt")},
        "anonymous": {r[0] for r in _lines("quote_anonymous.txt")},
        "short_forms": {r[0]: " ".join(r[1:]) for r in _lines("quote_short_forms.txt")},
    }


def lx_nouns() -> dict[str, str]:
    return lexicon()["nouns"]


@lru_cache(maxsize=4096)
def role_words(role: str | None) -> frozenset[str]:
    """The folded words of a role, abbreviated titles spelt out: 'Republican Gov.' -> {republican, gov, governor}."""
    if not role:
        return frozenset()
    abbrev = lexicon()["role_abbrev"]
    words = set(fold(role).split())
    return frozenset(words | {abbrev[w] for w in words if w in abbrev})


@dataclass
class Mention:
    """A speaker as written next to a cue, and what it was resolved to."""

    text: str                      # as written ("he", "Ms Flournoy", "the report")
    kind: str                      # person, organisation, document, unnamed, pronoun
    name: str | None = None        # name part without titles ("Flournoy")
    role: str | None = None
    gender: str | None = None
    pos: int = 0


@dataclass
class Entity:
    canonical: str
    kind: str
    pos: int
    gender: str | None = None
    role: str | None = None
    spoke: bool = False


_FOLD_PUNCT = re.compile(r"[-‐‑–—_'’.]")


# Names repeat within and across articles (the same few people per story); profiling the quotes
# stage on 200 generated articles showed fold() at ~30 % of its time before this cache.
@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Case-, diacritic-, hyphen- and apostrophe-insensitive key of a name."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = _FOLD_PUNCT.sub(" ", text.casefold())
    return " ".join(text.split())


@lru_cache(maxsize=1 << 14)      # (a pure function of the name; the same speakers recur in an article)
def speaker_id(name: str | None) -> str | None:
    return hashlib.sha256(fold(name).encode()).hexdigest()[:16] if name else None


def _words(text: str, base: int) -> list[tuple[str, int, int]]:
    """The words of text, offsets shifted by base (the spec of _words_in; tests compare them)."""
    return [(m.group(), base + m.start(), base + m.end()) for m in _WORD_RE.finditer(text)]


def _words_in(body: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
    """_words(body[lo:hi], lo), scanned in place: _WORD_RE has no anchor, lookaround or \\b, so a scan bounded
    by pos and endpos sees what a scan of the slice sees (np_before and np_after tokenise every subject window:
    no slice and no offset additions per word)."""
    return [(m.group(), *m.span()) for m in _WORD_RE.finditer(body, lo, hi)]


def _is_cap(w: str) -> bool:
    # 'iFixit', 'eBay': a brand written with a lowercase first letter is a name too
    return w[:1].isupper() or (w[1:2].isupper() and w[:1].islower() and w[2:3].islower())


def _bare(w: str) -> str:
    return w.rstrip(".").casefold()


def _split_name(tokens: list[str]) -> tuple[str | None, str | None, str, str | None]:
    """(name, role, kind, gender) of a capitalised run such as 'US Ambassador Richard Hoagland'."""
    return _split_cached(tuple(tokens))


@lru_cache(maxsize=4096)
def _split_cached(tokens: tuple[str, ...]) -> tuple[str | None, str | None, str, str | None]:
    lx = lexicon()
    while tokens and _bare(tokens[0]) in lx["starters"]:
        tokens = tokens[1:]
    if not tokens:
        return None, None, "unknown", None
    low = [_bare(t) for t in tokens]
    if all(t in _CALENDAR for t in low):
        return None, None, "unknown", None          # 'performance Tuesday, Wild coach ... saying'
    if low[-1] in lx["orgwords"] or (tokens[-1].isupper() and len(tokens[-1]) > 1 and len(tokens) == 1):
        while len(tokens) > 1 and ((tokens[0].endswith(("'s", "’s"))
                                    and _bare(tokens[0])[:-2] not in _NAME_POSSESSIVES)
                                   or "-" in tokens[0] and tokens[0].split("-")[-1].islower()):
            tokens = tokens[1:]             # "Britain's Guardian", "British-based Financial Times"
        return " ".join(tokens), None, "organisation", None
    cut, gender = 0, None
    for k, t in enumerate(low):
        if t in lx["honorifics"] or t in lx["orgwords"] or t in lx["roles"] or _ALL_CAPS.fullmatch(tokens[k]) \
                or (t.endswith(("'s", "’s")) and t[:-2] not in _NAME_POSSESSIVES):
            cut = k + 1
            gender = lx["honorifics"].get(t) or gender
    name = tokens[cut:]
    role = " ".join(tokens[:cut]) or None
    if not name:
        return " ".join(tokens), None, "organisation", None
    gender = gender or lx["first_names"].get(_bare(name[0])) if len(name) > 1 else gender
    return " ".join(name), role, "person", gender


def _nominal(tokens: list[str]) -> str | None:
    """Kind of a lowercase noun phrase from its head noun, or None when the head is no speaker."""
    nouns = lexicon()["nouns"]
    for t in reversed(tokens):
        kind = nouns.get(_bare(t))
        if kind:
            return kind
    return None


def np_before(body: str, lo: int, hi: int) -> Mention | None:
    """The subject noun phrase that ends at hi (a cue's start), looking no further back than lo."""
    text = body[lo:hi]
    tail = text[-80:]
    share = _SHARE.search(tail) if "ercent" in tail or "%" in tail or "ajorit" in tail \
        or "most " in tail or "alf" in tail else None
    if share:
        # 'Fifty-one percent say', '70 percent of Americans say', 'most voters say': poll respondents, no speaker
        start = hi - len(tail) + share.start()
        return Mention(body[start:hi].strip(), "unnamed", name=share.group().strip(), pos=start)
    rel = None
    if _may_cut_rel(text.lower()):
        for m in _CUT_REL.finditer(text):
            rel = m
    if rel is not None and "," not in text[rel.start():]:
        found = np_before(body, lo, lo + rel.start())
        if found:
            return found
    words = _words_in(body, lo, hi)
    k = len(words) - 1
    while k >= 0:
        if words[k][0] == "to" and k > 0 and _bare(words[k - 1][0]) in _ASPECT:
            k -= 2                          # 'continues to', 'went on to' (with 'on' skipped below)
        elif _bare(words[k][0]) in _SKIP_BACK or (words[k][0].endswith("ly") and words[k][0].islower()):
            k -= 1
        else:
            break
    if k < 0:
        return None
    role = None
    if words[k][0] == ",":
        apposed = _apposed(body, lo, hi)
        if apposed is not None:
            return apposed
        # appositive: "John Tkacik, a former State Department China specialist, said"
        j = k - 1
        while j >= 0 and words[j][0] not in ",;:()" and k - j < 25:
            j -= 1
        if j < 0 or words[j][0] != ",":
            return _apposed(body, lo, hi)
        role = body[words[j][2]:words[k][1]].strip() or None
        if role and role[:1].isupper():
            # "The director of ..., Major-General Yang Hui, referred to": the appositive is the name
            named = np_before(body, words[j][2], words[k][1])
            outer_head = _ARTICLE_NP_HEAD.match(body[lo:words[j][1]])
            if named is not None and named.kind == "organisation" and named.pos == words[j + 1][1] and outer_head \
                    and lx_nouns().get(outer_head.group(1)) == "organisation":
                return named                # 'The company that runs the AMAs, Dick Clark Productions, denies'
            if named is not None and named.kind == "person" and named.pos == words[j + 1][1]:
                outer = body[lo:words[j][1]]
                named.role = named.role or _UP_TO_FIRST_ARTICLE.sub("", outer[-120:]).strip() or None
                return named
        if role and _THE_NAME.match(role):
            # "The EU's executive arm, the European Commission, said": an organisation named in the appositive
            named = np_before(body, words[j][2], words[k][1])
            if named is not None and named.kind == "organisation" and named.pos <= words[j + 2][1]:
                return named
        if role:
            role = _ROLE_OPENER.sub("", role)
        k = j - 1
        if k < 0:
            return None
    w = words[k][0]
    lx = lexicon()
    if w.casefold() in lx["pronouns"]:
        return Mention(w, "pronoun", pos=words[k][1])
    if _is_cap(w) and not (_bare(w) in lx["nouns"] and (k == 0 or not _is_cap(words[k - 1][0]))):
        j = k
        while j - 1 >= 0 and (_is_cap(words[j - 1][0]) or (_bare(words[j - 1][0]) in _NAME_PARTICLES and j - 2 >= 0
                                                            and _is_cap(words[j - 2][0]))):
            j -= 1
        while j < k and _bare(words[j][0]) in lx["starters"] and _bare(words[j][0]) != "the":
            j += 1                          # 'As Ms Smith noted': the conjunction is not part of the speaker
        # (every match holds 'by': a window without it skips the search, which tries each of its ~60 starts)
        by_lo = max(lo, words[j][1] - 60)
        by = _BY_AGENT.search(body, by_lo, words[j][1]) if body.find("by", by_lo, words[j][1]) != -1 else None
        if by is not None and by.start() > lo:
            # 'The memos published by whistle-blower website WikiLeaks also allege': the memos allege
            inner = np_before(body, lo, by.start())
            if inner is not None and inner.kind in ("document", "unnamed", "organisation"):
                return inner
        toks = [x[0].rstrip(".") if x[0].endswith(".") and len(x[0]) > 2 and x[0][-2].islower() else x[0]
                for x in words[j:k + 1]]
        # "the US embassy in Beijing": a nominal head before in/of/at + a name
        if j - 2 >= 0 and _bare(words[j - 1][0]) in ("in", "of", "at", "for", "to") and _nominal([words[j - 2][0]]) \
                and (j == k or _split_name(toks)[2] != "person"):
            inner = np_before(body, lo, words[j - 1][1])
            if inner and inner.kind in ("organisation", "document", "unnamed"):
                inner.text = body[inner.pos:words[k][2]]
                inner.name = _LEADING_ARTICLE.sub("", inner.text)
                return inner
        name, nrole, kind, gender = _split_name(toks)
        if name is None:
            return None
        # role words in lower case right before the name: "foreign ministry spokesman Hong Lei"
        r = j - 1
        while r >= 0 and words[r][0].islower() and _bare(words[r][0]) not in _STOP and j - r < 5:
            r -= 1
        if r < j - 1:
            # capitalised words before a lowercase role belong to it: "Pentagon press secretary"
            while r >= 0 and _is_cap(words[r][0]) and _bare(words[r][0]) not in lx["starters"] and j - r < 8:
                r -= 1
        pre = [x[0] for x in words[r + 1:j]]
        if pre and any(_bare(p) in lx["roles"] for p in pre):
            nrole = " ".join(pre + ([nrole] if nrole else []))
            if kind == "organisation" and nrole and " " not in name and name[:1].isupper():
                pass
            gender = gender or next((lx["honorifics"].get(_bare(p)) for p in pre if lx["honorifics"].get(_bare(p))), None)
        start = words[j][1]
        return Mention(body[start:words[k][2]], kind, name=name, role=role or nrole, gender=gender, pos=start)
    # lowercase head: walk back to a determiner
    j = k
    while j - 1 >= 0 and k - j < 7 and words[j - 1][0] not in ",;:()–—":
        prev = _bare(words[j - 1][0])
        if prev in _DETERMINERS or prev.endswith("'s") or prev.endswith("’s"):
            j -= 1
            if prev.endswith(("'s", "’s")) and _is_cap(words[j][0]):
                # "The Wrap's report": the owner's whole name, its article too
                while j - 1 >= 0 and _is_cap(words[j - 1][0]) and k - j < 8:
                    j -= 1
            break
        if prev in _STOP:
            break
        j -= 1
    toks = [x[0] for x in words[j:k + 1]]
    kind = _nominal(toks[-1:]) or None
    if kind is None:
        if j >= 2 and _bare(words[j - 1][0]) in _PP_HEADS and (words[j - 2][0].islower() or j == 2) \
                and _nominal([words[j - 2][0]]):
            # "sources in the Rukban camp told", "executives across the world say"
            return np_before(body, lo, words[j - 1][1])
        if role is not None and _CUT_REL.search(body, lo, words[k][2]):
            # 'A person familiar with the plans, who requested anonymity ..., said': the head before 'familiar with'
            inner = np_before(body, lo, words[k][2])
            if inner is not None:
                inner.role = inner.role or role
            return inner
        return None
    if j >= 2 and _bare(words[j - 1][0]) == "and" and _bare(words[j][0]) in ("his", "her", "their") and _is_cap(words[j - 2][0]):
        return np_before(body, lo, words[j - 1][1])      # "Paganini and his team wrote"
    start = words[j][1]
    text = body[start:words[k][2]]
    if kind == "organisation" and _bare(toks[0]) in _QUANTIFIERS:
        kind = "unnamed"                    # 'both companies announced', 'several firms said': none of them named
    return Mention(text, kind, name=_LEADING_DETERMINER.sub("", text), role=role, pos=start)


_QUANT = (r"(?:\d[\d.,]*\s*(?:%|percent|per\s+cent)|[A-Za-z]+(?:-[A-Za-z]+)?\s+(?:percent|per\s+cent)|"
          r"(?:a|the)\s+(?:slim\s+|narrow\s+|clear\s+)?(?:majority|minority)|half|two-thirds|a\s+third|a\s+quarter)")
_SHARE = re.compile(r"(?<![\w-])(?:(?:an?\s+)?(?:overwhelming|whopping|mere|just|only|nearly|almost|about|some|over|"
                    r"under|roughly)\s+)?" + _QUANT + r"(?:\s+of\s+(?:the\s+|all\s+|those\s+)?(?:[\w’'-]+\s+){0,3}?"
                    r"[\w’'-]+)?\s*$|\b(?:[Mm]ost|[Mm]any)\s+(?:[A-Z][a-z]+(?:ans|ers|ns)|respondents|voters|people|"
                    r"adults|residents|citizens|economists|analysts|experts)\s*$")
_APPOSED = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*[\w]\.?),\s+(?:a|an|the|who|whose|\d+)\b")


def _apposed(body: str, lo: int, hi: int) -> Mention | None:
    """'Lucas Paganini, a planetary scientist at ..., and ..., said': the name an appositive follows."""
    last = first = None
    for m in _APPOSED.finditer(body, lo, hi):
        last = m
        first = first or m
    if last is None:
        return None
    if first is not last and not body[lo:first.start(1)].strip(" \"'“”‘’\n"):
        # 'Omar Lamrani, a senior analyst at Stratfor, the Texas-based ..., told': the name opening the clause
        last = first
    name, role, kind, gender = _split_name(last.group(1).split())
    if kind != "person" or not name:
        return None
    start = last.start(1) + last.group(1).rfind(name.split()[0])
    return Mention(body[start:last.end(1)], "person", name=name, role=role, gender=gender, pos=start)


def np_after(body: str, lo: int, hi: int) -> Mention | None:
    """The noun phrase that starts at lo (after an inverted cue or 'according to')."""
    words = _words_in(body, lo, hi)
    if not words:
        return None
    lx = lexicon()
    w0 = words[0][0]
    if w0.casefold() in lx["pronouns"]:
        return Mention(w0, "pronoun", pos=words[0][1])
    end = 0
    while end < len(words) and end < 14:
        w = words[end][0]
        if w in ",;:()–—" or (end > 0 and _bare(w) in _FWD_CUT) or (end > 1 and w.islower() and w.endswith("ed") and (
                _nominal([words[end - 1][0]]) or _is_cap(words[end - 1][0]))):
            break
        if end > 0 and _bare(w) == "and" and not (end + 1 < len(words) and _is_cap(words[end + 1][0])):
            break
        end += 1
    if end == 0:
        return None
    toks = [x[0] for x in words[:end]]
    text = body[words[0][1]:words[end - 1][2]].rstrip(".")
    if _is_cap(w0) and _bare(w0) not in _DETERMINERS:
        caps = []
        for t in toks:
            if not (_is_cap(t) or _bare(t) in _NAME_PARTICLES):
                break
            caps.append(t.rstrip(".") if t.endswith(".") and t[-2:-1].islower() else t)
        if len(caps) == len(toks) or not _nominal(toks):
            name, role, kind, gender = _split_name(caps)
            if name:
                if kind == "person" and _nominal(toks[len(caps):]):
                    kind = _nominal(toks[len(caps):])
                    name = text
                return Mention(" ".join(caps) if kind != "unnamed" else text, kind, name=name, role=role,
                               gender=gender, pos=words[0][1])
    if len(toks) > 1 and _bare(w0) == "the" and _is_cap(toks[-1]) \
            and all(_is_cap(t) or _bare(t) in _NAME_LINKS for t in toks[1:]):
        # 'according to The Wrap', 'told the BBC', 'according to the Pentagon': a named body
        name, role, kind, gender = _split_name(toks[1:])
        if name and not (kind == "person" and (role or gender)):
            name = " ".join(toks[1:])
            return Mention(text, "organisation", name=name, pos=words[0][1])
    first_cap = next((i for i, t in enumerate(toks) if _is_cap(t)), None)
    if first_cap and all(t.islower() for t in toks[:first_cap]) and any(_bare(t) in lx["roles"] for t in toks[:first_cap]):
        caps = []
        for t in toks[first_cap:]:
            if not _is_cap(t):
                break
            caps.append(t)
        name, role, nkind, gender = _split_name(caps[:len(caps)])
        if nkind == "person" and name:
            start = words[first_cap][1]
            return Mention(" ".join(caps), "person", name=name, role=" ".join(toks[:first_cap]), gender=gender, pos=start)
    kind = _nominal(toks)
    if kind is None:
        return None
    tail = []
    for t in reversed(toks):
        if not _is_cap(t):
            break
        tail.insert(0, t)
    if tail and len(tail) < len(toks) and _nominal(toks[:len(toks) - len(tail)]) == "unnamed":
        name, role, nkind, gender = _split_name(tail)
        if nkind == "person" and name:
            start = words[len(toks) - len(tail)][1]
            return Mention(body[start:words[end - 1][2]], "person", name=name,
                           role=" ".join(toks[:len(toks) - len(tail)]), gender=gender, pos=start)
    if kind == "document":
        src = _DOC_FROM.match(body, words[end - 1][2], hi)
        if src:
            # 'according to reports from The Wrap', 'a report in the Argus Leader': the outlet is the source
            return Mention(body[words[0][1]:src.end(1)], "organisation", name=src.group(1), pos=words[0][1])
        if len(toks) == 1 and toks[0].islower() and toks[0].endswith("s"):
            return Mention(text, "unnamed", name=text, pos=words[0][1])    # 'according to reports': no source
    mention = Mention(text, kind, name=_LEADING_DETERMINER.sub("", text), pos=words[0][1])
    # "a senior Communist Party official, Qiu Yuanping," names the nominal
    if end < len(words) and words[end][0] == "," and end + 1 < len(words) and _is_cap(words[end + 1][0]):
        named = np_after(body, words[end + 1][1], hi)
        if named and named.kind == "person":
            named.role = mention.name
            return named
    return mention


# (a name never runs over a line break: 'Story Timeline\nAudi e-tron ...' is a heading, then a name)
# (the lookbehind after the first capital, not before it: the engine then skips to capitals; same matches)
_NAME_RUN = re.compile(r"([A-Z](?<!\S.)[\w'’.-]*[\w](?:[ \t]+(?:(?:de|van|von|bin|al|der|la|le|da|di|del)[ \t]+)?"
                       r"[A-Z][\w'’.-]*[\w]){0,5})")
_POSSESSIVE = re.compile(r"['’]s$")              # (build_registry tests a token with endswith: no token has '\n')
_SENT_START = re.compile(r"(?:^|[.!?\n]\s*)$")
_PARTICIPLE = re.compile(r"(?:ing|ed|ly)$")        # (the same)
_PREP_BEFORE = re.compile(r"\b(?:to|of|in|for|from|at)\s+$")


@dataclass
class Registry:
    """People and things of one article, in order of mention, for short forms and pronouns."""

    body: str
    full_names: list[tuple[int, str]] = field(default_factory=list)      # (pos, name) of 2+ token names
    documents: list[tuple[int, str]] = field(default_factory=list)
    orgs: list[tuple[int, str]] = field(default_factory=list)
    by_token: dict[str, list[tuple[int, str]]] = field(default_factory=dict)   # first/last token -> full names
    known: dict[str, Entity] = field(default_factory=dict)                     # canonical -> latest entity
    entities: list[Entity] = field(default_factory=list)
    roles: list[tuple[int, str, frozenset[str]]] = field(default_factory=list)  # (pos, person, role words)
    doc_sources: list[tuple[int, str, str]] = field(default_factory=list)       # (pos, noun, source name)
    quoted: list[tuple[int, int]] = field(default_factory=list)                 # (open, close) of quotations
    first_seen: dict[str, Entity] = field(default_factory=dict)                # canonical -> earliest entity

    def in_quote(self, pos: int) -> bool:
        k = bisect_right(self.quoted, (pos, 1 << 62)) - 1
        return k >= 0 and self.quoted[k][0] < pos < self.quoted[k][1]

    def canonical_person(self, name: str, pos: int) -> str:
        """The fullest name in the article that contains this short form ('Tkacik' -> 'John Tkacik')."""
        toks = fold(name).split()
        if not toks:
            return name
        best = None
        # a first name alone stands for a full name only when it is a given name ('Taylor' -> 'Taylor Swift');
        # 'Google' is not 'Google Stadia', 'Nissan' not 'Nissan Connect'
        by_first = len(toks) > 1 or toks[0] in lexicon()["first_names"]
        cands = self.by_token.get(toks[-1], []) + self.by_token.get(toks[0], [])
        for p, full in cands:
            ft = fold(full).split()
            if len(ft) <= len(toks):
                continue
            if ft[-len(toks):] == toks or (ft[:len(toks)] == toks and (
                    by_first or all(t in _NAME_SUFFIXES for t in ft[len(toks):]) or self._titled(full))):
                if best is None or (p <= pos and (best[0] > pos or p > best[0] or len(ft) > len(fold(best[1]).split()))):
                    best = (p, full)
        if best is not None:
            bt = fold(best[1]).split()
            for p, full in cands:
                ft = fold(full).split()
                if len(ft) == len(bt) and ft[1:] == bt[1:] and len(ft[0]) > len(bt[0]) and ft[0].startswith(bt[0]):
                    best = (p, full)        # 'Josh Apte' is the 'Joshua Apte' the article introduced
        if best is None and len(toks) == 1:
            # a surname of a person a speaker mention named in full ('Dr. Silvia S. Martins' ... 'Martins said')
            for e in reversed(list(self.known.values())):
                if e.kind == "person" and " " in e.canonical and fold(e.canonical).split()[-1] == toks[0]:
                    return e.canonical
        return best[1] if best else name

    def _titled(self, full: str) -> bool:
        """A full name the article gave a title, role or gender: a person ('Chun' -> 'Chun Yung-woo')."""
        e = self.known.get(full)
        if e is not None and e.kind == "person" and (e.role or e.gender):
            return True
        return any(name == full for _, name, _ in self.roles)      # 'ambassador to Britain Liu Xiaming'

    def expand_short(self, name: str) -> str:
        """'VW' -> 'Volkswagen' when the article writes both (quote_short_forms.txt), or the name a short form
        stands for where the article defines it: 'the Securities and Exchange Commission (SEC)'."""
        if " " in name or len(name) > 10:
            return name
        full = lexicon()["short_forms"].get(name)
        if full is not None and full in self.body:
            return full
        if name.isupper() and len(name) > 1:
            at = self.body.find("(" + name + ")")
            if at > 0:
                m = _DEFINED.search(self.body, max(0, at - 120), at)
                full = _LEADING_CAPITAL_ARTICLE.sub("", m.group(1)) if m else ""
                if full and fold(full)[:1] == fold(name)[:1]:
                    return full
        return name

    def remember(self, e: Entity) -> None:
        old = self.known.get(e.canonical)
        if old is not None:
            e.gender = e.gender or old.gender
            e.role = e.role or old.role
        self.known[e.canonical] = e
        first = self.first_seen.get(e.canonical)
        if first is None or e.pos < first.pos:
            self.first_seen[e.canonical] = e

    def canonical_org(self, name: str, pos: int = 1 << 40) -> str:
        """The nearest earlier fuller name of an organisation ('the Times' -> 'New York Times')."""
        toks = fold(name).split()
        best = None
        for p, full in self.by_token.get("org:" + toks[-1], ()) if toks else ():
            ft = fold(full).split()
            if len(ft) > len(toks) and ft[-len(toks):] == toks and (best is None or (p < pos and (best[0] > pos or p > best[0]))):
                best = (p, full)
        return best[1] if best else name

    def canonical_document(self, text: str, pos: int | None = None) -> str:
        owner = _DOC_OWNED.match(text)
        if owner:
            return owner.group(1)           # "The Wrap's report today claims": the outlet that made it
        own = _DOC_NAMED.search(text)
        if own and _named_doc(own):
            return _named_doc(own)
        head = fold(text).split()[-1:] or [""]
        if pos is not None:
            # 'a report from Kotak Institutional Equities' ... 'the report': the source the article gave it
            hi = bisect_left(self.doc_sources, pos + 1, key=lambda d: d[0])
            for p, noun, source in reversed(self.doc_sources[:hi]):
                if noun == head[0]:
                    return source
        best = None
        for _, name in self.documents:
            if fold(name).split()[-1:] == head and (best is None or len(name) > len(best)):
                best = name
        return best or _LEADING_DETERMINER_OR_THIS.sub("", text)

    def _latest_mention(self, people: list[Entity], pos: int, gender: str | None,
                        subjects: set[str] | None = None) -> Entity | None:
        """The person whose name (or surname) occurs last before pos, within the last ~1,500 characters, as a
        subject; a person not in subjects counts only where the name opens a clause ('Morrison was the third
        witness ... He said' after 'Kurt Volker, ..., and Tim Morrison, ..., testified')."""
        best, best_pos = None, -1
        lo = max(0, pos - 1500)
        body = self.body
        seen = set()
        for e in reversed(people):
            if e.canonical in seen:
                continue
            seen.add(e.canonical)
            if e.spoke and best_pos < e.pos < pos:
                best, best_pos = e, e.pos   # "In Deng Yuwen's conclusion, '...'": a speaker, whatever the syntax
            surname = e.canonical.split()[-1]
            strict = subjects is not None and e.canonical not in subjects
            p = body.rfind(surname, lo, pos)
            while p > best_pos:
                end = p + len(surname)
                if (p == 0 or not body[p - 1].isalnum()) and (end >= len(body) or not body[end].isalnum()) \
                        and not self.in_quote(p) and self._subject_like(end) and not self._object_like(p) \
                        and (not strict or self._at_clause_start(p)):
                    best, best_pos = e, p
                    break
                p = body.rfind(surname, lo, p)
        return best

    def _object_like(self, start: int) -> bool:
        """'told Benioff', 'with Cook': a name right after a lowercase verb or preposition."""
        prev = _PREV_TOKEN.search(self.body, max(0, start - 40), start)
        if prev is None or "\n" in prev.group(2) or (prev.group(1)[-1] in ".!?:;\"”’"
                                                     and _bare(prev.group(1)) not in lexicon()["honorifics"]):
            return False                    # the name opens a sentence or paragraph ('Biden.\n\nMorrison was')
        before = _WORD_BEFORE_NAME.search(self.body[max(0, start - 60):start])
        if before is None:
            return False
        word = before.group(1)
        if word[-1] in ".!?:;,":
            return False                    # a sentence or clause ends before the name
        lx = lexicon()
        return word.islower() and _bare(word) not in lx["roles"] and _bare(word) not in _DETERMINERS

    def _subject_like(self, end: int) -> bool:
        """A name followed by a verb-like word or an appositive comma, not 'of', 'and', ''s'."""
        nxt = _NEXT_AFTER_NAME.match(self.body[end:end + 20])
        if nxt is None or nxt.group().startswith(("'", "’")):
            return False
        word = nxt.group().strip()
        return word not in ("of", "and", "in", "at", "for", "to", "on", "by", "with", "from", "or")

    def _plural_subject(self, pos: int) -> Entity | None:
        """A plural speaker noun opening one of the last sentences before pos ('Analysts expect', 'Industry
        analysts say'), within _PLURAL_WINDOW characters."""
        last = None
        for m in _PLURAL_SUBJECT.finditer(self.body, max(0, pos - _PLURAL_WINDOW), pos):
            if lexicon()["nouns"].get(m.group(1).casefold()) in ("unnamed", "organisation") \
                    and lexicon()["nouns"].get(m.group(1).casefold()[:-1]):
                last = m
        if last is None:
            return None
        return Entity(last.group(1), "unnamed", last.start(1))

    def _at_clause_start(self, pos: int) -> bool:
        """True when only titles and role words stand between a sentence start and this mention."""
        before = self.body[max(0, pos - 100):pos]
        cut = max(before.rfind(". "), before.rfind("\n"), before.rfind("? "), before.rfind("! "), before.rfind("; "))
        conj = max(before.rfind(", and "), before.rfind(", but "))
        if conj > cut:
            cut = conj + 5                  # '..., and the captain, Tom Jones, thanked': a coordinated clause
        if cut == -1 and pos > 100:
            return False
        words = _CLAUSE_WORD.findall(before, cut + 1)
        lx = lexicon()
        return all(w[:1].isupper() or _bare(w) in lx["roles"] or _bare(w) in _DETERMINERS for w in words)

    def pronoun(self, word: str, pos: int, paragraph_start: int) -> Entity | None:
        want = lexicon()["pronouns"].get(word.casefold())
        gender = {"he": "m", "she": "f"}.get(word.casefold())
        # only entities of the last few thousand characters: keeps resolution linear in the body
        lo_i = bisect_left(self.entities, pos - _PRONOUN_WINDOW, key=lambda e: e.pos)
        hi_i = bisect_left(self.entities, pos, key=lambda e: e.pos)
        candidates = self.entities[lo_i:hi_i]
        if want == "person":
            # a person the article introduced before the window still counts when their name recurs in it
            # ('Jessie Buckley' in the opening, 'Buckley, who hadn't sung …, worried … “…,” she said' 9,000
            # characters later); _latest_mention only takes them where that name is a subject near pos
            known = self.known
            near = {e.canonical for e in candidates}
            older = [known.get(c, e) for c, e in self.first_seen.items()
                     if e.kind == "person" and c not in near and e.pos < pos - _PRONOUN_WINDOW]
            # the gender the article has shown so far (a 'he' resolved to them counts): known holds it merged
            people = [e for e in older + candidates if e.kind == "person" and (
                gender is None or (e.gender or getattr(known.get(e.canonical), "gender", None)) in (None, gender))]
            subjects = [e for e in people if e.spoke or self._at_clause_start(e.pos)]
            # the one named last as a subject, whether or not their gender is known: 'He says' after
            # 'Police Chief Ed Alvarez told' is Alvarez, not the earlier 'Steve Castro' whose gender is known
            recent = self._latest_mention(people, pos, gender, {e.canonical for e in subjects}) if subjects \
                else self._latest_mention(people, pos, gender)
            if recent is not None:
                return recent
            pick = (subjects or people)[-1:]
            return pick[0] if pick else None
        if want == "thing":
            docs = [e for e in candidates if e.kind == "document" and e.pos >= pos - 1500]
            orgs = [e for e in candidates if e.kind == "organisation" and e.spoke and e.pos >= pos - 1500]
            pick = (docs or orgs)[-1:]
            return pick[0] if pick else None
        if want == "plural":
            group = [e for e in candidates if e.kind in ("organisation", "unnamed") and e.pos >= pos - 1500]
            plural = self._plural_subject(pos)
            if plural is not None and (not group or plural.pos > group[-1].pos):
                return plural               # 'Analysts expect ... They say': the analysts, not the company before
            return group[-1] if group else None
        return None


# The name before a defined short form: 'the Securities and Exchange Commission (SEC)'.
_DEFINED = re.compile(r"((?:[A-Z][\w&.’'-]*\s+(?:(?:of|and|for|on|the|&)\s+)*){0,6}[A-Z][\w&.’'-]*)\s+$")
_DOC_HEADS = "report|study|survey|memo|cable|letter|statement|review|paper|document|analysis"
_DOC_NAMED = re.compile(r"((?:[A-Z][\w.&’'-]*(?:\s+(?:and|of|for|on)\s+|\s+)){1,8}?)(" + _DOC_HEADS + r")\b")
_DOC_NAMED_HEADS = frozenset(_DOC_HEADS.split("|"))
_DOC_ANY = re.compile(r"\b(?:the|a|an|one|another|this)\s+(?:[\w-]+\s+){0,2}?(report|cable|memo|statement|study|survey|"
                      r"letter|document|documents|cables|memos|filing|complaint|lawsuit)\b", re.I)


# A document named by its owner: "The Wrap's report", "Kotak's latest note" (the owner is the speaker).
_DOC_OWNED = re.compile(r"(?:[Tt]he\s+)?((?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*)['’]s\s+(?:[a-z][\w-]*\s+){0,2}"
                        r"(?:report|reports|study|survey|poll|memo|note|analysis|statement|filing|review|article|"
                        r"story)$")
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


_DOC_FROM = re.compile(r"\s+(?:from|in)\s+(?:the\s+)?((?:[A-Z][\w.&’'-]*\s+){0,5}[A-Z][\w.&’'-]*[\w])")
_DOC_SOURCE = re.compile(r"\s+(?:from|in|by|of)\s+(?:the\s+)?((?:[A-Z][\w.&’'-]*\s+){0,5}[A-Z][\w.&’'-]*[\w])")
_DOC_OWNER = re.compile(r"\b((?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*)['’]s\s+(?:[a-z][\w-]*\s+)?$")


def _named_doc(m: re.Match) -> str | None:
    words = m.group(1).split()
    while words and _bare(words[0]) in lexicon()["starters"] | _DETERMINERS:
        words = words[1:]
    return " ".join(words + [m.group(2)]) if words else None


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
