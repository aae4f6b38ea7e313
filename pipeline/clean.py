"""Boilerplate classifier and paragraph repair: Document -> Document of article-body blocks."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from pipeline.model import Block, Document, Signals
from pipeline.prefilter import Guarded, GuardedGroup, fold

DATA = Path(__file__).parent / "data"

# Signal names this module writes into Signals.published / Signals.updated:
#   label_created    "Date created : 2010-11-30"              -> published
#   label_published  "Published: …", "Posted on …", "Date: …"  -> published
#   label_updated    "Latest update : 2010-12-01", "Updated …" -> updated
#   dateline         a line that is only a date, next to the title or a byline -> published
#   byline_date      the date part of "Associated Press November 19, 2019" -> published
#   front_matter     Markdown front matter "date:" / "updated:" -> published / updated


def lexicon_files() -> list[Path]:
    """The data files this stage reads (their hashes go into version provenance)."""
    return sorted(DATA.glob("boilerplate_*.*"))


def _rows(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, pattern = line.strip().partition(" ")
            rows.append((key, pattern.strip()))
    return rows


@lru_cache(maxsize=1)
def _rules() -> dict:
    def full(rows):
        return [(k, re.compile(p + r"\Z", re.I)) for k, p in rows]

    captions = _rows("boilerplate_captions.txt")
    end_rows = [("end", line.strip()) for line in
                (DATA / "boilerplate_end.txt").read_text(encoding="utf-8").splitlines()
                if line.strip() and not line.startswith("#")]
    # The lists searched for every block are Guarded: a pattern is tried only when the block holds
    # one of the literal strings it needs (pipeline/prefilter.py); same results, a fraction of the cost.
    rules = {
        "lines": Guarded(full(_rows("boilerplate_lines.txt"))),
        "phrases": Guarded([(k, re.compile(p, re.I)) for k, p in _rows("boilerplate_phrases.txt")]),
        "labels": full(_rows("boilerplate_labels.txt")),
        "end": [p for _, p in full(end_rows)],
        "caption_end": Guarded([(re.compile(r"(?:" + p + r")\s*\Z", re.I),) for k, p in captions if k == "end"]),
        "caption_start": Guarded([(re.compile(p, re.I),) for k, p in captions if k == "start"]),
    }
    # Any end marker: one alternation of the whole patterns, tried in one call.
    rules["end_any"] = re.compile("|".join(f"(?:{p.pattern})" for p in rules["end"]), re.I)
    # One scan of a block finds the strings of every per-block list (_block_reason): the labels,
    # the line and phrase lexicons and the caption rules. A block of 300 characters or more takes
    # no label or line rule, and one of CAPTION_MAX_WORDS words no caption rule: the fewer strings
    # a scan looks for, the faster it runs.
    rules["group"] = GuardedGroup({"labels": Guarded(rules["labels"]), "lines": rules["lines"],
                                   "phrases": rules["phrases"], "caption_end": rules["caption_end"],
                                   "caption_start": rules["caption_start"]})
    rules["group_long"] = GuardedGroup({k: rules[k] for k in ("phrases", "caption_end", "caption_start")})
    rules["group_phrases"] = GuardedGroup({"phrases": rules["phrases"]})
    return rules


_WORD = re.compile(r"\w+")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = r"(?:[,\s|·•/-]+(?:at\s+)?\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{2,4})?)?"
_DATE_CORE = (rf"(?:{_DAY}{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
              rf"|{_DAY}\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}"
              r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
              r"|\d{1,2}[./]\d{1,2}[./]\d{2,4})")
_DATE_ANY = re.compile(rf"(?<!\w)({_DATE_CORE})", re.I)
_UPDATED_WORD = re.compile(r"\b(updated?|modified|last edited)\b", re.I)
# What is left of a byline when its date is cut off: separators, "Updated", a weekday, an @handle.
_BYLINE_TAIL = re.compile(r"(?:[\s,|·•/-]+|\b(?:updated|published|posted|on)\b|@\w+)+\Z", re.I)
_DATE_ONLY = re.compile(rf"\s*(?:(?:updated|published|posted)\s*:?\s*)?({_DATE_CORE}){_TIME}\W*\Z", re.I)
_DATE_TAIL = re.compile(rf"(.{{2,60}}?)[\s,|·•-]+({_DATE_CORE}){_TIME}\W*\Z", re.I)
# A flattened page glues the year to the time: "Wed, Nov 20 20194:29 AM EST".
_JAMMED_YEAR = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)")
_JAMMED = re.compile(r"[a-z\u00e0-\u024f][A-Z\u00c0-\u00de]")
# The same joins counted from the capital, which the engine finds by a fast scan for the class
# (the two classes are disjoint, so matches of _JAMMED never overlap: one per such capital).
_JAMMED_CAPITAL = re.compile(r"[A-Z\u00c0-\u00de](?<=[a-z\u00e0-\u024f].)")
_DIGIT = re.compile(r"\d")
_ELLIPSIS = re.compile(r"\w\s?(?:\.\.\.|…)\s*\Z")
_BREADCRUMB = re.compile(r"\s+(?:>|»|›|/|→)\s+")
_TERMINAL = re.compile(r"[.!?…:;。！？][\"'”’»)\]]*\Z")
_TERMINAL_MARKS = frozenset(".!?…:;。！？")   # _TERMINAL's two classes, for _terminal()
_CLOSERS = "\"'”’»)]"
_NAME = re.compile(r"[A-Z\u00c0-\u024f][\w'’.-]+(?:\s+(?:[A-Z\u00c0-\u024f][\w'’.-]*|de|van|von|da|al|bin|la|le))"
                   r"{1,3}\Z")
# An embedded post ends in its link ("… https://t.co/x", "… pic.twitter.com/x"); the slash in a
# link is not the "Name / AP" of a photo credit. Lower-case host only: "J.Smith/AP" is a credit.
_URL_TAIL = re.compile(r"(?:https?://\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,6}/\S*)\s*\Z")
# Teaser lines that are a link's label ("Read more") or announce the rest of the article after
# an ad ("Continue reading below"), not the heading of a list of links.
_NOT_LIST_HEAD = re.compile(r"continue reading|read (the )?(full |whole )?(more|story|article)", re.I)
# The sign-off line of an embedded post: "— Jane Doe (@janedoe) November 18, 2019".
_POST_SIGNOFF = re.compile(r"[—–-]+\s*.{1,80}\(@\w{1,30}\)\s*.{0,40}\d{4}\s*\Z")
_DOMAIN = re.compile(r"\b((?:[a-z0-9-]+\.)+(?:com|org|net|info|co\.uk|news|io|de|fr|ru|in|au|ca))\b", re.I)


# Furniture phrases inside a block condemn it only when the block is short enough to be
# furniture; longer blocks are article prose that happens to mention cookies or copyright.
PHRASE_MAX_WORDS = 120
FOOTER_TAIL_WORDS = 12    # the continuation of a "… visit:" footer is an address, not prose
# Captions dropped on zyte-articles (text and HTML paths, 88 pages each) were at most 36 words
# when the gold also left them out; the one 70-word "caption" was a paragraph ending in an
# acronym in brackets. The photo-credit-opening rule already stopped at 60 words.
CAPTION_MAX_WORDS = 60
# Block kinds that are structure the page gave the article itself: a table's " | " rows are not a
# menu and a table is no caption (zyte-articles: a stock-ticker table was dropped as a menu).
_STRUCTURED_KINDS = ("table", "code")


def _norm(text: str) -> str:
    # runs of whitespace (str.isspace(), the same set as \s) become one space; ends stripped
    return " ".join(text.split())


def _terminal(text: str) -> bool:
    """_TERMINAL.search(text) is not None: the marks and the closers are disjoint sets."""
    return text.rstrip(_CLOSERS)[-1:] in _TERMINAL_MARKS


def _nwords(text: str) -> int:
    """len(text.split()) of a _norm'ed text: its words are joined by single spaces."""
    return text.count(" ") + 1 if text else 0


