"""Quotes stage: Article -> list[Quote], direct, partial and indirect, each with its speaker."""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left, insort
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.lexicon import read_sections
from pipeline.model import Article, Quote
from pipeline.quotes.attribution import (Cue, _lexicon_lines, cue_rules, cues_in, is_scare, parenthetical_subject,
                                         sentences, speaker_for)
from pipeline.quotes.marks import Span, find_spans, paragraph_of, paragraph_starts
from pipeline.quotes.reported import reports
from pipeline.quotes.speakers import (DATA, Entity, Mention, Registry, build_registry, fold, lexicon, np_after,
                                      role_words, speaker_id)

# Patterns used inside the hot loops, compiled once (a re.match(str, ...) call costs a cache lookup each time).
# Speaker names and noun phrases
# an unnamed group opening with a definite determiner keeps its speaker ('the authors'), a bare 'they' does not
_DEFINITE_OPENER = re.compile(r"(?:the|these|those)\s", re.I)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)       # stripped from an organisation's name
# Words
_WORD_TOKEN = re.compile(r"[\w’'-]+")              # a word with its apostrophes and hyphens ('vice-chair’s')
_LETTER_WORD = re.compile(r"[A-Za-z][\w'’]*")      # the words _title_case checks (numbers and symbols are not words)
_LONG_WORD = re.compile(r"[A-Za-z]{4,}")           # a title in quote marks capitalises every word of 4+ letters
# the lowercase word right after a closing quote mark: 'a "skinny" trade deal' -> trade (a quoted modifier)
_NEXT_LOWERCASE_WORD = re.compile(r"\s+([a-z][\w-]*)")

__all__ = ["extract_quotes", "lexicon_files"]

# A cue after a quote belongs to it when the speaker phrase before the cue is short:
# ', foreign ministry spokesman Hong Lei said' has 5 words; 8 kept every seed attribution.
_AFTER_WORDS = 8
# A cueless partial quote right after reported speech keeps its speaker when it is this long;
# scare quotes run 1-3 words ("rogue states", "pivot to Asia") on the seeds and zyte gold.
_MIN_CARRIED_PARTIAL = 5
# How far back (characters) 'the company' looks for the organisation it names: the farthest such
# reference on the zyte gold and held-out pages is under 2,000 characters back.
_ORG_WINDOW = 3000
# How far back 'the governor' looks for the person given that role: the farthest on the zyte gold is
# ~1,500 characters back (Holcomb, 7de52419); 6,000 covers a long article and stays a bisected range.
_ROLE_WINDOW = 6000
# 'A California transit chief says' is named within the next sentence or two: ~130 characters on the
# held-out page that has one; 400 is about two sentences.
_CATAPHOR_WINDOW = 400
# ... and speaks within this many characters of the name ('Interim BART Police Chief Ed Alvarez told': 20).
_CATAPHOR_CUE = 80
# 'said the actor' falls back on the person who spoke within the last ~2 paragraphs (Van Der Beek spoke
# ~300 characters before on 7dfc3e35).
_PROTAGONIST_WINDOW = 1000
# 'The company'/'the automaker' with no name holding the noun looks back this far (characters) for an
# organisation that spoke or opened a sentence: ~1-2 sentences; Kotak spoke ~130 characters before 'the
# brokerage said' (held-out 1), 'Volkswagen is giving ...' opened the sentence ~170 before (held-out 2).
_RECENT_ORG = 400
# A capitalised name opening a sentence, then a verb: 'Volkswagen is giving', 'VW has used'.
_ORG_SUBJECT = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][”\"’]\s)|(?<=\n))"
                          r"((?:[A-Z][\w&’'.-]*\s+){0,3}[A-Z][\w&’'-]*\.?)\s+"
                          r"(?:is|was|has|had|says|said|will|would|plans|wants|announced|reported|also)\b")
