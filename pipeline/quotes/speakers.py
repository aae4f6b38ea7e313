"""Speaker noun phrases next to a cue, their kind and role, and resolution of short forms and pronouns."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.lexicon import read_sections

DATA = Path(__file__).resolve().parents[1] / "data"
# How far back (characters) a pronoun looks for its antecedent: every pronoun of the seeds and the
# zyte gold points less than 1,500 characters back; 3,000 leaves room and keeps the scan bounded.
_PRONOUN_WINDOW = 3000

_WORD_RE = re.compile(r"[^\W_](?:[\w.'’&-]*[^\W_])?\.?|[,;:()–—]")
_DETERMINERS = {"the", "a", "an", "one", "another", "this", "that", "these", "those", "its", "his", "her",
                "their", "our", "some", "several", "many", "two", "three", "four", "other", "senior", "both"}
_SKIP_BACK = {"also", "has", "have", "had", "was", "were", "is", "are", "will", "would", "could", "then",
              "reportedly", "later", "previously", "again", "once", "further", "earlier", "recently", "often",
              "publicly", "privately", "simply", "repeatedly", "once", "even", "still", "just", "already",
              "never", "always", "quickly", "flatly", "first", "last", "did", "does", "do", "since", "had"}
_STOP = {"the", "a", "an", "and", "but", "or", "in", "on", "at", "to", "by", "with", "as", "that", "while", "when",
         "after", "before", "for", "from", "of", "if", "because", "so", "than", "said", "says", "told", "into",
         "which", "who", "whose", "where", "about", "over", "under", "this", "it", "was", "is", "has", "have"}
_CALENDAR = frozenset(read_sections(DATA / "quote_function_words.txt")["calendar"])
_NAME_PARTICLES = {"de", "van", "von", "bin", "al", "der", "la", "le", "du", "da", "di", "del", "dos", "ibn", "ter"}
_CUT_REL = re.compile(r"\b(?:who|whose|which|familiar with|close to|with knowledge of|briefed on|speaking on)\b", re.I)
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
    }


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


def speaker_id(name: str | None) -> str | None:
    return hashlib.sha256(fold(name).encode()).hexdigest()[:16] if name else None


def _words(text: str, base: int) -> list[tuple[str, int, int]]:
    return [(m.group(), base + m.start(), base + m.end()) for m in _WORD_RE.finditer(text)]


def _is_cap(w: str) -> bool:
    return w[:1].isupper() or (w[:1].isdigit() and False)


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
        while len(tokens) > 1 and (tokens[0].endswith(("'s", "’s")) or "-" in tokens[0] and tokens[0].split("-")[-1].islower()):
            tokens = tokens[1:]             # "Britain's Guardian", "British-based Financial Times"
        return " ".join(tokens), None, "organisation", None
    cut, gender = 0, None
    for k, t in enumerate(low):
        if t in lx["honorifics"] or t in lx["orgwords"] or t in lx["roles"] or re.fullmatch(r"[A-Z]{2,}", tokens[k]) \
                or t.endswith("'s") or t.endswith("’s"):
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
    rel = None
    for m in _CUT_REL.finditer(text):
        rel = m
    if rel is not None and "," not in text[rel.start():]:
        found = np_before(body, lo, lo + rel.start())
        if found:
            return found
    words = _words(text, lo)
    k = len(words) - 1
    while k >= 0 and (_bare(words[k][0]) in _SKIP_BACK or (words[k][0].endswith("ly") and words[k][0].islower())):
        k -= 1
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
            if named is not None and named.kind == "person" and named.pos == words[j + 1][1]:
                outer = body[lo:words[j][1]]
                named.role = named.role or re.sub(r"^.*?\b(?:the|a|an)\s+", "", outer[-120:], flags=re.I).strip() or None
                return named
        if role:
            role = re.sub(r"^(?:a|an|the|who is|who was)\s+", "", role)
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
        toks = [x[0].rstrip(".") if x[0].endswith(".") and len(x[0]) > 2 and x[0][-2].islower() else x[0]
                for x in words[j:k + 1]]
        # "the US embassy in Beijing": a nominal head before in/of/at + a name
        if j - 2 >= 0 and _bare(words[j - 1][0]) in ("in", "of", "at", "for", "to") and _nominal([words[j - 2][0]]) \
                and (j == k or _split_name(toks)[2] != "person"):
            inner = np_before(body, lo, words[j - 1][1])
            if inner and inner.kind in ("organisation", "document", "unnamed"):
                inner.text = body[inner.pos:words[k][2]]
                inner.name = re.sub(r"^(?:the|a|an)\s+", "", inner.text, flags=re.I)
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
            break
        if prev in _STOP:
            break
        j -= 1
    toks = [x[0] for x in words[j:k + 1]]
    kind = _nominal(toks[-1:]) or None
    if kind is None:
        return None
    if j >= 2 and _bare(words[j - 1][0]) == "and" and _bare(words[j][0]) in ("his", "her", "their") and _is_cap(words[j - 2][0]):
        return np_before(body, lo, words[j - 1][1])      # "Paganini and his team wrote"
    start = words[j][1]
    text = body[start:words[k][2]]
    return Mention(text, kind, name=re.sub(r"^(?:the|a|an|one|another)\s+", "", text, flags=re.I), role=role, pos=start)


_APPOSED = re.compile(r"((?:[A-Z][\w'’.-]*\s+){0,3}[A-Z][\w'’-]*[\w]\.?),\s+(?:a|an|the|who|whose|\d+)\b")


def _apposed(body: str, lo: int, hi: int) -> Mention | None:
    """'Lucas Paganini, a planetary scientist at ..., and ..., said': the name an appositive follows."""
    last = None
    for m in _APPOSED.finditer(body, lo, hi):
        last = m
    if last is None:
        return None
    name, role, kind, gender = _split_name(last.group(1).split())
    if kind != "person" or not name:
        return None
    start = last.start(1) + last.group(1).rfind(name.split()[0])
    return Mention(body[start:last.end(1)], "person", name=name, role=role, gender=gender, pos=start)


def np_after(body: str, lo: int, hi: int) -> Mention | None:
    """The noun phrase that starts at lo (after an inverted cue or 'according to')."""
    words = _words(body[lo:hi], lo)
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
    mention = Mention(text, kind, name=re.sub(r"^(?:the|a|an|one|another)\s+", "", text, flags=re.I), pos=words[0][1])
    # "a senior Communist Party official, Qiu Yuanping," names the nominal
    if end < len(words) and words[end][0] == "," and end + 1 < len(words) and _is_cap(words[end + 1][0]):
        named = np_after(body, words[end + 1][1], hi)
        if named and named.kind == "person":
            named.role = mention.name
            return named
    return mention


_NAME_RUN = re.compile(r"(?<!\S)([A-Z][\w'’.-]*[\w](?:\s+(?:(?:de|van|von|bin|al|der|la|le|da|di|del)\s+)?"
                       r"[A-Z][\w'’.-]*[\w]){0,5})")
_POSSESSIVE = re.compile(r"['’]s$")
_SENT_START = re.compile(r"(?:^|[.!?\n]\s*)$")
_PARTICIPLE = re.compile(r"(?:ing|ed|ly)$")
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

    def canonical_person(self, name: str, pos: int) -> str:
        """The fullest name in the article that contains this short form ('Tkacik' -> 'John Tkacik')."""
        toks = fold(name).split()
        if not toks:
            return name
        best = None
        for p, full in self.by_token.get(toks[-1], []) + self.by_token.get(toks[0], []):
            ft = fold(full).split()
            if len(ft) <= len(toks):
                continue
            if ft[-len(toks):] == toks or ft[:len(toks)] == toks:
                if best is None or (p <= pos and (best[0] > pos or p > best[0] or len(ft) > len(fold(best[1]).split()))):
                    best = (p, full)
        if best is None and len(toks) == 1:
            # a surname of a person a speaker mention named in full ('Dr. Silvia S. Martins' ... 'Martins said')
            for e in reversed(list(self.known.values())):
                if e.kind == "person" and " " in e.canonical and fold(e.canonical).split()[-1] == toks[0]:
                    return e.canonical
        return best[1] if best else name

    def remember(self, e: Entity) -> None:
        old = self.known.get(e.canonical)
        if old is not None:
            e.gender = e.gender or old.gender
            e.role = e.role or old.role
        self.known[e.canonical] = e

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
        return best or re.sub(r"^(?:the|a|an|one|another|this)\s+", "", text, flags=re.I)

    def _latest_mention(self, people: list[Entity], pos: int, gender: str | None) -> Entity | None:
        """The person whose name (or surname) occurs last before pos, within the last ~1,500 characters."""
        best, best_pos = None, -1
        window = self.body[max(0, pos - 1500):pos]
        seen = set()
        for e in reversed(people):
            if e.canonical in seen:
                continue
            seen.add(e.canonical)
            surname = e.canonical.split()[-1]
            for m in re.finditer(r"\b" + re.escape(surname) + r"\b", window):
                p = max(0, pos - 1500) + m.start()
                if p > best_pos and self._subject_like(m.end() + max(0, pos - 1500)) \
                        and not self._object_like(max(0, pos - 1500) + m.start()):
                    best, best_pos = e, p
        return best

    def _object_like(self, start: int) -> bool:
        """'told Benioff', 'with Cook': a name right after a lowercase verb or preposition."""
        before = re.search(r"([A-Za-z’'.-]+)\s+(?:[A-Z][\w’'.-]*\s+)*$", self.body[max(0, start - 60):start])
        if before is None:
            return False
        word = before.group(1)
        if word[-1] in ".!?:;,":
            return False                    # a sentence or clause ends before the name
        lx = lexicon()
        return word.islower() and _bare(word) not in lx["roles"] and _bare(word) not in _DETERMINERS

    def _subject_like(self, end: int) -> bool:
        """A name followed by a verb-like word or an appositive comma, not 'of', 'and', ''s'."""
        nxt = re.match(r"['’]s\b|\s*(?:,|\(|[a-z]+)", self.body[end:end + 20])
        if nxt is None or nxt.group().startswith(("'", "’")):
            return False
        word = nxt.group().strip()
        return word not in ("of", "and", "in", "at", "for", "to", "on", "by", "with", "from", "or")

    def _at_clause_start(self, pos: int) -> bool:
        """True when only titles and role words stand between a sentence start and this mention."""
        before = self.body[max(0, pos - 100):pos]
        cut = max(before.rfind(". "), before.rfind("\n"), before.rfind("? "), before.rfind("! "))
        if cut == -1 and pos > 100:
            return False
        words = re.findall(r"[\w’'-]+", before[cut + 1:])
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
            people = [e for e in candidates if e.kind == "person" and (gender is None or e.gender in (None, gender))]
            subjects = [e for e in people if e.spoke or self._at_clause_start(e.pos)]
            # the one named last as a subject, whether or not their gender is known: 'He says' after
            # 'Police Chief Ed Alvarez told' is Alvarez, not the earlier 'Steve Castro' whose gender is known
            recent = self._latest_mention(subjects or people, pos, gender)
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
            return group[-1] if group else None
        return None


