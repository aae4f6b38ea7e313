"""Bytes to text: size and binary checks, encoding detection, mojibake repair, format sniffing."""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import re
import unicodedata
from functools import lru_cache
from re import _constants as _sre  # the regex parser's opcodes, to read ftfy's badness regex
from re import _parser

import ftfy
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS, LIGATURES, WIDTH_MAP

from pipeline.model import Reason, RawDocument, Source, StageError

# Magic numbers of binary formats that people save under a text name by mistake.
_MAGIC = {
    b"%PDF": "PDF document",
    b"\x89PNG": "PNG image",
    b"PK\x03\x04": "zip archive (or docx/xlsx)",
    b"GIF8": "GIF image",
    b"\xff\xd8\xff": "JPEG image",
    b"\x1f\x8b": "gzip archive",
    b"\x7fELF": "executable",
    b"BZh": "bzip2 archive",
    b"\xd0\xcf\x11\xe0": "MS Office document",
}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_HTML_START = re.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])", re.I | re.S)
# Control characters other than tab/newline/CR are never text; NUL is the common one.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Stored text is plain text (README, "What happens to bad input"): besides controls, the invisible
# characters that only serve to hide or reorder text go: zero-width space, word joiner, a BOM inside
# the text, and the bidi embeddings, overrides and isolates (the "Trojan Source" reordering trick).
# Joiners (ZWJ/ZWNJ), LRM/RLM and the soft hyphen stay: Persian, Indic scripts, emoji and RTL text
# need them. C1 controls left after ftfy (it maps the cp1252 ones to their characters) go too.
_INVISIBLE = "\u200b\u2060\ufeff\u202a-\u202e\u2066-\u2069"
_STRIP = re.compile(f"[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f{_INVISIBLE}]")
# A numeric character reference to one of those characters ("&#1;", "&#x202E;") would bring it back
# when the page is parsed; lxml keeps "&#1;" as U+0001 and trafilatura then finds no text at all.
_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")
# Share of control bytes above which a file with no BOM is taken as binary. Text saved by editors
# has none; 1 % leaves room for a few stray NULs in text that is not valid UTF-8, while valid
# UTF-8 is text unless controls dominate (30 %; random bytes have ~10 % but are never valid UTF-8).
_BINARY_CONTROL_SHARE = 0.01
_UTF8_CONTROL_SHARE = 0.30
# The bytes counted as controls by _looks_binary: 0-8, 14-26 and 28-31 (ESC is common in logs).
_CONTROL_BYTES = bytes(b for b in range(32) if b < 9 or 13 < b < 32 and b != 27)
# ftfy's settings (see decode). fix_text repairs each line on its own (a segment ends after "\n",
# or after max_decode_length characters); _fix_text does the same, and leaves alone the segments
# that ftfy would return unchanged (_inert).
_FTFY = ftfy.TextFixerConfig(unescape_html=False, uncurl_quotes=False, normalization="NFC", explain=False)