_WORD_LISTS = read_sections(DATA / "quote_function_words.txt")
_ORG_SUBJECT_STOP = frozenset(_WORD_LISTS["org_subject_stop"])
# Capitalised adjectives allowed in 'the German automaker' (a nominal, not a name).
_DEMONYMS = frozenset(_WORD_LISTS["demonyms"])
_SENT_OPEN = re.compile(r"(?:^|[.!?:\n][\"'”’]?\s*)$")
_LEAD_RE = re.compile(r"^(?:(?:but|and|still|however|meanwhile|yet|so|also|now|then)\b[,\s]*)+", re.I)


def lexicon_files() -> list[Path]:
    """The data files this stage reads (their hashes go into version provenance)."""
    return sorted(DATA.glob("quote_*.txt"))


@dataclass
class _Found:
    start: int
    end: int
    qtype: str
    mention: Mention | None
    cue: str | None
    confidence: float
    paragraph: int
    speaker: str | None = None
    kind: str = "unknown"
    role: str | None = None


_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


class _Resolver:
    def __init__(self, body: str, para_starts: list[int], spans: list[Span] = ()):
        self.reg: Registry = build_registry(body)
        # a name inside a quotation is no antecedent: '"..., Trump makes the prospects ...," he said'
        self.reg.quoted = [(s.open_start, s.close_end) for s in spans]
        self.para_starts = para_starts

    def resolve(self, found: _Found) -> None:
        m = found.mention
        if m is None:
            return
        found.role = m.role
        if m.kind == "pronoun":
            para_start = self.para_starts[found.paragraph]
            ent = self.reg.pronoun(m.text, m.pos if m.pos else found.start, para_start)
            if ent is None:
                found.kind = "unknown"
                return
            found.speaker, found.kind, found.role = ent.canonical, ent.kind, found.role or ent.role
            if ent.kind == "unnamed" and not _DEFINITE_OPENER.match(ent.canonical):
                found.speaker = None        # 'Analysts expect ... They say': no one named ('the authors' stays)
            if ent.kind == "document":
                found.speaker = self.reg.canonical_document(ent.canonical, ent.pos)
            gender = ent.gender or ({"he": "m", "she": "f"}.get(m.text.casefold()) if ent.kind == "person" else None)
            self._add(Entity(ent.canonical, ent.kind, m.pos or found.start, gender, ent.role, True))
            return
        if m.kind == "person" and not m.gender and _org_role(m.role):
            # 'The group that owns most of her music, Big Machine, says': an organisation, not a person
            m.kind = "organisation"
        if m.kind == "person":
            name = self.reg.canonical_person(m.name or m.text, m.pos)
            full = self.reg.expand_short(name) if not m.role and not m.gender else name
            if full != name:
                found.speaker, found.kind = full, "organisation"     # 'Goldman said' -> Goldman Sachs
                self._add(Entity(full, "organisation", m.pos, None, None, True))
                return
            if " " not in name and not m.role and not m.gender and self.reg.canonical_org(name, m.pos) != name:
                found.speaker, found.kind = self.reg.canonical_org(name, m.pos), "organisation"
                self._add(Entity(found.speaker, "organisation", m.pos, None, None, True))
                return
            if " " not in name and not m.role and not m.gender:
                known = self.reg.known.get(name)
                if known is None or known.kind != "person":
                    found.speaker, found.kind = name, "organisation"
                    self._add(Entity(name, "organisation", m.pos, None, None, True))
                    return
            known = self.reg.known.get(name)
            gender = m.gender or (known.gender if known else None)
            role = m.role or (known.role if known else None)
            found.speaker, found.kind, found.role = name, "person", role
            self._add(Entity(name, "person", m.pos, gender, role, True))
        elif m.kind == "document":
            found.speaker = self.reg.canonical_document(m.name or m.text, m.pos + len(m.text))
            found.kind = "document"
            self._add(Entity(m.name or m.text, "document", m.pos, None, None, True))
        elif m.kind == "organisation":
            name = self.reg.canonical_org(_LEADING_ARTICLE.sub("", m.name or m.text), m.pos)
            name = self.reg.expand_short(name)
            named = self._named_org(m)
            if named is not None:
                name = named
            found.speaker, found.kind = name, "organisation"
            self._add(Entity(name, "organisation", m.pos, None, None, True))
        else:
            named = self._by_role(m, found.start)
            if named is not None:
                found.speaker, found.kind, found.role = named.canonical, "person", named.role
                self._add(Entity(named.canonical, "person", m.pos, named.gender, named.role, True))
                return
            found.speaker, found.kind = None, "unnamed"
            found.role = found.role or m.name
            self._add(Entity(m.text, "unnamed", m.pos, None, None, True))

    def _named_org(self, m: Mention) -> str | None:
        """'the ministry', 'the news agency', 'the company' -> the organisation the article named before.

        The latest earlier organisation (a speaker first, then any named one) whose name holds the head
        noun: 'the news agency' -> 'Xinhua News Agency'. A generic head with no such name ('the company')
        stays as written: the latest speaking organisation was wrong as often as right on the gold. It is
        resolved only when an organisation spoke or opened a sentence in the last sentence or two ('Big Machine,
        says ... But the company says'; 'Volkswagen is giving us a glimpse ... The German automaker, which ...,
        says')."""
        words = (m.text or "").split()
        if len(words) < 2 or words[0].casefold() not in ("the", "this") or not words[-1].islower() \
                or not all(w.islower() or w in _DEMONYMS for w in words[1:]):
            return None
        head = fold(words[-1])
        lo = bisect_left(self.reg.entities, m.pos - _ORG_WINDOW, key=lambda e: e.pos)
        hi = bisect_left(self.reg.entities, m.pos, key=lambda e: e.pos)
        spoken = [e for e in self.reg.entities[lo:hi] if e.kind == "organisation" and e.spoke
                  and e.canonical[:1].isupper()]
        for e in reversed(spoken):
            if head in fold(e.canonical).split():
                return e.canonical
        for p, name in reversed(self.reg.orgs):
            if m.pos - _ORG_WINDOW <= p < m.pos and head in fold(name).split():
                return name
        return self._recent_org(m.pos, spoken) if head in _company_nouns() else None

    def _recent_org(self, pos: int, spoken: list[Entity]) -> str | None:
        """The organisation that spoke or opened a sentence last, within _RECENT_ORG characters before pos."""
        best, best_pos = None, -1
        for e in reversed(spoken):
            if e.pos >= pos - _RECENT_ORG:
                best, best_pos = e.canonical, e.pos
                break
        body = self.reg.body
        for sm in _ORG_SUBJECT.finditer(body, max(0, pos - _RECENT_ORG), pos):
            name = sm.group(1)
            if sm.start(1) <= best_pos or name.casefold() in _ORG_SUBJECT_STOP:
                continue
            full = self.reg.expand_short(self.reg.canonical_org(name, sm.start(1)))
            person = self.reg.known.get(self.reg.canonical_person(name, sm.start(1)))
            if (person is not None and person.kind == "person") or _bare_first(name) in lexicon()["first_names"]:
                continue
            if " " in self.reg.canonical_person(name, sm.start(1)) and " " not in name:
                continue                    # 'Swift' of 'Taylor Swift': a person's surname
            best, best_pos = full, sm.start(1)
        return best

    def _by_role(self, m: Mention, pos: int) -> Entity | None:
        """'the governor' -> the person the article gave that role ('Gov. Eric Holcomb', 'Eric Holcomb, the
        governor'), the one of them named last when there are several; 'A transit chief says' opening a
        paragraph -> the person named with that role right after it ('Police Chief Ed Alvarez told')."""
        words = _WORD_TOKEN.findall(m.text or "")
        if len(words) < 2:
            return None
        det, head = words[0].casefold(), fold(words[-1])
        lx = lexicon()
        if not (head in lx["roles"] or lx["nouns"].get(head) == "unnamed") or lx["nouns"].get(head[:-1]):
            return None                    # not a person's role, or a plural ('officials')
        if head in lx["anonymous"]:
            return None                    # 'the source said': a source the article does not name
        roles = self.reg.roles
        if det in ("the", "this"):
            lo = bisect_left(roles, m.pos - _ROLE_WINDOW, key=lambda r: r[0])
            hi = bisect_left(roles, m.pos, key=lambda r: r[0])
            names = {self.reg.canonical_person(name, p) for p, name, ws in roles[lo:hi] if head in ws}
            named = self._latest_named(names, m.pos)
            if named is None and not names:
                named = self._protagonist(head, m.pos)
        elif det in ("a", "an") and _SENT_OPEN.search(self.reg.body, max(0, m.pos - 3), m.pos):
            lo = bisect_left(roles, m.pos + 1, key=lambda r: r[0])
            hi = bisect_left(roles, m.pos + _CATAPHOR_WINDOW, key=lambda r: r[0])
            # only a person who speaks there ('Police Chief Ed Alvarez told reporters'), not any namesake
            named = next((self.reg.canonical_person(name, p) for p, name, ws in roles[lo:hi]
                          if head in ws and cues_in(self.reg.body, p, p + _CATAPHOR_CUE)), None)
        else:
            return None
        if named is None:
            return None
        known = self.reg.known.get(named)
        if known is not None and known.kind == "person":
            return known
        return Entity(named, "person", m.pos)

    def _latest_named(self, names: set[str], pos: int) -> str | None:
        """Of these people, the one whose surname occurs last before pos."""
        best, best_pos = None, -1
        for name in names:
            at = self.reg.body.rfind(name.split()[-1], max(0, pos - _ROLE_WINDOW), pos)
            if at > best_pos:
                best, best_pos = name, at
        return best

    def _protagonist(self, head: str, pos: int) -> str | None:
        """'said the actor' with no one given that role: the person who spoke last, within a paragraph or two,
        unless the article brought in someone new with that noun ('a doctor on the scene ... the doctor said')."""
        if head not in lexicon()["roles"] or re.search(r"\b(?:a|an|one|another)\s+(?:[\w’'-]+\s+){0,3}" + re.escape(head) + r"\b",
                     self.reg.body[max(0, pos - _ROLE_WINDOW):pos], re.I):
            return None
        lo = bisect_left(self.reg.entities, pos - _PROTAGONIST_WINDOW, key=lambda e: e.pos)
        hi = bisect_left(self.reg.entities, pos, key=lambda e: e.pos)
        spoke = [e for e in self.reg.entities[lo:hi] if e.kind == "person" and e.spoke and " " in e.canonical]
        return spoke[-1].canonical if spoke else None

    def _add(self, ent: Entity) -> None:
        insort(self.reg.entities, ent, key=lambda e: e.pos)
        self.reg.remember(ent)
        if ent.kind == "person" and ent.role:
            insort(self.reg.roles, (ent.pos, ent.canonical, role_words(ent.role)), key=lambda r: r[0])