_DOC_NAMED = re.compile(r"((?:[A-Z][\w.&’'-]*(?:\s+(?:and|of|for|on)\s+|\s+)){1,8}?)(report|study|survey|memo|cable|"
                        r"letter|statement|review|paper|document|analysis)\b")
_DOC_ANY = re.compile(r"\b(?:the|a|an|one|another|this)\s+(?:[\w-]+\s+){0,2}?(report|cable|memo|statement|study|survey|"
                      r"letter|document|documents|cables|memos|filing|complaint|lawsuit)\b", re.I)


_DOC_NOUN = re.compile(r"\b(?:report|study|survey|memo|cable|letter|statement|review|paper|document|analysis|"
                       r"documents|cables|memos|filing|complaint|lawsuit)\b", re.I)


_DOC_SOURCE = re.compile(r"\s+(?:from|in|by|of)\s+(?:the\s+)?((?:[A-Z][\w.&’'-]*\s+){0,5}[A-Z][\w.&’'-]*[\w])")
_DOC_OWNER = re.compile(r"\b((?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*)['’]s\s+(?:[a-z][\w-]*\s+)?$")


def _named_doc(m: re.Match) -> str | None:
    words = m.group(1).split()
    while words and _bare(words[0]) in lexicon()["starters"] | _DETERMINERS:
        words = words[1:]
    return " ".join(words + [m.group(2)]) if words else None