def _decode(data: bytes, fmt: str) -> tuple[str, str]:
    """(text, encoding) trying BOMs, UTF-8, the page's declared charset, then Windows-1252."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32")):
        if data.startswith(bom) and not (bom == codecs.BOM_UTF16_LE and data.startswith(codecs.BOM_UTF32_LE)):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if fmt == "html":
        match = _META_CHARSET.search(data[:4096])
        if match:
            name = match.group(1).decode("ascii", "ignore")
            try:
                return data.decode(name), codecs.lookup(name).name
            except (LookupError, UnicodeDecodeError):
                pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte, so this cannot fail.
        return data.decode("latin-1"), "latin-1"


def _drop_char_ref(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    if code < 0x110000 and _STRIP.fullmatch(chr(code)) and not 0x80 <= code <= 0x9F:
        return ""
    return match.group(0)  # C1 references are cp1252 characters in HTML; the parsers map them


def plain_text(text: str) -> str:
    """Text without control characters (tab and newline excepted), hiding/reordering characters,
    or character references to them."""
    if "&#" in text:   # every _CHAR_REF match starts so
        text = _CHAR_REF.sub(_drop_char_ref, text)
    return _STRIP.sub("", text)


def _looks_binary(data: bytes) -> str | None:
    for magic, kind in _MAGIC.items():
        if data.startswith(magic):
            return kind
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return None
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    try:
        sample.decode("utf-8")
        limit = _UTF8_CONTROL_SHARE
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample's end is still UTF-8
        limit = _UTF8_CONTROL_SHARE if exc.start >= len(sample) - 3 else _BINARY_CONTROL_SHARE
    if sample and controls / len(sample) > limit:
        return "binary data (control bytes)"
    return None


def _regex_chars(op, av) -> set[int] | None:
    """The code points one element of a parsed regex matches, when it is a literal or a plain set."""
    if op is _sre.LITERAL:
        return {av}
    if op is _sre.IN:
        out: set[int] = set()
        for iop, iav in av:
            if iop is _sre.LITERAL:
                out.add(iav)
            elif iop is _sre.RANGE:
                out.update(range(iav[0], iav[1] + 1))
            else:
                return None
        return out
    return None


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern | None:
    """Characters without which ftfy (with _FTFY) returns a segment unchanged, unless it is not NFC.

    ftfy's steps: the mojibake repair runs only when its badness regex matches; the other fixes
    replace C1 controls, ligatures, full-width forms, line/paragraph separators (CR is gone before
    ftfy), surrogates, ESC sequences and ftfy's control characters (ESC and the ASCII ones are gone
    too), then NFC. Every branch of the badness regex needs one character from a literal or a set
    of its own (checked here: otherwise None, and every non-ASCII segment goes to ftfy); from each
    branch the set least common in clean text is taken, so that curly quotes, dashes, bullets, ©
    and no-break spaces alone never send a line to ftfy.
    """
    tree = _parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    branches = tree[0][1][1] if len(tree) == 1 and tree[0][0] is _sre.BRANCH else [list(tree)]
    common = set(map(ord, "’‘“”„–—…•·\xa0«»©°é"))
    chars: set[int] = set(range(0x80, 0xA0)) | set(range(0xD800, 0xE000))
    for branch in branches:
        sets = [c for op, av in branch if (c := _regex_chars(op, av))]
        if not sets:
            return None
        chars |= min(sets, key=lambda c: (sum(x < 128 for x in c), len(c & common), len(c)))
    chars |= {*LIGATURES, *WIDTH_MAP, *CONTROL_CHARS, 0x2028, 0x2029, 0x85, 0x1B, 0x0D}
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(chars)) + "]")


def _inert(segment: str) -> bool:
    """True when ftfy.fix_and_explain(segment, _FTFY) would return it unchanged (see _trigger)."""
    if segment.isascii():
        return True      # ASCII controls, ESC and CR are removed before ftfy; NFC keeps ASCII
    trigger = _trigger()
    return trigger is not None and not trigger.search(segment) and unicodedata.is_normalized("NFC", segment)


def _fix_text(text: str) -> str:
    """ftfy.fix_text(text, _FTFY), calling ftfy only on the segments it could change."""
    if text.isascii():
        return text
    out, pos, end, limit = [], 0, len(text), _FTFY.max_decode_length
    # Whole text at once: with no line over the limit the segments end after "\n", which composes
    # with nothing, so the text is NFC exactly when each segment is; without a trigger character
    # anywhere every segment is inert.
    trigger = _trigger()
    if end <= limit and trigger is not None and not trigger.search(text) and unicodedata.is_normalized("NFC", text):
        return text
    while pos < end:
        cut = text.find("\n", pos) + 1 or end
        if cut - pos > limit:
            cut = pos + limit
        segment = text[pos:cut]
        out.append(segment if _inert(segment) else ftfy.fix_and_explain(segment, _FTFY).text)
        pos = cut
    return "".join(out)


@lru_cache(maxsize=1)
def _touchable() -> re.Pattern | None:
    """Characters that _CONTROL, _STRIP or ftfy (see _trigger) act on; None when ftfy has no trigger."""
    trigger = _trigger()
    if trigger is None:
        return None
    return re.compile(trigger.pattern[:-1] + _STRIP.pattern[1:-1] + "]")


def _untouched(text: str) -> bool:
    """True when _CONTROL.sub, _fix_text and _STRIP.sub would all return text unchanged: one scan
    of the text instead of three (read() on the bench corpus, 2,000 files: 0.155 -> 0.094 ms a
    file). Past max_decode_length ftfy cuts lines: then the long way."""
    touchable = _touchable()
    return (len(text) <= _FTFY.max_decode_length and touchable is not None and not touchable.search(text)
            and (text.isascii() or unicodedata.is_normalized("NFC", text)))


def _normalise(text: str) -> str:
    """Decoded text as stored: LF line ends, no control characters, mojibake repaired, no
    hiding/reordering characters. The same as _normalise_reference (tests/test_reading.py checks)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _untouched(text):
        # nothing for _CONTROL, ftfy or _STRIP to change: only character references can go
        return _CHAR_REF.sub(_drop_char_ref, text) if "&#" in text else text
    return _normalise_reference(text)


def _normalise_reference(text: str) -> str:
    """_normalise step by step: three passes over the text."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    # Repairs mojibake ("Ã©" -> "é", "â€™" -> "’") without touching correct text; curly quotes are
    # data for the quote extractor, so they stay curly.
    text = _fix_text(text)
    return plain_text(text)


def decode(source: Source, data: bytes, fmt: str) -> RawDocument:
    """Decode bytes already read from a source into a RawDocument, or raise StageError."""
    if not data.strip():
        raise StageError(Reason.EMPTY, "file is empty" if not data else "file holds only whitespace")
    kind = _looks_binary(data)
    if kind:
        raise StageError(Reason.BINARY, f"not a text file: looks like a {kind}")
    text, encoding = _decode(data, fmt)
    text = _normalise(text)
    if not text.strip():
        raise StageError(Reason.EMPTY, "file holds no visible text")
    if fmt != "html" and _HTML_START.match(text[:2000]):
        fmt = "html"  # a saved page under a .txt name is still HTML
    return RawDocument(source=source, text=text, format=fmt, encoding=encoding)


def read(source: Source, fmt: str, max_bytes: int) -> RawDocument:
    """Read a source's bytes (never more than max_bytes + 1) and decode them."""
    try:
        with open(source.path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise StageError(Reason.UNREADABLE, "file vanished during the run") from None
    except OSError as exc:
        raise StageError(Reason.UNREADABLE, f"cannot read file: {exc.strerror}") from None
    if len(data) > max_bytes:
        raise StageError(Reason.TOO_BIG, f"file grew past the limit of {max_bytes} bytes during the run")
    digest = hashlib.sha256(data).hexdigest()
    if digest != source.sha256:  # changed since discovery: describe the bytes actually read
        source = dataclasses.replace(source, sha256=digest, size=len(data))
    return decode(source, data, fmt)