_ROLE_HEAD_CUT = re.compile(r"\s+(?:that|who|which|whose|of|for|at|in|on|with|from|behind|owned|based)\b.*$", re.S)


@lru_cache(maxsize=1)
def _company_nouns() -> frozenset[str]:
    return frozenset(_lexicon_lines("quote_company_nouns.txt"))


def _bare_first(name: str) -> str:
    return fold(name.split()[0]) if name.split() else ""


def _org_role(role: str | None) -> bool:
    """A role whose head noun is an organisation's: 'group that owns most of her music', 'company that runs'."""
    if not role:
        return False
    head = _ROLE_HEAD_CUT.sub("", role).split()
    return bool(head) and lexicon()["nouns"].get(fold(head[-1])) == "organisation"


def _subject(body: str, lo: int, hi: int) -> Mention | None:
    """The subject at the start of a sentence (after 'But', a leading phrase and its comma)."""
    text = body[lo:hi]
    lead = _LEAD_RE.match(text)
    start = lo + (lead.end() if lead else 0)
    m = np_after(body, start, hi)
    if m is None:
        comma = body.find(",", start, hi)
        if comma != -1 and comma - start < 80:
            m = np_after(body, comma + 1 + (body[comma + 1:comma + 2] == " "), hi)
    return m


def _pick_cue(body: str, sent: tuple[int, int], spans: list[Span], k: int) -> tuple[Cue | None, Mention | None, str]:
    """The cue and speaker of quote k of a sentence whose quotes are spans; where the cue was found."""
    a, b = sent
    q = spans[k]
    right_hi = spans[k + 1].open_start if k + 1 < len(spans) else b
    tail = body[q.close_end:right_hi].lstrip()
    # a cue after the quote attributes it only after a comma or the quote's own end punctuation
    if body[q.end - 1:q.end] in ",.!?…-—" or tail[:1] in (",", "—", "–", "-"):
        first = None
        for cue in cues_in(body, q.close_end, right_hi):
            if _words(body[q.close_end:cue.start]) > _AFTER_WORDS \
                    and not parenthetical_subject(body, q.close_end, cue.start):
                break                       # ('?" He Jianxiong, the former director of ..., said': one subject)
            mention = speaker_for(body, cue, q.close_end, right_hi, True)
            if mention is not None and cue.text.casefold() == "according to":
                first = first or cue        # the document that reports it; a speaker before wins
                according = mention
                break
            if mention is not None:
                return cue, mention, "after"
            first = first or cue
    else:
        first = None
    according = locals().get("according")
    left_lo = spans[k - 1].close_end if k > 0 else a
    left = cues_in(body, left_lo, q.open_start)
    if left:
        cue = left[-1]
        mention = speaker_for(body, cue, left_lo, q.open_start, k > 0)
        if mention is not None or first is None:
            return cue, mention, "before"
    if first is not None:
        return first, according, "after"
    return None, None, ""