_ROLE_BEFORE = re.compile(r"((?:[\w.-]+\s+){1,3})$")
_APPOS_BEFORE = re.compile(r"(?:\b[Tt]he|\b[\w.-]+['’]s)\s+((?:[a-z][\w’'-]*\s+){0,4}[a-z][\w’'-]*),\s+$")
_APPOS_AFTER = re.compile(r",\s+(?:(?:the|a|an|[\w.-]+['’]s)\s+)((?:[\w’'.-]+\s+){0,5}?[\w’'.-]+)\s*(?=[,.;)—–]|\s+(?:who|said|says|told|and)\b)")
_VERBISH = re.compile(r"\b(?:is|was|are|were|had|has|have|will|would|could|did|does|said|says|told)\b")
_ROLE_CUT = re.compile(r"\s+(?:of|for|at|in|on|to|with|from|who|whose|which|and)\s.*$")


def _note_roles(reg: Registry, body: str, start: int, end: int, name: str, role: str | None) -> None:
    """The roles a person's name comes with: 'Gov. Eric Holcomb', 'actor James Van Der Beek',
    'The suspect, Michael Webb,', 'Eric Holcomb, the governor,'. Stored for 'the governor said'."""
    lx = lexicon()
    words: set[str] = set(role_words(role))
    pre = _ROLE_BEFORE.search(body, max(0, start - 40), start)
    if pre:
        for w in pre.group(1).split():
            b = _bare(w)
            if b in lx["roles"] or lx["nouns"].get(b) == "unnamed" or b in lx["role_abbrev"]:
                words |= role_words(b)
    for found in (_APPOS_BEFORE.search(body, max(0, start - 60), start), _APPOS_AFTER.match(body, end)):
        if found and not _VERBISH.search(found.group(1)):
            words |= role_words(_ROLE_CUT.sub("", found.group(1)))
    if words:
        reg.roles.append((start, name, frozenset(words)))


