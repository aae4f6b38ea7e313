"""Events stage: PLOVER-coded events from an Article's body by trigger lexicon, actor dictionary and date rules."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from pipeline.events.actors import Mention, find_mentions, titled_people
from pipeline.events.cluster import cluster_id
from pipeline.events.timex import Timex, resolve_matches, timex_matches
from pipeline.events.triggers import (
    Trigger, clause_marks, context_keywords, factuality, find_triggers, number_words, sentences,
)
from pipeline.model import Actor, Article, Event
from pipeline.prefilter import fold, required, trie_regex

DATA = Path(__file__).resolve().parents[1] / "data"
_LEXICONS = ("actors.csv", "event_triggers.csv", "event_cues.csv", "event_sectors.csv",
             "event_titles.txt", "event_abbreviations.txt", "event_contexts.csv",
             "event_numbers.csv", "event_subtypes.csv")

# A past event more than this many days before publication is background (a recalled event);
# a week keeps "last Friday" news in the foreground, as the seeds and the probe expect.
_BACKGROUND_DAYS = 7
_LOCATION_PREP = re.compile(r"(?:\b(?:in|at|near|across|throughout|inside|outside)\s+(?:the\s+)?)$")
_TO_PREP = re.compile(r"\b(?:to|of)\s+(?:the\s+)?$")
_COORD = re.compile(r"^(?:\s*,\s*|\s+and\s+|\s*,\s*and\s+|\s*&\s*|\s+|-|['’]s\s+(?:[\w-]+\s+){0,4}?)(?:the\s+)?$")
_BY_AGENT = re.compile(r"^[^,;:]{0,30}?\bby\s+(?:the\s+)?$")
_PRONOUN_START = re.compile(r"^(?:He|She|They|It|The official|The spokesman|The spokeswoman|The minister)\b")
_COMPLEMENT = re.compile(r"\bto\s+$")
_NUM = r"\d[\d,]*"
_PARENTHETICAL = re.compile(r"\s(?:--|—|–)\s.*?\s(?:--|—|–)\s|\([^)]*\)")
_PARTICIPLE = re.compile(r",\s+(?:\w+ly\s+)?$")
_AND_VERB = re.compile(r"\band\s+(?:\w+ly\s+)?$")
_SPEECH = re.compile(r"\b(?:said|says|told|announced|stated|declared)\s+$")
_CLAUSE_MARK = re.compile(r"[,;:]")
_SPEECH_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT", "AGREE"})


def lexicon_files() -> list[Path]:
    """The data files this stage reads; their hashes belong to a version's provenance."""
    return [DATA / name for name in _LEXICONS]