def _line_rule(text: str, low: str, lists: dict | None = None) -> str | None:
    """low: fold(text) (pipeline/prefilter.py); the stripped text is part of it. lists:
    _rules()["group"].lists(low), when the caller has it."""
    bare = text.strip("[]()<>{} ")
    items = _rules()["lines"].candidates(low) if lists is None else lists["lines"]
    for reason, pattern in items:
        if pattern.match(text) or pattern.match(bare):
            return reason
    return None


def _label(text: str, lists: dict | None = None) -> tuple[str, str] | None:
    """lists: _rules()["group"].lists(fold(text)), when the caller has it."""
    items = _rules()["labels"] if lists is None else lists["labels"]
    for signal, pattern in items:
        m = pattern.match(text)
        if m:
            return signal, _norm(m.group("v")).strip(" ,;|-")
    return None


def _is_caption(text: str, following: str | None, low: str | None = None,
                lists: dict | None = None, words: int | None = None) -> bool:
    """low: fold(text), lists: group.lists(low) of a group of _rules() with the caption lists,
    words: len(text.split()), when the caller has them."""
    r = _rules()
    if words is None:
        words = len(text.split())
    if words >= CAPTION_MAX_WORDS or "/" in text and _URL_TAIL.search(text):
        return False
    if lists is None:
        lists = r["group_long"].lists(fold(text) if low is None else low)
    if (any(p.search(text) for p, in lists["caption_end"])
            and not _terminal(text.rstrip(" )"))):
        return True
    if any(p.match(text) for p, in lists["caption_start"]):
        return True
    # A caption printed twice, the second time with its credit ("… newspaper" / "… newspaper / AP").
    return bool(following and following != text and following.startswith(text)
                and _is_caption(following, None))