_FUNCTION_WORDS = {"and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "with", "by", "as", "that", "which",
                   "who", "after", "before", "when", "while", "if", "because", "since", "than", "the", "a", "an",
                   "this", "these", "those", "its", "his", "her", "their", "our", "is", "was", "are", "were", "has",
                   "had", "have", "will", "would", "could", "should", "can", "may", "might", "he", "she", "it",
                   "they", "we", "i", "you", "so", "yet", "into", "about", "over", "until", "during", "without",
                   "concerning", "regarding", "including", "against", "toward", "towards", "amid", "despite",
                   "between", "among", "through", "across", "under", "within", "per", "via", "like", "unlike",
                   "beyond", "around", "behind", "then", "now", "not", "instead", "too", "again"}


def _title_case(text: str) -> bool:
    """'We Got Her!', 'Meth. We're On It.': a headline or a title, not a spoken sentence."""
    words = _LETTER_WORD.findall(text)
    return len(words) >= 2 and all(w[0].isupper() for w in words if len(w) > 2)


_AUX_BEFORE = re.compile(r"\b(?:have|has|had|is|are|was|were|be|been|being|will|would|not|to)\s*$", re.I)


def _attributive(body: str, q: Span) -> bool:
    """A short quoted phrase used as a modifier ('a "skinny" trade deal'): a label, not speech."""
    if _words(body[q.start:q.end]) > 4 or body[q.end - 1:q.end] in ",.!?":
        return False
    if _AUX_BEFORE.search(body[max(0, q.open_start - 12):q.open_start]):
        return False                        # 'have "vilified" educators': a quoted verb
    nxt = _NEXT_LOWERCASE_WORD.match(body[q.close_end:q.close_end + 30])
    return bool(nxt) and nxt.group(1) not in _FUNCTION_WORDS and not cue_rules()["cue"].fullmatch(nxt.group(1))


