"""Plain-text and Markdown dumps to Blocks: our own line-oriented block parser."""

from __future__ import annotations

import html
import re

from pipeline.model import Block, Document, RawDocument, StageError, Reason

# Plain text: a bullet character opens a list item. "-" and "*" count only with a following
# space so that "-5 degrees" or "*nix" stay paragraphs; dashes are left out because Russian
# and Portuguese dialogue lines open with them.
_TXT_BULLET = re.compile(r"^(\s*)(?:[•◦▪▫●○■□‣⁃∙·]|[-*+](?=\s))\s*")
_MD_BULLET = re.compile(r"^(\s*)(?:[-*+•]|\d{1,3}[.)])\s+")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_QUOTE = re.compile(r"^ {0,3}((?:>\s?)+)")
_REF_DEF = re.compile(r"^ {0,3}\[[^\]]+\]:\s+\S+")
_FRONT_KEY = re.compile(r"^([A-Za-z][\w -]*):\s*(.*)$")

# Inline Markdown, applied in this order (images before links: "![alt](src)" is a link too).
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
_CODE = re.compile(r"`+([^`]+?)`+")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM_STAR = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
_SPACES = re.compile(r"[ \t\u00a0\u2009\u200a\u202f]+")
# What _SPACES.sub(" ", ...) would change: a run of _SPACES other than one plain space, that is
# two spaces, a tab or one of these (outside ASCII).
_ODD_SPACE = re.compile(r"[\u00a0\u2009\u200a\u202f]")


# Hard-wrap detection: at least 8 non-blank lines, and a line at least 60 % of the wrap width
# was wrapped (shorter lines end a paragraph: headings, bylines, a paragraph's last line).
# Tuned on the hard-wrapped sample raw/samples/09; the zyte text dumps (one paragraph per line,
# 95th-percentile line length far above 100) are never taken as wrapped, so their F1 is unchanged.
_WRAP_MIN_LINES = 8
_WRAP_FULL = 0.6


def parse_text(raw: RawDocument) -> Document:
    """Split a "txt" or "md" RawDocument into Blocks; the cleaner decides what is article."""
    if raw.format == "md" or raw.format == "txt" and looks_like_markdown(raw.text):
        blocks = _markdown_blocks(raw.text)
    elif raw.format == "txt":
        blocks = _text_blocks(raw.text)
    else:
        raise StageError(Reason.UNSUPPORTED, f"parse_text cannot read format {raw.format!r}")
    return Document(raw=raw, blocks=tuple(blocks))


# Each sign with strings every match of it holds: a text without them is not scanned for it.
_MD_SIGNS = (
    (re.compile(r"^ {0,3}#{1,6} \S", re.M), ("# ",)),                 # ATX heading
    (re.compile(r"(?<!!)\[[^\]\n]+\]\((?:https?://|/|#)[^)\s]*\)"), ("](",)),  # inline link
    (re.compile(r"(?<![\w*])\*\*(?=\S)[^*\n]+?(?<=\S)\*\*(?![\w*])"), ("**",)),   # strong emphasis
    (re.compile(r"^ {0,3}(?:```|~~~)", re.M), ("```", "~~~")),            # code fence
)


def looks_like_markdown(text: str) -> bool:
    """A ".txt" dump written in Markdown: two kinds of Markdown syntax, or three headings/links."""
    head = text[:200_000]
    hits = [len(p.findall(head)) if any(g in head for g in needs) else 0 for p, needs in _MD_SIGNS]
    return sum(1 for h in hits if h) >= 2 or hits[0] + hits[1] >= 3


def _tidy(text: str) -> str:
    text = html.unescape(text)
    # most lines have single spaces only, which the substitution would rewrite one by one
    odd = "  " in text or "\t" in text or not text.isascii() and _ODD_SPACE.search(text)
    return (_SPACES.sub(" ", text) if odd else text).strip()


def _indent_level(indent: str) -> int:
    return len(indent.expandtabs(4)) // 2


def wrap_width(lines: list[str]) -> int | None:
    """The column a hard-wrapped dump was wrapped at (e-mail, wire and terminal copies), or None.

    Copying a web page keeps one paragraph per line, so its long lines run to hundreds of
    characters; a wrapped text has most of its lines ending just short of one width (<= 100).
    """
    lengths = sorted(len(line.rstrip()) for line in lines if line.strip())
    if len(lengths) < _WRAP_MIN_LINES:
        return None
    width = lengths[int(len(lengths) * 0.95) - 1]
    if not 40 <= width <= 100:
        return None
    near = sum(1 for n in lengths if width * 0.75 <= n <= width)
    return width if near >= 0.5 * len(lengths) else None


