"""Discovery and reading: recursion, sidecars, symlinks, limits, encodings, binary files."""

from __future__ import annotations

import codecs
import json
import os

import pytest

from pipeline.model import Reason, StageError
from pipeline.reading import read
from pipeline.sources import discover


def _write(path, data: bytes | str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_discover_recurses_sorted_and_skips_hidden(tmp_path):
    _write(tmp_path / "b" / "two.md", "# Two\n\nText.")
    _write(tmp_path / "a.txt", "One.")
    _write(tmp_path / "c.HTM", "<html><body><p>x</p></body></html>")
    _write(tmp_path / ".git" / "x.txt", "hidden")
    sources, rejects, _ = discover(tmp_path, 10_000)
    assert [s.rel_path for s in sources] == ["a.txt", "b/two.md", "c.HTM"]
    assert rejects == []


def test_unsupported_and_too_big_files_are_rejected_with_reason(tmp_path):
    _write(tmp_path / "notes.docx", b"PK\x03\x04")
    _write(tmp_path / "big.txt", "x" * 2000)
    sources, rejects, _ = discover(tmp_path, 1000)
    assert sources == []
    assert {(r.source_path, r.reason) for r in rejects} == {("notes.docx", Reason.UNSUPPORTED), ("big.txt", Reason.TOO_BIG)}


def test_sidecar_both_names_and_wrong_types(tmp_path):
    _write(tmp_path / "a.txt", "A.")
    _write(tmp_path / "a.meta.json", json.dumps({"url": "https://x.example/a", "authors": "not a list"}))
    _write(tmp_path / "b.html", "<p>b</p>")
    _write(tmp_path / "b.html.meta.json", json.dumps({"outlet": "France 24"}))
    _write(tmp_path / "c.txt", "C.")
    _write(tmp_path / "c.meta.json", "{broken")
    sources, _, hashes = discover(tmp_path, 10_000)
    by = {s.rel_path: s for s in sources}
    assert by["a.txt"].sidecar == {"url": "https://x.example/a"} and "authors" in by["a.txt"].sidecar_error
    assert by["b.html"].sidecar == {"outlet": "France 24"} and by["b.html"].sidecar_error is None
    assert by["c.txt"].sidecar == {} and "not valid JSON" in by["c.txt"].sidecar_error
    assert set(hashes) == {"a.txt", "b.html", "c.txt"}


def test_symlinks_outside_and_loops_are_not_followed(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    _write(outside / "secret.txt", "secret")
    _write(raw / "in.txt", "in")
    os.symlink(outside / "secret.txt", raw / "link.txt")
    os.symlink(raw, raw / "loop")
    os.symlink(raw / "in.txt", raw / "alias.txt")
    sources, rejects, _ = discover(raw, 10_000)
    assert [s.rel_path for s in sources] == ["alias.txt", "in.txt"]
    reasons = {r.source_path: r.message for r in rejects}
    assert "outside" in reasons["link.txt"] and "loop" in reasons["loop"]


def _read(tmp_path, name, data, fmt="txt"):
    path = _write(tmp_path / name, data)
    sources, _, _ = discover(tmp_path, 10_000_000)
    source = next(s for s in sources if s.rel_path == name)
    return read(source, fmt, 10_000_000)


@pytest.mark.parametrize(
    "data,reason",
    [(b"", Reason.EMPTY), (b"  \n\t\n", Reason.EMPTY), (b"%PDF-1.7\n...", Reason.BINARY),
     (b"\x89PNG\r\n\x1a\n", Reason.BINARY), (bytes(range(256)) * 4, Reason.BINARY)],
)
def test_bad_bytes_raise_stage_errors(tmp_path, data, reason):
    with pytest.raises(StageError) as exc:
        _read(tmp_path, "x.txt", data)
    assert exc.value.reason == reason


def test_encodings_and_mojibake(tmp_path):
    assert _read(tmp_path, "a.txt", "Café “quoted”".encode("cp1252")).text == "Café “quoted”"
    raw = _read(tmp_path, "b.txt", codecs.BOM_UTF16_LE + "Zoë said".encode("utf-16-le"))
    assert raw.text == "Zoë said" and raw.encoding == "utf-16"
    assert _read(tmp_path, "c.txt", "Itâ€™s cafÃ© time".encode("utf-8")).text == "It’s café time"
    assert _read(tmp_path, "d.txt", b"a\x00b line\r\nnext").text == "ab line\nnext"


def test_html_saved_as_txt_is_read_as_html(tmp_path):
    assert _read(tmp_path, "page.txt", "<!DOCTYPE html><html><body><p>x</p></body></html>").format == "html"


def test_file_changed_after_discovery_is_described_by_the_bytes_read(tmp_path):
    path = _write(tmp_path / "a.txt", "first version")
    sources, _, _ = discover(tmp_path, 1000)
    path.write_text("second version, longer")
    raw = read(sources[0], "txt", 1000)
    assert raw.text == "second version, longer" and raw.source.sha256 != sources[0].sha256
    path.unlink()
    with pytest.raises(StageError) as exc:
        read(sources[0], "txt", 1000)
    assert exc.value.reason == Reason.UNREADABLE