def _direct(body: str, sent_lo: int, q: Span, cue: Cue | None, where: str) -> bool:
    left = body[sent_lo:q.open_start].rstrip()
    if not left or left.endswith(":"):
        return True
    if where == "before" and cue is not None and body[q.start:q.start + 1].isupper():
        between = body[cue.end:q.open_start]
        return _words(between) <= 4 and "that" not in between.split()
    return False


def _marked(body: str, sent: tuple[int, int], spans: list[Span], res: _Resolver, prev: _Found | None,
            prev_end: int, colon: tuple[Cue, Mention] | None = None) -> list[_Found]:
    a, b = sent
    picks = [_pick_cue(body, sent, spans, k) for k in range(len(spans))]
    sent_cues = cues_in(body, a, b)
    sent_cues = [c for c in sent_cues if not any(s.open_start <= c.start < s.close_end for s in spans)]
    out: list[_Found] = []
    for k, q in enumerate(spans):
        cue, mention, where = picks[k]
        left_text = body[a:q.open_start]
        if is_scare(body, q, left_text) and not q.continues:
            continue
        conf = 0.9 if where == "after" else 0.85
        if cue is None and sent_cues:
            for cand in sorted(sent_cues, key=lambda c: abs(c.start - q.start)):
                lo = max((s.close_end for s in spans if s.close_end <= cand.start), default=a)
                hi = min((s.open_start for s in spans if s.open_start >= cand.end), default=b)
                found_m = speaker_for(body, cand, lo, hi, lo > a)
                if cue is None or found_m is not None:
                    cue, mention = cand, found_m
                if found_m is not None:
                    break
            where, conf = "sentence", 0.7
        if cue is None and k == 0 and colon is not None and not body[a:q.open_start].strip():
            cue, mention = colon            # 'In a statement, the company said:' and the quotation after it
            where, conf = "before", 0.75
        if cue is None and left_text.rstrip().endswith(":"):
            # 'Smith agreed: “…”', 'Buckley, who phoned in from …, had a similar experience: “…”': a
            # clause whose verb is no speech cue introduces the quotation; its subject speaks when it is a
            # person (or an organisation) the article names
            intro = _colon_subject(body, a, a + len(left_text.rstrip()) - 1, res.reg)
            if intro is not None:
                cue, mention = Cue(":", q.open_start - 1, q.open_start), intro
                where, conf = "before", 0.65
        if cue is not None and (_attributive(body, q) or (where == "sentence" and _title_case(body[q.start:q.end]))):
            continue
        if cue is not None and mention is None:
            other = next((p[1] for p in picks if p[1] is not None), None)
            gap_lo = max((s.close_end for s in spans if s.close_end <= cue.start), default=a)
            passive = cue.text.casefold().endswith("ed") and cue_rules()["be"].search(body, max(gap_lo, cue.start - 40),
                                                                                 cue.start)
            # ('He was accused of "gross misconduct"': the subject of a passive cue is not its speaker)
            mention = other or (None if passive else _subject(body, gap_lo, cue.start))
            conf -= 0.15
        direct = _direct(body, a, q, cue, where)
        if cue is None:
            # a follow-on quote takes the speaker of the quote just before it, nothing in between
            starts_sentence = not body[a:q.open_start].strip() or q.continues
            whole = not body[q.close_end:b].strip(" .,;:!?\"'”’»")
            if prev is not None and starts_sentence and whole and prev_end >= 0 and not body[prev_end:a].strip() \
                    and not _title_case(body[q.start:q.end]):
                out.append(_Found(q.start, _strip_end(body, q), "direct", None, None, 0.75, q.paragraph,
                                  prev.speaker, prev.kind, prev.role))
                out[-1].mention = prev.mention
                prev = out[-1]
                continue
            if prev is not None and prev_end >= 0 and not body[prev_end:a].strip() \
                    and _words(body[q.start:q.end]) >= _MIN_CARRIED_PARTIAL and not _title_case(body[q.start:q.end]):
                # reported speech running on into the next sentence: 'Beijing was increasingly "ready to ..."'
                if q.paragraph != prev.paragraph:
                    # a new paragraph that opens with another person names who the fragment is of:
                    # 'Benioff introduced Cook to the audience as "someone who ..."'
                    own = _subject(body, a, q.open_start)
                    if own is not None and own.kind == "person" and own.pos - a < _COLON_SUBJECT_OFFSET \
                            and (own.name or own.text)[:1].isupper():
                        found = _Found(q.start, _strip_end(body, q), "partial", own, None, 0.5, q.paragraph)
                        res.resolve(found)
                        if found.kind == "person":
                            out.append(found)
                            prev = found
                            continue
                    if prev.speaker and prev.kind == "person" and any(
                            e.kind == "person" and e.canonical != prev.speaker and e.canonical.split()[-1] in
                            body[a:q.open_start] for e in res.reg.known.values()):
                        continue            # 'That's when Harper and Buckley learned …, blindsided by “…”'
                out.append(_Found(q.start, _strip_end(body, q), "partial", prev.mention, None, 0.5, q.paragraph,
                                  prev.speaker, prev.kind, prev.role))
                prev = out[-1]
            continue
        if body[q.start:q.start + 1].istitle() and (not direct or (where == "before" and _title_case(
                body[q.start:q.end]) and body[q.end - 1] not in ".!?,")) and _words(body[q.start:q.end]) <= 6 \
                and all(w[:1].isupper() for w in _LONG_WORD.findall(body[q.start:q.end])):
            continue                       # a title in quote marks next to an unrelated cue ('called “No Place")
        found = _Found(q.start, _strip_end(body, q), "direct" if direct else "partial", mention, cue.text, conf,
                       q.paragraph)
        res.resolve(found)
        if found.kind == "unknown" and mention is not None:
            found.confidence -= 0.2
        out.append(found)
        prev = found
    return out