_HOMES = ("home", "start", "startseite", "accueil", "inicio", "início", "home page", "homepage", "главная")


def _breadcrumb(text: str, low: str | None = None) -> list[str] | None:
    """low: fold(text) when the caller has it."""
    # the first part is one of _HOMES: then fold(text) starts with it too (fold lower-cases one
    # character to one, İ aside, which no word of _HOMES holds, and keeps their letters as they are)
    if not (fold(text) if low is None else low).startswith(_HOMES):
        return None
    parts = _BREADCRUMB.split(text)
    if len(parts) < 3 or parts[0].lower() not in _HOMES:
        return None
    return [p for p in parts[1:-1]]


def _split_tags(text: str) -> list[str]:
    return [t for t in (_norm(p) for p in re.split(r"\s*[,;|]\s*", text)) if t]


class _Collector:
    """Accumulates Signals while blocks are classified."""

    def __init__(self) -> None:
        self.authors: list[str] = []
        self.published: list[tuple[str, str]] = []
        self.updated: list[tuple[str, str]] = []
        self.tags: list[str] = []
        self.domains: list[str] = []
        self.title: str | None = None
        self.subtitle: str | None = None

    def add_label(self, signal: str, value: str) -> None:
        if signal == "author_label":
            # "By Jane Doe, Wednesday, 20 November 2019 08:05 GMT": the byline carries the date
            m = _DATE_ANY.search(value)
            if m:
                self.add_date(value, m)
                value = _BYLINE_TAIL.sub("", value[:m.start()])
            if value:
                self.authors.append(value)
        elif signal in ("label_created", "label_published"):
            value = _JAMMED_YEAR.sub(r"\1 \2", value)
            self.published.append((value, signal))
        elif signal == "label_updated":
            self.updated.append((value, signal))
        else:
            self.tags.extend(_split_tags(value))

    def add_date(self, text: str, m: re.Match) -> None:
        """A date found inside a byline or head line: updated when the line says so before it."""
        if _UPDATED_WORD.search(text[:m.start()]):
            self.updated.append((m.group(1), "label_updated"))
        else:
            self.published.append((m.group(1), "byline_date"))

    def signals(self, base: Signals) -> Signals:
        def uniq(items):
            return tuple(dict.fromkeys(items))
        return replace(
            base,
            title=base.title or self.title,
            subtitle=base.subtitle or self.subtitle,
            authors=uniq((*base.authors, *self.authors)),
            published=uniq((*base.published, *self.published)),
            updated=uniq((*base.updated, *self.updated)),
            tags=uniq((*base.tags, *self.tags)),
            domains=uniq((*base.domains, *self.domains)),
        )


