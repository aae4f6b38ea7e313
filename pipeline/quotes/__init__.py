"""Quotes stage: Article -> list[Quote], direct, partial and indirect, each with its speaker."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipeline.model import Article, Quote
from pipeline.quotes.antecedents import Registry
from pipeline.quotes.attribution import (Cue, cue_rules, cues_in, is_scare, parenthetical_subject, sentences,
                                         speaker_for)
from pipeline.quotes.marks import Span, find_spans, paragraph_of, paragraph_starts
from pipeline.quotes.reported import reports
from pipeline.quotes.resolve import _bare_first, _Found, _Resolver
from pipeline.quotes.speakers import DATA, Mention, lexicon, np_after, speaker_id

# Patterns used inside the hot loops, compiled once (a re.match(str, ...) call costs a cache lookup each time).
# Words
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
_LEAD_RE = re.compile(r"^(?:(?:but|and|still|however|meanwhile|yet|so|also|now|then)\b[,\s]*)+", re.I)


def lexicon_files() -> list[Path]:
    """The data files this stage reads (their hashes go into version provenance)."""
    return sorted(DATA.glob("quote_*.txt"))


_WORD = re.compile(r"\w+")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


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