# A sentence that ends in a colon introduces the quotation after it when its cue is this close to the colon:
# 'the company said in a statement:' has 3 words between them, 'Smith wrote on Twitter:' 2.
_COLON_CUE_WORDS = 5


def _colon_cue(body: str, a: int, b: int) -> tuple[Cue, Mention] | None:
    """The cue and speaker of a sentence that ends in a colon ('In a statement, the company said:')."""
    cues = cues_in(body, a, b)
    if not cues or _words(body[cues[-1].end:b]) > _COLON_CUE_WORDS:
        return None
    mention = speaker_for(body, cues[-1], a, b - 1, False)
    return (cues[-1], mention) if mention is not None else None


def _colon_subject(body: str, a: int, colon: int, reg: Registry) -> Mention | None:
    """The subject of a clause that ends in the colon before a quotation ('Smith agreed:'), when it is he or
    she, or a person or organisation the article names (a lone capitalised word must be a name it knows)."""
    if _words(body[a:colon]) > _COLON_INTRO_WORDS:
        return None
    clause = max(body.rfind(", and ", a, colon) + 6, body.rfind(", but ", a, colon) + 6, body.rfind("; ", a, colon) + 2)
    if clause > a:
        a = clause                          # 'Moving forward, …, and The Carlyle Group will be left to wonder:'
    m = _subject(body, a, colon)
    if m is None or m.pos - a > _COLON_SUBJECT_OFFSET:
        return None
    if m.kind == "pronoun" and m.text.casefold() in ("he", "she"):
        return m
    text = m.name or m.text
    if " " not in text and text.casefold().endswith("ing") and _bare_first(text) not in lexicon()["first_names"]:
        return None                         # 'Moving forward, …': a participle, not a name
    if m.kind not in ("person", "organisation") or not text[:1].isupper():
        return None
    if " " not in text and not m.role and not m.gender and reg.canonical_person(text, m.pos) == text \
            and text not in reg.known and reg.canonical_org(text, m.pos) == text:
        return None                         # 'Quando você fala …:' a capitalised word the article names no one by
    return m