def _classify(blocks: tuple[Block, ...], texts: list[str], sig: _Collector) -> list[str | None]:
    """Per-block rules (all formats): a reason for each block that is boilerplate, else None.
    texts: the blocks' normalised texts."""
    reasons: list[str | None] = []
    for i, text in enumerate(texts):
        following = texts[i + 1] if i + 1 < len(texts) else None
        reason = _block_reason(blocks[i], text, following, sig)
        # "To contact the … and the" / "… visit:" / "site.org/contact": the footer continues.
        prev = texts[i - 1] if i else ""
        if (reason is None and i and reasons[-1] == "footer"
                and _nwords(text) <= FOOTER_TAIL_WORDS
                and (prev.endswith(":") or "contact" in prev.lower() and not _terminal(prev))):
            sig.domains.extend(d.lower() for d in _DOMAIN.findall(text))
            reason = "footer"
        reasons.append(reason)
    return reasons


def _block_reason(block: Block, text: str, following: str | None, sig: _Collector) -> str | None:
    if not text:
        return "empty"
    if block.kind == "meta":
        key, _, value = text.partition(": ")
        if key in ("date", "published", "created"):
            sig.published.append((value, "front_matter"))
        elif key in ("updated", "modified", "lastmod"):
            sig.updated.append((value, "front_matter"))
        elif key in ("author", "authors", "by"):
            sig.authors.append(value)
        elif key in ("tags", "categories", "keywords"):
            sig.tags.extend(_split_tags(value.strip("[]")))
        elif key == "title":
            sig.title = sig.title or value
        return "front_matter"
    low = fold(text)
    crumbs = _breadcrumb(text, low)
    if crumbs is not None:
        for part in crumbs:
            sig.tags.extend(_split_tags(part))
        return "breadcrumb"
    r = _rules()
    lists = None
    if len(text) < 300:
        lists = r["group"].lists(low)
        label = _label(text, lists)
        if label:
            sig.add_label(*label)
            if label[0] == "published_under" or label[0] == "tags_label":
                return "tags"
            return "byline" if label[0] == "author_label" else "date_label"
        reason = None if block.kind in _STRUCTURED_KINDS else _line_rule(text, low, lists)
        if reason:
            if reason == "footer":
                sig.domains.extend(m.lower() for m in _DOMAIN.findall(text))
            return reason
        if _DIGIT.search(text) and _DATE_ONLY.match(text):   # every date holds a digit
            return "date_label"
    words = _nwords(text)
    if words < PHRASE_MAX_WORDS:
        if lists is None:
            lists = r["group_long" if words < CAPTION_MAX_WORDS else "group_phrases"].lists(low)
        for reason, pattern in lists["phrases"]:
            if pattern.search(text):
                return reason
    # (lists come from a group with the caption lists whenever words < CAPTION_MAX_WORDS)
    if block.kind not in _STRUCTURED_KINDS and _is_caption(text, following, low, lists, words):
        return "caption"
    if block.kind == "list_item" and _ellipsis(text):
        return "teaser"  # a truncated story summary in a list is a link to another story
    return None


# Prose score of a block for the main-region search (Finn et al.'s body-text extraction over
# blocks instead of tokens): article paragraphs add their word count, everything else costs.
# Tuned on zyte-articles text/ (88 pages; body F1 0.947, P 0.948, R 0.946; even/odd halves
# 0.929/0.965). NON_PROSE_COST 5/6/10/12 gave 0.931/0.936/0.940/0.929 there, RUN_GROWTH
# 0/0.2/0.3/0.5 gave 0.936/0.940/0.929/0.926 (all before the last lexicon additions).
# With the announced-list, embedded-post, teaser-list, author-box and standfirst rules below the
# same pages give F1 0.971 (P 0.969, R 0.974; even/odd 0.959/0.983).
PROSE_MIN_WORDS = 12      # a sentence-ended block this long is prose
LONG_WORDS = 25           # a block this long is prose even without final punctuation
NON_PROSE_COST = 8.0      # cost of one short / unpunctuated block
SHORT_SENTENCE_WORDS = 5  # a short sentence ("…," Boudreau said.) neither adds nor costs
PIPES_NAV = 3             # "A | B | C | D": a menu flattened into one line
PIPE_ITEM_WORDS = 6       # ... whose items average at most this many words (a long sentence with
                          # a few pipes is prose; 4/6/10 all gave 0.9635 on zyte text/)
