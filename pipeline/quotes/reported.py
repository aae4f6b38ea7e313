"""Indirect (reported) speech: every report of a sentence, the cue before or after its clause.

A sentence may hold several reports ("He said X, and she said Y"; "X, Mayer said, adding that Y") and
quotation marks too: the clause of a report stops where a quotation opens (the quoted words are a
partial or direct quote of their own) and never runs inside quote marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.quotes.attribution import (Cue, _lexicon_lines, cue_rules, cues_in, parenthetical_subject,
                                         speaker_for)
from pipeline.quotes.marks import Span
from pipeline.lexicon import read_sections
from pipeline.quotes.speakers import DATA, Mention, lexicon, np_after

# Patterns used inside the hot loops, compiled once (a re.match(str, ...) call costs a cache lookup each time).
# Words
_WORD_TOKEN = re.compile(r"[\w’'-]+")              # a word with its apostrophes and hyphens
_HYPHENATED_WORD = re.compile(r"[\w-]+")           # an apostrophe splits it: "there’s" -> there, s (_clause_like)
_FIRST_WORD = re.compile(r"\s*([\w’'-]+)")         # the first word after the cue
_LAST_WORD = re.compile(r"([\w’'-]+)\W*$")         # the last word of a clause cut before a quotation
# the first word of a long subject, past 'even': 'Even if negotiators secure ..., analysts say' (a fronted phrase)
_SUBJECT_OPENER = re.compile(r"\s*(?:even\s+)?([\w’'-]+)", re.I)
# Clause ends: a conjunction left dangling where a clause is cut (_DANGLING: its words, a cheap pre-check)
_DANGLING_CONJUNCTION = re.compile(r"(?:,?\s+(?:and|but|or|while|as|saying|adding|noting))+$")
_DANGLING = ("and", "but", "or", "while", "as", "saying", "adding", "noting")
# ', and he sees "first hand ...': the lead-in of a quotation at the end of a clause
_COORDINATED_LEAD_IN = re.compile(r",\s*(?:and|but)\s+(?:he|she|they|it|we|I|[A-Z][\w’'-]*)\s+[a-z]+\s*$")
# What follows a trailing cue (', he said ...'): then the report is not the clause before it
_THAT_CLAUSE_NEXT = re.compile(r"\s*(?:that\b|\w+\s+that\b)")      # 'said that', 'said Tuesday that'
_LOWERCASE_NEXT = re.compile(r"\s+[a-z]")                           # 'said the talks failed': a clause follows
_COLON_OR_QUOTE_NEXT = re.compile(r"\s*[:\"“‘«]")                   # 'Boyd said: "...': the quotation is the speech
# What comes before a leading cue: then it has no speaker of its own
# ('criticised the US for announcing ...')
_PREPOSITION_BEFORE = re.compile(r"\b(?:for|by|after|before|without|of|about|from|in|on|as|like)\s+$")
_WORTH_BEFORE = re.compile(r"\bworth\s+$")        # "It's worth noting that": the writer's aside
# What follows a leading cue
_AMOUNT_NEXT = re.compile(r"\s*[\d$€£]")           # 'gold added 0.1%': a market verb, not speech
_PHRASE_THEN_THAT = re.compile(r"[^,;:.\"“]{0,60}?\bthat\s+")    # 'said in an email to The Associated Press that'
_LEADING_THAT = re.compile(r"\s*,?\s*that\s+")     # the complementizer right after the cue
_THAT_WORD = re.compile(r"\bthat\s+")              # 'told reporters that': 'that' past the object

# Words a reported clause needs before it counts as indirect speech ("he said so" does not).
MIN_WORDS = 4
# Words allowed between a clause's comma and a trailing cue: ', the Interior Ministry said' has 3,
# ', a second person briefed on last weekend's trade phone call said' 10, ', the U.S. Attorney's Office
# for the Western District of New York announced' 12 (zyte gold, 26 pages).
_TRAILING_SPEAKER_WORDS = 14
# Words allowed after a trailing cue before the sentence ends when the speaker precedes the cue
# (', Cook said while visiting Salesforce's Dreamforce conference in San Francisco.').
_TRAILING_TAIL_WORDS = 12
# Words of a subject before a cue that opens a report ('Pankaj Pandey, Head of Research at ICICI
# Securities, pointed out that' has 8; the longest subject on the seeds and zyte gold has 13).
_SUBJECT_WORDS = 14
# A "that"-less clause after a cue that usually takes "that" (announced, reported) must show a
# finite verb within this many words ('Bloomberg reported WeWork is the subject of ...').
_ZERO_THAT_WINDOW = 10

_WORDS = read_sections(DATA / "quote_function_words.txt")

_OBJECT_VERBS = frozenset(_WORDS["object_verbs"])
# A finite verb: an auxiliary, or a past tense not followed by a preposition ('interceptors based in' is a
# participle, 'people entered the Statehouse' a clause).
_FINITE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|could|can|may|might|must|should|shall|did|"
                     r"does|do|appears?|appeared|needs?|wants?|plans?|expects?)\b|"
                     r"\b[a-z]{3,}ed\b(?!\s+(?:in|on|by|at|from|with|for|to|into|of|as)\b)")
_CLAUSE_OPENERS = frozenset(_WORDS["clause_openers"])
_SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it"})
# The object of 'told' before a that-less clause: 'told police', 'told a US diplomat', 'told Benioff'.
_OBJECTS = [re.compile(r"^\s*(?:him|her|them|us|me|reporters|journalists|police|officers|investigators)\s+")] + [
    re.compile(rf"^\s*(?:(?:the|a|an|his|her|their)(?:\s+[\w.’'-]+){{{k}}}|(?:[A-Z][\w.’'&-]*\s+){{{k - 1}}}"
               rf"[A-Z][\w.’'&-]*)\s+") for k in (1, 2, 3)] + [
    re.compile(r"^\s*(?:[a-z][\w-]*\s+){1,2}")]         # 'told local television he heard ...'
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = r"(?:Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec)\.?|January|February|March|April|May|June|July|August|" \
         r"September|October|November|December"
# A cue's trailing cue tail starts so (', Mayer said, and ...', ', Cook said while visiting ...').
_TAIL_OK = re.compile(r"\s*(?:[,;:—–(]|$|(?:in|on|at|to|during|while|after|before|when|last|this|earlier|later|"
                      r"citing|via|from|through|over|about|via)\b)")
_CUT_BEFORE_REPORT = re.compile(r"[,;]\s*(?:(?:and|but|while|as|although|though|yet)\s+)?$")
# 'Lakshiwnder Singh, another deportee, said': a name and its appositive, no clause.
_APPOSITIVE = re.compile(r"^(?:[A-Z][\w’'.-]*\s+){0,4}[A-Z][\w’'.-]*\s*,\s*(?:who|whose|a|an|the|another|\d)\b")
# Openers of a fronted phrase that is not a reported clause ('Speaking after the test, he said ...').
_FRONTED = frozenset(_WORDS["fronted"])
_PREPOSITIONS = frozenset(_WORDS["prepositions"])
_FUNCTION_END = frozenset(_WORDS["function_end"])
# A quotation this short is a label inside a clause ('a "skinny" trade deal that ...'), not speech the clause runs
# on from (the longest label on the zyte gold has 4 words, as for attributive quotes).
_LABEL_WORDS = 4
# A clause that stops where a quotation opens needs this many words to stand as a report of its own;
# shorter, it is the lead-in of the partial quote ('the Wild are a "good team"', zyte gold).
_MIN_CUT_WORDS = 6
_MIN_CUT_WORDS_FUNCTION_END = 10


@lru_cache(maxsize=1)
def _adverbial() -> re.Pattern:
    """Phrases between a cue and its clause: 'on Tuesday', 'in a statement to staff', 'last week'."""
    channels = "|".join(sorted(_lexicon_lines("quote_channels.txt"), key=len, reverse=True))
    alts = [
        rf"(?:(?:on|late|early|by)\s+)?(?:{_WEEKDAY})(?:\s+(?:morning|afternoon|evening|night))?",
        rf"(?:on|in)\s+(?:{_MONTH})(?:\s+\d{{1,2}})?(?:,?\s+\d{{4}})?",
        r"in\s+\d{4}",
        rf"(?:last|this|next|earlier\s+this|later\s+that|earlier|late\s+last)\s+(?:week|month|year|weekend|"
        rf"summer|spring|autumn|fall|winter|{_WEEKDAY})",
        r"(?:on|in|via)\s+(?:Twitter|Facebook|Instagram|LinkedIn|YouTube|television|TV|radio|camera)",
        rf"(?:in|at|during|on|via)\s+(?:a|an|the|his|her|its|their|our|this|that|Monday's|Tuesday's|Wednesday's|"
        rf"Thursday's|Friday's|\w+['’]s)\s+(?:[\w-]+\s+){{0,2}}?(?:{channels})",
        r"to\s+(?:reporters|journalists|the\s+press|the\s+media|lawmakers|investors|analysts|staff|employees|"
        r"members|supporters|the\s+crowd|the\s+audience|the\s+paper|the\s+newspaper|the\s+outlet|the\s+station)",
        r"for\s+(?:decades|years|months|weeks|days|some\s+time|a\s+long\s+time)",
        r"(?:also|again|previously|earlier|later|recently|publicly|privately|repeatedly|separately|flatly|"
        r"today|yesterday|tonight|then|now|too|however|though|meanwhile)",
    ]
    return re.compile(r"\s*,?\s*(?:" + "|".join(alts) + r")\b\.?", re.I)


@dataclass
class Report:
    start: int
    end: int
    cue: Cue
    mention: Mention
    confidence: float


_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _skip_adverbials(body: str, pos: int, hi: int) -> int:
    rx = _adverbial()
    for _ in range(4):
        m = rx.match(body, pos, hi)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    return pos


def _clause_like(text: str) -> bool:
    """A zero-'that' complement clause: opens like a subject and shows a finite verb soon."""
    words = _HYPHENATED_WORD.findall(text)[:_ZERO_THAT_WINDOW]   # "there’s" -> there, s
    if len(words) < 2:
        return False
    first = words[0]
    if first.casefold() in _SUBJECT_PRONOUNS and words[1].islower() and words[1] not in _PREPOSITIONS:
        return True                         # 'he tried to work with ...': a pronoun and its verb
    if first.casefold() == "at" and words[1].casefold() == "least":
        first = words[2] if len(words) > 2 else ""
    if not (first.casefold() in _CLAUSE_OPENERS or first[:1].isupper() or first[:1].isdigit()):
        return False
    return bool(_FINITE.search(" ".join(words[1:])))


def _outside(pos: int, spans: list[Span]) -> bool:
    return not any(s.open_start <= pos < s.close_end for s in spans)


def _trim(body: str, start: int, end: int) -> tuple[int, int]:
    while start < end and body[start] in " ,;:—–-\"'“‘":
        start += 1
    while end > start and body[end - 1] in " ,;:—–-(":
        end -= 1
    # a clause cut before a quotation or a new report drops its dangling conjunction
    text = body[start:end]
    # (the pattern ends in one of its words, before '$': a clause that does not is not searched, ~2 % of the stage)
    m = _DANGLING_CONJUNCTION.search(text) if (text[:-1] if text.endswith("\n") else text).endswith(_DANGLING) else None
    if m:
        end = start + m.start()
    return start, end


# After a cue set inside a sentence, its speaker (if inverted) and the comma that resumes the sentence with a
# verb: ', allows the e-tron', ' attendees and speakers, is both'.
_RESUMES = re.compile(r"[^,;:.!?\"“”]{0,80}?,\s+(?:also\s+|still\s+)?"
                      r"(?:is|are|was|were|has|have|had|will|would|can|could|may|"
                      r"might|should|must|does|did|[a-z]+s)\b")
# Where the subject of a cue can start inside a sentence: after ';', ', and', ', but', or a subordinating
# conjunction ('..., after Politico reported the aid had been paused', held-out 2).
_SUBJECT_CUT = re.compile(r"[;]|,\s*(?:and|but|while|as|although|though|yet)\s|"
                          r",\s*(?:after|before|because|since|until|once|whereas|unless)\s+(?=[A-Z])")
# 'a prospect Vindman denied': a determiner, a noun and a name before the cue (a relative clause, not a speaker).
_RELATIVE_NP = re.compile(r"\s*(?:a|an|the)\s+([a-z][\w-]*)\s+(?:[A-Z][\w’'.-]*\s+){1,3}$")


def _is_speaker_noun(word: str) -> bool:
    lx = lexicon()
    return word in lx["roles"] or word in lx["nouns"]


_RELATIVE_CUE = re.compile(r"(?<!\b[Ii]n\s)(?<!\bof\s)(?<!\bat\s)(?<!\bby\s)\b(?:which|whom|who)\s+"
                           r"(?:he|she|it|they|we|I|(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]*)\s+"
                           r"(?:also\s+|later\s+)?$")
# 'The police responded and confirmed', 'Taylor Swift is ready ... and has indicated that': a second verb of
# the sentence's subject.
_AND_BEFORE_CUE = re.compile(r"\w\s+and\s+(?:(?:has|have|had|also|then|later|now|was|is|reportedly)\s+)*$")
# 'claimed, without evidence, that ...': an aside between the cue and its "that"
_ASIDE_THAT = re.compile(r"\s*,[^,;:.!?\"“”]{1,60},\s*that\s+")
_AT_LEAST = re.compile(r"\s*(?:at\s+(?:least|most)|about|around|over|under|nearly)\s+[\d$€£]", re.I)
_BREAK = re.compile(r"\s[—–]\s|:\s")
# A dash and a relative pronoun: the writer's comment on the report, not part of it.
_DASH_ASIDE = re.compile(r"\s[—–]\s*(?:which|who)\b")
# 'As X points out (in its teardown),': the cue's clause follows the comma.
_AS_BEFORE = re.compile(r"\s*(?:(?:But|And|So|Yet|Now|and|but)\s+)?[Aa]s\s+")
_AS_CUE_COMMA = re.compile(r"[^,;:.!?\"“”‘]{0,60},\s*")
# A determiner, a noun (and up to two modifiers) and 'that': the clause complements the noun.
_NOUN_THAT = re.compile(r"\s*(?:the|a|an|this|his|her|its|their|our|my)\s+(?:[a-z][\w-]*\s+){0,2}([a-z][\w-]*)"
                        r"\s+that\s")
_COMPLEMENT_NOUNS = frozenset(_WORDS["complement_nouns"])
# 'that' followed at once by a verb is the subject of the reported clause ('says that is what you can expect').
_THAT_SUBJECT = re.compile(r"(?:is|was|isn['’]t|wasn['’]t|will|would|could|can|might|may|should|means|meant|"
                           r"makes|made|seems|seemed|has|had)\b")


def _last_break(body: str, s: int, e: int) -> int | None:
    """Where the text after the last dash or colon of body[s:e] starts: the clause a trailing cue reports."""
    last = None
    for m in _BREAK.finditer(body, s, e):
        last = m
    return last.end() if last else None


def reports(body: str, sent: tuple[int, int], spans: list[Span]) -> list[Report]:
    """The reports of one sentence (spans: the quotations inside it), in text order."""
    a, b = sent
    if body[b - 1:b] == "?" and not spans:
        return []
    rules = cue_rules()
    reporting = rules["reporting"]
    end = b - 1 if body[b - 1] in ".!" else b
    cues = [c for c in cues_in(body, a, b) if (c.text.casefold() in reporting or c.text.casefold() == "according to")
            and _outside(c.start, spans)]
    if not cues:
        return []
    out: list[Report] = []
    taken: list[tuple[int, int]] = []       # cue ranges already used as a trailing attribution

    def seg_lo(pos: int) -> int:
        """Where the text that can belong to a clause ending at pos starts: after the last quotation."""
        return max([a] + [s.close_end for s in spans if s.close_end <= pos])

    def next_quote(pos: int) -> int:
        return min([end] + [s.open_start for s in spans if s.open_start >= pos])

    # 1. the clause first, the cue after it: 'X, the ministry said.' / 'X, said Derek Scissors, a ...'
    for cue in cues:
        low = cue.text.casefold()
        if low.endswith("ing") and " " not in low:
            continue                        # ', saying ...' introduces what follows
        lo = seg_lo(cue.start)
        comma = max(body.rfind(",", lo, cue.start), body.rfind("—", lo, cue.start))
        if comma == -1 and lo > a:
            # 'CLAUSE, "PARTIAL," Hamilton argued.': the clause before the quotation is reported too
            prior = max((sp for sp in spans if sp.close_end <= cue.start), key=lambda sp: sp.close_end)
            lead = body[seg_lo(prior.open_start):prior.open_start].rstrip()
            if lead.endswith(",") and _words(body[prior.close_end:cue.start]) <= _TRAILING_SPEAKER_WORDS \
                    and body[prior.end - 1:prior.close_end].lstrip("”’\"'»")[:1] in (",", ""):
                lo, comma = seg_lo(prior.open_start), seg_lo(prior.open_start) + len(lead) - 1
                if _words(body[prior.close_end:cue.start]) == 0:
                    comma = -1              # '..., "partial," said X' keeps the inverted reading below
        if comma == -1 or _words(body[comma:cue.start]) > _TRAILING_SPEAKER_WORDS:
            continue
        inverted = not body[comma + 1:cue.start].strip()
        if inverted and low in _OBJECT_VERBS:
            continue                        # ', told US media that ...': the clause follows
        rel = _RELATIVE_NP.match(body, comma + 1, cue.start)
        if rel and not _is_speaker_noun(rel.group(1)):
            continue                        # ', a prospect Vindman denied': a noun and its relative clause
        tail = body[cue.end:end]
        if not inverted and _words(tail) > _TRAILING_TAIL_WORDS and not _TAIL_OK.match(tail):
            continue
        if not inverted and _THAT_CLAUSE_NEXT.match(tail):
            continue                        # ', he said that ...': the clause follows the cue
        if cue.text.casefold() != "according to" and not inverted and _LOWERCASE_NEXT.match(tail) \
                and not _TAIL_OK.match(tail):
            continue                        # ', he said the talks failed': a clause after the cue
        if _COLON_OR_QUOTE_NEXT.match(tail):
            continue                        # 'Asked about it, Boyd said: "..."': the quotation is the speech
        hi = next_quote(cue.end)
        mention = speaker_for(body, cue, comma + 1, hi if hi > cue.end else end, True)
        if mention is None or mention.text.split()[0].casefold() in _PREPOSITIONS:
            continue
        if inverted and mention.kind == "pronoun" and _LOWERCASE_NEXT.match(body[mention.pos + len(mention.text):end]):
            continue                        # '..., say they feel abandoned': the cue opens a clause, no inversion
        s, e = _trim(body, lo, comma)
        cut = _last_break(body, s, e)
        if cut is not None and _words(body[cut:e]) >= MIN_WORDS and _FINITE.search(body, cut, e):
            s = cut                         # 'It's unclear whether ... — both were ..., according to X'
        clause = body[s:e]
        if lo > a and not body[lo:s].strip(" ,") and body[s:s + 1].islower() \
                and any(sp.close_end == lo and _words(body[sp.start:sp.end]) > _LABEL_WORDS for sp in spans):
            continue                        # '"... the interests" mutually shared by ..., he warned': the quote's tail
        if 1 <= _words(clause) < MIN_WORDS and s == lo and "," not in clause and _outside(s, spans):
            run = _RESUMES.match(body, cue.end, hi if hi > cue.end else end)
            if run is not None and not body[s:s + 1].islower():
                # 'That, Audi says, allows the e-tron ...', 'This, according to attendees, is both ...': the
                # cue and its speaker set inside the reported sentence
                s2, e2 = _trim(body, s, next_quote(run.end()))
                if _words(body[s2:e2]) >= MIN_WORDS + 2:
                    out.append(Report(s2, e2, cue, mention, 0.6))
                    taken.append((comma, cue.end))
                continue
        if _words(clause) < MIN_WORDS or not _outside(s, spans) or _APPOSITIVE.match(clause):
            continue
        opener = _WORD_TOKEN.match(clause)
        if opener and "," not in clause and (opener.group().casefold() in _FRONTED
                                            or opener.group().casefold().endswith("ing")):
            continue                        # 'While that progress lags, Cook said he ...': a fronted phrase
        if inverted and not _FINITE.search(clause):
            continue                        # 'Mayer, Disney's chairman of ..., said Tuesday': no clause
        # 'X, according to two people familiar with the matter, adding to ...'
        out.append(Report(s, e, cue, mention, 0.65))
        taken.append((comma, cue.end))

    # 2. 'According to X, clause.'
    first = cues[0]
    if first.text.casefold() == "according to" and _words(body[a:first.start]) == 0:
        comma = body.find(",", first.end, b)
        if comma != -1:
            mention = np_after(body, first.end, comma)
            s, e = _trim(body, comma + 1, next_quote(comma + 1))
            if mention is not None and _words(body[s:e]) >= MIN_WORDS:
                out.append(Report(s, e, first, mention, 0.6))
        return _dedupe(out)

    # 3. the cue first, the clause after it: 'Ms Flournoy said (that) there would be ...'
    for k, cue in enumerate(cues):
        low = cue.text.casefold()
        if low == "according to" or any(c0 <= cue.start < c1 for c0, c1 in taken):
            continue
        lo = seg_lo(cue.start)
        subject_lo = lo
        for m in _SUBJECT_CUT.finditer(body[lo:cue.start]):
            subject_lo = lo + m.end()
        if low.endswith("ing") and _PREPOSITION_BEFORE.search(body[subject_lo:cue.start]):
            continue                        # 'criticised the US for announcing ...': no speaker of its own
        # (every match holds 'which', 'whom' or 'who', case-sensitive: a subject without 'wh' skips the search)
        if body.find("wh", subject_lo, cue.start) != -1 and _RELATIVE_CUE.search(body, subject_lo, cue.start):
            continue                        # 'the helicopter, which it said crashed in ...': no clause of its own
        if "worth" in body[subject_lo:cue.start] and _WORTH_BEFORE.search(body[subject_lo:cue.start]):
            continue                        # "It's worth noting that ...": the writer's aside, no speaker
        # (the subject's word count and whether it is too long are counted once per subject_lo)
        subject_words = _words(body[subject_lo:cue.start])
        long_subject = subject_words > _SUBJECT_WORDS and not parenthetical_subject(body, subject_lo, cue.start)
        if long_subject:
            opener = _SUBJECT_OPENER.match(body[subject_lo:cue.start])
            comma = body.rfind(",", subject_lo, cue.start)
            if opener and opener.group(1).casefold() in _FRONTED and comma != -1 \
                    and 0 < _words(body[comma:cue.start]) <= _SUBJECT_WORDS and _outside(comma, spans):
                subject_lo = comma + 1      # 'Even if negotiators secure ..., Washington-based analysts ... say'
                subject_words = _words(body[subject_lo:cue.start])
                long_subject = subject_words > _SUBJECT_WORDS \
                    and not parenthetical_subject(body, subject_lo, cue.start)
        participle = low.endswith("ing") and " " not in low and body[subject_lo:cue.start].rstrip().endswith(",")
        if long_subject and not participle:
            continue
        aside = _ASIDE_THAT.match(body, cue.end, end) if body[cue.end:cue.end + 1] == "," else None
        nxt = body[cue.end:min(b, cue.end + 12)].lstrip().casefold()
        as_lead = nxt[:1] == "," and _AS_BEFORE.match(body, subject_lo, cue.start) is not None
        if body[cue.end:cue.end + 1] not in (" ", "\n") and aside is None and not as_lead:
            continue
        if (nxt.startswith(("by ", "to be", "so ", "so.", "of ", "about ")) or nxt[:1] in ",.:;") and aside is None \
                and not as_lead:
            continue
        if low in ("added", "adds", "adding") and _AMOUNT_NEXT.match(body[cue.end:cue.end + 3]):
            continue                        # 'gold added 0.1%': a market verb
        mention = speaker_for(body, cue, subject_lo, cue.start, False)
        if mention is None and _AND_BEFORE_CUE.search(body, subject_lo, cue.start) \
                and subject_words <= _SUBJECT_WORDS:
            mention = np_after(body, subject_lo + len(body[subject_lo:cue.start]) - len(body[subject_lo:cue.start].lstrip()),
                               cue.start)       # 'The police responded and confirmed that ...'
        if mention is None:
            continue
        start = aside.end() if aside else _skip_adverbials(body, cue.end, end)
        tail = body[start:end]
        first_word = _FIRST_WORD.match(tail)
        as_comma = _AS_CUE_COMMA.match(body, cue.end, end) \
            if _AS_BEFORE.fullmatch(body, subject_lo, mention.pos) else None
        if as_comma is not None:
            start = as_comma.end()          # 'As iFixit points out in its teardown, the keyboard is ...'
            if not _clause_like(body[start:end]):
                continue
        elif first_word and first_word.group(1).casefold() in _PREPOSITIONS and not _AT_LEAST.match(tail):
            t = _PHRASE_THEN_THAT.match(tail)
            if t is None:
                continue                    # 'said before the win', 'wrote in a perspective ...'
            start += t.end()                # 'said in an email to The Associated Press that ...'
            tail = body[start:end]
        noun_that = _NOUN_THAT.match(tail)
        if noun_that and noun_that.group(1).casefold() in _COMPLEMENT_NOUNS:
            continue                        # 'confirms the belief that ...': a noun's complement, no report
        m = _LEADING_THAT.match(tail)
        if m and _THAT_SUBJECT.match(tail, m.end()):
            start += m.end() - len(m.group().lstrip(" ,"))    # 'Apple says that is what you can expect': 'that'
        elif m:                                                 # is the clause's subject, not its complementizer
            start += m.end()
        elif low in _OBJECT_VERBS and " " not in low:      # ('told reporters' has its object)
            t = _THAT_WORD.search(tail[:80])
            if t:
                start += t.end()
            else:
                # 'told police he supported ...': skip the object of 'told'
                o = next((m for rx in _OBJECTS if (m := rx.match(tail)) and _clause_like(tail[m.end():])), None)
                if o is None:
                    continue
                start += o.end()
                start = _skip_adverbials(body, start, end)
        elif low in rules["needs_that"]:
            if not _clause_like(tail):
                continue
        if start >= end or not _outside(start, spans) or body[start:start + 1] in "\"'“‘«":
            continue
        stop = next_quote(start)
        stop = min([stop] + [c0 for c0, _ in taken if start < c0 < stop])   # '..., Chinese state media reported'
        # the clause ends where a coordinated report begins: ', and she said ...', ', adding that ...'
        for later in cues[k + 1:]:
            if later.start >= stop or later.start <= start:
                continue
            if later.text.casefold().endswith("ing") and body[start:later.start].rstrip().endswith(","):
                stop = later.start
                break
            subj = speaker_for(body, later, start, later.start, False)
            if subj is not None and _CUT_BEFORE_REPORT.search(body[start:subj.pos]):
                stop = subj.pos
                break
        aside = _DASH_ASIDE.search(body, start, stop)
        if aside is not None:
            stop = aside.start()            # '... that is what you can expect — which is one hour more than ...'
        paren = body.rfind("(", a, cue.start)
        if paren != -1 and body.find(")", paren, cue.start) == -1:
            close = body.find(")", start, stop)
            if close != -1:
                stop = close                # '(44 percent of Americans say they want ...), but ...': the aside ends
        s, e = _trim(body, start, stop)
        n = _words(body[s:e])
        if n < MIN_WORDS and not (n == MIN_WORDS - 1 and stop == end and _clause_like(body[s:e])):
            continue                        # 'He says the man died.' is a report; 'he said so' is not
        if stop < end and body[stop:stop + 1] in "\"'“‘«`":
            # '..., and he sees "first hand ...': the lead-in of the quotation is not part of the report
            lead = _COORDINATED_LEAD_IN.search(body[s:e])
            if lead:
                e = s + lead.start()
                n = _words(body[s:e])
            last = None if lead else _LAST_WORD.search(body[s:e])
            if (not lead and n < _MIN_CUT_WORDS) or (last and last.group(1).casefold() in _FUNCTION_END
                                      and n < _MIN_CUT_WORDS_FUNCTION_END):
                continue                    # the lead-in of a partial quote, not a report of its own
        out.append(Report(s, e, cue, mention, 0.6))
    return _dedupe(out)


def _dedupe(found: list[Report]) -> list[Report]:
    found.sort(key=lambda r: (r.start, -r.end))
    out: list[Report] = []
    for r in found:
        if out and r.start < out[-1].end and (inter := min(r.end, out[-1].end) - r.start) >= 0.8 * (r.end - r.start) \
                and inter >= 0.8 * (out[-1].end - out[-1].start):
            continue                        # the same clause found by two cues (a nested report stays)
        out.append(r)
    return out