# A colon introduction without a cue verb is short: 'Smith agreed:' (2 words), 'Buckley, who phoned in from
# the Chicago set of “Fargo,” had a similar experience:' (17, held-out 4); 25 leaves room.
_COLON_INTRO_WORDS = 25
# Its subject opens the clause, after at most a short leading phrase ('In an interview, Smith added:').
_COLON_SUBJECT_OFFSET = 40


def _strip_end(body: str, q: Span) -> int:
    end = q.end
    while end > q.start + 1 and body[end - 1] in ", ":
        end -= 1
    return end


def _indirect(body: str, sent: tuple[int, int], spans: list[Span], para: int, marked: list[_Found]) -> list[_Found]:
    """The reports of a sentence that no quotation of it already covers."""
    out = []
    for r in reports(body, sent, spans):
        if r.mention is not None and _FIRST_PERSON.fullmatch(r.mention.text):
            continue                        # "We've said this before", 'I wrote a long rant': the writer's own voice
        if any(min(r.end, f.end) - max(r.start, f.start) > 0.5 * (r.end - r.start) for f in marked):
            continue
        f = _make(body, r.start, r.end, r.mention, r.cue, para, r.confidence)
        if f is not None:
            out.append(f)
    return out


_FIRST_PERSON = re.compile(r"(?:I|we|We)(?:['’](?:ve|m|d|ll|re))?")