JAMMED_MIN = 3            # link labels glued together ("ConnectWiseHP TonerRSA"): 3 joins ...
JAMMED_SHARE = 0.1        # ... and at least one per ten words
LONG_CAPITAL_SHARE = 0.5  # an unpunctuated long line mostly In Title Case is a menu
RUN_GROWTH = 0.1          # each further furniture block in a run costs this much more (0.941)
RUN_CAP = 5               # ... up to this many blocks: after a 100-line menu the first odd line of
                          # the article costs 1.5x, not 11x. zyte text/ even/odd F1: uncapped
                          # 0.9510/0.9761, cap 3-5 0.9510/0.9772, cap 6+ as uncapped.
META_COST = 1.0           # byline, date and caption lines inside an article barely interrupt it
# A sentence ending in ":" announces what follows ("… the offers not to miss:", "… after 36
# races:"); the short lines after it (list items, table rows) are article until the next prose
# block or boilerplate line. zyte text/ even/odd F1 0.9306/0.9650 -> 0.9498/0.9721; intro length
# 5 or 8 and item score 0.5-2 gave the same figures (0 left a table-only page at F1 0).
LISTING_INTRO_WORDS = 5   # words in the announcing sentence
LISTING_SCORE = 1.0       # each announced item adds a little, so a long table can outweigh a sidebar
TEASER_HEAD_WORDS = 4     # "Related articles", "More:", "Don't miss": a heading, not a sentence
TEASER_LIST_MAX = 12      # headlines under one such heading
DEK_WINDOW = 3            # a byline this close to the region start ends the head (_after_byline);
                          # zyte text/ even/odd 0.9573/0.9819 -> 0.9594/0.9834, same for 2-8
HEAD_DATE_WORDS = 25      # a head line longer than this is a standfirst, not a dateline
DATED_LINE_WORDS = 12     # a head line this short with a full date in it is a dateline
HEAD_WINDOW = 8           # blocks before the region searched for byline and dateline (the headline:
                          # pipeline/headline.py)
SUBTITLE_MIN_WORDS = 4    # the line under the headline is its standfirst when at least this long
END_MIN_SHARE = 0.4       # an end marker cuts the region only after this share of its prose
END_MIN_WORDS = 80        # ... or after this many words of prose (long comment threads)


def _prose_score(block: Block, text: str, reason: str | None) -> float:
    """Positive for article prose (its word count), negative for furniture. text: _norm'ed."""
    if reason in ("byline", "date_label", "caption", "empty"):
        return -META_COST
    if reason:
        return -NON_PROSE_COST
    words = _nwords(text)
    if "(@" in text and _POST_SIGNOFF.match(text):
        return float(words)  # an embedded post is something the article quotes
    pipes = text.count("|")
    if _ellipsis(text) or pipes >= PIPES_NAV and words <= PIPE_ITEM_WORDS * (pipes + 1):
        return -NON_PROSE_COST
    if len(_JAMMED_CAPITAL.findall(text)) >= max(JAMMED_MIN, words * JAMMED_SHARE):
        return -NON_PROSE_COST  # "Share to LinkedInLinkedInShare to Facebook": link labels run together
    terminal = _terminal(_strip_links(text))
    if words >= PROSE_MIN_WORDS and terminal:
        return float(words)
    if words >= LONG_WORDS and _capital_share(text) < LONG_CAPITAL_SHARE:
        return words * 0.6
    if terminal and words >= SHORT_SENTENCE_WORDS:
        return 0.0
    return -NON_PROSE_COST


def _strip_links(text: str) -> str:
    """The text before the links an embedded post ends with ("… ourselves? pic.twitter.com/x")."""
    for _ in range(3):
        if "/" not in text:   # every _URL_TAIL match holds a slash
            return text.rstrip()
        text = _URL_TAIL.sub("", text).rstrip()
    return text


