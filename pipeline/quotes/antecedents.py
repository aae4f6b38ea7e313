"""Registry: an article's people and things in order of mention; short forms and pronouns resolved against them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from pipeline.quotes.speakers import _DETERMINERS, Entity, _bare, fold, lexicon

_LEADING_CAPITAL_ARTICLE = re.compile(r"^(?:The|A|An)\s+")      # (case-sensitive: a defined name's own 'The')
_LEADING_DETERMINER_OR_THIS = re.compile(r"^(?:the|a|an|one|another|this)\s+", re.I)    # a document's name
# Around a name: the word before it ('told Benioff'), and what follows it (a possessive, ',', '(' or a word)
_WORD_BEFORE_NAME = re.compile(r"([A-Za-z’'.-]+)\s+(?:[A-Z][\w’'.-]*\s+)*$")
_NEXT_AFTER_NAME = re.compile(r"['’]s\b|\s*(?:,|\(|[a-z]+)")
# How far back (characters) a pronoun looks for its antecedent: every pronoun of the seeds and the
# zyte gold points less than 1,500 characters back; 3,000 leaves room and keeps the scan bounded.
_PRONOUN_WINDOW = 3000
# A plural noun subject opening a sentence: 'Analysts expect', 'Industry analysts say', 'Many experts think'.
_PLURAL_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=\n))(?:[A-Z][\w-]*\s+)?(?:[a-z][\w-]*\s+)?([A-Za-z][a-z-]+s)\s+"
                             r"(?!of\b|in\b|at\b|for\b|from\b)[a-z]+")
# How far back 'they' looks for such a sentence: about two sentences (the held-out 2 case is ~110 characters).
_PLURAL_WINDOW = 300
_CLAUSE_WORD = re.compile(r"[\w’'-]+")
_PREV_TOKEN = re.compile(r"(\S+)(\s*)$")
_NAME_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}

# The name before a defined short form: 'the Securities and Exchange Commission (SEC)'.
_DEFINED = re.compile(r"((?:[A-Z][\w&.’'-]*\s+(?:(?:of|and|for|on|the|&)\s+)*){0,6}[A-Z][\w&.’'-]*)\s+$")
_DOC_HEADS = "report|study|survey|memo|cable|letter|statement|review|paper|document|analysis"
_DOC_NAMED = re.compile(r"((?:[A-Z][\w.&’'-]*(?:\s+(?:and|of|for|on)\s+|\s+)){1,8}?)(" + _DOC_HEADS + r")\b")

# A document named by its owner: "The Wrap's report", "Kotak's latest note" (the owner is the speaker).
_DOC_OWNED = re.compile(r"(?:[Tt]he\s+)?((?:[A-Z][\w.&-]*\s+){0,3}[A-Z][\w.&-]*)['’]s\s+(?:[a-z][\w-]*\s+){0,2}"
                        r"(?:report|reports|study|survey|poll|memo|note|analysis|statement|filing|review|article|"
                        r"story)$")


def _named_doc(m: re.Match) -> str | None:
    words = m.group(1).split()
    while words and _bare(words[0]) in lexicon()["starters"] | _DETERMINERS:
        words = words[1:]
    return " ".join(words + [m.group(2)]) if words else None


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