def _make(body: str, start: int, end: int, mention: Mention, cue: Cue, para: int, conf: float) -> _Found | None:
    while start < end and body[start] in " ,":
        start += 1
    while end > start and body[end - 1] in " ,":
        end -= 1
    if start >= end:
        return None
    return _Found(start, end, "indirect", mention, cue.text, conf, para)


def _quote_id(article_id: str, f: _Found) -> str:
    return hashlib.sha256(f"{article_id}:{f.start}:{f.end}:{f.qtype}".encode()).hexdigest()[:16]


def extract_quotes(article: Article) -> list[Quote]:
    """Every quotation in article.body with its speaker; offsets index article.body."""
    body = article.body or ""
    para_starts = paragraph_starts(body)
    spans = find_spans(body)
    sents = sentences(body, spans, para_starts)
    res = _Resolver(body, para_starts, spans)
    found: list[_Found] = []
    prev: _Found | None = None
    prev_end = -1
    si = 0
    colon: tuple[Cue, Mention] | None = None
    colon_end = -1
    for a, b in sents:
        inside = []
        while si < len(spans) and spans[si].open_start < b:
            if spans[si].open_start >= a:
                inside.append(spans[si])
            si += 1
        para = paragraph_of(para_starts, a)
        if colon is not None and body[colon_end:a].strip():
            colon = None
        got = _marked(body, (a, b), inside, res, prev, prev_end, colon) if inside else []
        colon = _colon_cue(body, a, b) if not inside and body[b - 1] == ":" else None
        colon_end = b
        reported = _indirect(body, (a, b), inside, para, got)
        for f in reported:
            res.resolve(f)
        if reported:
            got = sorted(got + reported, key=lambda f: f.start)
        if got:
            found.extend(got)
            prev, prev_end = got[-1], b
        else:
            prev = None
    rows = []
    seen = set()
    for f in found:
        key = (f.start, f.end, f.qtype)
        if key in seen or f.start >= f.end:
            continue
        seen.add(key)
        mention = f.mention.text if f.mention else None
        rows.append(Quote(
            quote_id=_quote_id(article.article_id, f),
            article_id=article.article_id,
            quote_text=body[f.start:f.end],
            quote_type=f.qtype,
            start_char=f.start,
            end_char=f.end,
            speaker=f.speaker,
            speaker_mention=mention,
            speaker_kind=f.kind,
            speaker_role=f.role,
            speaker_id=speaker_id(f.speaker) if f.kind in ("person", "organisation", "document") else None,
            cue=f.cue,
            paragraph_index=paragraph_of(para_starts, f.start),
            confidence=round(max(0.05, min(1.0, f.confidence)), 2),
        ))
    return rows