def _ellipsis(text: str) -> bool:
    """_ELLIPSIS.search(text), skipped when the text holds no ellipsis at all."""
    return ("..." in text or "…" in text) and _ELLIPSIS.search(text) is not None


def _capital_share(text: str) -> float:
    tokens = [t for t in _WORD.findall(text) if not t.isdigit()]
    return sum(1 for t in tokens if t[0].isupper()) / len(tokens) if tokens else 1.0


def _region_scores(blocks, texts, reasons) -> list[float]:
    """Prose scores where the k-th block of a run of furniture costs more than the first:
    one subheading or ad line inside an article is cheap, a menu or a teaser list is not."""
    scores, run, listing = [], 0, False
    for b, t, r in zip(blocks, texts, reasons):
        s = _prose_score(b, t, r)
        intro = r is None and t.endswith(":") and _nwords(t) >= LISTING_INTRO_WORDS and s >= 0
        if s <= 0 and listing and r is None and not intro:
            # the items a sentence announced ("… the offers not to miss:"): a list or a table
            s = LISTING_SCORE
        elif s < 0:
            listing = False
            s *= 1 + RUN_GROWTH * min(run, RUN_CAP)
            run += 1
        else:
            listing = intro
            run = 0 if s > 0 else run + 1
        scores.append(s)
    return scores


def _best_span(scores: list[float]) -> tuple[int, int]:
    """Maximum-sum contiguous span [start, end) (Kadane); (0, 0) when nothing scores."""
    best, best_span = 0.0, (0, 0)
    run, run_start = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_start = 0.0, i
        run += s
        if run > best:
            best, best_span = run, (run_start, i + 1)
    return best_span


# Reasons whose block ends the article like an end marker does: the one-line writer's bio
# ("Jane Doe is a freelance writer …") closes the story; teasers and comments follow it.
END_REASONS = ("author_bio",)


def _after_byline(reasons, start: int, end: int) -> int:
    """A byline or dateline just inside the region closes the page's head: what stands before it
    is the headline and standfirst, not body (zyte text/: 10 of 10 such blocks were not gold)."""
    for i in range(start + 1, min(start + DEK_WINDOW + 1, end)):
        if reasons[i] in ("byline", "date_label"):
            return i
    return start


def _teaser_lists(blocks, texts, reasons) -> None:
    """The headlines under a "Related articles" / "More:" / "Don't miss" line are links to other
    stories, even inside the article where they cost too little to break the region."""
    i = 0
    while i < len(blocks):
        if (reasons[i] == "teaser" and _nwords(texts[i]) <= TEASER_HEAD_WORDS
                and not _NOT_LIST_HEAD.match(texts[i])):
            j = i + 1
            while (j < len(blocks) and j - i <= TEASER_LIST_MAX and reasons[j] is None
                   and _prose_score(blocks[j], texts[j], None) <= 0
                   and (j + 1 == len(blocks) or reasons[j + 1] not in ("byline", "date_label"))):
                reasons[j] = "teaser"
                j += 1
            i = j
        else:
            i += 1


def _cut_at_end_marker(texts: list[str], scores: list[float], reasons: list[str | None],
                       start: int, end: int) -> int:
    total = sum(s for s in scores[start:end] if s > 0)
    seen = 0.0
    for i in range(start, end):
        bare = texts[i].strip(" []()<>{}|·•-–—")
        if ((seen >= END_MIN_SHARE * total or seen >= END_MIN_WORDS)
                and (reasons[i] in END_REASONS or _rules()["end_any"].match(bare))):
            return i
        seen += max(scores[i], 0.0)
    return end


