"""Bad input loses nothing: every file of a hostile corpus ends in articles or in rejects, with a reason."""

from __future__ import annotations

import codecs
import json
import os
import random
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from pipeline import store

pytestmark = pytest.mark.flow

PARAGRAPH = (
    "The harbour board of the fictional town of Aldwick voted on Tuesday to raise berth fees by a "
    "tenth, after a year in which cargo traffic fell for the third time in a row, officials said. "
    "Members argued for two hours about the effect on the fishing fleet before the vote was taken."
)
ARTICLE = f"Harbour board raises fees\n\n{PARAGRAPH}\n\n{PARAGRAPH.replace('Tuesday', 'Monday')}\n"
HTML_ARTICLE = (
    "<html><head><title>Harbour board raises fees</title></head><body><nav><a href='/'>Home</a></nav>"
    f"<article><h1>Harbour board raises fees</h1><p>{PARAGRAPH}</p><p>{PARAGRAPH}</p></article></body></html>"
)

# name -> (bytes, expected outcome: "article" or a reason code)
def _corpus() -> dict[str, tuple[bytes, str]]:
    rng = random.Random(7)
    zipped = Path("/tmp") / f"bad-input-{os.getpid()}.zip"
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("a.txt", "hello")
    zip_bytes = zipped.read_bytes()
    zipped.unlink()
    deep = "<html><body>" + "<div>" * 100_000 + "<p>deep</p>" + "</div>" * 100_000 + "</body></html>"
    hostile = (
        "<html><head><style>body{display:none}</style><script>alert('x')</script></head><body "
        "onload=\"steal()\"><iframe src='javascript:alert(1)'></iframe><article><h1>Council meets</h1>"
        f"<p onclick=\"evil()\">{PARAGRAPH}</p><p><a href=\"javascript:alert(2)\">link text</a> {PARAGRAPH}</p>"
        "<script>document.write('injected')</script></article></body></html>"
    )
    nav_only = "<html><body><nav><ul>" + "".join(f"<li><a href='/{i}'>Section {i}</a></li>" for i in range(30)) + "</ul></nav></body></html>"
    return {
        "empty.txt": (b"", "empty"),
        "whitespace.txt": (b"   \n\n\t  \n", "empty"),
        "fake.txt": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "binary"),
        "image.html": (b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(500)), "binary"),
        "archive.md": (zip_bytes, "binary"),
        "noise.txt": (bytes(rng.randrange(256) for _ in range(4000)), "binary"),
        "invalid-utf8.txt": (ARTICLE.encode("utf-8") + b"\xff\xfe\xfa broken tail", "article"),
        "utf16.txt": (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), "article"),
        "latin1.txt": (ARTICLE.replace("Aldwick", "Aldwické").encode("cp1252"), "article"),
        "mojibake.txt": (ARTICLE.replace("officials", "officialsâ€™ aides").encode("utf-8"), "article"),
        "nul-bytes.txt": (ARTICLE.replace("Members", "Mem\x00bers").encode("utf-8"), "article"),
        "one-line.txt": (((PARAGRAPH + " ") * 33_000).encode("utf-8"), "article"),  # ~10 MB, one line
        "deep.html": (deep.encode(), "any"),
        "hostile.html": (hostile.encode(), "article"),
        "nav-only.html": (nav_only.encode(), "any"),
        "dup-a.txt": (ARTICLE.encode(), "article"),
        "dup-b.html": (HTML_ARTICLE.encode(), "article"),
        "name with spaces é.txt": (ARTICLE.replace("fees", "fees again").encode(), "article"),
        "new\nline.txt": (ARTICLE.replace("board", "board today").encode(), "article"),
        "sidecar-bad.txt": (ARTICLE.replace("Aldwick", "Bexley").encode(), "article"),
        "sidecar-types.txt": (ARTICLE.replace("Aldwick", "Corran").encode(), "article"),
        "notes.docx": (zip_bytes, "unsupported_format"),
    }


@pytest.fixture(scope="module")
def bad_run(prefect_harness, tmp_path_factory):
    from pipeline.flows import RunConfig, build_dataset

    raw = tmp_path_factory.mktemp("bad-raw")
    out = tmp_path_factory.mktemp("bad-out")
    corpus = _corpus()
    for name, (data, _) in corpus.items():
        (raw / name).write_bytes(data)
    (raw / "too-big.txt").write_bytes(b"word " * 2_600_000)  # 13 MB, over the 12 MB limit below
    corpus["too-big.txt"] = (b"", "too_big")
    (raw / "sidecar-bad.meta.json").write_text("{not json")
    (raw / "sidecar-types.meta.json").write_text(json.dumps({"authors": "Jane", "published": 2020}))
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text(ARTICLE)
    os.symlink(outside / "secret.txt", raw / "escape.txt")
    corpus["escape.txt"] = (b"", "unreadable")
    os.symlink(raw, raw / "loop")
    corpus["loop"] = (b"", "unreadable")
    summary = build_dataset(RunConfig(raw=raw, out=out, max_bytes=12_000_000))
    return corpus, out, summary


def test_every_input_lands_in_articles_or_rejects(bad_run):
    corpus, out, summary = bad_run
    articles = {r["source_path"]: r for r in store.load_table(out, "articles").to_pylist()}
    rejects = {r["source_path"]: r for r in store.load_table(out, "rejects").to_pylist()}
    assert not set(articles) & set(rejects)
    assert set(articles) | set(rejects) == set(corpus)
    assert len(corpus) == len(articles) + len(rejects)
    for name, (_, expected) in corpus.items():
        if expected == "article":
            assert name in articles, (name, rejects.get(name))
        elif expected != "any":
            assert rejects[name]["reason"] == expected, (name, rejects.get(name))
    for name, row in rejects.items():
        assert row["reason"] and row["message"] and row["stage"], name
    manifest = store.read_manifest(out, summary.version)
    assert manifest["rejects_by_reason"] == dict(Counter(r["reason"] for r in rejects.values()))


def test_repaired_text_and_metadata(bad_run):
    _, out, _ = bad_run
    articles = {r["source_path"]: r for r in store.load_table(out, "articles").to_pylist()}
    assert "Aldwické" in articles["latin1.txt"]["body"]
    assert "officials’ aides" in articles["mojibake.txt"]["body"]
    assert "Members" in articles["nul-bytes.txt"]["body"] and "\x00" not in articles["nul-bytes.txt"]["body"]
    assert articles["utf16.txt"]["body"].startswith("The harbour board")
    assert any("not valid JSON" in w for w in articles["sidecar-bad.txt"]["warnings"])
    assert any("authors" in w and "published" in w for w in articles["sidecar-types.txt"]["warnings"])
    hostile = articles["hostile.html"]["body"]
    for bad in ("alert", "steal", "evil", "injected", "javascript:", "display:none", "<"):
        assert bad not in hostile
    assert "link text" in hostile
    assert articles["dup-b.html"]["duplicate_of"] == articles["dup-a.txt"]["article_id"]
    assert articles["dup-a.txt"]["duplicate_of"] is None


def test_no_control_characters_or_markup_in_text_columns(bad_run):
    _, out, _ = bad_run
    for row in store.load_table(out, "articles").to_pylist():
        for column in ("title", "subtitle", "body"):
            value = row[column] or ""
            assert not any(ord(c) < 32 and c not in "\n\t" for c in value), (row["source_path"], column)