def _text_blocks(text: str) -> list[Block]:
    """A dump of a page: every non-blank line is a block (copying a page keeps one per line),
    except in a hard-wrapped text, where a wrapped line continues on the next one."""
    lines = text.splitlines()
    width = wrap_width(lines)
    blocks: list[Block] = []
    previous = ""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            previous = ""
            continue
        bullet = _TXT_BULLET.match(line)
        if bullet and line[bullet.end():].strip():
            blocks.append(Block("list_item", _tidy(line[bullet.end():]),
                                _indent_level(bullet.group(1)), number))
        elif width and blocks and blocks[-1].kind == "paragraph" and len(previous.rstrip()) >= width * _WRAP_FULL:
            last = blocks[-1]
            blocks[-1] = Block("paragraph", f"{last.text} {_tidy(line)}", 0, last.line)
        else:
            blocks.append(Block("paragraph", _tidy(line), 0, number))
        previous = line
    return blocks


def inline_markdown(text: str) -> str:
    """Markdown inline markup to plain text: link text stays, images and emphasis marks go."""
    # each substitution only where its markup character is present (most text has none)
    if "![" in text:
        text = _IMAGE.sub("", text)
    if "[" in text:
        text = _LINK.sub(r"\1", text)
        text = _REF_LINK.sub(r"\1", text)
    if "<" in text:
        text = _AUTOLINK.sub(r"\1", text)
    if "`" in text:
        text = _CODE.sub(r"\1", text)
    if "*" in text or "_" in text:
        for _ in range(2):  # "***x***" is strong inside emphasis
            text = _STRONG.sub(r"\2", text)
        text = _EM_STAR.sub(r"\1", text)
        text = _EM_UNDER.sub(r"\1", text)
    if "~~" in text:
        text = _STRIKE.sub(r"\1", text)
    if "<" in text:
        text = _TAG.sub("", text)
    if "\\" in text:
        text = _ESCAPE.sub(r"\1", text)
    return _tidy(text)


def _hard_break(line: str) -> bool:
    return line.endswith("  ") or line.rstrip(" ").endswith("\\") and not line.endswith("\\\\")


def _markdown_blocks(text: str) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    para: list[tuple[int, str]] = []   # (line number, raw line) of the open paragraph
    para_kind, para_level = "paragraph", 0

    def flush() -> None:
        # A hard break ends a block of its own: "Name  \n21 March 2013" is a byline and a date.
        nonlocal para
        start, parts = None, []
        for number, line in para:
            if start is None:
                start = number
            parts.append(line.strip().rstrip("\\").strip())
            if _hard_break(line):
                _emit(blocks, para_kind, " ".join(parts), para_level, start)
                start, parts = None, []
        if parts:
            _emit(blocks, para_kind, " ".join(parts), para_level, start)
        para = []

    i = _front_matter(lines, blocks)
    while i < len(lines):
        line, number = lines[i], i + 1
        i += 1
        if not line.strip():
            flush()
            continue
        fence = _FENCE.match(line)
        if fence:
            flush()
            code, start = [], number
            while i < len(lines) and not lines[i].strip().startswith(fence.group(1)):
                code.append(lines[i])
                i += 1
            i += 1
            if any(c.strip() for c in code):
                blocks.append(Block("code", "\n".join(code).strip("\n"), 0, start))
            continue
        if para and para_kind == "paragraph" and _SETEXT.match(line) and len(para) >= 1:
            heading = " ".join(p.strip() for _, p in para)
            start = para[0][0]
            para = []
            _emit(blocks, "heading", heading, 1 if line.strip()[0] == "=" else 2, start)
            continue
        if _RULE.match(line) or _REF_DEF.match(line):
            flush()
            continue
        atx = _ATX.match(line)
        if atx:
            flush()
            _emit(blocks, "heading", atx.group(2) or "", len(atx.group(1)), number)
            continue
        quote = _QUOTE.match(line)
        if quote:
            if para and para_kind != "quote":
                flush()
            para_kind, para_level = "quote", quote.group(1).count(">")
            para.append((number, line[quote.end():]))
            continue
        bullet = _MD_BULLET.match(line)
        if bullet and line[bullet.end():].strip():
            flush()
            para_kind, para_level = "list_item", _indent_level(bullet.group(1))
            para.append((number, line[bullet.end():]))
            continue
        if not para:
            para_kind, para_level = "paragraph", 0
        para.append((number, line))
    flush()
    return blocks


def _emit(blocks: list[Block], kind: str, text: str, level: int, line: int | None) -> None:
    text = inline_markdown(text)
    if text:
        blocks.append(Block(kind, text, level, -1 if line is None else line))


def _front_matter(lines: list[str], blocks: list[Block]) -> int:
    """YAML front matter ("---" ... "---" at the top) becomes "meta" blocks "key: value"."""
    if not lines or lines[0].strip() != "---":
        return 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            break
    else:
        return 0
    found = [(n, _FRONT_KEY.match(lines[n])) for n in range(1, end)]
    if not found or not all(m for n, m in found if lines[n].strip()):
        return 0
    for n, m in found:
        if m and m.group(2).strip():
            value = m.group(2).strip().strip("\"'")
            blocks.append(Block("meta", f"{m.group(1).strip().lower()}: {value}", 0, n + 1))
    return end + 1