def _head(blocks, texts, reasons, start: int, sig: _Collector) -> None:
    """Title, subtitle, byline and dateline from the blocks just before the main region."""
    lo = max(0, start - HEAD_WINDOW)
    for i in range(lo, start):
        near_date = any(reasons[j] == "date_label" for j in (i - 1, i + 1) if lo <= j < start)
        if reasons[i] is None and near_date and _NAME.fullmatch(texts[i]):
            sig.authors.append(texts[i])
            reasons[i] = "byline"
        elif reasons[i] is None:
            m = _DATE_TAIL.match(texts[i])
            if m and _NAME.fullmatch(m.group(1).strip()):
                sig.authors.append(m.group(1).strip())
                sig.published.append((m.group(2), "byline_date"))
                reasons[i] = "byline"
    from pipeline.headline import datey, pick_title  # it reads this module's patterns
    title_i = pick_title(blocks, texts, reasons, start)
    if title_i is None:
        _head_date(blocks, texts, reasons, lo, start, sig)
        return
    sig.title = sig.title or texts[title_i]
    reasons[title_i] = "title"
    nxt = title_i + 1
    if (nxt < start and reasons[nxt] is None and SUBTITLE_MIN_WORDS <= len(texts[nxt].split()) <= 60
            and not datey(texts[nxt]) and not _NAME.fullmatch(texts[nxt])
            and not (len(texts[nxt].split()) <= DATED_LINE_WORDS and _DATE_ANY.search(texts[nxt]))):
        sig.subtitle = texts[nxt]
        reasons[nxt] = "subtitle"
    for i in range(title_i + 1, start):
        if reasons[i] == "date_label" and _DATE_ONLY.match(texts[i]):
            sig.published.append((_DATE_ONLY.match(texts[i]).group(1), "dateline"))
            return
    _head_date(blocks, texts, reasons, lo, start, sig)


def _head_date(blocks, texts, reasons, lo: int, start: int, sig: _Collector) -> None:
    """The first short line of the head that holds a date ("Monday November 18, 2019 7:45 am PST
    by Joe Rossignol", "Reuters November 18, 2019"), when no label or bare dateline gave one."""
    if sig.published:
        return
    for i in range(lo, min(start + 2, len(texts))):
        if (reasons[i] in (None, "date_label", "byline", "caption")
                and len(texts[i].split()) <= HEAD_DATE_WORDS and not _POST_SIGNOFF.match(texts[i])):
            m = _DATE_ANY.search(texts[i])
            if m:
                sig.add_date(texts[i], m)
                return


def _repair(kept: list[Block]) -> list[Block]:
    """Join a paragraph the page split mid-sentence ("…senior officials" / "in Seoul on …")."""
    out: list[Block] = []
    for b in kept:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == b.kind == "paragraph" and b.text[:1].islower()
                and not _terminal(prev.text) and len(prev.text.split()) >= 6):
            out[-1] = Block(prev.kind, prev.text.rstrip() + " " + b.text.lstrip(), prev.level, prev.line)
        else:
            out.append(b)
    return out


def clean(doc: Document) -> Document:
    """Keep the article body blocks of a Document; drop the rest with reasons; fill Signals."""
    blocks = doc.blocks
    sig = _Collector()
    texts = [_norm(b.text) for b in blocks]
    reasons = _classify(blocks, texts, sig)
    if doc.raw.format == "html":
        # trafilatura already found the main region: only per-block rules apply.
        kept = [b for b, r in zip(blocks, reasons) if r is None]
        dropped = tuple((b, r) for b, r in zip(blocks, reasons) if r is not None)
        return replace(doc, blocks=tuple(kept), dropped=(*doc.dropped, *dropped),
                       signals=sig.signals(doc.signals))
    _teaser_lists(blocks, texts, reasons)
    scores = _region_scores(blocks, texts, reasons)
    start, end = _best_span(scores)
    start = _after_byline(reasons, start, end)
    end = _cut_at_end_marker(texts, scores, reasons, start, end)
    _head(blocks, texts, reasons, start, sig)
    kept, dropped = [], []
    for i, (b, r) in enumerate(zip(blocks, reasons)):
        if r is None and not start <= i < end:
            r = "outside_main_region"
        if r is None:
            # Block(...) is replace(b, text=...) without its per-call field introspection
            kept.append(Block(b.kind, texts[i], b.level, b.line) if b.kind != "code" else b)
        else:
            dropped.append((b, r))
    return replace(doc, blocks=tuple(_repair(kept)), dropped=(*doc.dropped, *dropped),
                   signals=sig.signals(doc.signals))
