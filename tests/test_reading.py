"""reading._fix_text: ftfy's repairs, with ftfy called only on the lines it could change."""

from __future__ import annotations

import ftfy
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.reading import _CONTROL, _fix_text, _inert, _trigger

_SETTINGS = dict(unescape_html=False, uncurl_quotes=False, normalization="NFC")
# ASCII, typographic punctuation, Latin-1 and Latin Extended letters, Greek, Cyrillic, box
# drawing, combining marks, ligatures, full-width forms and the mojibake favourites
_POOL = "".join(chr(c) for c in [*range(32, 127), *range(0xA0, 0x250), *range(0x370, 0x3FF),
                                 *range(0x400, 0x4FF), *range(0x2000, 0x2070), *range(0x2100, 0x2200),
                                 *range(0x2500, 0x25FF), 0x301, 0x308, 0x85, 0x9D, 0xFB01, 0xFF21,
                                 0x3000, 0xFFFD])
_MOJIBAKE = ["cafÃ©", "â€œquotedâ€\x9d", "donâ€™t", "Ã  la", "ï¬\x81", "Â£5", "×²", "вЂ”", "√©"]


def _ftfy(text: str) -> str:
    return ftfy.fix_text(text, **_SETTINGS)


def _prepared(text: str) -> str:
    """The text as decode() hands it to the repair: LF line ends, no ASCII controls."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def test_the_trigger_set_could_be_built():
    assert _trigger() is not None
    assert _inert("“Quoted” — a plain line, with • and © and ’")
    assert not _inert("cafÃ©")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=_POOL, max_size=30), st.sampled_from(_MOJIBAKE)), max_size=8))
def test_same_text_as_ftfy(parts):
    text = _prepared("\n".join(parts) + "".join(parts[:1]))
    assert _fix_text(text) == _ftfy(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=_POOL, max_size=12))
def test_inert_lines_are_left_alone_by_ftfy(line):
    line = _prepared(line)
    if _inert(line):
        assert _ftfy(line) == line


def test_mojibake_is_still_repaired():
    text = "Plain ASCII line\ncafÃ© and donâ€™t\n“fine” line\n"
    assert _fix_text(text) == "Plain ASCII line\ncafé and don’t\n“fine” line\n"


def test_whole_text_shortcut_agrees_with_ftfy_around_line_ends():
    # _fix_text returns a text at once when it holds no trigger character and is NFC; a combining
    # mark after a line end composes with nothing, one after a letter does
    for text in ["“Plain” line — with ©\n\u0301 mark after a line end\n", "e\u0301 not NFC\n“x”",
                 "café\nnaïve “quoted”\n", "Ǆ ligature-free line\nﬁ ligature\n"]:
        assert _fix_text(text) == _ftfy(text)


# decode()'s one-scan path (_normalise) against the three passes it stands for (_normalise_reference):
# controls, C1 controls, invisible/bidi characters, mojibake, character references to stripped
# characters, line ends of every kind and text that is not NFC.
_EDGES = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x81", "\x85", "\x9d", "\r", "\r\n",
          "\u200b", "\u2060", "\ufeff", "\u202e", "\u2066", "\u2028", "\u2029", "\u200d", "\u00ad",
          "&#1;", "&#x202E;", "&#8203;", "&#x85;", "&#65;", "&&#1;#8203;", "e\u0301", "\u0301", "A\u030a",
          "\ufb01", "\uff21", "\ud7ff", "“", "’", "—", "é", "\n", " "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(alphabet=_POOL, max_size=20), st.sampled_from(_MOJIBAKE),
                          st.sampled_from(_EDGES)), max_size=12).map("".join))
def test_one_scan_normalisation_is_the_three_passes(text):
    from pipeline.reading import _normalise, _normalise_reference

    assert _normalise(text) == _normalise_reference(text)


def test_one_scan_set_holds_every_character_the_passes_act_on():
    from pipeline.reading import _STRIP, _touchable

    touchable = _touchable()
    assert touchable is not None
    for code in range(0x110000):
        ch = chr(code)
        if _CONTROL.match(ch) or _STRIP.match(ch) or _trigger().match(ch):
            assert touchable.match(ch), hex(code)
