"""Quote gold loader (anchors -> spans) and scorer: quote P/R/F1, speaker accuracy, end-to-end F1."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.model import Quote
from pipeline.quotes.speakers import fold

# A predicted quote matches a gold one when their overlap is at least half of each span (the rule).
_OVERLAP = 0.5
_NAME_STOP = {"the", "a", "an", "one", "another", "this", "mr", "mrs", "ms", "dr"}


@dataclass(frozen=True)
class GoldQuote:
    doc: str
    start: int
    end: int
    qtype: str
    speaker: str | None


def load_gold(path: Path, bodies: dict[str, str]) -> tuple[list[GoldQuote], set[str]]:
    """Gold quotes of the docs in bodies, and the docs whose indirect quotes were labelled too.

    Each row locates its quote by anchors: the first occurrence of quote_start (after the end of
    the previous row of the same doc when "after_previous" is set, else from the body start, or
    from the optional "after" anchor), then the first quote_end after it.
    """
    gold: list[GoldQuote] = []
    indirect_docs: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        doc = row["doc"]
        if doc not in bodies:
            continue
        if row.get("indirect_labelled"):
            indirect_docs.add(doc)
            continue
        body = bodies[doc]
        origin = body.find(row["after"]) if row.get("after") else 0
        if origin < 0:
            raise ValueError(f"{doc}: anchor 'after' not found: {row['after']!r}")
        start = body.find(row["quote_start"], origin)
        if start < 0:
            raise ValueError(f"{doc}: quote_start not found: {row['quote_start']!r}")
        end = body.find(row["quote_end"], start + max(0, len(row["quote_start"]) - len(row["quote_end"])))
        if end < 0:
            raise ValueError(f"{doc}: quote_end not found after start: {row['quote_end']!r}")
        gold.append(GoldQuote(doc, start, end + len(row["quote_end"]), row["type"], row.get("speaker")))
    return gold, indirect_docs


def same_speaker(gold: str | None, pred: str | None) -> bool:
    """Equal after folding, or the same final word with one's words contained in the other's."""
    if gold is None or pred is None:
        return gold is None and pred is None
    g = [w for w in fold(gold).split() if w not in _NAME_STOP]
    p = [w for w in fold(pred).split() if w not in _NAME_STOP]
    if not g or not p:
        return g == p
    if g == p:
        return True
    return g[-1] == p[-1] and (set(g) <= set(p) or set(p) <= set(g))


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    inter = min(a1, b1) - max(a0, b0)
    return inter > 0 and inter >= _OVERLAP * (a1 - a0) and inter >= _OVERLAP * (b1 - b0)


@dataclass
class Scores:
    gold: int
    predicted: int
    matched: int
    speaker_right: int

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.matched if self.matched else 1.0

    @property
    def e2e_f1(self) -> float:
        p = self.speaker_right / self.predicted if self.predicted else 1.0
        r = self.speaker_right / self.gold if self.gold else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (f"gold={self.gold} pred={self.predicted} P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
                f"speaker_acc={self.speaker_accuracy:.3f} e2e_F1={self.e2e_f1:.3f}")


def score(gold: list[GoldQuote], predicted: dict[str, list[Quote]], types: set[str],
          docs: set[str] | None = None) -> Scores:
    """Scores over the docs (all gold docs when None) for the quote types given."""
    docs = docs if docs is not None else set(predicted)
    g_all = [g for g in gold if g.qtype in types and g.doc in docs]
    p_all = {d: [q for q in qs if q.quote_type in types] for d, qs in predicted.items() if d in docs}
    matched = speaker_right = 0
    for doc, preds in p_all.items():
        used: set[int] = set()
        for g in (x for x in g_all if x.doc == doc):
            best = None
            for k, q in enumerate(preds):
                if k not in used and _overlaps(g.start, g.end, q.start_char, q.end_char):
                    best = k
                    break
            if best is None:
                continue
            used.add(best)
            matched += 1
            speaker_right += same_speaker(g.speaker, preds[best].speaker)
    return Scores(len(g_all), sum(len(v) for v in p_all.values()), matched, speaker_right)


def seed_bodies(seeds_dir: Path) -> dict[str, str]:
    """Seed file name -> the body our reader, parser and cleaner make of it."""
    import hashlib

    from pipeline.clean import clean
    from pipeline.model import RawDocument, Source
    from pipeline.parse.text import looks_like_markdown, parse_text

    out = {}
    for path in sorted(seeds_dir.glob("*.txt")):
        data = path.read_bytes()
        text = data.decode("utf-8")
        src = Source(path=path, rel_path=path.name, size=len(data), sha256=hashlib.sha256(data).hexdigest())
        fmt = "md" if looks_like_markdown(text) else "txt"
        out[path.name] = clean(parse_text(RawDocument(source=src, text=text, format=fmt, encoding="utf-8"))).body
    return out


def zyte_bodies(zyte_dir: Path) -> dict[str, str]:
    rows = (json.loads(line) for line in (zyte_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip())
    return {row["id"]: row["body"] for row in rows}


def article(doc: str, body: str):
    from pipeline.model import Article

    return Article(article_id=doc, source_path=doc, source_format="txt", content_sha256="", url=None, outlet=None,
                   outlet_domain=None, outlet_country=None, outlet_signal=None, title=None, subtitle=None, authors=(),
                   published_date=None, updated_date=None, date_source=None, language="en", tags=(), body=body,
                   word_count=len(body.split()), paragraph_count=body.count("\n\n") + 1)


def evaluate(gold_path: Path, bodies: dict[str, str]) -> dict[str, Scores]:
    """Scores of extract_quotes on the gold docs found in bodies: direct+partial, and all types."""
    from pipeline.quotes import extract_quotes

    gold, indirect_docs = load_gold(gold_path, bodies)
    docs = {g.doc for g in gold}
    predicted = {d: extract_quotes(article(d, bodies[d])) for d in docs}
    return {
        "direct+partial": score(gold, predicted, {"direct", "partial"}, docs),
        "all types": score(gold, predicted, {"direct", "partial", "indirect"}, docs & indirect_docs),
        "indirect": score(gold, predicted, {"indirect"}, docs & indirect_docs),
    }


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--gold", type=Path, default=Path("tests/quality/quotes_gold.jsonl"))
    ap.add_argument("--heldout", type=Path, default=Path("tests/quality/quotes_heldout.jsonl"),
                    help="second gold file of zyte pages labelled before any rule was tuned on them")
    ap.add_argument("--heldout2", type=Path, default=Path("tests/quality/quotes_heldout2.jsonl"),
                    help="third gold file of zyte pages, labelled before the speaker-resolution rules (tuned on since)")
    ap.add_argument("--heldout3", type=Path, default=Path("tests/quality/quotes_heldout3.jsonl"),
                    help="fourth gold file of zyte pages, labelled before the rules tuned on held-out 2")
    ap.add_argument("--heldout4", type=Path, default=Path("tests/quality/quotes_heldout4.jsonl"),
                    help="fifth gold file of zyte pages, labelled blind in session 3 before that session's rules; only scored")
    ap.add_argument("--seeds", type=Path, default=Path("../shared/seeds"))
    ap.add_argument("--zyte", type=Path, default=Path("../shared/corpora/zyte-articles"))
    args = ap.parse_args()
    zyte = zyte_bodies(args.zyte)
    for name, gold, bodies in (("seeds", args.gold, seed_bodies(args.seeds)), ("zyte", args.gold, zyte),
                               ("held-out", args.heldout, zyte), ("held-out2", args.heldout2, zyte),
                               ("held-out3", args.heldout3, zyte), ("held-out4", args.heldout4, zyte)):
        if not gold.exists():
            continue
        for kind, sc in evaluate(gold, bodies).items():
            print(f"{name:9} {kind:15} {sc.line()}")


if __name__ == "__main__":
    main()
