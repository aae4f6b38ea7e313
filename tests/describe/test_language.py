"""Unit tests of language detection and of language hints."""

from __future__ import annotations

import pytest

from pipeline.describe.language import MIN_UNITS, detect_language, normalise_code

# Short made-up paragraphs, long enough (> 20 words) to tell.
EN = (
    "The city council voted on Tuesday to approve a new budget for public transport, after a long "
    "debate about fares, bus routes and the cost of repairing the old bridges near the river."
)
FR = (
    "Le conseil municipal a voté mardi un nouveau budget pour les transports publics, après un long "
    "débat sur les tarifs, les lignes de bus et le coût de la réparation des vieux ponts de la ville."
)
DE = (
    "Der Stadtrat hat am Dienstag einen neuen Haushalt für den öffentlichen Verkehr beschlossen, nach "
    "einer langen Debatte über Fahrpreise, Buslinien und die Kosten für die Reparatur der alten Brücken."
)
RU = (
    "Городской совет во вторник утвердил новый бюджет для общественного транспорта после долгих "
    "споров о ценах на билеты, автобусных маршрутах и стоимости ремонта старых мостов через реку."
)
ZH = "市议会星期二投票通过了新的公共交通预算，此前议员们就票价、公交线路以及修复河边旧桥的费用进行了长时间的辩论。"


@pytest.mark.parametrize(("text", "code"), [(EN, "en"), (FR, "fr"), (DE, "de"), (RU, "ru"), (ZH, "zh")])
def test_detects(text, code):
    assert detect_language(text) == code


def test_only_the_start_is_read():
    assert detect_language(" ".join([EN] * 12 + [FR] * 40)) == "en"   # EN fills 2,000 chars


@pytest.mark.parametrize(
    ("hint", "code"),
    [("en", "en"), ("en-US", "en"), ("EN_gb", "en"), ("fr-CA", "fr"), ("iw", "he"), (" de ", "de")],
)
def test_valid_hint_wins(hint, code):
    assert detect_language(RU, hint=hint) == code
    assert detect_language("", hint=hint) == code


@pytest.mark.parametrize("hint", ["zz", "x-default", "", "*", "english", "12", None])
def test_invalid_hint_is_ignored(hint):
    assert detect_language(FR, hint=hint) == "fr"


def test_normalise_code():
    assert normalise_code("pt-BR") == "pt"
    assert normalise_code("yue") == "zh"       # a py3langid label mapped to its macrolanguage
    assert normalise_code("zxx") is None       # "no linguistic content"
    assert normalise_code("eng") is None       # three-letter codes are not accepted as hints


def test_too_short_is_none():
    assert detect_language("Read more") is None
    words = EN.split()[: MIN_UNITS - 1]
    assert detect_language(" ".join(words)) is None
    assert detect_language("") is None


def test_low_confidence_is_none():
    # digits and symbols only: enough tokens, no language to tell
    assert detect_language(" ".join(str(n) for n in range(40))) is None
    assert detect_language("— · — · " * 20) is None


def _walk_texts():
    """Texts in several scripts, cut at every length up to 40 bytes and at odd lengths beyond."""
    import random

    rng = random.Random(7)
    texts = [EN, FR, DE, RU, ZH, EN + " " + ZH, "", "a", "ab", "  ", "\x00\xff", "Ünïcödé — “quotes” 2013"]
    words = " ".join([EN, FR, DE, RU, ZH]).split()
    for _ in range(60):
        texts.append(" ".join(rng.choice(words) for _ in range(rng.randint(1, 80))))
    out = []
    for t in texts:
        data = t.encode("utf-8")
        out += [data[:k] for k in range(min(len(data), 40) + 1)] + [data]
    rng2 = random.Random(11)
    out += [bytes(rng2.randrange(256) for _ in range(rng2.randint(1, 300))) for _ in range(50)]
    return out


def test_fast_walk_counts_as_py3langid():
    """The numpy walk of the model's automaton gives py3langid's own counts, in the same order."""
    from py3langid.langid import visit_counts

    from pipeline.describe.language import _identifier, fast_visit_counts

    ident = _identifier()
    if ident._np_next is None:
        pytest.skip("this py3langid model is not the one the numpy walk was checked on")
    for data in _walk_texts():
        want = visit_counts(ident.tk_nextmove, ident._rowbase, ident.tk_output, data)
        got = fast_visit_counts(ident, data)
        got = list(zip(got[0].tolist(), got[1].tolist())) if got is not None else None
        assert got == (list(want.items()) if want else None), data[:60]


def test_fast_rank_as_py3langid():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    from pipeline.describe.language import _identifier

    plain = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    for data in [EN, FR, DE, RU, ZH, EN + FR, "x", ""] + _walk_texts()[::7]:
        assert _identifier().rank(data) == plain.rank(data), data[:60]


def _detect_by_ranking(text):
    """detect_language as first written: every label ranked and pooled (the shortcut's oracle)."""
    import re

    from pipeline.describe.language import SAMPLE_CHARS, _identifier, _pooled_best

    sample = text[:SAMPLE_CHARS]
    units = len(sample.split()) + len(re.findall(
        r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]", sample))
    if not text or units < MIN_UNITS:
        return None
    return _pooled_best(_identifier().rank(sample))


def test_pooled_shortcut_as_ranking_every_label():
    """detect_language's shortcut gives what pooling rank()'s whole list gives."""
    from pipeline.describe.language import _pool_plan

    assert _pool_plan() is not None
    mixed = [EN + " " + FR, FR + " " + DE, " ".join(EN.split()[:12] + RU.split()[:12]), "Ünïcödé — “quotes” 2013 " * 8,
             "salam " * 30, "ana fi al-bayt wa huwa hunak " * 6, " ".join(str(n) for n in range(40))]
    texts = [EN, FR, DE, RU, ZH] + mixed + [d.decode("utf-8", "replace") for d in _walk_texts()[::3]]
    for text in texts:
        assert detect_language(text) == _detect_by_ranking(text), text[:60]