def build_registry(body: str) -> Registry:
    """One pass over the body: multi-word names, titled people and named documents."""
    reg = Registry(body)
    lx = lexicon()
    for m in _NAME_RUN.finditer(body):
        toks = m.group(1).split()
        before = body[max(0, m.start(1) - 6):m.start(1)]
        if len(toks) > 1 and _SENT_START.search(body, max(0, m.start(1) - 3), m.start(1)) \
                and _PARTICIPLE.search(toks[0]):
            toks = toks[1:]                 # "Hosting Cook at Dreamforce": a sentence-initial participle
        elif len(toks) > 2 and _PREP_BEFORE.search(before):
            toks = toks[1:]                 # "ambassador to Britain Liu Xiaming"
        if toks and _POSSESSIVE.search(toks[-1]):
            toks[-1] = _POSSESSIVE.sub("", toks[-1])    # "President Trump’s advisers": Trump holds the role
        name, role, kind, gender = _split_name(toks)
        if kind == "person" and name and (len(name.split()) >= 2 or role):
            _note_roles(reg, body, m.start(1) + m.group(1).rfind(name.split()[0]), m.end(1), name, role)
        if kind == "organisation" and name and len(name.split()) >= 2:
            reg.orgs.append((m.start(1), name))
        if kind == "person" and name and len(name.split()) >= 2:
            reg.full_names.append((m.start(1) + m.group(1).rfind(name.split()[0]), name))
            if role or gender:
                reg.entities.append(Entity(name, "person", m.start(1), gender, role))
            elif _bare(name.split()[0]) in lx["first_names"]:
                reg.entities.append(Entity(name, "person", m.start(1), gender, role))
        elif kind == "person" and name and role and any(_bare(t) in lx["honorifics"] for t in role.split()):
            reg.entities.append(Entity(name, "person", m.start(1), gender, role))
    # document phrases are found from their head noun backwards: a scan per noun, not per character
    for noun in _DOC_NOUN.finditer(body):
        lo = max(0, noun.start() - 120)
        m = _DOC_NAMED.search(body, lo, noun.end())
        if m and m.end() == noun.end() and _named_doc(m):
            reg.documents.append((m.start(), _named_doc(m)))
        src = _DOC_SOURCE.match(body, noun.end()) or _DOC_OWNER.search(body, max(0, noun.start() - 60), noun.start())
        if src and _split_name(src.group(1).split())[3] is None:
            reg.doc_sources.append((noun.start(), noun.group().casefold(), src.group(1)))
        m = _DOC_ANY.search(body, max(0, noun.start() - 40), noun.end())
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
