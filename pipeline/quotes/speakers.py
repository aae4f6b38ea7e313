"""Speaker noun phrases next to a cue (np_before, np_after), their kind, name and role, and the lexicon they use."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.lexicon import read_sections

# Patterns used inside the hot loops, compiled once (a re.match(str, ...) call costs a cache lookup each time).
# Leading determiners stripped from a noun phrase to leave its name or role
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_LEADING_DETERMINER = re.compile(r"^(?:the|a|an|one|another)\s+", re.I)
_ROLE_OPENER = re.compile(r"^(?:a|an|the|who is|who was)\s+")    # 'X, who is the chief of ...' -> 'the chief of ...'
# 'The director of ..., Yang Hui,': the role is what follows the first article of the outer phrase
_UP_TO_FIRST_ARTICLE = re.compile(r"^.*?\b(?:the|a|an)\s+", re.I)
# the head noun of 'The company that runs the AMAs': up to two words after the article, then a lowercase word
_ARTICLE_NP_HEAD = re.compile(r"\s*(?:[Tt]he|[Aa]n?)\s+(?:[\w-]+\s+){0,2}?([a-z][\w-]*)\b")
_ALL_CAPS = re.compile(r"[A-Z]{2,}")       # an acronym token ('CEO', 'FBI'): part of the role, not of the name

DATA = Path(__file__).resolve().parents[1] / "data"

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
_THE_NAME = re.compile(r"the\s+(?:[A-Z][\w&’'.-]*\s+){0,4}[A-Z][\w&’'.-]*$")
_QUANTIFIERS = frozenset(_WORD_LISTS["quantifiers"])
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


_DOC_FROM = re.compile(r"\s+(?:from|in)\s+(?:the\s+)?((?:[A-Z][\w.&’'-]*\s+){0,5}[A-Z][\w.&’'-]*[\w])")


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