@lru_cache(maxsize=1)
def _subtypes() -> tuple[tuple[str, str, str], ...]:
    with open(DATA / "event_subtypes.csv", newline="", encoding="utf-8") as f:
        return tuple((r["event_type"], r["keyword"], r["subtype"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def _casualty_rx() -> tuple[re.Pattern, re.Pattern]:
    words = "|".join(sorted(map(re.escape, number_words()), key=len, reverse=True))
    n = rf"({_NUM}|{words})"
    dead = re.compile(
        rf"\bkill(?:ed|ing)\s+(?:at\s+least\s+)?{n}\b|\b{n}\s+(?:[\w-]+\s+){{0,3}}?"
        rf"(?:(?:were|have\s+been|had\s+been|was)\s+)?(?:killed|dead|died|fatalities)\b", re.I)
    injured = re.compile(
        rf"\b{n}\s+(?:[\w-]+\s+){{0,4}}?(?:(?:were|have\s+been|had\s+been|was)\s+)?(?:injured|wounded|hurt)\b", re.I)
    return dead, injured


@lru_cache(maxsize=1)
def _casualty_words() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Strings one of which every match of each casualty regex holds (pipeline.prefilter)."""
    dead, injured = _casualty_rx()
    return tuple(required(dead) or ("",)), tuple(required(injured) or ("",))


def _casualties(sent: str) -> tuple[int | None, int | None]:
    """(dead, injured) counts in a sentence; a regex is searched only when the folded sentence
    holds one of the words it needs (most sentences hold none: each search costs ~8 us)."""
    dead_rx, inj_rx = _casualty_rx()
    dead_words, inj_words = _casualty_words()
    low = fold(sent)
    dead = _count(dead_rx, sent) if any(w in low for w in dead_words) else None
    injured = _count(inj_rx, sent) if any(w in low for w in inj_words) else None
    return dead, injured


def _count(rx: re.Pattern, text: str) -> int | None:
    m = rx.search(text)
    if not m:
        return None
    raw = next(g for g in m.groups() if g)
    raw = raw.lower().replace(",", "")
    return int(raw) if raw.isdigit() else number_words().get(raw)


def _group_before(text: str, ms: list[Mention], upto: int) -> list[Mention]:
    """The coordinated mentions closest before position `upto` ("China and Russia")."""
    before = [m for m in ms if m.end <= upto]
    if not before:
        return []
    group = [before[-1]]
    for m in reversed(before[:-1]):
        if _COORD.match(text[m.end:group[0].start]):
            group.insert(0, m)
        else:
            break
    return group


def _first_group(text: str, ms: list[Mention]) -> list[Mention]:
    """The sentence's first coordinated group of mentions: usually its subject."""
    ms = [m for m in ms if m.code and not _is_location(text, m)]
    if not ms or ms[0].start > 60:
        return []
    group = [ms[0]]
    for m in ms[1:]:
        if _COORD.match(text[group[-1].end:m.start]):
            group.append(m)
        else:
            break
    return group


def _group_after(text: str, ms: list[Mention], start: int) -> list[Mention]:
    after = [m for m in ms if m.start >= start]
    if not after or _CLAUSE_MARK.search(text, start, after[0].start) or after[0].start - start > 60:
        return []
    group = [after[0]]
    for m in after[1:]:
        if _COORD.match(text[group[-1].end:m.start]):
            group.append(m)
        else:
            break
    return group


def _actors(group: list[Mention], text: str = "") -> tuple[Actor, ...]:
    seen, out = set(), []
    # "U.S. envoy Stephen Bosworth": the person stands for the country that titles him
    group = [m for k, m in enumerate(group)
             if not (k + 1 < len(group) and group[k + 1].kind == "person" and group[k + 1].code == m.code
                     and group[k + 1].start - m.end < 40 and "," not in text[m.end:group[k + 1].start])]
    for m in group:
        if (m.text, m.code) in seen:
            continue
        seen.add((m.text, m.code))
        out.append(Actor(name=m.text, country_code=m.code, sector=m.sector))
    return tuple(out)


def _is_location(text: str, m: Mention) -> bool:
    return m.kind in ("country", "capital", "region") and bool(_LOCATION_PREP.search(text[max(0, m.start - 20):m.start]))


def _nearest_timex(trig: Trigger, timexes: list[Timex], owner: dict[int, int], idx: int) -> Timex | None:
    mine = [t for k, t in enumerate(timexes) if owner.get(k) == idx]
    if not mine:
        return None
    return min(mine, key=lambda t: _distance(trig, t))


def _distance(trig: Trigger, t: Timex) -> int:
    if t.end <= trig.start:
        return trig.start - t.end
    if t.start >= trig.end:
        return t.start - trig.end
    return 0


def _factory(cls):
    """cls(**fields) for a dict of every field, in field order, without the frozen dataclass's
    __init__ (one object.__setattr__ per field: Event(**fields) took 0.07 ms per benchmark article,
    this 0.02): the instance gets the same attribute dict. Only while cls is a plain dataclass
    (no __post_init__, no slots, every field set by __init__); else the constructor.
    tests/events/test_extract.py checks both agree."""
    fields = dataclasses.fields(cls)
    if hasattr(cls, "__post_init__") or "__slots__" in vars(cls) or not all(f.init for f in fields):
        return lambda values: cls(**values)
    count = len(fields)
    new = object.__new__

    def make(values: dict):
        if len(values) != count:
            raise TypeError(f"{cls.__name__} needs {count} fields, got {len(values)}")
        obj = new(cls)
        obj.__dict__.update(values)
        return obj
    return make


_new_event = _factory(Event)
_new_trigger = _factory(Trigger)


def extract_events(article: Article) -> list[Event]:
    """All events reported in article.body, each with offsets of its sentence (pure function)."""
    body, pub = article.body, article.published_date
    if not body or not body.strip():
        return []
    base_mentions = find_mentions(body)
    people = titled_people(body, base_mentions)
    mentions = find_mentions(body, people) if people else base_mentions
    all_triggers = find_triggers(body)
    events: list[Event] = []
    prev: dict | None = None          # first event of the previous sentence, for carried subjects
    prev_para = -1
    t_i = m_i = 0
    para, counted = 0, 0
    for s_start, s_end in sentences(body):
        para += body.count("\n", counted, s_start)
        counted = s_start
        if para != prev_para and prev is not None:
            prev = {"actors": prev["actors"], "timex": None}   # subjects carry over, dates do not
        prev_para = para
        trigs = []
        while t_i < len(all_triggers) and all_triggers[t_i].start < s_end:
            t = all_triggers[t_i]
            if t.start >= s_start:
                trigs.append(_new_trigger({**t.__dict__, "start": t.start - s_start,
                                           "end": min(t.end, s_end) - s_start}))
            t_i += 1
        while m_i < len(mentions) and mentions[m_i].start < s_start:
            m_i += 1
        ms = []
        k = m_i
        while k < len(mentions) and mentions[k].start < s_end:
            m = mentions[k]
            ms.append(Mention(m.start - s_start, m.end - s_start, m.text, m.code, m.sector, m.kind, m.name_end))
            k += 1
        if not trigs and not ms:
            continue            # _first_group finds no subject without mentions
        sent = body[s_start:s_end]
        if not trigs:
            subject = _first_group(sent, ms)
            if subject:
                prev = {"actors": _actors(subject, sent), "timex": None}
            continue
        # Complements ("agreed to deploy", "threatened to kill") belong to the event before them.
        kept = []
        for t in trigs:
            if kept and _COMPLEMENT.search(sent[max(0, t.start - 4):t.start]) and t.start - kept[-1].end < 40:
                continue
            # "shelled the island, killing two": one event, reported by two words
            if kept and kept[-1].event_type == t.event_type and t.start - kept[-1].end < 60:
                continue
            kept.append(t)
        trigs = kept
        first = _sentence_events(article, sent, s_start, trigs, ms, pub, prev, events)
        if first is None and (subject := _first_group(sent, ms)):
            first = {"actors": _actors(subject, sent), "timex": None}
        prev = first or prev
    return events


@lru_cache(maxsize=1)
def _keyword_scan() -> re.Pattern:
    """Every context and subtype keyword in one regex (a trie): a sentence whose lower-cased text
    it does not find holds none of them, and skips testing each of the ~40 (78 % of the benchmark
    corpus's sentences; one search costs less than half the ~40 substring tests)."""
    words = {kw for kw, _ in context_keywords()} | {kw for _, kw, _ in _subtypes()}
    return re.compile(trie_regex(sorted(words)))


@lru_cache(maxsize=4096)
def _contexts(trig_contexts: tuple[str, ...], ctx_words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(set(trig_contexts) | set(ctx_words)))


@lru_cache(maxsize=65536)
def _cluster_id(event_type, actor_codes, recipient_codes, subtype, date, precision) -> str:
    """cluster_id, memoised: the same few keys recur (type, sides, date) in an article and a run."""
    return cluster_id(event_type, actor_codes, recipient_codes, subtype, date, precision)


def _sentence_events(article, sent, s_start, trigs, ms, pub, prev, events) -> dict | None:
    tx_matches = timex_matches(sent) if pub else []
    timexes = resolve_matches(tx_matches, pub) if tx_matches else []
    owner: dict[int, int] = {}
    if len(trigs) == 1:
        # one trigger owns every date: the nearest and the speech-act rule both give index 0
        owner = dict.fromkeys(range(len(timexes)), 0)
        timexes_owned = ()
    else:
        timexes_owned = timexes
    for k, t in enumerate(timexes_owned):
        owner[k] = min(range(len(trigs)), key=lambda i: _distance(trigs[i], t))
        # "said this month that ...": the date of the saying belongs to a speech-act event
        if _SPEECH.search(sent[max(0, t.start - 12):t.start]):
            speech = [i for i, tr in enumerate(trigs) if tr.event_type in _SPEECH_TYPES]
            if speech:
                owner[k] = speech[0]
    # _PARENTHETICAL needs a "(" or a dash of its list: most sentences have neither
    parens = [(m.start(), m.end()) for m in _PARENTHETICAL.finditer(sent)] \
        if "(" in sent or "--" in sent or "—" in sent or "–" in sent else []
    # what does not depend on the trigger, once per sentence
    is_loc = [_is_location(sent, m) for m in ms]
    actor_ms = [m for m, at in zip(ms, is_loc) if not at]
    loc = next((m for m, at in zip(ms, is_loc) if at), None)
    not_after_to = [m for m in actor_ms if not _TO_PREP.search(sent[max(0, m.start - 8):m.start])]
    pronoun_start = _PRONOUN_START.match(sent) is not None
    has_by, has_and = "by" in sent, "and" in sent      # literals _BY_AGENT and _AND_VERB need
    clause_ends = clause_marks(sent)
    future_timexes = None
    has_verb = any(t.kind == "verb" for t in trigs)
    low = sent.lower()
    if _keyword_scan().search(low) is None:
        ctx_words, subtype_hits = (), []
    else:
        ctx_words = tuple([c for kw, c in context_keywords() if kw in low])
        subtype_hits = [(etype, sub) for etype, kw, sub in _subtypes() if kw in low]
    background_before = pub - dt.timedelta(days=_BACKGROUND_DAYS) if pub is not None else None
    casualties = None
    first = None
    last_verb_actors: tuple[Actor, ...] = ()
    counts: dict[str, int] = {}
    for i, trig in enumerate(trigs):
        fact = factuality(sent, trig.start, clause_ends)
        # --- who
        agent = next((m for m in actor_ms if m.start >= trig.end and _BY_AGENT.match(sent[trig.end:m.start])),
                     None) if has_by else None
        outside = [(a, b) for a, b in parens if not a <= trig.start < b]
        before_ms = [m for m in not_after_to if not any(a <= m.start < b for a, b in outside)] if outside \
            else not_after_to
        source = "sentence"
        if trig.kind == "noun":
            # a noun's actor modifies it ("the US build-up", "North Korea's test"): never across
            # another trigger, never carried from the sentence before
            floor = max((t.start for t in trigs[:i]), default=0)
            before_ms = [m for m in before_ms if m.start >= floor]
        if agent is not None:
            actors_g = _group_after(sent, actor_ms, agent.start)
            recips_g = _group_before(sent, before_ms, trig.start) if trig.kind == "verb" else []
        else:
            actors_g = _group_before(sent, before_ms, trig.start)
            if trig.kind == "verb" and trig.text.split()[0].lower().endswith("ing") and \
                    _PARTICIPLE.search(sent[:trig.start]):
                # ", urging the United States": the participle's subject is the sentence's
                actors_g = [] if pronoun_start else (_first_group(sent, before_ms) or actors_g)
            first_word = trig.start + len(trig.text.split()[0])
            recips_g = _group_after(sent, actor_ms, first_word)
        actors = _actors(actors_g, sent)
        if trig.kind == "verb" and last_verb_actors and has_and and _AND_VERB.search(sent[:trig.start]):
            actors = last_verb_actors      # "accused X ... and warned": one subject, two verbs
        if (not actors and prev is not None and trig.kind == "verb"
                and (pronoun_start or not before_ms)):
            actors, source = prev["actors"], "carried"
        if not actors and trig.event_type == "PROTEST":
            # protesters are rarely named: the place where they protest stands for them
            place = next((m for m in ms if m.code and m.kind in ("country", "capital", "region")), None)
            if place is not None:
                actors, source = (Actor(name="protesters", country_code=place.code, sector="CVL"),), "place"
        recipients = tuple(a for a in _actors(recips_g) if a not in actors)
        # --- when
        tx = _nearest_timex(trig, timexes, owner, i)
        if tx is not None and fact == "future":
            if future_timexes is None:
                future_timexes = resolve_matches(tx_matches, pub, future=True)
            tx = next((t for t in future_timexes if t.start == tx.start), tx)
        if tx is None and prev is not None and prev["timex"] is not None and pronoun_start:
            tx = prev["timex"]
        if tx is not None:
            date, date_end, prec, dsrc, dtext = tx.date, tx.date_end, tx.precision, tx.source, tx.text
            if tx.future and fact == "asserted":
                fact = "future"
        elif pub is not None:
            date, date_end, prec, dsrc, dtext = pub, None, "day", "publication_fallback", None
        else:
            date, date_end, prec, dsrc, dtext = None, None, "unknown", "publication_fallback", None
        if pub is not None and date is not None and date > pub and fact != "future":
            fact = "future"
        background = False
        if pub is not None and date is not None and dsrc != "publication_fallback":
            background = (date_end or date) < background_before
            if trig.kind == "noun" and has_verb and tx is not None and date < pub:
                background = True
        # --- what else
        subtype = trig.subtype
        for etype, sub in subtype_hits:
            if etype == trig.event_type and (subtype in (None, "deployment", "sanctions")):
                subtype = sub
                break
        contexts = _contexts(trig.contexts, ctx_words)
        dead = injured = None
        if trig.event_type in ("ASSAULT", "PROTEST", "COERCE"):
            if casualties is None:      # the same for every trigger of the sentence
                casualties = _casualties(sent)
            dead, injured = casualties
        conf = 0.45
        conf += 0.15 if actors and source == "sentence" else (0.05 if actors else 0.0)
        conf += 0.15 if tx is not None else 0.0
        conf += 0.1 if " " in trig.text else 0.0
        conf -= 0.1 if fact in ("negated", "hypothetical") else 0.0
        conf = round(min(0.95, max(0.05, conf)), 2)
        n = counts.get(trig.event_type, 0)
        counts[trig.event_type] = n + 1
        start, end = s_start, s_start + len(sent)
        event_id = hashlib.sha256(f"{article.article_id}:{start}:{end}:{trig.event_type}:{n}".encode()).hexdigest()[:16]
        ev = _new_event(dict(
            event_id=event_id, article_id=article.article_id, event_type=trig.event_type,
            event_mode=trig.mode, event_subtype=subtype, contexts=contexts, actors=actors,
            recipients=recipients, event_date=date, event_date_end=date_end, date_precision=prec,
            date_text=dtext, date_source=dsrc, factuality=fact, is_background=background,
            location_text=loc.text if loc else None, location_country_code=loc.code if loc else None,
            dead=dead, injured=injured, sentence=sent, start_char=start, end_char=end, quote_id=None,
            confidence=conf,
            event_cluster_id=_cluster_id(trig.event_type, tuple([a.country_code for a in actors]),
                                         tuple([a.country_code for a in recipients]), subtype, date, prec),
        ))
        events.append(ev)
        if trig.kind == "verb" and actors:
            last_verb_actors = actors
        if first is None and actors:
            first = {"actors": actors, "timex": tx if dsrc != "publication_fallback" else None}
    return first


__all__ = ["extract_events", "lexicon_files"]
