"""Quote spans: pair opening and closing marks in a body, paragraph by paragraph, in one pass."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

# `` and '' first so that they win over the single-character marks.
_MARK_RE = re.compile(r"``|''|[\"'“”‘’«»„]")
_PARA_RE = re.compile(r"\n\n")
_OPEN_AFTER = set(" \t\n([{—–-/:;,")  # a mark after these (or at the start) can open


@dataclass(frozen=True)
class Span:
    """One outermost quotation: its marks and the text between them (whitespace-trimmed)."""

    open_start: int        # position of the opening mark
    start: int             # first character of the quoted text
    end: int               # end (exclusive) of the quoted text
    close_end: int         # end of the closing mark (== end of paragraph text when unclosed)
    paragraph: int
    closed: bool           # False for a paragraph of a quote that runs on into the next paragraph
    continues: bool        # True when this paragraph continues a quote opened in an earlier one


def paragraph_starts(body: str) -> list[int]:
    return [0] + [m.end() for m in _PARA_RE.finditer(body)]


def paragraph_of(starts: list[int], pos: int) -> int:
    return bisect_right(starts, pos) - 1


def _roles(body: str, i: int, mark: str) -> tuple[str, bool, bool]:
    """(family, can_open, can_close) of the mark at i; family '' means not a quote mark."""
    prev = body[i - 1] if i > 0 else " "
    nxt_i = i + len(mark)
    nxt = body[nxt_i] if nxt_i < len(body) else " "
    space_before = prev in _OPEN_AFTER or prev in "“‘«\"'"
    space_after = nxt.isspace() or nxt in ".,;:!?)]}—–-…" or nxt in "”’»\"'"
    if mark in ("“", "„"):
        return "D", True, False
    if mark == "``":
        return "D", True, False
    if mark in ("”", "''"):
        # a reversed curly mark before a word is used as an opener by some sites
        return "D", space_before and not space_after, not space_before or space_after
    if mark == '"':
        if space_before and nxt.isspace():
            return "D", True, True          # ' " You guys': a loose mark, closes if a quote is open
        return "D", space_before, not space_before or space_after
    if mark == "«":
        return "G", True, False
    if mark == "»":
        return "G", False, True
    if mark == "‘":
        return "S", True, False
    # ’ and ': an apostrophe inside a word (don't, Korea's) is never a quote mark
    if prev.isalnum() and nxt.isalnum():
        return "", False, False
    if mark == "’" and space_before and nxt.isalnum():
        return "", False, False          # ’90s, ’em: elided letters
    return "S", space_before and nxt.isalnum(), not space_before


def _pair(body: str, lo: int, hi: int):
    """Yield (open_i, open_len, close_i, close_len) for outermost pairs in body[lo:hi], and the
    outermost unclosed opener (or None) last."""
    stack: list[tuple[str, int, int]] = []   # (family, index, length)
    pairs = []
    for m in _MARK_RE.finditer(body, lo, hi):
        mark = m.group()
        fam, can_open, can_close = _roles(body, m.start(), mark)
        if not fam:
            continue
        if can_close and stack:
            depth = next((k for k in range(len(stack) - 1, -1, -1) if stack[k][0] == fam), None)
            if depth is None and fam == "D" and not any(s[0] == "D" for s in stack) and stack[0][0] == "S" \
                    and body[stack[0][1]] == "'":
                depth = 0                    # 'text," : a straight single opener closed by a double mark
            if depth is not None:
                f, oi, ol = stack[depth]
                del stack[depth:]
                if not stack:
                    pairs.append((oi, ol, m.start(), len(mark)))
                continue
        if can_open:
            stack.append((fam, m.start(), len(mark)))
    return pairs, (stack[0] if stack else None)


def _trim(body: str, a: int, b: int) -> tuple[int, int]:
    while a < b and body[a].isspace():
        a += 1
    while b > a and body[b - 1].isspace():
        b -= 1
    return a, b


def find_spans(body: str) -> list[Span]:
    """Outermost quotations of body; nested quotes stay inside their outer quote's text."""
    starts = paragraph_starts(body)
    bounds = [(s, (starts[k + 1] - 2) if k + 1 < len(starts) else len(body)) for k, s in enumerate(starts)]
    spans: list[Span] = []
    carried = False       # the previous paragraph ended inside an open quote
    for k, (lo, hi) in enumerate(bounds):
        pairs, unclosed = _pair(body, lo, hi)
        was_carried, carried = carried, False
        first = _first_mark(body, lo)
        for oi, ol, ci, cl in pairs:
            a, b = _trim(body, oi + ol, ci)
            if a < b:
                spans.append(Span(oi, a, b, ci + cl, k, True, was_carried and oi == first))
        if unclosed is not None:
            fam, oi, ol = unclosed
            nxt_mark = _first_mark(body, bounds[k + 1][0]) if k + 1 < len(bounds) else None
            if nxt_mark is not None and nxt_mark == bounds[k + 1][0] and _roles(body, nxt_mark, body[nxt_mark])[1] \
                    and _roles(body, nxt_mark, body[nxt_mark])[0] == fam:
                a, b = _trim(body, oi + ol, hi)
                if a < b:
                    spans.append(Span(oi, a, b, hi, k, False, was_carried and oi == first))
                carried = True
            else:
                # otherwise a stray mark: ignored, it never swallows the rest of the article nor hides the
                # quotations it would enclose ('called “Glasgow (“No Place Like Home”). “It grabbed me,” he
                # said.'): the rest of the paragraph is paired again after it
                spans.extend(_after_stray(body, oi + ol, hi, k))
    return spans


def _after_stray(body: str, lo: int, hi: int, k: int) -> list[Span]:
    """The closed quotations of body[lo:hi] (a paragraph after a stray opening mark), skipping further strays."""
    out: list[Span] = []
    while lo < hi:
        pairs, unclosed = _pair(body, lo, hi)
        for oi, ol, ci, cl in pairs:
            a, b = _trim(body, oi + ol, ci)
            if a < b:
                out.append(Span(oi, a, b, ci + cl, k, True, False))
        if unclosed is None:
            break
        lo = unclosed[1] + unclosed[2]
    return out


def _first_mark(body: str, pos: int) -> int | None:
    while pos < len(body) and body[pos] in " \t":
        pos += 1
    if pos < len(body) and body[pos] in "\"'“‘«„`":
        return pos
    return None
